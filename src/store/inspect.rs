//! Reading a board's SQLite header and write-ahead log by hand.
//!
//! SQLite merges a `-wal` file into the database when its last connection
//! closes, so any connection opened just to ask "is this ours?" could
//! change a file we then refuse. Everything that decides whether a file is
//! opened at all is read here, with plain file reads, before SQLite sees it.
//! The formats are SQLite's documented file format (sqlite.org/fileformat2).

use std::{
    fs::File,
    io::{self, BufReader, Read},
    path::Path,
};

/// The first 100 bytes of page 1: the database header.
pub(super) type Header = [u8; HEADER_LEN];

const HEADER_LEN: usize = 100;
const MAGIC: &[u8; 16] = b"SQLite format 3\0";
const WAL_HEADER_LEN: usize = 32;
const FRAME_HEADER_LEN: usize = 24;
/// WAL magic numbers: checksums over little- or big-endian words.
const WAL_MAGIC_LE: u32 = 0x377f_0682;
const WAL_MAGIC_BE: u32 = 0x377f_0683;

/// What the files say, without SQLite having touched them.
#[derive(Debug)]
pub(super) enum Found {
    /// No bytes at all: a new board.
    Empty,
    /// Shorter than a header, or not starting with SQLite's magic words.
    NotSqlite,
    /// An SQLite file cut short or inconsistent; the words say how.
    Damaged(String),
    /// A sound SQLite header: the newest committed one, from the WAL when it
    /// holds a newer page 1 than the main file.
    Sqlite { header: Box<Header>, wal_has_commits: bool },
}

pub(super) fn be_u32(bytes: &[u8]) -> u32 {
    let mut word = [0_u8; 4];
    word.copy_from_slice(&bytes[..4]);
    u32::from_be_bytes(word)
}

/// The `user_version` and `application_id` fields of a header.
pub(super) fn identity(header: &Header) -> (i64, i32) {
    (i64::from(be_u32(&header[60..]).cast_signed()), be_u32(&header[68..]).cast_signed())
}

pub(super) fn inspect(path: &Path, wal: &Path) -> io::Result<Found> {
    let length = std::fs::metadata(path)?.len();
    let mut header: Header = [0; HEADER_LEN];
    let read = read_full(&mut File::open(path)?, &mut header)?;
    let from_wal = latest_committed_page1(wal)?;
    if length == 0 {
        // A board created by another process may exist only in its WAL so far.
        return Ok(match from_wal {
            Some(WalPage1 { header: Some(header), .. }) => Found::Sqlite { header, wal_has_commits: true },
            _ => Found::Empty,
        });
    }
    if read < HEADER_LEN {
        return Ok(if header.starts_with(MAGIC) {
            Found::Damaged(format!("it is {length} bytes long, shorter than an SQLite header ({HEADER_LEN} bytes)"))
        } else {
            Found::NotSqlite
        });
    }
    if &header[..MAGIC.len()] != MAGIC {
        return Ok(Found::NotSqlite);
    }
    let wal_has_commits = from_wal.is_some();
    // A checkpoint cut short (a full disk, a limit on file size) leaves the
    // main file shorter than its new page 1 says, with every page still in
    // the WAL, which SQLite's next open checkpoints again: not damage.
    if let Some(why) = truncated(&header, length).filter(|_| !wal_has_commits) {
        return Ok(Found::Damaged(why));
    }
    let header = from_wal.and_then(|wal| wal.header).unwrap_or(Box::new(header));
    Ok(Found::Sqlite { header, wal_has_commits })
}

