//! `task export`: one JSON array of tasks (Taskwarrior's default), or one
//! JSON object a line (NDJSON, as older versions and hooks write). Read one
//! task at a time: the splitter below finds where each top-level object
//! ends without parsing it, so a large export is never held whole.

use std::io::BufRead;

use serde_json::{Map, Value};

use super::{
    ExternalItem, ExternalNote, Items, ReadError, StatusCategory, byte_order_mark::skip_byte_order_mark, dates::taskwarrior_date,
};

/// Keys read into fields, or Taskwarrior's bookkeeping: everything else is
/// a user-defined attribute (or a date worth keeping) and goes to `extra`.
const NOT_EXTRA: &[&str] = &[
    "uuid",
    "description",
    "status",
    "entry",
    "modified",
    "end",
    "start",
    "project",
    "tags",
    "priority",
    "annotations",
    "depends",
    "id",
    "urgency",
    "mask",
    "imask",
    "parent",
    "rtype",
    "template",
    "last",
];

/// User-defined attributes that hold points.
const POINT_ATTRIBUTES: &[&str] = &["estimate", "points"];

pub(super) fn read<'a>(mut input: impl BufRead + 'a) -> Result<Items<'a>, ReadError> {
    skip_byte_order_mark(&mut input);
    let mut objects = Objects { bytes: input, line: 1, started: false, finished: false };
    let first = objects.next();
    if first.is_none() && !objects.started {
        return Err(ReadError {
            line: 1,
            column: None,
            message: "the file is empty: run `task export > tasks.json` and import that file".into(),
        });
    }
    Ok(Box::new(first.into_iter().chain(objects).map(|object| object.and_then(|(line, bytes)| task(line, &bytes)))))
}

/// The top-level JSON objects of an array or of NDJSON, each with the line
/// it starts on.
struct Objects<R> {
    bytes: R,
    line: usize,
    /// Whether the first thing (`[` or `{`) has been seen.
    started: bool,
    finished: bool,
}

impl<R: BufRead> Objects<R> {
    fn byte(&mut self) -> Result<Option<u8>, ReadError> {
        let line = self.line;
        let buffer = self.bytes.fill_buf().map_err(|error| ReadError {
            line,
            column: None,
            message: format!("the file could not be read ({error}): check it and try again"),
        })?;
        let Some(&byte) = buffer.first() else { return Ok(None) };
        self.bytes.consume(1);
        if byte == b'\n' {
            self.line += 1;
        }
        Ok(Some(byte))
    }

    /// One object's bytes, from its `{` to the `}` that closes it.
    fn object(&mut self, start_line: usize) -> Result<Vec<u8>, ReadError> {
        let mut bytes = vec![b'{'];
        let (mut depth, mut in_string, mut escaped) = (1_usize, false, false);
        while depth > 0 {
            let Some(byte) = self.byte()? else {
                return Err(ReadError {
                    line: start_line,
                    column: None,
                    message: "this task is cut short: the file ends before its `}`; export again with `task export`".into(),
                });
            };
            bytes.push(byte);
            match byte {
                _ if escaped => escaped = false,
                b'\\' if in_string => escaped = true,
                b'"' => in_string = !in_string,
                b'{' | b'[' if !in_string => depth += 1,
                b'}' | b']' if !in_string => depth -= 1,
                _ => {}
            }
        }
        Ok(bytes)
    }
}

impl<R: BufRead> Iterator for Objects<R> {
    type Item = Result<(usize, Vec<u8>), ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.finished {
            return None;
        }
        loop {
            let byte = match self.byte() {
                Ok(Some(byte)) => byte,
                Ok(None) => {
                    self.finished = true;
                    return None;
                }
                Err(error) => {
                    self.finished = true;
                    return Some(Err(error));
                }
            };
            if byte.is_ascii_whitespace() {
                continue;
            }
            let first = !self.started;
            self.started = true;
            match byte {
                b'{' => {
                    let line = self.line;
                    let object = self.object(line).map(|bytes| (line, bytes));
                    self.finished = object.is_err();
                    return Some(object);
                }
                b'[' if first => {}
                b',' | b']' => {}
                other => {
                    self.finished = true;
                    return Some(Err(ReadError {
                        line: self.line,
                        column: None,
                        message: format!(
                            "`{}` where a task `{{` was expected, so this is not the output of `task export`: export it again with `task export`, or name the tool that made it with --from",
                            char::from(other).escape_default()
                        ),
                    }));
                }
            }
        }
    }
}

