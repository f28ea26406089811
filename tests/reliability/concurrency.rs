//! Concurrency between processes: an import holding the write lock, commands and
//! scripts at the same time. No "database is locked" ever reaches the user: a command
//! waits (up to `--wait`, 600 s by default) and then goes on, or gives up with a
//! sentence naming the import that holds the store; the app's connection waits half a
//! second at most. Nothing is overwritten silently.

use crate::common;

use common::Env;
use roster::domain::actions::{Edit, NewEmployee};
use roster::error::Error;
use roster::service::{Service, actor};
use roster::store::{self, Store};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn roster_cmd(db: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_roster"));
    c.env_remove("ROSTER_DB")
        .env_remove("ROSTER_WAIT")
        .env_remove("ROSTER_DEBUG_PAUSE")
        .env_remove("SSH_CLIENT")
        .arg("--db")
        .arg(db);
    c
}

/// Starts an import by "cron" that stops with the write lock held (`write-start`), for
/// `ms` milliseconds or (None) until killed; returns once the lock is held.
fn import_holding_the_lock(env: &Env, file: &Path, system: &str, ms: Option<u64>) -> Child {
    let point = match ms {
        Some(ms) => format!("write-start:{ms}"),
        None => "write-start".to_owned(),
    };
    let mut child = roster_cmd(&env.db)
        .args(["--actor", "cron", "import", file.to_str().unwrap()])
        .args(["--system", system, "--allow-mass-create"])
        .env("ROSTER_DEBUG_PAUSE", point)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    err.read_line(&mut line).unwrap();
    assert!(
        line.starts_with("roster-debug: paused at write-start"),
        "{line}"
    );
    // Keep draining stderr so the import never blocks on a full pipe.
    std::thread::spawn(move || std::io::copy(&mut err, &mut std::io::sink()));
    child
}

fn people_file(env: &Env) -> std::path::PathBuf {
    env.file(
        "people.csv",
        "external_id,email,name\nh1,ann@x.io,Ann\nh2,bob@x.io,Bob\nh3,cy@x.io,Cy\n",
    )
}

#[test]
fn a_command_waits_for_a_running_import_then_goes_on() {
    let env = Env::new();
    let kim = env.new_employee("Kim", None).to_string();
    let file = people_file(&env);
    let mut import = import_holding_the_lock(&env, &file, "hubspot", Some(1500));
    let started = Instant::now();
    let run = env.run(&["edit", &kim, "--login", "on"]);
    let waited = started.elapsed();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("locked"), "{}", run.stderr);
    assert!(
        waited >= Duration::from_millis(1000),
        "the edit did not wait for the import: {waited:?}"
    );
    assert!(import.wait().unwrap().success());
    // Both happened, neither over the other.
    assert_eq!(env.show(&kim)["login_access"], true);
    assert_eq!(env.show("hubspot:h2")["name"], "Bob");
}

#[test]
fn a_command_that_cannot_wait_long_enough_is_told_who_holds_the_store() {
    let env = Env::new();
    let kim = env.new_employee("Kim", None).to_string();
    let before = env.dump();
    let file = people_file(&env);
    let mut import = import_holding_the_lock(&env, &file, "hubspot", None);
    for args in [
        vec!["--wait", "1", "edit", &kim, "--login", "on"],
        vec!["--wait", "1", "new", "--name", "Lee"],
        vec!["--wait", "1", "undo"],
        vec![
            "--wait",
            "1",
            "import",
            file.to_str().unwrap(),
            "--system",
            "podio",
        ],
    ] {
        let started = Instant::now();
        let msg = env.fails(&args, 1);
        assert!(started.elapsed() < Duration::from_secs(5), "{args:?}");
        assert!(!msg.contains("locked"), "{args:?}: {msg}");
        assert!(
            msg.starts_with("roster: The store is busy with an import of ")
                && msg.contains("people.csv (HubSpot) by ")
                && msg.contains("(as cron), started at ")
                && msg
                    .contains("roster waited 1 s and changed nothing. Try again when it finishes."),
            "{args:?}: {msg}"
        );
        assert_eq!(msg.trim_end().lines().count(), 1, "{msg}");
    }
    // Reads go on meanwhile (WAL): the app and `list` never wait for an import.
    let started = Instant::now();
    env.ok(&["list"]);
    env.ok(&["--wait", "0", "show", &kim]);
    assert!(started.elapsed() < Duration::from_secs(3));

    // The import dies (kill -9): its note is left behind but not believed, and the store
    // is free again.
    import.kill().unwrap();
    import.wait().unwrap();
    assert_eq!(env.dump(), before, "the refused commands changed something");
    env.ok(&["--wait", "1", "edit", &kim, "--login", "on"]);
}

#[test]
fn a_writer_that_did_not_say_who_it_is_is_reported_plainly() {
    let env = Env::new();
    let kim = env.new_employee("Kim", None).to_string();
    let holder = rusqlite::Connection::open(&env.db).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let msg = env.fails(&["--wait", "0", "edit", &kim, "--login", "on"], 1);
    assert_eq!(
        msg.trim_end(),
        "roster: The store is busy: another roster session is writing to it; nothing was changed. Try again in a moment."
    );
    holder.execute_batch("ROLLBACK").unwrap();
    env.ok(&["--wait", "0", "edit", &kim, "--login", "on"]);
}

