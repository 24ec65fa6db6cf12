//! The kill loop: a template board, each kind's write measured uninterrupted
//! (its duration, the file after it), then kills at seeded random moments,
//! each followed by every check of the "Crash safety".

use std::{
    collections::BTreeMap,
    fs,
    path::{Path, PathBuf},
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use tempfile::TempDir;

use super::{
    kinds::{self, KINDS, Kind, SPRINT_3_DAY},
    state::{self, Fingerprint},
};

/// A small seeded generator (SplitMix64): a failure is replayed from the
/// seed the run prints.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1_u64 << 53) as f64
    }
}

/// The seed from `QUARTERDECK_CRASH_SEED`, else from the clock.
pub fn seed() -> u64 {
    std::env::var("QUARTERDECK_CRASH_SEED")
        .ok()
        .and_then(|seed| seed.parse().ok())
        .unwrap_or_else(|| SystemTime::now().duration_since(UNIX_EPOCH).map_or(1, |now| now.as_nanos() as u64))
}

/// The board every kill starts from: the demo, plus one change made on the
/// command line so that undo has a step to take back.
struct Template {
    dir: TempDir,
    board: PathBuf,
    home: PathBuf,
    before: Fingerprint,
    steps: Vec<(i64, String)>,
    /// The file after undo on the template: what undo on a board the kill
    /// left untouched must give.
    undone: Fingerprint,
}

/// What an uninterrupted run of a kind takes and leaves.
struct Measured {
    took: Duration,
    after: Fingerprint,
}

/// The tally of one kind's kills.
#[derive(Default)]
pub struct Tally {
    pub kills: u32,
    /// The kill left the file as before the write, or with it whole.
    pub before: u32,
    pub after: u32,
    /// The program had said it was done before the kill.
    pub reported: u32,
    pub failures: Vec<String>,
}

pub type Tallies = BTreeMap<Kind, Tally>;

/// Runs `kills` kills, spread over every kind in turn.
pub fn kill_many(kills: u32, seed: u64) -> Result<Tallies, String> {
    let template = template()?;
    let mut measured = BTreeMap::new();
    for kind in KINDS {
        measured.insert(kind, measure(kind, &template)?);
    }
    let mut rng = Rng::new(seed);
    let mut tallies = Tallies::new();
    for kill in 0..kills {
        let kind = KINDS[kill as usize % KINDS.len()];
        let took = measured[&kind].took;
        // Anywhere from the start to well past the measured end (the
        // machine may be slower now): before, during and after the commit.
        // The board commits within milliseconds of the key, then draws, so
        // its kills are drawn nearer the key (the cube of a uniform draw).
        let draw = rng.unit();
        let delay = took.mul_f64(1.5 * if kind.on_the_board() { draw.powi(3) } else { draw });
        let tally = tallies.entry(kind).or_default();
        tally.kills += 1;
        if let Err(why) = kill_once(kind, delay, &template, &measured[&kind], tally) {
            tally.failures.push(format!("kill {kill} ({}, {} ms into it): {why}", kind.name(), delay.as_millis()));
        }
    }
    Ok(tallies)
}

fn template() -> Result<Template, String> {
    let dir = tempfile::tempdir().map_err(|error| error.to_string())?;
    let board = dir.path().join("template.sqlite3");
    let home = dir.path().join("home");
    fs::create_dir_all(&home).map_err(|error| error.to_string())?;
    kinds::cli_ok(&board, &home, SPRINT_3_DAY, &["demo"])?;
    kinds::cli_ok(&board, &home, SPRINT_3_DAY, &["add", "item", "A step for undo to take back", "--points", "2"])?;
    let conn = state::open(&board)?;
    let (before, steps) = (state::fingerprint(&conn)?, state::steps(&conn)?);
    drop(conn);
    let copy = dir.path().join("undone.sqlite3");
    copy_board(&board, &copy)?;
    kinds::cli_ok(&copy, &home, SPRINT_3_DAY, &["undo", "--yes"])?;
    let undone = state::fingerprint(&state::open(&copy)?)?;
    Ok(Template { dir, board, home, before, steps, undone })
}

/// Runs `kind` to its end twice on fresh copies: the faster run's duration,
/// and the file it leaves, which must be the same both times (else the
/// comparison after a kill could not tell a half-applied write).
fn measure(kind: Kind, template: &Template) -> Result<Measured, String> {
    let mut runs = Vec::new();
    for _ in 0..2 {
        let board = fresh_copy(template, "measured")?;
        let run = kinds::run(kind, &board, &template.home, None)?;
        runs.push((run.took, state::fingerprint(&state::open(&board)?)?));
    }
    let (took, after) = runs.iter().min_by_key(|(took, _)| *took).cloned().ok_or("no run")?;
    if runs[0].1 != runs[1].1 {
        return Err(format!(
            "{} leaves different files on two runs:\n{}",
            kind.name(),
            state::difference(&runs[0].1, &runs[1].1)
        ));
    }
    for part in kind.parts() {
        if after.get(*part) == template.before.get(*part) {
            return Err(format!("{} left {part} as it was", kind.name()));
        }
    }
    Ok(Measured { took, after })
}

