//! The real app in a pseudo-terminal, for reliability: two sessions and a stale action,
//! the app meeting a running import, hostile data imported through the real importer,
//! and the terminal restored whatever screen the app is on when it ends.

use crate::common::{Tables, Watched};
use crate::pty;

use pty::{App, json, roster};
use std::path::Path;
use std::process::{Command, Stdio};
use tempfile::TempDir;

/// Jane Doe (#1, managed by HubSpot 501) and Bob Stone (#2).
fn store() -> (TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("roster.db");
    roster(
        &db,
        &["new", "--name", "Jane Doe", "--email", "jane@acme.com"],
    );
    roster(
        &db,
        &[
            "connect",
            "1",
            "--system",
            "hubspot",
            "--external-id",
            "501",
        ],
    );
    roster(&db, &["manage", "1", "--system", "hubspot"]);
    roster(
        &db,
        &["new", "--name", "Bob Stone", "--email", "bob@acme.com"],
    );
    (dir, db)
}

/// Whether the raw output ever turned on mouse reporting.
fn mouse_enabled(raw: &[u8]) -> bool {
    let has = |needle: &[u8]| raw.windows(needle.len()).any(|w| w == needle);
    has(b"\x1b[?1000h") || has(b"\x1b[?1002h") || has(b"\x1b[?1003h") || has(b"\x1b[?1006h")
}

#[test]
fn two_sessions_a_stale_action_is_refused_and_the_view_refreshes() {
    let (_dir, db) = store();
    let mut a = App::spawn(&db, 100, 30, &[], &[]);
    let mut b = App::spawn(&db, 100, 30, &[], &[]);
    a.wait_for("Bob Stone");
    b.wait_for("Bob Stone");
    // A asks to deactivate Bob (the first row) and leaves the question open.
    a.keys("d");
    a.wait_for("Deactivate Bob Stone (#2)?");
    // B deactivates Bob meanwhile.
    b.keys("d");
    b.wait_for("Deactivate Bob Stone (#2)?");
    b.keys("y");
    b.wait_for("Deactivated Bob Stone (#2).");
    // A confirms what it saw: refused, said so, and A's table shows Bob gone from
    // the Active tab.
    a.keys("y");
    a.wait_for("was changed by someone else");
    a.wait_until("Bob leaves A's Active tab", |s| !s.contains("│Bob Stone"));
    // Only one deactivation happened, by B.
    let log = json(&db, &["log", "2"]);
    let deactivations = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "deactivate")
        .count();
    assert_eq!(deactivations, 1);
    a.keys("q");
    b.keys("q");
    assert_eq!(a.wait_exit(), Some(0));
    assert_eq!(b.wait_exit(), Some(0));
    a.assert_restored();
    b.assert_restored();
}

/// An import by "cron" of `file` into `system` that stops with the write lock held
/// (debug hook) until the file `go` exists (`ROSTER_DEBUG_RESUME`), or with `go` None
/// until it is killed; returned once it holds the lock.
fn import_holding_the_lock(db: &Path, file: &Path, system: &str, go: Option<&Path>) -> Watched {
    let mut cmd = Command::new(pty::BIN);
    cmd.arg("--db")
        .arg(db)
        .args(["--actor", "cron", "import", file.to_str().unwrap()])
        .args(["--system", system, "--allow-mass-create"])
        .stdout(Stdio::null());
    match go {
        Some(go) => cmd
            .env("ROSTER_DEBUG_PAUSE", "write-start:wait")
            .env("ROSTER_DEBUG_RESUME", go),
        None => cmd.env("ROSTER_DEBUG_PAUSE", "write-start"),
    };
    let mut run = Watched::spawn(&mut cmd);
    run.wait_for_point("write-start");
    run
}

