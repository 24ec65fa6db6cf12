//! What the Jira and Linear readers share: a CSV file read one record at a
//! time (the `csv` crate handles quoting, CRLF and newlines in cells), its
//! header looked up by name (Jira repeats a name once per value), cells
//! decoded as UTF-8 with the line and column named when they are not, and
//! a quote left open at the end of the file reported instead of silently
//! swallowing the records after it.

use std::{
    collections::VecDeque,
    io::{BufRead, Read},
};

use chrono::NaiveDateTime;

use super::{ReadError, byte_order_mark::skip_byte_order_mark, dates::csv_date};

/// A CSV export being read: its header, and the records still to come.
pub(super) struct Table<R: BufRead> {
    reader: csv::Reader<Counter<R>>,
    pub header: Header,
    /// The record read last, decoded (its buffers reused for the next).
    text: csv::StringRecord,
    /// The line and last cell of the record read last, for an open quote at the end.
    last_record: Option<(usize, usize)>,
    finished: bool,
}

/// The header's names by position; a name may appear several times.
pub(super) struct Header {
    names: Vec<String>,
}

/// One record, its cells decoded; missing trailing cells read as empty.
pub(super) struct Row<'t> {
    pub line: usize,
    record: &'t csv::StringRecord,
    header: &'t Header,
}

/// How a tool's export is recognised, and what to say when it is not.
pub(super) struct Expected<'t> {
    /// "a Jira CSV export (all fields)"
    pub what: &'t str,
    /// Columns every export of the tool has.
    pub required: &'t [&'t str],
}

impl<R: BufRead> Table<R> {
    /// Reads the header, checking it is the tool's export.
    pub fn open(mut input: R, expected: &Expected) -> Result<Self, ReadError> {
        skip_byte_order_mark(&mut input);
        let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(Counter {
            inner: input,
            quotes: 0,
            bytes_read: 0,
            newlines_ahead: VecDeque::new(),
            lines_behind: 0,
        });
        let mut record = csv::ByteRecord::new();
        let has_header = reader.read_byte_record(&mut record).map_err(|error| csv_error(&error, None))?;
        let empty = || ReadError {
            line: 1,
            column: None,
            message: format!("the file is empty: export it again as {} and import that file", expected.what),
        };
        if !has_header || record.iter().all(|cell| cell.iter().all(u8::is_ascii_whitespace)) {
            return Err(empty());
        }
        let line = record.position().map_or(1, |position| reader.get_mut().line_at(position.byte()));
        let names = record
            .iter()
            .enumerate()
            .map(|(index, cell)| {
                String::from_utf8(cell.to_vec()).map(|name| name.trim().to_owned()).map_err(|_| ReadError {
                    line,
                    column: Some(format!("{}", index + 1)),
                    message: "the header is not UTF-8 text: export the file again as UTF-8".into(),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let header = Header { names };
        if let Some(missing) = expected.required.iter().find(|name| header.position(name).is_none()) {
            return Err(ReadError { line, column: None, message: format!("no `{missing}` column: is this {}?", expected.what) });
        }
        Ok(Self { reader, header, text: csv::StringRecord::new(), last_record: None, finished: false })
    }

    /// The next record, or where and why it cannot be read.
    pub fn next_row(&mut self) -> Option<Result<Row<'_>, ReadError>> {
        if self.finished {
            return None;
        }
        // The decoded record's buffers are reused for the next one.
        let mut raw = std::mem::take(&mut self.text).into_byte_record();
        match self.reader.read_byte_record(&mut raw) {
            Err(error) => {
                self.finished = true;
                Some(Err(csv_error(&error, self.last_record.map(|(line, _)| line))))
            }
            Ok(false) => {
                self.finished = true;
                self.open_quote_at_end().map(Err)
            }
            Ok(true) => {
                let line = raw.position().map_or(1, |position| self.reader.get_mut().line_at(position.byte()));
                self.last_record = Some((line, raw.len().saturating_sub(1)));
                Some(self.decode(raw, line))
            }
        }
    }

    fn decode(&mut self, raw: csv::ByteRecord, line: usize) -> Result<Row<'_>, ReadError> {
        let header = &self.header;
        if raw.len() > header.names.len() {
            return Err(ReadError {
                line,
                column: None,
                message: format!(
                    "this record has {} cells where the header has {}: a quote or comma is out of place \
                     here; export the file again, or fix the record",
                    raw.len(),
                    header.names.len()
                ),
            });
        }
        match csv::StringRecord::from_byte_record(raw) {
            Ok(text) => self.text = text,
            Err(error) => {
                return Err(ReadError {
                    line,
                    column: Some(header.name(error.utf8_error().field()).to_owned()),
                    message: "this cell is not UTF-8 text: export the file again as UTF-8".into(),
                });
            }
        }
        Ok(Row { line, record: &self.text, header: &self.header })
    }

    /// An odd count of quotes in the whole file means one was opened and
    /// never closed: the last record then holds the rest of the file.
    fn open_quote_at_end(&self) -> Option<ReadError> {
        if self.reader.get_ref().quotes.is_multiple_of(2) {
            return None;
        }
        let (line, last_cell) = self.last_record.unwrap_or((1, 0));
        Some(ReadError {
            line,
            column: Some(self.header.name(last_cell).to_owned()),
            message: "a quote opened in this record is never closed, so the rest of the file \
                      ran into it: close the quote (a quote inside a cell is written twice) or export again"
                .into(),
        })
    }
}

impl Header {
    /// The first column of that name.
    pub fn position(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|candidate| candidate.eq_ignore_ascii_case(name))
    }

    /// Every column of that name, in file order (Jira's repeated headers).
    pub fn positions(&self, name: &str) -> Vec<usize> {
        (self.names.iter().enumerate())
            .filter(|(_, candidate)| candidate.eq_ignore_ascii_case(name))
            .map(|(index, _)| index)
            .collect()
    }

    /// The first of `names` the file has.
    pub fn first_of(&self, names: &[&str]) -> Option<usize> {
        names.iter().find_map(|name| self.position(name))
    }

    pub fn name(&self, position: usize) -> &str {
        self.names.get(position).map_or("", String::as_str)
    }
}

impl<'t> Row<'t> {
    /// The trimmed cell at `position`; empty when the file has no such
    /// column or the record ends before it.
    pub fn cell(&self, position: Option<usize>) -> &str {
        position.and_then(|position| self.record.get(position)).map_or("", str::trim)
    }

