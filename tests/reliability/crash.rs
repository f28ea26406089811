//! Crash safety: a real `roster import` and real actions killed with SIGKILL at many
//! moments leave the store whole (`PRAGMA integrity_check` = ok, `roster check` passes)
//! and each write all or nothing.
//!
//! Every run announces the debug points it passes (`ROSTER_DEBUG_PAUSE=POINT:0`, see
//! `src/debug.rs`), so that the test knows, for each kill, where the process was: the
//! phases a test claims to kill in are asserted to have been hit, never assumed from a
//! timing. Timed kills land inside a phase (writing rows, rebuilding indexes); the
//! points around the transaction (lock taken, rows written, every record written, just
//! before COMMIT, just after it) are hit exactly by pausing there.

use crate::common;

use common::{Env, Tables, Watched};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

/// Every point a write passes, announced without stopping.
const ANNOUNCE: &str = "write-start:0,rows-written:0,import-written:0,commit:0,committed:0";

/// What an import adds, counted: a run that committed adds exactly what the reference
/// run added (the reference ran on a copy, so times and ids of its rows differ).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Counts {
    employees: usize,
    connections: usize,
    audit: usize,
    audit_employees: usize,
    import_runs: usize,
    tab_counts: Vec<String>,
}

fn counts(db: &Path) -> Counts {
    let t = Tables::of(db);
    Counts {
        employees: t.rows("employees").len(),
        connections: t.rows("connections").len(),
        audit: t.rows("audit").len(),
        audit_employees: t.rows("audit_employees").len(),
        import_runs: t.rows("import_runs").len(),
        tab_counts: t.rows("tab_counts").to_vec(),
    }
}

/// SQLite's integrity check on a plain connection (it recovers the WAL a killed
/// process left first).
fn assert_intact(db: &Path, when: &str) {
    let c = rusqlite::Connection::open(db).unwrap();
    let ok: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok", "{when}: integrity_check");
}

/// The store is whole: the integrity check, then `roster check` (integrity, foreign
/// keys, invariants, derived data).
fn assert_whole(env: &Env, when: &str) {
    assert_intact(&env.db, when);
    let check = env.run(&["check", "--json"]);
    assert_eq!(check.code, 0, "{when}: roster check: {}", check.stdout);
    assert_eq!(check.json()["ok"], true, "{when}");
}

/// `roster import FILE --system S` by "cron"; `rebuild`: the indexes are dropped and
/// built again at the end, as a big import does; `pause`: `ROSTER_DEBUG_PAUSE`.
fn import_cmd(db: &Path, file: &Path, system: &str, rebuild: bool, pause: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_roster"));
    c.env_remove("ROSTER_DB")
        .env_remove("ROSTER_WAIT")
        .env("ROSTER_DEBUG_PAUSE", pause)
        .env(
            "ROSTER_INDEX_REBUILD_MIN",
            if rebuild { "10" } else { "100000000" },
        )
        .arg("--db")
        .arg(db)
        .arg("--actor")
        .arg("cron")
        .args(["import", file.to_str().unwrap(), "--system", system])
        .arg("--allow-mass-create")
        .stdout(Stdio::null());
    c
}

/// Where a killed import was: after the last point it announced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Phase {
    /// Before the write lock: opening the store.
    Starting,
    /// Lock held: reading, planning and writing the records.
    Rows,
    /// Derived columns, tab counts, and the indexes built again.
    Finishing,
    /// The import run, the audit entry and its links.
    Audit,
    /// COMMIT under way (or just done, not yet announced).
    Commit,
    /// Committed, not yet ended.
    Exit,
    /// Ended by itself before the kill.
    Ended,
}

fn phase(run: &Watched, ended: bool) -> Phase {
    if ended {
        return Phase::Ended;
    }
    match run.points().last().copied() {
        None => Phase::Starting,
        Some("write-start") => Phase::Rows,
        Some("rows-written") => Phase::Finishing,
        Some("import-written") => Phase::Audit,
        Some("commit") => Phase::Commit,
        Some("committed") => Phase::Exit,
        Some(p) => panic!("unknown point {p}"),
    }
}

/// When each phase starts and ends in a whole run of the import (from its
/// announcements): `(start, end)` of `phase`.
fn span(run: &Watched, p: Phase) -> (Duration, Duration) {
    let at = |point: &str| {
        run.point_at(point)
            .unwrap_or_else(|| panic!("the reference run passed no {point}: {:?}", run.said))
    };
    match p {
        Phase::Rows => (at("write-start"), at("rows-written")),
        Phase::Finishing => (at("rows-written"), at("import-written")),
        _ => panic!("no timed kill aims at {p:?}"),
    }
}