#[test]
fn the_app_says_who_is_writing_and_never_freezes() {
    let (dir, db) = store();
    let file = dir.path().join("owners.csv");
    std::fs::write(&file, "external_id,email,name\n9,zed@acme.com,Zed\n").unwrap();
    let mut app = App::spawn(&db, 120, 30, &[], &[]);
    app.wait_for("Bob Stone");
    let mut import = import_holding_the_lock(&db, &file, "hubspot", None);
    app.keys("d");
    app.wait_for("Deactivate Bob Stone (#2)?");
    app.keys("y");
    // The app answers while the import still holds the store (it is stopped there until
    // killed): it never waits for it.
    app.wait_for("The store is busy with an import of");
    assert!(
        app.screen().contains("owners.csv (HubSpot) by"),
        "{}",
        app.screen()
    );
    // The screen answers keys at once: the Deactivated tab (empty, Bob was not changed).
    app.keys("3");
    app.wait_until("the Deactivated tab", |s| !s.contains("│Bob Stone"));
    app.keys("1");
    app.wait_for("Bob Stone");
    // Once the import is gone (killed here), the same action goes through.
    assert!(!import.kill9());
    app.keys("d");
    app.wait_for("Deactivate Bob Stone (#2)?");
    app.keys("y");
    app.wait_for("Deactivated Bob Stone (#2).");
    app.keys("q");
    assert_eq!(app.wait_exit(), Some(0));
    app.assert_restored();
    let raw = String::from_utf8_lossy(&app.raw()).into_owned();
    assert!(
        !raw.contains("locked"),
        "a raw SQLite error reached the screen"
    );
}

