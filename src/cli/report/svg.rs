//! The HTML report's charts as inline SVG: a viewBox and no fixed size, so
//! a chart scales to its box down to a phone's width; colours are CSS
//! classes (`html::STYLE`), so a dark theme and print restyle them; each
//! chart is `role="img"` with a `<title>`, and its figures follow it as a
//! table. Plain strings; every text in them is escaped by the caller's
//! `escape`.

use std::fmt::Write;

use super::{
    document::{Chart, Drawing},
    html::escape,
};
use crate::{
    domain::{charts::Commitment, codes},
    format::number,
};

const WIDTH: f64 = 400.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 36.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 28.0;

/// A line to draw: its CSS class and points.
struct Line<'a> {
    class: &'static str,
    points: &'a [(f64, f64)],
}

/// A bar group's bars: CSS class and value; stacked or side by side.
struct Bars {
    label: String,
    values: Vec<(&'static str, f64)>,
}

/// The SVG of `chart`, its ids made unique by `id`.
pub fn chart(chart: &Chart, id: usize) -> String {
    let (drawing, title) = (&chart.drawing, &chart.table.caption);
    let mut svg = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" aria-labelledby=\"chart-{id}\" aria-label=\"{title}\" preserveAspectRatio=\"xMidYMid meet\"><title id=\"chart-{id}\">{title}</title>",
        title = escape(title)
    );
    match drawing {
        Drawing::BurnUp(burn_up) => {
            let lines = [Line { class: "scope", points: &burn_up.scope }, Line { class: "done", points: &burn_up.done }];
            lines_chart(&mut svg, &lines, burn_up.days, (0.0, burn_up.top), &chart.axis);
        }
        Drawing::Velocity(sprints) => {
            let groups = sprints
                .iter()
                .map(|sprint| Bars {
                    label: codes::sprint(sprint.number),
                    values: vec![
                        match sprint.committed {
                            Commitment::Committed(points) => ("committed", f64::from(points)),
                            Commitment::Planned(points) => ("planned", f64::from(points)),
                        },
                        ("done", f64::from(sprint.done)),
                    ],
                })
                .collect();
            bars_chart(&mut svg, groups, false);
        }
        Drawing::Split(sprints) => {
            let groups = sprints
                .iter()
                .map(|sprint| Bars {
                    label: codes::sprint(sprint.number),
                    values: vec![("okr", f64::from(sprint.split.okr_points)), ("bau", f64::from(sprint.split.bau_points))],
                })
                .collect();
            bars_chart(&mut svg, groups, true);
        }
        Drawing::KeyResult(kr) => {
            let lines =
                [Line { class: "expected", points: &kr.series.expected }, Line { class: "actual", points: &kr.series.actual }];
            let days = kr.series.expected.last().map_or(1.0, |(x, _)| *x);
            lines_chart(&mut svg, &lines, days, (kr.series.low, kr.series.high), &chart.axis);
        }
    }
    svg.push_str("</svg>");
    svg
}

fn x_of(x: f64, x_max: f64) -> f64 {
    LEFT + (WIDTH - LEFT - RIGHT) * if x_max > 0.0 { x / x_max } else { 0.0 }
}

fn y_of(y: f64, low: f64, high: f64) -> f64 {
    let span = if high > low { high - low } else { 1.0 };
    HEIGHT - BOTTOM - (HEIGHT - TOP - BOTTOM) * (y - low) / span
}

/// The axes with the y axis's low, middle and high values.
fn axes(svg: &mut String, low: f64, high: f64) {
    let bottom = HEIGHT - BOTTOM;
    let _ = write!(svg, "<path class=\"axis\" d=\"M{LEFT} {TOP}V{bottom}H{right}\"/>", right = WIDTH - RIGHT);
    for value in [low, f64::midpoint(low, high), high] {
        let y = y_of(value, low, high);
        let _ = write!(
            svg,
            "<path class=\"grid\" d=\"M{LEFT} {y:.1}H{right}\"/><text class=\"tick\" x=\"{x}\" y=\"{y:.1}\" text-anchor=\"end\" dominant-baseline=\"middle\">{label}</text>",
            right = WIDTH - RIGHT,
            x = LEFT - 4.0,
            label = escape(&number(value)),
        );
    }
}

fn lines_chart(svg: &mut String, lines: &[Line<'_>], x_max: f64, (low, high): (f64, f64), (first, last): &(String, String)) {
    let high = if high > low { high } else { low + 1.0 };
    axes(svg, low, high);
    let bottom = HEIGHT - BOTTOM;
    for (x, anchor, label) in [(0.0, "start", first), (x_max, "end", last)] {
        let _ = write!(
            svg,
            "<text class=\"tick\" x=\"{:.1}\" y=\"{}\" text-anchor=\"{anchor}\">{}</text>",
            x_of(x, x_max),
            bottom + 16.0,
            escape(label)
        );
    }
    for line in lines {
        let points: Vec<String> =
            line.points.iter().map(|(x, y)| format!("{:.1},{:.1}", x_of(*x, x_max), y_of(*y, low, high))).collect();
        let _ = write!(svg, "<polyline class=\"mark {}\" points=\"{}\"/>", line.class, points.join(" "));
        if let Some((x, y)) = line.points.last() {
            let _ = write!(
                svg,
                "<circle class=\"mark dot {}\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\"/>",
                line.class,
                x_of(*x, x_max),
                y_of(*y, low, high)
            );
        }
    }
}

fn bars_chart(svg: &mut String, groups: Vec<Bars>, stacked: bool) {
    let high = groups
        .iter()
        .map(|group| {
            if stacked {
                group.values.iter().map(|(_, value)| value).sum()
            } else {
                group.values.iter().map(|(_, value)| *value).fold(0.0, f64::max)
            }
        })
        .fold(0.0, f64::max)
        .max(1.0);
    axes(svg, 0.0, high);
    #[allow(clippy::cast_precision_loss)] // a handful of sprints
    let slot = (WIDTH - LEFT - RIGHT) / groups.len().max(1) as f64;
    for (index, group) in groups.iter().enumerate() {
        #[allow(clippy::cast_precision_loss)]
        let left = LEFT + slot * index as f64;
        let bars = if stacked { 1.0 } else { group.values.len().max(1) as f64 };
        let width = slot * 0.7 / bars;
        let mut base = 0.0;
        for (position, (class, value)) in group.values.iter().enumerate() {
            #[allow(clippy::cast_precision_loss)]
            let x = if stacked { left + slot * 0.15 } else { left + slot * 0.15 + width * position as f64 };
            let (from, to) = if stacked { (base, base + value) } else { (0.0, *value) };
            base += value;
            let (top, bottom) = (y_of(to, 0.0, high), y_of(from, 0.0, high));
            let _ = write!(
                svg,
                "<rect class=\"mark {class}\" x=\"{x:.1}\" y=\"{top:.1}\" width=\"{width:.1}\" height=\"{:.1}\"/>",
                bottom - top
            );
        }
        let _ = write!(
            svg,
            "<text class=\"tick\" x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            left + slot / 2.0,
            HEIGHT - BOTTOM + 16.0,
            escape(&group.label)
        );
    }
}
