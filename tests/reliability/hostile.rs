//! Hostile data through the real importer (CSV, JSON, NDJSON) and the commands: stored
//! as given (within the 1 KiB limit), shown as visible substitutes in every human
//! output and message, and escaped in the JSON output so that not even DEL, C1 controls,
//! bidi or zero-width characters reach a terminal raw.

use crate::common;

use common::Env;
use serde_json::{Value, json};

/// Values that would drive or fool a terminal: OSC title and clipboard, CSI clear screen
/// and colours, a cursor-position query (the terminal would answer it as typed input),
/// 8-bit C1 controls, bidi overrides and isolates, zero-width characters, NUL,
/// backspace and DEL, CR and LF, and very long and very wide strings.
pub fn hostile_names() -> Vec<String> {
    vec![
        "Osc\u{1b}]0;PWNED-TITLE\u{7}Name".into(),
        "Clip\u{1b}]52;c;cHduZWQ=\u{7}board".into(),
        "Red\u{1b}[2J\u{1b}[31mRED-MARK\u{1b}[0m".into(),
        "Ask\u{1b}[6nQuery".into(),
        "Cone\u{9b}31mC1-MARK".into(),
        "Ctwo\u{9d}0;C1-TITLE\u{9c}x".into(),
        "Bidi\u{202e}gnp.exe".into(),
        "Iso\u{2066}late\u{2069}d".into(),
        "Zero\u{200b}\u{200d}\u{feff}Width".into(),
        "Nul\u{0}Byte".into(),
        "Back\u{8}\u{8}\u{7f}space".into(),
        "Line\r\nBreak".into(),
        format!("Long{}", "L".repeat(1000)),
        format!("Wide{}", "山".repeat(300)),
        "Tag\u{e0041}\u{e0042}s".into(),
    ]
}

/// Every character of `text` may be shown on a terminal as it is: no C0 control but
/// the line feed, no DEL, no C1, no bidi control, no zero-width or other invisible
/// format character.
fn assert_printable(what: &str, text: &str) {
    for line in text.split('\n') {
        let clean = roster::domain::sanitize::sanitize(line);
        assert_eq!(
            clean, line,
            "{what}: a raw control or invisible character in {line:?}"
        );
    }
}

fn rows() -> Vec<Value> {
    hostile_names()
        .into_iter()
        .enumerate()
        .map(|(i, name)| {
            json!({
                "external_id": format!("id-{i}\u{1b}[2J\u{202e}"),
                "email": format!("p{i}\u{1b}]0;MAIL\u{7}@x.io"),
                "name": name,
            })
        })
        .collect()
}

fn csv_of(rows: &[Value]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["external_id", "email", "name"]).unwrap();
    for r in rows {
        w.write_record(["external_id", "email", "name"].map(|k| r[k].as_str().unwrap()))
            .unwrap();
    }
    w.into_inner().unwrap()
}

fn ndjson_of(rows: &[Value]) -> String {
    rows.iter().map(|r| format!("{r}\n")).collect()
}

#[test]
fn hostile_values_are_stored_as_given_from_csv_json_and_ndjson() {
    let env = Env::new();
    let rows = rows();
    let files = [
        ("hostile.csv", csv_of(&rows), "hrcsv"),
        (
            "hostile.json",
            serde_json::to_vec(&Value::Array(rows.clone())).unwrap(),
            "hrjson",
        ),
        ("hostile.ndjson", ndjson_of(&rows).into_bytes(), "hrnd"),
    ];
    for (name, bytes, system) in files {
        let file = env.file(name, bytes);
        // The dry run's plan and the import's report, as text: nothing raw.
        let plan = env.ok(&[
            "import",
            file.to_str().unwrap(),
            "--system",
            system,
            "--dry-run",
        ]);
        assert_printable("dry-run plan", &plan);
        assert!(plan.contains("id-0␛[2J<U+202E>"), "{plan}");
        let report = env.ok(&[
            "import",
            file.to_str().unwrap(),
            "--system",
            system,
            "--allow-mass-create",
        ]);
        assert_printable("import report", &report);
    }
    // The CSV made the profiles; the JSON and NDJSON accounts linked to them by email.
    let people = env.list();
    assert_eq!(people.len(), rows.len());
    for (i, want) in rows.iter().enumerate() {
        let holder = format!("hrcsv:id-{i}\u{1b}[2J\u{202e}");
        let p = env.show(&holder);
        assert_eq!(p["name"], want["name"], "row {i}");
        assert_eq!(p["email"], want["email"], "row {i}");
        let conns = p["connections"].as_array().unwrap();
        assert_eq!(conns.len(), 3, "row {i}: {p}");
        for c in conns {
            assert_eq!(c["external_id"], want["external_id"], "row {i}");
            assert_eq!(c["name"], want["name"], "row {i}");
            assert_eq!(c["email"], want["email"], "row {i}");
        }
    }
}

