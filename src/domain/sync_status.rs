//! Where a board tied to a git repository stands (issue 19): what the
//! header, the presentation and `sync status` say about its last sync and
//! what waits on either side. One function words it, so every front end
//! says the same.

use chrono::{NaiveDate, NaiveDateTime};

/// What the board knows of its sync, as of the last reload; the times are
/// already in local time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncFacts {
    /// The last completed exchange, local time; none before the first.
    pub last_sync: Option<NaiveDateTime>,
    /// Changes made on this board the remote has not seen.
    pub to_send: i64,
    /// The remote's commits not yet merged, as of the last fetch.
    pub to_fetch: i64,
    /// Fields of a waiting merge still to choose.
    pub conflicts: usize,
    /// Why the last exchange stopped (`sync_link.last_error`, or the last
    /// background fetch's outcome), or none.
    pub trouble: Option<String>,
    /// Item numbers up to this one are the remote's; higher ones may
    /// change at the next sync.
    pub numbers_fixed_upto: i64,
}

impl SyncFacts {
    /// Whether item number `number` was given on this laptop since the
    /// last sync (and may change at the next one).
    pub fn is_provisional(&self, number: i64) -> bool {
        number > self.numbers_fixed_upto
    }
}

/// The parts of the sync's standing, each whole and short, in order of
/// importance: conflicts, trouble, changes to send, to fetch, the last
/// sync. `key` names the key that syncs (`y`), when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncPart {
    pub text: String,
    pub short: String,
    /// Asks the user to act (a conflict, offline, refused).
    pub warning: bool,
}

/// The sync's standing as parts, most important first (see [`SyncPart`]).
pub fn sync_parts(facts: &SyncFacts, today: NaiveDate, key: Option<&str>) -> Vec<SyncPart> {
    let mut parts = Vec::new();
    if facts.conflicts > 0 {
        let noun = if facts.conflicts == 1 { "conflict" } else { "conflicts" };
        let text = match key {
            Some(key) => format!("⚠ {} {noun}: {key}", facts.conflicts),
            None => format!("⚠ {} {noun}", facts.conflicts),
        };
        parts.push(SyncPart { short: text.clone(), text, warning: true });
    }
    if let Some(trouble) = facts.trouble.as_deref().map(trouble_word).filter(|word| !waits_for_choices(facts, word)) {
        parts.push(SyncPart { text: trouble.to_owned(), short: trouble.to_owned(), warning: true });
    }
    if facts.to_send > 0 {
        parts.push(SyncPart {
            text: format!("{} to send", facts.to_send), short: format!("↑{}", facts.to_send), warning: false
        });
    }
    if facts.to_fetch > 0 {
        let text = format!("{} to fetch", facts.to_fetch);
        parts.push(SyncPart { text, short: format!("↓{}", facts.to_fetch), warning: false });
    }
    let synced = facts.last_sync.map_or_else(|| "never synced".to_owned(), |at| format!("synced {}", when(at, today)));
    parts.push(SyncPart { short: synced.clone(), text: synced, warning: false });
    parts
}

/// The whole standing on one line: `synced 10:42 · 3 to send · 2 to fetch`
/// (the presentation's and `sync status`'s line), the last sync first.
pub fn sync_line(facts: &SyncFacts, today: NaiveDate, key: Option<&str>) -> String {
    let mut parts = sync_parts(facts, today, key);
    parts.rotate_right(1);
    parts.into_iter().map(|part| part.text).collect::<Vec<_>>().join(" · ")
}

/// `10:42` today, `yesterday`, `3 Dec` before that (`3 Dec 2025` in
/// another year).
pub fn when(at: NaiveDateTime, today: NaiveDate) -> String {
    let day = at.date();
    if day == today {
        at.format("%H:%M").to_string()
    } else if today.pred_opt() == Some(day) {
        "yesterday".to_owned()
    } else if chrono::Datelike::year(&day) == chrono::Datelike::year(&today) {
        day.format("%-d %b").to_string()
    } else {
        day.format("%-d %b %Y").to_string()
    }
}

/// Whether the trouble is only the waiting merge: while choices wait, the
/// engine keeps why as `last_error` (`Store::record_waiting_merge`), and
/// the conflicts' own part says it; nothing failed. Offline and a refused
/// push are still said: they are news besides the choices.
fn waits_for_choices(facts: &SyncFacts, word: &str) -> bool {
    facts.conflicts > 0 && word == SYNC_FAILED
}

const SYNC_FAILED: &str = "sync failed";

/// The word for why the last exchange stopped: `offline` (the remote did
/// not answer), `push refused`, or `sync failed`.
fn trouble_word(error: &str) -> &'static str {
    let error = error.to_lowercase();
    if error.starts_with("offline") || error.contains("could not be reached") || error.contains("unreachable") {
        "offline"
    } else if error.contains("refused") || error.contains("rejected") {
        "push refused"
    } else {
        SYNC_FAILED
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").expect("a time")
    }

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a day")
    }

    #[test]
    fn the_last_sync_is_said_as_a_time_yesterday_or_a_day() {
        let today = day("2026-12-07");
        assert_eq!(when(at("2026-12-07 10:42"), today), "10:42");
        assert_eq!(when(at("2026-12-06 23:59"), today), "yesterday");
        assert_eq!(when(at("2026-12-03 08:00"), today), "3 Dec");
        assert_eq!(when(at("2025-12-03 08:00"), today), "3 Dec 2025");
    }

    #[test]
    fn the_line_names_what_waits_on_either_side() {
        let today = day("2026-12-07");
        let facts = SyncFacts {
            last_sync: Some(at("2026-12-07 10:42")),
            to_send: 3,
            to_fetch: 2,
            conflicts: 2,
            trouble: Some("offline: the remote did not answer".into()),
            numbers_fixed_upto: 40,
        };
        assert_eq!(sync_line(&facts, today, Some("y")), "synced 10:42 · ⚠ 2 conflicts: y · offline · 3 to send · 2 to fetch");
        assert_eq!(sync_line(&SyncFacts::default(), today, None), "never synced");
        let refused = SyncFacts { trouble: Some("push refused by a hook".into()), ..SyncFacts::default() };
        assert_eq!(sync_parts(&refused, today, None)[0].text, "push refused");
        assert!(facts.is_provisional(41) && !facts.is_provisional(40));
    }

    #[test]
    fn a_merge_waiting_for_choices_is_not_a_failed_sync() {
        let today = day("2026-12-07");
        // What the engine keeps as `last_error` while two choices wait.
        let waiting = SyncFacts {
            conflicts: 2,
            trouble: Some("2 conflicts wait: both sides changed #29 title; #31 points. Nothing was written.".into()),
            ..SyncFacts::default()
        };
        assert_eq!(sync_line(&waiting, today, None), "never synced · ⚠ 2 conflicts");
        let offline = SyncFacts { trouble: Some("offline: the remote did not answer".into()), ..waiting.clone() };
        assert_eq!(sync_line(&offline, today, None), "never synced · ⚠ 2 conflicts · offline");
        let failed = SyncFacts { conflicts: 0, ..waiting };
        assert_eq!(sync_line(&failed, today, None), "never synced · sync failed");
    }
}
