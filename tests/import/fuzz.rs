//! A fuzz harness for the importer that runs in `cargo test` on a bounded budget:
//! arbitrary bytes and mutated real-looking exports (generic CSV, Salesforce CSV,
//! HubSpot and Pipedrive API answers, NDJSON) go through the readers and validators,
//! and through the whole import service on a real store. Never a panic; every problem
//! names its row or line, every refusal names the file; a refused import writes
//! nothing, and the store checks whole afterwards.

use crate::common;

use common::Tables;
use proptest::prelude::*;
use roster::domain::actions::NewEmployee;
use roster::domain::planner::{Field, Record};
use roster::error::Error;
use roster::import::{self, Format, Input, Item, Preset, ReadOptions, Wording};
use roster::service::import::ImportReport;
use roster::service::import::ImportRequest;
use roster::service::{Service, actor};
use roster::store::Store;
use std::collections::HashMap;

const FILE: &str = "fuzz-export";

const SEEDS: [(&str, &[u8]); 6] = [
    (
        "generic.csv",
        b"external_id,email,name,picture_url,active\n1,ann@x.io,Ann,http://p/1,true\n2,bob@x.io,\"Stone, Bob\",,false\n3,,Cy,,\n",
    ),
    (
        "salesforce.csv",
        b"\xEF\xBB\xBFId;FirstName;LastName;Email;IsActive\r\n005A0000001abcd;Ann;Lee;ann@x.io;1\r\n005A0000001abce;Bob;Stone;BOB@x.io;0\r\n",
    ),
    (
        "hubspot.json",
        br#"{"results": [{"id": "11", "email": "ann@x.io", "firstName": "Ann", "lastName": "Lee", "archived": false}, {"id": "12", "email": "cy@x.io", "firstName": "Cy", "archived": true}], "paging": {"next": {"after": "12"}}}"#,
    ),
    (
        "pipedrive.json",
        br#"{"success": true, "data": [{"id": 7, "name": "Ann Lee", "email": "ann@x.io", "active_flag": true, "icon_url": null}, {"id": 8, "name": "Bob", "email": "bob@x.io", "active_flag": false}]}"#,
    ),
    (
        "owners.ndjson",
        b"{\"external_id\": \"a-1\", \"email\": \"ann@x.io\"}\n{\"external_id\": \"a-2\", \"name\": \"Bo\"}\n",
    ),
    (
        "array.json",
        br#"[{"external_id": "x1", "email": "ann@x.io", "name": "Ann"}, {"external_id": 2, "active": "no"}]"#,
    ),
];

/// The system each seed is an export of.
const SEED_SYSTEM: [&str; 6] = [
    "podio",
    "salesforce",
    "hubspot",
    "pipedrive",
    "podio",
    "podio",
];

/// Bytes that matter to the formats.
const SPICE: &[u8] = b",;\t\"'\r\n{}[]:\\\x00\xFF\xEF\xBB\xBF@ 0123456789truefalsenull";

#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Insert(usize, Vec<u8>),
    Delete(usize, usize),
    Duplicate(usize, usize),
    Truncate(usize),
    /// A letter or digit becomes another one: the file keeps its shape, its values
    /// change (IDs, emails and names that match other rows or profiles, or not).
    Letter(usize, u8),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let spice = prop::sample::select(SPICE.to_vec());
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Flip(i, b)),
        (
            any::<usize>(),
            prop::collection::vec(prop_oneof![spice, any::<u8>()], 1..8)
        )
            .prop_map(|(i, v)| Mutation::Insert(i, v)),
        (any::<usize>(), 1usize..20).prop_map(|(i, n)| Mutation::Delete(i, n)),
        (any::<usize>(), 1usize..40).prop_map(|(i, n)| Mutation::Duplicate(i, n)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

/// Mutations that keep the file's shape.
fn letters() -> impl Strategy<Value = Vec<Mutation>> {
    prop::collection::vec(
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Letter(i, b)),
        0..6,
    )
}

