//! Crash safety: a real `roster import` and real actions killed with SIGKILL at many
//! moments leave the store whole (`PRAGMA integrity_check` = ok, `roster check` passes)
//! and each write all or nothing.
//!
//! The moments: fractions of a measured import's duration (reading, planning, writing
//! rows, rebuilding indexes, committing), and the debug hook `ROSTER_DEBUG_PAUSE` for
//! the exact points around the transaction (lock taken, every row written, just before
//! COMMIT, just after it).

use crate::common;

use common::Env;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// What an import or an action changes, counted: equal counts before and after a killed
/// write mean nothing of it was kept.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Counts {
    employees: i64,
    connections: i64,
    audit: i64,
    audit_employees: i64,
    import_runs: i64,
    tab_counts: String,
    versions: i64,
}

fn counts(db: &Path) -> Counts {
    let c = rusqlite::Connection::open(db).unwrap();
    let n = |sql: &str| c.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
    Counts {
        employees: n("SELECT count(*) FROM employees"),
        connections: n("SELECT count(*) FROM connections"),
        audit: n("SELECT count(*) FROM audit"),
        audit_employees: n("SELECT count(*) FROM audit_employees"),
        import_runs: n("SELECT count(*) FROM import_runs"),
        tab_counts: c
            .query_row(
                "SELECT group_concat(tab || '=' || n, ',') FROM (SELECT * FROM tab_counts ORDER BY tab)",
                [],
                |r| r.get(0),
            )
            .unwrap(),
        versions: n("SELECT coalesce(sum(version), 0) FROM employees"),
    }
}

/// SQLite's integrity check on a plain connection (it recovers the WAL a killed
/// process left first).
fn assert_intact(env: &Env, when: &str) {
    let c = rusqlite::Connection::open(&env.db).unwrap();
    let ok: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok", "{when}: integrity_check");
}

/// The store is whole: the integrity check, then `roster check` (integrity, foreign
/// keys, invariants, derived data).
fn assert_whole(env: &Env, when: &str) {
    assert_intact(env, when);
    let check = env.run(&["check", "--json"]);
    assert_eq!(check.code, 0, "{when}: roster check: {}", check.stdout);
    assert_eq!(check.json()["ok"], true, "{when}");
}

fn import_cmd(env: &Env, file: &Path, system: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_roster"));
    c.env_remove("ROSTER_DB")
        .env_remove("ROSTER_DEBUG_PAUSE")
        .arg("--db")
        .arg(&env.db)
        .arg("--actor")
        .arg("cron")
        .args(["import", file.to_str().unwrap(), "--system", system])
        .arg("--allow-mass-create")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    c
}

/// Kills `child` with SIGKILL; whether it had ended by itself before.
fn kill9(child: &mut Child) -> bool {
    let ended = child.try_wait().unwrap().is_some();
    let _ = child.kill(); // SIGKILL
    let status = child.wait().unwrap();
    ended && status.success()
}

/// Waits until the child says it paused at `point` (the debug hook).
fn wait_for_pause(child: &mut Child, point: &str) {
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let want = format!("roster-debug: paused at {point}");
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut said = String::new();
    let mut line = String::new();
    loop {
        line.clear();
        let n = err.read_line(&mut line).unwrap();
        assert!(n > 0, "the process ended before pausing at {point}: {said}");
        said.push_str(&line);
        if line.trim_end() == want {
            return;
        }
        assert!(Instant::now() < deadline, "no pause at {point}");
    }
}

/// A copy of the store taken with `roster backup`, for a reference run.
fn copy_of(env: &Env) -> Env {
    let copy = Env::new();
    env.ok(&["backup", copy.db.to_str().unwrap()]);
    copy
}

