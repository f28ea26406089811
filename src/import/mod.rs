//! Import readers: CSV (`,` `;` or tab, BOM, CRLF), JSON (an array of objects, or an
//! API answer that wraps one) and NDJSON, from a file or stdin, read with a preset (the
//! export of a known system, `presets.rs`) or the generic columns and `--map`.
//! They stream: one record at a time goes to the caller, nothing holds the whole file.

pub mod csv;
pub mod id_shape;
pub mod json;
pub mod map;
pub mod mapping;
pub mod preset;
pub mod presets;
pub mod problem;
pub mod record;
pub mod roster_export;
mod rows;

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::domain::keys::{PassThrough, key128};
use crate::domain::planner::Record;
use crate::domain::sanitize::escape_for_text;
use crate::domain::skipped::SkippedRow;
use crate::error::Error;
pub use map::ColumnMap;
pub use preset::{Preset, Wording};
pub use problem::{Problem, Problems};
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Format {
    Csv,
    Json,
    Ndjson,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Ndjson => "ndjson",
        }
    }

    /// The format a file name says, when it says one.
    pub fn of_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" | "tsv" | "tab" => Some(Format::Csv),
            "json" => Some(Format::Json),
            "ndjson" | "jsonl" => Some(Format::Ndjson),
            _ => None,
        }
    }

    /// Guesses from the first line and what follows it (see `sniff`).
    pub fn sniff_line(line: &[u8], next: &[u8]) -> Format {
        let mut both = line.to_vec();
        both.extend_from_slice(&next[..next.len().min(64)]);
        Format::sniff(&both)
    }

    /// Guesses from the first bytes: `[` is JSON; `{` is NDJSON when the first line holds
    /// a whole object and the next record starts a line, else JSON; anything else CSV.
    pub fn sniff(head: &[u8]) -> Format {
        let head = head.strip_prefix(BOM).unwrap_or(head);
        let start = head.iter().position(|b| !b.is_ascii_whitespace());
        match start.map(|i| head[i]) {
            Some(b'[') => Format::Json,
            Some(b'{') => {
                let rest = &head[start.unwrap_or(0)..];
                match rest.iter().position(|&b| b == b'\n') {
                    Some(nl) => {
                        let first = rest[..nl].trim_ascii();
                        let next = rest[nl..].trim_ascii_start();
                        if first.ends_with(b"}") && (next.is_empty() || next.starts_with(b"{")) {
                            Format::Ndjson
                        } else {
                            Format::Json
                        }
                    }
                    None => Format::Json,
                }
            }
            _ => Format::Csv,
        }
    }
}

pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// How much of the first line format sniffing reads.
const SNIFF_BYTES: u64 = 64 * 1024;

/// What to read and how.
#[derive(Debug, Clone)]
pub struct ReadOptions<'a> {
    /// The importing system's key: it picks the default preset and how IDs are normalised.
    pub system: &'a str,
    pub format: Option<Format>,
    pub preset: Option<Preset>,
    pub map: Option<&'a ColumnMap>,
    /// How files are named in messages.
    pub file: &'a str,
    /// How messages name the map and the preset.
    pub wording: Wording,
}

/// One record or one problem, in file order.
#[derive(Debug)]
pub enum Item {
    Record(Record),
    Problem(Problem),
    /// The external ID of a row that has problems (so that a repeated ID is reported
    /// in the same round).
    Seen {
        row: u64,
        line: Option<u64>,
        external_id: String,
    },
    /// A row the system marks as not a person.
    Skipped(SkippedRow),
}

/// The longest record (a CSV record or header, an NDJSON line) a reader holds: past it
/// the file is refused, naming the row, instead of growing until memory runs out.
pub const MAX_RECORD_BYTES: usize = 1 << 20;

/// What the reader found out about the file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadInfo {
    pub format: Option<Format>,
    /// The columns it was read with (none when it had no record to decide on).
    pub preset: Option<Preset>,
    /// Things worth telling that do not refuse the import ("this is one page of many").
    pub warnings: Vec<String>,
}

/// Counts the bytes read, for the progress indication.
pub struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// An opened input: the reader, its size when known, and the running count of bytes read.
pub struct Input {
    pub reader: Box<dyn BufRead + Send>,
    pub size: Option<u64>,
    pub bytes_read: Arc<AtomicU64>,
}

