//! What the method says about a plan that it still takes (it advises and
//! never blocks): the same words a front end says on the same change, such
//! as a check-in dated outside its quarter.

use super::Plan;
use crate::domain::check_ins;

impl Plan {
    /// The plan's advice, one line each (`KR1.1: the check-in is dated
    /// 2099-12-07, outside 2027-Q1 (...)`), as `quarterdeck checkin` says it.
    pub fn advice(&self) -> Vec<String> {
        let Ok(dates) = self.sprint_dates() else { return Vec::new() };
        let start = self.quarter.start;
        let end = dates.last().map_or(start, |span| span.end);
        let label = self.quarter.label.trim();
        self.kr_codes()
            .zip(self.objectives.iter().flat_map(|objective| &objective.key_results))
            .flat_map(|(code, kr)| {
                kr.check_ins
                    .iter()
                    .filter_map(move |check_in| check_ins::outside_quarter(check_in.date, label, start, end))
                    .map(move |said| format!("{code}: {said}"))
            })
            .collect()
    }
}
