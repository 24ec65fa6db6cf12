//! A report as Markdown for wikis and chat: ATX headings, pipe tables and
//! lists, which GitHub, Confluence and Slack all render; a chart is its
//! table of figures. Users' text is cleaned as the board cleans it (no
//! control or bidi character survives, a newline shows as `␊`) and every
//! character Markdown or HTML would act on is escaped, so a title cannot
//! open a heading, a table cell, a link, code or a tag.

use std::fmt::Write;

use super::{
    document::{Block, Table, blocks},
    gather::Report,
};
use crate::ui::text::clean;

pub fn render(report: &Report) -> String {
    render_blocks(blocks(report))
}

/// Any report's blocks as Markdown (the roll-up's too).
pub fn render_blocks(blocks: Vec<Block>) -> String {
    let mut out = String::new();
    for block in blocks {
        match block {
            Block::Heading(level, text) => {
                let _ = writeln!(out, "{} {}\n", "#".repeat(usize::from(level)), escape(&text));
            }
            Block::ListHeading(label) => {
                let _ = writeln!(out, "**{}**\n", escape(label));
            }
            Block::Field(label, value) => {
                let _ = writeln!(out, "**{}:** {}\n", escape(label), escape(&value));
            }
            Block::Text(text) => {
                let _ = writeln!(out, "{}\n", escape(&text));
            }
            Block::Warning(text) => {
                let _ = writeln!(out, "> **Warning:** {}\n", escape(&text));
            }
            Block::List(items) => {
                for item in items {
                    let _ = writeln!(out, "- {}", escape(&item));
                }
                out.push('\n');
            }
            Block::Table(table) => table_text(&mut out, &table),
            Block::Chart(chart) => {
                let _ = writeln!(out, "### {}\n", escape(&chart.title));
                table_text(&mut out, &chart.table);
            }
        }
    }
    // One newline at the end, not a blank line.
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out.push('\n');
    out
}

fn table_text(out: &mut String, table: &Table) {
    let _ = writeln!(out, "*{}*\n", escape(&table.caption));
    let row = |cells: &[String]| format!("| {} |", cells.iter().map(|cell| escape(cell)).collect::<Vec<_>>().join(" | "));
    let _ = writeln!(out, "{}", row(&table.header));
    let _ = writeln!(out, "|{}", table.header.iter().map(|_| " --- |").collect::<String>());
    for cells in &table.rows {
        let _ = writeln!(out, "{}", row(cells));
    }
    out.push('\n');
}

/// One line of users' text, safe in a Markdown paragraph, heading, list
/// item or table cell: cleaned, then `& < >` as entities (Slack and HTML
/// read them so) and every character with a meaning in Markdown behind a
/// backslash (a `#` or `>` opening a line, `|` ending a cell, `[`/`]`
/// making a link, `` ` `` code, `*`/`_`/`~` emphasis, `!` an image).
pub fn escape(text: &str) -> String {
    let cleaned = clean(text);
    let mut out = String::with_capacity(cleaned.len());
    let mut chars = cleaned.chars().peekable();
    let mut first = true;
    while let Some(ch) = chars.next() {
        let next = chars.peek().copied();
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            // `#42` is an item's code; `#` before anything else may open
            // or close a heading.
            '#' if next.is_some_and(|next| next.is_ascii_digit()) => out.push('#'),
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '!' | '|' | '~' => {
                out.push('\\');
                out.push(ch);
            }
            // A list's or a numbered list's marker only opens a line.
            '-' | '+' if first && next.is_none_or(char::is_whitespace) => {
                out.push('\\');
                out.push(ch);
            }
            '.' | ')'
                if !out.is_empty() && out.chars().all(|done| done.is_ascii_digit()) && next.is_none_or(char::is_whitespace) =>
            {
                out.push('\\');
                out.push(ch);
            }
            ch => out.push(ch),
        }
        first = false;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markdown_and_html_characters_are_escaped_and_controls_cleaned() {
        assert_eq!(escape("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
        assert_eq!(escape("# a | b #42"), "\\# a \\| b #42");
        assert_eq!(escape("[x](http://e)"), "\\[x\\](http://e)");
        assert_eq!(escape("- a - b"), "\\- a - b");
        assert_eq!(escape("-3 % +4 15.1"), "-3 % +4 15.1");
        assert_eq!(escape("12. a"), "12\\. a");
        assert_eq!(escape("a\u{1b}[31mred\nnext"), "a␛\\[31mred␊next");
        assert_eq!(escape("abc\u{202e}def"), "abc\u{FFFD}def");
    }
}
