//! Numbers as people read them, for the views and for the forms' text
//! alike: below both, so neither imports the other for it.

/// A number as people write it: no trailing zeros, at most two decimals.
pub fn number(value: f64) -> String {
    let text = format!("{value:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" { "0".to_owned() } else { text.to_owned() }
}

/// A count with its noun, singular for one: "1 item", "3 items", "1 pt".
pub fn count(count: impl Into<u64>, one: &str, many: &str) -> String {
    let count = count.into();
    format!("{count} {}", if count == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_of_one_is_singular() {
        assert_eq!(count(1_u32, "item", "items"), "1 item");
        assert_eq!(count(0_u32, "item", "items"), "0 items");
        assert_eq!(count(16_u32, "pt", "pts"), "16 pts");
    }

    #[test]
    fn numbers_drop_needless_zeros() {
        assert_eq!(number(20.0), "20");
        assert_eq!(number(15.10), "15.1");
        assert_eq!(number(2.346), "2.35");
        assert_eq!(number(-0.001), "0");
    }
}
