//! One ops box, several admins (README "Sharing one store on an ops box"): a store set
//! up by `roster setup --shared`, used by several Unix users at once. The tests act as
//! those users with `setpriv` (numeric uids and gids: no user is created on the box), so
//! they need root. Without root they cannot prove anything: they say SKIPPED on stderr,
//! and under CI (where the suite runs as root) a missing root fails the test instead.
//!
//! The cast: 5001 and 5002 are admins (group 5100), 5003 a viewer listed in the system
//! config (and in the group, to read the files), 5004 a user whose files give read access
//! only (group 5200), 5005 an outsider.

use crate::common::Tables;
use crate::pty;

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_roster");
const SETPRIV: &str = "/usr/bin/setpriv";
const ADMINS: u32 = 5100;
const ALICE: u32 = 5001;
const BOB: u32 = 5002;
const VIEWER: u32 = 5003;
const READER: u32 = 5004;
const READERS: u32 = 5200;
const OUTSIDER: u32 = 5005;

/// Whether this test can act as other users. When not, says so loudly; under CI (which
/// runs as root) that is a failure, never a silent pass.
fn can_switch_users(test: &str) -> bool {
    let root = roster::users::is_root();
    let setpriv = Path::new(SETPRIV).exists();
    if root && setpriv {
        return true;
    }
    let why = if root {
        "/usr/bin/setpriv is missing"
    } else {
        "not running as root"
    };
    // Written past the test harness's capture (which only takes the print macros), so
    // that a skip shows in every run, passing or not.
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED {test}: {why}; it needs to act as other users (see tests/reliability/shared.rs)"
    );
    assert!(
        std::env::var_os("CI").is_none(),
        "{test} cannot run under CI: {why}"
    );
    false
}

/// The name roster shows for a uid on this box (its number when it has none).
fn name(uid: u32) -> String {
    roster::users::user_name(uid)
}

/// A scratch ops box: a folder everyone can reach, the shared store's folder in it,
/// the system config, and a home for each user.
struct OpsBox {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    dir: PathBuf,
    db: PathBuf,
    config: PathBuf,
}

impl OpsBox {
    /// Runs `roster setup --shared` as root under umask 077 (the store still comes out
    /// group read-write).
    fn set_up() -> OpsBox {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().to_owned();
        std::fs::set_permissions(&root, std::fs::Permissions::from_mode(0o755)).unwrap();
        let dir = root.join("srv/roster");
        let config = root.join("etc/roster/roster.toml");
        let b = OpsBox {
            db: dir.join("roster.db"),
            _tmp: tmp,
            root,
            dir,
            config,
        };
        let out = Command::new("sh")
            .arg("-c")
            .arg("umask 077; exec \"$0\" \"$@\"")
            .arg(BIN)
            .args(["setup", "--shared"])
            .arg(&b.dir)
            .args(["--group", &ADMINS.to_string(), "--config"])
            .arg(&b.config)
            .env_remove("ROSTER_DB")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "setup: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(said.contains("Shared store ready"), "{said}");
        b
    }

    /// A home for `uid`, its own.
    fn home(&self, uid: u32) -> PathBuf {
        let home = self.root.join(format!("home/{uid}"));
        if !home.exists() {
            std::fs::create_dir_all(&home).unwrap();
            std::os::unix::fs::chown(&home, Some(uid), Some(uid)).unwrap();
        }
        home
    }

    /// `roster ARGS` as `uid` with the supplementary `groups`, under `umask`, with a
    /// clean environment: its own HOME, the system config given as ROSTER_CONFIG (the
    /// box's real /etc is left alone), nothing else that names a store.
    fn as_user(&self, uid: u32, groups: &[u32], umask: &str, args: &[&str]) -> Command {
        let mut c = Command::new(SETPRIV);
        c.arg(format!("--reuid={uid}"))
            .arg(format!("--regid={uid}"));
        if groups.is_empty() {
            c.arg("--clear-groups");
        } else {
            let list: Vec<String> = groups.iter().map(u32::to_string).collect();
            c.arg(format!("--groups={}", list.join(",")));
        }
        c.args(["sh", "-c", &format!("umask {umask}; exec \"$0\" \"$@\"")])
            .arg(BIN)
            .args(args)
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .env("HOME", self.home(uid))
            .env("ROSTER_CONFIG", &self.config);
        c
    }

