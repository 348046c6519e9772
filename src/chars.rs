//! Names of the characters that a message cannot show plainly: invisible
//! ones, such as the no-break space that spreadsheets put between
//! thousands, and look-alikes, such as the apostrophe and U+2019.

/// The characters that messages name by code point and Unicode name.
const NAMED: &[(char, &str)] = &[
    ('\t', "tab"),
    (' ', "space"),
    ('\'', "apostrophe"),
    ('`', "grave accent"),
    ('\u{a0}', "no-break space"),
    ('\u{b4}', "acute accent"),
    ('\u{2007}', "figure space"),
    ('\u{2009}', "thin space"),
    ('\u{200b}', "zero width space"),
    ('\u{2018}', "left single quotation mark"),
    ('\u{2019}', "right single quotation mark"),
    ('\u{202f}', "narrow no-break space"),
    ('\u{2032}', "prime"),
    ('\u{2060}', "word joiner"),
    ('\u{feff}', "zero width no-break space"),
];

/// The characters easily taken for an apostrophe.
const APOSTROPHES: &[char] = &['\'', '`', '\u{b4}', '\u{2018}', '\u{2019}', '\u{2032}'];

/// Writes a character for a message. A named one gets its code point and
/// name (`U+00A0 no-break space`), another invisible one its code point, and
/// a visible one backticks, plus its code point when outside ASCII.
pub(crate) fn describe(c: char) -> String {
    let code = format!("U+{:04X}", u32::from(c));
    let name = NAMED
        .iter()
        .find(|(named, _)| *named == c)
        .map(|(_, name)| name);
    match (name, is_invisible(c)) {
        (Some(name), true) => format!("{code} {name}"),
        (Some(name), false) => format!("`{c}` {code} {name}"),
        (None, true) => code,
        // A character outside ASCII may look like one inside it, as the
        // Greek question mark looks like `;`.
        (None, false) if !c.is_ascii() => format!("`{c}` {code}"),
        (None, false) => format!("`{c}`"),
    }
}

/// Characters other than white space that print nothing: format
/// characters, fillers and selectors, as ranges.
const SILENT: &[(char, char)] = &[
    ('\u{ad}', '\u{ad}'),       // soft hyphen
    ('\u{34f}', '\u{34f}'),     // combining grapheme joiner
    ('\u{115f}', '\u{1160}'),   // Hangul choseong and jungseong fillers
    ('\u{180e}', '\u{180e}'),   // Mongolian vowel separator
    ('\u{200b}', '\u{200f}'),   // zero-width space, joiners, direction marks
    ('\u{202a}', '\u{202e}'),   // bidirectional embeddings and overrides
    ('\u{2060}', '\u{2064}'),   // word joiner, invisible operators
    ('\u{2066}', '\u{206f}'),   // bidirectional isolates, deprecated formats
    ('\u{3164}', '\u{3164}'),   // Hangul filler
    ('\u{fe00}', '\u{fe0f}'),   // variation selectors
    ('\u{feff}', '\u{feff}'),   // zero-width no-break space
    ('\u{ffa0}', '\u{ffa0}'),   // halfwidth Hangul filler
    ('\u{e0000}', '\u{e007f}'), // tags
];

/// Returns whether a character shows as blank space or not at all.
pub(crate) fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || SILENT
            .iter()
            .any(|&(first, last)| (first..=last).contains(&c))
}

/// Returns the text as it prints: without the characters that print
/// nothing, and without white space at either end. Two names with the same
/// printed text read the same in every output.
pub(crate) fn printed(text: &str) -> String {
    let visible: String = text
        .chars()
        .filter(|&c| c.is_whitespace() || !is_invisible(c))
        .collect();
    visible.trim().to_string()
}

/// Returns whether two different characters are easily taken for one
/// another: two invisible ones, or two kinds of apostrophe.
pub(crate) fn look_alike(a: char, b: char) -> bool {
    let apostrophes = APOSTROPHES.contains(&a) && APOSTROPHES.contains(&b);
    a != b && (apostrophes || (is_invisible(a) && is_invisible(b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describe_names_invisible_characters() {
        assert_eq!(describe('\u{a0}'), "U+00A0 no-break space");
        assert_eq!(describe('\u{202f}'), "U+202F narrow no-break space");
        assert_eq!(describe(' '), "U+0020 space");
        assert_eq!(describe('\t'), "U+0009 tab");
        assert_eq!(describe('\u{2008}'), "U+2008");
    }

    #[test]
    fn invisible_covers_format_characters_and_fillers() {
        for c in [
            '\u{ad}',
            '\u{200e}',
            '\u{202e}',
            '\u{2066}',
            '\u{3164}',
            '\u{fe0f}',
            '\u{e0020}',
        ] {
            assert!(is_invisible(c), "U+{:04X}", u32::from(c));
        }
        assert!(!is_invisible('a'));
        assert!(!is_invisible('\u{e9}'));
    }

    #[test]
    fn printed_drops_what_prints_nothing() {
        assert_eq!(printed("over\u{200b}"), "over");
        assert_eq!(printed(" over limit "), "over limit");
        assert_eq!(printed("\u{2060}"), "");
    }

    #[test]
    fn describe_gives_code_points_outside_ascii() {
        assert_eq!(describe('\u{37e}'), "`\u{37e}` U+037E");
    }

    #[test]
    fn describe_names_apostrophes() {
        assert_eq!(describe('\''), "`'` U+0027 apostrophe");
        assert_eq!(
            describe('\u{2019}'),
            "`\u{2019}` U+2019 right single quotation mark"
        );
    }

    #[test]
    fn describe_quotes_plain_characters() {
        assert_eq!(describe(','), "`,`");
        assert_eq!(describe(';'), "`;`");
    }

    #[test]
    fn look_alike_pairs() {
        assert!(look_alike(' ', '\u{a0}'));
        assert!(look_alike('\u{202f}', '\u{a0}'));
        assert!(look_alike('\'', '\u{2019}'));
        assert!(!look_alike(' ', ' '));
        assert!(!look_alike(',', '.'));
        assert!(!look_alike(' ', '\''));
    }
}
