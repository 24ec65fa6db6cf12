//! What the Jira and Linear readers share: a CSV file read one record at a
//! time (the `csv` crate handles quoting, CRLF and newlines in cells), its
//! header looked up by name (Jira repeats a name once per value), cells
//! decoded as UTF-8 with the line and column named when they are not, and
//! a cell's quoting gone wrong (a quote never closed, text after a closing
//! quote) reported where it is instead of silently read (see csv_quotes).

use std::{
    collections::VecDeque,
    io::{BufRead, Read},
};

use chrono::NaiveDateTime;

use super::{
    ReadError,
    byte_order_mark::skip_byte_order_mark,
    csv_quotes::{QuoteFault, QuoteScanner},
    dates::csv_date,
};

/// A CSV export being read: its header, and the records still to come.
pub(super) struct Table<R: BufRead> {
    reader: csv::Reader<Counter<R>>,
    pub header: Header,
    /// The record read last, decoded (its buffers reused for the next).
    text: csv::StringRecord,
    /// The line of the record read last, for an error after it.
    last_line: Option<usize>,
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

/// A tool's CSV export as items: the header checked against `expected`,
/// the tool's columns found in it once (`find`), then each record made an
/// item (`item`) as it is read.
pub(super) fn items<'a, R: BufRead + 'a, C: 'a>(
    input: R,
    expected: &Expected,
    find: fn(&Header) -> C,
    item: fn(&C, &Row) -> Result<super::ExternalItem, ReadError>,
) -> Result<super::Items<'a>, ReadError> {
    let mut table = Table::open(input, expected)?;
    let columns = find(&table.header);
    Ok(Box::new(std::iter::from_fn(move || {
        let row = table.next_row()?;
        Some(row.and_then(|row| item(&columns, &row)))
    })))
}

impl<R: BufRead> Table<R> {
    /// Reads the header, checking it is the tool's export.
    pub fn open(mut input: R, expected: &Expected) -> Result<Self, ReadError> {
        skip_byte_order_mark(&mut input);
        let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(Counter {
            inner: input,
            quotes: QuoteScanner::new(),
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
            return Err(ReadError {
                line,
                column: None,
                message: format!(
                    "no `{missing}` column, so this is not {}: export it again as one, or name the tool that made it with --from",
                    expected.what
                ),
            });
        }
        Ok(Self { reader, header, text: csv::StringRecord::new(), last_line: None, finished: false })
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
                Some(Err(csv_error(&error, self.last_line)))
            }
            Ok(false) => {
                self.finished = true;
                None
            }
            Ok(true) => {
                let start = raw.position().map_or(0, csv::Position::byte);
                let line = self.reader.get_mut().line_at(start);
                self.last_line = Some(line);
                if let Some(error) = self.quoting_error(start, line) {
                    self.finished = true;
                    return Some(Err(error));
                }
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

    /// A cell of the record starting at byte `start` whose quoting the
    /// `csv` crate read without a word.
    fn quoting_error(&self, start: u64, line: usize) -> Option<ReadError> {
        let end = self.reader.position().byte();
        let fault = self.reader.get_ref().quotes.fault_within(start, end)?;
        let message = match fault.kind {
            QuoteFault::NeverClosed => {
                "a quote opened in this record is never closed, so the rest of the file \
                 ran into it: close the quote (a quote inside a cell is written twice) or export again"
            }
            QuoteFault::TextAfterClosingQuote => {
                "this cell has text after its closing quote (as in `\"A\"x`): put the whole cell \
                 in quotes and write each quote inside it twice (`\"\"\"A\"\"x\"`), or export again"
            }
        };
        Some(ReadError { line, column: Some(self.header.name(fault.cell).to_owned()), message: message.into() })
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

    /// The date in `position`'s cell, none when empty: for a column the
    /// import keeps, so a cell that is not a date is an error saying which
    /// forms are read.
    pub fn date(&self, position: Option<usize>, written: &DateForms) -> Result<Option<NaiveDateTime>, ReadError> {
        let text = self.cell(position);
        if text.is_empty() {
            return Ok(None);
        }
        csv_date(text).map(Some).ok_or_else(|| self.error(position, written.not_a_date(text)))
    }

    /// The date in a column the import does not keep: one it cannot read
    /// is left out rather than stopping the import.
    pub fn lenient_date(&self, position: Option<usize>) -> Option<NaiveDateTime> {
        csv_date(self.cell(position))
    }

    /// The number in `position`'s cell, none when empty.
    pub fn number(&self, position: Option<usize>) -> Result<Option<f64>, ReadError> {
        let text = self.cell(position);
        if text.is_empty() {
            return Ok(None);
        }
        match text.parse::<f64>() {
            Ok(number) if number.is_finite() && number >= 0.0 => Ok(Some(number)),
            parsed => Err(self.error(position, format!("{}, or leave it empty", super::not_points(text, parsed.ok())))),
        }
    }

    /// An error about the cell in `position`'s column.
    pub fn error(&self, position: Option<usize>, message: String) -> ReadError {
        ReadError { line: self.line, column: position.map(|position| self.header.name(position).to_owned()), message }
    }
}

/// The date forms a tool writes, for a message about a cell that is not one.
pub(super) struct DateForms {
    /// "Jira"
    pub tool: &'static str,
    /// "`12/Oct/26 3:05 PM`, `12/Oct/26 15:05`, `2026-10-12 15:05` and ISO 8601"
    pub forms: &'static str,
}

impl DateForms {
    /// Why `text` is not a date: a month name not in English (`12/Okt/26`),
    /// or a form the tool does not write (`12.10.2026 15:05`).
    fn not_a_date(&self, text: &str) -> String {
        let Self { tool, forms } = self;
        let words = text.to_ascii_uppercase().replace("AM", "").replace("PM", "");
        if words.chars().any(|char| char.is_alphabetic() && char != 'T' && char != 'Z') {
            format!(
                "`{text}` is not a date the import reads: month names are read in English, as {tool} writes \
                 them ({forms}); export again with {tool} set to English, or fix the cell"
            )
        } else {
            format!(
                "`{text}` is not a date form {tool} writes: the import reads {forms}; export again with \
                 {tool}'s default date format, or fix the cell"
            )
        }
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

/// Follows the quoting of the bytes read ([`QuoteScanner`]), and the line
/// a byte is on: the `csv` crate's own line count is one short after each
/// CRLF, and Jira writes CRLF. Only the newlines not yet asked about are
/// kept (at most a buffer's worth), so memory stays flat.
struct Counter<R> {
    inner: R,
    quotes: QuoteScanner,
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
        let start = self.bytes_read;
        if read == 0 {
            self.quotes.finish();
        }
        self.quotes.scan(bytes, start);
        (bytes.iter().enumerate())
            .filter(|(_, byte)| **byte == b'\n')
            .for_each(|(index, _)| self.newlines_ahead.push_back(start + index as u64));
        self.bytes_read += read as u64;
        Ok(read)
    }
}
