//! Quoting the `csv` crate reads without a word: `"A"x` is read as `Ax`,
//! and a quote never closed swallows the rest of the file into one cell
//! (which then shows up as a record with no key, far from the cause). A
//! small scanner follows the same bytes the crate reads and remembers where
//! the quoting went wrong, so the record holding it is reported instead.

/// What went wrong with a cell's quotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum QuoteFault {
    /// Text after a cell's closing quote (`"A"x`).
    TextAfterClosingQuote,
    /// A quote opened and never closed before the end of the file.
    NeverClosed,
}

/// A fault, the byte it was found at and the 0-based cell of its record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Fault {
    pub offset: u64,
    pub cell: usize,
    pub kind: QuoteFault,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    CellStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted cell: doubled, or the cell's end.
    QuoteInQuoted,
}

/// Follows RFC 4180 quoting the way the `csv` crate does (a quote inside
/// an unquoted cell is text, as the crate reads it).
#[derive(Debug)]
pub(super) struct QuoteScanner {
    state: State,
    cell: usize,
    /// Where the open quoted cell began, for [`QuoteFault::NeverClosed`].
    opened: Option<(u64, usize)>,
    /// The first fault not yet reported; reading stops at a fault.
    fault: Option<Fault>,
}

impl QuoteScanner {
    pub fn new() -> Self {
        Self { state: State::CellStart, cell: 0, opened: None, fault: None }
    }

    /// Follows `bytes`, which start at `offset` of the input.
    pub fn scan(&mut self, bytes: &[u8], offset: u64) {
        let mut index = 0;
        while index < bytes.len() {
            // Inside a quoted cell only a quote matters, and inside an
            // unquoted one only a comma or a line end: skip to the next
            // (memchr), as most of a file's bytes are cell text.
            let skipped = match self.state {
                State::Quoted => memchr::memchr(b'"', &bytes[index..]),
                State::Unquoted => memchr::memchr3(b',', b'\n', b'\r', &bytes[index..]),
                _ => Some(0),
            };
            let Some(skipped) = skipped else { break };
            index += skipped;
            let (byte, at) = (bytes[index], offset + index as u64);
            index += 1;
            self.state = match (self.state, byte) {
                (State::Quoted, b'"') => State::QuoteInQuoted,
                (State::Quoted, _) => State::Quoted,
                (State::QuoteInQuoted, b'"') => State::Quoted,
                (State::CellStart, b'"') => {
                    self.opened = Some((at, self.cell));
                    State::Quoted
                }
                (_, b',') => {
                    self.cell += 1;
                    State::CellStart
                }
                (_, b'\n' | b'\r') => {
                    self.cell = 0;
                    State::CellStart
                }
                (State::QuoteInQuoted, _) => {
                    self.note(Fault { offset: at, cell: self.cell, kind: QuoteFault::TextAfterClosingQuote });
                    State::Unquoted
                }
                (State::CellStart | State::Unquoted, _) => State::Unquoted,
            };
        }
    }

    /// Called at the end of the input.
    pub fn finish(&mut self) {
        if self.state == State::Quoted
            && let Some((offset, cell)) = self.opened
        {
            self.note(Fault { offset, cell, kind: QuoteFault::NeverClosed });
        }
    }

    fn note(&mut self, fault: Fault) {
        self.fault.get_or_insert(fault);
    }

    /// The fault within bytes `start..end` of the input, if one was found there.
    pub fn fault_within(&self, start: u64, end: u64) -> Option<Fault> {
        self.fault.filter(|fault| (start..end).contains(&fault.offset))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fault(text: &str) -> Option<Fault> {
        let mut scanner = QuoteScanner::new();
        // In two pieces: a quote may end one read and its pair start the next.
        let middle = text.len() / 2;
        scanner.scan(&text.as_bytes()[..middle], 0);
        scanner.scan(&text.as_bytes()[middle..], middle as u64);
        scanner.finish();
        scanner.fault
    }

    #[test]
    fn well_quoted_cells_have_no_fault() {
        assert_eq!(fault("a,b\r\n\"x, \"\"y\"\"\nz\",c\r\nd,e\"f\n\"\"\n"), None);
    }

    #[test]
    fn text_after_a_closing_quote_is_found_in_its_cell() {
        assert_eq!(fault("a,b\n\"A\"x,c\n"), Some(Fault { offset: 7, cell: 0, kind: QuoteFault::TextAfterClosingQuote }));
    }

    /// Skipping ahead inside cells finds what a byte-by-byte walk finds,
    /// however the input is cut into reads.
    #[test]
    fn skipping_ahead_finds_what_every_cut_into_reads_finds() {
        use proptest::prelude::*;
        let bytes = proptest::collection::vec(prop::sample::select(b"ab,\"\n\r".to_vec()), 0..60);
        proptest!(|(text in bytes, cut in 0usize..60)| {
            let whole = {
                let mut scanner = QuoteScanner::new();
                scanner.scan(&text, 0);
                scanner.finish();
                (scanner.fault, scanner.state, scanner.cell)
            };
            let mut by_byte = QuoteScanner::new();
            for (index, byte) in text.iter().enumerate() {
                by_byte.scan(std::slice::from_ref(byte), index as u64);
            }
            by_byte.finish();
            prop_assert_eq!(whole, (by_byte.fault, by_byte.state, by_byte.cell));
            let cut = cut.min(text.len());
            let mut in_two = QuoteScanner::new();
            in_two.scan(&text[..cut], 0);
            in_two.scan(&text[cut..], cut as u64);
            in_two.finish();
            prop_assert_eq!(whole, (in_two.fault, in_two.state, in_two.cell));
        });
    }

    #[test]
    fn a_quote_never_closed_is_found_where_it_opened() {
        assert_eq!(fault("a,b\n\"Open,c\nx,y\n"), Some(Fault { offset: 4, cell: 0, kind: QuoteFault::NeverClosed }));
        assert_eq!(fault("a,b\nc,\"d\ne,f"), Some(Fault { offset: 6, cell: 1, kind: QuoteFault::NeverClosed }));
    }
}
