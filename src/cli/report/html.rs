//! A report as one self-contained HTML page: inline CSS, inline SVG charts
//! (`svg`), no script, nothing loaded from elsewhere; a Content Security
//! Policy that forbids all else says so to the browser too. Light and dark
//! follow `prefers-color-scheme`; `@media print` prints on white; the page
//! fits a phone's 390 px (charts scale, a table of four columns or more,
//! or with titles, turns each row into a card; another scrolls in its own
//! box). Users' text is cleaned as the board cleans it and escaped.

use std::fmt::Write;

use super::{
    document::{Block, Chart, Drawing, Table, blocks},
    gather::Report,
    svg,
};
use crate::ui::text::clean;

/// No script, no fetch: styles inline, images only as data.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const STYLE: &str = "
:root{color-scheme:light dark;--bg:#fff;--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--head:#f6f8fa;
--c1:#0a64c8;--c2:#1a7f37;--c3:#9a6700;--c4:#8250df;--warn-bg:#fff8c5;--warn:#7d4e00}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9da7b3;--line:#30363d;--head:#161b22;
--c1:#58a6ff;--c2:#3fb950;--c3:#d29922;--c4:#bc8cff;--warn-bg:#3b2e00;--warn:#f2cc60}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:60rem;padding:1rem;background:var(--bg);color:var(--fg);
font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;overflow-wrap:anywhere}
h1{font-size:1.6rem;margin:.5rem 0}h2{font-size:1.3rem;border-bottom:1px solid var(--line);padding-bottom:.2rem;margin-top:2rem}
h3{font-size:1.1rem;margin-top:1.5rem}h4{font-size:1rem}
.meta{color:var(--muted)}
.warning{background:var(--warn-bg);color:var(--warn);border-left:4px solid var(--c3);padding:.5rem .75rem}
.table{overflow-x:auto;max-width:100%;margin:.5rem 0 1rem}
table{border-collapse:collapse;font-size:.9rem;overflow-wrap:normal}
caption{text-align:left;color:var(--muted);padding:.25rem 0;caption-side:top}
th,td{border:1px solid var(--line);padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:var(--head);white-space:nowrap}
td.n{white-space:nowrap;text-align:right;font-variant-numeric:tabular-nums}
figure{margin:0;min-width:0}figure h3{margin:.5rem 0}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));gap:1rem 1.5rem;margin:.5rem 0 1rem}
svg.chart{display:block;width:100%;height:auto;max-height:22rem}
.axis{stroke:var(--muted);fill:none}.grid{stroke:var(--line);fill:none;stroke-dasharray:2 3}
.tick{fill:var(--muted);font-size:12px}
polyline.mark{fill:none;stroke-width:2.5}
.scope{stroke:var(--c1);fill:var(--c1)}.done{stroke:var(--c2);fill:var(--c2)}
.committed{stroke:var(--c1);fill:var(--c1)}.planned{stroke:var(--c1);fill:var(--c1);fill-opacity:.25;stroke-dasharray:4 3}.okr{stroke:var(--c4);fill:var(--c4)}.bau{stroke:var(--c3);fill:var(--c3)}
.expected{stroke:var(--muted);fill:var(--muted);stroke-dasharray:6 4}.actual{stroke:var(--c1);fill:var(--c1)}
polyline.expected,polyline.actual,polyline.scope,polyline.done{fill:none}
.legend{display:flex;flex-wrap:wrap;gap:.25rem 1rem;font-size:.9rem;color:var(--muted);margin:.25rem 0}
.swatch{display:inline-block;width:.9rem;height:.9rem;vertical-align:-.1rem;margin-right:.3rem;border-radius:2px}
.swatch.expected{height:3px;vertical-align:.2rem;background:repeating-linear-gradient(90deg,var(--muted) 0 4px,transparent 4px 7px)}
.swatch.scope,.swatch.committed,.swatch.actual{background:var(--c1)}.swatch.done{background:var(--c2)}
.swatch.planned{box-sizing:border-box;border:2px dashed var(--c1)}.swatch.okr{background:var(--c4)}.swatch.bau{background:var(--c3)}
details{margin:.25rem 0}summary{cursor:pointer;color:var(--muted)}
@media (max-width:36rem){table.cards,table.cards tbody,table.cards tr,table.cards td{display:block;width:100%}
table.cards caption{display:block}table.cards thead{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}
table.cards tr{border:1px solid var(--line);border-radius:4px;margin:.5rem 0;padding:.25rem .5rem}
table.cards td,table.cards td.n{border:0;padding:.1rem 0;text-align:left;white-space:normal;overflow-wrap:anywhere}
table.cards td::before{content:attr(data-label) \": \";color:var(--muted);font-weight:600}}
@media print{:root{--bg:#fff;--fg:#000;--muted:#444;--line:#999;--head:#eee;--warn-bg:#fff;--warn:#000}
body{max-width:none;font-size:11pt}figure,table{break-inside:avoid}h2,h3{break-after:avoid}details>summary{display:none}}
";

pub fn render(report: &Report) -> String {
    render_page(&report.title(), blocks(report))
}

/// Any report's blocks as one page titled `title` (the roll-up's too).
pub fn render_page(title: &str, blocks: Vec<Block>) -> String {
    let mut body = String::new();
    let mut charts = 0;
    let mut in_grid = false;
    for block in blocks {
        // Charts side by side where there is room: a run of them shares a grid.
        let chart = matches!(block, Block::Chart(_));
        if chart != in_grid {
            body.push_str(if chart { "<div class=\"charts\">\n" } else { "</div>\n" });
            in_grid = chart;
        }
        match block {
            Block::Heading(level, text) => {
                let _ = writeln!(body, "<h{level}>{}</h{level}>", escape(&text));
            }
            Block::ListHeading(label) => {
                let _ = writeln!(body, "<p><strong>{}</strong></p>", escape(label));
            }
            Block::Field(label, value) => {
                let _ = writeln!(body, "<p><strong>{}:</strong> {}</p>", escape(label), escape(&value));
            }
            Block::Text(text) => {
                let _ = writeln!(body, "<p class=\"meta\">{}</p>", escape(&text));
            }
            Block::Warning(text) => {
                let _ = writeln!(body, "<p class=\"warning\" role=\"note\">{}</p>", escape(&text));
            }
            Block::List(items) => {
                body.push_str("<ul>");
                for item in items {
                    let _ = write!(body, "<li>{}</li>", escape(&item));
                }
                body.push_str("</ul>\n");
            }
            Block::Table(table) => table_html(&mut body, &table),
            Block::Chart(chart) => {
                charts += 1;
                chart_html(&mut body, &chart, charts);
            }
        }
    }
    if in_grid {
        body.push_str("</div>\n");
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{CONTENT_SECURITY_POLICY}\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"color-scheme\" content=\"light dark\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n",
        escape(title)
    )
}

/// What a chart's colours mean.
fn legend(drawing: &Drawing) -> &'static [(&'static str, &'static str)] {
    match drawing {
        Drawing::BurnUp(_) => &[("scope", "Scope"), ("done", "Done")],
        Drawing::Velocity(_) => &[("committed", "Committed"), ("planned", "Planned (not started)"), ("done", "Done")],
        Drawing::Split(_) => &[("okr", "OKR points"), ("bau", "BAU points")],
        Drawing::KeyResult(_) => &[("actual", "Check-ins"), ("expected", "Expected line")],
    }
}

fn chart_html(body: &mut String, chart: &Chart, id: usize) {
    let _ = write!(body, "<figure><h3>{}</h3>", escape(&chart.title));
    body.push_str(&svg::chart(chart, id));
    body.push_str("<figcaption class=\"legend\">");
    for (class, name) in legend(&chart.drawing) {
        let _ = write!(body, "<span><span class=\"swatch {class}\"></span>{name}</span>");
    }
    body.push_str("</figcaption><details><summary>The chart's figures</summary>");
    table_html(body, &chart.table);
    body.push_str("</details></figure>\n");
}

/// Tables of four columns or more, and those with titles: on a phone each
/// row is a card of `column: value` lines, so no column (an item's title)
/// is squeezed to a few letters. Other tables fit as they are.
const CARDS_FROM_COLUMNS: usize = 4;

fn table_html(body: &mut String, table: &Table) {
    let as_cards = table.header.len() >= CARDS_FROM_COLUMNS || table.header.iter().any(|name| name == "Title");
    let cards = if as_cards { " class=\"cards\"" } else { "" };
    let _ = write!(body, "<div class=\"table\"><table{cards}><caption>{}</caption><thead><tr>", escape(&table.caption));
    for name in &table.header {
        let _ = write!(body, "<th scope=\"col\">{}</th>", escape(name));
    }
    body.push_str("</tr></thead><tbody>");
    for row in &table.rows {
        body.push_str("<tr>");
        for (cell, name) in row.iter().zip(&table.header) {
            let numeric = cell.starts_with(|ch: char| ch.is_ascii_digit() || ch == '+' || ch == '-') && cell.len() < 16;
            let class = if numeric { " class=\"n\"" } else { "" };
            // The column's name, which a phone's card shows before the value.
            let label = if as_cards { format!(" data-label=\"{}\"", escape(name)) } else { String::new() };
            let _ = write!(body, "<td{class}{label}>{}</td>", escape(cell));
        }
        body.push_str("</tr>");
    }
    body.push_str("</tbody></table></div>\n");
}

/// Users' text, safe anywhere in the page, in an attribute too: cleaned as
/// the board cleans it (control and bidi characters made visible or
/// dropped), then `& < > " '` as entities.
pub fn escape(text: &str) -> String {
    let cleaned = clean(text);
    let mut out = String::with_capacity(cleaned.len());
    for ch in cleaned.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            ch => out.push(ch),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn html_characters_are_escaped_and_controls_cleaned() {
        assert_eq!(
            escape("<script>alert('x\"')</script> & co"),
            "&lt;script&gt;alert(&#39;x&quot;&#39;)&lt;/script&gt; &amp; co"
        );
        assert_eq!(escape("a\u{1b}[31m\u{202e}b"), "a␛[31m\u{FFFD}b");
    }
}