    /// The cell at `position` when it is not empty.
    pub fn filled(&self, position: Option<usize>) -> Option<String> {
        Some(self.cell(position)).filter(|cell| !cell.is_empty()).map(str::to_owned)
    }

    /// `(name, cell)` for each of `fields` whose cell is not empty: the
    /// other fields an item keeps.
    pub fn named_cells(&self, fields: &[(&str, Option<usize>)]) -> Vec<(String, String)> {
        (fields.iter()).filter_map(|(name, position)| Some(((*name).to_owned(), self.filled(*position)?))).collect()
    }

    /// Multi-line text as the tool holds it, its line ends made `\n`.
    pub fn text_block(&self, position: Option<usize>) -> String {
        self.cell(position).replace("\r\n", "\n")
    }

    /// The non-empty cells at `positions`, in order.
    pub fn cells<'r>(&'r self, positions: &'r [usize]) -> impl Iterator<Item = &'r str> + 'r {
        positions.iter().map(|position| self.cell(Some(*position))).filter(|cell| !cell.is_empty())
    }

    /// The date in `position`'s cell, none when empty; `forms` says what
    /// the tool writes when the cell is not a date.
    pub fn date(&self, position: Option<usize>, forms: &str) -> Result<Option<NaiveDateTime>, ReadError> {
        let text = self.cell(position);
        if text.is_empty() {
            return Ok(None);
        }
        csv_date(text).map(Some).ok_or_else(|| self.error(position, format!("`{text}` is not a date: {forms}")))
    }

    /// The number in `position`'s cell, none when empty.
    pub fn number(&self, position: Option<usize>) -> Result<Option<f64>, ReadError> {
        let text = self.cell(position);
        if text.is_empty() {
            return Ok(None);
        }
        match text.parse::<f64>() {
            Ok(number) if number.is_finite() && number >= 0.0 => Ok(Some(number)),
            _ => Err(self.error(
                position,
                format!("`{text}` is not a number of points: write a number such as 3 or 0.5, or leave it empty"),
            )),
        }
    }

    /// An error about the cell in `position`'s column.
    pub fn error(&self, position: Option<usize>, message: String) -> ReadError {
        ReadError { line: self.line, column: position.map(|position| self.header.name(position).to_owned()), message }
    }
}

/// Pushes `value` unless it is already there: labels count once.
pub(super) fn push_once(list: &mut Vec<String>, value: &str) {
    if !value.is_empty() && !list.iter().any(|kept| kept == value) {
        list.push(value.to_owned());
    }
}

fn csv_error(error: &csv::Error, fallback_line: Option<usize>) -> ReadError {
    let line =
        error.position().map(|position| usize::try_from(position.line()).unwrap_or(usize::MAX)).or(fallback_line).unwrap_or(1);
    let message = match error.kind() {
        csv::ErrorKind::Io(io) => format!("the file could not be read ({io}): check it and try again"),
        _ => format!("this record cannot be read as CSV ({error}): export the file again"),
    };
    ReadError { line, column: None, message }
}

/// Counts the quotes read, for [`Table::open_quote_at_end`], and the line
/// a byte is on: the `csv` crate's own line count is one short after each
/// CRLF, and Jira writes CRLF. Only the newlines not yet asked about are
/// kept (at most a buffer's worth), so memory stays flat.
struct Counter<R> {
    inner: R,
    quotes: usize,
    bytes_read: u64,
    newlines_ahead: VecDeque<u64>,
    lines_behind: usize,
}

impl<R> Counter<R> {
    /// The 1-based line of the record starting at `offset` (after CRLF, csv
    /// starts the next record at the `\n`); offsets asked for only grow.
    fn line_at(&mut self, offset: u64) -> usize {
        while self.newlines_ahead.front().is_some_and(|newline| *newline <= offset) {
            self.newlines_ahead.pop_front();
            self.lines_behind += 1;
        }
        self.lines_behind + 1
    }
}

impl<R: Read> Read for Counter<R> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(buffer)?;
        let bytes = &buffer[..read];
        self.quotes += bytes.iter().filter(|byte| **byte == b'"').count();
        let start = self.bytes_read;
        (bytes.iter().enumerate())
            .filter(|(_, byte)| **byte == b'\n')
            .for_each(|(index, _)| self.newlines_ahead.push_back(start + index as u64));
        self.bytes_read += read as u64;
        Ok(read)
    }
}
