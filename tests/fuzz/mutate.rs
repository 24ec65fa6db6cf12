//! Mutations of a valid file's bytes, lines and fields, and a time bound
//! for one case, shared by the readers' fuzz tests.

// Each test file that includes this uses a part of it.
#![allow(dead_code)]

use std::{sync::mpsc, thread, time::Duration};

use proptest::{prelude::*, sample::Index};

/// The longest one case may take before it counts as a hang: reading a
/// file of a few kilobytes takes milliseconds, even in a debug build on a
/// loaded machine.
pub const CASE_LIMIT: Duration = Duration::from_secs(20);

/// Runs `work` on its own thread and gives its answer; a case that has not
/// answered within [`CASE_LIMIT`] fails as a hang, and a panic inside it
/// fails the case with the panic's own message.
pub fn within<T: Send + 'static>(what: &str, work: impl FnOnce() -> T + Send + 'static) -> T {
    let (send, receive) = mpsc::channel();
    let worker = thread::spawn(move || {
        // The receiver is gone only after a hang was reported.
        let _ = send.send(work());
    });
    match receive.recv_timeout(CASE_LIMIT) {
        Ok(value) => value,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{what}: no answer within {CASE_LIMIT:?}: a hang"),
        Err(mpsc::RecvTimeoutError::Disconnected) => match worker.join() {
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(()) => panic!("{what}: the case ended without an answer"),
        },
    }
}

/// Values another tool, an editor's slip or a hostile file may leave in a
/// field: wrong types, out of range, impossible dates, hostile text.
pub const ODD_VALUES: &[&str] = &[
    "-1",
    "0",
    "2.5",
    "-0.0",
    "1e308",
    "99999999999999999999999",
    "nan",
    "inf",
    "\"\"",
    "\"x\"",
    "\"2026-13-45\"",
    "\"2027-02-30\"",
    "\"not a date\"",
    "\"2027-01-04\"",
    "\"1970-01-01\"",
    "\"9999-12-31\"",
    "\"KR9.9\"",
    "\"KR1.1\"",
    "\"\u{1b}[31mred\u{1b}]0;title\u{7}\"",
    "\"\u{202e}reversed\u{2066}\"",
    "\"🇸🇪👩‍👩‍👧漢字\"",
    "[]",
    "[1, 2, 3]",
    "[\"KR1.1\", \"KR1.1\"]",
    "{}",
    "{ a = 1 }",
    "true",
    "\"",
    "'''",
    "=",
];

/// Lines another tool or a careless edit may insert.
pub const ODD_LINES: &[&str] = &[
    "",
    "[quarter]",
    "[[sprints]]",
    "[[items]]",
    "[[objectives]]",
    "[[objectives.key_results]]",
    "[[team]]",
    "[board]",
    "[form]",
    "[nonsense]",
    "unknown_key = 1",
    "title = \"dup\"",
    "weeks = 0",
    "points = -3",
    "capacity = 2.5",
    "start = \"2027-01-04\"",
    "quit = []",
    "quit = [\"q\", \"q\"]",
    "move_down = [\"ctrl-\"]",
    "a = [\"x\"]",
    "\"quoted key\" = \"value",
    "# a comment",
    "\u{feff}",
    "\u{0}",
    ",,,,,",
    "\"a\",\"b\"\"\",\"c",
    "{\"uuid\": 1}",
    "[{",
];

/// One change to a file: a byte, a line, or a field's value.
#[derive(Debug, Clone)]
pub enum Mutation {
    SetByte(Index, u8),
    DeleteByte(Index),
    InsertByte(Index, u8),
    DeleteLine(Index),
    DuplicateLine(Index),
    SwapLines(Index, Index),
    InsertLine(Index, Index),
    /// The value after `=` on a line (TOML), or one cell (CSV: after a
    /// comma), replaced by one of [`ODD_VALUES`].
    ReplaceField(Index, Index, Index),
    /// The file cut short at a byte.
    Truncate(Index),
}

