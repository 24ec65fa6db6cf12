//! A merge conflict's values as a person reads them (the board's conflict
//! chooser; the sync's summary may say them the same way): `5`,
//! `'Export CSV'`, `S3`, `[KR1.2, KR2.1]`, `none`, `deleted on mine`.

use serde_json::Value;

use crate::plan::{Conflict, ConflictKind, Side};

/// `side`'s value of `conflict`, or `base`'s with `None`; a deleted
/// object says so.
pub fn side_value(conflict: &Conflict, side: Option<Side>) -> String {
    let (value, this) = match side {
        Some(Side::Mine) => (&conflict.mine, Some(Side::Mine)),
        Some(Side::Theirs) => (&conflict.theirs, Some(Side::Theirs)),
        None => (&conflict.base, None),
    };
    match conflict.kind {
        ConflictKind::DeletedVsChanged { deleted_on } if this == Some(deleted_on) => match deleted_on {
            Side::Mine => "deleted on mine".to_owned(),
            Side::Theirs => "deleted on theirs".to_owned(),
        },
        _ => readable(value),
    }
}

/// One value of the plan file as a person reads it: codes and numbers as
/// they are, text in quotes, a list in brackets, nothing as `none`.
pub fn readable(value: &Value) -> String {
    match value {
        Value::Null => "none".to_owned(),
        Value::Bool(true) => "yes".to_owned(),
        Value::Bool(false) => "no".to_owned(),
        Value::Number(number) => number.to_string(),
        Value::String(text) if is_code(text) => text.clone(),
        Value::String(text) => format!("'{text}'"),
        Value::Array(values) => format!("[{}]", values.iter().map(readable).collect::<Vec<_>>().join(", ")),
        Value::Object(_) => value.to_string(),
    }
}

/// A code the board gives an object (`#42`, `O1`, `KR1.2`, `S3`) or a
/// word of the plan file's own (`done`, `story`) or a date: shown bare.
fn is_code(text: &str) -> bool {
    let digits = |rest: &str| !rest.is_empty() && rest.chars().all(|ch| ch.is_ascii_digit() || ch == '.');
    let known_word = matches!(text, "todo" | "doing" | "done" | "story" | "bug" | "chore" | "spike");
    let date = text.len() == 10 && chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok();
    known_word || date || ["#", "KR", "O", "S"].iter().any(|prefix| text.strip_prefix(prefix).is_some_and(digits))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn values_read_as_a_person_says_them() {
        assert_eq!(readable(&json!(5)), "5");
        assert_eq!(readable(&json!("Export CSV")), "'Export CSV'");
        assert_eq!(readable(&json!("S3")), "S3");
        assert_eq!(readable(&json!(["KR1.2", "KR2.1"])), "[KR1.2, KR2.1]");
        assert_eq!(readable(&Value::Null), "none");
        assert_eq!(readable(&json!(["done", "2027-01-27"])), "[done, 2027-01-27]");
        let deleted = Conflict {
            kind: ConflictKind::DeletedVsChanged { deleted_on: Side::Mine },
            object: crate::plan::ObjectKind::Item,
            id: "a".into(),
            code: "#4".into(),
            field: "points".into(),
            base: json!(3),
            mine: Value::Null,
            theirs: json!(8),
        };
        assert_eq!(side_value(&deleted, Some(Side::Mine)), "deleted on mine");
        assert_eq!(side_value(&deleted, Some(Side::Theirs)), "8");
        assert_eq!(side_value(&deleted, None), "3");
    }
}
