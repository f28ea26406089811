//! A fuzz harness for the importer that runs in `cargo test` on a bounded budget:
//! arbitrary bytes and mutated real-looking exports (generic CSV, Salesforce CSV,
//! HubSpot and Pipedrive API answers, NDJSON) go through the readers and validators,
//! and through the whole import service on a real store. Never a panic; every problem
//! names its row or line, every refusal names the file; a refused import writes
//! nothing, and the store checks whole afterwards.

use crate::common;

use proptest::prelude::*;
use roster::domain::actions::NewEmployee;
use roster::error::Error;
use roster::import::{self, Format, Input, Item, Preset, ReadOptions, Wording};
use roster::service::import::ImportRequest;
use roster::service::{Service, actor};
use roster::store::Store;

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

/// Bytes that matter to the formats.
const SPICE: &[u8] = b",;\t\"'\r\n{}[]:\\\x00\xFF\xEF\xBB\xBF@ 0123456789truefalsenull";

#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Insert(usize, Vec<u8>),
    Delete(usize, usize),
    Duplicate(usize, usize),
    Truncate(usize),
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
        }
    }
    v
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

fn preset_of(i: u8) -> Option<Preset> {
    match i % 6 {
        0 => Some(Preset::Generic),
        1 => Some(Preset::Salesforce),
        2 => Some(Preset::Hubspot),
        3 => Some(Preset::Pipedrive),
        _ => None,
    }
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
                        || text.contains("record"),
                    "a problem that does not say where: {text}"
                );
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

/// What a user can see of the store, to tell that a refused import wrote nothing.
fn snapshot(svc: &mut Service) -> String {
    let c = svc.store().conn();
    let one = |sql: &str| -> String {
        c.query_row(sql, [], |r| r.get::<_, Option<String>>(0))
            .unwrap()
            .unwrap_or_default()
    };
    [
        "SELECT group_concat(id || name || coalesce(email, '') || status || version, '|') FROM employees",
        "SELECT group_concat(system || external_id || employee_id || coalesce(email, ''), '|') FROM connections",
        "SELECT count(*) || '/' || (SELECT count(*) FROM import_runs) FROM audit",
    ]
    .map(one)
    .join("\n")
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 64,
        failure_persistence: None,
        .. ProptestConfig::default()
    })]

    /// The whole import, on a real store holding a few profiles: a mutated file is
    /// imported whole or refused as bad input (exit status 2) with nothing written.
    #[test]
    fn mutated_exports_import_whole_or_not_at_all(
        seed in 0..SEEDS.len(),
        ms in prop::collection::vec(mutation(), 0..5),
        system in 0..SYSTEMS.len(),
        dry_run in any::<bool>(),
    ) {
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
        let bytes = mutate(seed_bytes, &ms);
        let mut req = ImportRequest::new(name, SYSTEMS[system]);
        req.dry_run = dry_run;
        req.allow_mass_create = true;
        let before = snapshot(&mut svc);
        let result = svc.import_input(&req, &mut Input::bytes(bytes), &mut |_| {});
        match result {
            Ok(report) => {
                prop_assert_eq!(report.dry_run, dry_run);
                if dry_run {
                    prop_assert_eq!(snapshot(&mut svc), before);
                }
            }
            Err(e) => {
                let text = e.to_string();
                prop_assert_eq!(e.exit_code(), 2, "{}", text);
                prop_assert!(text.contains(name), "{}", text);
                prop_assert_eq!(snapshot(&mut svc), before, "a refused import wrote: {}", text);
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
