//! Hostile text in titles, goals and notes (terminal escapes, OSC 52 and
//! OSC 8, C1 controls, bidi overrides, invisible and wide characters),
//! written by another program: inert on the board's screen (no byte of it
//! reaches the terminal raw), in plain command-line output, and escaped in
//! Markdown, HTML and CSV.

use std::path::PathBuf;

use super::harness::{Folder, Screen, assert_clean};

/// Every kind of hostile text, each part marked so a test can tell which
/// one got through.
const HOSTILE: &str = concat!(
    "<script>alert(1)</script> | *bold* ",
    "\u{1b}[31mRED\u{1b}[0m ",                                // SGR: colours the terminal
    "\u{1b}]52;c;aGFjaw==\u{7} ",                             // OSC 52: writes the clipboard
    "\u{1b}]8;;http://evil.example\u{7}link\u{1b}]8;;\u{7} ", // OSC 8: a hidden link
    "\u{9b}2J ",                                              // C1 CSI: clears the screen
    "\u{202e}desrever\u{202c} ",                              // bidi override
    "in\u{200b}vis\u{ad}ible\u{feff} ",                       // zero-width, soft hyphen, BOM
    "漢字👍🏽"                                                  // wide characters
);

/// What must never reach a terminal, a Markdown page or a CSV cell raw.
const RAW: [&str; 8] = ["\u{1b}", "\u{7}", "\u{9b}", "\u{202e}", "\u{202c}", "\u{200b}", "\u{ad}", "\u{feff}"];

/// A demo board whose every item title, objective title, sprint goal and
/// check-in note is hostile, as another program could leave it.
fn hostile_board() -> (Folder, PathBuf) {
    let folder = Folder::new();
    let board = folder.demo_board();
    let conn = rusqlite::Connection::open(&board).unwrap();
    conn.execute("UPDATE item SET title = ?1 || ' #' || id", [HOSTILE]).unwrap();
    conn.execute("UPDATE objective SET title = ?1", [HOSTILE]).unwrap();
    conn.execute("UPDATE sprint SET goal = ?1", [HOSTILE]).unwrap();
    conn.execute("UPDATE check_in SET note = ?1", [HOSTILE]).unwrap();
    drop(conn);
    (folder, board)
}

fn assert_inert(text: &str, what: &str) {
    for raw in RAW {
        assert!(!text.contains(raw), "{what}: {raw:?} got through raw:\n{text}");
    }
    assert!(text.contains("RED"), "{what}: the hostile text is not shown at all:\n{text}");
    assert_clean(text, what);
}

/// The board draws the text with visible symbols; none of the data's
/// escape sequences is among the bytes it sends to the terminal.
pub fn hostile_text_on_the_board() {
    let (folder, board) = hostile_board();
    let mut screen = Screen::start(&folder, &board, &[], (200, 50), &[]);
    screen.wait_for("Sprint 3 of 6");
    screen.wait_for("␛[31mRED");
    screen.press("3");
    screen.press("\r");
    std::thread::sleep(std::time::Duration::from_millis(300));
    screen.press("q");
    assert_eq!(screen.wait_exit(), 0);
    let raw = screen.raw();
    for needle in [&b"\x1b]52"[..], b"\x1b]8;;http", b"\x1b[31mRED", b"\xc2\x9b", "\u{202e}".as_bytes(), "\u{200b}".as_bytes()] {
        assert!(!raw.windows(needle.len()).any(|window| window == needle), "{needle:?} reached the terminal");
    }
}

/// `list` and `show` print the text cleaned, as the board shows it.
pub fn hostile_text_in_plain_output() {
    let (folder, board) = hostile_board();
    for args in [&["list", "items"][..], &["list", "objectives"], &["list", "sprints"], &["show", "#10"], &["show", "KR1.1"]] {
        let ran = folder.run(&board, args);
        assert_eq!(ran.code, Some(0), "{args:?}: {}", ran.all());
        let text = String::from_utf8(ran.stdout.clone()).expect("plain output is UTF-8");
        if args[1] == "KR1.1" {
            assert!(!RAW.iter().any(|raw| text.contains(raw)), "{args:?}: raw text:\n{text}");
        } else {
            assert_inert(&text, &format!("{args:?}"));
        }
    }
}

/// Markdown: nothing raw, and the text cannot open an HTML tag, a table
/// cell or emphasis.
pub fn hostile_text_in_markdown() {
    let (folder, board) = hostile_board();
    for args in [&["report", "review", "S3"][..], &["report", "quarter"]] {
        let ran = folder.run(&board, args);
        assert_eq!(ran.code, Some(0), "{args:?}: {}", ran.all());
        let text = ran.stdout_text();
        assert_inert(&text, &format!("{args:?}"));
        assert!(!text.contains("<script>") && text.contains("&lt;script&gt;"), "{args:?}: a tag got through");
        assert!(!text.contains("</script> | *bold*"), "{args:?}: a cell or emphasis got through");
    }
}

/// HTML: every `<` of the data is `&lt;`, and nothing raw.
pub fn hostile_text_in_html() {
    let (folder, board) = hostile_board();
    for args in [&["report", "review", "S3", "--format", "html"][..], &["report", "quarter", "--format", "html"]] {
        let ran = folder.run(&board, args);
        assert_eq!(ran.code, Some(0), "{args:?}: {}", ran.all());
        let text = ran.stdout_text();
        assert_inert(&text, &format!("{args:?}"));
        assert!(!text.contains("<script>alert") && text.contains("&lt;script&gt;alert"), "{args:?}: a tag got through");
    }
}

/// CSV: cells quoted, nothing raw, and a title a spreadsheet would run as a
/// formula starts with `'`.
pub fn hostile_text_in_csv() {
    let (folder, board) = hostile_board();
    let conn = rusqlite::Connection::open(&board).unwrap();
    conn.execute("UPDATE item SET title = '=HYPERLINK(\"http://evil.example\")' WHERE id = (SELECT max(id) FROM item)", [])
        .unwrap();
    drop(conn);
    let ran = folder.run(&board, &["export", "--format", "csv"]);
    assert_eq!(ran.code, Some(0), "{}", ran.all());
    let text = ran.stdout_text();
    assert_inert(&text, "export --format csv");
    assert!(text.contains("\"'=HYPERLINK("), "a formula is made text:\n{text}");
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let width = reader.headers().unwrap().len();
    for record in reader.records() {
        assert_eq!(record.unwrap().len(), width, "every row has the header's cells: the text's `,` and `|` stay in theirs");
    }
}
