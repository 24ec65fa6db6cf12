//! The backlog pane: ranked items with their KR tags; BAU items marked.
//! Only the visible rows are turned into table rows.

use ratatui::{
    Frame,
    layout::{Constraint, Position, Rect},
    style::Style,
    text::{Line, Span},
    widgets::{Block, Cell, Paragraph, Row, Table},
};

use super::{Theme, text};
use crate::domain::codes;
use crate::{
    app::{Action, App, Context, Overlay},
    domain::{Board, ItemRow, ItemState, copied_kr},
    store::{ItemFilter, Placement},
};

/// The KRs column's least width: two tags.
const KR_WIDTH: u16 = 13;
/// Columns the title keeps when the KRs column widens for more tags.
const MIN_TITLE_WIDTH: u16 = 24;

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, board: &Board, focused: bool, theme: Theme) {
    let backlog = &app.backlog;
    let mut title = vec![Span::styled(" Backlog ", theme.bold())];
    let searching = match app.overlays.last() {
        Some(Overlay::Search(input)) => Some(input),
        _ => None,
    };
    if let Some(input) = searching {
        // The search line, with the cursor where the next letter goes.
        let before = " Backlog  search: ".chars().count();
        let room = usize::from(area.width).saturating_sub(before + 2);
        let (shown, cursor) = text::input_line(input.value(), input.cursor(), room);
        let typed = format!(" search: {shown}");
        let cursor_x = area.x + 1 + u16::try_from(before + cursor).unwrap_or(0);
        frame.set_cursor_position(Position::new(cursor_x.min(area.right().saturating_sub(2)), area.y));
        title.push(Span::styled(typed, theme.key()));
        let keys: Vec<String> = [(Action::KeepSearch, "keeps"), (Action::ClearSearch, "clears")]
            .into_iter()
            .filter_map(|(action, what)| Some(format!("{} {what}", app.keymap.keys_label(Context::Search, action)?)))
            .collect();
        if !keys.is_empty() {
            title.push(Span::styled(format!("  ({}) ", keys.join(", ")), theme.dim()));
        }
    } else {
        let described = describe_filter(&backlog.filter, board);
        if !described.is_empty() {
            title.push(Span::styled(format!(" filter: {} ", described.join(" · ")), theme.warning()));
            // A closed quarter's scope stays: only a filter over it clears.
            let clearable = backlog.filter != ItemFilter { quarter: backlog.filter.quarter, ..ItemFilter::default() };
            if let Some(back) = app.keymap.keys_label(Context::Board, Action::Back).filter(|_| clearable) {
                title.push(Span::styled(format!("({back} clears) "), theme.dim()));
            }
        }
    }
    title.push(Span::raw(format!(
        " {}, {} ",
        crate::format::count(backlog.summary.count as u64, "item", "items"),
        crate::format::count(backlog.summary.points, "pt", "pts")
    )));
    let marked = backlog.marked_range();
    if let Some(range) = &marked {
        let stop = app.keymap.keys_label(Context::Board, Action::Mark).map(|key| format!("({key} stops) ")).unwrap_or_default();
        title.push(Span::styled(format!(" {} marked {stop}", range.end() - range.start() + 1), theme.marked()));
    }
    let position =
        if backlog.summary.count == 0 { String::new() } else { format!(" {}/{} ", backlog.selected + 1, backlog.summary.count) };
    let block = Block::bordered()
        .title(Line::from(title))
        .title_bottom(Line::from(position).right_aligned())
        .border_style(theme.border(focused));

    // Wide enough for the longest visible id: a cut id would name another item.
    let id_width = backlog
        .visible()
        .map(|(_, item)| codes::item_number_shown(item.id, app.is_provisional(item.id)).len())
        .max()
        .unwrap_or(1)
        .max(3);
    let inner_width = block.inner(area).width;
    let id_width = u16::try_from(id_width).unwrap_or(5);
    let others = id_width + 4 + 6 + 6 + 5;
    // Wide enough for every tag of the rows in view, while the title keeps
    // MIN_TITLE_WIDTH: a third tag is not cut where there is room for it.
    let widest_tags = backlog.visible().map(|(_, item)| item.tags_text().chars().count()).max().unwrap_or(0);
    let kr_width =
        u16::try_from(widest_tags).unwrap_or(u16::MAX).min(inner_width.saturating_sub(others + MIN_TITLE_WIDTH)).max(KR_WIDTH);
    let widths = [
        Constraint::Length(id_width),
        Constraint::Fill(1),
        Constraint::Length(kr_width),
        Constraint::Length(4),
        Constraint::Length(6),
        Constraint::Length(6),
    ];
    let title_width = usize::from(inner_width.saturating_sub(others + kr_width));
    let header = Row::new(["#", "Title", "KRs", "Pts", "State", "Sprint"]).style(theme.dim());
    let selected = backlog.selected;
    let rows: Vec<Row<'_>> = backlog
        .visible()
        .map(|(position, item)| {
            let is_marked = marked.as_ref().is_some_and(|range| range.contains(&position));
            let style = match (position == selected, focused) {
                (true, true) => theme.selected(),
                (true, false) => theme.selected_unfocused(),
                _ if is_marked => theme.marked(),
                _ => Style::new(),
            };
            let flag = copied_kr(&item.title, board.key_results()).is_some();
            let marks = RowMarks {
                copies_kr: flag,
                marked: is_marked,
                retag: item.needs_retag,
                provisional: app.is_provisional(item.id),
            };
            item_row(item, marks, (usize::from(id_width), title_width, usize::from(kr_width)), theme).style(style)
        })
        .collect();
    if backlog.summary.count == 0 {
        let back = app.keymap.keys_label(Context::Board, Action::Back).map(|key| format!(" ({key} shows the whole backlog)"));
        let message = if backlog.filter.key_result.is_some() && backlog.filter.search.is_none() {
            format!(" No item moves this KR yet{}.", back.unwrap_or_default())
        } else if !backlog.filter.is_empty() {
            format!(" No item matches this filter{}.", back.unwrap_or_default())
        } else {
            " The backlog is empty.".to_owned()
        };
        frame.render_widget(Paragraph::new(message).style(theme.dim()).block(block), area);
        return;
    }
    let table = Table::new(rows, widths).header(header).block(block).column_spacing(1);
    frame.render_widget(table, area);
}

