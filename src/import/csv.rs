//! CSV with a header row: the delimiter (`,` `;` or tab) is detected from the header
//! line, a UTF-8 byte-order mark is skipped, CRLF and LF line ends both work.

use std::borrow::Cow;
use std::io::BufRead;

use super::preset::{self, Preset, Target};
use super::record::{self, Raw};
use super::{BOM, Item, Problem, ReadInfo, ReadOptions, read_error};
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
/// them, to tell at the end whether the file stopped inside a quoted field: the csv
/// crate then returns the rest of the file as one value without a word, so an
/// unclosed quote would swallow every row after it.
struct QuoteWatch<R> {
    inner: R,
    delimiter: u8,
    state: Quoting,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Quoting {
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: the end of it, or the first of a doubled quote.
    QuoteInQuoted,
}

impl<R> QuoteWatch<R> {
    fn feed(&mut self, bytes: &[u8]) {
        use Quoting::*;
        let mut i = 0;
        while i < bytes.len() {
            // Jump to the next byte that can change the state (this runs over every byte
            // of a file of hundreds of megabytes).
            match self.state {
                Quoted => match memchr::memchr(b'"', &bytes[i..]) {
                    Some(at) => i += at,
                    None => return,
                },
                Unquoted => match memchr::memchr3(self.delimiter, b'\n', b'\r', &bytes[i..]) {
                    Some(at) => i += at,
                    None => return,
                },
                FieldStart | QuoteInQuoted => {}
            }
            let b = bytes[i];
            self.state = match (self.state, b) {
                (FieldStart, b'"') => Quoted,
                (FieldStart | Unquoted, b'\n' | b'\r') => FieldStart,
                (FieldStart | Unquoted, d) if d == self.delimiter => FieldStart,
                (FieldStart | Unquoted, _) => Unquoted,
                (Quoted, b'"') => QuoteInQuoted,
                (Quoted, _) => Quoted,
                (QuoteInQuoted, b'"') => Quoted,
                (QuoteInQuoted, b'\n' | b'\r') => FieldStart,
                (QuoteInQuoted, d) if d == self.delimiter => FieldStart,
                (QuoteInQuoted, _) => Unquoted,
            };
            i += 1;
        }
    }

    fn inside_quotes(&self) -> bool {
        self.state == Quoting::Quoted
    }
}

impl<R: std::io::Read> std::io::Read for QuoteWatch<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.feed(&buf[..n]);
        Ok(n)
    }
}

const NOT_UTF8_HINT: &str = "save or export the file as UTF-8 (in Salesforce reports: Export, Encoding \"Unicode (UTF-8)\"; in Excel: \"CSV UTF-8\")";

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
        .from_reader(QuoteWatch {
            inner: input,
            delimiter,
            state: Quoting::FieldStart,
        });
    let csv_error = |e: csv::Error| match e.kind() {
        csv::ErrorKind::Io(io) => read_error(file, io),
        _ => Error::Invalid(format!(
            "Nothing was imported: {} cannot be read as CSV: {e}.",
            escape_for_text(file)
        )),
    };
    let mut rec = csv::ByteRecord::new();
    if !rdr.read_byte_record(&mut rec).map_err(csv_error)? {
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
    let normalized: Vec<String> = header.iter().map(|h| preset::norm(h)).collect();
    let position = |name: &str| normalized.iter().position(|h| h == name);
    let has = |name: &str| position(name).is_some();
    let cols = preset::choose(opts, &has, "columns", &header).map_err(|why| {
        Error::Invalid(format!(
            "Nothing was imported: {}: {why}.",
            escape_for_text(file)
        ))
    })?;
    info.preset = Some(cols.preset);
    let resolved = cols.resolve(has);
    let index: Vec<Option<usize>> = Target::ALL
        .iter()
        .map(|t| resolved[t.index()].and_then(position))
        .collect();
    let salesforce = cols.preset == Preset::Salesforce;
    let mut row = 0u64;
    let mut last_line = None;
    loop {
        if !rdr.read_byte_record(&mut rec).map_err(csv_error)? {
            break;
        }
        let line = rec.position().map(|p| p.line());
        last_line = line;
        // Salesforce report exports end with a footer of one-cell lines (report name,
        // copyright, "Generated By"): not records.
        if salesforce && rec.len() == 1 && header.len() > 1 {
            continue;
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
        let get = |t: Target| match index[t.index()] {
            // Checked above: every field is UTF-8.
            Some(i) => Raw::Text(Cow::Borrowed(
                std::str::from_utf8(&rec[i]).unwrap_or_default(),
            )),
            None => Raw::Missing,
        };
        match record::build(opts.system, row, line, &get) {
            Ok(r) => sink(Item::Record(r))?,
            Err(problems) => {
                for p in problems {
                    sink(Item::Problem(problem(p)))?;
                }
            }
        }
    }
    if rdr.get_ref().inside_quotes() {
        // The last record ran to the end of the file inside a quoted field.
        sink(Item::Problem(Problem {
            row: Some(row.max(1)),
            line: last_line,
            message: "a quote opened in this row is never closed, so the rest of the file was read as one value; close the quote (a quote inside a quoted value is written twice: \"\")".to_owned(),
        }))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ends_inside_quotes(text: &str) -> bool {
        let mut w = QuoteWatch {
            inner: std::io::empty(),
            delimiter: b',',
            state: Quoting::FieldStart,
        };
        w.feed(text.as_bytes());
        w.inside_quotes()
    }

    #[test]
    fn quoting_is_followed_to_the_end() {
        assert!(!ends_inside_quotes("a,b\n1,\"x, \"\"y\"\"\"\n"));
        assert!(!ends_inside_quotes("a,b\n1,\"multi\nline\"\n2,6\" tall\n"));
        assert!(ends_inside_quotes("a,b\n1,\"never closed\n2,x\n"));
        assert!(ends_inside_quotes("a\n\"\"\"\n"));
        // The same, fed in pieces of every size.
        let text = "a,b\n1,\"x,\n\"\"y\"\n2,\"open";
        for size in 1..text.len() {
            let mut w = QuoteWatch {
                inner: std::io::empty(),
                delimiter: b',',
                state: Quoting::FieldStart,
            };
            for piece in text.as_bytes().chunks(size) {
                w.feed(piece);
            }
            assert!(w.inside_quotes(), "pieces of {size}");
        }
    }

    #[test]
    fn delimiters() {
        assert_eq!(detect_delimiter(b"external_id,email,name\n1;2"), b',');
        assert_eq!(detect_delimiter(b"external_id;email;\"a,b\"\r\n"), b';');
        assert_eq!(detect_delimiter(b"external_id\temail\n"), b'\t');
        assert_eq!(detect_delimiter(b"external_id\n"), b',');
    }
}
