//! Closing a quarter and opening the next: KR and objective scores against
//! the 0.7 stretch convention, the next quarter's cadence, and the advice
//! the board gives (it never refuses).
//!
//! Scores are kept in tenths, 0.0 to 1.0. A KR's computed score is its
//! progress (which already follows the KR's direction: a KR that goes down
//! progresses as its value falls) clamped to 0-1, so overshooting scores
//! 1.0 and going the wrong way 0.0, rounded to the nearest tenth, halves
//! up. A value typed between tenths rounds the same way, so 0.65 is 0.7.

use chrono::{Days, NaiveDate};

use super::{Board, Id, SprintDates, SprintState, check_ins, kr_progress};

/// Where a quarter is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QuarterState {
    /// Next quarter's OKRs being drafted: objectives and KRs, no sprints.
    Draft,
    /// The running quarter (there is at most one).
    #[default]
    Open,
    /// Scored and closed: read-only.
    Closed,
}

impl QuarterState {
    pub fn parse(text: &str) -> Self {
        match text {
            "draft" => Self::Draft,
            "closed" => Self::Closed,
            _ => Self::Open,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Open => "open",
            Self::Closed => "closed",
        }
    }

    /// The word the quarter screen and the header show.
    pub fn word(self) -> &'static str {
        match self {
            Self::Draft => "a draft",
            Self::Open => "running",
            Self::Closed => "closed",
        }
    }
}

/// What a closed quarter keeps beside its OKRs.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Closing {
    /// The quarter retro's note.
    pub note: String,
    /// Each KR's score, by KR id.
    pub kr_scores: Vec<(Id, f64)>,
    /// Each objective's closing note, by objective id.
    pub objective_notes: Vec<(Id, String)>,
}

impl Closing {
    pub fn kr_score(&self, id: Id) -> Option<f64> {
        self.kr_scores.iter().find(|(kr, _)| *kr == id).map(|(_, score)| *score)
    }

    pub fn objective_note(&self, id: Id) -> &str {
        self.objective_notes.iter().find(|(objective, _)| *objective == id).map_or("", |(_, note)| note.as_str())
    }
}

/// `score` rounded to the nearest tenth (halves up) within 0.0-1.0. An
/// overshoot so large it overflowed to infinity is still an overshoot
/// (1.0), an infinitely wrong way 0.0, and NaN (no number at all) 0.0.
pub fn round_score(score: f64) -> f64 {
    if score.is_nan() {
        return 0.0;
    }
    // The small nudge makes 0.65 (stored as 0.6499999...) round up, as read.
    (score.clamp(0.0, 1.0) * 10.0 + 1e-9).round() / 10.0
}

/// A KR's score from its progress at the close: `None` when it cannot be
/// measured (its start equals its target).
pub fn kr_score(start: f64, target: f64, value: f64) -> Option<f64> {
    kr_progress(start, target, value).map(round_score)
}

/// An objective's score: the mean of its KRs' scores, to a tenth. It is
/// derived, never typed: change a KR's score to change it.
pub fn objective_score(kr_scores: &[f64]) -> Option<f64> {
    if kr_scores.is_empty() {
        return None;
    }
    #[allow(clippy::cast_precision_loss)] // a handful of KRs
    let mean = kr_scores.iter().sum::<f64>() / kr_scores.len() as f64;
    Some(round_score(mean))
}

/// A score against the 0.7 stretch convention.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScoreBand {
    /// 0.7-1.0: a stretch goal met.
    OnTarget,
    /// 0.4-0.6: progress, short of the stretch.
    Progress,
    /// 0.0-0.3: missed.
    Missed,
}

impl ScoreBand {
    /// The band of a score, judged on its nearest tenth.
    pub fn of(score: f64) -> Self {
        let tenths = round_score(score) * 10.0;
        if tenths >= 6.5 {
            Self::OnTarget
        } else if tenths >= 3.5 {
            Self::Progress
        } else {
            Self::Missed
        }
    }

    /// The words beside the colour, so a band reads without it.
    pub fn word(self) -> &'static str {
        match self {
            Self::OnTarget => "on target",
            Self::Progress => "progress",
            Self::Missed => "missed",
        }
    }
}

/// The next quarter's sprints: as many as `sprints`, each as long, with the
/// same gaps between them, laid from `start`.
pub fn copy_cadence(sprints: &[SprintDates], start: NaiveDate) -> Vec<SprintDates> {
    let Some(first) = sprints.first() else { return Vec::new() };
    let shift = |day: NaiveDate| {
        let offset = u64::try_from((day - first.start).num_days()).unwrap_or(0);
        start.checked_add_days(Days::new(offset)).unwrap_or(start)
    };
    sprints.iter().map(|sprint| SprintDates { start: shift(sprint.start), end: shift(sprint.end) }).collect()
}

/// The day the next quarter starts: the day after the quarter's last
/// sprint, or after the planning day between them (the overlap strategy).
pub fn next_quarter_start(board: &Board) -> Option<NaiveDate> {
    let last_end = board.sprints.iter().map(|sprint| sprint.end).max()?;
    Some(super::calendar::next_quarter_start(last_end, board.quarter.overlap))
}

/// Whether `today` falls in the quarter's last sprint, when the method
/// plans the next quarter's OKRs.
pub fn in_last_sprint(board: &Board, today: NaiveDate) -> bool {
    board.sprints.iter().max_by_key(|sprint| sprint.end).is_some_and(|last| last.contains(today))
}

/// One line of advice when drafting outside the last sprint; drafting goes
/// ahead all the same.
pub fn drafting_advice(board: &Board, today: NaiveDate) -> Option<String> {
    (!in_last_sprint(board, today))
        .then(|| "Advice: the method drafts next quarter's OKRs in the last sprint; this is not it".to_owned())
}

