//! Quarter labels: the next quarter's continues the running one's pattern,
//! and two quarters never share one (schema v10 keeps that in the file).

use chrono::NaiveDate;

use super::{
    calendar::quarter_label,
    validate::{Field, FieldError},
};

/// The label of the quarter after `previous`, starting `start`, unlike
/// every label in `taken`: `2027-Q1` is followed by `2027-Q2`, `2027-Q4`
/// by `2028-Q1`, `Cycle 7` by `Cycle 8`; a label with no number to carry
/// on is followed by the label of `start` (`2027-Q2`). A label already
/// taken gets the first free ` (2)`, ` (3)`, ... after it.
pub fn next_quarter_label(previous: &str, start: NaiveDate, taken: &[String]) -> String {
    let next = continued_year_quarter(previous).or_else(|| continued_number(previous)).unwrap_or_else(|| quarter_label(start));
    unique_label(next, taken)
}

/// The label field's error when another quarter has `label` already.
pub fn taken_label_error(label: &str, taken: &[String]) -> Option<FieldError> {
    taken.iter().any(|other| other == label.trim()).then(|| {
        FieldError::new(Field::Label, format!("Label: {} is another quarter's label; two quarters never share one", label.trim()))
    })
}

/// `label`, or `label (2)`, `label (3)`, ... whichever is not in `taken`.
pub fn unique_label(label: String, taken: &[String]) -> String {
    let is_free = |candidate: &str| !taken.iter().any(|other| other == candidate);
    if is_free(&label) {
        return label;
    }
    (2_u32..).map(|n| format!("{label} ({n})")).find(|candidate| is_free(candidate)).unwrap_or(label)
}

/// `2027-Q1` -> `2027-Q2`, `FY2027 Q4` -> `FY2028 Q1`: the last `Q` with a
/// quarter digit after it (and no further digit), and the four-digit year
/// before it, if any.
fn continued_year_quarter(label: &str) -> Option<String> {
    let bytes = label.as_bytes();
    let q = (0..bytes.len().saturating_sub(1)).rev().find(|&at| {
        matches!(bytes[at], b'Q' | b'q')
            && (b'1'..=b'4').contains(&bytes[at + 1])
            && bytes.get(at + 2).is_none_or(|after| !after.is_ascii_digit())
    })?;
    let quarter = bytes[q + 1] - b'0';
    let (year_span, next_quarter) = if quarter == 4 { (year_before(label, q), 1) } else { (None, quarter + 1) };
    let mut next = String::with_capacity(label.len());
    match year_span {
        Some((from, to)) => {
            let year: u32 = label[from..to].parse().ok()?;
            next.push_str(&label[..from]);
            next.push_str(&(year + 1).to_string());
            next.push_str(&label[to..=q]);
        }
        // Q4 with no year to carry over: Q1 all the same.
        None => next.push_str(&label[..=q]),
    }
    next.push(char::from(b'0' + next_quarter));
    next.push_str(&label[q + 2..]);
    Some(next)
}

/// The span of the last run of exactly four digits before `before`.
fn year_before(label: &str, before: usize) -> Option<(usize, usize)> {
    let bytes = &label.as_bytes()[..before];
    let end = bytes.iter().rposition(u8::is_ascii_digit)? + 1;
    let start = bytes[..end].iter().rposition(|byte| !byte.is_ascii_digit()).map_or(0, |at| at + 1);
    (end - start == 4).then_some((start, end))
}

/// `Cycle 7` -> `Cycle 8`, `Team-09` -> `Team-10`: the number the label
/// ends with, one up, as wide as it was.
fn continued_number(label: &str) -> Option<String> {
    let digits = label.bytes().rev().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let (head, number) = label.split_at(label.len() - digits);
    let next = number.parse::<u64>().ok()?.checked_add(1)?;
    Some(format!("{head}{next:0digits$}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().expect("test date")
    }

    #[test]
    fn the_next_label_continues_the_pattern() {
        let start = day("2027-03-29");
        for (previous, next) in [
            ("2027-Q1", "2027-Q2"),
            ("2027-Q3", "2027-Q4"),
            ("2027-Q4", "2028-Q1"),
            ("FY2027 Q4 (EMEA)", "FY2028 Q1 (EMEA)"),
            ("Q4", "Q1"),
            ("Cycle 7", "Cycle 8"),
            ("Team-09", "Team-10"),
            // Nothing to continue: the start's own label.
            ("Payments", "2027-Q1"),
        ] {
            assert_eq!(next_quarter_label(previous, start, &[]), next, "after {previous}");
        }
    }

    #[test]
    fn a_taken_label_gets_the_first_free_number() {
        let taken = vec!["2027-Q2".to_owned(), "2027-Q2 (2)".to_owned()];
        assert_eq!(next_quarter_label("2027-Q1", day("2027-03-29"), &taken), "2027-Q2 (3)");
        assert_eq!(unique_label("2027-Q3".into(), &taken), "2027-Q3");
    }
}