/// Whether the main file is shorter than its own header says. A checkpoint
/// writes pages in page order, page 1 (which counts them) first, so this is
/// damage only when no WAL beside the file holds the pages a checkpoint that
/// failed part way (the disk full) left unwritten.
fn truncated(header: &Header, length: u64) -> Option<String> {
    let page_size = match u32::from(u16::from_be_bytes([header[16], header[17]])) {
        1 => 65_536,
        size => size,
    };
    let pages = be_u32(&header[28..]);
    // The page count is only valid when written with the change counter.
    let valid = pages != 0 && header[24..28] == header[92..96];
    let expected = u64::from(pages) * u64::from(page_size);
    (valid && length < expected).then(|| {
        format!("it is {length} bytes long, but its header says it holds {pages} pages of {page_size} bytes ({expected} bytes)")
    })
}

struct WalPage1 {
    /// Page 1 as of the last commit that wrote it, if any commit did.
    header: Option<Box<Header>>,
}

/// The newest committed page 1 in the WAL, as SQLite's recovery would find
/// it: frames count only while their salts match the WAL header and their
/// running checksum holds, and only up to the last commit frame. `None`
/// when the WAL is missing or holds no committed frame.
fn latest_committed_page1(wal: &Path) -> io::Result<Option<WalPage1>> {
    let file = match File::open(wal) {
        Ok(file) => file,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(error),
    };
    let mut reader = BufReader::new(file);
    let mut head = [0_u8; WAL_HEADER_LEN];
    if read_full(&mut reader, &mut head)? < WAL_HEADER_LEN {
        return Ok(None);
    }
    let big_endian = match be_u32(&head) {
        WAL_MAGIC_LE => false,
        WAL_MAGIC_BE => true,
        _ => return Ok(None),
    };
    let page_size = be_u32(&head[8..]) as usize;
    if !(512..=65_536).contains(&page_size) || !page_size.is_power_of_two() {
        return Ok(None);
    }
    let mut sum = checksum(big_endian, &head[..24], (0, 0));
    if sum != (be_u32(&head[24..]), be_u32(&head[28..])) {
        return Ok(None);
    }
    let mut frame = vec![0_u8; FRAME_HEADER_LEN + page_size];
    let (mut pending, mut committed) = (None, None);
    while read_full(&mut reader, &mut frame)? == frame.len() {
        if frame[8..16] != head[16..24] {
            break;
        }
        sum = checksum(big_endian, &frame[..8], sum);
        sum = checksum(big_endian, &frame[FRAME_HEADER_LEN..], sum);
        if sum != (be_u32(&frame[16..]), be_u32(&frame[20..])) {
            break;
        }
        if be_u32(&frame) == 1 {
            let mut page1: Header = [0; HEADER_LEN];
            page1.copy_from_slice(&frame[FRAME_HEADER_LEN..FRAME_HEADER_LEN + HEADER_LEN]);
            pending = Some(Box::new(page1));
        }
        // A non-zero "database size after commit" marks a commit frame.
        if be_u32(&frame[4..]) != 0 {
            let header = pending.take().or_else(|| committed.take().and_then(|wal: WalPage1| wal.header));
            committed = Some(WalPage1 { header });
        }
    }
    Ok(committed)
}

/// SQLite's WAL checksum, continued from `sum` over `data`.
fn checksum(big_endian: bool, data: &[u8], (mut s0, mut s1): (u32, u32)) -> (u32, u32) {
    let word = |bytes: &[u8]| {
        let bytes = [bytes[0], bytes[1], bytes[2], bytes[3]];
        if big_endian { u32::from_be_bytes(bytes) } else { u32::from_le_bytes(bytes) }
    };
    for pair in data.chunks_exact(8) {
        s0 = s0.wrapping_add(word(&pair[..4])).wrapping_add(s1);
        s1 = s1.wrapping_add(word(&pair[4..])).wrapping_add(s0);
    }
    (s0, s1)
}

/// Reads until `buffer` is full or the file ends; returns the bytes read.
fn read_full(reader: &mut impl Read, buffer: &mut [u8]) -> io::Result<usize> {
    let mut read = 0;
    while read < buffer.len() {
        match reader.read(&mut buffer[read..])? {
            0 => break,
            n => read += n,
        }
    }
    Ok(read)
}