/// One task's object read into an item.
fn task(line: usize, bytes: &[u8]) -> Result<ExternalItem, ReadError> {
    let at = |offset_line: usize| line + offset_line.saturating_sub(1);
    if let Err(error) = std::str::from_utf8(bytes) {
        let bad_line = at(1 + bytes[..error.valid_up_to()].iter().filter(|byte| **byte == b'\n').count());
        return Err(ReadError {
            line: bad_line,
            column: None,
            message: "this task's text is not UTF-8: export again with `task export`".into(),
        });
    }
    let object: Map<String, Value> = serde_json::from_slice(bytes).map_err(|error| {
        // serde_json counts lines within the task; the line named is the file's.
        let what = error.to_string();
        let location = format!(" at line {} column {}", error.line(), error.column());
        ReadError {
            line: at(error.line()),
            column: None,
            message: format!(
                "this task is not valid JSON ({}): export again with `task export`",
                what.strip_suffix(&location).unwrap_or(&what)
            ),
        }
    })?;
    let field = Field { line, object: &object };
    let key = field.text("uuid")?.unwrap_or_default();
    if key.is_empty() {
        return Err(field.error("uuid", "this task has no `uuid`: export again with `task export`".into()));
    }
    let status = field.text("status")?.unwrap_or_default();
    let started = field.date("start")?.is_some();
    let mut labels = Vec::new();
    if let Some(project) = field.text("project")? {
        labels.push(project);
    }
    for tag in field.list("tags")? {
        if !labels.contains(&tag) {
            labels.push(tag);
        }
    }
    Ok(ExternalItem {
        line,
        title: field.text("description")?.unwrap_or_default(),
        description: String::new(),
        points: field.points()?,
        category: category(&status, started),
        status,
        labels,
        sprints: Vec::new(),
        kind: None,
        parent: None,
        priority: field.text("priority")?,
        // Not kept by the import (docs/import.md): a date it cannot read does not stop it.
        created: field.lenient_date("entry"),
        updated: field.lenient_date("modified"),
        done_at: field.date("end")?,
        notes: field.annotations()?,
        depends: field.list("depends")?,
        extra: extra(&object),
        key,
    })
}

/// Reading a task's keys, with errors that name the key.
struct Field<'t> {
    line: usize,
    object: &'t Map<String, Value>,
}

