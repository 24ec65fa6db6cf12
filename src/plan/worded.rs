//! A plan file's value of the wrong type or out of range, in the domain's
//! words rather than serde's (`invalid value: integer -8, expected u32`):
//! the value is found again in the file's tree at the place the parser
//! stopped, and read by the same parse a form and the command line use
//! (`Points::parse`, `validate::date`, ...), so that every front end says
//! the same thing about the same mistake.

use toml::{
    Spanned,
    de::{DeTable, DeValue},
};

use crate::domain::{
    ItemKind, ItemState,
    settings::{CheckInCadence, OverlapStrategy},
    validate::{self, FieldError},
    values::{Capacity, Confidence, FocusFactor, Points, Score},
};

/// A value written in the file, where the parser stopped at it.
struct Leaf {
    /// Its place in the plan: `objectives[0].key_results[1].target`.
    path: String,
    /// Its key (`target`); an array element's is its array's (`krs`).
    key: String,
    /// The key of the table it is in (`key_results`), empty at the top.
    parent: String,
    /// An element of an array (`krs[0]`), not the key's whole value.
    element: bool,
    /// The text of a string, without its quotes.
    text: Option<String>,
    /// The value as written in the file.
    raw: String,
    /// A TOML date written without quotes.
    datetime: bool,
}

/// What a plan's field holds, by what it means.
enum Kind {
    Date,
    /// Any number, such as a KR's values.
    Number,
    Whole(fn(&str) -> Result<u32, FieldError>),
    Score,
    /// A whole number with no domain type of its own (an item's number).
    Count,
    Words(Vec<&'static str>),
    Flag,
    List,
    /// Tables, one per object (`[[team]]`), or the one `[quarter]` table.
    Tables,
    Text,
}

/// The message for a value the TOML types refused at byte `offset` of
/// `text`, in the domain's words; `None` when no value is found there (a
/// typo in a key, a missing field: serde's message says those well).
pub(super) fn worded(text: &str, offset: usize) -> Option<String> {
    let document = DeTable::parse(text).ok()?;
    let leaf = find_in_table(document.get_ref(), "", "", text, offset)?;
    Some(message(&leaf, kind_of(&leaf)))
}

/// serde's "missing field `confidence`" at byte `offset` (the table that
/// lacks it) as `objectives[0].key_results[0] needs confidence, e.g.
/// confidence = 70`.
pub(super) fn missing(text: &str, offset: usize, serde_message: &str) -> Option<String> {
    let field = serde_message.strip_prefix("missing field `")?.strip_suffix('`')?;
    let document = DeTable::parse(text).ok()?;
    if field == "quarter" {
        return Some("the plan needs its [quarter], e.g. [quarter] label = \"2027-Q1\" start = \"2027-01-04\"".to_owned());
    }
    let (path, key) = table_at(document.get_ref(), "", offset)?;
    let example = match field {
        "confidence" | "focus_factor" => format!("{field} = 70"),
        "capacity" => format!("{field} = 20"),
        "points" | "item" => format!("{field} = 3"),
        "committed" => format!("{field} = true"),
        "start" | "target" | "current" | "value" if key != "quarter" && key != "sprints" => format!("{field} = 20"),
        "start" | "end" | "date" => format!("{field} = \"2027-01-04\""),
        _ => format!("{field} = \"...\""),
    };
    Some(format!("{path} needs {field}, e.g. {example} (see docs/plan-format.md)"))
}

/// The innermost table written at byte `offset` (a `[[items]]` header, an
/// inline table's brace): its path and key.
fn table_at(table: &DeTable<'_>, prefix: &str, offset: usize) -> Option<(String, String)> {
    table.iter().find_map(|(key, value)| {
        let key: &str = key.get_ref();
        let path = if prefix.is_empty() { key.to_owned() } else { format!("{prefix}.{key}") };
        let holds = |value: &Spanned<DeValue<'_>>| value.span().contains(&offset) || value.span().start == offset;
        match value.get_ref() {
            DeValue::Table(inner) => {
                table_at(inner, &path, offset).or_else(|| holds(value).then(|| (path.clone(), key.to_owned())))
            }
            DeValue::Array(items) => items.iter().enumerate().find_map(|(index, item)| {
                let path = format!("{path}[{index}]");
                match item.get_ref() {
                    DeValue::Table(inner) => {
                        table_at(inner, &path, offset).or_else(|| holds(item).then(|| (path.clone(), key.to_owned())))
                    }
                    _ => None,
                }
            }),
            _ => None,
        }
    })
}

fn find_in_table(table: &DeTable<'_>, prefix: &str, parent: &str, text: &str, offset: usize) -> Option<Leaf> {
    table.iter().find_map(|(key, value)| {
        let key: &str = key.get_ref();
        let path = if prefix.is_empty() { key.to_owned() } else { format!("{prefix}.{key}") };
        find_in_value(value, (&path, key, parent, false), text, offset)
    })
}

fn find_in_value(
    value: &Spanned<DeValue<'_>>,
    (path, key, parent, element): (&str, &str, &str, bool),
    text: &str,
    offset: usize,
) -> Option<Leaf> {
    match value.get_ref() {
        DeValue::Table(inner) => find_in_table(inner, path, key, text, offset),
        DeValue::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(index, item)| find_in_value(item, (&format!("{path}[{index}]"), key, parent, true), text, offset)),
        written if value.span().contains(&offset) => Some(Leaf {
            path: path.to_owned(),
            key: key.to_owned(),
            parent: parent.to_owned(),
            element,
            text: if let DeValue::String(string) = written { Some(string.to_string()) } else { None },
            raw: text.get(value.span()).unwrap_or_default().trim().to_owned(),
            datetime: matches!(written, DeValue::Datetime(_)),
        }),
        _ => None,
    }
}

