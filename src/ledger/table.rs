//! One CSV file of the ledger: its header, its columns and its rows, read one
//! at a time with the line each starts on.

use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::path::{Path, PathBuf};

use csv::{ByteRecord, StringRecord};

use super::encoding::{Decoded, Encoding};
use super::error::{ErrorSink, LedgerError, LedgerErrorKind};
use super::format::describe_char;
use super::manifest::Mapping;
use super::model::{FileId, RowOrigin};

/// A column the loader wants from a file.
#[derive(Clone, Copy, Debug)]
pub(super) struct ColumnSpec<'m> {
    pub mapping: &'m Mapping,
    /// Whether the model field may be absent: then a column the manifest does
    /// not name explicitly is read only if the header has it.
    pub optional: bool,
    /// What the column holds, for help texts: "the invoice's due date".
    pub about: &'static str,
}

/// A column found in the header.
#[derive(Clone, Debug)]
pub(super) struct Column {
    pub index: usize,
    /// The name as the header spells it.
    pub name: String,
    pub about: &'static str,
}

/// What a row needs to name itself in an error.
#[derive(Debug)]
pub(super) struct TableInfo {
    pub file: FileId,
    pub path: PathBuf,
    pub header: Vec<String>,
    pub header_line: u32,
    /// Whether the ledger has a manifest, to word the help texts.
    pub has_manifest: bool,
    pub encoding: Encoding,
}

/// An open CSV file whose header has been read.
pub(super) struct Table {
    pub info: TableInfo,
    /// Rows that could not be read whole enough to know their ids.
    pub unread_rows: usize,
    reader: csv::Reader<Decoded<File>>,
    lines: LineCounter<BufReader<Decoded<File>>>,
}

impl Table {
    /// Opens a file and reads its header row (the first non-blank line).
    pub fn open(
        path: &Path,
        file: FileId,
        delimiter: u8,
        encoding: Encoding,
        has_manifest: bool,
    ) -> Result<Table, LedgerError> {
        let open = || {
            File::open(path)
                .map(|file| Decoded::new(file, encoding))
                .map_err(|error| cannot_read(path, &error, has_manifest))
        };
        let reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(open()?);
        let mut table = Table {
            info: TableInfo {
                file,
                path: path.to_path_buf(),
                header: Vec::new(),
                header_line: 1,
                has_manifest,
                encoding,
            },
            unread_rows: 0,
            reader,
            lines: LineCounter::new(BufReader::new(open()?)),
        };
        table.read_header()?;
        Ok(table)
    }

