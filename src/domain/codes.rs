//! The short codes users see and type: `O2`, `KR1.2`, `S3`, `#42`. Made
//! here and nowhere else, so every screen, the plan format and the command
//! line write them alike. They come from positions (objectives, KRs and
//! sprints are numbered again when one goes) and from an item's id, which
//! is never used twice.

use super::Id;

/// An objective by its number in the quarter: `O2`.
pub fn objective(number: u32) -> String {
    format!("O{number}")
}

/// A KR by its objective's number and its place under it: `KR1.2`.
pub fn key_result(objective: u32, position: u32) -> String {
    format!("KR{objective}.{position}")
}

/// A sprint by its number in the quarter: `S3`.
pub fn sprint(number: u32) -> String {
    format!("S{number}")
}

/// A backlog item by its id: `#42`.
pub fn item(id: Id) -> String {
    format!("#{id}")
}

/// A backlog item as the board and the command line show it: `#47*` when
/// its number was given on this laptop since the last sync and may change
/// at the next one (issue 19; `SyncFacts::is_provisional`), else `#47`.
pub fn item_shown(id: Id, provisional: bool) -> String {
    format!("#{}", item_number_shown(id, provisional))
}

/// The number alone, for a column headed `#`: `47*` or `47`.
pub fn item_number_shown(id: Id, provisional: bool) -> String {
    if provisional { format!("{id}*") } else { id.to_string() }
}

/// What the star after a number means, in the item's detail and the help.
pub const PROVISIONAL_NOTE: &str = "number provisional until the next sync";

#[cfg(test)]
mod tests {
    #[test]
    fn codes_read_as_users_write_them() {
        assert_eq!(super::objective(2), "O2");
        assert_eq!(super::key_result(1, 2), "KR1.2");
        assert_eq!(super::sprint(3), "S3");
        assert_eq!(super::item(42), "#42");
        assert_eq!(super::item_shown(47, true), "#47*");
        assert_eq!(super::item_shown(47, false), "#47");
    }
}
