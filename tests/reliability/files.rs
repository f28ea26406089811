//! Files and actor: the database, its folder, its WAL and shared-memory files, the
//! writer's note and the backups are owner-only even under a permissive umask, and
//! `roster check` says (and `--fix` repairs) when they are not; the audit log is
//! append-only; the actor comes from the OS user, with `--actor` beside it.

use crate::common;

use common::Env;
use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Stdio};

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p)
        .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        .permissions()
        .mode()
        & 0o777
}

fn beside(db: &Path, suffix: &str) -> std::path::PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push(suffix);
    s.into()
}

/// `roster ARGS` run with umask 000, as a careless shell might have it.
fn with_open_umask(db: &Path, args: &[&str]) -> Command {
    let mut c = Command::new("sh");
    c.arg("-c")
        .arg("umask 000; exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_roster"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("ROSTER_DB");
    c
}

#[test]
fn every_file_is_owner_only_even_under_umask_000() {
    let env = Env::new();
    let db = env.path("fresh/sub/roster.db");
    let out = with_open_umask(&db, &["new", "--name", "Ann"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(mode(&db), 0o600);
    assert_eq!(mode(db.parent().unwrap()), 0o700);
    assert_eq!(mode(db.parent().unwrap().parent().unwrap()), 0o700);
    // While an import holds the store, its WAL, shared-memory file and the writer's
    // note all exist: owner-only too.
    let file = env.file("p.csv", "external_id,name\n1,Bo\n");
    let mut import = with_open_umask(
        &db,
        &["import", file.to_str().unwrap(), "--system", "podio"],
    )
    .env("ROSTER_DEBUG_PAUSE", "import-written")
    .stdout(Stdio::null())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let mut line = String::new();
    BufReader::new(import.stderr.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(line.contains("paused at import-written"), "{line}");
    for suffix in ["-wal", "-shm", "-writer"] {
        assert_eq!(mode(&beside(&db, suffix)), 0o600, "{suffix}");
    }
    import.kill().unwrap();
    import.wait().unwrap();
    // A backup made under the same umask.
    let dest = env.path("copy.db");
    let out = with_open_umask(&db, &["backup", dest.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(mode(&dest), 0o600);
}

#[test]
fn check_finds_files_others_can_read_and_fix_makes_them_owner_only() {
    let env = Env::new();
    env.new_employee("Ann", None);
    std::fs::set_permissions(&env.db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let run = env.run(&["check", "--json"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let report = run.json();
    let found = &report["problems"][0];
    assert_eq!(found["check"], "permissions", "{report}");
    assert!(
        found["detail"].as_str().unwrap().contains("(mode 644)"),
        "{report}"
    );
    assert_eq!(found["fixable"], true);
    let fixed = env.json(&["check", "--fix"]);
    assert_eq!(fixed["ok"], true, "{fixed}");
    assert_eq!(mode(&env.db), 0o600);
}

#[test]
fn check_notices_a_missing_append_only_trigger() {
    let env = Env::new();
    env.new_employee("Ann", None);
    let db = rusqlite::Connection::open(&env.db).unwrap();
    db.execute_batch("DROP TRIGGER audit_is_append_only_d")
        .unwrap();
    drop(db);
    let run = env.run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .contains("audit-append-only: only 3 of the 4 triggers"),
        "{}",
        run.stdout
    );
}

/// The user this process runs as, by uid (not from the environment).
fn me() -> String {
    let out = Command::new("id").arg("-un").output().unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

#[test]
fn the_actor_is_the_os_user_whatever_the_environment_says() {
    let env = Env::new();
    let bare = |args: &[&str], envs: &[(&str, &str)]| {
        let mut c = env.bare();
        c.envs(envs.iter().copied());
        Env::succeeds(&mut c, args)
    };
    let spoof = [
        ("USER", "mallory"),
        ("LOGNAME", "mallory"),
        ("HOME", "/nonexistent"),
    ];
    bare(&["new", "--name", "Ann"], &spoof);
    let log = env.json(&["log", "--limit", "1"]);
    assert_eq!(log[0]["os_user"], me(), "{log}");
    assert_eq!(log[0]["actor"], me());
    // --actor is recorded beside the OS user, never instead of it; the SSH client
    // address too.
    let mut with_ssh = spoof.to_vec();
    with_ssh.push(("SSH_CLIENT", "198.51.100.4 50000 22"));
    bare(
        &[
            "--actor",
            "mallory",
            "connect",
            "1",
            "--system",
            "hubspot",
            "--external-id",
            "7",
        ],
        &with_ssh,
    );
    let log = env.json(&["log", "--limit", "1"]);
    assert_eq!(log[0]["actor"], "mallory");
    assert_eq!(log[0]["os_user"], me());
    assert_eq!(log[0]["ssh_client"], "198.51.100.4");
    let conn = &env.show("1")["connections"][0];
    assert_eq!(
        conn["created_by"],
        format!("{} (as mallory) from 198.51.100.4", me())
    );
    let text = bare(&["log", "--limit", "1"], &[]);
    assert!(
        text.contains(&format!("{} (as mallory) from 198.51.100.4", me())),
        "{text}"
    );
    // An import run records the same.
    let file = env.file("h.csv", "external_id,email\n8,bo@x.io\n");
    bare(
        &[
            "--actor",
            "cron",
            "import",
            file.to_str().unwrap(),
            "--system",
            "hubspot",
        ],
        &with_ssh,
    );
    let c = rusqlite::Connection::open(&env.db).unwrap();
    let actor: String = c
        .query_row("SELECT actor FROM import_runs", [], |r| r.get(0))
        .unwrap();
    assert_eq!(actor, format!("{} (as cron) from 198.51.100.4", me()));
    // An empty --actor is no actor: the OS user.
    bare(&["--actor", " ", "new", "--name", "Bo"], &[]);
    let log = env.json(&["log", "--limit", "1"]);
    assert_eq!(log[0]["actor"], me());
}