    fn read_header(&mut self) -> Result<(), LedgerError> {
        let mut record = ByteRecord::new();
        let mut found = true;
        while found && (record.is_empty() || is_blank(&record)) {
            found = (self.reader.read_byte_record(&mut record))
                .map_err(|error| read_error(&self.info.path, &error))?;
        }
        let path = &self.info.path;
        if !found {
            return Err(LedgerError::new(
                LedgerErrorKind::MissingColumn,
                path,
                "the file is empty",
            )
            .at_line(1)
            .with_help("the first line must be a header row that names the columns"));
        }
        self.info.header_line = self.line_of(&record)?;
        let path = &self.info.path;
        let record = StringRecord::from_byte_record(record).map_err(|error| {
            LedgerError::new(
                LedgerErrorKind::MalformedRow,
                path,
                "the header is not valid UTF-8",
            )
            .at_line(self.info.header_line)
            .with_help(format!(
                "{} (field {})",
                UTF8_HELP,
                field_number(error.utf8_error().field())
            ))
        })?;
        self.check_byte_order_mark(&record)?;
        self.info.header = record
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let name = if i == 0 {
                    name.trim_start_matches('\u{feff}')
                } else {
                    name
                };
                name.trim().to_string()
            })
            .collect();
        Ok(())
    }

    /// Rejects a UTF-8 byte-order mark in a file read in another encoding:
    /// the file is UTF-8, and every accented letter would come out garbled.
    fn check_byte_order_mark(&self, header: &StringRecord) -> Result<(), LedgerError> {
        // The three bytes of the UTF-8 byte-order mark, read one byte per character.
        const MARK: &str = "\u{ef}\u{bb}\u{bf}";
        let encoding = self.info.encoding;
        if encoding == Encoding::Utf8 || !header.get(0).is_some_and(|cell| cell.starts_with(MARK)) {
            return Ok(());
        }
        let message = format!(
            "the file starts with a UTF-8 byte-order mark, but format.encoding is `{}`",
            encoding.name()
        );
        Err(
            LedgerError::new(LedgerErrorKind::MalformedRow, &self.info.path, message)
                .at_line(self.info.header_line)
                .with_help("the file is UTF-8: remove format.encoding from ledger.toml"),
        )
    }

    /// Finds a column in the header. `Ok(None)` for an optional column that is
    /// absent and not named in the manifest.
    pub fn column(&self, spec: ColumnSpec) -> Result<Option<Column>, LedgerError> {
        let name = &spec.mapping.name;
        let found: Vec<usize> = (self.info.header.iter().enumerate())
            .filter(|(_, header)| *header == name)
            .map(|(index, _)| index)
            .collect();
        match found.as_slice() {
            [index] => Ok(Some(Column {
                index: *index,
                name: name.clone(),
                about: spec.about,
            })),
            [] if spec.optional && !spec.mapping.explicit => Ok(None),
            [] => Err(self.missing_column(spec)),
            several => Err(self
                .header_error(
                    name,
                    format!("the header has {} columns named `{name}`", several.len()),
                )
                .with_help("rename or remove all but one of them")),
        }
    }

    /// An error about the header row, in one of its columns if it has a name.
    pub fn header_error(&self, column: &str, message: String) -> LedgerError {
        let error = LedgerError::new(LedgerErrorKind::MalformedRow, &self.info.path, message)
            .at_line(self.info.header_line);
        match column {
            "" => error,
            named => error.in_column(named),
        }
    }

    fn missing_column(&self, spec: ColumnSpec) -> LedgerError {
        let name = &spec.mapping.name;
        let header = self
            .info
            .header
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>();
        let message = format!(
            "no column `{name}` in the header, which has {}",
            header.join(", ")
        );
        let mut help = if self.info.has_manifest {
            format!(
                "set {} in ledger.toml to the column that holds {}",
                spec.mapping.key, spec.about
            )
        } else {
            format!(
                "add the column `{name}` ({}), or map the export's own column names in a \
                 ledger.toml manifest (see docs/ledger.md)",
                spec.about
            )
        };
        if let Some(close) = closest(name, &self.info.header) {
            help.push_str(&format!("; did you mean `{close}`?"));
        }
        LedgerError::new(LedgerErrorKind::MissingColumn, &self.info.path, message)
            .at_line(self.info.header_line)
            .in_column(name.clone())
            .with_help(help)
    }

    /// Builds one error for a header read as a single column that contains
    /// another likely delimiter, in place of an error per missing column:
    /// `missing` names the columns not found. `None` for any other header.
    pub fn wrong_delimiter(&self, missing: &[&str]) -> Option<LedgerError> {
        let delimiter = self.delimiter_hint()?;
        let only = self.info.header.first()?;
        // Listed in the order the header names them, the others after.
        let cells: Vec<&str> = only.split(delimiter).map(str::trim).collect();
        let mut missing = missing.to_vec();
        missing.sort_by_key(|name| {
            cells
                .iter()
                .position(|cell| cell == name)
                .unwrap_or(usize::MAX)
        });
        let missing: Vec<String> = missing.iter().map(|name| format!("`{name}`")).collect();
        let message = format!(
            "the file seems to use {} as separator: its header is the single column `{only}`, \
             so it lacks {}",
            describe_char(delimiter),
            missing.join(", ")
        );
        let line = format!("delimiter = \"{}\"", delimiter.escape_default());
        let help = match self.info.has_manifest {
            true => format!(
                "set `{line}` under [format] in ledger.toml, in place of any other \
                 delimiter line there"
            ),
            false => format!(
                "write a ledger.toml beside the CSV files with the two lines `[format]` and \
                 `{line}`, and load the ledger from that file rather than from the folder"
            ),
        };
        let error = LedgerError::new(LedgerErrorKind::MissingColumn, &self.info.path, message);
        Some(error.at_line(self.info.header_line).with_help(help))
    }

    /// A single header cell holding `;`, tab or `|` suggests another delimiter.
    fn delimiter_hint(&self) -> Option<char> {
        let [only] = self.info.header.as_slice() else {
            return None;
        };
        [';', '\t', '|', ',']
            .into_iter()
            .find(|c| only.contains(*c))
    }

    /// Calls `visit` with each well-formed row; `visit` returns whether it
    /// could read the row's ids. Blank lines are skipped; rows with the wrong
    /// number of cells or invalid UTF-8 are reported. Stops when `sink` is full.
    pub fn for_each_row(
        &mut self,
        sink: &mut ErrorSink,
        mut visit: impl FnMut(&Row, &mut ErrorSink) -> bool,
    ) {
        let mut bytes = ByteRecord::new();
        while !sink.is_full() {
            match self.reader.read_byte_record(&mut bytes) {
                Ok(true) => {}
                Ok(false) => break,
                Err(error) => return sink.push(read_error(&self.info.path, &error)),
            }
            let line = match self.line_of(&bytes) {
                Ok(line) => line,
                Err(error) => return sink.push(error),
            };
            if is_blank(&bytes) {
                continue;
            }
            bytes = match StringRecord::from_byte_record(std::mem::take(&mut bytes)) {
                Ok(record) => {
                    self.visit_record(&record, line, sink, &mut visit);
                    record.into_byte_record()
                }
                Err(error) => {
                    sink.push(self.utf8_error(line, error.utf8_error().field()));
                    self.unread_rows += 1;
                    error.into_byte_record()
                }
            };
        }
    }

    fn visit_record(
        &mut self,
        record: &StringRecord,
        line: u32,
        sink: &mut ErrorSink,
        visit: &mut impl FnMut(&Row, &mut ErrorSink) -> bool,
    ) {
        if let Some(error) = self.multiline_error(record, line) {
            self.unread_rows += 1;
            return sink.push(error);
        }
        if record.len() != self.info.header.len() {
            self.unread_rows += 1;
            return sink.push(self.field_count_error(record, line));
        }
        if record.iter().all(|cell| cell.trim().is_empty()) {
            self.unread_rows += 1;
            let message = "the row has no value in any column".to_string();
            return sink.push(
                LedgerError::new(LedgerErrorKind::MalformedRow, &self.info.path, message)
                    .at_line(line)
                    .with_help("remove the empty row, or fill in its cells"),
            );
        }
        if let Some(error) = self.control_character_error(record, line) {
            self.unread_rows += 1;
            return sink.push(error);
        }
        let row = Row {
            record,
            origin: RowOrigin {
                file: self.info.file,
                line,
            },
            info: &self.info,
        };
        if !visit(&row, sink) {
            self.unread_rows += 1;
        }
    }

    /// Rejects a cell that spans lines. CSV allows a quoted line break, but
    /// no ledger column needs one, and a quote left open swallows the rows
    /// after it into one cell: reading on would drop them without a word.
    fn multiline_error(&self, record: &StringRecord, line: u32) -> Option<LedgerError> {
        // One scan of the whole record rules out nearly every row.
        memchr::memchr2(b'\n', b'\r', record.as_slice().as_bytes())?;
        let field = record.iter().position(|cell| cell.contains(['\n', '\r']))?;
        let breaks: usize = record
            .iter()
            .map(|cell| cell.replace("\r\n", "\n").matches(['\n', '\r']).count())
            .sum();
        let last = u32::try_from(breaks).map_or(u32::MAX, |breaks| line.saturating_add(breaks));
        let message = format!("a quoted cell runs from line {line} to line {last}");
        let error = LedgerError::new(LedgerErrorKind::MalformedRow, &self.info.path, message)
            .at_line(line)
            .with_help(
                "a `\"` is probably never closed; close it, write a quote inside a quoted cell \
                 as `\"\"`, or remove the line break from the cell",
            );
        Some(match self.info.header.get(field) {
            Some(column) => error.in_column(column.clone()),
            None => error,
        })
    }

    /// Rejects a C1 control character (U+0080 to U+009F) in a file decoded
    /// from a single-byte encoding. In ISO-8859-1 these are the bytes 0x80
    /// to 0x9F, which Windows-1252 uses for `€`, `’`, `œ` and more. In
    /// Windows-1252 they are its five unassigned bytes. Either way the file
    /// is not in the declared encoding, so the cell would be garbled.
    fn control_character_error(&self, record: &StringRecord, line: u32) -> Option<LedgerError> {
        if self.info.encoding == Encoding::Utf8 {
            return None;
        }
        let is_control = |c: char| ('\u{80}'..='\u{9f}').contains(&c);
        let (field, cell) =
            (record.iter().enumerate()).find(|(_, cell)| cell.contains(is_control))?;
        let control = cell.chars().find(|&c| is_control(c)).map_or(0, u32::from);
        let message = format!(
            "the cell holds the byte 0x{control:02X}, a control character in {}",
            self.info.encoding.name()
        );
        let help = match self.info.encoding {
            Encoding::Iso8859_1 => {
                "files saved on Windows are usually Windows-1252, where this byte is a letter or a sign such as `€`: set format.encoding = \"windows-1252\""
            }
            _ => {
                "the file is probably in another encoding: check how the export was saved, and set format.encoding to match"
            }
        };
        let error = LedgerError::new(LedgerErrorKind::MalformedRow, &self.info.path, message)
            .at_line(line)
            .with_help(help);
        Some(match self.info.header.get(field) {
            Some(column) => error.in_column(column.clone()),
            None => error,
        })
    }

    fn field_count_error(&self, record: &StringRecord, line: u32) -> LedgerError {
        let message = format!(
            "the row has {} cells but the header has {} columns",
            record.len(),
            self.info.header.len()
        );
        let help = "give every row one cell per header column; quote a cell that contains the \
                    delimiter, as in \"Smith, John\"";
        LedgerError::new(LedgerErrorKind::MalformedRow, &self.info.path, message)
            .at_line(line)
            .with_help(help)
    }

    fn utf8_error(&self, line: u32, field: usize) -> LedgerError {
        let error = LedgerError::new(
            LedgerErrorKind::MalformedRow,
            &self.info.path,
            "the row is not valid UTF-8",
        )
        .at_line(line)
        .with_help(UTF8_HELP);
        match self.info.header.get(field) {
            Some(column) => error.in_column(column.clone()),
            None => error,
        }
    }

    /// The line a record starts on. csv's own line count skips neither blank
    /// lines nor the `\n` of a CRLF, so the lines are counted here from the
    /// record's byte offset, which csv gives exactly.
    fn line_of(&mut self, record: &ByteRecord) -> Result<u32, LedgerError> {
        let byte = record.position().map_or(0, csv::Position::byte);
        let line = self.lines.line_of(byte).map_err(|error| {
            LedgerError::new(
                LedgerErrorKind::Io,
                &self.info.path,
                format!("cannot read the file: {error}"),
            )
        })?;
        Ok(u32::try_from(line).unwrap_or(u32::MAX))
    }
}

