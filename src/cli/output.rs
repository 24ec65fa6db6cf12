//! How the command line prints: aligned columns of cleaned text for a
//! person, and JSON for a script. Untrusted text (titles, owners, goals)
//! never reaches a terminal raw: plain output cleans it as the board does
//! (`ui::text::clean`), JSON escapes every control, bidi and invisible
//! character as `\uXXXX`.

use std::{fmt::Display, io::Write};

use unicode_width::UnicodeWidthStr;

use crate::ui::text;

/// Rows of cells printed in columns, each as wide as its widest cell; the
/// last column is not padded.
/// Lines that may carry what users typed (a title in a summary, a warning
/// or an error, a reference echoed back), each cleaned as the board cleans
/// text, so that no escape sequence reaches the terminal raw.
pub fn write_lines(out: &mut impl Write, text: &str) -> std::io::Result<()> {
    for line in text.lines() {
        writeln!(out, "{}", text::clean(line))?;
    }
    Ok(())
}

pub fn write_table(out: &mut impl Write, header: &[&str], rows: &[Vec<String>]) -> std::io::Result<()> {
    let cleaned: Vec<Vec<String>> = std::iter::once(header.iter().map(|cell| (*cell).to_owned()).collect())
        .chain(rows.iter().map(|row| row.iter().map(|cell| text::clean(cell).into_owned()).collect()))
        .collect();
    let mut widths = vec![0; header.len()];
    for row in &cleaned {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.width());
        }
    }
    for row in &cleaned {
        let mut line = String::new();
        for (column, cell) in row.iter().enumerate() {
            if column + 1 == row.len() {
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.extend(std::iter::repeat_n(' ', widths[column] - cell.width() + 2));
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// `write_table` with each row's last column (a title) cut with `…` so
/// that no line is wider than `width` columns.
pub fn write_table_within(out: &mut impl Write, header: &[&str], rows: &[Vec<String>], width: usize) -> std::io::Result<()> {
    let leading = header.len().saturating_sub(1);
    let mut widths = header.iter().map(|cell| cell.width()).collect::<Vec<_>>();
    for row in rows {
        for (column, cell) in row.iter().enumerate().take(leading) {
            widths[column] = widths[column].max(text::clean(cell).width());
        }
    }
    let before_last: usize = widths.iter().take(leading).map(|width| width + 2).sum();
    let room = width.saturating_sub(before_last).max(8);
    let fitted: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            let mut row = row.clone();
            if let Some(last) = row.get_mut(leading) {
                *last = text::fit(last, room);
            }
            row
        })
        .collect();
    write_table(out, header, &fitted)
}

/// Whether JSON text must escape `ch`: what `\"` and `\\` need, and any
/// character a terminal would act on or hide.
fn escaped(ch: char) -> bool {
    let mut buffer = [0; 4];
    let alone: &str = ch.encode_utf8(&mut buffer);
    ch == '"' || ch == '\\' || ch.is_control() || text::clean(alone) != alone
}

/// `text` as a JSON string, quotes included.
pub fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for ch in text.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            ch if escaped(ch) => {
                let mut units = [0u16; 2];
                for unit in ch.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            ch => out.push(ch),
        }
    }
    out.push('"');
    out
}

/// JSON written by serde (which escapes quotes and controls) with every
/// other character a terminal would act on or hide escaped as `\uXXXX`
/// too, as `json_string` does; ASCII (the layout's spaces and line ends)
/// is left as it is.
pub fn json_escape_invisible(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for ch in json.chars() {
        if !ch.is_ascii() && escaped(ch) {
            let mut units = [0u16; 2];
            for unit in ch.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(ch);
        }
    }
    out
}

/// One JSON object, its fields in the order written.
#[derive(Debug, Default)]
pub struct JsonObject {
    text: String,
}

impl JsonObject {
    pub fn new() -> Self {
        Self::default()
    }

    fn key(&mut self, key: &str) {
        self.text.push_str(if self.text.is_empty() { "{" } else { ", " });
        self.text.push_str(&json_string(key));
        self.text.push_str(": ");
    }

    pub fn string(mut self, key: &str, value: &str) -> Self {
        self.key(key);
        self.text.push_str(&json_string(value));
        self
    }

    /// A string, or `null`.
    pub fn optional(mut self, key: &str, value: Option<&str>) -> Self {
        self.key(key);
        self.text.push_str(&value.map_or_else(|| "null".to_owned(), json_string));
        self
    }

    /// A number (finite: the store cleans what it reads).
    pub fn number(mut self, key: &str, value: impl Display) -> Self {
        self.key(key);
        self.text.push_str(&value.to_string());
        self
    }

    pub fn boolean(mut self, key: &str, value: bool) -> Self {
        self.key(key);
        self.text.push_str(if value { "true" } else { "false" });
        self
    }

    /// A value already written as JSON (an object or array made here).
    pub fn raw(mut self, key: &str, json: &str) -> Self {
        self.key(key);
        self.text.push_str(json);
        self
    }