/// The Active count in the header.
fn active_count(screen: &str) -> u64 {
    screen
        .split("Active ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.replace(',', "").parse().ok())
        .unwrap_or(0)
}

/// Two real app sessions, a cron-like import holding the store and scripted commands,
/// all at once against one file: the scripts all succeed, A's action is refused as
/// busy at most and then goes through, B keeps answering and then shows the imported
/// people, no "locked" ever reaches a screen, and the store checks whole.
#[test]
fn two_apps_an_import_and_scripts_at_once() {
    let (dir, db) = store();
    let gen_dir = dir.path().join("gen");
    roster(
        &db,
        &[
            "gen",
            "--employees",
            "2000",
            "--out",
            gen_dir.to_str().unwrap(),
        ],
    );
    let mut a = App::spawn(&db, 110, 30, &[], &[]);
    let mut b = App::spawn(&db, 110, 30, &[], &[]);
    a.wait_for("Bob Stone");
    b.wait_for("Bob Stone");
    a.keys("/bob@acme.com");
    a.send("\r");
    a.wait_until("only Bob", |s| !s.contains("│Jane Doe"));
    let go = dir.path().join("go");
    let mut import = import_holding_the_lock(
        &db,
        &gen_dir.join("salesforce.csv"),
        "salesforce",
        Some(&go),
    );
    let scripts = {
        let db = db.clone();
        std::thread::spawn(move || {
            (0..5)
                .map(|i| {
                    let out = Command::new(pty::BIN)
                        .arg("--db")
                        .arg(&db)
                        .args(["--actor", "script", "new", "--name", &format!("Script {i}")])
                        .output()
                        .unwrap();
                    (
                        out.status.code(),
                        String::from_utf8_lossy(&out.stderr).into_owned(),
                    )
                })
                .collect::<Vec<_>>()
        })
    };
    // A deactivates Bob (kept in view by a filter on his email while the import adds
    // people): told that the store is busy while the import holds it.
    a.keys("d");
    a.wait_for("Deactivate Bob Stone (#2)?");
    a.keys("y");
    a.wait_for("The store is busy with");
    assert!(
        a.screen().contains("salesforce.csv (Salesforce) by"),
        "{}",
        a.screen()
    );
    // B answers keys meanwhile: to the Deactivated tab and back.
    b.keys("3");
    b.wait_until("B's Deactivated tab", |s| !s.contains("│Bob Stone"));
    b.keys("1");
    b.wait_for("Bob Stone");
    // The import goes on; B then shows the imported people, and A's deactivation goes
    // through.
    std::fs::write(&go, "").unwrap();
    b.wait_until("the import's rows in B", |s| active_count(s) >= 1000);
    assert!(import.finish().success(), "{:?}", import.said);
    a.keys("d");
    a.wait_for("Deactivate Bob Stone (#2)?");
    a.keys("y");
    a.wait_for("Deactivated Bob Stone (#2).");
    for (code, err) in scripts.join().unwrap() {
        assert_eq!(code, Some(0), "{err}");
    }
    a.keys("q");
    b.keys("q");
    assert_eq!(a.wait_exit(), Some(0));
    assert_eq!(b.wait_exit(), Some(0));
    a.assert_restored();
    b.assert_restored();
    for app in [&a, &b] {
        assert!(!String::from_utf8_lossy(&app.raw()).contains("locked"));
    }
    assert_eq!(json(&db, &["check"])["ok"], true);
    assert_eq!(json(&db, &["show", "2"])["status"], "deactivated");
}

/// A command run on a terminal that has to wait for an import says so, then goes on.
#[test]
fn a_command_on_a_terminal_says_what_it_waits_for() {
    let (dir, db) = store();
    let file = dir.path().join("owners.csv");
    std::fs::write(&file, "external_id,email,name\n9,zed@acme.com,Zed\n").unwrap();
    let go = dir.path().join("go");
    let mut import = import_holding_the_lock(&db, &file, "hubspot", Some(&go));
    let mut cmd = App::spawn(&db, 120, 10, &["edit", "2", "--login", "on"], &[]);
    cmd.wait_for("roster: waiting for an import of");
    assert!(
        cmd.screen().contains("owners.csv (HubSpot) by"),
        "{}",
        cmd.screen()
    );
    std::fs::write(&go, "").unwrap();
    cmd.wait_for("Edited the login access of Bob Stone (#2).");
    assert_eq!(cmd.wait_exit(), Some(0));
    assert!(import.finish().success(), "{:?}", import.said);
}

/// Hostile names, emails and IDs (as in tests/reliability/hostile.rs) imported through the real
/// importer from CSV and JSON; the app shows them in the table, the pane, the history
/// and the filter; none reaches the terminal raw.
#[test]
fn hostile_imported_data_never_reaches_the_terminal_raw() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("roster.db");
    let rows = [
        ("o1", "Osc\u{1b}]0;PWNED-TITLE\u{7}Name"),
        ("o2", "Clip\u{1b}]52;c;cHduZWQ=\u{7}board"),
        ("o3", "Red\u{1b}[2J\u{1b}[31mRED-MARK"),
        ("o4", "Ask\u{1b}[6nQuery"),
        ("o5", "Cone\u{9b}31mC1-MARK"),
        ("o6", "Ctwo\u{9d}0;C1-TITLE\u{9c}x"),
        ("o7", "Bidi\u{202e}gnp.exe"),
        ("o8", "Zero\u{200b}\u{feff}Width"),
        ("o9", "Nul\u{0}Byte"),
        ("o10", "Back\u{8}\u{7f}space\r\nline"),
        ("o11", &*format!("Wide{}", "山".repeat(300))),
        ("o12", &*format!("Long{}", "L".repeat(1000))),
    ];
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["external_id", "email", "name"]).unwrap();
    let mut json_rows = Vec::new();
    for (i, (id, name)) in rows.iter().enumerate() {
        let email = format!("p{i}\u{1b}]0;MAIL-TITLE\u{7}@x.io");
        let ext = format!("{id}\u{1b}[2J\u{202e}\u{9b}");
        w.write_record([ext.as_str(), email.as_str(), name])
            .unwrap();
        json_rows.push(serde_json::json!({"external_id": ext, "email": email, "name": name}));
    }
    let csv_file = dir.path().join("evil.csv");
    std::fs::write(&csv_file, w.into_inner().unwrap()).unwrap();
    let json_file = dir.path().join("evil.json");
    std::fs::write(&json_file, serde_json::to_vec(&json_rows).unwrap()).unwrap();
    let p = |f: &Path| f.to_str().unwrap().to_owned();
    roster(&db, &["import", &p(&csv_file), "--system", "hrcsv"]);
    roster(&db, &["import", &p(&json_file), "--system", "hrjson"]);
    let stored = json(&db, &["show", "hrcsv:o1\u{1b}[2J\u{202e}\u{9b}"]);
    assert_eq!(stored["name"], rows[0].1, "stored as given");

    let mut app = App::spawn(&db, 120, 40, &[], &[]);
    app.wait_for("Osc␛]0;PWNED-TITLE␇Name");
    app.wait_for("Cone<U+009B>31mC1-MARK");
    // Every row's pane (its title, name, email, both connections); the history of the
    // first few (it shows the import's summary with the file name).
    for i in 0..rows.len() {
        app.send("\r");
        app.wait_for("Connections (2)");
        // The external ID, cut in its middle, still shows its ESC as a visible ␛.
        app.wait_until("the external ID shown escaped", |screen| {
            screen.lines().any(|l| {
                l.split("││hrcsv")
                    .nth(1)
                    .is_some_and(|pane| pane.contains("␛["))
            })
        });
        if i < 3 {
            app.keys("l");
            app.wait_for("Imported");
            app.send("\x1b");
        }
        app.send("\x1b");
        app.keys("j");
    }
    // The filter echoes what is typed (here a pasted hostile string).
    app.keys("/");
    app.send("Osc\x1b]0;typed\x07");
    app.send("\x1b");
    // The filter is cleared before q is sent: an Esc read together with the q would be
    // Alt-q (a loaded machine reads the two at once).
    app.wait_for("/ filter");
    app.keys("q");
    assert_eq!(app.wait_exit(), Some(0));
    app.assert_restored();
    let raw = app.raw();
    let has = |needle: &[u8]| raw.windows(needle.len()).any(|w| w == needle);
    assert!(!has(b"\x1b]"), "an OSC sequence reached the terminal");
    assert!(!has(b"PWNED-TITLE\x07") && !has(b"MAIL-TITLE\x07"));
    assert!(
        !has(b"\x1b[31mRED"),
        "a colour from the data reached the terminal"
    );
    assert!(
        !has(b"Ask\x1b[6n"),
        "a cursor query from the data reached the terminal"
    );
    for c in [
        '\u{9b}', '\u{9d}', '\u{9c}', '\u{202e}', '\u{200b}', '\u{feff}',
    ] {
        let mut buf = [0u8; 4];
        assert!(
            !has(c.encode_utf8(&mut buf).as_bytes()),
            "U+{:04X} reached the terminal",
            c as u32
        );
    }
    assert!(!raw.contains(&0u8), "a NUL reached the terminal");
    assert!(!raw.contains(&0x7f), "a DEL reached the terminal");
    assert!(!has(b"\x08"), "a backspace reached the terminal");
    assert!(!mouse_enabled(&raw));
}