pub fn mutation() -> impl Strategy<Value = Mutation> {
    let index = any::<Index>;
    prop_oneof![
        2 => (index(), any::<u8>()).prop_map(|(at, byte)| Mutation::SetByte(at, byte)),
        1 => index().prop_map(Mutation::DeleteByte),
        1 => (index(), any::<u8>()).prop_map(|(at, byte)| Mutation::InsertByte(at, byte)),
        2 => index().prop_map(Mutation::DeleteLine),
        1 => index().prop_map(Mutation::DuplicateLine),
        1 => (index(), index()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        2 => (index(), index()).prop_map(|(at, line)| Mutation::InsertLine(at, line)),
        4 => (index(), index(), index()).prop_map(|(line, field, value)| Mutation::ReplaceField(line, field, value)),
        1 => index().prop_map(Mutation::Truncate),
    ]
}

/// `bytes` with `mutations` applied in turn.
pub fn mutated(bytes: &[u8], mutations: &[Mutation]) -> Vec<u8> {
    let mut bytes = bytes.to_vec();
    for mutation in mutations {
        let mut lines: Vec<Vec<u8>> = bytes.split(|byte| *byte == b'\n').map(<[u8]>::to_vec).collect();
        match mutation {
            Mutation::SetByte(at, byte) if !bytes.is_empty() => {
                let at = at.index(bytes.len());
                bytes[at] = *byte;
            }
            Mutation::DeleteByte(at) if !bytes.is_empty() => {
                bytes.remove(at.index(bytes.len()));
            }
            Mutation::InsertByte(at, byte) => bytes.insert(at.index(bytes.len() + 1), *byte),
            Mutation::DeleteLine(at) => {
                lines.remove(at.index(lines.len()));
                bytes = lines.join(&b'\n');
            }
            Mutation::DuplicateLine(at) => {
                let at = at.index(lines.len());
                lines.insert(at, lines[at].clone());
                bytes = lines.join(&b'\n');
            }
            Mutation::SwapLines(a, b) => {
                let (a, b) = (a.index(lines.len()), b.index(lines.len()));
                lines.swap(a, b);
                bytes = lines.join(&b'\n');
            }
            Mutation::InsertLine(at, line) => {
                lines.insert(at.index(lines.len() + 1), ODD_LINES[line.index(ODD_LINES.len())].as_bytes().to_vec());
                bytes = lines.join(&b'\n');
            }
            Mutation::ReplaceField(line, field, value) => {
                let at = line.index(lines.len());
                let line = &mut lines[at];
                *line = replaced_field(line, *field, ODD_VALUES[value.index(ODD_VALUES.len())]);
                bytes = lines.join(&b'\n');
            }
            Mutation::Truncate(at) => bytes.truncate(at.index(bytes.len() + 1)),
            Mutation::SetByte(..) | Mutation::DeleteByte(_) => {}
        }
    }
    bytes
}

/// `line` with the value after its `=` (a TOML key's) replaced by `value`,
/// or, on a line without one, one of its comma-separated cells.
fn replaced_field(line: &[u8], field: Index, value: &str) -> Vec<u8> {
    if let Some(equals) = line.iter().position(|byte| *byte == b'=') {
        let mut out = line[..=equals].to_vec();
        out.push(b' ');
        out.extend_from_slice(value.as_bytes());
        return out;
    }
    let mut cells: Vec<Vec<u8>> = line.split(|byte| *byte == b',').map(<[u8]>::to_vec).collect();
    let at = field.index(cells.len());
    cells[at] = value.as_bytes().to_vec();
    cells.join(&b',')
}

/// How many lines `bytes` has, the last one counted even without its newline.
pub fn line_count(bytes: &[u8]) -> usize {
    bytes.iter().filter(|byte| **byte == b'\n').count() + 1
}
