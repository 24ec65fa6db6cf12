//! Crash safety: the real binary, on the command line and on the board in a
//! pseudo-terminal, SIGKILLed at seeded random moments in every kind of
//! write; then a full disk under the board's and the command line's writes.
//! docs/reliability.md, "Crash safety and a full disk", says what each
//! checks, and how to run the soak: `QUARTERDECK_KILLS=1000 cargo test
//! --release --test crash -- --nocapture`.

#![allow(clippy::unwrap_used)]

#[path = "crash/board.rs"]
mod board;
#[path = "crash/full_disk.rs"]
mod full_disk;
#[path = "crash/harness.rs"]
mod harness;
#[path = "crash/kinds.rs"]
mod kinds;
#[path = "crash/state.rs"]
mod state;

/// Kills in CI: five of each of the ten kinds.
const QUICK_KILLS: u32 = 50;

#[test]
fn a_sigkill_at_any_moment_of_any_write_leaves_the_board_whole() {
    let kills = std::env::var("QUARTERDECK_KILLS").ok().and_then(|kills| kills.parse().ok()).unwrap_or(QUICK_KILLS);
    let seed = harness::seed();
    println!("crash: {kills} kills, seed {seed} (replay: QUARTERDECK_CRASH_SEED={seed} QUARTERDECK_KILLS={kills})");
    let (tallies, elapsed) = harness::timed(|| harness::kill_many(kills, seed));
    let tallies = tallies.unwrap_or_else(|why| panic!("seed {seed}: the harness could not run: {why}"));
    println!("{}", harness::table(&tallies, elapsed));
    let failures: Vec<&String> = tallies.values().flat_map(|tally| &tally.failures).collect();
    assert!(
        failures.is_empty(),
        "seed {seed}: {} failures:\n{}",
        failures.len(),
        failures.iter().map(|f| f.as_str()).collect::<Vec<_>>().join("\n\n")
    );
    // Every kind was killed, and the kills landed on both sides of the commit.
    assert_eq!(tallies.len(), kinds::KINDS.len().min(kills as usize), "every kind killed");
    let (before, after) = tallies.values().fold((0, 0), |(before, after), tally| (before + tally.before, after + tally.after));
    assert!(before > 0 && after > 0, "seed {seed}: kills all on one side of the commit ({before} before, {after} after)");
}