/// What the close would leave undone: sprints not closed, KRs without a
/// check-in for more than 14 days (M8). Advice only.
pub fn closing_advice(board: &Board, today: NaiveDate) -> Vec<String> {
    let mut advice = Vec::new();
    let unclosed: Vec<String> = board
        .sprints
        .iter()
        .filter(|sprint| sprint.state != SprintState::Closed)
        .map(|sprint| format!("S{}", sprint.number))
        .collect();
    if !unclosed.is_empty() {
        advice.push(format!("sprints not closed, their reviews not held: {}", unclosed.join(" ")));
    }
    let unchecked: Vec<&str> = board
        .key_results()
        .filter(|kr| check_ins::kr_stale(kr, &board.quarter, today).is_some())
        .map(|kr| kr.code.as_str())
        .collect();
    if !unchecked.is_empty() {
        advice.push(format!(
            "KRs without a check-in {} (M8), scored on an old value: {}",
            board.quarter.cadence.words(),
            unchecked.join(" ")
        ));
    }
    advice
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().expect("date")
    }

    #[test]
    fn a_kr_scores_its_progress_to_a_tenth() {
        assert_eq!(kr_score(0.0, 10.0, 7.0), Some(0.7));
        assert_eq!(kr_score(0.0, 10.0, 6.5), Some(0.7), "halves round up");
        assert_eq!(kr_score(0.0, 10.0, 6.4), Some(0.6));
        assert_eq!(kr_score(0.0, 10.0, 0.0), Some(0.0));
        assert_eq!(kr_score(5.0, 5.0, 6.0), None, "start equals target: not measurable");
    }

    #[test]
    fn a_downward_kr_scores_as_its_value_falls() {
        // Churn from 8 % down to 5 %: at 6.2 it went 1.8 of 3.
        assert_eq!(kr_score(8.0, 5.0, 6.2), Some(0.6));
        assert_eq!(kr_score(8.0, 5.0, 5.0), Some(1.0));
        assert_eq!(kr_score(8.0, 5.0, 9.0), Some(0.0), "the wrong way scores nothing");
        assert_eq!(kr_score(8.0, 5.0, 3.0), Some(1.0), "overshooting scores no more than 1.0");
    }

    #[test]
    fn over_and_undershoot_are_clamped() {
        assert_eq!(kr_score(0.0, 10.0, 25.0), Some(1.0));
        assert_eq!(kr_score(10.0, 20.0, 2.0), Some(0.0));
        assert_eq!(round_score(f64::NAN), 0.0);
        assert_eq!(round_score(f64::INFINITY), 1.0, "an overshoot that overflowed is still met");
        assert_eq!(round_score(f64::NEG_INFINITY), 0.0);
        assert_eq!(kr_score(0.0, 1e-300, 1e300), Some(1.0), "progress overflows to infinity");
        assert_eq!(round_score(0.65), 0.7);
        assert_eq!(round_score(0.349), 0.3);
    }

    #[test]
    fn an_objective_scores_the_mean_of_its_krs() {
        assert_eq!(objective_score(&[0.7, 0.4, 1.0]), Some(0.7));
        assert_eq!(objective_score(&[0.3, 0.4]), Some(0.4), "0.35 rounds up");
        assert_eq!(objective_score(&[]), None);
    }

    #[test]
    fn bands_follow_the_stretch_convention() {
        for (score, band) in [
            (1.0, ScoreBand::OnTarget),
            (0.7, ScoreBand::OnTarget),
            (0.65, ScoreBand::OnTarget),
            (0.6, ScoreBand::Progress),
            (0.4, ScoreBand::Progress),
            (0.35, ScoreBand::Progress),
            (0.34, ScoreBand::Missed),
            (0.3, ScoreBand::Missed),
            (0.0, ScoreBand::Missed),
        ] {
            assert_eq!(ScoreBand::of(score), band, "{score}");
        }
        assert_eq!(ScoreBand::OnTarget.word(), "on target");
        assert_eq!(ScoreBand::Progress.word(), "progress");
        assert_eq!(ScoreBand::Missed.word(), "missed");
    }

    #[test]
    fn the_cadence_is_copied_sprint_by_sprint() {
        let sprints = super::super::plan_sprints(date("2026-10-26"), &[2; 6]).expect("valid");
        let next = copy_cadence(&sprints, date("2027-01-18"));
        assert_eq!(next.len(), 6);
        assert_eq!(next[0], SprintDates { start: date("2027-01-18"), end: date("2027-01-31") });
        assert_eq!(next[5].end, date("2027-04-11"));
    }

    #[test]
    fn unequal_sprints_keep_their_lengths_and_gaps() {
        let sprints = vec![
            SprintDates { start: date("2027-01-04"), end: date("2027-01-24") },
            // A planning day between the first and the second.
            SprintDates { start: date("2027-01-26"), end: date("2027-02-08") },
            SprintDates { start: date("2027-02-09"), end: date("2027-02-15") },
        ];
        let next = copy_cadence(&sprints, date("2027-04-05"));
        assert_eq!(next[0], SprintDates { start: date("2027-04-05"), end: date("2027-04-25") });
        assert_eq!(next[1], SprintDates { start: date("2027-04-27"), end: date("2027-05-10") });
        assert_eq!(next[2], SprintDates { start: date("2027-05-11"), end: date("2027-05-17") });
        assert!(copy_cadence(&[], date("2027-04-05")).is_empty());
    }

    #[test]
    fn quarter_states_read_back() {
        for state in [QuarterState::Draft, QuarterState::Open, QuarterState::Closed] {
            assert_eq!(QuarterState::parse(state.as_str()), state);
        }
        assert_eq!(QuarterState::parse("nonsense"), QuarterState::Open);
    }
}
