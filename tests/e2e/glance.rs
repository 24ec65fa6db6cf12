//! The quarter at a glance from the outside: health opened on the board
//! with `H` and a warning followed to its object, and the presentation
//! using no CPU while nothing changes.

use std::{fs, process::Command, thread, time::Duration};

use super::{BIN, Session, board_path, quarterdeck};

#[test]
fn enter_on_a_health_warning_selects_its_object_on_the_board() {
    let (dir, board) = board_path();
    assert!(quarterdeck(&board, &["demo"]).status.success());
    // An item that copies KR1.3's title (M10), in another spelling.
    let conn = rusqlite::Connection::open(&board).unwrap();
    let changed =
        conn.execute("UPDATE item SET title = 'PAYMENT  failures.' WHERE title = 'Retry soft card declines once'", []).unwrap();
    assert_eq!(changed, 1);
    drop(conn);

    let mut session = Session::start(&board, dir.path(), 160, 48);
    session.wait_for("Sprint 3 of 6");
    session.press("H");
    session.wait_for("M10 warning");
    // `j` until the marked (selected) object is the copied title.
    let selected = |session: &Session| session.contents().lines().find(|line| line.contains('›')).map(str::to_owned);
    for _ in 0..30 {
        if selected(&session).is_some_and(|line| line.contains("its title copies KR1.3")) {
            break;
        }
        let before = selected(&session);
        session.press("j");
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while selected(&session) == before && std::time::Instant::now() < deadline {
            thread::sleep(Duration::from_millis(20));
        }
    }
    let line = selected(&session).unwrap_or_else(|| panic!("nothing selected:\n{}", session.contents()));
    assert!(line.contains("its title copies KR1.3"), "{}", session.contents());

    // Enter closes health and selects the item in the backlog; its
    // details (Enter again) name it and the rule.
    session.press("\r");
    session.wait_for("? help");
    session.press("\r");
    session.wait_for("M10: this title copies KR1.3");
    assert!(session.contents().contains("PAYMENT  failures."), "{}", session.contents());
    // `Esc`, and `q` once it has closed the details (an escape right
    // before `q` reads as alt-q).
    session.press("\u{1b}");
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while session.contents().contains("esc closes") && std::time::Instant::now() < deadline {
        thread::sleep(Duration::from_millis(20));
    }
    session.press("q");
    assert!(session.wait_exit().success());
}

/// CPU time a process has used, in clock ticks (`utime` + `stime` of
/// `/proc/PID/stat`).
fn cpu_ticks(pid: u32) -> u64 {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // The command name may hold spaces: fields are counted after its ')'.
    let fields: Vec<&str> = stat[stat.rfind(')').unwrap() + 1..].split_whitespace().collect();
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

fn ticks_per_second() -> u64 {
    let output = Command::new("getconf").arg("CLK_TCK").output().unwrap();
    String::from_utf8(output.stdout).unwrap().trim().parse().unwrap()
}

#[test]
fn the_presentation_idle_uses_no_cpu_and_prints_nothing() {
    let (dir, board) = board_path();
    assert!(quarterdeck(&board, &["demo"]).status.success());
    let mut session = Session::launch(&[BIN, "present"], &board, dir.path(), 160, 48, &[]);
    session.wait_for("Checkout conversion");
    let pid = session.child.process_id().unwrap();
    // Past start-up and the first frame.
    thread::sleep(Duration::from_millis(500));
    let (ticks, printed) = (cpu_ticks(pid), session.raw_text().len());
    thread::sleep(Duration::from_secs(3));
    let used = cpu_ticks(pid) - ticks;
    // Two short checks of `PRAGMA data_version` a second cost well under a
    // tick each; 50 ms of CPU in 3 s is far below any redraw or busy poll
    // (a busy loop uses all 3 s).
    let bound = ticks_per_second() / 20;
    assert!(used <= bound, "{used} ticks of CPU in 3 s idle (at most {bound})");
    assert_eq!(session.raw_text().len(), printed, "nothing is drawn while nothing changes");
    session.press("q");
    assert!(session.wait_exit().success());
    // A viewer leaves the folder as it found it: no `-wal` or `-shm` of its making.
    let mut left: Vec<String> =
        fs::read_dir(dir.path()).unwrap().map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned()).collect();
    left.sort();
    assert_eq!(left, ["board.sqlite3"], "what `present` left beside the board");
}