fn mutate(seed: &[u8], ms: &[Mutation]) -> Vec<u8> {
    let mut v = seed.to_vec();
    for m in ms {
        let len = v.len().max(1);
        match m {
            Mutation::Flip(i, b) => {
                if !v.is_empty() {
                    let i = i % v.len();
                    v[i] ^= b;
                }
            }
            Mutation::Insert(i, bytes) => {
                let i = i % (v.len() + 1);
                v.splice(i..i, bytes.iter().copied());
            }
            Mutation::Delete(i, n) => {
                let i = i % len;
                let end = (i + n).min(v.len());
                if i < end {
                    v.drain(i..end);
                }
            }
            Mutation::Duplicate(i, n) => {
                let i = i % len;
                let end = (i + n).min(v.len());
                if i < end {
                    let part: Vec<u8> = v[i..end].to_vec();
                    v.splice(end..end, part);
                }
            }
            Mutation::Truncate(i) => v.truncate(i % len),
            Mutation::Letter(i, b) => {
                // A letter or digit of a value from `i` on, changed to another of its kind.
                let values = value_bytes(&v);
                if !values.is_empty() {
                    let at = values[i % values.len()];
                    let (base, n) = match v[at] {
                        b'0'..=b'9' => (b'0', 10),
                        b'A'..=b'Z' => (b'A', 26),
                        _ => (b'a', 26),
                    };
                    v[at] = base + b % n;
                }
            }
        }
    }
    v
}

/// Where the letters and digits of values are: in words holding an `@` or a digit or
/// starting with a capital (emails, IDs, names), not in a CSV header or a JSON key, not
/// in `true`, `false` or `null` (changing those would only make the file unreadable).
fn value_bytes(v: &[u8]) -> Vec<usize> {
    let word = |b: u8| b.is_ascii_alphanumeric() || b"._@-".contains(&b);
    let header_end = if v.first().is_some_and(|b| b"[{".contains(b)) {
        0
    } else {
        v.iter().position(|&b| b == b'\n').unwrap_or(v.len())
    };
    let mut out = Vec::new();
    let mut start = 0;
    while start < v.len() {
        if !word(v[start]) {
            start += 1;
            continue;
        }
        let end = (start..v.len()).find(|&k| !word(v[k])).unwrap_or(v.len());
        let w = &v[start..end];
        let key = v[end..].starts_with(b"\":");
        let valued =
            w.contains(&b'@') || w.iter().any(u8::is_ascii_digit) || w[0].is_ascii_uppercase();
        if start >= header_end && !key && valued {
            out.extend((start..end).filter(|&k| v[k].is_ascii_alphanumeric()));
        }
        start = end;
    }
    out
}

fn format_of(i: u8) -> Option<Format> {
    match i % 4 {
        0 => None,
        1 => Some(Format::Csv),
        2 => Some(Format::Json),
        _ => Some(Format::Ndjson),
    }
}

const SYSTEMS: [&str; 4] = ["podio", "salesforce", "hubspot", "pipedrive"];

/// Every preset of the table, or none (the system's, else the generic columns).
fn preset_of(i: u8) -> Option<Preset> {
    let all: Vec<Preset> = Preset::all().collect();
    all.get(i as usize % (all.len() + 2)).copied()
}