    pub fn strings(mut self, key: &str, values: &[String]) -> Self {
        self.key(key);
        let items: Vec<String> = values.iter().map(|value| json_string(value)).collect();
        self.text.push('[');
        self.text.push_str(&items.join(", "));
        self.text.push(']');
        self
    }

    pub fn finish(mut self) -> String {
        if self.text.is_empty() {
            self.text.push('{');
        }
        self.text.push('}');
        self.text
    }
}

/// A JSON array written one element at a time, so a long list is never
/// held whole: `[`, then each element on a line, then `]`.
pub struct JsonArray<W: Write> {
    out: W,
    written: bool,
}

impl<W: Write> JsonArray<W> {
    pub fn start(mut out: W) -> std::io::Result<Self> {
        out.write_all(b"[")?;
        Ok(Self { out, written: false })
    }

    pub fn push(&mut self, element: &str) -> std::io::Result<()> {
        self.out.write_all(if self.written { b",\n  " } else { b"\n  " })?;
        self.written = true;
        self.out.write_all(element.as_bytes())
    }

    pub fn end(mut self) -> std::io::Result<()> {
        self.out.write_all(if self.written { b"\n]\n" } else { b"]\n" })?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_escapes_quotes_controls_and_bidi_marks_and_keeps_other_text() {
        assert_eq!(json_string("a \"b\" \\ é 漢"), "\"a \\\"b\\\" \\\\ é 漢\"");
        assert_eq!(json_string("\u{1b}[2J\n\u{9b}\u{202e}\u{200b}"), "\"\\u001b[2J\\u000a\\u009b\\u202e\\u200b\"");
    }

    #[test]
    fn a_table_aligns_columns_by_display_width_and_cleans_cells() {
        let mut out = Vec::new();
        let rows = vec![vec!["#1".into(), "漢字".into(), "x".into()], vec!["#10".into(), "a\u{1b}b".into(), "y".into()]];
        write_table(&mut out, &["REF", "TITLE", "END"], &rows).expect("written");
        assert_eq!(String::from_utf8(out).expect("utf-8"), "REF  TITLE  END\n#1   漢字   x\n#10  a␛b    y\n");
    }
}

/// Named strings as one JSON object.
pub fn pairs_json(pairs: &[(&str, String)]) -> String {
    pairs.iter().fold(JsonObject::new(), |object, (name, value)| object.string(name, value)).finish()
}

/// One value of a [`Record`].
#[derive(Debug, Clone, PartialEq)]
pub enum Field {
    Text(String),
    /// JSON `null`; `-` in plain text.
    Null,
    /// A number, as written.
    Number(String),
    List(Vec<String>),
    /// A JSON object of named strings; its values one after the other in plain text.
    Pairs(Vec<(&'static str, String)>),
}

/// One object's fields in order, printed either as `name  value` lines
/// (aligned, cleaned) or as one JSON object: the same fields both ways.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record {
    fields: Vec<(&'static str, Field)>,
}

impl Record {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn text(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.fields.push((name, Field::Text(value.into())));
        self
    }

    pub fn optional(mut self, name: &'static str, value: Option<String>) -> Self {
        self.fields.push((name, value.map_or(Field::Null, Field::Text)));
        self
    }

    pub fn number(mut self, name: &'static str, value: impl Display) -> Self {
        self.fields.push((name, Field::Number(value.to_string())));
        self
    }

    /// An object of named strings (`{"source": "jira-csv", "key": "PROJ-7"}`), or `null`.
    pub fn pairs(mut self, name: &'static str, pairs: Option<Vec<(&'static str, String)>>) -> Self {
        self.fields.push((name, pairs.map_or(Field::Null, Field::Pairs)));
        self
    }

    pub fn list(mut self, name: &'static str, values: Vec<String>) -> Self {
        self.fields.push((name, Field::List(values)));
        self
    }

    pub fn json(&self) -> String {
        let mut object = JsonObject::new();
        for (name, field) in &self.fields {
            object = match field {
                Field::Text(text) => object.string(name, text),
                Field::Null => object.optional(name, None),
                Field::Number(number) => object.number(name, number),
                Field::List(values) => object.strings(name, values),
                Field::Pairs(pairs) => object.raw(name, &pairs_json(pairs)),
            };
        }
        object.finish()
    }

    /// `name  value` lines, the values in one column.
    pub fn write_plain(&self, out: &mut impl Write) -> std::io::Result<()> {
        let width = self.fields.iter().map(|(name, _)| name.len()).max().unwrap_or(0);
        for (name, field) in &self.fields {
            let value = match field {
                Field::Text(text) if text.is_empty() => "-".into(),
                Field::Text(text) => text::clean(text).into_owned(),
                Field::Null => "-".into(),
                Field::Number(number) => number.clone(),
                Field::List(values) if values.is_empty() => "-".into(),
                Field::List(values) => text::clean(&values.join(", ")).into_owned(),
                Field::Pairs(pairs) => {
                    text::clean(&pairs.iter().map(|(_, value)| value.as_str()).collect::<Vec<_>>().join(" ")).into_owned()
                }
            };
            writeln!(out, "{name:width$}  {value}")?;
        }
        Ok(())
    }
}
