//! The charts screen: one chart at a time in a frame titled with its name
//! and page, a legend line under it. Each line has its own marker (`█`,
//! `•`, `⠔`) named in the legend, so the charts read under NO_COLOR too;
//! the 60-70 % band is drawn as two labelled lines.

use chrono::NaiveDate;
use ratatui::{
    Frame,
    layout::{Constraint, Layout, Rect},
    symbols::Marker,
    text::{Line, Span},
    widgets::{Axis, Bar, BarChart, BarGroup, Block, Chart, Dataset, GraphType, Paragraph},
};

use super::{Theme, header::short_date, text};
use crate::{
    app::{
        Action, App, Context,
        charts::{ChartPage, ChartsScreen, KrChart},
    },
    domain::{Board, charts::Commitment, planning::OKR_SHARE_BAND},
    format::number,
};

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, board: &Board, screen: &ChartsScreen, theme: Theme) {
    let turn = app.keymap.keys_label(Context::Charts, Action::NextPane).map(|keys| format!(" · {keys}: next"));
    draw_page(frame, area, board, screen, turn.as_deref(), theme);
}

/// The chart on `screen`'s page, titled with its name, its page and
/// `turn` (the keys that turn it, where they are hinted here).
pub(super) fn draw_page(
    frame: &mut Frame<'_>,
    area: Rect,
    board: &Board,
    screen: &ChartsScreen,
    turn: Option<&str>,
    theme: Theme,
) {
    let name = match screen.current() {
        ChartPage::BurnUp => "Burn-up of points".to_owned(),
        ChartPage::Velocity => "Velocity per sprint".to_owned(),
        ChartPage::Split => "OKR/BAU split per sprint".to_owned(),
        ChartPage::KeyResult(index) => {
            screen.krs.get(index).map_or_else(String::new, |kr| format!("{} {}", text::clean(&kr.code), text::clean(&kr.title)))
        }
    };
    let title = format!(" {} · {}/{}{} ", name, screen.page + 1, screen.page_count(), turn.unwrap_or_default());
    let title = text::fit(&title, usize::from(area.width.saturating_sub(2)));
    let block = Block::bordered().title(Line::styled(title, theme.title())).border_style(theme.border(true));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [chart, legend] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(inner);

    let legend_line = match screen.current() {
        ChartPage::BurnUp => draw_burn_up(frame, chart, board, screen, theme),
        ChartPage::Velocity => draw_velocity(frame, chart, screen, theme),
        ChartPage::Split => draw_split(frame, chart, screen, theme),
        ChartPage::KeyResult(index) => match screen.krs.get(index) {
            Some(kr) => draw_kr(frame, chart, board, kr, theme),
            None => Line::raw(""),
        },
    };
    frame.render_widget(Paragraph::new(legend_line), legend);
}

/// The quarter's first, middle and last days, for a time axis.
fn date_labels(board: &Board) -> [String; 3] {
    let (start, end) = (board.quarter.start, board.end());
    let middle = start + chrono::Days::new(u64::try_from((end - start).num_days() / 2).unwrap_or(0));
    [start, middle, end].map(|day: NaiveDate| short_date(day, start))
}

fn time_axis(board: &Board, days: f64, theme: Theme) -> Axis<'static> {
    Axis::default().bounds([0.0, days.max(1.0)]).labels(date_labels(board)).style(theme.dim())
}

