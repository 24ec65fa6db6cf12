//! Board files that are not boards, or not whole: every opener (the board,
//! the presentation, the command line's reads) refuses them with exit code
//! 2, names the file and says what to do, and leaves every file as it was.

use std::{fs, os::unix::fs::PermissionsExt, path::Path};

use super::harness::{Folder, Screen, assert_clean, assert_message, assert_unchanged, runs_as_root};

/// The file at `name` in `folder`, opened by the board (in a terminal), the
/// presentation and two reads: each exits 2, naming the file and saying
/// each of `says`, and the folder is byte-identical afterwards.
fn refused_by_every_opener(folder: &Folder, name: &str, says: &[&str]) {
    let board = folder.file(name);
    let before = folder.snapshot();
    for args in [&["list", "items"][..], &["show", "#1"], &["check"], &["present"]] {
        let ran = folder.run(&board, args);
        assert_eq!(ran.code, Some(2), "{args:?} on {name}: {}", ran.all());
        assert_message(&ran.stderr, &[name], says, &format!("{args:?} on {name}"));
        assert_unchanged(folder, &before, &format!("{args:?} on {name}"));
    }
    let mut screen = Screen::start(folder, &board, &[], (80, 24), &[]);
    let code = screen.wait_exit();
    assert_eq!(code, 2, "the board on {name}: {}", screen.raw_text());
    assert_message(&screen.raw_text(), &[name], says, &format!("the board on {name}"));
    assert_unchanged(folder, &before, &format!("the board on {name}"));
}

pub fn a_text_file() {
    let folder = Folder::new();
    fs::write(folder.file("notes.txt"), "Buy milk\nCall Sam\n").unwrap();
    refused_by_every_opener(&folder, "notes.txt", &["not a Quarterdeck board", "--db"]);
}

pub fn a_png_image() {
    let folder = Folder::new();
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.resize(4096, 0);
    fs::write(folder.file("logo.png"), png).unwrap();
    refused_by_every_opener(&folder, "logo.png", &["not a Quarterdeck board", "--db"]);
}

pub fn another_programs_sqlite() {
    let folder = Folder::new();
    let conn = rusqlite::Connection::open(folder.file("places.sqlite")).unwrap();
    conn.execute_batch("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT); INSERT INTO moz_places (url) VALUES ('x');")
        .unwrap();
    drop(conn);
    refused_by_every_opener(&folder, "places.sqlite", &["another program", "--db"]);
}

pub fn a_truncated_board() {
    let folder = Folder::new();
    let board = folder.demo_board();
    let bytes = fs::read(&board).unwrap();
    fs::write(&board, &bytes[..bytes.len() / 2]).unwrap();
    refused_by_every_opener(&folder, "board.sqlite3", &["damaged", "backup"]);
}

pub fn a_board_of_a_newer_quarterdeck() {
    let folder = Folder::new();
    let board = folder.demo_board();
    let conn = rusqlite::Connection::open(&board).unwrap();
    conn.execute_batch("PRAGMA user_version = 99; PRAGMA journal_mode = DELETE;").unwrap();
    drop(conn);
    refused_by_every_opener(&folder, "board.sqlite3", &["newer"]);
}

/// 0 bytes: SQLite's empty database, so the board offers to start one
/// (its welcome names the file) and makes it only when asked; the readers
/// refuse it (exit 2) and say how to make one.
pub fn an_empty_file() {
    let folder = Folder::new();
    let board = folder.file("board.sqlite3");
    fs::write(&board, "").unwrap();
    let before = folder.snapshot();
    for args in [&["list", "items"][..], &["present"]] {
        let ran = folder.run(&board, args);
        assert_eq!(ran.code, Some(2), "{args:?}: {}", ran.all());
        assert_message(&ran.stderr, &["board.sqlite3"], &["holds no board yet", "make one"], &format!("{args:?}"));
        assert_unchanged(&folder, &before, &format!("{args:?}"));
    }
    let mut screen = Screen::start(&folder, &board, &[], (100, 30), &[]);
    screen.wait_for("This board is empty");
    screen.wait_for("board.sqlite3");
    screen.press("q");
    assert_eq!(screen.wait_exit(), 0);
    assert_clean(&screen.raw_text(), "the board on an empty file");
}

pub fn a_folder_given_as_the_board() {
    let folder = Folder::new();
    fs::create_dir(folder.file("board.sqlite3")).unwrap();
    refused_by_every_opener(&folder, "board.sqlite3", &["folder", "--db"]);
}

pub fn a_fifo_given_as_the_board() {
    let folder = Folder::new();
    let fifo = folder.file("board.sqlite3");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    // Opening a FIFO for reading waits for a writer: the deadline of every
    // run turns such a hang into a failure.
    refused_by_every_opener(&folder, "board.sqlite3", &["not a regular file", "--db"]);
}

pub fn a_dangling_symlink() {
    let folder = Folder::new();
    std::os::unix::fs::symlink(folder.file("moved-away.sqlite3"), folder.file("board.sqlite3")).unwrap();
    refused_by_every_opener(&folder, "board.sqlite3", &["symbolic link", "does not exist", "--db"]);
}

