//! "Did you mean" suggestions for misspelled names.

/// Returns the candidate closest to `word`, if one is close enough to be a
/// likely typo: at most a third of the word's characters differ (insertions,
/// deletions, substitutions and swaps of neighbours each count one), and at
/// least one. Words of one or two characters get no suggestion, because
/// every other short name is as close.
pub fn closest<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let length = word.chars().count();
    if length < 3 {
        return None;
    }
    let allowed = (length / 3).max(1);
    candidates
        .into_iter()
        .filter(|candidate| *candidate != word)
        .map(|candidate| (strsim::damerau_levenshtein(word, candidate), candidate))
        .filter(|(distance, _)| *distance <= allowed)
        .min_by_key(|(distance, candidate)| (*distance, *candidate))
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn closest_finds_typos() {
        let metrics = ["avg_days_late", "overdue", "overdue_ratio", "exposure"];
        assert_eq!(closest("avg_day_late", metrics), Some("avg_days_late"));
        assert_eq!(closest("overdeu", metrics), Some("overdue"));
        assert_eq!(closest("exposrue", metrics), Some("exposure"));
    }

    #[test]
    fn closest_ignores_distant_words() {
        assert_eq!(closest("turnover", ["overdue", "exposure"]), None);
        assert_eq!(closest("a", ["b"]), None);
        assert_eq!(closest("C", ["A", "B"]), None);
    }
}