/// The app's connection (`store::APP_WAIT`) gives up within about half a second, with
/// the sentence the app shows on its status line; the screen never waits for an import.
#[test]
fn the_apps_connection_never_waits_long() {
    let env = Env::new();
    let kim = env.new_employee("Kim", None);
    let file = people_file(&env);
    let mut import = import_holding_the_lock(&env, &file, "hubspot", None);
    let mut app = Service::new(
        Store::open_waiting(&env.db, store::APP_WAIT).unwrap(),
        actor::current(Some("app")),
    );
    // Reads are not held up.
    let seen = app.profile(kim).unwrap();
    let started = Instant::now();
    let err = app
        .edit(
            kim,
            &Edit {
                login_access: Some(true),
                ..Edit::default()
            },
            Some(seen.employee.version),
        )
        .unwrap_err();
    let waited = started.elapsed();
    assert!(matches!(err, Error::Busy(_)), "{err:?}");
    assert!(
        waited < Duration::from_millis(1500),
        "the app waited {waited:?}"
    );
    assert!(
        err.to_string()
            .starts_with("The store is busy with an import of ")
            && err
                .to_string()
                .ends_with("; nothing was changed. Try again when it finishes."),
        "{err}"
    );
    assert_eq!(err.exit_code(), 1);
    import.kill().unwrap();
    import.wait().unwrap();
    // Once the store is free the same action goes through.
    app.edit(
        kim,
        &Edit {
            login_access: Some(true),
            ..Edit::default()
        },
        Some(seen.employee.version),
    )
    .unwrap();
}

/// A cron import, four scripts and two in-process app sessions at once against one
/// file: every command succeeds (none sees "database is locked"), every action is in
/// the audit log, and the store checks whole.
#[test]
fn an_import_scripts_and_sessions_at_once() {
    let env = Env::new();
    let gen_dir = env.path("gen");
    env.ok(&[
        "gen",
        "--employees",
        "3000",
        "--out",
        gen_dir.to_str().unwrap(),
    ]);
    env.import(
        &gen_dir.join("pipedrive.json"),
        "pipedrive",
        &["--allow-mass-create"],
    );
    let audit_before = env
        .json(&["log", "--limit", "1000000"])
        .as_array()
        .unwrap()
        .len();
    // The import holds the lock for at least 1.5 s, longer than the app's wait.
    let import = import_holding_the_lock(
        &env,
        &gen_dir.join("salesforce.csv"),
        "salesforce",
        Some(1500),
    );
    let scripts: Vec<_> = (0..4)
        .map(|s| {
            let db = env.db.clone();
            std::thread::spawn(move || {
                let mut failures = Vec::new();
                for i in 0..6 {
                    let name = format!("Script {s}-{i}");
                    let out = roster_cmd(&db)
                        .args(["--actor", "script", "new", "--name", &name, "--json"])
                        .output()
                        .unwrap();
                    if !out.status.success() {
                        failures.push(String::from_utf8_lossy(&out.stderr).into_owned());
                        continue;
                    }
                    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
                    let id = v["id"].to_string();
                    let out = roster_cmd(&db)
                        .args(["edit", &id, "--login", "on"])
                        .output()
                        .unwrap();
                    if !out.status.success() {
                        failures.push(String::from_utf8_lossy(&out.stderr).into_owned());
                    }
                }
                failures
            })
        })
        .collect();
    // Two app sessions acting meanwhile: each action either goes through or is refused
    // with the busy sentence; never a raw SQLite error.
    let sessions: Vec<_> = (0..2)
        .map(|s| {
            let db = env.db.clone();
            std::thread::spawn(move || {
                let mut app = Service::new(
                    Store::open_waiting(&db, store::APP_WAIT).unwrap(),
                    actor::current(Some(&format!("app{s}"))),
                );
                let (mut done, mut busy) = (0, 0);
                let deadline = Instant::now() + Duration::from_secs(4);
                while Instant::now() < deadline && done < 5 {
                    match app.new_employee(&NewEmployee {
                        name: format!("Session {s}-{done}"),
                        email: None,
                        login_access: false,
                    }) {
                        Ok(_) => done += 1,
                        Err(Error::Busy(m)) => {
                            assert!(m.starts_with("The store is busy"), "{m}");
                            busy += 1;
                        }
                        Err(e) => panic!("session {s}: {e}"),
                    }
                }
                (done, busy)
            })
        })
        .collect();
    let mut failures = Vec::new();
    for s in scripts {
        failures.extend(s.join().unwrap());
    }
    let (mut made, mut refused) = (0, 0);
    for s in sessions {
        let (done, busy) = s.join().unwrap();
        made += done;
        refused += busy;
    }
    // The sessions did meet the import (and were told so), then went on.
    assert!(refused > 0 && made == 10, "made {made}, refused {refused}");
    let out = import.wait_with_output().unwrap();
    assert!(out.status.success());
    assert!(failures.is_empty(), "{failures:?}");
    // 24 scripted creations and edits, the sessions' creations, and the import.
    let log = env.json(&["log", "--limit", "1000000"]);
    assert_eq!(log.as_array().unwrap().len(), audit_before + 48 + made + 1);
    let check = env.json(&["check"]);
    assert_eq!(check["ok"], true, "{check}");
}

#[test]
fn backup_runs_while_an_import_holds_the_store() {
    let env = Env::new();
    env.new_employee("Kim", None);
    let file = people_file(&env);
    let mut import = import_holding_the_lock(&env, &file, "hubspot", None);
    let dest = env.path("during.db");
    let out = env.ok(&["--wait", "1", "backup", dest.to_str().unwrap()]);
    assert!(out.contains("integrity ok"), "{out}");
    import.kill().unwrap();
    import.wait().unwrap();
    // The copy holds what was committed: Kim, not the import's rows.
    let copy = env.run_with(&["list", "--tab", "all", "--json"], |c| {
        c.arg("--db").arg(&dest);
    });
    assert_eq!(copy.json().as_array().unwrap().len(), 1);
}
