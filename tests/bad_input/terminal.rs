//! Terminals too small for the board, and a burst of resizes: no panic, a
//! clear "too small" line, and the board back once there is room.

use std::time::Duration;

use super::harness::{Folder, Screen, assert_clean};

/// Starts the board on the demo at `cols` x `rows`, checks what it says,
/// then gives it 120x30 and waits for the board.
fn too_small(cols: u16, rows: u16, says: &str) {
    let folder = Folder::new();
    let board = folder.demo_board();
    let mut screen = Screen::start(&folder, &board, &[], (cols, rows), &[]);
    screen.wait_for(says);
    screen.resize(120, 30);
    screen.wait_for("Sprint 3 of 6");
    screen.press("q");
    assert_eq!(screen.wait_exit(), 0, "{}", screen.contents());
    assert_clean(&screen.raw_text(), "a small terminal");
}

/// One cell: room for a single character of the message, and no panic.
pub fn a_1x1_terminal() {
    too_small(1, 1, "T");
}

pub fn a_20x5_terminal() {
    too_small(20, 5, "Terminal too small");
}

/// Forty resizes as fast as a window manager sends them, across the
/// minimum size and down to 1x1: the board ends on the last size, whole.
pub fn a_burst_of_resizes() {
    let folder = Folder::new();
    let board = folder.demo_board();
    let mut screen = Screen::start(&folder, &board, &[], (100, 30), &[]);
    screen.wait_for("Sprint 3 of 6");
    let sizes = [(1, 1), (20, 5), (59, 15), (60, 16), (200, 60), (80, 24), (3, 40), (250, 2)];
    for round in 0..5 {
        for (cols, rows) in sizes {
            screen.resize(cols, rows);
            if round == 0 {
                std::thread::sleep(Duration::from_millis(5));
            }
        }
    }
    screen.resize(20, 5);
    screen.wait_for("Terminal too small");
    screen.resize(120, 30);
    screen.wait_for("Sprint 3 of 6");
    screen.press("q");
    assert_eq!(screen.wait_exit(), 0, "{}", screen.contents());
    assert_clean(&screen.raw_text(), "a burst of resizes");
}
