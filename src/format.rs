//! Numbers as people read them, for the views and for the forms' text
//! alike: below both, so neither imports the other for it.

use chrono::NaiveDate;

/// A number as people write it: no trailing zeros, at most two decimals.
pub fn number(value: f64) -> String {
    let text = format!("{value:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" { "0".to_owned() } else { text.to_owned() }
}

/// A share (0.175) as a whole per cent, halves away from zero (18): the
/// share is worked out in binary, so 17.5 may arrive as 17.4999…, which a
/// plain rounding would show as 17 beside a 0.65 score shown as 0.7.
pub fn whole_percent(share: f64) -> f64 {
    let per_cent = share * 100.0;
    (per_cent + per_cent.signum() * 1e-9).round() + 0.0
}

/// How far a date may be from the day it is read against and still be
/// written without its year: a quarter's dates seen from within or beside
/// it read as `Jan 18` even across New Year, and a date further away
/// (`Jan 1 2020`) is not mistaken for this year's.
const WITHOUT_ITS_YEAR: i64 = 183;

fn year_needed(date: NaiveDate, near: NaiveDate) -> bool {
    (date - near).num_days().abs() > WITHOUT_ITS_YEAR
}

/// `Oct 26`, or `Jan 1 2020` when `date` is more than half a year from
/// `near` (today, or the quarter it belongs to).
pub fn short_date(date: NaiveDate, near: NaiveDate) -> String {
    let format = if year_needed(date, near) { "%b %-d %Y" } else { "%b %-d" };
    date.format(format).to_string()
}

/// `Fri Dec 4`, or `Fri Dec 4 2020` as `short_date` adds the year.
pub fn weekday_date(date: NaiveDate, near: NaiveDate) -> String {
    let format = if year_needed(date, near) { "%a %b %-d %Y" } else { "%a %b %-d" };
    date.format(format).to_string()
}

/// A count with its noun, singular for one: "1 item", "3 items", "1 pt".
pub fn count(count: impl Into<u64>, one: &str, many: &str) -> String {
    let count = count.into();
    format!("{count} {}", if count == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_half_per_cent_rounds_away_from_zero_whatever_the_binary_error() {
        // (12.7 - 12) / (16 - 12) is 0.17499999999999982 in binary.
        assert_eq!(whole_percent((12.7 - 12.0) / (16.0 - 12.0)), 18.0);
        assert_eq!(whole_percent(0.225), 23.0);
        assert_eq!(whole_percent(-0.175), -18.0);
        assert_eq!(whole_percent(0.0), 0.0);
    }

    #[test]
    fn a_date_far_from_the_day_it_is_read_against_shows_its_year() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("a date");
        let today = day(2027, 1, 13);
        assert_eq!(short_date(day(2027, 1, 1), today), "Jan 1");
        // Across New Year, beside the quarter: no year needed.
        assert_eq!(short_date(day(2026, 12, 7), today), "Dec 7");
        assert_eq!(short_date(day(2027, 3, 28), day(2026, 12, 7)), "Mar 28");
        assert_eq!(short_date(day(2020, 1, 1), today), "Jan 1 2020");
        assert_eq!(short_date(day(2026, 1, 13), today), "Jan 13 2026");
        assert_eq!(weekday_date(day(2027, 1, 15), today), "Fri Jan 15");
        assert_eq!(weekday_date(day(2020, 1, 1), today), "Wed Jan 1 2020");
    }

    #[test]
    fn a_count_of_one_is_singular() {
        assert_eq!(count(1_u32, "item", "items"), "1 item");
        assert_eq!(count(0_u32, "item", "items"), "0 items");
        assert_eq!(count(16_u32, "pt", "pts"), "16 pts");
    }

    #[test]
    fn numbers_drop_needless_zeros() {
        assert_eq!(number(20.0), "20");
        assert_eq!(number(15.10), "15.1");
        assert_eq!(number(2.346), "2.35");
        assert_eq!(number(-0.001), "0");
    }
}
