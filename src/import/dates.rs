//! The dates the three tools write, read into one `NaiveDateTime`. The
//! time is kept as the file writes it: an offset (`+0200`, `Z`) is dropped,
//! not applied, because Jira's locale dates carry no offset at all and one
//! file should not mix two clocks.

use std::sync::LazyLock;

use chrono::{
    NaiveDateTime, NaiveTime,
    format::{Item, Parsed, StrftimeItems, parse},
};

/// A written form, its format parsed once (a 100,000-row export has
/// hundreds of thousands of dates).
struct Form {
    items: Vec<Item<'static>>,
    has_time: bool,
    /// An offset (`+0200`) is read, then dropped.
    has_offset: bool,
}

fn forms(formats: &[&str]) -> Vec<Form> {
    formats
        .iter()
        .filter_map(|format| {
            let items = StrftimeItems::new(format).parse_to_owned().ok()?;
            Some(Form { items, has_time: format.contains("%M"), has_offset: format.contains("%z") })
        })
        .collect()
}

/// Jira's locale forms, 12-hour and 24-hour, two- or four-digit years.
static SLASHED: LazyLock<Vec<Form>> = LazyLock::new(|| {
    forms(&[
        "%d/%b/%y %I:%M %p",
        "%d/%b/%y %H:%M",
        "%d/%b/%Y %I:%M %p",
        "%d/%b/%Y %H:%M",
        "%d/%b/%y %I:%M:%S %p",
        "%d/%b/%y",
        "%d/%b/%Y",
    ])
});

/// ISO forms, with or without seconds, fractions, `T`, an offset or `Z`.
static ISO: LazyLock<Vec<Form>> = LazyLock::new(|| {
    forms(&[
        "%Y-%m-%dT%H:%M:%S%.fZ",
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%d",
    ])
});

static TASKWARRIOR: LazyLock<Vec<Form>> = LazyLock::new(|| forms(&["%Y%m%dT%H%M%SZ"]));

/// Jira's and Linear's CSV dates: `12/Oct/26 3:05 PM`, `12/Oct/26 15:05`,
/// `2026-10-12 15:05`, `2026-10-12T15:05:00.000+0200`, `…Z`, or a day alone.
pub(super) fn csv_date(text: &str) -> Option<NaiveDateTime> {
    let text = text.trim();
    let forms = if text.contains('/') { &*SLASHED } else { &*ISO };
    first_form(text, forms)
}

fn first_form(text: &str, forms: &[Form]) -> Option<NaiveDateTime> {
    forms.iter().find_map(|form| {
        let mut parsed = Parsed::new();
        parse(&mut parsed, text, form.items.iter()).ok()?;
        if form.has_offset {
            return parsed.to_datetime().ok().map(|with_offset| with_offset.naive_local());
        }
        let day = parsed.to_naive_date().ok()?;
        let time = if form.has_time { parsed.to_naive_time().ok()? } else { NaiveTime::MIN };
        Some(day.and_time(time))
    })
}

/// Taskwarrior's `20261012T150500Z` (and, leniently, the CSV forms).
pub(super) fn taskwarrior_date(text: &str) -> Option<NaiveDateTime> {
    first_form(text.trim(), &TASKWARRIOR).or_else(|| csv_date(text))
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