fn legend(entries: &[(&'static str, ratatui::style::Style, String)]) -> Line<'static> {
    let mut spans = vec![Span::raw(" ")];
    for (symbol, style, words) in entries {
        spans.push(Span::styled(*symbol, *style));
        spans.push(Span::raw(format!(" {words}  ")));
    }
    Line::from(spans)
}

fn draw_burn_up(frame: &mut Frame<'_>, area: Rect, board: &Board, screen: &ChartsScreen, theme: Theme) -> Line<'static> {
    let chart = &screen.burn_up;
    let top = chart.top.max(1.0);
    let datasets = vec![
        Dataset::default().marker(Marker::Dot).graph_type(GraphType::Line).style(theme.dim()).data(&chart.scope),
        Dataset::default().marker(Marker::Block).graph_type(GraphType::Line).style(theme.good()).data(&chart.done),
    ];
    let y_axis = Axis::default()
        .title("points")
        .bounds([0.0, top])
        .labels([number(0.0), number(top / 2.0), number(top)])
        .style(theme.dim());
    let widget = Chart::new(datasets).x_axis(time_axis(board, chart.days, theme)).y_axis(y_axis).legend_position(None);
    frame.render_widget(widget, area);
    legend(&[
        ("•", theme.dim(), format!("scope {}", number(chart.scope.last().map_or(0.0, |point| point.1)))),
        ("█", theme.good(), format!("done {}", number(chart.done.last().map_or(0.0, |point| point.1)))),
        ("", theme.dim(), "points by day".to_owned()),
    ])
}

fn draw_velocity(frame: &mut Frame<'_>, area: Rect, screen: &ChartsScreen, theme: Theme) -> Line<'static> {
    // Each bar is labelled `c` or `d` under it, as well as coloured.
    let groups: Vec<BarGroup<'_>> = screen
        .sprints
        .iter()
        .map(|sprint| {
            let bar = |letter: &'static str, points: u32, style| {
                Bar::new(u64::from(points)).label(letter).text_value(points.to_string()).style(style)
            };
            // A sprint not started has points planned (`p`), no commitment.
            let first = match sprint.committed {
                Commitment::Committed(points) => bar("c", points, theme.dim()),
                Commitment::Planned(points) => bar("p", points, theme.dim()),
            };
            BarGroup::new([first, bar("d", sprint.done, theme.good())]).label(format!("S{}", sprint.number))
        })
        .collect();
    let count = u16::try_from(screen.sprints.len()).unwrap_or(u16::MAX).max(1);
    // As wide as the area allows, between 1 and 5 columns a bar: a group
    // is two bars, the gap between them and the gap to the next, with a
    // column to spare so the last group is never cut.
    let bar_width = ((area.width / count).saturating_sub(4) / 2).clamp(1, 5);
    let [axis, bars] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    frame.render_widget(Paragraph::new(Line::styled("points per sprint", theme.dim())), axis);
    let widget = BarChart::grouped(groups).bar_width(bar_width).bar_gap(1).group_gap(2).value_style(theme.bold());
    frame.render_widget(widget, bars);
    legend(&[
        ("c", theme.dim(), "committed".to_owned()),
        ("p", theme.dim(), "planned, not started".to_owned()),
        ("d", theme.good(), "done (closed: its frozen record)".to_owned()),
    ])
}

fn draw_split(frame: &mut Frame<'_>, area: Rect, screen: &ChartsScreen, theme: Theme) -> Line<'static> {
    let first = screen.sprints.first().map_or(1.0, |sprint| f64::from(sprint.number));
    let last = screen.sprints.last().map_or(1.0, |sprint| f64::from(sprint.number)).max(first + 1.0);
    let (low, high) = (OKR_SHARE_BAND.0 * 100.0, OKR_SHARE_BAND.1 * 100.0);
    let floor = [(first, low), (last, low)];
    let ceiling = [(first, high), (last, high)];
    let datasets = vec![
        Dataset::default().marker(Marker::Braille).graph_type(GraphType::Line).style(theme.warning()).data(&floor),
        Dataset::default().marker(Marker::Braille).graph_type(GraphType::Line).style(theme.warning()).data(&ceiling),
        Dataset::default().marker(Marker::Block).graph_type(GraphType::Line).style(theme.good()).data(&screen.okr_shares),
    ];
    // Only the ends: ratatui spreads labels evenly, which would put a middle
    // sprint's label off its point; the legend gives each sprint's share.
    let labels = [format!("S{first}"), format!("S{last}")];
    let x_axis = Axis::default().bounds([first, last]).labels(labels).style(theme.dim());
    let y_axis = Axis::default().title("OKR %").bounds([0.0, 100.0]).labels(["0 %", "50 %", "100 %"]).style(theme.dim());
    frame.render_widget(Chart::new(datasets).x_axis(x_axis).y_axis(y_axis).legend_position(None), area);
    let shares: Vec<String> = screen
        .sprints
        .iter()
        .filter_map(|sprint| Some(format!("S{} {:.0}", sprint.number, sprint.split.okr_share()? * 100.0)))
        .collect();
    legend(&[
        ("█", theme.good(), format!("OKR % of planned ({})", shares.join(" "))),
        ("⠤", theme.warning(), format!("band {low:.0}-{high:.0} %")),
    ])
}

fn draw_kr(frame: &mut Frame<'_>, area: Rect, board: &Board, kr: &KrChart, theme: Theme) -> Line<'static> {
    let series = &kr.series;
    let days = series.expected.last().map_or(1.0, |point| point.0);
    let datasets = vec![
        Dataset::default().marker(Marker::Braille).graph_type(GraphType::Line).style(theme.dim()).data(&series.expected),
        Dataset::default().marker(Marker::Block).graph_type(GraphType::Line).style(theme.good()).data(&series.actual),
    ];
    let y_axis = Axis::default()
        .title(text::clean(&kr.unit).into_owned())
        .bounds([series.low, series.high])
        .labels([number(series.low), number(series.high)])
        .style(theme.dim());
    frame.render_widget(Chart::new(datasets).x_axis(time_axis(board, days, theme)).y_axis(y_axis).legend_position(None), area);
    let now = series.actual.last().map_or(0.0, |point| point.1);
    legend(&[
        ("█", theme.good(), format!("value {} (check-ins)", text::with_unit(now, &kr.unit))),
        ("⠔", theme.dim(), "expected (start to target)".to_owned()),
    ])
}