#[test]
fn a_killed_import_leaves_the_store_whole_and_the_import_all_or_nothing() {
    let env = Env::new();
    let generate = |n: &str, seed: &str, dir: &str| {
        let out = env.path(dir);
        env.ok(&[
            "gen",
            "--employees",
            n,
            "--seed",
            seed,
            "--out",
            out.to_str().unwrap(),
        ]);
        out
    };
    let big_dir = generate("12000", "1", "big");
    let small_dir = generate("1200", "2", "small");
    // A store with people in it, so the big import links by email and updates profiles
    // as well as creating them.
    env.import(
        &big_dir.join("pipedrive.json"),
        "pipedrive",
        &["--allow-mass-create"],
    );
    let big = big_dir.join("salesforce.csv");
    let before = counts(&env.db);

    // The reference: the same import, run to the end on a copy, timed (over a second in
    // a debug build).
    let reference = copy_of(&env);
    let started = Instant::now();
    let status = import_cmd(&reference, &big, "salesforce").status().unwrap();
    let duration = started.elapsed();
    assert!(status.success());
    let after = counts(&reference.db);
    assert!(after.employees > before.employees && after.connections > before.connections);

    // Killed at moments spread over its run (reading and writing rows, rebuilding the
    // indexes, committing): nothing of it is kept.
    for fraction in [0.05, 0.3, 0.6, 0.9] {
        let at = duration.mul_f64(fraction);
        let mut child = import_cmd(&env, &big, "salesforce")
            // Half the runs rebuild the indexes at the end (DROP INDEX, CREATE INDEX in
            // the transaction), as a big import does.
            .env(
                "ROSTER_INDEX_REBUILD_MIN",
                if fraction > 0.5 { "100" } else { "100000000" },
            )
            .spawn()
            .unwrap();
        std::thread::sleep(at);
        let finished = kill9(&mut child);
        let now = counts(&env.db);
        let when = format!("killed after {at:?} of {duration:?}");
        if finished || now == after {
            // It committed before the kill (the machine got faster than for the
            // reference; or it was killed between its commit and its exit): then all of
            // it is there, and there is no "before" left to test against.
            assert_eq!(now, after, "{when}");
            assert_whole(&env, &when);
            return;
        }
        assert_eq!(now, before, "{when}: an import was half applied");
        assert_intact(&env, &when);
    }
    // (`roster check` takes a while on this store: once for all the kills.)
    assert_whole(&env, "after the kills during the import");

    // At the exact points around the transaction, with a smaller file.
    let small = small_dir.join("hubspot.json");
    for point in ["write-start", "import-written", "commit"] {
        let mut child = import_cmd(&env, &small, "hubspot")
            .env("ROSTER_DEBUG_PAUSE", point)
            .env("ROSTER_INDEX_REBUILD_MIN", "10")
            .spawn()
            .unwrap();
        wait_for_pause(&mut child, point);
        kill9(&mut child);
        assert_eq!(counts(&env.db), before, "killed at {point}");
        assert_intact(&env, point);
    }
    assert_whole(&env, "after the kills at the exact points");
    // Just after COMMIT: all of it is there.
    let mut child = import_cmd(&env, &small, "hubspot")
        .env("ROSTER_DEBUG_PAUSE", "committed")
        .spawn()
        .unwrap();
    wait_for_pause(&mut child, "committed");
    kill9(&mut child);
    let now = counts(&env.db);
    assert_eq!(now.import_runs, before.import_runs + 1);
    assert_eq!(now.audit, before.audit + 1);
    assert!(now.connections > before.connections);
    assert_whole(&env, "committed");
    // Every row of it is in: the same file again finds each account by ID and changes
    // nothing; and the store goes on working.
    let again = env.import(&small, "hubspot", &[]);
    assert_eq!(again["created"], 0, "{again}");
    assert_eq!(again["unchanged"], again["rows"], "{again}");
}

/// Runs `roster ARGS` with the debug hook at `point`, kills it there; returns nothing.
fn kill_action_at(env: &Env, args: &[&str], point: &str) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_roster"))
        .arg("--db")
        .arg(&env.db)
        .args(args)
        .env("ROSTER_DEBUG_PAUSE", point)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_pause(&mut child, point);
    kill9(&mut child);
}

#[test]
fn killed_actions_are_all_or_nothing() {
    let env = Env::new();
    let jane = env.new_employee("Jane", Some("jane@x.io")).to_string();
    env.ok(&[
        "connect",
        &jane,
        "--system",
        "hubspot",
        "--external-id",
        "h1",
    ]);
    env.ok(&[
        "connect",
        &jane,
        "--system",
        "salesforce",
        "--external-id",
        "s1",
    ]);
    env.ok(&["manage", &jane, "--system", "hubspot"]);
    let actions: [&[&str]; 6] = [
        &["edit", &jane, "--email", "jane.k@x.io", "--login", "on"],
        &["move", &jane, "--system", "salesforce"],
        &["remove", &jane, "--system", "hubspot", "--block"],
        &["new", "--name", "Never", "--email", "never@x.io"],
        &["deactivate", &jane],
        &["undo"],
    ];
    for args in actions {
        let before = counts(&env.db);
        let shown = env.show(&jane);
        for point in ["write-start", "commit"] {
            kill_action_at(&env, args, point);
            assert_eq!(counts(&env.db), before, "{args:?} killed at {point}");
            assert_eq!(env.show(&jane), shown, "{args:?} killed at {point}");
            assert_whole(&env, &format!("{args:?} at {point}"));
        }
        kill_action_at(&env, args, "committed");
        let after = counts(&env.db);
        assert_eq!(
            after.audit,
            before.audit + 1,
            "{args:?} killed after COMMIT"
        );
        assert_whole(&env, &format!("{args:?} after COMMIT"));
    }

    // A stream of actions, each process killed at a random moment of its short life:
    // every profile created has its audit entry and the other way round.
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut rand = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for i in 0..30 {
        let name = format!("Loop {i}");
        let mut child = Command::new(env!("CARGO_BIN_EXE_roster"))
            .arg("--db")
            .arg(&env.db)
            .args(["new", "--name", &name, "--email", &format!("l{i}@x.io")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(rand() % 15_000));
        kill9(&mut child);
    }
    let c = rusqlite::Connection::open(&env.db).unwrap();
    let n = |sql: &str| c.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
    assert_eq!(
        n("SELECT count(*) FROM employees WHERE name LIKE 'Loop %'"),
        n("SELECT count(*) FROM audit WHERE action = 'new' AND summary LIKE '%Loop %'"),
        "a profile without its audit entry, or the other way round"
    );
    drop(c);
    assert_whole(&env, "after the loop");
}
