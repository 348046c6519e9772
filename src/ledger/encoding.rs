//! Character encodings of ledger files, and a reader that decodes them to UTF-8.

use std::io::{self, Read};

/// The character encoding of an export's CSV files, set by `format.encoding`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Encoding {
    #[default]
    Utf8,
    /// Windows code page 1252, the "ANSI" encoding of Western European
    /// Windows, as the WHATWG Encoding Standard defines it: `é` is byte 0xE9
    /// and `€` is byte 0x80.
    Windows1252,
    /// ISO-8859-1 (Latin-1): byte 0xNN is the character U+00NN, so bytes
    /// 0x80 to 0x9F are control characters.
    Iso8859_1,
}

impl Encoding {
    /// The values `format.encoding` accepts, in the order of the docs.
    pub const NAMES: [&'static str; 3] = ["utf-8", "windows-1252", "iso-8859-1"];

    /// Reads a `format.encoding` value; `None` for anything but [`Encoding::NAMES`].
    pub fn from_name(name: &str) -> Option<Encoding> {
        match name {
            "utf-8" => Some(Encoding::Utf8),
            "windows-1252" => Some(Encoding::Windows1252),
            "iso-8859-1" => Some(Encoding::Iso8859_1),
            _ => None,
        }
    }

    /// Returns the name as `format.encoding` writes it.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Windows1252 => "windows-1252",
            Encoding::Iso8859_1 => "iso-8859-1",
        }
    }

    /// Returns the encoding that a common alias such as `latin1` or `cp1252`
    /// stands for, for "did you mean" hints.
    pub fn suggest(alias: &str) -> Option<Encoding> {
        let folded: String = alias
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        match folded.as_str() {
            "utf8" => Some(Encoding::Utf8),
            "windows1252" | "cp1252" | "win1252" | "ansi" => Some(Encoding::Windows1252),
            "iso88591" | "latin1" => Some(Encoding::Iso8859_1),
            _ => None,
        }
    }
}

/// Size of each chunk read from the file before decoding.
const CHUNK: usize = 64 * 1024;

/// Reads a file in an [`Encoding`] as UTF-8 bytes. UTF-8 passes through
/// unchanged, and is checked later, cell by cell, so an invalid byte is
/// reported with its line and column. Both other encodings map every byte to
/// one character, so chunks decode independently and every line break stays
/// a line break.
pub(super) struct Decoded<R> {
    inner: R,
    encoding: Encoding,
    raw: Vec<u8>,
    /// The decoded text of the last chunk, served from `served` on.
    text: Vec<u8>,
    served: usize,
}

impl<R: Read> Decoded<R> {
    pub(super) fn new(inner: R, encoding: Encoding) -> Self {
        let buffer = match encoding {
            Encoding::Utf8 => 0,
            Encoding::Windows1252 | Encoding::Iso8859_1 => CHUNK,
        };
        Decoded {
            inner,
            encoding,
            raw: vec![0; buffer],
            text: Vec::new(),
            served: 0,
        }
    }

    /// Decodes the next chunk into `text`; `text` stays empty at the end of the file.
    fn fill(&mut self) -> io::Result<()> {
        let count = self.inner.read(&mut self.raw)?;
        let bytes = self.raw.get(..count).ok_or_else(|| {
            io::Error::new(io::ErrorKind::InvalidData, "the reader overran its buffer")
        })?;
        let text = match self.encoding {
            Encoding::Windows1252 => {
                encoding_rs::WINDOWS_1252
                    .decode_without_bom_handling(bytes)
                    .0
            }
            Encoding::Iso8859_1 | Encoding::Utf8 => encoding_rs::mem::decode_latin1(bytes),
        };
        self.text.clear();
        self.text.extend_from_slice(text.as_bytes());
        self.served = 0;
        Ok(())
    }
}

impl<R: Read> Read for Decoded<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.encoding == Encoding::Utf8 {
            return self.inner.read(out);
        }
        if self.served >= self.text.len() {
            self.fill()?;
        }
        let pending = self.text.get(self.served..).unwrap_or_default();
        let count = pending.len().min(out.len());
        out.iter_mut()
            .zip(pending)
            .for_each(|(slot, &byte)| *slot = byte);
        self.served += count;
        Ok(count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8], encoding: Encoding) -> String {
        let mut text = String::new();
        Decoded::new(bytes, encoding)
            .read_to_string(&mut text)
            .unwrap();
        text
    }

    #[test]
    fn windows_1252_decodes_accents_and_euro() {
        let bytes = b"Caf\xe9,\x80 5\r\nM\xfcller\n";
        assert_eq!(decode(bytes, Encoding::Windows1252), "Café,€ 5\r\nMüller\n");
    }

    #[test]
    fn latin_1_maps_each_byte_to_its_code_point() {
        assert_eq!(decode(b"Caf\xe9\x80", Encoding::Iso8859_1), "Café\u{80}");
    }

    #[test]
    fn utf8_passes_through() {
        assert_eq!(decode("Müller".as_bytes(), Encoding::Utf8), "Müller");
    }

    #[test]
    fn decodes_across_chunks() {
        let bytes: Vec<u8> = (0..CHUNK * 2 + 7).map(|_| 0xE9).collect();
        let text = decode(&bytes, Encoding::Windows1252);
        assert_eq!(text.chars().count(), CHUNK * 2 + 7);
        assert!(text.chars().all(|c| c == 'é'));
    }

    #[test]
    fn serves_a_one_byte_buffer() {
        let mut reader = Decoded::new(&b"\xe9"[..], Encoding::Windows1252);
        let mut byte = [0u8; 1];
        let mut bytes = Vec::new();
        while reader.read(&mut byte).unwrap() == 1 {
            bytes.push(byte[0]);
        }
        assert_eq!(bytes, "é".as_bytes());
    }

    #[test]
    fn names_round_trip_and_aliases_suggest() {
        for name in Encoding::NAMES {
            assert_eq!(Encoding::from_name(name).map(Encoding::name), Some(name));
        }
        assert_eq!(Encoding::from_name("latin1"), None);
        assert_eq!(Encoding::suggest("Latin-1"), Some(Encoding::Iso8859_1));
        assert_eq!(Encoding::suggest("CP1252"), Some(Encoding::Windows1252));
        assert_eq!(Encoding::suggest("UTF8"), Some(Encoding::Utf8));
        assert_eq!(Encoding::suggest("iso-8859-15"), None);
    }
}
