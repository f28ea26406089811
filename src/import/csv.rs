//! CSV with a header row: the delimiter (`,` `;` or tab) is detected from the header
//! line, a UTF-8 byte-order mark is skipped, CRLF and LF line ends both work. A record
//! (or the header) longer than `MAX_RECORD_BYTES` is refused, naming it, before it is
//! held whole.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::io::BufRead;

use super::preset::norm;
use super::record::{self, Raw};
use super::rows::Rows;
use super::{BOM, Item, MAX_RECORD_BYTES, Problem, ReadInfo, ReadOptions, read_error};
use crate::domain::sanitize::escape_for_text;
use crate::error::Error;

/// The delimiter of the header line: the most frequent of `,` `;` tab outside quotes
/// (a comma when there is none, as in a one-column file).
pub fn detect_delimiter(head: &[u8]) -> u8 {
    let line = match head.iter().position(|&b| b == b'\n') {
        Some(n) => &head[..n],
        None => head,
    };
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &b in line {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let [c, s, t] = counts;
    if s > c && s >= t {
        b';'
    } else if t > c && t > s {
        b'\t'
    } else {
        b','
    }
}

/// Which column of a record is not UTF-8, and the bad bytes. Each field is checked on
/// its own: the record's bytes run the fields together, and two broken halves on either
/// side of a comma can join into a valid character.
fn bad_utf8(rec: &csv::ByteRecord) -> Option<(usize, String)> {
    if rec.as_slice().is_ascii() {
        return None;
    }
    rec.iter().enumerate().find_map(|(i, f)| {
        std::str::from_utf8(f).err().map(|e| {
            let at = e.valid_up_to();
            let bad: Vec<String> = f[at..]
                .iter()
                .take(e.error_len().unwrap_or(1).max(1))
                .map(|b| format!("0x{b:02X}"))
                .collect();
            (i, bad.join(" "))
        })
    })
}

/// Follows the CSV quoting of the bytes read through it, the way the csv crate reads
/// them. It tells at the end whether the file stopped inside a quoted field (the csv
/// crate then returns the rest of the file as one value without a word, so an unclosed
/// quote would swallow every row after it); it notes where each record starts and on
/// which line (the csv crate's line numbers are one short after a CRLF); and it stops
/// a record that grows past `MAX_RECORD_BYTES`.
struct QuoteWatch<R> {
    inner: R,
    delimiter: u8,
    state: Quoting,
    /// Bytes fed so far, and lines begun.
    offset: u64,
    line: u64,
    /// Where the record being read started, and on which line.
    record_start: (u64, u64),
    /// The start (offset, line) of each record not yet taken by the reader.
    starts: VecDeque<(u64, u64)>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Quoting {
    /// Between records (after a line end), or at the start of the file.
    LineStart,
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: the end of it, or the first of a doubled quote.
    QuoteInQuoted,
}

/// A record longer than `MAX_RECORD_BYTES`, starting on this line.
#[derive(Debug)]
struct TooLong {
    line: u64,
}

impl std::fmt::Display for TooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a record on line {} is too long", self.line)
    }
}

impl std::error::Error for TooLong {}

impl<R> QuoteWatch<R> {
    fn new(inner: R, delimiter: u8) -> QuoteWatch<R> {
        QuoteWatch {
            inner,
            delimiter,
            state: Quoting::LineStart,
            offset: 0,
            line: 1,
            record_start: (0, 1),
            starts: VecDeque::new(),
        }
    }