/// Restored on every way out, from every screen: SIGTERM with a pane open, SIGINT
/// (from `kill`, not the key) with a dialog open, SIGHUP while typing a filter, a
/// panic with a dialog open; mouse reporting never turned on.
#[test]
fn the_terminal_is_restored_from_any_screen() {
    let (_dir, db) = store();
    let before = Tables::of(&db);
    type Setup = fn(&App);
    let cases: [(&str, Setup, Option<i32>); 4] = [
        (
            "SIGTERM in the pane",
            |a| {
                a.send("\r");
                a.wait_for("Connections (0)");
            },
            Some(libc::SIGTERM),
        ),
        (
            "SIGINT in a dialog",
            |a| {
                a.keys("d");
                a.wait_for("Deactivate");
            },
            Some(libc::SIGINT),
        ),
        (
            "SIGHUP while typing a filter",
            |a| {
                a.keys("/bo");
                a.wait_until("filtered", |s| !s.contains("Jane Doe"));
            },
            Some(libc::SIGHUP),
        ),
        (
            "a panic in a dialog",
            |a| {
                a.keys("d");
                a.wait_for("Deactivate");
                a.send("\x1b[24~"); // F12, the debug panic key
            },
            None,
        ),
    ];
    for (what, setup, signal) in cases {
        let mut app = App::spawn(&db, 100, 30, &[], &[("ROSTER_DEBUG_PANIC_KEY", "1")]);
        app.wait_for("Bob Stone");
        setup(&app);
        let code = match signal {
            Some(sig) => {
                unsafe { libc::kill(app.pid(), sig) };
                128 + sig as u32
            }
            None => 101,
        };
        assert_eq!(app.wait_exit(), Some(code), "{what}");
        app.assert_restored();
        assert!(!mouse_enabled(&app.raw()), "{what}");
    }
    // Nothing was changed by any of them.
    before.assert_same(&Tables::of(&db), "the app ended by a signal or a panic");
}
