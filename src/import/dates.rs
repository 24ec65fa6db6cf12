//! The dates the three tools write, read into one `NaiveDateTime`. The
//! time is kept as the file writes it: an offset (`+0200`, `Z`) is dropped,
//! not applied, because Jira's locale dates carry no offset at all and one
//! file should not mix two clocks.

use chrono::{DateTime, NaiveDate, NaiveDateTime};

/// Jira's and Linear's CSV dates: `12/Oct/26 3:05 PM`, `12/Oct/26 15:05`,
/// `2026-10-12 15:05`, `2026-10-12T15:05:00.000+0200`, `…Z`, or a day alone.
pub(super) fn csv_date(text: &str) -> Option<NaiveDateTime> {
    const WITH_TIME: &[&str] = &[
        "%d/%b/%y %I:%M %p",
        "%d/%b/%y %H:%M",
        "%d/%b/%Y %I:%M %p",
        "%d/%b/%Y %H:%M",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ];
    const DAY_ONLY: &[&str] = &["%d/%b/%y", "%d/%b/%Y", "%Y-%m-%d"];
    let text = text.trim();
    if let Some(without_zone) = text.strip_suffix('Z') {
        return NaiveDateTime::parse_from_str(without_zone, "%Y-%m-%dT%H:%M:%S%.f").ok();
    }
    WITH_TIME
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
        .or_else(|| {
            DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f%z")
                .or_else(|_| DateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f%z"))
                .ok()
                .map(|with_zone| with_zone.naive_local())
        })
        .or_else(|| {
            DAY_ONLY
                .iter()
                .find_map(|format| NaiveDate::parse_from_str(text, format).ok())
                .and_then(|day| day.and_hms_opt(0, 0, 0))
        })
}

/// Taskwarrior's `20261012T150500Z` (and, leniently, the CSV forms).
pub(super) fn taskwarrior_date(text: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(text.trim(), "%Y%m%dT%H%M%SZ").ok().or_else(|| csv_date(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").expect("test date")
    }

    #[test]
    fn every_written_form_reads_as_the_same_wall_clock() {
        for text in [
            "12/Oct/26 3:05 PM",
            "12/Oct/26 03:05 pm",
            "12/Oct/26 15:05",
            "12/Oct/2026 3:05 PM",
            "2026-10-12 15:05",
            "2026-10-12T15:05:00.000+0200",
            "2026-10-12T15:05:00.000Z",
            "2026-10-12T15:05:00Z",
        ] {
            assert_eq!(csv_date(text), Some(at("2026-10-12 15:05:00")), "{text}");
        }
        assert_eq!(csv_date("12/Oct/26 12:30 AM"), Some(at("2026-10-12 00:30:00")));
        assert_eq!(csv_date("2026-10-12"), Some(at("2026-10-12 00:00:00")));
        assert_eq!(taskwarrior_date("20261012T150500Z"), Some(at("2026-10-12 15:05:00")));
    }

    #[test]
    fn what_is_not_a_date_is_none() {
        for text in ["", "soon", "32/Oct/26 3:05 PM", "12/Okt/26 3:05 PM", "2026-13-01"] {
            assert_eq!(csv_date(text), None, "{text}");
        }
    }
}