/// 16 bytes flipped in the middle of one page, for every page whose damage
/// SQLite's `integrity_check` reports: a read says the file is damaged
/// (exit 2) or lists what is whole (exit 0), never exit 1 or SQLite's own
/// words; the board opens read-only or is refused, and no file changes,
/// not even by `q` saving the screen state.
pub fn flipped_bytes_in_each_page() {
    let source = Folder::new();
    let clean = fs::read(source.demo_board()).unwrap();
    let page_size = usize::from(u16::from_be_bytes([clean[16], clean[17]]));
    let pages = clean.len() / page_size;
    let damaged_pages: Vec<usize> = (1..pages).filter(|page| integrity_fails(&flip(&clean, *page, page_size))).collect();
    assert!(damaged_pages.len() > 5, "integrity_check notices damage in a few pages at least: {damaged_pages:?}");
    let failures: Vec<String> = std::thread::scope(|scope| {
        let workers: Vec<_> = damaged_pages
            .chunks(damaged_pages.len().div_ceil(4))
            .map(|chunk| {
                let clean = &clean;
                scope.spawn(move || {
                    chunk
                        .iter()
                        .filter_map(|page| one_damaged_page(&flip(clean, *page, page_size), *page).err())
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers.into_iter().flat_map(|worker| worker.join().unwrap()).collect()
    });
    assert!(failures.is_empty(), "{} of {} damaged pages:\n{}", failures.len(), damaged_pages.len(), failures.join("\n"));
}

fn flip(clean: &[u8], page: usize, page_size: usize) -> Vec<u8> {
    let mut bytes = clean.to_vec();
    let middle = page * page_size + page_size / 2;
    bytes[middle..middle + 16].iter_mut().for_each(|byte| *byte ^= 0xa5);
    bytes
}

fn integrity_fails(bytes: &[u8]) -> bool {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("probe.sqlite3");
    fs::write(&path, bytes).unwrap();
    let Ok(conn) = rusqlite::Connection::open(&path) else { return true };
    let verdict: Result<String, _> = conn.query_row("PRAGMA integrity_check", [], |row| row.get(0));
    verdict.map_or(true, |verdict| verdict != "ok")
}

fn one_damaged_page(bytes: &[u8], page: usize) -> Result<(), String> {
    let folder = Folder::new();
    let board = folder.file("board.sqlite3");
    fs::write(&board, bytes).unwrap();
    let before = folder.snapshot();
    let ran = folder.run(&board, &["list", "items"]);
    let said = ran.all();
    // A read that meets the damage says so (exit 2); one whose rows are
    // whole may list them (exit 0). Never exit 1, never SQLite's words.
    let called_damaged = ran.code == Some(2) && said.contains("board.sqlite3") && said.contains("damaged");
    if !called_damaged && ran.code != Some(0) {
        return Err(format!(
            "page {page}: `list items` exit {:?}, not 2 naming the damaged file: {}",
            ran.code,
            first_line(&said)
        ));
    }
    if ["Error code", "invalid utf-8", "Invalid column type", "Conversion error"].iter().any(|raw| said.contains(raw)) {
        return Err(format!("page {page}: raw SQLite error: {}", first_line(&said)));
    }
    let mut screen = Screen::start(&folder, &board, &[], (100, 30), &[]);
    // The first frame, or the refusal; then `q`, which saves the screen state
    // on a healthy board.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while std::time::Instant::now() < deadline
        && !screen.contents().contains("board.sqlite3")
        && !screen.raw_text().contains("quarterdeck:")
    {
        std::thread::sleep(std::time::Duration::from_millis(30));
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    screen.press("q");
    let code = screen.wait_exit();
    let printed = screen.raw_text();
    if code == 1 || printed.contains("Error code") {
        return Err(format!("page {page}: the board exit {code}: {}", first_line(&printed)));
    }
    if !printed.contains("board.sqlite3") {
        return Err(format!("page {page}: the board never named the damaged file (exit {code})"));
    }
    if folder.snapshot() != before {
        return Err(format!("page {page}: the board changed the folder (exit {code})"));
    }
    Ok(())
}

fn first_line(text: &str) -> &str {
    text.lines().find(|line| !line.trim().is_empty()).unwrap_or("")
}

/// A read-only file, or a file in a read-only folder: opened read-only,
/// never written. As root (CI) the board runs as `nobody`, since root may
/// write whatever the mode bits say.
fn read_only(read_only_folder: bool) {
    let folder = Folder::new();
    let board = folder.demo_board();
    let mode = |path: &Path, mode: u32| fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
    let root = runs_as_root();
    let prefix: &[&str] = if root { &["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] } else { &[] };
    // `nobody` must reach the folders: a temporary folder is made 0700.
    mode(folder.path.parent().unwrap(), 0o755);
    mode(&folder.home, 0o777);
    mode(&folder.home.join("config"), 0o777);
    mode(&folder.home.join("config/quarterdeck"), 0o777);
    if read_only_folder {
        if root {
            std::os::unix::fs::chown(&board, Some(65_534), Some(65_534)).unwrap();
        }
        mode(&folder.path, 0o555);
    } else {
        mode(&board, 0o444);
        mode(&folder.path, if root { 0o777 } else { 0o755 });
    }
    let before = folder.snapshot();
    let mut screen = Screen::start(&folder, &board, &[], (120, 30), prefix);
    screen.wait_for("Read-only");
    screen.wait_for("Sprint 3 of 6");
    screen.press("u");
    screen.wait_for("nothing was changed");
    screen.press("q");
    assert_eq!(screen.wait_exit(), 0, "quitting a read-only board exits 0");
    assert_clean(&screen.raw_text(), "the read-only board");
    assert_unchanged(&folder, &before, "the read-only board");
    let listed = folder.run(&board, &["list", "items"]);
    assert_eq!(listed.code, Some(0), "{}", listed.stderr);
    assert_unchanged(&folder, &before, "list items on a read-only board");
    mode(&folder.path, 0o755);
}

pub fn a_read_only_file() {
    read_only(false);
}

pub fn a_board_in_a_read_only_folder() {
    read_only(true);
}