    fn feed(&mut self, bytes: &[u8]) {
        use Quoting::*;
        let mut i = 0;
        while i < bytes.len() {
            // Jump to the next byte that can change the state (this runs over every byte
            // of a file of hundreds of megabytes); count the lines jumped over.
            let from = i;
            match self.state {
                Quoted => match memchr::memchr(b'"', &bytes[i..]) {
                    Some(at) => i += at,
                    None => i = bytes.len(),
                },
                Unquoted => match memchr::memchr3(self.delimiter, b'\n', b'\r', &bytes[i..]) {
                    Some(at) => i += at,
                    None => i = bytes.len(),
                },
                _ => {}
            }
            if self.state == Quoted {
                self.line += memchr::memchr_iter(b'\n', &bytes[from..i]).count() as u64;
            }
            if i == bytes.len() {
                break;
            }
            let b = bytes[i];
            let at = self.offset + i as u64;
            if self.state == LineStart && b != b'\n' && b != b'\r' {
                self.record_start = (at, self.line);
                self.starts.push_back(self.record_start);
            }
            self.state = match (self.state, b) {
                (LineStart | FieldStart, b'"') => Quoted,
                (_, b'\n') if self.state != Quoted => LineStart,
                (_, b'\r') if self.state != Quoted => LineStart,
                (LineStart | FieldStart | Unquoted, d) if d == self.delimiter => FieldStart,
                (LineStart | FieldStart | Unquoted, _) => Unquoted,
                (Quoted, b'"') => QuoteInQuoted,
                (Quoted, _) => Quoted,
                (QuoteInQuoted, b'"') => Quoted,
                (QuoteInQuoted, d) if d == self.delimiter => FieldStart,
                (QuoteInQuoted, _) => Unquoted,
            };
            if b == b'\n' {
                self.line += 1;
            }
            i += 1;
        }
        self.offset += bytes.len() as u64;
    }

    fn inside_quotes(&self) -> bool {
        self.state == Quoting::Quoted
    }

    fn too_long(&self) -> bool {
        self.state != Quoting::LineStart
            && self.offset - self.record_start.0 > MAX_RECORD_BYTES as u64
    }

    /// The line of the record the csv reader read from `byte` on (it may start with the
    /// line end of the record before).
    fn line_of(&mut self, byte: u64) -> Option<u64> {
        while let Some(&(offset, line)) = self.starts.front() {
            self.starts.pop_front();
            if offset >= byte {
                return Some(line);
            }
        }
        None
    }
}

impl<R: std::io::Read> std::io::Read for QuoteWatch<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.feed(&buf[..n]);
        if self.too_long() {
            return Err(std::io::Error::other(TooLong {
                line: self.record_start.1,
            }));
        }
        Ok(n)
    }
}

const NOT_UTF8_HINT: &str = "save or export the file as UTF-8 (in Salesforce reports: Export, Encoding \"Unicode (UTF-8)\"; in Excel: \"CSV UTF-8\")";

/// One-cell lines held back in a file whose preset has a footer: the footer when
/// nothing follows them, rows with a missing delimiter when a record does.
struct Held {
    lines: Vec<Option<u64>>,
}

