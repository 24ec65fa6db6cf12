//! What users type to name an object, read in one place: `O1`, `KR1.2`,
//! `S3`, `#42` (or `42`), optionally after a quarter (`2027-Q1:KR1.2`),
//! or an object's stable id (its UUID). The command line, the plan file
//! and any later prompt resolve through here, so `kr1.2` means the same
//! everywhere. The grammar is documented in docs/cli.md, "References".
//!
//! This module only reads the text; finding the object on a board is the
//! store's (`Store::resolve`), which names what it found with
//! [`super::codes`] and explains a miss with [`code_ranges`].

use std::fmt;

use super::{Id, codes};

/// The object a reference names, before it is looked up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `O2`: the objective numbered 2 in the quarter.
    Objective(u32),
    /// `KR1.2`: objective 1's second KR.
    KeyResult { objective: u32, position: u32 },
    /// `S3`: the quarter's sprint 3.
    Sprint(u32),
    /// `#42` or `42`: the item numbered 42 (items belong to the board, not
    /// to a quarter).
    Item(Id),
    /// An object's stable id, lower case, with its hyphens.
    Uid(String),
}

/// A reference as typed: which quarter, if it names one, and what in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The quarter's label as typed before the `:` (`2027-Q1`), trimmed;
    /// `None`: the quarter on screen.
    pub quarter: Option<String>,
    pub target: Target,
}

impl Reference {
    /// The code of the target, as the board writes it (`KR1.2`, `#42`).
    pub fn code(&self) -> String {
        match &self.target {
            Target::Objective(number) => codes::objective(*number),
            Target::KeyResult { objective, position } => codes::key_result(*objective, *position),
            Target::Sprint(number) => codes::sprint(*number),
            Target::Item(id) => codes::item(*id),
            Target::Uid(uid) => uid.clone(),
        }
    }
}

/// Why a text is not a reference; the message names what was typed and
/// what would be one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    Empty,
    /// Not in any of the forms.
    Unknown(String),
    /// `O0`, `KR1.0`, `#0`: numbers start at 1.
    Zero(String),
    /// `2027-Q1:` with nothing after it, or `:KR1.2`.
    Incomplete(String),
}

/// The forms, for error messages.
pub const FORMS: &str = "O1 (an objective), KR1.2 (a key result), S3 (a sprint), #42 (an item), \
                         each after a quarter if you like (2027-Q1:KR1.2), or an object's id";

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => write!(f, "nothing to look up: write {FORMS}"),
            Self::Unknown(typed) => write!(f, "\"{typed}\" is not a reference: write {FORMS}"),
            Self::Zero(typed) => write!(f, "\"{typed}\" names number 0: objectives, KRs, sprints and items count from 1"),
            Self::Incomplete(typed) => {
                write!(f, "\"{typed}\" is incomplete: write a quarter, a colon and a code, as 2027-Q1:KR1.2")
            }
        }
    }
}

impl std::error::Error for ParseError {}

/// Reads a reference. Letters may be in either case (`kr1.2`, `s3`) and
/// spaces around the parts are ignored; a quarter's label is everything
/// before the last `:` (labels are matched by the store).
pub fn parse(text: &str) -> Result<Reference, ParseError> {
    let typed = text.trim();
    if typed.is_empty() {
        return Err(ParseError::Empty);
    }
    // Whole first: `urn:uuid:...` holds colons of its own.
    if let Some(uid) = parse_uid(typed) {
        return Ok(Reference { quarter: None, target: Target::Uid(uid) });
    }
    let (quarter, code) = match typed.rsplit_once(':') {
        Some((quarter, code)) => {
            let (quarter, code) = (quarter.trim(), code.trim());
            if quarter.is_empty() || code.is_empty() {
                return Err(ParseError::Incomplete(typed.to_owned()));
            }
            (Some(quarter.to_owned()), code)
        }
        None => (None, typed),
    };
    let target = parse_target(code).ok_or_else(|| ParseError::Unknown(typed.to_owned()))?;
    let zero = match &target {
        Target::Objective(n) | Target::Sprint(n) => *n == 0,
        Target::KeyResult { objective, position } => *objective == 0 || *position == 0,
        Target::Item(id) => *id == 0,
        Target::Uid(_) => false,
    };
    if zero {
        return Err(ParseError::Zero(typed.to_owned()));
    }
    Ok(Reference { quarter, target })
}

