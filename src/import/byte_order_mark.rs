//! The UTF-8 byte-order mark Jira (and Windows tools) put before a file's
//! first byte: skipped, so the first header name or JSON token reads clean.

use std::io::BufRead;

pub(super) fn skip_byte_order_mark(input: &mut impl BufRead) {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    if input.fill_buf().is_ok_and(|start| start.starts_with(BOM)) {
        input.consume(BOM.len());
    }
}
