//! Synthetic boards for benchmarks and trials: the demo quarter with its
//! backlog grown to any number of items (`quarterdeck demo --items N`).
//!
//! Items are made by a small seeded generator, so the same N always gives
//! the same board and benchmark runs compare like with like.

use chrono::Days;

use super::{Plan, PlanItem};
use crate::domain::{ItemKind, ItemState, SprintState};

/// SplitMix64: tiny, fast and good enough to vary titles and fields.
struct Generator(u64);

impl Generator {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..bound`.
    fn below(&mut self, bound: usize) -> usize {
        usize::try_from(self.next() % bound as u64).unwrap_or(0)
    }

    fn pick<'a, T>(&mut self, from: &'a [T]) -> &'a T {
        &from[self.below(from.len())]
    }

    /// True `percent` times in a hundred.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

const VERBS: &[&str] = &[
    "Add", "Fix", "Speed up", "Redesign", "Measure", "Remove", "Cache", "Split", "Test", "Document", "Migrate", "Retry",
    "Validate", "Localise", "Simplify",
];
const THINGS: &[&str] = &[
    "checkout button",
    "saved cards list",
    "shipping rates",
    "onboarding checklist",
    "invoice PDF",
    "order export",
    "status page",
    "password reset email",
    "product search",
    "cancellation survey",
    "payment retry",
    "merchant dashboard",
    "sign-up form",
    "refund flow",
    "address autocomplete",
];
const DETAILS: &[&str] = &[
    "",
    "",
    " for mobile buyers",
    " behind a feature flag",
    " in the EU region",
    " when the network is slow",
    " for accounts older than a year",
    " with screen reader support",
    " after the provider outage of last month, so that support stops getting the same three tickets",
];
const POINTS: &[u32] = &[1, 2, 3, 5, 8, 13];

impl Plan {
    /// The demo quarter with `items` backlog items: the demo's own items
    /// first, then generated ones (20 % BAU, some planned into sprints).
    pub fn synthetic(today: chrono::NaiveDate, items: usize) -> anyhow::Result<Self> {
        let mut plan = Self::demo(today)?;
        plan.items.truncate(items);
        let codes: Vec<String> = plan.kr_codes().collect();
        let dates = plan.sprint_dates().unwrap_or_default();
        let states: Vec<SprintState> = dates.iter().map(|span| SprintState::by_date(span.start, span.end, today)).collect();
        let mut random = Generator(0x5144_4B31);
        let mut room: Vec<u32> = plan.sprints.iter().map(|sprint| sprint.capacity).collect();
        for item in &plan.items {
            if let Some(slot) = item.sprint.and_then(|number| room.get_mut(number as usize - 1)) {
                *slot = slot.saturating_sub(item.points);
            }
        }
        plan.items.reserve(items.saturating_sub(plan.items.len()));
        for number in plan.items.len()..items {
            let title = format!("{} {}{} (#{number})", random.pick(VERBS), random.pick(THINGS), random.pick(DETAILS));
            let tags = if random.chance(20) { 0 } else { 1 + random.below(3) };
            let mut krs: Vec<String> = (0..tags).map(|_| random.pick(&codes).clone()).collect();
            krs.sort();
            krs.dedup();
            let points = *random.pick(POINTS);
            // Sprints take items while they have room; the rest wait in the backlog.
            let sprint = Some(random.below(dates.len())).filter(|index| room[*index] >= points);
            if let Some(index) = sprint {
                room[index] -= points;
            }
            let state = match sprint.map(|index| states[index]) {
                Some(SprintState::Closed) => ItemState::Done,
                Some(SprintState::Active) => *random.pick(&ItemState::ALL),
                Some(SprintState::Planned) => ItemState::Todo,
                None if random.chance(8) => ItemState::Done,
                None => ItemState::Todo,
            };
            let done_on = (state == ItemState::Done).then(|| today - Days::new(1 + random.below(60) as u64));
            plan.items.push(PlanItem {
                id: None,
                title,
                description: if random.chance(30) { "Generated for a synthetic board.".to_owned() } else { String::new() },
                kind: *random.pick(&ItemKind::ALL),
                points,
                state,
                sprint: sprint.map(|index| u32::try_from(index + 1).unwrap_or(1)),
                krs,
                done_on,
                deferred_reason: String::new(),
                number: None,
                rank: None,
                other_krs: Vec::new(),
                needs_retag: false,
                external: None,
                done_in_earlier_quarter: false,
            });
        }
        Ok(plan)
    }
}

/// One edit of a synthetic board's history, naming items by their place in
/// the backlog at the time (0 is the top), as a user picks them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyntheticEdit {
    /// Swap the item at this place with the one below it.
    RankDown(usize),
    /// Tag with these KRs, by their place in the plan's KR list (none: BAU).
    Tag(usize, [Option<usize>; 2]),
    State(usize, ItemState),
    /// Into sprint number n (1-based), or out of any sprint.
    Sprint(usize, Option<u32>),
}

impl Plan {
    /// `steps` edits of the kind a product owner makes all day, on the top
    /// `items` places of the backlog: the board's undo history.
    pub fn synthetic_history(&self, steps: usize) -> Vec<SyntheticEdit> {
        let places = self.items.len().min(300);
        if places < 2 {
            return Vec::new();
        }
        let krs = self.kr_codes().count();
        let sprints = u32::try_from(self.sprints.len()).unwrap_or(0);
        let mut random = Generator(0x4849_5354);
        (0..steps)
            .map(|_| {
                let place = random.below(places - 1);
                match random.below(10) {
                    0..=3 => SyntheticEdit::RankDown(place),
                    4 | 5 => SyntheticEdit::Tag(
                        place,
                        [Some(random.below(krs)), Some(random.below(krs)).filter(|_| random.chance(30))],
                    ),
                    6 | 7 => SyntheticEdit::State(place, *random.pick(&ItemState::ALL)),
                    _ => SyntheticEdit::Sprint(
                        place,
                        Some(1 + random.below(sprints as usize) as u32).filter(|_| random.chance(70)),
                    ),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("date")
    }

    #[test]
    fn a_synthetic_board_has_exactly_n_valid_items() {
        for n in [0, 10, 40, 1000] {
            let plan = Plan::synthetic(today(), n).expect("plan");
            assert_eq!(plan.items.len(), n);
            plan.validate().expect("valid");
        }
    }

    #[test]
    fn it_is_varied_and_repeatable() {
        let plan = Plan::synthetic(today(), 5000).expect("plan");
        let generated = &plan.items[40..];
        let bau = generated.iter().filter(|item| item.krs.is_empty()).count();
        assert!((800..1200).contains(&bau), "about 20 % BAU: {bau}");
        assert!(generated.iter().any(|item| item.sprint.is_some()));
        for number in 1..=6 {
            let load: u32 = plan.items.iter().filter(|item| item.sprint == Some(number)).map(|item| item.points).sum();
            let capacity = plan.sprints[number as usize - 1].capacity;
            assert!(load <= capacity, "sprint {number}: {load} of {capacity}");
        }
        assert!(generated.iter().any(|item| item.state == ItemState::Done));
        let lengths: Vec<usize> = generated.iter().map(|item| item.title.len()).collect();
        assert!(lengths.iter().min() < Some(&30) && lengths.iter().max() > Some(&90), "titles of varied length");
        assert_eq!(plan, Plan::synthetic(today(), 5000).expect("again"), "same N, same board");
    }

    #[test]
    fn its_history_mixes_every_kind_of_edit_and_is_repeatable() {
        let plan = Plan::synthetic(today(), 1000).expect("plan");
        let history = plan.synthetic_history(200);
        assert_eq!(history.len(), 200);
        let kinds = |test: fn(&SyntheticEdit) -> bool| history.iter().filter(|edit| test(edit)).count();
        assert!(kinds(|edit| matches!(edit, SyntheticEdit::RankDown(_))) > 40);
        assert!(kinds(|edit| matches!(edit, SyntheticEdit::Tag(..))) > 20);
        assert!(kinds(|edit| matches!(edit, SyntheticEdit::State(..))) > 20);
        assert!(kinds(|edit| matches!(edit, SyntheticEdit::Sprint(..))) > 10);
        assert_eq!(history, plan.synthetic_history(200));
        assert!(Plan::synthetic(today(), 1).expect("plan").synthetic_history(200).is_empty(), "nothing to edit");
    }
}
