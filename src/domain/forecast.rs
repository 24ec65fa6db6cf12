//! The forecast per key result: "when will the work for this KR be done?"
//!
//! From the team's throughput in its closed sprints (points and items each
//! delivered, as the review counts them: `review::output(..).done`), a Monte
//! Carlo run resamples whole sprints: each trial draws past sprints at random
//! (with replacement) and spends their throughput on the KR's open work
//! until none is left, counting the sprints it took. The sprints by which
//! half, 85 % and 95 % of the trials were done are the forecast.
//!
//! Pure and deterministic: the random stream is seeded from the facts the
//! forecast reads (the throughput history and the open work), never the
//! clock, so the same board gives the same forecast and a report does not
//! change between two runs.

use super::codes;

/// The trials a forecast runs (the issue asks for at least 10,000).
pub const TRIALS: usize = 10_000;
/// The closed sprints a forecast needs before it says anything.
pub const HISTORY_NEEDED: usize = 3;
/// A trial that has not finished after this many sprints stops there: the
/// answer is then "more than this many sprints", not a number.
pub const MAX_SPRINTS: u32 = 1_000;
/// The likelihoods the forecast answers for, in per cent.
pub const LIKELIHOODS: [u32; 3] = [50, 85, 95];

/// What one closed sprint delivered: its done points and done items, as its
/// review counts them (planned or added later; carried work counts in the
/// sprint that finished it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throughput {
    pub points: u32,
    pub items: usize,
}

/// The KR's open work: its todo and doing items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OpenWork {
    /// The points of its estimated items.
    pub points: u32,
    /// Its items with no estimate (0 points): they are counted by the
    /// team's item throughput.
    pub unestimated: usize,
    /// All its open items, estimated or not.
    pub items: usize,
}

/// Where the forecast counts from: the KR's quarter's sprints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuarterSprints {
    /// The first sprint not closed yet (started or planned): the first the
    /// open work can land in. `last + 1` when every sprint is closed.
    pub first_open: u32,
    /// The quarter's last sprint's number (0: it has none).
    pub last: u32,
}

/// The sprint by which the open work is done in a share of the trials.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Landing {
    /// A sprint of the quarter, by number.
    InQuarter(u32),
    /// `beyond` sprints after the quarter's last sprint `last`.
    AfterQuarter { last: u32, beyond: u32 },
    /// Not done after `MAX_SPRINTS` sprints.
    Never,
}

impl Landing {
    /// The landing of work that takes `sprints` sprints, counted from the
    /// quarter's first open sprint (1: done within it).
    pub fn of(sprints: u32, quarter: QuarterSprints) -> Self {
        if sprints > MAX_SPRINTS {
            return Self::Never;
        }
        let number = quarter.first_open + sprints.max(1) - 1;
        if number <= quarter.last {
            Self::InQuarter(number)
        } else {
            Self::AfterQuarter { last: quarter.last, beyond: number - quarter.last }
        }
    }

    /// In words a team understands: `S4`, `after S6, +2 sprints`.
    pub fn words(self) -> String {
        match self {
            Self::InQuarter(number) => codes::sprint(number),
            Self::AfterQuarter { last: 0, beyond } => format!("in {beyond} {}", sprints_word(beyond)),
            Self::AfterQuarter { last, beyond } => format!("after {}, +{beyond} {}", codes::sprint(last), sprints_word(beyond)),
            Self::Never => format!("not within {MAX_SPRINTS} sprints"),
        }
    }

    /// After "done": `by S4`, `after S6, +2 sprints`.
    pub fn phrase(self) -> String {
        match self {
            Self::InQuarter(_) => format!("by {}", self.words()),
            _ => self.words(),
        }
    }
}

fn sprints_word(count: u32) -> &'static str {
    if count == 1 { "sprint" } else { "sprints" }
}

/// One likelihood's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Likely {
    /// 50, 85 or 95 (per cent).
    pub percent: u32,
    /// Sprints it takes from the first open sprint (1: within it);
    /// `MAX_SPRINTS + 1` when not done by then.
    pub sprints: u32,
    pub landing: Landing,
}

/// The forecast for one KR.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Forecast {
    /// The KR has no todo or doing items.
    NoOpenWork,
    /// Fewer closed sprints than `HISTORY_NEEDED`.
    TooLittleHistory { closed: usize, needed: usize },
    /// The closed sprints delivered none of what the open work needs
    /// (no points for estimated work, no items for unestimated work).
    NoThroughput { open: OpenWork, closed: usize },
    /// The answer: 50 %, 85 % and 95 % in that order.
    Likely { open: OpenWork, closed: usize, trials: usize, likely: [Likely; 3] },
}

impl Forecast {
    /// One line for the board and the command line.
    pub fn summary(&self) -> String {
        match self {
            Self::NoOpenWork => "no open items: nothing to forecast".to_owned(),
            Self::TooLittleHistory { closed, needed } => format!(
                "too little history: {closed} closed {} of the {needed} a forecast needs",
                if *closed == 1 { "sprint" } else { "sprints" }
            ),
            Self::NoThroughput { closed, .. } => {
                format!("the team's {closed} closed sprints delivered none of what the open work needs: no forecast")
            }
            Self::Likely { likely, .. } => {
                let [half, _, almost] = likely.map(|likely| likely.landing.words());
                format!("85 % likely done {} (50 %: {half}, 95 %: {almost})", likely[1].landing.phrase())
            }
        }
    }