fn parse_target(code: &str) -> Option<Target> {
    if let Some(uid) = parse_uid(code) {
        return Some(Target::Uid(uid));
    }
    let upper = code.to_ascii_uppercase();
    if let Some(rest) = upper.strip_prefix("KR") {
        let (objective, position) = rest.split_once('.')?;
        return Some(Target::KeyResult { objective: number(objective)?, position: number(position)? });
    }
    if let Some(rest) = upper.strip_prefix('O') {
        return number(rest).map(Target::Objective);
    }
    if let Some(rest) = upper.strip_prefix('S') {
        return number(rest).map(Target::Sprint);
    }
    let digits = upper.strip_prefix('#').unwrap_or(&upper);
    number(digits).map(|n| Target::Item(Id::from(n)))
}

/// Digits only: no sign, no spaces inside, no `+`.
fn number(digits: &str) -> Option<u32> {
    if digits.is_empty() || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// A stable id as written anywhere (any case, with or without its braces
/// or `urn:uuid:`): its canonical form, lower case with hyphens.
pub fn parse_uid(text: &str) -> Option<String> {
    let text = text.trim();
    // A bare number of 32 digits would parse as a simple-form UUID; only
    // the hyphenated form is an id here, so `#42` and `42` stay items.
    if !text.contains('-') {
        return None;
    }
    uuid::Uuid::try_parse(text).ok().map(|uid| uid.hyphenated().to_string())
}

/// Codes as short ranges for a message: `KR1.1-KR1.3, KR2.1`. `numbers`
/// are (group, number) pairs, group 0 for objectives and sprints, the
/// objective for KRs; a run of consecutive numbers in one group is one
/// range. `code` writes one (`|_, n| codes::sprint(n)`).
pub fn code_ranges(mut numbers: Vec<(u32, u32)>, code: impl Fn(u32, u32) -> String) -> String {
    numbers.sort_unstable();
    numbers.dedup();
    let mut runs: Vec<((u32, u32), u32)> = Vec::new();
    for (group, n) in numbers {
        match runs.last_mut() {
            Some(((last_group, _), end)) if *last_group == group && *end + 1 == n => *end = n,
            _ => runs.push(((group, n), n)),
        }
    }
    runs.into_iter()
        .map(
            |((group, start), end)| {
                if start == end { code(group, start) } else { format!("{}-{}", code(group, start), code(group, end)) }
            },
        )
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(quarter: Option<&str>, target: Target) -> Result<Reference, ParseError> {
        Ok(Reference { quarter: quarter.map(str::to_owned), target })
    }

    #[test]
    fn every_form_reads_as_users_type_it() {
        let kr = |objective, position| Target::KeyResult { objective, position };
        let uid = "0190a5b2-7c3d-7e4f-8a5b-6c7d8e9f0a1b";
        let cases: Vec<(&str, Result<Reference, ParseError>)> = vec![
            ("O1", reference(None, Target::Objective(1))),
            ("o12", reference(None, Target::Objective(12))),
            ("KR1.2", reference(None, kr(1, 2))),
            ("kr1.2", reference(None, kr(1, 2))),
            ("Kr10.11", reference(None, kr(10, 11))),
            ("S3", reference(None, Target::Sprint(3))),
            ("s3", reference(None, Target::Sprint(3))),
            ("#42", reference(None, Target::Item(42))),
            ("42", reference(None, Target::Item(42))),
            ("  #7  ", reference(None, Target::Item(7))),
            ("O01", reference(None, Target::Objective(1))),
            ("2027-Q1:KR1.2", reference(Some("2027-Q1"), kr(1, 2))),
            ("2027-q1 : s3", reference(Some("2027-q1"), Target::Sprint(3))),
            ("2026-Q4 (2):O1", reference(Some("2026-Q4 (2)"), Target::Objective(1))),
            ("2027-Q1:#42", reference(Some("2027-Q1"), Target::Item(42))),
            (uid, reference(None, Target::Uid(uid.into()))),
            ("0190A5B2-7C3D-7E4F-8A5B-6C7D8E9F0A1B", reference(None, Target::Uid(uid.into()))),
            ("{0190a5b2-7c3d-7e4f-8a5b-6c7d8e9f0a1b}", reference(None, Target::Uid(uid.into()))),
            ("urn:uuid:0190a5b2-7c3d-7e4f-8a5b-6c7d8e9f0a1b", reference(None, Target::Uid(uid.into()))),
            ("0190a5b27c3d7e4f8a5b6c7d8e9f0a1b", Err(ParseError::Unknown("0190a5b27c3d7e4f8a5b6c7d8e9f0a1b".into()))),
            ("", Err(ParseError::Empty)),
            ("   ", Err(ParseError::Empty)),
            ("KR1", Err(ParseError::Unknown("KR1".into()))),
            ("KR1.2.3", Err(ParseError::Unknown("KR1.2.3".into()))),
            ("KR.2", Err(ParseError::Unknown("KR.2".into()))),
            ("O", Err(ParseError::Unknown("O".into()))),
            ("O-1", Err(ParseError::Unknown("O-1".into()))),
            ("S 3", Err(ParseError::Unknown("S 3".into()))),
            ("#", Err(ParseError::Unknown("#".into()))),
            ("#+4", Err(ParseError::Unknown("#+4".into()))),
            ("X1", Err(ParseError::Unknown("X1".into()))),
            ("checkout", Err(ParseError::Unknown("checkout".into()))),
            ("99999999999", Err(ParseError::Unknown("99999999999".into()))),
            ("0190a5b2-7c3d-7e4f-8a5b", Err(ParseError::Unknown("0190a5b2-7c3d-7e4f-8a5b".into()))),
            ("O0", Err(ParseError::Zero("O0".into()))),
            ("KR1.0", Err(ParseError::Zero("KR1.0".into()))),
            ("#0", Err(ParseError::Zero("#0".into()))),
            ("2027-Q1:", Err(ParseError::Incomplete("2027-Q1:".into()))),
            (":KR1.2", Err(ParseError::Incomplete(":KR1.2".into()))),
        ];
        for (typed, expected) in cases {
            assert_eq!(parse(typed), expected, "{typed:?}");
        }
    }

    #[test]
    fn a_reference_writes_its_code_as_the_board_does() {
        for (typed, code) in [("kr1.2", "KR1.2"), ("2027-Q1:s3", "S3"), ("42", "#42"), ("o2", "O2")] {
            assert_eq!(parse(typed).expect(typed).code(), code);
        }
    }

    #[test]
    fn errors_name_what_was_typed_and_the_forms() {
        let unknown = parse("KR1").expect_err("not a KR").to_string();
        assert!(unknown.starts_with("\"KR1\" is not a reference: write O1"), "{unknown}");
        assert!(unknown.contains("2027-Q1:KR1.2"), "{unknown}");
        assert!(parse("O0").expect_err("zero").to_string().contains("count from 1"));
    }

    #[test]
    fn codes_collapse_into_ranges() {
        let kr = |o, k| codes::key_result(o, k);
        let cases: Vec<(Vec<(u32, u32)>, &str)> = vec![
            (vec![(1, 1), (1, 2), (1, 3), (2, 1)], "KR1.1-KR1.3, KR2.1"),
            (vec![(2, 1), (1, 3), (1, 1)], "KR1.1, KR1.3, KR2.1"),
            (vec![(1, 1), (2, 1), (2, 2)], "KR1.1, KR2.1-KR2.2"),
            (vec![], ""),
        ];
        for (numbers, expected) in cases {
            assert_eq!(code_ranges(numbers, kr), expected);
        }
        assert_eq!(code_ranges(vec![(0, 1), (0, 2), (0, 3), (0, 4), (0, 5), (0, 6)], |_, n| codes::sprint(n)), "S1-S6");
        assert_eq!(code_ranges(vec![(0, 2)], |_, n| codes::objective(n)), "O2");
    }
}