/// Reads `bytes` as the importer does and checks what comes out.
fn read_checked(bytes: &[u8], format: Option<Format>, system: &str, preset: Option<Preset>) {
    let mut input = Input::bytes(bytes.to_vec());
    let opts = ReadOptions {
        system,
        format,
        preset,
        map: None,
        file: FILE,
        wording: Wording::CLI,
    };
    let mut last_row = 0;
    let result = import::read(&mut *input.reader, &opts, &mut |item| {
        match item {
            Item::Record(r) => {
                assert!(r.row > last_row, "rows out of order");
                last_row = r.row;
                assert!(!r.external_id.trim().is_empty(), "a record without an ID");
            }
            Item::Problem(p) => {
                let text = p.to_string();
                assert!(
                    p.row.is_some()
                        || p.line.is_some()
                        || text.contains("line ")
                        || text.contains("row ")
                        || text.contains("record")
                        || text.contains("top-level object"),
                    "a problem that does not say where: {text}"
                );
            }
            Item::Seen {
                row, external_id, ..
            } => {
                assert!(row > last_row, "rows out of order");
                last_row = row;
                assert!(!external_id.trim().is_empty(), "an empty ID seen");
            }
            Item::Skipped(s) => {
                assert!(s.row > last_row, "rows out of order");
                last_row = s.row;
                assert!(!s.reason.is_empty(), "skipped without a reason");
            }
        }
        Ok(())
    });
    if let Err(e) = result {
        let text = e.to_string();
        assert!(
            text.contains(FILE),
            "a refusal that does not name the file: {text}"
        );
        assert!(
            matches!(e, Error::Invalid(_) | Error::Refused(_)),
            "not a bad-input error: {e:?}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 600,
        failure_persistence: None,
        .. ProptestConfig::default()
    })]

    #[test]
    fn arbitrary_bytes_never_panic_the_readers(
        bytes in prop::collection::vec(any::<u8>(), 0..600),
        format in any::<u8>(),
        system in 0..SYSTEMS.len(),
        preset in any::<u8>(),
    ) {
        read_checked(&bytes, format_of(format), SYSTEMS[system], preset_of(preset));
    }

    #[test]
    fn mutated_exports_never_panic_the_readers(
        seed in 0..SEEDS.len(),
        ms in prop::collection::vec(mutation(), 1..6),
        format in any::<u8>(),
        system in 0..SYSTEMS.len(),
        preset in any::<u8>(),
    ) {
        let bytes = mutate(SEEDS[seed].1, &ms);
        read_checked(&bytes, format_of(format), SYSTEMS[system], preset_of(preset));
    }
}

/// The records the importer reads from `bytes`, read as the service reads a file named
/// `name` (its format from the name, no preset or map asked for).
fn records(bytes: &[u8], name: &str, system: &str) -> Vec<Record> {
    let mut input = Input::bytes(bytes.to_vec());
    let opts = ReadOptions {
        system,
        format: Format::of_path(std::path::Path::new(name)),
        preset: None,
        map: None,
        file: name,
        wording: Wording::CLI,
    };
    let mut out = Vec::new();
    import::read(&mut *input.reader, &opts, &mut |item| {
        match item {
            Item::Record(r) => out.push(r),
            // Rows that are not people are not imported.
            Item::Skipped(_) => {}
            Item::Problem(p) => panic!("a successful import's file has a problem: {p}"),
            Item::Seen { row, .. } => {
                panic!("a successful import's file has a problem on row {row}")
            }
        }
        Ok(())
    })
    .expect("a successful import's file reads");
    out
}

/// A connection's row as the store holds it.
#[derive(Debug, Clone, PartialEq)]
struct Conn {
    employee_id: i64,
    email: Option<String>,
    name: Option<String>,
    picture_url: Option<String>,
    origin: String,
    manages: bool,
}

