use super::*;

fn sprints(throughputs: &[(u32, usize)]) -> Vec<Throughput> {
    throughputs.iter().map(|&(points, items)| Throughput { points, items }).collect()
}

fn open(points: u32, unestimated: usize, items: usize) -> OpenWork {
    OpenWork { points, unestimated, items }
}

const AT_S4_OF_6: QuarterSprints = QuarterSprints { first_open: 4, last: 6 };

fn landings(forecast: &Forecast) -> Vec<(u32, Landing)> {
    match forecast {
        Forecast::Likely { likely, .. } => likely.iter().map(|likely| (likely.sprints, likely.landing)).collect(),
        other => panic!("expected a forecast, got {other:?}"),
    }
}

#[test]
fn every_sprint_delivering_ten_points_gives_one_certain_answer() {
    // 25 points at exactly 10 a sprint: S4 and S5 do 20, S6 the last 5.
    let forecast = forecast(&sprints(&[(10, 2), (10, 3), (10, 4)]), open(25, 0, 5), AT_S4_OF_6);
    assert_eq!(landings(&forecast), vec![(3, Landing::InQuarter(6)); 3]);
    assert_eq!(forecast.summary(), "85 % likely done by S6 (50 %: S6, 95 %: S6)");
}

#[test]
fn exactly_a_sprints_worth_lands_in_that_sprint() {
    let forecast = forecast(&sprints(&[(10, 1), (10, 1), (10, 1)]), open(10, 0, 2), AT_S4_OF_6);
    assert_eq!(landings(&forecast), vec![(1, Landing::InQuarter(4)); 3]);
}

#[test]
fn beyond_the_quarter_it_counts_sprints_after_the_last() {
    // 45 points at 10 a sprint: 5 sprints from S4: S4, S5, S6, then 2 more.
    let forecast = forecast(&sprints(&[(10, 1), (10, 1), (10, 1)]), open(45, 0, 9), AT_S4_OF_6);
    assert_eq!(landings(&forecast), vec![(5, Landing::AfterQuarter { last: 6, beyond: 2 }); 3]);
    assert_eq!(Landing::AfterQuarter { last: 6, beyond: 2 }.words(), "after S6, +2 sprints");
    assert_eq!(Landing::AfterQuarter { last: 6, beyond: 1 }.words(), "after S6, +1 sprint");
    assert!(forecast.summary().starts_with("85 % likely done after S6, +2 sprints (50 %: after S6, +2 sprints"));
}

#[test]
fn unestimated_items_count_by_the_item_throughput() {
    // No points at all: 7 unestimated items at exactly 3 items a sprint
    // take 3 sprints (3, 6, then the 7th).
    let forecast = forecast(&sprints(&[(9, 3), (12, 3), (6, 3)]), open(0, 7, 7), AT_S4_OF_6);
    assert_eq!(landings(&forecast), vec![(3, Landing::InQuarter(6)); 3]);
}

#[test]
fn the_share_of_a_sprint_left_after_the_points_goes_to_unestimated_items() {
    // 5 points at 10 a sprint take half of S4; its other half does 2 of
    // its 4 items; 3 unestimated items need S5 too (2 + 4 >= 3).
    let forecast = forecast(&sprints(&[(10, 4), (10, 4), (10, 4)]), open(5, 3, 5), AT_S4_OF_6);
    assert_eq!(landings(&forecast), vec![(2, Landing::InQuarter(5)); 3]);
    // 2 unestimated items fit in S4's free half.
    let forecast = super::forecast(&sprints(&[(10, 4), (10, 4), (10, 4)]), open(5, 2, 4), AT_S4_OF_6);
    assert_eq!(landings(&forecast), vec![(1, Landing::InQuarter(4)); 3]);
}