    fn run(&self, uid: u32, groups: &[u32], args: &[&str]) -> Output {
        self.as_user(uid, groups, "022", args).output().unwrap()
    }

    /// Runs and expects success; returns stdout.
    fn ok(&self, uid: u32, groups: &[u32], args: &[&str]) -> String {
        let out = self.run(uid, groups, args);
        assert!(
            out.status.success(),
            "roster {args:?} as {uid} failed ({:?}): {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn admin(&self, uid: u32, args: &[&str]) -> String {
        self.ok(uid, &[ADMINS], args)
    }

    fn json(&self, uid: u32, args: &[&str]) -> serde_json::Value {
        serde_json::from_str(&self.admin(uid, args)).unwrap()
    }

    fn write_config(&self, text: &str) {
        std::fs::write(&self.config, text).unwrap();
    }

    /// Every file and folder of the store's folder, and what is wrong with its mode for
    /// a store shared by ADMINS (a world bit, another group, no group write, a folder
    /// without setgid).
    fn off_modes(&self) -> Vec<String> {
        let mut off = Vec::new();
        let mut paths = vec![self.dir.clone()];
        let mut i = 0;
        while i < paths.len() {
            let p = paths[i].clone();
            i += 1;
            let meta = std::fs::symlink_metadata(&p).unwrap();
            let bits = meta.permissions().mode() & 0o7777;
            let what = format!("{} {bits:o} gid {}", p.display(), meta.gid());
            if bits & 0o007 != 0 {
                off.push(format!("{what}: a world bit"));
            }
            if meta.gid() != ADMINS {
                off.push(format!("{what}: not the group's"));
            }
            if meta.is_dir() {
                if bits != 0o2770 {
                    off.push(format!("{what}: a folder not 2770"));
                }
                for e in std::fs::read_dir(&p).unwrap() {
                    paths.push(e.unwrap().path());
                }
            } else if bits & 0o060 != 0o060 {
                off.push(format!("{what}: the group cannot read and write it"));
            }
        }
        off
    }
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn beside(db: &Path, suffix: &str) -> PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push(suffix);
    s.into()
}

#[test]
fn setup_makes_a_store_the_group_shares_and_a_config_that_names_it() {
    if !can_switch_users("setup_makes_a_store_the_group_shares_and_a_config_that_names_it") {
        return;
    }
    let b = OpsBox::set_up();
    let dir = std::fs::metadata(&b.dir).unwrap();
    assert_eq!(dir.permissions().mode() & 0o7777, 0o2770);
    assert_eq!(dir.gid(), ADMINS);
    for suffix in ["", "-wal", "-shm"] {
        let f = std::fs::metadata(beside(&b.db, suffix)).unwrap();
        assert_eq!(f.permissions().mode() & 0o7777, 0o660, "{suffix}");
        assert_eq!(f.gid(), ADMINS, "{suffix}");
    }
    let config = std::fs::read_to_string(&b.config).unwrap();
    assert!(
        config.contains(&format!("db = \"{}\"", b.db.display())),
        "{config}"
    );
    assert_eq!(
        std::fs::metadata(&b.config).unwrap().permissions().mode() & 0o777,
        0o644
    );
    assert!(b.off_modes().is_empty(), "{:?}", b.off_modes());
    // Run again: nothing to change, nothing logged twice.
    let again = Command::new(BIN)
        .args(["setup", "--shared"])
        .arg(&b.dir)
        .args(["--group", &ADMINS.to_string(), "--config"])
        .arg(&b.config)
        .output()
        .unwrap();
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        String::from_utf8_lossy(&again.stdout).contains("names the store already"),
        "{}",
        String::from_utf8_lossy(&again.stdout)
    );
    let log = b.json(ALICE, &["log", "--json"]);
    assert_eq!(log.as_array().unwrap().len(), 1, "{log}");
    assert_eq!(log[0]["action"], "setup");
    // A config that names another store is not silently repointed.
    let other = b.root.join("other.toml");
    std::fs::write(&other, "db = \"/elsewhere/roster.db\"\n").unwrap();
    let refused = Command::new(BIN)
        .args(["setup", "--shared"])
        .arg(&b.dir)
        .args(["--group", &ADMINS.to_string(), "--config"])
        .arg(&other)
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    assert!(stderr(&refused).contains("already names the store /elsewhere/roster.db"));
    // Only root or a member sets up a store for a group.
    let out = b.run(
        OUTSIDER,
        &[],
        &[
            "setup",
            "--shared",
            "/tmp/x",
            "--group",
            &ADMINS.to_string(),
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("Only root or a member of group"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn two_members_change_one_store_and_the_log_names_each_viewers_read_outsiders_are_refused() {
    if !can_switch_users(
        "two_members_change_one_store_and_the_log_names_each_viewers_read_outsiders_are_refused",
    ) {
        return;
    }
    let b = OpsBox::set_up();
    // Alice (umask 077) and Bob (umask 000) change the same store; what each leaves
    // beside it is the group's, with no world bit.
    let csv = b.root.join("owners.csv");
    std::fs::write(&csv, "external_id,email,name\nh1,cy@example.com,Cy\n").unwrap();
    std::fs::set_permissions(&csv, std::fs::Permissions::from_mode(0o644)).unwrap();
    let alice = |args: &[&str]| {
        let out = b.as_user(ALICE, &[ADMINS], "077", args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    };
    alice(&["new", "--name", "Ann"]);
    alice(&["import", csv.to_str().unwrap(), "--system", "hubspot"]);
    alice(&["backup", b.dir.join("backup-1.db").to_str().unwrap()]);
    let bob = |args: &[&str]| {
        let out = b.as_user(BOB, &[ADMINS], "000", args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    };
    bob(&["edit", "1", "--name", "Ann Lee"]);
    bob(&["deactivate", "2"]);
    bob(&["undo", "--yes"]);
    bob(&["backup", b.dir.join("backup-2.db").to_str().unwrap()]);
    // A backup written outside the folder is the group's too.
    let outside = b.root.join("backups");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::set_permissions(&outside, std::fs::Permissions::from_mode(0o777)).unwrap();
    bob(&["backup", outside.join("b.db").to_str().unwrap()]);
    let copy = std::fs::metadata(outside.join("b.db")).unwrap();
    assert_eq!(
        (copy.permissions().mode() & 0o777, copy.gid()),
        (0o660, ADMINS)
    );
    let log = b.json(ALICE, &["log", "--json"]);
    let by: Vec<(String, String)> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_owned(),
                e["os_user"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let (a, bb) = (name(ALICE), name(BOB));
    assert_eq!(
        by,
        [
            ("undo".to_owned(), bb.clone()),
            ("deactivate".to_owned(), bb.clone()),
            ("edit".to_owned(), bb.clone()),
            ("import".to_owned(), a.clone()),
            ("new".to_owned(), a.clone()),
            ("setup".to_owned(), "root".to_owned()),
        ]
    );
    // The human log names them too.
    let human = b.admin(BOB, &["log"]);
    assert!(
        human
            .lines()
            .any(|l| l.contains(&format!(" {a} ")) && l.contains("new")),
        "{human}"
    );
    assert!(
        human
            .lines()
            .any(|l| l.contains(&format!(" {bb} ")) && l.contains("edit")),
        "{human}"
    );

    // A viewer named in the system config reads everything and changes nothing; every
    // change is refused up front, in one sentence, with exit status 2.
    let config = std::fs::read_to_string(&b.config).unwrap();
    b.write_config(&config.replace("viewers = []", &format!("viewers = [{VIEWER}]")));
    let before = Tables::of(&b.db);
    let viewer = |args: &[&str]| b.run(VIEWER, &[ADMINS], args);
    for read in [
        &["list"][..],
        &["show", "1"],
        &["log"],
        &["check"],
        &["merge", "1", "2"],
        &[
            "import",
            csv.to_str().unwrap(),
            "--system",
            "hubspot",
            "--dry-run",
        ],
        &["settings", "review"],
    ] {
        let out = viewer(read);
        assert!(out.status.success(), "{read:?}: {}", stderr(&out));
    }
    assert!(String::from_utf8_lossy(&viewer(&["list"]).stdout).contains("Ann Lee"));
    let sentence = format!(
        "roster: read-only: {} is a viewer in {}; nothing was changed.\n",
        name(VIEWER),
        b.config.display()
    );
    let changes: [&[&str]; 16] = [
        &["new", "--name", "Zed"],
        &["edit", "1", "--name", "X"],
        &[
            "connect",
            "1",
            "--system",
            "salesforce",
            "--external-id",
            "s9",
        ],
        &["manage", "2", "--system", "hubspot"],
        &["unmanage", "2"],
        &["move", "2", "--system", "hubspot"],
        &["remove", "2", "--system", "hubspot", "--block"],
        &["merge", "1", "2", "--yes"],
        &["activate", "1"],
        &["deactivate", "1"],
        &["discard", "1"],
        &["undo", "--yes"],
        &["import", csv.to_str().unwrap(), "--system", "hubspot"],
        &["settings", "review", "manual"],
        &["check", "--fix"],
        // A selector that names nobody: still refused up front, before it is looked up.
        &["edit", "999", "--name", "X"],
    ];
    for change in changes {
        let out = viewer(change);
        assert_eq!(out.status.code(), Some(2), "{change:?}: {}", stderr(&out));
        assert_eq!(stderr(&out), sentence, "{change:?}");
    }
    // Pointing --config at a file of one's own, or --db at the store, escapes nothing:
    // the viewers come from the config the store names.
    let own = b.home(VIEWER).join("mine.toml");
    std::fs::write(&own, format!("db = \"{}\"\n", b.db.display())).unwrap();
    for escape in [
        vec!["--config", own.to_str().unwrap(), "new", "--name", "Zed"],
        vec!["--db", b.db.to_str().unwrap(), "new", "--name", "Zed"],
    ] {
        let out = viewer(&escape);
        assert_eq!(out.status.code(), Some(2), "{escape:?}: {}", stderr(&out));
        assert_eq!(stderr(&out), sentence, "{escape:?}");
    }
    before.assert_same(&Tables::of(&b.db), "the viewer's refused changes");

    // An outsider is told whom to ask, and nothing is created for them (no store, no
    // folder in their home).
    let home = b.home(OUTSIDER);
    for args in [
        &["list"][..],
        &["new", "--name", "Zed"],
        &["--db", b.db.to_str().unwrap(), "list"],
    ] {
        let out = b.run(OUTSIDER, &[], args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        let said = stderr(&out);
        assert_eq!(said.lines().count(), 1, "{said}");
        assert!(
            said.contains(&format!("cannot open the store {}", b.db.display()))
                && said.contains(&format!("group {}", roster::users::group_name(ADMINS)))
                && said.contains("to add you"),
            "{said}"
        );
        assert!(!said.contains("database"), "{said}");
    }
    assert_eq!(
        std::fs::read_dir(&home).unwrap().count(),
        0,
        "something was created in the outsider's home"
    );

    // After all of them the store checks clean, and no file has a world bit.
    let check = b.admin(ALICE, &["check"]);
    assert!(check.starts_with("ok:"), "{check}");
    assert!(b.off_modes().is_empty(), "{:#?}", b.off_modes());
    before.assert_same(&Tables::of(&b.db), "the outsider's attempts");
}

#[test]
fn a_user_the_files_let_only_read_gets_a_read_only_store_enforced_by_the_os() {
    if !can_switch_users("a_user_the_files_let_only_read_gets_a_read_only_store_enforced_by_the_os")
    {
        return;
    }
    // Alice's own store, in a folder that lets group 5200 read, not write.
    let b = OpsBox::set_up();
    let dir = b.root.join("alice");
    std::fs::create_dir(&dir).unwrap();
    std::os::unix::fs::chown(&dir, Some(ALICE), Some(READERS)).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o2750)).unwrap();
    let db = dir.join("r.db");
    let d = db.to_str().unwrap();
    b.ok(ALICE, &[READERS], &["--db", d, "new", "--name", "Ann"]);
    for suffix in ["", "-wal", "-shm"] {
        std::fs::set_permissions(beside(&db, suffix), std::fs::Permissions::from_mode(0o640))
            .unwrap();
    }
    // Alice's app is open meanwhile? Not needed: the -wal and -shm files stay.
    assert!(beside(&db, "-wal").exists() && beside(&db, "-shm").exists());
    let before = Tables::of(&db);
    // (Reading it as root above removed them; Alice's next command puts them back.)
    b.ok(ALICE, &[READERS], &["--db", d, "list"]);
    let list = b.ok(READER, &[READERS], &["--db", d, "list"]);
    assert!(list.contains("Ann"), "{list}");
    b.ok(READER, &[READERS], &["--db", d, "log"]);
    // While Alice writes, the reader sees her changes.
    b.ok(ALICE, &[READERS], &["--db", d, "new", "--name", "Bo"]);
    assert!(
        b.ok(READER, &[READERS], &["--db", d, "list"])
            .contains("Bo")
    );
    let before_refused = Tables::of(&db);
    b.ok(ALICE, &[READERS], &["--db", d, "list"]);
    for change in [
        &["new", "--name", "Zed"][..],
        &["undo", "--yes"],
        &["check", "--fix"],
    ] {
        let mut args = vec!["--db", d];
        args.extend_from_slice(change);
        let out = b.run(READER, &[READERS], &args);
        assert_eq!(out.status.code(), Some(2), "{change:?}: {}", stderr(&out));
        let said = stderr(&out);
        assert!(
            said.starts_with(&format!(
                "roster: read-only: you cannot write to {d} (mode 640"
            )),
            "{said}"
        );
        assert!(
            !said.to_lowercase().contains("sqlite") && !said.contains("readonly database"),
            "{said}"
        );
    }
    before_refused.assert_same(&Tables::of(&db), "the reader's refused changes");
    drop(before);
}

#[test]
fn check_fix_gives_a_shared_store_its_mode_back_not_owner_only() {
    if !can_switch_users("check_fix_gives_a_shared_store_its_mode_back_not_owner_only") {
        return;
    }
    let b = OpsBox::set_up();
    b.admin(ALICE, &["new", "--name", "Ann"]);
    // What careless hands do: world bits, another group, no setgid.
    let set = |p: &Path, mode: u32| {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap()
    };
    set(&b.db, 0o666);
    set(&beside(&b.db, "-wal"), 0o664);
    // A note of Alice's that went to the wrong group.
    let note = beside(&b.db, "-writer");
    std::fs::write(&note, "").unwrap();
    std::os::unix::fs::chown(&note, Some(ALICE), Some(0)).unwrap();
    set(&note, 0o600);
    set(&b.dir, 0o770);
    let run = b.run(ALICE, &[ADMINS], &["check", "--json"]);
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let details: Vec<&str> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["detail"].as_str().unwrap())
        .collect();
    assert_eq!(details.len(), 4, "{details:#?}");
    let found = |what: &str| details.iter().any(|d| d.contains(what));
    assert!(
        found("roster.db (mode 666): everyone on the box can reach it"),
        "{details:#?}"
    );
    assert!(
        found("roster.db-wal (mode 664): everyone on the box can reach it"),
        "{details:#?}"
    );
    assert!(
        found("roster.db-writer (mode 600): it belongs to group"),
        "{details:#?}"
    );
    assert!(found("(mode 770): it is not setgid"), "{details:#?}");
    assert!(found("in a store shared by group"), "{details:#?}");
    // Alice fixes what is hers (the note) and is told what only root can (setup ran as
    // root, so the store and its folder are root's). Never owner-only.
    let out = b.run(ALICE, &[ADMINS], &["check", "--fix"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let said = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        said.matches("roster could not change it").count(),
        3,
        "{said}"
    );
    let note_meta = std::fs::metadata(&note).unwrap();
    assert_eq!(
        (note_meta.permissions().mode() & 0o777, note_meta.gid()),
        (0o660, ADMINS)
    );
    let out = Command::new(BIN)
        .args(["--db", b.db.to_str().unwrap(), "check", "--fix"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        stderr(&out)
    );
    assert!(b.off_modes().is_empty(), "{:#?}", b.off_modes());
    let log = b.json(ALICE, &["log", "--json", "--limit", "2"]);
    for entry in log.as_array().unwrap() {
        assert_eq!(entry["action"], "check-fix", "{log}");
        assert!(
            entry["summary"]
                .as_str()
                .unwrap()
                .contains("the shared mode of group"),
            "{log}"
        );
    }
}

/// Waits until `f` holds for the app's screen; returns how long that took.
fn timed(app: &pty::App, what: &str, f: impl Fn(&str) -> bool) -> Duration {
    let start = Instant::now();
    app.wait_until(what, f);
    start.elapsed()
}

#[test]
fn a_members_app_sees_another_members_change_and_who_is_here() {
    if !can_switch_users("a_members_app_sees_another_members_change_and_who_is_here") {
        return;
    }
    let b = OpsBox::set_up();
    b.admin(ALICE, &["new", "--name", "Ann"]);
    let config = std::fs::read_to_string(&b.config).unwrap();
    b.write_config(&config.replace("viewers = []", &format!("viewers = [{VIEWER}]")));
    let app_as = |uid: u32| {
        let groups = format!("--groups={ADMINS}");
        let (reuid, regid) = (format!("--reuid={uid}"), format!("--regid={uid}"));
        pty::App::spawn_program(
            SETPRIV,
            &[&reuid, &regid, &groups, BIN],
            // Room beside the tabs and the review count for who is here.
            120,
            30,
            &[
                ("HOME", b.home(uid).to_str().unwrap()),
                ("ROSTER_CONFIG", b.config.to_str().unwrap()),
                ("ROSTER_DB", ""),
            ],
        )
    };
    let mut a = app_as(ALICE);
    a.wait_for("Ann");
    a.wait_for(&format!("{} · no one else here", name(ALICE)));
    let mut bob = app_as(BOB);
    bob.wait_for("Ann");
    a.wait_for(&format!("also here: {}", name(BOB)));
    bob.wait_for(&format!("also here: {}", name(ALICE)));
    // Bob's change (from the command line, as a script would) shows in Alice's app
    // without a key pressed.
    b.admin(BOB, &["new", "--name", "Bea Stone"]);
    let took = timed(&a, "Bob's new profile in Alice's app", |s| {
        s.contains("Bea Stone")
    });
    // No key was pressed: an app that reads again only on a key never shows it, and
    // `timed` fails after its patience. How soon it shows (every half second, idle turns
    // every quarter) is a matter of speed, printed here, not judged against the clock
    // of a loaded machine.
    eprintln!("Alice's app showed Bob's change after {took:?}");
    // A change made in Bob's app shows in Alice's too.
    bob.wait_for("Bea Stone");
    bob.keys("d");
    bob.wait_for("Deactivate (y)");
    bob.keys("y");
    bob.wait_for("Deactivated Ann");
    let took = timed(&a, "Bob's deactivation in Alice's app", |s| {
        s.lines().any(|l| l.contains("Active 1 "))
    });
    eprintln!("Alice's app showed Bob's deactivation after {took:?}");
    // A viewer's app says it is read-only and refuses a change on the status line.
    let mut v = app_as(VIEWER);
    v.wait_for("read-only");
    a.wait_for("2 others here");
    v.keys("N");
    v.wait_for(&format!("read-only: {} is a viewer in", name(VIEWER)));
    v.keys("q");
    v.wait_exit();
    // Bob's session killed: no cleanup ran, yet Alice soon sees she is alone.
    unsafe {
        libc::kill(bob.pid(), libc::SIGKILL);
    }
    bob.wait_exit();
    a.wait_for(&format!("{} · no one else here", name(ALICE)));
    a.keys("q");
    a.wait_exit();
    let log = b.json(ALICE, &["log", "--json"]);
    let users: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["os_user"].as_str().unwrap())
        .collect();
    assert_eq!(users[..3], [name(BOB), name(BOB), name(ALICE)], "{log}");
    assert!(b.off_modes().is_empty(), "{:#?}", b.off_modes());
}