#[test]
fn human_output_and_messages_show_hostile_values_escaped() {
    let env = Env::new();
    let rows = rows();
    let file = env.file("hostile.csv", csv_of(&rows));
    env.ok(&[
        "import",
        file.to_str().unwrap(),
        "--system",
        "hubspot",
        "--allow-mass-create",
    ]);
    let first = env.holder("hubspot", rows[0]["external_id"].as_str().unwrap());
    let id = first.to_string();
    for args in [
        vec!["list"],
        vec!["list", "--tab", "all", "--filter", "Osc"],
        vec!["show", &id],
        vec!["log"],
        vec!["log", &id],
        vec!["merge", &id, "2"],
        vec!["move", &id, "--system", "hubspot"], // refused: one connection only
    ] {
        let run = env.run(&args);
        assert_printable(&format!("{args:?} stdout"), &run.stdout);
        assert_printable(&format!("{args:?} stderr"), &run.stderr);
    }
    let shown = env.ok(&["show", &id]);
    assert!(shown.contains("Osc␛]0;PWNED-TITLE␇Name"), "{shown}");
    assert!(shown.contains("id-0␛[2J<U+202E>"), "{shown}");

    // Messages that name a hostile value.
    let evil = "x\u{1b}]0;T\u{7}\u{9b}2J\u{202e}";
    let evil_mail = format!("{evil}@x.io");
    let evil_file = env.file(&format!("f{evil}.csv"), "external_id\n1\n");
    let dup = env.file(
        "dup.csv",
        format!("external_id,email\n\"{evil}\",\"{evil}\"\n\"{evil}\",a@b.c\n"),
    );
    let long = env.file(
        "long.csv",
        format!("external_id,name\n1,\"{}{}\"\n", evil, "n".repeat(1100)),
    );
    let cases: Vec<(Vec<String>, i32)> = vec![
        (vec!["show".into(), evil_mail.clone()], 2),
        (vec!["show".into(), format!("hubspot:{evil}")], 2),
        (vec!["show".into(), evil.into()], 2),
        (
            vec![
                "new".into(),
                "--name".into(),
                "A".into(),
                "--email".into(),
                evil.into(),
            ],
            2,
        ),
        (
            vec!["edit".into(), id.clone(), "--email".into(), evil.into()],
            2,
        ),
        (
            vec![
                "connect".into(),
                id.clone(),
                "--system".into(),
                "hubspot".into(),
                "--external-id".into(),
                rows[1]["external_id"].as_str().unwrap().into(),
            ],
            2,
        ),
        (
            vec![
                "connect".into(),
                id.clone(),
                "--system".into(),
                evil.into(),
                "--external-id".into(),
                "1".into(),
            ],
            2,
        ),
        (
            vec![
                "import".into(),
                evil_file.to_str().unwrap().into(),
                "--system".into(),
                evil.into(),
            ],
            2,
        ),
        (
            vec![
                "import".into(),
                dup.to_str().unwrap().into(),
                "--system".into(),
                "podio".into(),
            ],
            2,
        ),
        (
            vec![
                "import".into(),
                long.to_str().unwrap().into(),
                "--system".into(),
                "podio".into(),
            ],
            2,
        ),
        (
            vec![
                "import".into(),
                format!("/nonexistent/{evil}.csv"),
                "--system".into(),
                "podio".into(),
            ],
            2,
        ),
        (vec!["list".into(), "--tab".into(), evil.into()], 2),
        (vec![evil.into()], 2),
    ];
    for (args, code) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let msg = env.fails(&args, code);
        assert_printable(&format!("{args:?}"), &msg);
        assert!(msg.ends_with('\n'));
    }
    // A database path that cannot be opened, named in the message.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_roster"))
        .env("ROSTER_DB", format!("/proc/{evil}/x.db"))
        .arg("list")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let msg = String::from_utf8(out.stderr).unwrap();
    assert!(
        msg.starts_with("roster: Cannot create the folder of /proc/x␛]0;T␇"),
        "{msg}"
    );
    assert_printable("a hostile database path", &msg);
    // A conflict: two profiles with hostile names hold the email a new account has.
    for name in ["Twin\u{1b}]0;A\u{7}One", "Twin\u{9b}Two\u{202e}"] {
        env.ok(&["new", "--name", name, "--email", "same@x.io"]);
    }
    let conflict = env.file("conflict.csv", "external_id,email\nc1,same@x.io\n");
    for extra in [&["--dry-run"][..], &[]] {
        let mut args = vec!["import", conflict.to_str().unwrap(), "--system", "podio"];
        args.extend_from_slice(extra);
        let report = env.ok(&args);
        assert_printable("conflict report", &report);
        assert!(
            report.contains("Twin␛]0;A␇One (#") && report.contains("Twin<U+009B>Two<U+202E> (#"),
            "{report}"
        );
    }
    // The hostile file name in an import report.
    let report = env.ok(&["import", evil_file.to_str().unwrap(), "--system", "podio"]);
    assert_printable("report of a hostile file name", &report);
    assert!(
        report.contains("fx␛]0;T␇<U+009B>2J<U+202E>.csv"),
        "{report}"
    );
}