const UTF8_HELP: &str = "the file is not UTF-8; for an export in Windows-1252 or ISO-8859-1 \
                         (Latin-1), set format.encoding = \"windows-1252\" or \"iso-8859-1\" \
                         in a ledger.toml manifest, or save the file as UTF-8";

/// One well-formed row: as many cells as the header, all valid UTF-8.
pub(super) struct Row<'a> {
    record: &'a StringRecord,
    pub origin: RowOrigin,
    pub info: &'a TableInfo,
}

impl Row<'_> {
    /// The cell of `column`, without surrounding spaces.
    pub fn text(&self, column: &Column) -> &str {
        self.record.get(column.index).map_or("", str::trim)
    }

    /// The cell of a column the file may lack; `None` when absent or empty.
    pub fn optional(&self, column: Option<&Column>) -> Option<&str> {
        column
            .map(|column| self.text(column))
            .filter(|text| !text.is_empty())
    }

    /// The cell of a column that must be filled in.
    pub fn required(&self, column: &Column) -> Result<&str, LedgerError> {
        let text = self.text(column);
        if text.is_empty() {
            return Err(self.empty_error(column));
        }
        Ok(text)
    }

    /// The error for an empty cell of `column`, which must be filled in.
    pub fn empty_error(&self, column: &Column) -> LedgerError {
        self.error(
            LedgerErrorKind::EmptyCell,
            column,
            format!("`{}` is empty", column.name),
        )
        .with_help(format!(
            "fill in {}; this cell cannot be empty",
            column.about
        ))
    }

    /// An error about the cell of `column` in this row.
    pub fn error(&self, kind: LedgerErrorKind, column: &Column, message: String) -> LedgerError {
        LedgerError::new(kind, &self.info.path, message)
            .at_line(self.origin.line)
            .in_column(column.name.clone())
    }
}

