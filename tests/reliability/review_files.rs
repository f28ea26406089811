//! Findings 1, 5 and 14 of the outside review (issue #11; docs/reliability.md, "Findings
//! of the outside review"): the paths roster is given are files, taken literally;
//! nothing is written through a symbolic link or over a file roster did not create.

use crate::common;

use common::Env;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

/// `roster ARGS` run in `dir` (relative paths are the point here).
fn roster_in(dir: &Path, args: &[&str]) -> std::process::Output {
    let out = Command::new(env!("CARGO_BIN_EXE_roster"))
        .current_dir(dir)
        .env_remove("ROSTER_DB")
        .env_remove("ROSTER_WAIT")
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "roster {args:?}: {stderr}");
    out
}

/// Finding 1, the reproduction: `roster --db other.db backup file:live.db` wrote the
/// backup into `live.db` (SQLite read `file:live.db` as a URI) and left an empty
/// `file:live.db` behind.
#[test]
fn backup_to_file_colon_live_db_leaves_live_db_byte_for_byte_unchanged() {
    let env = Env::new();
    let dir = env.dir.path();
    assert!(
        roster_in(dir, &["--db", "live.db", "new", "--name", "Live"])
            .status
            .success()
    );
    assert!(
        roster_in(dir, &["--db", "other.db", "new", "--name", "Other"])
            .status
            .success()
    );
    let live = std::fs::read(dir.join("live.db")).unwrap();

    let out = roster_in(dir, &["--db", "other.db", "backup", "file:live.db"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read(dir.join("live.db")).unwrap(),
        live,
        "live.db changed"
    );
    // The backup went into the file literally named `file:live.db`, owner-only.
    let copy = dir.join("file:live.db");
    assert_eq!(mode(&copy), 0o600);
    let out = roster_in(dir, &["--db", "./file:live.db", "list", "--json"]);
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows[0]["name"], "Other", "{rows}");
    // And `--db file:x.db` is the file of that name too, not a URI.
    assert!(
        roster_in(
            dir,
            &["--db", "file:x.db?mode=memory", "new", "--name", "X"]
        )
        .status
        .success()
    );
    assert!(dir.join("file:x.db?mode=memory").is_file());
}

/// Finding 1: `--db :memory:` opened a database in memory, lost at exit, and said it
/// had saved the change.
#[test]
fn db_memory_is_refused_because_roster_needs_a_file() {
    let env = Env::new();
    let out = roster_in(
        env.dir.path(),
        &["--db", ":memory:", "new", "--name", "Lost"],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("roster needs a file"), "{stderr}");
    // A backup named `:memory:` is a file of that name, complete.
    env.new_employee("Kept", None);
    let out = roster_in(
        env.dir.path(),
        &["--db", Env::path_str(&env.db), "backup", ":memory:"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let copy = rusqlite::Connection::open(env.path(":memory:")).unwrap();
    let n: i64 = copy
        .query_row("SELECT count(*) FROM employees", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
}

/// Finding 1: a backup never writes through a symbolic link put at its destination.
#[test]
fn backup_to_a_symlink_is_refused_and_its_target_untouched() {
    let env = Env::new();
    env.new_employee("Ann", None);
    let target = env.file("precious.txt", "precious");
    let link = env.path("backup.db");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let err = env.fails(&["backup", Env::path_str(&link)], 2);
    assert!(err.contains("never overwrites"), "{err}");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "precious");
}

/// Finding 5, the reproduction: with `<db>-writer` a symbolic link to a file of the
/// admin's, an import truncated that file (the note is emptied when the import ends).
#[test]
fn an_import_never_writes_the_writer_note_through_a_symlink() {
    let env = Env::new();
    env.new_employee("Ann", None);
    let target = env.file("notes.txt", "the admin's notes");
    let note = env.path("roster.db-writer");
    std::os::unix::fs::symlink(&target, &note).unwrap();
    let file = env.file("p.csv", "external_id,name\n1,Bo\n");
    env.import(&file, "podio", &[]);
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        "the admin's notes"
    );
    // The link was replaced by a note of roster's own.
    let meta = std::fs::symlink_metadata(&note).unwrap();
    assert!(meta.file_type().is_file(), "{meta:?}");
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
}

/// Finding 5: `check --fix` made the target of a symbolic link owner-only (chmod
/// follows links); now it reports the link and leaves the target's mode alone.
#[test]
fn check_fix_never_changes_the_mode_of_a_symlink_target() {
    let env = Env::new();
    env.new_employee("Ann", None);
    let target = env.file("shared.txt", "shared");
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::os::unix::fs::symlink(&target, env.path("roster.db-writer")).unwrap();
    let run = env.run(&["check", "--fix", "--json"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(mode(&target), 0o644);
    let report = run.json();
    let problem = &report["problems"][0];
    assert_eq!(problem["check"], "permissions", "{report}");
    assert_eq!(problem["fixable"], false, "{report}");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("symbolic link"),
        "{report}"
    );
}

/// Finding 14, the reproduction: `roster gen` overwrote an existing file (and followed
/// a symbolic link to do so).
#[test]
fn gen_refuses_an_existing_file_or_link_and_writes_nothing() {
    let env = Env::new();
    let out = env.path("gen");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("hr.csv"), "mine").unwrap();
    let err = env.fails(
        &["gen", "--employees", "10", "--out", Env::path_str(&out)],
        2,
    );
    assert!(err.contains("hr.csv exists"), "{err}");
    assert_eq!(std::fs::read_to_string(out.join("hr.csv")).unwrap(), "mine");
    assert!(!out.join("salesforce.csv").exists(), "half-written");

    std::fs::remove_file(out.join("hr.csv")).unwrap();
    let target = env.file("precious.txt", "precious");
    std::os::unix::fs::symlink(&target, out.join("pipedrive.json")).unwrap();
    let err = env.fails(
        &["gen", "--employees", "10", "--out", Env::path_str(&out)],
        2,
    );
    assert!(err.contains("pipedrive.json exists"), "{err}");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "precious");
    assert!(!out.join("salesforce.csv").exists(), "half-written");
}

/// Finding 14: under `umask 000` gen wrote its files 0666; now owner-only like the store.
#[test]
fn gen_writes_owner_only_files_under_umask_000() {
    let env = Env::new();
    let out = env.path("fresh/gen");
    let run = Command::new("sh")
        .arg("-c")
        .arg("umask 000; exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_roster"))
        .args(["gen", "--employees", "10", "--out", Env::path_str(&out)])
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(mode(&out), 0o700);
    for f in ["salesforce.csv", "hr.csv", "hubspot.json", "pipedrive.json"] {
        assert_eq!(mode(&out.join(f)), 0o600, "{f}");
    }
}

/// Finding 7, the reproduction: `roster --wait 2147484 list` (and `ROSTER_WAIT`)
/// panicked with exit 101 turning the seconds into SQLite's `i32` milliseconds.
#[test]
fn a_wait_past_the_limit_is_one_sentence_and_exit_2_not_a_panic() {
    let env = Env::new();
    let err = env.fails(&["--wait", "2147484", "list"], 2);
    assert!(err.contains("from 0 to 86400"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    let run = env.run_with(&["list"], |c| {
        c.env("ROSTER_WAIT", "99999999999");
    });
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("ROSTER_WAIT"), "{}", run.stderr);
    // The largest accepted wait works.
    env.ok(&["--wait", "86400", "list"]);
}