pub fn read(
    input: &mut dyn BufRead,
    opts: &ReadOptions<'_>,
    info: &mut ReadInfo,
    sink: &mut dyn FnMut(Item) -> Result<(), Error>,
) -> Result<(), Error> {
    let file = opts.file;
    let head = input.fill_buf().map_err(|e| read_error(file, &e))?;
    if head.starts_with(BOM) {
        input.consume(BOM.len());
    }
    let head = input.fill_buf().map_err(|e| read_error(file, &e))?;
    let delimiter = detect_delimiter(head);
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(QuoteWatch::new(input, delimiter));
    let mut row = 0u64;
    // `row`: the rows read before (none while reading the header).
    let csv_error = |e: csv::Error, row: Option<u64>| {
        let csv::ErrorKind::Io(io) = e.kind() else {
            return Error::Invalid(format!(
                "Nothing was imported: {} cannot be read as CSV: {e}.",
                escape_for_text(file)
            ));
        };
        match io.get_ref().and_then(|e| e.downcast_ref::<TooLong>()) {
            Some(TooLong { line }) if row.is_none() => Error::Invalid(format!(
                "Nothing was imported: the header row of {} (line {line}) is longer than {} MiB; is it a CSV file?",
                escape_for_text(file),
                MAX_RECORD_BYTES >> 20
            )),
            Some(TooLong { line }) => Error::Invalid(format!(
                "Nothing was imported: {}: row {} (line {line}) is longer than {} MiB, so the file is not read further; a quote that is never closed, or a file without line breaks?",
                escape_for_text(file),
                row.unwrap_or_default() + 1,
                MAX_RECORD_BYTES >> 20
            )),
            None => read_error(file, io),
        }
    };
    let mut rec = csv::ByteRecord::new();
    if !rdr
        .read_byte_record(&mut rec)
        .map_err(|e| csv_error(e, None))?
    {
        return Err(Error::Invalid(format!(
            "Nothing was imported: {} is empty; a CSV import needs a header row (e.g. external_id,email,name).",
            escape_for_text(file)
        )));
    }
    if let Some((col, bytes)) = bad_utf8(&rec) {
        return Err(Error::Invalid(format!(
            "Nothing was imported: the header row of {} is not valid UTF-8 (column {}: {bytes}); {NOT_UTF8_HINT}.",
            escape_for_text(file),
            col + 1
        )));
    }
    let header: Vec<String> = rec
        .iter()
        .map(|f| String::from_utf8_lossy(f).trim().to_owned())
        .collect();
    let normalized: Vec<String> = header.iter().map(|h| norm(h)).collect();
    let mut rows = Rows::new(opts);
    // A column roster reads, twice: which one counts is anybody's guess.
    for (i, h) in normalized.iter().enumerate() {
        if let Some(first) = normalized[..i].iter().position(|e| e == h)
            && rows.names.slot(h).is_some()
        {
            return Err(Error::Invalid(format!(
                "Nothing was imported: {} has the column {} twice (columns {} and {}); roster cannot tell which one to read: rename or remove one.",
                escape_for_text(file),
                record::quote(&header[i]),
                first + 1,
                i + 1
            )));
        }
    }
    // Where each name (slot) is among the columns.
    let column: Vec<Option<usize>> = rows
        .names
        .names
        .iter()
        .map(|n| normalized.iter().position(|h| h == n))
        .collect();
    let has = |slot: usize| column[slot].is_some();
    let footer = rows
        .choose(&has, "columns", &header, info)?
        .preset
        .def()
        .footer;
    let mut held = Held { lines: Vec::new() };
    let mut last_line = None;
    loop {
        if !rdr
            .read_byte_record(&mut rec)
            .map_err(|e| csv_error(e, Some(row + held.lines.len() as u64)))?
        {
            break;
        }
        let byte = rec.position().map_or(0, |p| p.byte());
        let line = rdr
            .get_mut()
            .line_of(byte)
            .or_else(|| rec.position().map(|p| p.line()));
        last_line = line;
        // Salesforce report exports end with a footer of one-cell lines (report name,
        // copyright, "Generated By"): not records; but only after the last record.
        if footer && rec.len() == 1 && header.len() > 1 {
            held.lines.push(line);
            continue;
        }
        for held_line in held.lines.drain(..) {
            row += 1;
            sink(Item::Problem(Problem {
                row: Some(row),
                line: held_line,
                message: format!(
                    "it has 1 field but the header has {}; the file is malformed (a missing delimiter?)",
                    header.len()
                ),
            }))?;
        }
        row += 1;
        let problem = |message: String| Problem {
            row: Some(row),
            line,
            message,
        };
        if rec.len() != header.len() {
            sink(Item::Problem(problem(format!(
                "it has {} field{} but the header has {}; the file is malformed (a stray delimiter or quote?)",
                rec.len(),
                if rec.len() == 1 { "" } else { "s" },
                header.len()
            ))))?;
            continue;
        }
        if let Some((col, bytes)) = bad_utf8(&rec) {
            sink(Item::Problem(problem(format!(
                "the value in column {} is not valid UTF-8 ({bytes}); {NOT_UTF8_HINT}",
                record::quote(&header[col])
            ))))?;
            continue;
        }
        let get = |slot: usize| match column[slot] {
            // Checked above: every field is UTF-8.
            Some(i) => Raw::Text(Cow::Borrowed(
                std::str::from_utf8(&rec[i]).unwrap_or_default(),
            )),
            None => Raw::Missing,
        };
        rows.emit(row, line, &get, sink)?;
    }
    if rdr.get_ref().inside_quotes() {
        // The last record ran to the end of the file inside a quoted field.
        sink(Item::Problem(Problem {
            row: Some(row.max(1)),
            line: last_line,
            message: "a quote opened in this row is never closed, so the rest of the file was read as one value; close the quote (a quote inside a quoted value is written twice: \"\")".to_owned(),
        }))?;
    }
    rows.finish(info);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{Format, Wording};

    fn watch(text: &str, pieces: usize) -> QuoteWatch<std::io::Empty> {
        let mut w = QuoteWatch::new(std::io::empty(), b',');
        for piece in text.as_bytes().chunks(pieces.max(1)) {
            w.feed(piece);
        }
        w
    }

    #[test]
    fn quoting_is_followed_to_the_end() {
        assert!(!watch("a,b\n1,\"x, \"\"y\"\"\"\n", 100).inside_quotes());
        assert!(!watch("a,b\n1,\"multi\nline\"\n2,6\" tall\n", 100).inside_quotes());
        assert!(watch("a,b\n1,\"never closed\n2,x\n", 100).inside_quotes());
        assert!(watch("a\n\"\"\"\n", 100).inside_quotes());
        // The same, fed in pieces of every size.
        let text = "a,b\n1,\"x,\n\"\"y\"\n2,\"open";
        for size in 1..text.len() {
            assert!(watch(text, size).inside_quotes(), "pieces of {size}");
        }
    }

    #[test]
    fn record_starts_and_their_lines() {
        let text = "a,b\r\n1,\"two\r\nlines\"\r\n\r\n3,x\r\n";
        for size in 1..text.len() {
            let w = watch(text, size);
            let starts: Vec<(u64, u64)> = w.starts.iter().copied().collect();
            assert_eq!(starts, [(0, 1), (5, 2), (23, 5)], "pieces of {size}");
        }
    }

    /// The Entra admin center's "Download users" CSV as it comes (docs/import.md,
    /// "Real exports"): every row read, names outside ASCII kept, the email from `mail`
    /// else a plain `userPrincipalName`, `accountEnabled` the status, the guest skipped.
    #[test]
    fn a_vendor_export_is_read_whole_with_its_names_as_written() {
        let file = include_str!("../../tests/fixtures/entra/download-users.csv");
        let opts = ReadOptions {
            system: "entra",
            format: Some(Format::Csv),
            preset: None,
            map: None,
            file: "exportUsers.csv",
            wording: Wording::CLI,
        };
        let mut read = Vec::new();
        let mut skipped = Vec::new();
        crate::import::read(&mut file.as_bytes(), &opts, &mut |item| {
            match item {
                Item::Record(r) => read.push((
                    r.row,
                    r.email.value().cloned(),
                    r.name.value().cloned(),
                    r.active.value().copied(),
                )),
                Item::Skipped(s) => skipped.push(s.row),
                other => panic!("{other:?}"),
            }
            Ok(())
        })
        .unwrap();
        let owned = |s: &str| Some(s.to_owned());
        assert_eq!(
            read,
            [
                (
                    1,
                    owned("Natalie.Okafor@acme.example"),
                    owned("Natalie Okafor"),
                    Some(true)
                ),
                (
                    2,
                    owned("tomasz.wisniewski@acme.example"),
                    owned("Tomasz Wiśniewski"),
                    Some(true)
                ),
                (
                    3,
                    owned("priya.raman@acme.example"),
                    owned("Priya Raman"),
                    Some(false)
                ),
            ]
        );
        assert_eq!(skipped, [4], "the guest is not one of the company's people");
    }

    #[test]
    fn delimiters() {
        assert_eq!(detect_delimiter(b"external_id,email,name\n1;2"), b',');
        assert_eq!(detect_delimiter(b"external_id;email;\"a,b\"\r\n"), b';');
        assert_eq!(detect_delimiter(b"external_id\temail\n"), b'\t');
        assert_eq!(detect_delimiter(b"external_id\n"), b',');
        // Delimiters inside quotes do not count; every one outside does.
        assert_eq!(
            detect_delimiter(b"\"Name, Full\";\"Email, Work\";\"Id\"\n"),
            b';'
        );
        assert_eq!(detect_delimiter(b"\"Id;Nr;Alt\"\t\"Email\"\n"), b'\t');
        assert_eq!(detect_delimiter(b"\"Id\tNr\tAlt\",\"Email\"\n"), b',');
        assert_eq!(detect_delimiter(b"id,email,name;x\n"), b',');
        assert_eq!(detect_delimiter(b"id,email;name;x\n"), b';');
        assert_eq!(detect_delimiter(b"id\temail\tname;x,y\n"), b'\t');
        assert_eq!(detect_delimiter(b"id;email\tname\tx\n"), b'\t');
        assert_eq!(detect_delimiter(b"id\temail,name,x\n"), b',');
        assert_eq!(detect_delimiter(b"id\temail\tname,x,y,z\n"), b',');
        // A tie between ; and tab is ;, between , and either is ,.
        assert_eq!(detect_delimiter(b"id;email\tname\n"), b';');
        assert_eq!(detect_delimiter(b"id,email\tname\n"), b',');
        assert_eq!(detect_delimiter(b"id,email;name\n"), b',');
        // Only the header line counts.
        assert_eq!(detect_delimiter(b"id\n1;2;3;4\n"), b',');
    }

    /// Reads `text` as `system`'s CSV: the records ("row line id email name active"),
    /// the problems as shown, or the refusal.
    fn read_csv(system: &str, text: &[u8]) -> Result<(Vec<String>, Vec<String>), String> {
        let opts = ReadOptions {
            system,
            format: Some(Format::Csv),
            preset: None,
            map: None,
            file: "report.csv",
            wording: Wording::CLI,
        };
        let (mut records, mut problems) = (Vec::new(), Vec::new());
        crate::import::read(&mut &text[..], &opts, &mut |item| {
            match item {
                Item::Record(r) => records.push(format!(
                    "{} {:?} {} {:?} {:?} {:?}",
                    r.row,
                    r.line,
                    r.external_id,
                    r.email.value(),
                    r.name.value(),
                    r.active.value()
                )),
                Item::Problem(p) => problems.push(p.to_string()),
                Item::Seen { .. } | Item::Skipped(_) => {}
            }
            Ok(())
        })
        .map_err(|e| e.to_string())?;
        Ok((records, problems))
    }

    const REPORT_HEAD: &str = "\"User ID\",\"Full Name\",\"Email\",\"Active\"\r\n\
        \"0055g00000ABcdE\",\"Jane Doe\",\"jane.doe@acme.com\",\"1\"\r\n\
        \"0055g00000XyZ12\",\"Omar Haddad\",\"omar.haddad@acme.com\",\"0\"\r\n";

    /// A Salesforce report export ends with a footer of one-cell lines: skipped after the
    /// last record, problems of their rows when a record follows them.
    #[test]
    fn a_report_footer_is_skipped_and_one_cell_rows_before_a_record_are_not() {
        let report = format!(
            "{REPORT_HEAD}\r\n\"\"\r\n\"Active Users\"\r\n\"Copyright (c) 2000-2025 salesforce.com, inc. All rights reserved.\"\r\n\"Generated By:  Ada Admin  11/20/2025 9:14 AM\"\r\n"
        );
        let (records, problems) = read_csv("salesforce", report.as_bytes()).unwrap();
        assert_eq!(
            records,
            [
                "1 Some(2) 0055g00000ABcdEAAT Some(\"jane.doe@acme.com\") Some(\"Jane Doe\") Some(true)",
                "2 Some(3) 0055g00000XyZ12AAF Some(\"omar.haddad@acme.com\") Some(\"Omar Haddad\") Some(false)",
            ]
        );
        assert!(problems.is_empty(), "{problems:?}");
        let broken = format!(
            "{REPORT_HEAD}\"0055g00000Qq7rS\"\r\n\"Zoë Martin\"\r\n\"0055g00000Qq7rS\",\"Zoë Martin\",\"zoe.martin@acme.com\",\"1\"\r\n"
        );
        let (records, problems) = read_csv("salesforce", broken.as_bytes()).unwrap();
        assert_eq!(
            problems,
            [
                "row 3 (line 4): it has 1 field but the header has 4; the file is malformed (a missing delimiter?)",
                "row 4 (line 5): it has 1 field but the header has 4; the file is malformed (a missing delimiter?)",
            ]
        );
        assert_eq!(records.len(), 3);
        assert!(
            records[2].starts_with("5 Some(6) 0055g00000Qq7rSAAR"),
            "{records:?}"
        );
    }

    /// A record past the longest one (a quote never closed) stops the reading, naming
    /// its row: one-cell lines held back before it count as rows.
    #[test]
    fn a_record_too_long_is_named_by_its_row_after_held_lines() {
        let mut report =
            format!("{REPORT_HEAD}\"Active Users\"\r\n\"0055g00000Qq7rS\",\"Zoë").into_bytes();
        report.extend(std::iter::repeat_n(b'x', MAX_RECORD_BYTES + 1));
        let e = read_csv("salesforce", &report).unwrap_err();
        assert_eq!(
            e,
            "Nothing was imported: report.csv: row 4 (line 5) is longer than 1 MiB, so the file is not read further; a quote that is never closed, or a file without line breaks?"
        );
        let mut header = b"\"User ID\",\"".to_vec();
        header.extend(std::iter::repeat_n(b'x', MAX_RECORD_BYTES + 1));
        let e = read_csv("salesforce", &header).unwrap_err();
        assert_eq!(
            e,
            "Nothing was imported: the header row of report.csv (line 1) is longer than 1 MiB; is it a CSV file?"
        );
    }

    /// A value that is not UTF-8 (a Latin-1 export) is a problem of its row, naming the
    /// column and the bytes, checked field by field; a header that is not refuses the
    /// file.
    #[test]
    fn bytes_that_are_not_utf8_are_named_by_column() {
        let text = b"external_id,name,email\n\
            w-1,Ren\xe9 Dupont,rene@acme.com\n\
            w-2,Zo\xc3\xab Martin,zoe@acme.com\n\
            w-3,Broken\xc3,\xab@acme.com\n";
        let (records, problems) = read_csv("workday", text).unwrap();
        assert_eq!(
            problems,
            [
                "row 1 (line 2): the value in column 'name' is not valid UTF-8 (0xE9); save or export the file as UTF-8 (in Salesforce reports: Export, Encoding \"Unicode (UTF-8)\"; in Excel: \"CSV UTF-8\")",
                "row 3 (line 4): the value in column 'name' is not valid UTF-8 (0xC3); save or export the file as UTF-8 (in Salesforce reports: Export, Encoding \"Unicode (UTF-8)\"; in Excel: \"CSV UTF-8\")",
            ]
        );
        assert_eq!(
            records,
            ["2 Some(3) w-2 Some(\"zoe@acme.com\") Some(\"Zoë Martin\") None"]
        );
        let e = read_csv("workday", b"external_id,Stra\xdfe\nw-1,x\n").unwrap_err();
        assert_eq!(
            e,
            "Nothing was imported: the header row of report.csv is not valid UTF-8 (column 2: 0xDF); save or export the file as UTF-8 (in Salesforce reports: Export, Encoding \"Unicode (UTF-8)\"; in Excel: \"CSV UTF-8\")."
        );
    }

    /// Rows with the wrong number of fields, a column roster reads given twice, an empty
    /// file, a quote never closed: each said, with its row and line.
    #[test]
    fn malformed_files_are_named_by_row_and_line() {
        let text = "\u{feff}external_id;email;name\r\n\
            w-1;a@acme.com;A\r\n\
            w-2;b@acme.com\r\n\
            w-3;c@acme.com;C;x\r\n\
            w-4\r\n\
            \"w-5\";\"e@acme.com\";\"Two\r\nLines\"\r\n\
            \r\n\
            w-6;f@acme.com;\"never closed\r\nw-7;g@acme.com;G\r\n";
        let (records, problems) = read_csv("workday", text.as_bytes()).unwrap();
        assert_eq!(
            problems,
            [
                "row 2 (line 3): it has 2 fields but the header has 3; the file is malformed (a stray delimiter or quote?)",
                "row 3 (line 4): it has 4 fields but the header has 3; the file is malformed (a stray delimiter or quote?)",
                "row 4 (line 5): it has 1 field but the header has 3; the file is malformed (a stray delimiter or quote?)",
                "row 6 (line 9): a quote opened in this row is never closed, so the rest of the file was read as one value; close the quote (a quote inside a quoted value is written twice: \"\")",
            ]
        );
        assert_eq!(
            records,
            [
                "1 Some(2) w-1 Some(\"a@acme.com\") Some(\"A\") None",
                "5 Some(6) w-5 Some(\"e@acme.com\") Some(\"Two\\r\\nLines\") None",
                "6 Some(9) w-6 Some(\"f@acme.com\") Some(\"never closed\\r\\nw-7;g@acme.com;G\") None",
            ]
        );
        let e = read_csv(
            "workday",
            b"External_ID,email,external_id\nw-1,a@acme.com,w-2\n",
        )
        .unwrap_err();
        assert_eq!(
            e,
            "Nothing was imported: report.csv has the column 'external_id' twice (columns 1 and 3); roster cannot tell which one to read: rename or remove one."
        );
        // A column roster does not read may come twice.
        let (records, _) = read_csv("workday", b"external_id,notes,Notes\nw-1,a,b\n").unwrap();
        assert_eq!(records.len(), 1);
        let e = read_csv("workday", b"").unwrap_err();
        assert_eq!(
            e,
            "Nothing was imported: report.csv is empty; a CSV import needs a header row (e.g. external_id,email,name)."
        );
        let e = read_csv("workday", b"\xef\xbb\xbf").unwrap_err();
        assert!(
            e.ends_with("is empty; a CSV import needs a header row (e.g. external_id,email,name)."),
            "{e}"
        );
        // A file that stops inside the quote of its first row.
        let (_, problems) = read_csv("workday", b"external_id,name\n\"w-1").unwrap();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(
            problems[0].starts_with("row 1 (line 2): it has 1 field but"),
            "{problems:?}"
        );
        assert!(
            problems[1].starts_with("row 1 (line 2): a quote opened"),
            "{problems:?}"
        );
        // One that stops inside the quote of its header: row 1, no line.
        let (records, problems) = read_csv("workday", b"external_id,\"name").unwrap();
        assert!(records.is_empty());
        assert_eq!(
            problems,
            [
                "row 1: a quote opened in this row is never closed, so the rest of the file was read as one value; close the quote (a quote inside a quoted value is written twice: \"\")"
            ]
        );
    }

    /// Quotes are followed as the csv crate reads them: a quote opens a quoted value only
    /// at the start of a field (after a delimiter, or a line end of any kind: LF, CRLF,
    /// CR), not after the closing quote of a value.
    #[test]
    fn quotes_open_only_at_the_start_of_a_field() {
        let unclosed = |text: &[u8]| {
            let (_, problems) = read_csv("workday", text).unwrap();
            problems
                .iter()
                .any(|p| p.contains("a quote opened in this row is never closed"))
        };
        assert!(unclosed(b"external_id,name\n\"w-1\",\"never closed\n"));
        assert!(unclosed(b"external_id,name\rw-1,A\r\"w-2,B\r"));
        assert!(unclosed(b"external_id,name\r\nw-1,A\r\n\"w-2,B\r\n"));
        assert!(!unclosed(b"external_id,name\n\"w-1\"x\"y,A\nw-2,B\n"));
        assert!(!unclosed(b"external_id,name\rw-1,A\rw-2,B\r"));
        let (records, problems) =
            read_csv("workday", b"external_id,name\n\"w-1\"x\"y,A\nw-2,B\n").unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(records.len(), 2, "{records:?}");
    }

    /// The longest record is a limit on one record, not on the file: a file of more than
    /// 1 MiB of short rows is read whole.
    #[test]
    fn a_file_longer_than_the_longest_record_is_read_whole() {
        let mut text = String::from("external_id,email,name\n");
        let rows = MAX_RECORD_BYTES / 40 + 100;
        for i in 0..rows {
            text.push_str(&format!("w-{i:06},p{i:06}@acme.example,Person {i}\n"));
        }
        assert!(text.len() > MAX_RECORD_BYTES + 4096);
        let (records, problems) = read_csv("workday", text.as_bytes()).unwrap();
        assert!(
            problems.is_empty(),
            "{:?}",
            &problems[..problems.len().min(3)]
        );
        assert_eq!(records.len(), rows);
    }

    /// A file of one column read with the Salesforce preset (forced, the ID mapped): its
    /// rows are records, not a report's footer.
    #[test]
    fn rows_of_a_one_column_file_are_not_a_footer() {
        let map = crate::import::ColumnMap::parse("external_id=User ID", Wording::CLI).unwrap();
        let opts = ReadOptions {
            system: "salesforce",
            format: Some(Format::Csv),
            preset: crate::import::Preset::parse("salesforce"),
            map: Some(&map),
            file: "ids.csv",
            wording: Wording::CLI,
        };
        let mut ids = Vec::new();
        let text = "User ID\n0055g00000ABcdE\n0055g00000XyZ12\n";
        crate::import::read(&mut text.as_bytes(), &opts, &mut |item| {
            match item {
                Item::Record(r) => ids.push(r.external_id),
                other => panic!("{other:?}"),
            }
            Ok(())
        })
        .unwrap();
        assert_eq!(ids, ["0055g00000ABcdEAAT", "0055g00000XyZ12AAF"]);
    }
}