fn cannot_read(path: &Path, error: &io::Error, has_manifest: bool) -> LedgerError {
    let help = if has_manifest {
        "check the file's path in ledger.toml; paths are relative to the manifest's folder"
    } else {
        "a native ledger folder needs clients.csv, invoices.csv and payments.csv; \
         a payments.csv with only its header row means no payments"
    };
    LedgerError::new(
        LedgerErrorKind::Io,
        path,
        format!("cannot open the file: {error}"),
    )
    .with_help(help)
}

fn read_error(path: &Path, error: &csv::Error) -> LedgerError {
    let mut located = LedgerError::new(
        LedgerErrorKind::Io,
        path,
        format!("cannot read the file: {error}"),
    );
    if let Some(position) = error.position() {
        located = located.at_line(u32::try_from(position.line()).unwrap_or(u32::MAX));
    }
    located
}

/// A line with nothing but spaces is blank too, not a one-cell row.
fn is_blank(record: &ByteRecord) -> bool {
    record.len() == 1 && record[0].iter().all(u8::is_ascii_whitespace)
}

/// 1-based, for people.
fn field_number(index: usize) -> usize {
    index + 1
}

/// A header name close to `name`: equal but for case, or nearly the same.
fn closest<'h>(name: &str, header: &'h [String]) -> Option<&'h str> {
    if let Some(same) = header.iter().find(|n| n.eq_ignore_ascii_case(name)) {
        return Some(same);
    }
    header
        .iter()
        .map(|n| {
            (
                strsim::jaro_winkler(&n.to_lowercase(), &name.to_lowercase()),
                n,
            )
        })
        .filter(|(score, _)| *score > 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, n)| n.as_str())
}