fn kill_once(kind: Kind, delay: Duration, template: &Template, measured: &Measured, tally: &mut Tally) -> Result<(), String> {
    let board = fresh_copy(template, "killed")?;
    let run = kinds::run(kind, &board, &template.home, Some(delay))?;
    tally.reported += u32::from(run.reported_done);
    // The file as the kill left it, for undo on a copy.
    let copy = board.with_file_name("copy.sqlite3");
    copy_board(&board, &copy)?;

    let conn = state::open(&board)?;
    state::whole(&conn)?;
    let found = state::fingerprint(&conn)?;
    let applied = if found == template.before {
        false
    } else if found == measured.after {
        true
    } else {
        return Err(format!(
            "half-applied: the file is neither as before nor as after the write:\n{}",
            state::difference(&found, &measured.after)
        ));
    };
    if run.reported_done && !applied {
        return Err("the program said it was done, but the change is not on disk".to_owned());
    }
    *(if applied { &mut tally.after } else { &mut tally.before }) += 1;
    history_consistent(kind, applied, &conn, template)?;
    drop(conn);

    // Undo (redo after an undo) on the copy reverses exactly the last change.
    let (reverse, expected) = match (kind, applied) {
        (Kind::Undo | Kind::BoardUndo, true) => ("redo", &template.before),
        (_, true) => ("undo", &template.before),
        (_, false) => ("undo", &template.undone),
    };
    kinds::cli_ok(&copy, &template.home, kind.today(), &[reverse, "--yes"])?;
    let mut reversed = state::fingerprint(&state::open(&copy)?)?;
    // Item numbers are never used twice: undoing an add keeps the high
    // water mark where the add left it (`number_high_water`).
    let mut expected = expected.clone();
    for print in [&mut reversed, &mut expected] {
        print.remove("number_high_water");
    }
    if reversed != expected {
        return Err(format!(
            "{reverse} on the killed file did not reverse the last change:\n{}",
            state::difference(&reversed, &expected)
        ));
    }
    kinds::board_opens(&board, &template.home, kind.today())
}

/// The history's steps match the file: untouched when the write is not on
/// disk; one step more (undo: its step undone) when it is.
fn history_consistent(kind: Kind, applied: bool, conn: &rusqlite::Connection, template: &Template) -> Result<(), String> {
    state::history_at_rest(conn)?;
    let steps = state::steps(conn)?;
    let mut expected = template.steps.clone();
    if applied {
        if matches!(kind, Kind::Undo | Kind::BoardUndo) {
            let last = expected.iter_mut().rev().find(|(_, state)| state == "done").ok_or("the template has no step")?;
            last.1 = "undone".to_owned();
        } else {
            let next = steps.last().map_or(0, |(id, _)| *id);
            expected.push((next, "done".to_owned()));
        }
    }
    if steps == expected { Ok(()) } else { Err(format!("history steps {steps:?}, expected {expected:?}")) }
}

fn fresh_copy(template: &Template, name: &str) -> Result<PathBuf, String> {
    let folder = template.dir.path().join(name);
    let _ = fs::remove_dir_all(&folder);
    fs::create_dir_all(&folder).map_err(|error| error.to_string())?;
    let board = folder.join("board.sqlite3");
    copy_board(&template.board, &board)?;
    Ok(board)
}

/// Copies a board with its `-wal` (a kill leaves its changes there).
fn copy_board(from: &Path, to: &Path) -> Result<(), String> {
    for suffix in ["", "-wal"] {
        let (source, target) = (with_suffix(from, suffix), with_suffix(to, suffix));
        let _ = fs::remove_file(&target);
        if source.exists() {
            fs::copy(&source, &target).map_err(|error| format!("copying {}: {error}", source.display()))?;
        }
    }
    let _ = fs::remove_file(with_suffix(to, "-shm"));
    Ok(())
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// The tallies as a table, one kind a line, for the log and the docs.
pub fn table(tallies: &Tallies, elapsed: Duration) -> String {
    let mut lines =
        vec![format!("{:<24} {:>5} {:>7} {:>6} {:>9} {:>8}", "kind", "kills", "before", "after", "reported", "failures")];
    for (kind, tally) in tallies {
        lines.push(format!(
            "{:<24} {:>5} {:>7} {:>6} {:>9} {:>8}",
            kind.name(),
            tally.kills,
            tally.before,
            tally.after,
            tally.reported,
            tally.failures.len()
        ));
    }
    lines.push(format!("in {:.1} s", elapsed.as_secs_f64()));
    lines.join("\n")
}

pub fn timed<T>(work: impl FnOnce() -> T) -> (T, Duration) {
    let started = Instant::now();
    (work(), started.elapsed())
}