#[test]
fn fewer_than_three_closed_sprints_is_too_little_history() {
    for closed in 0..3 {
        let history = vec![Throughput { points: 10, items: 2 }; closed];
        let forecast = forecast(&history, open(5, 0, 1), AT_S4_OF_6);
        assert_eq!(forecast, Forecast::TooLittleHistory { closed, needed: 3 });
    }
    assert_eq!(
        forecast(&sprints(&[(10, 2)]), open(5, 0, 1), AT_S4_OF_6).summary(),
        "too little history: 1 closed sprint of the 3 a forecast needs"
    );
    assert_eq!(
        forecast(&[], open(5, 0, 1), AT_S4_OF_6).summary(),
        "too little history: 0 closed sprints of the 3 a forecast needs"
    );
}

#[test]
fn a_kr_with_no_open_items_says_it_has_none() {
    let forecast = forecast(&sprints(&[(10, 2), (10, 2), (10, 2)]), OpenWork::default(), AT_S4_OF_6);
    assert_eq!(forecast, Forecast::NoOpenWork);
    assert_eq!(forecast.summary(), "no open items: nothing to forecast");
}

#[test]
fn a_history_that_delivered_nothing_gives_no_forecast() {
    let history = sprints(&[(0, 0), (0, 0), (0, 0)]);
    assert!(matches!(forecast(&history, open(5, 0, 1), AT_S4_OF_6), Forecast::NoThroughput { closed: 3, .. }));
    // Items done but never a point: unestimated work can still be forecast.
    let history = sprints(&[(0, 2), (0, 2), (0, 2)]);
    assert_eq!(landings(&forecast(&history, open(0, 4, 4), AT_S4_OF_6)), vec![(2, Landing::InQuarter(5)); 3]);
}

#[test]
fn the_percentiles_are_ordered_and_spread_with_a_varied_history() {
    let history = sprints(&[(2, 1), (5, 2), (8, 3), (13, 4), (20, 6), (3, 1)]);
    let forecast = forecast(&history, open(60, 3, 15), QuarterSprints { first_open: 1, last: 6 });
    let found = landings(&forecast);
    assert!(found[0].0 <= found[1].0 && found[1].0 <= found[2].0, "{found:?}");
    assert!(found[0].0 < found[2].0, "a varied history spreads the answer: {found:?}");
    // Mean throughput 8.5 points: 60 points take about 7 sprints at the median.
    assert!((6..=9).contains(&found[0].0), "{found:?}");
}

#[test]
fn the_same_facts_give_the_same_forecast_and_other_facts_another_stream() {
    let history = sprints(&[(2, 1), (5, 2), (8, 3), (13, 4), (20, 6), (3, 1)]);
    let quarter = QuarterSprints { first_open: 1, last: 6 };
    assert_eq!(forecast(&history, open(60, 3, 15), quarter), forecast(&history, open(60, 3, 15), quarter));
    assert_ne!(seed(&history, open(60, 3, 15)), seed(&history, open(61, 3, 15)));
    assert_ne!(seed(&history, open(60, 3, 15)), seed(&history[1..], open(60, 3, 15)));
}

#[test]
fn split_mix_64_gives_its_published_stream() {
    // The reference values of SplitMix64 seeded with 0 (as in the
    // reference C code by Vigna), so the stream is the one documented.
    let mut random = SplitMix64::new(0);
    assert_eq!(random.next_u64(), 0xe220_a839_7b1d_cdaf);
    assert_eq!(random.next_u64(), 0x6e78_9e6a_a1b9_65f4);
    assert_eq!(random.next_u64(), 0x06c4_5d18_8009_454f);
    let mut random = SplitMix64::new(7);
    assert!((0..1000).all(|_| random.below(3) < 3));
}

#[test]
fn a_quarter_with_every_sprint_closed_counts_after_its_last() {
    let quarter = QuarterSprints { first_open: 7, last: 6 };
    assert_eq!(Landing::of(1, quarter), Landing::AfterQuarter { last: 6, beyond: 1 });
    assert_eq!(Landing::of(MAX_SPRINTS + 1, quarter), Landing::Never);
}