/// What a row's title cell flags.
struct RowMarks {
    /// The title copies a KR's (M10).
    copies_kr: bool,
    /// Marked with `v`.
    marked: bool,
    /// Carried from a closed quarter, tagged with its KRs: `↻` until re-tagged.
    retag: bool,
    /// Numbered on this laptop since the last sync: `47*`.
    provisional: bool,
}

/// One backlog row.
/// (id, title, tags) column widths.
fn item_row(item: &ItemRow, marks: RowMarks, widths: (usize, usize, usize), theme: Theme) -> Row<'static> {
    let (id_width, title_width, kr_width) = widths;
    let tags = if item.needs_retag {
        // Carried from a closed quarter: its old tags, waiting for new ones.
        Cell::from(Span::styled(text::fit(&item.tags_text(), kr_width), theme.warning()))
    } else if item.is_bau() {
        Cell::from(Span::styled("BAU", theme.dim()))
    } else {
        Cell::from(text::fit(&item.tags_text(), kr_width))
    };
    let state_style = match item.state {
        ItemState::Done => theme.good(),
        ItemState::Doing => theme.warning(),
        ItemState::Todo => Style::new(),
    };
    Row::new(vec![
        Cell::from(format!("{:>id_width$}", codes::item_number_shown(item.id, marks.provisional))),
        title_cell(&item.title, &marks, title_width, theme),
        tags,
        Cell::from(format!("{:>3}", item.points)),
        Cell::from(Span::styled(item.state.as_str(), state_style)),
        Cell::from(match (item.sprint_number, &item.sprint_quarter) {
            (None, _) => "-".to_owned(),
            (Some(number), None) => format!("S{number}"),
            // A sprint of an earlier quarter: its details name the quarter.
            (Some(number), Some(_)) => format!("S{number} old"),
        }),
    ])
}

/// The title, after a ✓ when marked and a ⚠ when it copies a KR (M10).
fn title_cell(title: &str, marks: &RowMarks, width: usize, theme: Theme) -> Cell<'static> {
    if !marks.marked && !marks.copies_kr && !marks.retag {
        return Cell::from(text::fit(title, width));
    }
    let mut spans = Vec::new();
    if marks.marked {
        spans.push(Span::raw("✓ "));
    }
    if marks.copies_kr {
        spans.push(Span::styled("⚠ ", theme.warning()));
    }
    if marks.retag {
        spans.push(Span::styled("↻ ", theme.warning()));
    }
    let used = 2 * spans.len();
    spans.push(Span::raw(text::fit(title, width.saturating_sub(used))));
    Cell::from(Line::from(spans))
}

/// The active filter in words, as the backlog's title shows it.
fn describe_filter(filter: &ItemFilter, board: &Board) -> Vec<String> {
    let mut parts = Vec::new();
    if let Some(kr) = filter.key_result.and_then(|id| board.key_result(id)) {
        parts.push(format!("{} {}", kr.code, text::fit(&kr.title, 24)));
    }
    if let Some(objective) = filter.objective.and_then(|id| board.objective(id)) {
        parts.push(format!("{} {}", codes::objective(objective.number), text::fit(&objective.title, 24)));
    }
    if let Some(search) = &filter.search {
        parts.push(format!("\"{}\"", text::fit(search, 20)));
    }
    if let Some(state) = filter.state {
        parts.push(state.as_str().to_owned());
    }
    match filter.placement {
        Placement::Any => {}
        Placement::NotInASprint => parts.push("not in a sprint".to_owned()),
        Placement::Sprint(id) => {
            let number = board.sprint(id).map_or(0, |sprint| sprint.number);
            parts.push(format!("in S{number}"));
        }
    }
    if filter.bau_only {
        parts.push("BAU only".to_owned());
    }
    if filter.needs_retag {
        parts.push("↻ to re-tag".to_owned());
    }
    if filter.earlier_done {
        parts.push("done in earlier quarters".to_owned());
    }
    if filter.quarter.is_some() {
        parts.push(format!("delivered in {}", text::clean(&board.quarter.label)));
    }
    parts
}