    /// A few words for a line beside others (planning): `85 % by S6`.
    pub fn brief(&self) -> String {
        match self {
            Self::NoOpenWork => "no open items".to_owned(),
            Self::TooLittleHistory { closed, needed } => format!("too little history ({closed} of {needed} sprints)"),
            Self::NoThroughput { .. } => "no throughput to forecast from".to_owned(),
            Self::Likely { likely, .. } => format!("85 % {}", likely[1].landing.phrase()),
        }
    }

    /// The open work it counted, when there is any.
    pub fn open(&self) -> Option<OpenWork> {
        match self {
            Self::NoThroughput { open, .. } | Self::Likely { open, .. } => Some(*open),
            Self::NoOpenWork | Self::TooLittleHistory { .. } => None,
        }
    }
}

/// The forecast of `open` from the throughput of the team's closed sprints
/// (`history`, any order), counted from `quarter`'s first open sprint.
///
/// Each trial draws past sprints at random and spends each on the open
/// work: its points on the estimated points first, then the share of the
/// sprint left over, and the sprints after, on the unestimated items at the
/// sprint's item throughput. The sprint in which nothing is left is the
/// trial's answer.
pub fn forecast(history: &[Throughput], open: OpenWork, quarter: QuarterSprints) -> Forecast {
    if open.items == 0 {
        return Forecast::NoOpenWork;
    }
    if history.len() < HISTORY_NEEDED {
        return Forecast::TooLittleHistory { closed: history.len(), needed: HISTORY_NEEDED };
    }
    let delivers_points = history.iter().any(|sprint| sprint.points > 0);
    let delivers_items = history.iter().any(|sprint| sprint.items > 0);
    if (open.points > 0 && !delivers_points) || (open.unestimated > 0 && !delivers_items) {
        return Forecast::NoThroughput { open, closed: history.len() };
    }
    let mut random = SplitMix64::new(seed(history, open));
    let mut outcomes: Vec<u32> = (0..TRIALS).map(|_| trial(history, open, &mut random)).collect();
    outcomes.sort_unstable();
    let likely = LIKELIHOODS.map(|percent| {
        let sprints = percentile(&outcomes, percent);
        Likely { percent, sprints, landing: Landing::of(sprints, quarter) }
    });
    Forecast::Likely { open, closed: history.len(), trials: TRIALS, likely }
}

/// The smallest sprint count within which at least `percent` % of the
/// (sorted) trials were done.
fn percentile(sorted: &[u32], percent: u32) -> u32 {
    let rank = (sorted.len() * percent as usize).div_ceil(100).max(1);
    sorted[rank - 1]
}

/// One trial: the sprints drawn until the open work is done
/// (`MAX_SPRINTS + 1` when it is not done by then).
fn trial(history: &[Throughput], open: OpenWork, random: &mut SplitMix64) -> u32 {
    let mut points_left = f64::from(open.points);
    let mut items_left = open.unestimated as f64;
    for sprint_count in 1..=MAX_SPRINTS {
        let sprint = history[random.below(history.len())];
        // The share of this sprint still free for unestimated items after
        // the estimated points took what they needed.
        let mut free_share = 1.0;
        if points_left > 0.0 {
            let points = f64::from(sprint.points);
            if points >= points_left {
                free_share = (points - points_left) / points;
                points_left = 0.0;
            } else {
                points_left -= points;
                free_share = 0.0;
            }
        }
        items_left -= free_share * sprint.items as f64;
        if points_left <= 0.0 && items_left <= 1e-9 {
            return sprint_count;
        }
    }
    MAX_SPRINTS + 1
}

/// The seed: an FNV-1a hash of the facts the forecast reads, so the same
/// board gives the same stream, and a change to the history or the open
/// work gives another.
fn seed(history: &[Throughput], open: OpenWork) -> u64 {
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |value: u64| {
        for byte in value.to_le_bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(PRIME);
        }
    };
    for sprint in history {
        feed(u64::from(sprint.points));
        feed(sprint.items as u64);
    }
    feed(u64::from(open.points));
    feed(open.unestimated as u64);
    feed(open.items as u64);
    hash
}

/// SplitMix64 (Steele, Lea and Flood, 2014; the generator Java's
/// `SplittableRandom` uses and xoshiro's authors recommend for seeding): a
/// 64-bit state advanced by a fixed odd constant and mixed. Written here
/// rather than taken from a crate so its stream can never change under a
/// dependency update: a forecast must read the same next year.
#[derive(Debug, Clone)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..bound` (`bound` > 0), by multiplying into the range
    /// (Lemire): the bias, under 2^-50 for a history of sprints, is far
    /// below what 10,000 trials can show.
    pub fn below(&mut self, bound: usize) -> usize {
        ((u128::from(self.next_u64()) * bound as u128) >> 64) as usize
    }
}

#[cfg(test)]
#[path = "forecast_tests.rs"]
mod tests;
