//! Key result progress and pace (method.md: "Key result").

/// Progress of a KR: `(current - start) / (target - start)`.
///
/// Works for KRs that go down ("reduce churn from 8 % to 5 %") as well as up,
/// because the sign of the denominator follows the direction. The value is
/// exact (it can be below 0 or above 1); clamp it for display only.
/// A KR whose start equals its target is not measurable (M9): `None`.
pub fn kr_progress(start: f64, target: f64, current: f64) -> Option<f64> {
    let span = target - start;
    if span == 0.0 || !span.is_finite() {
        return None;
    }
    // No movement on a downward KR is 0 / -span = -0.0, which would print
    // as "-0 %": adding +0.0 makes every zero a plain one.
    Some((current - start) / span + 0.0)
}

/// How a KR's progress compares with the share of the quarter that has passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pace {
    OnPace,
    Behind,
    AtRisk,
    /// The KR cannot be measured (start equals target).
    Unmeasurable,
}

impl Pace {
    /// The word the board writes beside the colour, so pace reads without it.
    pub fn word(self) -> &'static str {
        match self {
            Self::OnPace => "on pace",
            Self::Behind => "behind",
            Self::AtRisk => "at risk",
            Self::Unmeasurable => "no target",
        }
    }
}

/// Progress this far behind the expected share still counts as on pace:
/// KRs move in steps, not in a straight line.
const ON_PACE_SLACK: f64 = 0.10;
/// Beyond this far behind, the KR is at risk rather than merely behind.
const BEHIND_SLACK: f64 = 0.25;

/// Pace of a KR with `progress` when `elapsed` (0..1) of the quarter is gone.
pub fn pace(progress: Option<f64>, elapsed: f64) -> Pace {
    let Some(progress) = progress else {
        return Pace::Unmeasurable;
    };
    let gap = elapsed.clamp(0.0, 1.0) - progress;
    if gap <= ON_PACE_SLACK {
        Pace::OnPace
    } else if gap <= BEHIND_SLACK {
        Pace::Behind
    } else {
        Pace::AtRisk
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A downward KR that has not moved is at 0, not -0 (shown "-0 %").
    #[test]
    fn no_movement_downwards_is_a_plain_zero() {
        let progress = kr_progress(1.8, 1.0, 1.8);
        assert_eq!(progress.map(f64::is_sign_positive), Some(true), "{progress:?}");
        assert_eq!(progress.map(|p| format!("{:.0}", p * 100.0)).as_deref(), Some("0"));
    }

    #[test]
    fn progress_is_exact_in_both_directions() {
        let cases: &[(f64, f64, f64, f64)] = &[
            // start, target, current, expected
            (12.0, 20.0, 16.0, 0.5),
            (12.0, 20.0, 12.0, 0.0),
            (12.0, 20.0, 20.0, 1.0),
            (12.0, 20.0, 24.0, 1.5),   // beyond target: stored exactly
            (12.0, 20.0, 10.0, -0.25), // went backwards
            // A KR whose target is below its start: reduce churn 8 % -> 5 %.
            (8.0, 5.0, 6.5, 0.5),
            (8.0, 5.0, 5.0, 1.0),
            (8.0, 5.0, 9.5, -0.5),
            (2.4, 1.2, 2.0, (2.4 - 2.0) / 1.2),
        ];
        for &(start, target, current, expected) in cases {
            let got = kr_progress(start, target, current).expect("measurable");
            assert!((got - expected).abs() < 1e-9, "{start}->{target} at {current}: got {got}, want {expected}");
        }
    }

    #[test]
    fn start_equal_to_target_is_not_measurable() {
        assert_eq!(kr_progress(5.0, 5.0, 7.0), None);
        assert_eq!(pace(kr_progress(5.0, 5.0, 7.0), 0.5), Pace::Unmeasurable);
    }

    #[test]
    fn pace_compares_progress_with_time() {
        assert_eq!(pace(Some(0.5), 0.5), Pace::OnPace);
        assert_eq!(pace(Some(0.42), 0.5), Pace::OnPace);
        assert_eq!(pace(Some(0.3), 0.5), Pace::Behind);
        assert_eq!(pace(Some(0.1), 0.5), Pace::AtRisk);
        assert_eq!(pace(Some(0.0), 0.0), Pace::OnPace);
        assert_eq!(pace(Some(-0.2), 0.0), Pace::Behind, "went backwards");
        assert_eq!(pace(Some(1.2), 1.0), Pace::OnPace);
    }

    #[test]
    fn pace_thresholds_are_ten_and_twenty_five_points_behind() {
        // (progress, elapsed, pace): the gap is elapsed - progress.
        let cases: &[(f64, f64, Pace)] = &[
            (0.40, 0.50, Pace::OnPace), // 10 points behind: still on pace
            (0.39, 0.50, Pace::Behind),
            (0.25, 0.50, Pace::Behind), // 25 points behind: behind
            (0.24, 0.50, Pace::AtRisk),
            (0.90, 0.50, Pace::OnPace), // ahead
            (0.00, 1.50, Pace::AtRisk), // elapsed is clamped to the quarter
        ];
        for &(progress, elapsed, expected) in cases {
            assert_eq!(pace(Some(progress), elapsed), expected, "{progress} at {elapsed}");
        }
    }
}

/// An objective's progress: the mean of its measurable KRs' progress, each
/// clamped to 0..1 first so one overshooting KR cannot hide a stalled one.
pub fn objective_progress(key_results: &[super::KeyResult]) -> Option<f64> {
    let progress: Vec<f64> =
        key_results.iter().filter_map(|kr| kr_progress(kr.start, kr.target, kr.current)).map(|p| p.clamp(0.0, 1.0)).collect();
    #[allow(clippy::cast_precision_loss)] // a handful of KRs
    (!progress.is_empty()).then(|| progress.iter().sum::<f64>() / progress.len() as f64)
}

#[cfg(test)]
mod objective_tests {
    use super::*;
    use crate::domain::KeyResult;

    fn kr(start: f64, target: f64, current: f64) -> KeyResult {
        KeyResult {
            id: 1,
            objective_id: 1,
            code: "KR1.1".into(),
            title: "t".into(),
            unit: "%".into(),
            start,
            target,
            current,
            owner: String::new(),
            confidence: 50,
            check_ins: Vec::new(),
        }
    }

    #[test]
    fn objective_progress_averages_clamped_krs() {
        let krs = [kr(0.0, 10.0, 20.0), kr(8.0, 5.0, 8.0), kr(1.0, 1.0, 3.0)];
        // 1.0 (clamped from 2.0) and 0.0; the unmeasurable KR is left out.
        assert_eq!(objective_progress(&krs), Some(0.5));
        assert_eq!(objective_progress(&[]), None);
    }
}