/// Counts line breaks (`\n`, `\r\n` or a lone `\r`) up to a byte offset, by
/// reading the file a second time alongside the CSV reader.
struct LineCounter<R> {
    reader: R,
    offset: u64,
    breaks: u64,
    after_cr: bool,
}

impl<R: BufRead> LineCounter<R> {
    fn new(reader: R) -> Self {
        LineCounter {
            reader,
            offset: 0,
            breaks: 0,
            after_cr: false,
        }
    }

    /// The 1-based line of the record csv reports at `byte`: csv places a
    /// record just after the previous record's first terminator byte, so the
    /// line breaks right after `byte` (blank lines, the `\n` of a CRLF) come
    /// before the record.
    fn line_of(&mut self, byte: u64) -> io::Result<u64> {
        self.skip_to(byte)?;
        self.advance(|_, b| b == b'\r' || b == b'\n')?;
        Ok(self.breaks + 1)
    }

    /// Consumes the bytes before offset `byte`, counting their line breaks
    /// a buffer at a time.
    fn skip_to(&mut self, byte: u64) -> io::Result<()> {
        while self.offset < byte {
            let buffer = self.reader.fill_buf()?;
            let wanted = usize::try_from(byte - self.offset).unwrap_or(usize::MAX);
            let Some(chunk) = buffer
                .get(..wanted.min(buffer.len()))
                .filter(|c| !c.is_empty())
            else {
                return Ok(());
            };
            self.breaks += count_breaks(chunk, &mut self.after_cr);
            let taken = chunk.len();
            self.offset += taken as u64;
            self.reader.consume(taken);
        }
        Ok(())
    }

