//! A plan file's problems, each at its file, line and column: TOML's own
//! (a typo in a key, a value of the wrong type) from the parser's span, and
//! the plan's (an unknown KR code, points out of range) from the field the
//! message names (`items[3].points`), found again in the file's tree.

use std::{ops::Range, path::Path};

use toml::de::{DeTable, DeValue};

use super::Plan;

/// A plan file that cannot be used, and where: `plan.toml:12:9: ...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanFileError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for PlanFileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}: {}", self.file, self.line, self.column, self.message)
    }
}

impl std::error::Error for PlanFileError {}

/// Reads and checks the plan in `path`; every problem is a
/// [`PlanFileError`] naming the file, line and column.
pub fn read_plan_file(path: &Path) -> anyhow::Result<(Plan, String)> {
    let text =
        crate::cli::files::read_user_text(path).map_err(|error| anyhow::anyhow!("reading plan {}: {error}", path.display()))?;
    let plan = Plan::parse_located(&text, &path.display().to_string())?;
    Ok((plan, text))
}

impl Plan {
    /// Reads a plan from TOML as [`Plan::parse`] does, with each problem at
    /// its line and column in `text` (`source` names the file).
    pub fn parse_located(text: &str, source: &str) -> Result<Self, PlanFileError> {
        let plan: Self = Self::from_toml(text).map_err(|(at, message)| PlanFileError::at(text, source, at, &message))?;
        plan.validate().map_err(|error| PlanFileError::for_field(text, source, &error.to_string()))?;
        Ok(plan)
    }
}

impl Plan {
    /// The plan the TOML `text` gives, before its own checks; else where
    /// it goes wrong (a byte offset) and what is wrong: a value of the wrong
    /// type or out of range in the domain's words, other mistakes (a typo
    /// in a key, a missing field) in the parser's.
    pub(super) fn from_toml(text: &str) -> Result<Self, (usize, String)> {
        toml::from_str(text).map_err(|error| {
            let at = error.span().map_or(0, |span| span.start);
            let serde_message = error.message().trim_end();
            let message = super::worded::worded(text, at)
                .or_else(|| super::worded::missing(text, at, serde_message))
                .unwrap_or_else(|| serde_message.to_owned());
            (at, message)
        })
    }
}

impl PlanFileError {
    /// The problem at byte `offset` of `text`.
    pub fn at(text: &str, file: &str, offset: usize, message: &str) -> Self {
        let before = &text[..offset.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |tail| tail.chars().count()) + 1;
        Self { file: file.to_owned(), line, column, message: message.to_owned() }
    }

    /// A problem whose message begins with the field it is about
    /// (`items[3].points is 200: ...`), at that field's place in `text`;
    /// the file's start when no field is named or found.
    pub fn for_field(text: &str, file: &str, message: &str) -> Self {
        let offset = leading_field(message).and_then(|field| span_of_field(text, field)).map_or(0, |span| span.start);
        Self::at(text, file, offset, message)
    }
}

/// The field path a message starts with (`items[3].krs`), if it does.
fn leading_field(message: &str) -> Option<&str> {
    let end = message.find(|c: char| !(c.is_ascii_alphanumeric() || "_.[]".contains(c))).unwrap_or(message.len());
    let field = message[..end].trim_end_matches('.');
    // `item_numbers_used` is the one field of the plan's top with no table.
    (field.contains('.') || field.contains('[') || field == "item_numbers_used").then_some(field)
}

/// Where `field` (`objectives[0].key_results[1].target`) is written in the
/// TOML `text`: its key when the path ends in a key, else the table or
/// value the path ends in; as far down the path as the file goes.
pub fn span_of_field(text: &str, field: &str) -> Option<Range<usize>> {
    let document = DeTable::parse(text).ok()?;
    let mut table: &DeTable<'_> = document.get_ref();
    let mut found: Option<Range<usize>> = None;
    let mut segments = field.split('.').peekable();
    while let Some(segment) = segments.next() {
        let (key, indexes) = match segment.find('[') {
            Some(open) => (&segment[..open], &segment[open..]),
            None => (segment, ""),
        };
        let (name, value) = table.get_key_value(key)?;
        found = Some(if indexes.is_empty() && segments.peek().is_none() { name.span() } else { value.span() });
        let mut value: &toml::Spanned<DeValue<'_>> = value;
        for index in indexes.split(']').filter_map(|part| part.strip_prefix('[')) {
            let index: usize = index.parse().ok()?;
            let DeValue::Array(array) = value.get_ref() else { return found };
            let Some(element) = array.get(index) else { return found };
            value = element;
            found = Some(value.span());
        }
        match value.get_ref() {
            DeValue::Table(inner) => table = inner,
            _ => return found,
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "[quarter]\nlabel = \"Q\"\nstart = \"2027-01-04\"\n\n[[sprints]]\nweeks = 2\ncapacity = 20\n\n[[items]]\ntitle = \"A\"\n\n[[items]]\ntitle = \"B\"\npoints = 200\n";

    #[test]
    fn a_field_is_found_at_its_key() {
        let error = PlanFileError::for_field(TEXT, "p.toml", "items[1].points is 200: an estimate is 0 to 100 points");
        assert_eq!((error.line, error.column), (14, 1), "{error}");
        assert_eq!(error.to_string(), "p.toml:14:1: items[1].points is 200: an estimate is 0 to 100 points");
    }

    #[test]
    fn a_points_value_out_of_range_and_a_typo_point_at_their_lines() {
        let error = Plan::parse_located(TEXT, "p.toml").expect_err("200 points");
        assert_eq!((error.line, error.column), (14, 1), "{error}");
        let typo = TEXT.replace("capacity", "capacty");
        let error = Plan::parse_located(&typo, "p.toml").expect_err("a typo");
        assert_eq!(error.line, 7, "{error}");
        assert!(error.message.contains("capacty"), "{error}");
    }

    #[test]
    fn a_message_without_a_field_is_at_the_start() {
        let error = PlanFileError::for_field(TEXT, "p.toml", "the plan has no [[sprints]]");
        assert_eq!((error.line, error.column), (1, 1));
    }
}
