//! A merge conflict's values as a person reads them (the board's conflict
//! chooser; the sync's summary may say them the same way): `5`,
//! `'Export CSV'`, `S3`, `[KR1.2, KR2.1]`, `none`, `deleted on mine`.

use serde_json::Value;

use crate::plan::{Conflict, ConflictKind, Side};

/// `side`'s value of `conflict`, or `base`'s with `None`; a deleted
/// object says so, and the side that changed it says what it changed
/// (`changed points 2 → 3`), the base naming the object as it was.
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
        ConflictKind::DeletedVsChanged { .. } if this.is_some() => changes(&conflict.base, value),
        ConflictKind::DeletedVsChanged { .. } if value.is_object() => name(value).unwrap_or_else(|| "as it was".to_owned()),
        _ => readable(value),
    }
}

/// What a conflict is about: the object's code and field (`#5 points`),
/// or for a deleted object its code and title (`#45 'Bob item Y'`).
pub fn subject(conflict: &Conflict) -> String {
    match conflict.kind {
        ConflictKind::DeletedVsChanged { .. } => {
            let named = [&conflict.mine, &conflict.theirs, &conflict.base].into_iter().find_map(name);
            named.map_or_else(|| conflict.code.clone(), |title| format!("{} {title}", conflict.code))
        }
        ConflictKind::BothChanged if conflict.field.is_empty() => conflict.code.clone(),
        ConflictKind::BothChanged => format!("{} {}", conflict.code, conflict.field),
    }
}

/// An object's title (or name) quoted, if it has one.
fn name(object: &Value) -> Option<String> {
    ["title", "name"].iter().find_map(|key| object.get(*key)).filter(|title| title.is_string()).map(readable)
}

/// Fields of the plan file that are no one's words: left out of what a
/// side changed.
const UNSAID: &[&str] = &["id", "rank"];

/// What `after` changed of the object `before`, field by field:
/// `changed points 2 → 3, title 'a' → 'b'`.
fn changes(before: &Value, after: &Value) -> String {
    let (Some(before_fields), Some(after_fields)) = (before.as_object(), after.as_object()) else {
        return readable(after);
    };
    let none = Value::Null;
    let mut said: Vec<String> = after_fields
        .iter()
        .filter(|(key, value)| !UNSAID.contains(&key.as_str()) && before_fields.get(*key) != Some(*value))
        .map(|(key, value)| format!("{key} {} → {}", readable(before_fields.get(key).unwrap_or(&none)), readable(value)))
        .collect();
    if after_fields.get("rank") != before_fields.get("rank") {
        said.push("moved in the backlog".to_owned());
    }
    if said.is_empty() { "kept it as it was".to_owned() } else { format!("changed {}", said.join(", ")) }
}

/// A conflict in one line for a message: `#5 points: mine 13, theirs 2`,
/// or `#45 'Bob item Y': deleted on theirs; mine changed points 2 → 3`.
pub fn conflict_line(conflict: &Conflict) -> String {
    match conflict.kind {
        ConflictKind::DeletedVsChanged { deleted_on } => {
            let (changed, word) = match deleted_on {
                Side::Mine => (Side::Theirs, "theirs"),
                Side::Theirs => (Side::Mine, "mine"),
            };
            format!(
                "{}: {}; {word} {}",
                subject(conflict),
                side_value(conflict, Some(deleted_on)),
                side_value(conflict, Some(changed))
            )
        }
        ConflictKind::BothChanged => format!(
            "{}: mine {}, theirs {}",
            subject(conflict),
            side_value(conflict, Some(Side::Mine)),
            side_value(conflict, Some(Side::Theirs))
        ),
    }
}

/// One value of the plan file as a person reads it: codes and numbers as
/// they are, text in quotes, a list in brackets, nothing as `none`.
pub fn readable(value: &Value) -> String {
    match value {
        Value::Null => "none".to_owned(),
        Value::Bool(true) => "yes".to_owned(),
        Value::Bool(false) => "no".to_owned(),
        Value::Number(number) if number.is_f64() => crate::format::number(number.as_f64().unwrap_or_default()),
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

    #[test]
    fn a_deleted_object_reads_as_what_each_side_did() {
        let item = |points: u32| json!({"id": "x", "number": 45, "title": "Bob item Y", "points": points, "rank": 7});
        let mut changed = item(3);
        changed["rank"] = json!(9);
        let deleted = Conflict {
            kind: ConflictKind::DeletedVsChanged { deleted_on: Side::Theirs },
            object: crate::plan::ObjectKind::Item,
            id: "x".into(),
            code: "#45".into(),
            field: String::new(),
            base: item(2),
            mine: changed,
            theirs: Value::Null,
        };
        assert_eq!(
            conflict_line(&deleted),
            "#45 'Bob item Y': deleted on theirs; mine changed points 2 → 3, moved in the backlog"
        );
        assert_eq!(side_value(&deleted, None), "'Bob item Y'");
        assert_eq!(readable(&json!(60.0)), "60");
        assert_eq!(readable(&json!(2.5)), "2.5");
    }
}