fn connections(svc: &Service, system: &str) -> HashMap<String, Conn> {
    let c = svc.store().conn();
    let mut stmt = c
        .prepare(
            "SELECT external_id, employee_id, email, name, picture_url, origin, manages
             FROM connections WHERE system = ?1",
        )
        .unwrap();
    stmt.query_map([system], |r| {
        Ok((
            r.get(0)?,
            Conn {
                employee_id: r.get(1)?,
                email: r.get(2)?,
                name: r.get(3)?,
                picture_url: r.get(4)?,
                origin: r.get(5)?,
                manages: r.get(6)?,
            },
        ))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

/// A profile's fields an import may set.
fn profile(svc: &Service, id: i64) -> (String, Option<String>, Option<String>) {
    svc.store()
        .conn()
        .query_row(
            "SELECT name, email, picture_url FROM employees WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap()
}

/// What a field of a record leaves in a stored value.
fn field(stored: Option<&String>, f: &Field<String>) -> Option<String> {
    match f {
        Field::Absent => stored.cloned(),
        Field::Empty => None,
        Field::Value(v) => Some(v.clone()),
    }
}

/// After a real import that succeeded: each record's account holds what the record
/// said (the fields it gave set, an empty one cleared, a blank name keeping the name,
/// absent ones left alone), on the profile it was on, or on a new profile made from
/// the record, or on the one profile holding its email; a record not linked is a
/// conflict the report lists; the report's counts are what the tables gained.
fn check_written(
    svc: &Service,
    report: &ImportReport,
    bytes: &[u8],
    name: &str,
    system: &str,
    before: &(Tables, HashMap<String, Conn>),
) -> Result<(), TestCaseError> {
    let (tables, conns) = before;
    let after = Tables::of(svc.store().path());
    let records = records(bytes, name, system);
    let t = &report.tally;
    prop_assert_eq!(t.rows, records.len() as u64);
    let grew = |table: &str| after.rows(table).len() - tables.rows(table).len();
    prop_assert_eq!(grew("import_runs"), 1);
    prop_assert_eq!(grew("audit"), 1);
    prop_assert_eq!(grew("employees") as u64, t.created);
    prop_assert_eq!(grew("connections") as u64, t.created + t.linked_by_email);
    let now = connections(svc, system);
    let mut not_linked = Vec::new();
    let (mut created, mut linked) = (0, 0);
    for r in &records {
        let old = conns.get(&r.external_id);
        let Some(c) = now.get(&r.external_id) else {
            prop_assert!(
                old.is_none(),
                "row {}: an account found by ID went away",
                r.row
            );
            not_linked.push(r.row);
            continue;
        };
        prop_assert_eq!(
            &c.email,
            &field(old.and_then(|o| o.email.as_ref()), &r.email),
            "row {}",
            r.row
        );
        prop_assert_eq!(
            &c.picture_url,
            &field(old.and_then(|o| o.picture_url.as_ref()), &r.picture_url),
            "row {}",
            r.row
        );
        let name_given = match &r.name {
            Field::Value(n) => Some(n.clone()),
            _ => old.and_then(|o| o.name.clone()),
        };
        prop_assert_eq!(&c.name, &name_given, "row {}", r.row);
        let (p_name, p_email, p_picture) = profile(svc, c.employee_id);
        match old {
            Some(o) => {
                prop_assert_eq!(
                    c.employee_id,
                    o.employee_id,
                    "row {}: found by ID, moved",
                    r.row
                );
                prop_assert_eq!(c.manages, o.manages);
                if c.manages
                    && let Field::Value(n) = &r.name
                {
                    prop_assert_eq!(
                        &p_name,
                        n,
                        "row {}: a managed profile takes the name",
                        r.row
                    );
                }
            }
            None if c.origin == "import-new" => {
                created += 1;
                prop_assert!(
                    c.manages,
                    "row {}: a new profile is managed by its account",
                    r.row
                );
                let id = format!("id={} ", c.employee_id);
                prop_assert!(
                    tables.rows("employees").iter().all(|e| !e.starts_with(&id)),
                    "row {}: a new profile existed before",
                    r.row
                );
                prop_assert_eq!(&p_email, &r.email.value().cloned(), "row {}", r.row);
                prop_assert_eq!(&p_picture, &r.picture_url.value().cloned(), "row {}", r.row);
                if let Field::Value(n) = &r.name {
                    prop_assert_eq!(&p_name, n, "row {}", r.row);
                }
            }
            None => {
                linked += 1;
                prop_assert_eq!(c.origin.as_str(), "import-email", "row {}", r.row);
                prop_assert!(!c.manages, "row {}: a link by email does not manage", r.row);
                prop_assert!(
                    r.email.value().is_some(),
                    "row {}: linked without an email",
                    r.row
                );
            }
        }
    }
    prop_assert_eq!(created, t.created);
    prop_assert_eq!(linked, t.linked_by_email);
    let conflicts: Vec<u64> = t.conflicts.iter().map(|c| c.row).collect();
    prop_assert_eq!(not_linked, conflicts);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 64,
        failure_persistence: None,
        .. ProptestConfig::default()
    })]

    /// The whole import, on a real store holding a few profiles (and, half the time, the
    /// unmutated export imported before): a mutated file is imported whole, and what it
    /// wrote is what its records say (`check_written`), or it is refused as bad input
    /// (exit status 2) with nothing written.
    #[test]
    fn mutated_exports_import_whole_or_not_at_all(
        seed in 0..SEEDS.len(),
        ms in prop_oneof![letters(), prop::collection::vec(mutation(), 1..5)],
        system in prop_oneof![3 => Just(None), 1 => (0..SYSTEMS.len()).prop_map(Some)],
        dry_run in prop::bool::weighted(0.3),
        preload in any::<bool>(),
    ) {
        let system = system.unwrap_or(SYSTEMS.iter().position(|s| *s == SEED_SYSTEM[seed]).unwrap());
        let dir = tempfile::tempdir().unwrap();
        let mut svc = Service::new(
            Store::open(&dir.path().join("fuzz.db")).unwrap(),
            actor::current(Some("fuzz")),
        );
        for (name, email) in [("Ann", "ann@x.io"), ("Bob", "bob@x.io"), ("Bob Two", "bob@x.io")] {
            svc.new_employee(&NewEmployee {
                name: name.into(),
                email: Some(email.into()),
                login_access: false,
            })
            .unwrap();
        }
        let (name, seed_bytes) = SEEDS[seed];
        if preload {
            // The export as it was, imported first: the mutated one finds its accounts.
            let mut req = ImportRequest::new(name, SEED_SYSTEM[seed]);
            req.allow_mass_create = true;
            svc.import_input(&req, &mut Input::bytes(seed_bytes.to_vec()), &mut |_| {})
                .unwrap();
        }
        let bytes = mutate(seed_bytes, &ms);
        let mut req = ImportRequest::new(name, SYSTEMS[system]);
        req.dry_run = dry_run;
        req.allow_mass_create = true;
        let db = dir.path().join("fuzz.db");
        let before = (Tables::of(&db), connections(&svc, SYSTEMS[system]));
        let result = svc.import_input(&req, &mut Input::bytes(bytes.clone()), &mut |_| {});
        match result {
            Ok(report) => {
                prop_assert_eq!(report.dry_run, dry_run);
                if dry_run {
                    before.0.assert_same(&Tables::of(&db), "a dry run");
                } else {
                    check_written(&svc, &report, &bytes, name, SYSTEMS[system], &before)?;
                }
            }
            Err(e) => {
                let text = e.to_string();
                prop_assert_eq!(e.exit_code(), 2, "{}", text);
                prop_assert!(text.contains(name), "{}", text);
                before.0.assert_same(&Tables::of(&db), &format!("a refused import ({text})"));
            }
        }
        prop_assert!(svc.check(false).unwrap().is_empty());
    }
}

/// A few corrupt files through the real binary, from a file and from stdin: exit
/// status 2, a sentence naming the file, no panic.
#[test]
fn corrupt_files_through_the_binary_exit_2_with_a_sentence() {
    let env = common::Env::new();
    env.new_employee("Ann", Some("ann@x.io"));
    let cases: [(&str, &[u8]); 8] = [
        ("empty.csv", b""),
        ("bom-only.csv", b"\xEF\xBB\xBF"),
        ("no-id.csv", b"email,name\nann@x.io,Ann\n"),
        ("latin1.csv", b"external_id,name\n1,Jos\xE9\n"),
        ("cut.json", b"[{\"external_id\": \"1\", \"name\": \"A"),
        ("nested.json", b"[{\"external_id\": {\"a\": 1}}]"),
        ("utf16.csv", b"\xFF\xFEe\x00x\x00t\x00\n\x00"),
        ("stray.csv", b"external_id,name\n1,Ann,Lee\n2,Bob\n"),
    ];
    for (name, bytes) in cases {
        let file = env.file(name, bytes);
        let msg = env.fails(&["import", file.to_str().unwrap(), "--system", "podio"], 2);
        assert!(msg.contains(name), "{name}: {msg}");
        assert!(msg.trim_end().ends_with('.'), "{name}: {msg}");
        // The same from stdin.
        let run = env.run_with(&["import", "-", "--system", "podio"], |c| {
            c.write_stdin(bytes.to_vec());
        });
        assert_eq!(run.code, 2, "{name} from stdin: {}", run.stderr);
        assert!(
            run.stderr.starts_with("roster: ") && run.stderr.contains("stdin"),
            "{}",
            run.stderr
        );
    }
    assert_eq!(env.list().len(), 1);
    assert_eq!(env.json(&["check"])["ok"], true);
}