/// The point that starts a phase a timed kill aims at.
fn first_point(p: Phase) -> &'static str {
    match p {
        Phase::Rows => "write-start",
        Phase::Finishing => "rows-written",
        _ => panic!("no timed kill aims at {p:?}"),
    }
}

/// A copy of the store taken with `roster backup`.
fn copy_of(env: &Env) -> Env {
    let copy = Env::new();
    env.ok(&["backup", copy.db.to_str().unwrap()]);
    copy
}

/// A whole run of the import on a copy of `base`: what it adds and when it passes
/// each point.
fn reference(base: &Env, file: &Path, rebuild: bool) -> (Watched, Counts) {
    let copy = copy_of(base);
    let mut run = Watched::spawn(&mut import_cmd(
        &copy.db,
        file,
        "salesforce",
        rebuild,
        ANNOUNCE,
    ));
    assert!(run.finish().success(), "{:?}", run.said);
    (run, counts(&copy.db))
}

#[test]
fn a_killed_import_leaves_the_store_whole_and_the_import_all_or_nothing() {
    let base = Env::new();
    let generate = |n: &str, seed: &str, dir: &str| {
        let out = base.path(dir);
        base.ok(&[
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
    base.import(
        &big_dir.join("pipedrive.json"),
        "pipedrive",
        &["--allow-mass-create"],
    );
    let big = big_dir.join("salesforce.csv");
    let before = base.tables();
    let before_counts = counts(&base.db);

    // Timed kills inside the phases that take a while: a fraction of the phase's length
    // in a whole run with the same settings (measured again after a miss: this
    // machine's speed varies) after the run announces the phase's start. Each kill
    // must land in the phase it aims at.
    let targets = [
        (false, Phase::Rows, 0.1),
        (false, Phase::Rows, 0.7),
        (true, Phase::Rows, 0.5),
        (true, Phase::Finishing, 0.5),
    ];
    let mut work = copy_of(&base);
    let mut hits = Vec::new();
    for (rebuild, target, fraction) in targets {
        let mut misses = Vec::new();
        let (mut timing, mut after) = reference(&base, &big, rebuild);
        let hit = loop {
            let (start, end) = span(&timing, target);
            let at = (end - start).mul_f64(fraction);
            let mut run = Watched::spawn(&mut import_cmd(
                &work.db,
                &big,
                "salesforce",
                rebuild,
                ANNOUNCE,
            ));
            run.wait_for_point(first_point(target));
            std::thread::sleep(at);
            let ended = run.kill9();
            let hit = phase(&run, ended);
            let when = format!(
                "killed {at:?} after {} aiming at {target:?} (rebuild {rebuild}), landed in {hit:?}: {:?}",
                first_point(target),
                run.said
            );
            match hit {
                Phase::Starting | Phase::Rows | Phase::Finishing | Phase::Audit => {
                    before.assert_same(&work.tables(), &when);
                    assert_intact(&work.db, &when);
                }
                Phase::Commit => {
                    let now = counts(&work.db);
                    assert!(now == before_counts || now == after, "{when}: {now:?}");
                }
                Phase::Exit | Phase::Ended => assert_eq!(counts(&work.db), after, "{when}"),
            }
            if counts(&work.db) != before_counts {
                // It committed: start again from the store as it was.
                assert_whole(&work, &when);
                work = copy_of(&base);
            }
            if hit == target {
                break when;
            }
            misses.push(when);
            assert!(
                misses.len() < 6,
                "no kill landed in {target:?} (rebuild {rebuild}): {misses:#?}"
            );
            (timing, after) = reference(&base, &big, rebuild);
        };
        hits.push(hit);
    }
    assert_eq!(hits.len(), targets.len());
    // (`roster check` takes a while on this store: once for all the kills.)
    assert_whole(&work, "after the timed kills");

    // At the exact points around the transaction, with a smaller file, the indexes
    // rebuilt: stopped there, then killed.
    let small = small_dir.join("hubspot.json");
    for point in ["write-start", "rows-written", "import-written", "commit"] {
        let mut run = Watched::spawn(&mut import_cmd(&work.db, &small, "hubspot", true, point));
        run.wait_for_point(point);
        assert!(!run.kill9(), "it ended by itself at {point}");
        before.assert_same(&work.tables(), &format!("killed at {point}"));
        assert_intact(&work.db, point);
    }
    assert_whole(&work, "after the kills at the exact points");
    // Killed the moment it says it starts COMMIT: before or after, never between.
    let mut run = Watched::spawn(&mut import_cmd(
        &work.db,
        &small,
        "hubspot",
        true,
        "commit:0,committed:0",
    ));
    run.wait_for_point("commit");
    let ended = run.kill9();
    let now = counts(&work.db);
    if now != before_counts {
        assert_eq!(
            now.import_runs,
            before_counts.import_runs + 1,
            "{:?}",
            run.said
        );
        assert_eq!(now.audit, before_counts.audit + 1, "{:?}", run.said);
        assert!(now.connections > before_counts.connections);
    } else {
        assert!(!ended);
        before.assert_same(&work.tables(), "killed as COMMIT began");
    }
    assert_whole(&work, "killed as COMMIT began");
    // Just after COMMIT: all of it is there.
    let work = copy_of(&base);
    let mut run = Watched::spawn(&mut import_cmd(
        &work.db,
        &small,
        "hubspot",
        false,
        "committed",
    ));
    run.wait_for_point("committed");
    assert!(!run.kill9(), "it ended by itself at committed");
    let now = counts(&work.db);
    assert_eq!(now.import_runs, before_counts.import_runs + 1);
    assert_eq!(now.audit, before_counts.audit + 1);
    assert!(now.connections > before_counts.connections);
    assert_whole(&work, "committed");
    // Every row of it is in: the same file again finds each account by ID and changes
    // nothing; and the store goes on working.
    let again = work.import(&small, "hubspot", &[]);
    assert_eq!(again["created"], 0, "{again}");
    assert_eq!(again["unchanged"], again["rows"], "{again}");
}

/// `roster ARGS` on `env` with `ROSTER_DEBUG_PAUSE=pause`.
fn action(env: &Env, args: &[&str], pause: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_roster"));
    c.env_remove("ROSTER_DB")
        .env_remove("ROSTER_WAIT")
        .arg("--db")
        .arg(&env.db)
        .args(args)
        .env("ROSTER_DEBUG_PAUSE", pause)
        .stdout(Stdio::null());
    c
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
        &["undo", "--yes"],
    ];
    for args in actions {
        let before = env.tables();
        for point in ["write-start", "commit"] {
            let mut run = Watched::spawn(&mut action(&env, args, point));
            run.wait_for_point(point);
            assert!(!run.kill9(), "{args:?} ended by itself at {point}");
            before.assert_same(&env.tables(), &format!("{args:?} killed at {point}"));
            assert_whole(&env, &format!("{args:?} at {point}"));
        }
        let mut run = Watched::spawn(&mut action(&env, args, "committed"));
        run.wait_for_point("committed");
        assert!(!run.kill9(), "{args:?} ended by itself after COMMIT");
        assert_eq!(
            env.tables().rows("audit").len(),
            before.rows("audit").len() + 1,
            "{args:?} killed after COMMIT"
        );
        assert_whole(&env, &format!("{args:?} after COMMIT"));
    }

    // A stream of `roster new`, each killed at a random moment of its short life, until
    // some were killed inside their write (lock taken, COMMIT not begun) and some after
    // their commit, so that both kinds are surely tested: every profile created has its
    // audit entry and the other way round, and exactly the runs that committed made one.
    let name = |i: usize| format!("Loop {i}");
    let new = |i: usize| {
        action(
            &env,
            &["new", "--name", &name(i), "--email", &format!("l{i}@x.io")],
            "write-start:0,commit:0,committed:0",
        )
    };
    // A whole run says how long the life of one is.
    let mut whole = Watched::spawn(&mut new(0));
    assert!(whole.finish().success(), "{:?}", whole.said);
    let life = whole.point_at("committed").expect("committed") + Duration::from_millis(2);
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut rand = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    // Runs killed in their write, during their COMMIT (committed or not), after it.
    let (mut inside, mut in_commit, mut after) = (0, 0, 1);
    let mut runs = 1;
    while runs < 30 || inside == 0 || after < 2 {
        assert!(
            runs < 400,
            "{runs} runs: {inside} killed inside the write, {after} after the commit"
        );
        let mut run = Watched::spawn(&mut new(runs));
        std::thread::sleep(life.mul_f64((rand() % 1200) as f64 / 1000.0));
        let ended = run.kill9();
        match run.points().last().copied() {
            _ if ended => after += 1,
            Some("committed") => after += 1,
            Some("commit") => in_commit += 1,
            Some("write-start") => inside += 1,
            _ => {}
        }
        runs += 1;
    }
    let c = rusqlite::Connection::open(&env.db).unwrap();
    let n = |sql: &str| c.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap() as usize;
    let profiles = n("SELECT count(*) FROM employees WHERE name LIKE 'Loop %'");
    assert_eq!(
        profiles,
        n("SELECT count(*) FROM audit WHERE action = 'new' AND summary LIKE '%Loop %'"),
        "a profile without its audit entry, or the other way round"
    );
    assert!(
        (after..=after + in_commit).contains(&profiles),
        "{profiles} profiles from {after} runs that committed, {in_commit} killed in COMMIT and {inside} in their write"
    );
    drop(c);
    assert_whole(&env, "after the loop");
}