impl Field<'_> {
    fn error(&self, key: &str, message: String) -> ReadError {
        ReadError { line: self.line, column: Some(key.to_owned()), message }
    }

    fn text(&self, key: &str) -> Result<Option<String>, ReadError> {
        match self.object.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(text)) => Ok(Some(text.clone())),
            Some(other) => Err(self.error(key, format!("`{other}` is not text: `{key}` holds a string in `task export`"))),
        }
    }

    fn date(&self, key: &str) -> Result<Option<chrono::NaiveDateTime>, ReadError> {
        let Some(text) = self.text(key)? else { return Ok(None) };
        taskwarrior_date(&text).map(Some).ok_or_else(|| {
            self.error(key, format!("`{text}` is not a date: Taskwarrior writes `20261012T150500Z`; export again"))
        })
    }

    /// A date the import does not keep: left out when it cannot be read.
    fn lenient_date(&self, key: &str) -> Option<chrono::NaiveDateTime> {
        self.text(key).ok().flatten().as_deref().and_then(taskwarrior_date)
    }

    /// An array of strings, or (before 2.6) one comma-separated string.
    fn list(&self, key: &str) -> Result<Vec<String>, ReadError> {
        match self.object.get(key) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::String(text)) => {
                Ok(text.split(',').map(str::trim).filter(|part| !part.is_empty()).map(str::to_owned).collect())
            }
            Some(Value::Array(values)) => values
                .iter()
                .map(|value| match value {
                    Value::String(text) => Ok(text.clone()),
                    other => Err(self.error(key, format!("`{other}` is not text: `{key}` holds strings"))),
                })
                .collect(),
            Some(other) => Err(self.error(key, format!("`{other}` is not a list: `{key}` holds an array of strings"))),
        }
    }

    /// The `estimate` or `points` attribute, a number or a number as text.
    fn points(&self) -> Result<Option<f64>, ReadError> {
        let Some((key, value)) = POINT_ATTRIBUTES.iter().find_map(|key| self.object.get(*key).map(|value| (*key, value))) else {
            return Ok(None);
        };
        let number = match value {
            Value::Number(number) => number.as_f64(),
            Value::String(text) => text.trim().parse::<f64>().ok(),
            _ => None,
        };
        match number {
            Some(points) if points.is_finite() && points >= 0.0 => Ok(Some(points)),
            number => Err(self.error(key, super::not_points(&value.to_string(), number))),
        }
    }

    /// `annotations`: `[{"entry": date, "description": text}]`.
    fn annotations(&self) -> Result<Vec<ExternalNote>, ReadError> {
        let Some(value) = self.object.get("annotations") else { return Ok(Vec::new()) };
        let Value::Array(annotations) = value else {
            return Err(self.error("annotations", format!("`{value}` is not a list of annotations")));
        };
        annotations
            .iter()
            .map(|annotation| {
                let Value::Object(object) = annotation else {
                    return Err(self.error("annotations", format!("`{annotation}` is not an annotation")));
                };
                let inner = Field { line: self.line, object };
                Ok(ExternalNote {
                    at: inner.date("entry")?,
                    author: String::new(),
                    body: inner.text("description")?.unwrap_or_default(),
                })
            })
            .collect()
    }
}

/// Where a Taskwarrior status falls; a pending task with `start` is being worked on.
fn category(status: &str, started: bool) -> StatusCategory {
    match status {
        "pending" | "waiting" if started => StatusCategory::Doing,
        "pending" | "waiting" => StatusCategory::Todo,
        "recurring" => StatusCategory::RecurringTemplate,
        "completed" => StatusCategory::Done,
        "deleted" => StatusCategory::Deleted,
        _ => StatusCategory::Unknown,
    }
}

/// User-defined attributes and the dates not read into fields, as text.
fn extra(object: &Map<String, Value>) -> Vec<(String, String)> {
    object
        .iter()
        .filter(|(key, _)| !NOT_EXTRA.contains(&key.as_str()))
        .map(|(key, value)| {
            let text = match value {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            (key.clone(), text)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &[u8]) -> Vec<String> {
        read(text).expect("reads").map(|item| item.expect("item").key).collect()
    }

    #[test]
    fn an_array_ndjson_a_bom_and_blank_lines_all_read() {
        assert_eq!(keys(b"\xEF\xBB\xBF[{\"uuid\":\"a\"},{\"uuid\":\"b\"}]"), ["a", "b"]);
        assert_eq!(keys(b"\n{\"uuid\":\"a\"}\n\n{\"uuid\":\"b\"}\n"), ["a", "b"]);
        assert_eq!(keys(b"[]"), Vec::<String>::new());
    }

    #[test]
    fn a_bracket_inside_a_string_or_an_escaped_quote_does_not_end_a_task() {
        let text = br#"[{"uuid":"a","description":"say \"}]\" twice"},{"uuid":"b"}]"#;
        assert_eq!(keys(text), ["a", "b"]);
    }

    #[test]
    fn a_second_opening_bracket_is_not_a_task() {
        let error = read(&b"[[{\"uuid\":\"a\"}]]"[..]).map(|items| items.collect::<Vec<_>>());
        let Ok(results) = error else { panic!("the first token reads") };
        assert!(matches!(&results[..], [Err(ReadError { line: 1, .. })]), "{results:?}");
    }
}