    /// Consumes bytes while `keep(offset, byte)` holds, counting line breaks.
    fn advance(&mut self, keep: impl Fn(u64, u8) -> bool) -> io::Result<()> {
        loop {
            let buffer = self.reader.fill_buf()?;
            if buffer.is_empty() {
                return Ok(());
            }
            let mut taken = 0;
            for &b in buffer {
                if !keep(self.offset, b) {
                    break;
                }
                if b == b'\r' || (b == b'\n' && !self.after_cr) {
                    self.breaks += 1;
                }
                self.after_cr = b == b'\r';
                self.offset += 1;
                taken += 1;
            }
            let stopped = taken < buffer.len();
            self.reader.consume(taken);
            if stopped {
                return Ok(());
            }
        }
    }
}

/// Counts the line breaks of `chunk`: each `\r`, and each `\n` not right
/// after a `\r`. `after_cr` is true when the byte before the chunk is a
/// `\r`, and is set to whether the chunk's last byte is one.
fn count_breaks(chunk: &[u8], after_cr: &mut bool) -> u64 {
    let mut breaks = 0;
    for index in memchr::memchr2_iter(b'\r', b'\n', chunk) {
        let previous_cr = match index.checked_sub(1) {
            Some(previous) => chunk.get(previous) == Some(&b'\r'),
            None => *after_cr,
        };
        if chunk.get(index) == Some(&b'\r') || !previous_cr {
            breaks += 1;
        }
    }
    if let Some(&last) = chunk.last() {
        *after_cr = last == b'\r';
    }
    breaks
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The line of each record of `data`, as the table reports it.
    fn lines(data: &str) -> Vec<u64> {
        lines_in_buffers_of(data, data.len().max(1))
    }

    /// As [`lines`], reading the file a `capacity` bytes at a time, so that
    /// a CRLF can fall across two buffers.
    fn lines_in_buffers_of(data: &str, capacity: usize) -> Vec<u64> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(data.as_bytes());
        let mut counter = LineCounter::new(io::BufReader::with_capacity(capacity, data.as_bytes()));
        let mut record = ByteRecord::new();
        let mut lines = Vec::new();
        while reader.read_byte_record(&mut record).unwrap() {
            let byte = record.position().unwrap().byte();
            lines.push(counter.line_of(byte).unwrap());
        }
        lines
    }

    #[test]
    fn counts_lines_across_blank_lines_and_line_endings() {
        assert_eq!(lines("a,b\n1,2\n3,4\n"), [1, 2, 3]);
        assert_eq!(lines("a,b\r\n1,2\r\n3,4\r\n"), [1, 2, 3]);
        assert_eq!(lines("a,b\n\n1,2\n\n\n3,4\n"), [1, 3, 6]);
        assert_eq!(lines("a,b\r\n\r\n1,2\r\n3,4"), [1, 3, 4]);
        assert_eq!(lines("\n\na,b\n1,2\n"), [3, 4]);
        assert_eq!(lines("a,b\r1,2\r3,4\r"), [1, 2, 3]);
        assert_eq!(lines("\u{feff}a,b\r\n1,2\r\n"), [1, 2]);
    }

    #[test]
    fn counts_lines_when_a_crlf_straddles_two_buffers() {
        let data = "a,b\r\n\r\n1,2\r\n3,4\r\n\"x\r\ny\",5\r\n6,7";
        for capacity in 1..=data.len() {
            assert_eq!(
                lines_in_buffers_of(data, capacity),
                [1, 3, 4, 5, 7],
                "buffers of {capacity} bytes"
            );
        }
    }

    #[test]
    fn a_quoted_line_break_belongs_to_its_row() {
        assert_eq!(lines("a,b\n\"x\ny\",2\n3,4\n"), [1, 2, 4]);
        assert_eq!(lines("a,b\r\n\"x\r\ny\",2\r\n3,4\r\n"), [1, 2, 4]);
    }

    #[test]
    fn suggests_close_header_names() {
        let header = ["InvoiceDate".to_string(), "DueDate".to_string()];
        assert_eq!(closest("duedate", &header), Some("DueDate"));
        assert_eq!(closest("Due_Date", &header), Some("DueDate"));
        assert_eq!(closest("amount", &header), None);
    }
}