const BUFFER: usize = 256 * 1024;

impl Input {
    /// Opens `path`, or stdin for `-`.
    pub fn open(path: &Path) -> Result<Input, Error> {
        let count = Arc::new(AtomicU64::new(0));
        if path.as_os_str() == "-" {
            let counting = Counting {
                inner: std::io::stdin(),
                count: count.clone(),
            };
            return Ok(Input {
                reader: Box::new(BufReader::with_capacity(BUFFER, counting)),
                size: None,
                bytes_read: count,
            });
        }
        let file = File::open(path).map_err(|e| {
            Error::Invalid(format!(
                "Cannot read {}: {}.",
                crate::domain::sanitize::path(path),
                io_reason(&e)
            ))
        })?;
        let meta = file.metadata().ok();
        if meta.as_ref().is_some_and(|m| m.is_dir()) {
            return Err(Error::Invalid(format!(
                "{} is a folder; give the export file.",
                crate::domain::sanitize::path(path)
            )));
        }
        Ok(Input {
            reader: Box::new(BufReader::with_capacity(
                BUFFER,
                Counting {
                    inner: file,
                    count: count.clone(),
                },
            )),
            size: meta.map(|m| m.len()),
            bytes_read: count,
        })
    }

    /// An input from bytes in memory (tests, the demo).
    pub fn bytes(data: Vec<u8>) -> Input {
        let count = Arc::new(AtomicU64::new(0));
        let size = data.len() as u64;
        Input {
            reader: Box::new(BufReader::new(Counting {
                inner: std::io::Cursor::new(data),
                count: count.clone(),
            })),
            size: Some(size),
            bytes_read: count,
        }
    }
}

pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "there is no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// Reads the whole input, handing each record or problem to `sink` in file order.
/// Errors that stop the reading at once (no usable header, a forced preset that does not
/// fit, an error of `sink`) are returned; problems of rows go to `sink`.
pub fn read(
    input: &mut dyn BufRead,
    opts: &ReadOptions<'_>,
    sink: &mut dyn FnMut(Item) -> Result<(), Error>,
) -> Result<ReadInfo, Error> {
    let Some(format) = opts.format else {
        // Sniff on the first line (up to 64 KiB, read whole even when a pipe delivers
        // it in pieces), then read it again followed by the rest.
        let mut head = Vec::new();
        input
            .take(SNIFF_BYTES)
            .read_until(b'\n', &mut head)
            .map_err(|e| read_error(opts.file, &e))?;
        let format = Format::sniff_line(&head, input.fill_buf().unwrap_or_default());
        let mut chained = std::io::Cursor::new(head).chain(input);
        return read(
            &mut chained,
            &ReadOptions {
                format: Some(format),
                ..opts.clone()
            },
            sink,
        );
    };
    let mut info = ReadInfo {
        format: Some(format),
        ..ReadInfo::default()
    };
    match format {
        Format::Csv => csv::read(input, opts, &mut info, sink)?,
        Format::Json => json::read(input, opts, &mut info, sink)?,
        Format::Ndjson => json::read_lines(input, opts, &mut info, sink)?,
    }
    Ok(info)
}

pub fn read_error(file: &str, e: &std::io::Error) -> Error {
    Error::Io(format!(
        "Cannot read {}: {}.",
        escape_for_text(file),
        io_reason(e)
    ))
}

/// A 128-bit key stored as two words: 8-byte aligned, so an entry with a row number
/// takes 24 bytes instead of 32.
#[derive(Clone, Copy, PartialEq, Eq)]
struct SeenKey(u64, u64);

impl std::hash::Hash for SeenKey {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        h.write_u64(self.0 ^ self.1);
    }
}

/// Finds external IDs that appear twice in one file (after normalisation: a
/// Salesforce ID in its 15- and 18-character forms is one ID).
#[derive(Default)]
pub struct Duplicates {
    first_row: HashMap<SeenKey, u64, BuildHasherDefault<PassThrough>>,
}

impl Duplicates {
    pub fn new() -> Duplicates {
        Duplicates::default()
    }