#[test]
fn json_output_escapes_what_a_terminal_would_act_on() {
    let env = Env::new();
    let rows = rows();
    let file = env.file(
        "hostile.json",
        serde_json::to_vec(&Value::Array(rows.clone())).unwrap(),
    );
    let report = env.ok(&[
        "import",
        file.to_str().unwrap(),
        "--system",
        "podio",
        "--allow-mass-create",
        "--json",
    ]);
    assert_printable("import --json", &report);
    for args in [
        vec!["list", "--tab", "all", "--json"],
        vec!["log", "--json"],
    ] {
        let out = env.ok(&args);
        assert_printable(&format!("{args:?}"), &out);
        let v: Value = serde_json::from_str(&out).unwrap();
        assert!(v.is_array());
    }
    let id = env.holder("podio", rows[6]["external_id"].as_str().unwrap());
    let out = env.ok(&["show", &id.to_string(), "--json"]);
    assert_printable("show --json", &out);
    assert!(out.contains(r"Bidi\u202egnp.exe"), "{out}");
    // The same values, decoded.
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["name"], rows[6]["name"]);
    assert_eq!(v["connections"][0]["external_id"], rows[6]["external_id"]);
    let tag = env.holder("podio", rows[14]["external_id"].as_str().unwrap());
    let out = env.ok(&["show", &tag.to_string(), "--json"]);
    assert_printable("show --json", &out);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["name"], rows[14]["name"]);
}

#[test]
fn a_field_over_the_limit_is_refused_naming_the_row() {
    let env = Env::new();
    let long = format!("\u{1b}[2J{}", "山".repeat(400)); // 1204 bytes
    let file = env.file(
        "over.json",
        serde_json::to_vec(&json!([
            {"external_id": "ok", "name": "Fine"},
            {"external_id": "x", "name": long},
        ]))
        .unwrap(),
    );
    let msg = env.fails(&["import", file.to_str().unwrap(), "--system", "podio"], 2);
    assert_printable("over the limit", &msg);
    assert!(
        msg.contains("row 2")
            && msg.contains("the name is 1204 bytes long; the limit is 1024 bytes"),
        "{msg}"
    );
    assert!(env.list().is_empty());
}
