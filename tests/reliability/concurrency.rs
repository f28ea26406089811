//! Concurrency between processes: an import holding the write lock, commands and
//! scripts at the same time. No "database is locked" ever reaches the user: a command
//! waits (up to `--wait`, 600 s by default) and then goes on, or gives up with a
//! sentence naming the import that holds the store; the app's connection waits half a
//! second at most. Nothing is overwritten silently.

use crate::common;
use crate::pty::App;

use common::{Env, Watched};
use roster::domain::actions::{Edit, NewEmployee};
use roster::error::Error;
use roster::service::{Service, actor};
use roster::store::{self, Store};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
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

/// An import by "cron" stopped with the write lock held (`write-start`), until the test
/// calls `go` (or, made with `resume: false`, until it is killed).
struct Holding {
    run: Watched,
    go: PathBuf,
}

impl Holding {
    /// Lets the import go on from where it stopped.
    fn go(&self) {
        std::fs::write(&self.go, "").unwrap();
    }
}

/// Starts the import and returns once it holds the lock.
fn import_holding_the_lock(env: &Env, file: &Path, system: &str, resume: bool) -> Holding {
    let go = env.path("go");
    let mut run = Watched::spawn(
        roster_cmd(&env.db)
            .args(["--actor", "cron", "import", file.to_str().unwrap()])
            .args(["--system", system, "--allow-mass-create"])
            .env(
                "ROSTER_DEBUG_PAUSE",
                if resume {
                    "write-start:wait"
                } else {
                    "write-start"
                },
            )
            .env("ROSTER_DEBUG_RESUME", &go)
            .stdout(Stdio::null()),
    );
    run.wait_for_point("write-start");
    Holding { run, go }
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
    let mut import = import_holding_the_lock(&env, &file, "hubspot", true);
    // On a terminal the command says that it waits, and for whom: proof that it met the
    // import and waits for it, instead of a time measured.
    let mut edit = App::spawn(&env.db, 120, 10, &["edit", &kim, "--login", "on"], &[]);
    edit.wait_for("roster: waiting for an import of");
    import.go();
    edit.wait_for("Edited the login access of Kim");
    assert_eq!(edit.wait_exit(), Some(0));
    assert!(!edit.screen().contains("locked"), "{}", edit.screen());
    assert!(import.run.finish().success(), "{:?}", import.run.said);
    // Both happened, neither over the other, the import first.
    assert_eq!(env.show(&kim)["login_access"], true);
    assert_eq!(env.show("hubspot:h2")["name"], "Bob");
    let log = env.json(&["log"]);
    let actions: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions[..2],
        ["edit", "import"],
        "newest first: {actions:?}"
    );
}

#[test]
fn a_command_that_cannot_wait_long_enough_is_told_who_holds_the_store() {
    let env = Env::new();
    let kim = env.new_employee("Kim", None).to_string();
    let before = env.tables();
    let file = people_file(&env);
    let mut import = import_holding_the_lock(&env, &file, "hubspot", false);
    for args in [
        vec!["--wait", "1", "edit", &kim, "--login", "on"],
        vec!["--wait", "1", "new", "--name", "Lee"],
        vec!["--wait", "1", "undo", "--yes"],
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
        // A generous bound: not the 600 s a command waits by default.
        assert!(started.elapsed() < Duration::from_secs(60), "{args:?}");
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
    // Reads go on meanwhile (WAL), without waiting at all: the app and `list` never
    // wait for an import.
    env.ok(&["--wait", "0", "list"]);
    env.ok(&["--wait", "0", "show", &kim]);

    // The import dies (kill -9): its note is left behind but not believed, and the store
    // is free again.
    assert!(!import.run.kill9());
    before.assert_same(&env.tables(), "the refused commands");
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
    let mut import = import_holding_the_lock(&env, &file, "hubspot", false);
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
    // Half a second by design; the bound is generous for a loaded machine, and still far
    // from the 600 s a command waits.
    assert!(
        waited < Duration::from_secs(10),
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
    assert!(!import.run.kill9());
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
    // The import holds the lock until both sessions have been told that the store is
    // busy; the scripts wait for it meanwhile.
    let import = import_holding_the_lock(&env, &gen_dir.join("salesforce.csv"), "salesforce", true);
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
    // with the busy sentence; never a raw SQLite error. Each tries until it made five
    // profiles (a generous bound on the tries, not a time).
    let (told, busy_seen) = std::sync::mpsc::channel();
    let sessions: Vec<_> = (0..2)
        .map(|s| {
            let db = env.db.clone();
            let told = told.clone();
            std::thread::spawn(move || {
                let mut app = Service::new(
                    Store::open_waiting(&db, store::APP_WAIT).unwrap(),
                    actor::current(Some(&format!("app{s}"))),
                );
                let (mut done, mut busy) = (0, 0);
                while done < 5 {
                    assert!(busy < 1000, "session {s}: busy {busy} times");
                    match app.new_employee(&NewEmployee {
                        name: format!("Session {s}-{done}"),
                        email: None,
                        login_access: false,
                    }) {
                        Ok(_) => done += 1,
                        Err(Error::Busy(m)) => {
                            assert!(m.starts_with("The store is busy"), "{m}");
                            if busy == 0 {
                                told.send(s).unwrap();
                            }
                            busy += 1;
                        }
                        Err(e) => panic!("session {s}: {e}"),
                    }
                }
                (done, busy)
            })
        })
        .collect();
    for _ in 0..2 {
        busy_seen
            .recv_timeout(common::PATIENCE)
            .expect("both sessions meet the import");
    }
    import.go();
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
    assert!(refused >= 2 && made == 10, "made {made}, refused {refused}");
    let mut import = import;
    assert!(import.run.finish().success(), "{:?}", import.run.said);
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
    let mut import = import_holding_the_lock(&env, &file, "hubspot", false);
    let dest = env.path("during.db");
    let out = env.ok(&["--wait", "1", "backup", dest.to_str().unwrap()]);
    assert!(out.contains("integrity ok"), "{out}");
    assert!(!import.run.kill9());
    // The copy holds what was committed: Kim, not the import's rows.
    let copy = env.run_with(&["list", "--tab", "all", "--json"], |c| {
        c.arg("--db").arg(&dest);
    });
    assert_eq!(copy.json().as_array().unwrap().len(), 1);
}