    /// `None` the first time an ID is seen; the problem of a later row.
    pub fn check(&mut self, external_id: &str, row: u64, line: Option<u64>) -> Option<Problem> {
        let k = key128(external_id);
        let key = SeenKey((k >> 64) as u64, k as u64);
        match self.first_row.get(&key) {
            Some(first) => Some(Problem {
                row: Some(row),
                line,
                message: format!(
                    "the external ID {} appears again (first on row {first}); each account may appear once",
                    record::quote(external_id)
                ),
            }),
            None => {
                self.first_row.insert(key, row);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A pipe that delivers a few bytes at a time.
    struct Trickle(std::io::Cursor<Vec<u8>>);

    impl Read for Trickle {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = buf.len().min(3);
            self.0.read(&mut buf[..n])
        }
    }

    #[test]
    fn ndjson_from_a_trickling_pipe_is_recognised() {
        let data =
            b"{\"external_id\": \"a-1\", \"email\": \"a@x.io\"}\n{\"external_id\": \"a-2\"}\n";
        let mut input = BufReader::with_capacity(4, Trickle(std::io::Cursor::new(data.to_vec())));
        let opts = ReadOptions {
            system: "podio",
            format: None,
            preset: None,
            map: None,
            file: "stdin",
            wording: Wording::CLI,
        };
        let mut ids = Vec::new();
        let info = read(&mut input, &opts, &mut |item| {
            match item {
                Item::Record(r) => ids.push(r.external_id),
                other => panic!("{other:?}"),
            }
            Ok(())
        })
        .unwrap();
        assert_eq!(info.format, Some(Format::Ndjson));
        assert_eq!(ids, ["a-1", "a-2"]);
    }

    /// The format a report names ("csv, read as salesforce") is the word `--format`
    /// takes for it.
    #[test]
    fn a_formats_word_is_the_one_the_format_flag_takes() {
        use clap::ValueEnum;
        for f in Format::value_variants() {
            assert_eq!(Format::from_str(f.as_str(), false), Ok(*f));
        }
    }

    #[test]
    fn formats_from_names_and_content() {
        assert_eq!(Format::of_path(Path::new("a/Users.CSV")), Some(Format::Csv));
        assert_eq!(Format::of_path(Path::new("users.tsv")), Some(Format::Csv));
        assert_eq!(Format::of_path(Path::new("users.tab")), Some(Format::Csv));
        assert_eq!(
            Format::of_path(Path::new("owners.json")),
            Some(Format::Json)
        );
        assert_eq!(Format::of_path(Path::new("o.jsonl")), Some(Format::Ndjson));
        assert_eq!(Format::of_path(Path::new("o.ndjson")), Some(Format::Ndjson));
        assert_eq!(Format::of_path(Path::new("o.txt")), None);
        assert_eq!(Format::of_path(Path::new("users")), None);
        assert_eq!(Format::sniff(b"  [\n{\"id\":1}]"), Format::Json);
        assert_eq!(Format::sniff(b"{\"results\": [\n"), Format::Json);
        assert_eq!(Format::sniff(b"{\n  \"results\": []}"), Format::Json);
        assert_eq!(Format::sniff(b"{\"id\":1}\n{\"id\":2}\n"), Format::Ndjson);
        assert_eq!(
            Format::sniff(b"\n  {\"id\":1}\n\n{\"id\":2}"),
            Format::Ndjson
        );
        assert_eq!(Format::sniff(b"{\"id\":1}\n"), Format::Ndjson);
        // A first line that is not a whole object, or a next line that is not one.
        assert_eq!(Format::sniff(b"{\"id\":1,\n\"x\": 2}"), Format::Json);
        assert_eq!(Format::sniff(b"{\"id\":1}\n]"), Format::Json);
        assert_eq!(Format::sniff(b"{\"id\":1}"), Format::Json);
        assert_eq!(Format::sniff(b"id,email\n1,a@x.io"), Format::Csv);
        assert_eq!(
            Format::sniff(b"\xEF\xBB\xBFexternal_id;email\n"),
            Format::Csv
        );
    }

    fn read_all(input: &mut dyn BufRead) -> (ReadInfo, Vec<String>) {
        let opts = ReadOptions {
            system: "workday",
            format: None,
            preset: None,
            map: None,
            file: "users",
            wording: Wording::CLI,
        };
        let mut ids = Vec::new();
        let info = read(input, &opts, &mut |item| {
            match item {
                Item::Record(r) => ids.push(r.external_id),
                other => panic!("{other:?}"),
            }
            Ok(())
        })
        .unwrap();
        (info, ids)
    }

    /// The format is guessed on the whole first line, up to 64 KiB: an NDJSON file whose
    /// first record is long is still NDJSON.
    #[test]
    fn a_long_first_line_is_sniffed_whole() {
        let long = "x".repeat(20_000);
        let text = format!(
            "{{\"external_id\": \"w-1\", \"notes\": \"{long}\"}}\n{{\"external_id\": \"w-2\"}}\n"
        );
        let (info, ids) = read_all(&mut text.as_bytes());
        assert_eq!(info.format, Some(Format::Ndjson));
        assert_eq!(ids, ["w-1", "w-2"]);
    }

    /// A file is read through a counter of its bytes (the progress indication), and its
    /// size is known; a missing file, a folder and an unreadable file are named.
    #[test]
    fn inputs_count_what_they_read_and_name_what_they_cannot_open() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("users.csv");
        let text = "external_id,email\nw-1,a@acme.com\nw-2,b@acme.com\n";
        std::fs::write(&path, text).unwrap();
        let mut input = Input::open(&path).unwrap();
        assert_eq!(input.size, Some(text.len() as u64));
        let (info, ids) = read_all(&mut input.reader);
        assert_eq!(info.format, Some(Format::Csv));
        assert_eq!(ids, ["w-1", "w-2"]);
        assert_eq!(input.bytes_read.load(Ordering::Relaxed), text.len() as u64);
        // A JSON file, its format found from its first line.
        let path = dir.path().join("owners");
        std::fs::write(&path, "[{\"external_id\": \"w-3\"}]").unwrap();
        let (info, ids) = read_all(&mut Input::open(&path).unwrap().reader);
        assert_eq!(
            (info.format, ids),
            (Some(Format::Json), vec!["w-3".to_owned()])
        );
        let mut input = Input::bytes(text.as_bytes().to_vec());
        assert_eq!(input.size, Some(text.len() as u64));
        let (_, ids) = read_all(&mut input.reader);
        assert_eq!(ids, ["w-1", "w-2"]);
        assert_eq!(input.bytes_read.load(Ordering::Relaxed), text.len() as u64);
        let err = |p: &Path| match Input::open(p) {
            Err(e) => e.to_string(),
            Ok(_) => panic!("{} opened", p.display()),
        };
        let missing = dir.path().join("nope.csv");
        assert_eq!(
            err(&missing),
            format!("Cannot read {}: there is no such file.", missing.display())
        );
        assert_eq!(
            err(dir.path()),
            format!(
                "{} is a folder; give the export file.",
                dir.path().display()
            )
        );
        // EACCES, as the system gives it ("Permission denied (os error 13)").
        let denied = std::io::Error::from_raw_os_error(13);
        assert_eq!(io_reason(&denied), "permission denied");
        let other = std::io::Error::other("disk on fire");
        assert_eq!(io_reason(&other), "disk on fire");
        assert_eq!(
            read_error("a\u{1b}b.csv", &denied).to_string(),
            "Cannot read a\u{241b}b.csv: permission denied."
        );
    }

    /// An ID seen before is a problem of the later row, naming the first.
    #[test]
    fn an_id_seen_twice_names_the_first_row() {
        let mut d = Duplicates::new();
        assert_eq!(d.check("0055g00000ABcdEAAT", 1, Some(2)), None);
        assert_eq!(d.check("0055g00000XyZ12AAA", 2, Some(3)), None);
        assert_eq!(
            d.check("0055g00000ABcdEAAT", 7, Some(9)),
            Some(Problem {
                row: Some(7),
                line: Some(9),
                message: "the external ID '0055g00000ABcdEAAT' appears again (first on row 1); each account may appear once".into(),
            })
        );
        assert_eq!(
            d.check("0055g00000XyZ12AAA", 8, None).map(|p| p.message),
            Some("the external ID '0055g00000XyZ12AAA' appears again (first on row 2); each account may appear once".into())
        );
    }
}