/// What the field at `leaf` holds (docs/plan-format.md).
fn kind_of(leaf: &Leaf) -> Kind {
    let words = |all: &[&'static str]| Kind::Words(all.to_vec());
    match (leaf.parent.as_str(), leaf.key.as_str(), leaf.element) {
        ("", "objectives" | "sprints" | "items" | "team" | "quarter", _)
        | ("objectives", "key_results", _)
        | ("key_results", "check_ins", _)
        | ("sprints", "retro" | "commitment" | "record", _) => Kind::Tables,
        (_, "days_off", true) => Kind::Number,
        (_, "krs" | "other_krs" | "roles", true) => Kind::Text,
        (_, "krs" | "other_krs" | "roles" | "days_off", false) => Kind::List,
        ("key_results", "start" | "target" | "current", _) | ("check_ins", "value", _) => Kind::Number,
        ("key_results", "score", _) => Kind::Score,
        (_, "start" | "end" | "closed_on" | "started_on" | "date" | "done_on", _) => Kind::Date,
        (_, "confidence", _) => Kind::Whole(|text| Confidence::parse(text).map(|value| u32::from(value.get()))),
        (_, "points", _) => Kind::Whole(|text| Points::parse(text).map(Points::get)),
        (_, "capacity", _) => Kind::Whole(|text| Capacity::parse(text).map(Capacity::get)),
        (_, "focus_factor", _) => Kind::Whole(|text| FocusFactor::parse(text).map(|value| u32::from(value.get()))),
        (_, "weeks" | "number" | "rank" | "sprint" | "item" | "item_numbers_used", _) => Kind::Count,
        ("items", "kind", _) => Kind::Words(ItemKind::ALL.iter().map(|kind| kind.as_str()).collect()),
        ("items", "state", _) => Kind::Words(ItemState::ALL.iter().map(|state| state.as_str()).collect()),
        ("sprints", "state", _) => words(&["planned", "active", "closed"]),
        ("quarter", "state", _) => words(&["draft", "open", "closed"]),
        (_, "checkin_cadence", _) => Kind::Words(CheckInCadence::ALL.iter().map(|cadence| cadence.as_str()).collect()),
        (_, "overlap_strategy", _) => Kind::Words(OverlapStrategy::ALL.iter().map(|strategy| strategy.as_str()).collect()),
        (_, "committed" | "needs_retag" | "done_in_earlier_quarter", _) => Kind::Flag,
        _ => Kind::Text,
    }
}

/// What is wrong with `leaf`, a `kind` of value, and what to write.
fn message(leaf: &Leaf, kind: Kind) -> String {
    let Leaf { path, key, raw, .. } = leaf;
    // A value the field's parse takes, written in quotes: only the quotes are wrong.
    let unquote = |typed: &str| format!("{path} is \"{typed}\", in quotes: write the number without them, {key} = {typed}");
    match kind {
        Kind::Date => match (&leaf.text, leaf.datetime) {
            (Some(typed), _) => match validate::date(typed) {
                Err(message) => validate::naming_value(path, typed, &message),
                Ok(_) => format!("{path} is \"{typed}\": write a date as \"YYYY-MM-DD\""),
            },
            (None, true) => format!("{path} is {raw}: write the date in quotes, {key} = \"{raw}\""),
            (None, false) => format!("{path} is {raw}: {key} is a date in quotes, e.g. {key} = \"2027-01-04\""),
        },
        Kind::Number => match &leaf.text {
            Some(typed) if validate::number(typed).is_ok() => unquote(typed),
            Some(typed) => match validate::number(typed) {
                // A decimal comma or a unit: the parse says which.
                Err(message) if !message.ends_with("like 12 or 3.5") => validate::naming_value(path, typed, &message),
                _ => format!("{path} is \"{typed}\": {key} is a number, e.g. {}", example(key, leaf.element)),
            },
            None => format!("{path} is {raw}: {key} is a number, e.g. {}", example(key, leaf.element)),
        },
        Kind::Whole(parse) => {
            let typed = leaf.text.as_deref().unwrap_or(raw);
            match parse(typed) {
                Ok(_) if leaf.text.is_some() => unquote(typed),
                Ok(_) => format!("{path} is {raw}: {key} is a whole number"),
                Err(error) => validate::naming_value(path, typed, &error.message),
            }
        }
        Kind::Score => {
            let typed = leaf.text.as_deref().unwrap_or(raw);
            match Score::parse(typed) {
                Ok(_) if leaf.text.is_some() => unquote(typed),
                Ok(_) => format!("{path} is {raw}: {key} is a number from 0.0 to 1.0, e.g. {key} = 0.7"),
                Err(error) => validate::naming_value(path, typed, &error.message),
            }
        }
        Kind::Count => match &leaf.text {
            Some(typed) if typed.trim().parse::<u32>().is_ok() => unquote(typed),
            _ if raw.starts_with('-') => {
                format!("{path} is {raw}: {key} cannot be negative: write a whole number, e.g. {key} = 3")
            }
            _ => format!("{path} is {raw}: {key} is a whole number, e.g. {key} = 3"),
        },
        Kind::Words(words) => {
            let last = words.len().saturating_sub(1);
            let choices = format!("{} or {}", words[..last].join(", "), words.get(last).copied().unwrap_or_default());
            format!("{path} is {raw}: write {choices}, in quotes: {key} = \"{}\"", words.first().copied().unwrap_or_default())
        }
        Kind::Flag => format!("{path} is {raw}: write true or false, without quotes"),
        Kind::List => format!("{path} is {raw}: {key} is a list, in square brackets: {}", example(key, true)),
        Kind::Tables => tables(leaf),
        Kind::Text => format!("{path} is {raw}: {key} is text, in quotes: {key} = \"...\""),
    }
}

/// A table's or a list of tables' field written as a value: how its
/// tables are written (`[[team]]` with `name = "Ann"`).
fn tables(leaf: &Leaf) -> String {
    let Leaf { path, key, raw, .. } = leaf;
    let (header, field, value) = match key.as_str() {
        "quarter" => ("[quarter]", "label", "\"2027-Q1\""),
        "team" => ("[[team]]", "name", "\"Ann\""),
        "objectives" => ("[[objectives]]", "title", "\"...\""),
        "key_results" => ("[[objectives.key_results]]", "title", "\"...\""),
        "check_ins" => ("[[objectives.key_results.check_ins]]", "date", "\"2027-01-04\""),
        "sprints" => ("[[sprints]]", "weeks", "2"),
        "retro" => ("[[sprints.retro]]", "kind", "\"went_well\""),
        "commitment" => ("[[sprints.commitment]]", "item", "3"),
        "record" => ("[[sprints.record]]", "item", "3"),
        _ => ("[[items]]", "title", "\"...\""),
    };
    // A name or title written as the value itself: the table that holds it.
    let value = match &leaf.text {
        Some(typed)
            if value.starts_with('"')
                && !typed.trim().is_empty()
                && !matches!(key.as_str(), "check_ins" | "retro" | "quarter") =>
        {
            format!("\"{typed}\"")
        }
        _ => value.to_owned(),
    };
    let what = if header.starts_with("[[") { "a list of tables, one per entry" } else { "a table" };
    format!(
        "{path} is {raw}: {key} is {what}: write {header} on a line of its own with {field} = {value} under it (see docs/plan-format.md)"
    )
}

/// How a number or list of `key` is written (`target = 20`, `krs = ["KR1.1"]`).
fn example(key: &str, list: bool) -> String {
    let list_of = match key {
        "krs" => "[\"KR1.1\"]",
        "roles" => "[\"po\"]",
        "other_krs" => "[\"0190a5b2-7c3d-7e4f-8a5b-6c7d8e9f0a1b\"]",
        "days_off" => "[2, 0, 1.5]",
        _ if list => "[ ... ]",
        _ => "20",
    };
    format!("{key} = {list_of}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The message for the value of `key = value` in a small plan.
    fn said(table: &str, line: &str) -> String {
        let text = format!("{table}\n{line}\n");
        // In a list, its first element.
        let offset = text
            .find("\"two\"")
            .or_else(|| text.find(" = ").map(|at| at + 3 + usize::from(text[at + 3..].starts_with('['))))
            .expect("a value");
        worded(&text, offset).expect("a leaf")
    }

    #[test]
    fn a_missing_field_is_named_with_its_table_and_an_example() {
        let text = "[quarter]\nlabel = \"Q\"\n\n[[items]]\ntitle = \"A\"\n\n[[items]]\npoints = 3\n";
        let at = text.rfind("[[items]]").expect("second item");
        assert_eq!(
            missing(text, at, "missing field `title`").as_deref(),
            Some("items[1] needs title, e.g. title = \"...\" (see docs/plan-format.md)")
        );
        assert_eq!(
            missing(text, 0, "missing field `start`").as_deref(),
            Some("quarter needs start, e.g. start = \"2027-01-04\" (see docs/plan-format.md)")
        );
        assert!(missing("x = 1\n", 0, "missing field `quarter`").is_some_and(|message| message.contains("[quarter]")));
        assert_eq!(missing(text, 0, "unknown field `capacty`"), None);
    }

    #[test]
    fn each_kind_of_field_is_told_in_the_domain_s_words() {
        let cases = [
            ("[quarter]", "start = \"2027-02-31\"", "quarter.start: 2027-02-31 is not a day: February 2027 has 28 days"),
            ("[quarter]", "start = 2027-01-04", "quarter.start is 2027-01-04: write the date in quotes, start = \"2027-01-04\""),
            ("[quarter]", "checkin_cadence = \"weekly\"", "quarter.checkin_cadence is \"weekly\": write two_weeks or monthly"),
            ("[[objectives.key_results]]", "target = \"twenty\"", "target is \"twenty\": target is a number, e.g. target = 20"),
            (
                "[[objectives.key_results]]",
                "target = \"1,5\"",
                "target: \"1,5\" is not a number: write decimals with a point, 1.5",
            ),
            ("[[objectives.key_results]]", "target = \"20\"", "target is \"20\", in quotes: write the number without them"),
            (
                "[[objectives.key_results]]",
                "confidence = 300",
                "confidence: 300 is not a confidence: write a percentage from 0 to 100",
            ),
            ("[[objectives.key_results]]", "score = 1.5", "score: 1.5 is not a score: write 0.0 to 1.0"),
            ("[[items]]", "points = -8", "items[0].points: -8: points cannot be negative: between 0 and 100 points"),
            ("[[items]]", "points = 2.5", "items[0].points: \"2.5\" is not a whole number: between 0 and 100 points"),
            ("[[items]]", "kind = \"epic\"", "items[0].kind is \"epic\": write story, bug, chore or spike"),
            ("[[items]]", "sprint = -1", "items[0].sprint is -1: sprint cannot be negative"),
            ("[[items]]", "title = 5", "items[0].title is 5: title is text, in quotes"),
            ("[[items]]", "krs = \"KR1.1\"", "items[0].krs is \"KR1.1\": krs is a list, in square brackets: krs = [\"KR1.1\"]"),
            ("[[items]]", "needs_retag = \"yes\"", "items[0].needs_retag is \"yes\": write true or false"),
            ("[[sprints]]", "capacity = -20", "sprints[0].capacity: -20: capacity cannot be negative"),
            (
                "[[team]]",
                "days_off = [1, \"two\"]",
                "team[0].days_off[1] is \"two\": days_off is a number, e.g. days_off = [2, 0, 1.5]",
            ),
            ("[[team]]", "focus_factor = 300", "team[0].focus_factor: 300 is not a focus factor"),
            (
                "",
                "team = [\"Ann\"]",
                "team[0] is \"Ann\": team is a list of tables, one per entry: write [[team]] on a line of its own with name = \"Ann\"",
            ),
            ("", "team = \"Ann\"", "write [[team]] on a line of its own with name = \"Ann\""),
            ("", "items = [\"Fix login\"]", "write [[items]] on a line of its own with title = \"Fix login\""),
            ("", "sprints = [2]", "write [[sprints]] on a line of its own with weeks = 2"),
            ("", "objectives = \"Grow\"", "write [[objectives]] on a line of its own with title = \"Grow\""),
            ("", "quarter = \"2027-Q1\"", "quarter is a table: write [quarter] on a line of its own with label"),
            (
                "[[objectives]]",
                "key_results = [\"More\"]",
                "write [[objectives.key_results]] on a line of its own with title = \"More\"",
            ),
            (
                "[[objectives.key_results]]",
                "check_ins = [\"x\"]",
                "write [[objectives.key_results.check_ins]] on a line of its own with date",
            ),
            ("[[sprints]]", "retro = [\"x\"]", "write [[sprints.retro]] on a line of its own with kind"),
            ("[[sprints]]", "commitment = [4]", "write [[sprints.commitment]] on a line of its own with item = 3"),
            ("[[sprints]]", "record = 4", "write [[sprints.record]] on a line of its own with item = 3"),
        ];
        for (table, line, expected) in cases {
            let message = said(table, line);
            assert!(message.starts_with(expected) || message.contains(expected), "{line}: {message}");
        }
    }
}
