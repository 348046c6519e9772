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

/// Writes a character for a message: a plain one in backticks, a named one
/// with its code point and name (`U+00A0 no-break space`), and any other
/// invisible one by its code point.
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
        (None, false) => format!("`{c}`"),
    }
}

/// Whether a character shows as blank space or not at all.
pub(crate) fn is_invisible(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}')
}

/// Whether two different characters are easily taken for one another: two
/// invisible ones, or two kinds of apostrophe.
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
