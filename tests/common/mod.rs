//! Helpers for tests that drive the real `roster` binary against a fresh database.
#![allow(dead_code)]

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// The outcome of one run of the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr: {}",
                self.stdout, self.stderr
            )
        })
    }
}

pub struct Env {
    pub dir: TempDir,
    pub db: PathBuf,
}

impl Default for Env {
    fn default() -> Self {
        Env::new()
    }
}

impl Env {
    pub fn new() -> Env {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("roster.db");
        Env { dir, db }
    }

    /// `roster --db <db> --actor tester`, with a clean environment for the database.
    pub fn cmd(&self) -> Command {
        let mut c = self.bare();
        c.arg("--actor").arg("tester");
        c
    }

    /// `roster --db <db>` without `--actor` (the actor is then the OS user).
    pub fn bare(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_roster"));
        c.env_remove("ROSTER_DB")
            .env_remove("ROSTER_WAIT")
            .env_remove("ROSTER_DEBUG_PAUSE")
            .env_remove("SSH_CLIENT")
            .arg("--db")
            .arg(&self.db);
        c
    }

    /// Runs `c` with `args`, which must succeed; returns its stdout.
    pub fn succeeds(c: &mut Command, args: &[&str]) -> String {
        let out = c.args(args).output().expect("run roster");
        assert!(
            out.status.success(),
            "roster {args:?} failed ({:?}): {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 output")
    }

    /// Runs a command, whatever its outcome.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with(args, |_| {})
    }

    /// Runs a command after `f` adjusted it (environment, more arguments).
    pub fn run_with(&self, args: &[&str], f: impl FnOnce(&mut Command)) -> Run {
        let mut c = self.cmd();
        c.args(args);
        f(&mut c);
        let out = c.output().expect("run roster");
        let run = Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        assert!(
            !run.stderr.contains("panicked"),
            "roster {args:?} panicked: {}",
            run.stderr
        );
        run
    }

    /// A path inside the test's folder.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Runs a command that must succeed; returns its stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        Env::succeeds(&mut self.cmd(), args)
    }

    /// Runs a command that must succeed and print JSON.
    pub fn json(&self, args: &[&str]) -> Value {
        let mut all: Vec<&str> = args.to_vec();
        all.push("--json");
        let text = self.ok(&all);
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
    }

    /// Runs a command that must fail with `code` and a message (never a panic); returns
    /// its stderr.
    pub fn fails(&self, args: &[&str], code: i32) -> String {
        let out = self.cmd().args(args).output().expect("run roster");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(
            !stderr.contains("panicked"),
            "roster {args:?} panicked: {stderr}"
        );
        assert!(stderr.starts_with("roster: "), "roster {args:?}: {stderr}");
        assert_eq!(
            out.status.code(),
            Some(code),
            "roster {args:?}: expected exit {code}; stdout: {} stderr: {stderr}",
            String::from_utf8_lossy(&out.stdout)
        );
        stderr
    }

    /// Writes a file into the test's folder.
    pub fn file(&self, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, content).expect("write test file");
        path
    }

    pub fn path_str(p: &Path) -> &str {
        p.to_str().expect("utf-8 path")
    }

    /// `roster import FILE --system S [extra] --json`, which must succeed.
    pub fn import(&self, file: &Path, system: &str, extra: &[&str]) -> Value {
        let mut args = vec!["import", Env::path_str(file), "--system", system];
        args.extend_from_slice(extra);
        self.json(&args)
    }

    pub fn show(&self, selector: &str) -> Value {
        self.json(&["show", selector])
    }

    pub fn list(&self) -> Vec<Value> {
        match self.json(&["list", "--tab", "all"]) {
            Value::Array(rows) => rows,
            v => panic!("list is not an array: {v}"),
        }
    }

    /// Everything a user can see of the store: every profile with its connections, and
    /// the audit log. Two dumps are equal when the store's content is.
    pub fn dump(&self) -> String {
        if !self.db.exists() {
            return String::new();
        }
        let mut out = String::new();
        for row in self.list() {
            let id = row["id"].as_i64().expect("id").to_string();
            out.push_str(&self.show(&id).to_string());
            out.push('\n');
        }
        out.push_str(&self.json(&["log", "--limit", "100000"]).to_string());
        out
    }

    /// Every row of every table: what "nothing was written" compares.
    pub fn tables(&self) -> Tables {
        Tables::of(&self.db)
    }

    /// The employee id holding `system:external_id`.
    pub fn holder(&self, system: &str, external_id: &str) -> i64 {
        self.show(&format!("{system}:{external_id}"))["id"]
            .as_i64()
            .expect("id")
    }

    pub fn new_employee(&self, name: &str, email: Option<&str>) -> i64 {
        let mut args = vec!["new", "--name", name];
        if let Some(e) = email {
            args.extend_from_slice(&["--email", e]);
        }
        self.json(&args)["id"].as_i64().expect("id")
    }
}

/// The connections of a `show` answer as (system, external_id) pairs.
pub fn conn_keys(profile: &Value) -> Vec<(String, String)> {
    profile["connections"]
        .as_array()
        .expect("connections")
        .iter()
        .map(|c| {
            (
                c["system"].as_str().unwrap().to_owned(),
                c["external_id"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The connection `system:external_id` of a `show` answer.
pub fn conn<'a>(profile: &'a Value, system: &str, external_id: &str) -> &'a Value {
    profile["connections"]
        .as_array()
        .expect("connections")
        .iter()
        .find(|c| c["system"] == system && c["external_id"] == external_id)
        .unwrap_or_else(|| panic!("no {system}:{external_id} in {profile}"))
}

/// Every row of every table of a store, as text: the tables are read from `sqlite_schema`,
/// so that a table added later is in the dump without anyone remembering to add it. Two
/// dumps are equal when nothing at all was written (ids, versions, timestamps, audit,
/// import runs, blocks, settings, tab counts, sequences and the schema version included).
#[derive(Clone, PartialEq, Eq)]
pub struct Tables(std::collections::BTreeMap<String, Vec<String>>);

impl Tables {
    /// Reads `db` on a connection of its own (which first recovers what a killed writer
    /// left in the WAL, as the next roster would). An absent file is an empty dump.
    pub fn of(db: &Path) -> Tables {
        let mut out = std::collections::BTreeMap::new();
        if !db.exists() {
            return Tables(out);
        }
        let c = rusqlite::Connection::open(db).expect("open the store to dump it");
        let version: i64 = c
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .expect("user_version");
        out.insert("(user_version)".to_owned(), vec![version.to_string()]);
        let names: Vec<String> = c
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
            .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
            .expect("table names");
        for name in names {
            let mut stmt = c
                .prepare(&format!("SELECT * FROM \"{}\"", name.replace('"', "\"\"")))
                .expect("select");
            let columns: Vec<String> = stmt.column_names().map(str::to_owned).collect();
            let mut rows: Vec<String> = stmt
                .query_map([], |r| {
                    let cells: Vec<String> = (0..columns.len())
                        .map(|i| {
                            let cell = match r.get_ref(i)? {
                                rusqlite::types::ValueRef::Null => "NULL".to_owned(),
                                rusqlite::types::ValueRef::Integer(n) => n.to_string(),
                                rusqlite::types::ValueRef::Real(f) => format!("{f:?}"),
                                rusqlite::types::ValueRef::Text(t) => {
                                    format!("{:?}", String::from_utf8_lossy(t))
                                }
                                rusqlite::types::ValueRef::Blob(b) => format!("x'{b:02x?}'"),
                            };
                            Ok(format!("{}={cell}", columns[i]))
                        })
                        .collect::<rusqlite::Result<_>>()?;
                    Ok(cells.join(" "))
                })
                .and_then(|rows| rows.collect())
                .expect("rows");
            rows.sort();
            out.insert(name, rows);
        }
        Tables(out)
    }

    /// The rows of one table.
    pub fn rows(&self, table: &str) -> &[String] {
        self.0.get(table).map(Vec::as_slice).unwrap_or_default()
    }

    /// The names of the tables dumped.
    pub fn names(&self) -> Vec<&str> {
        self.0.keys().map(String::as_str).collect()
    }

    /// Panics, naming `what`, with the rows that differ table by table, unless `after`
    /// holds exactly the rows of `self`.
    pub fn assert_same(&self, after: &Tables, what: &str) {
        if self == after {
            return;
        }
        let mut diff = String::new();
        let names: std::collections::BTreeSet<&String> =
            self.0.keys().chain(after.0.keys()).collect();
        for name in names {
            let (a, b) = (self.rows(name), after.rows(name));
            let gone: Vec<&String> = a.iter().filter(|r| !b.contains(r)).collect();
            let new: Vec<&String> = b.iter().filter(|r| !a.contains(r)).collect();
            if gone.is_empty() && new.is_empty() && a.len() == b.len() {
                continue;
            }
            diff.push_str(&format!("table {name}:\n"));
            for r in gone {
                diff.push_str(&format!("  - {r}\n"));
            }
            for r in new {
                diff.push_str(&format!("  + {r}\n"));
            }
        }
        panic!("{what}: the store changed\n{diff}");
    }
}

impl std::fmt::Debug for Tables {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (name, rows) in &self.0 {
            writeln!(f, "table {name}:")?;
            for r in rows {
                writeln!(f, "  {r}")?;
            }
        }
        Ok(())
    }
}

/// How long a test waits for something that should take a moment (a process to pause,
/// a line to come, an app to end) before it calls it a failure: generous, because the
/// machines that run the tests are shared and slow at times. Never a measure of speed.
pub const PATIENCE: std::time::Duration = std::time::Duration::from_secs(120);

/// A child process whose stderr is read line by line on a thread of its own (joined when
/// the child is done with), each line stamped with when it came: the test waits for
/// what the child says instead of sleeping, and learns which debug points
/// (`ROSTER_DEBUG_PAUSE`, "roster-debug: paused at POINT") it passed.
pub struct Watched {
    pub child: std::process::Child,
    pub started: std::time::Instant,
    lines: std::sync::mpsc::Receiver<(std::time::Instant, String)>,
    reader: Option<std::thread::JoinHandle<()>>,
    /// The lines taken so far, with the time since the start.
    pub said: Vec<(std::time::Duration, String)>,
}

impl Watched {
    /// Spawns `cmd` with its stderr piped to the reading thread.
    pub fn spawn(cmd: &mut std::process::Command) -> Watched {
        use std::io::BufRead;
        let started = std::time::Instant::now();
        let mut child = cmd
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn roster");
        let err = child.stderr.take().expect("stderr");
        let (tx, lines) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in std::io::BufReader::new(err).lines() {
                let Ok(line) = line else { return };
                if tx.send((std::time::Instant::now(), line)).is_err() {
                    return;
                }
            }
        });
        Watched {
            child,
            started,
            lines,
            reader: Some(reader),
            said: Vec::new(),
        }
    }

    fn take(&mut self, line: (std::time::Instant, String)) {
        self.said.push((line.0 - self.started, line.1));
    }

    /// Waits until the child says `line` (exactly, after trimming); panics with what it
    /// said when it ends first or stays silent for `PATIENCE`.
    pub fn wait_for(&mut self, line: &str) {
        if self.said.iter().any(|(_, l)| l.trim_end() == line) {
            return;
        }
        loop {
            match self.lines.recv_timeout(PATIENCE) {
                Ok(l) => {
                    let found = l.1.trim_end() == line;
                    self.take(l);
                    if found {
                        return;
                    }
                }
                Err(e) => panic!(
                    "waiting for {line:?}: {e:?}; the child said: {:?}",
                    self.said
                ),
            }
        }
    }

    /// Waits until the child pauses at (or passes) the debug point `point`.
    pub fn wait_for_point(&mut self, point: &str) {
        self.wait_for(&format!("roster-debug: paused at {point}"));
    }

    /// SIGKILL; true when the child had ended by itself, successfully, before it. Then
    /// the reading thread is joined, so that `said` holds everything the child said.
    pub fn kill9(&mut self) -> bool {
        let ended = self.child.try_wait().expect("try_wait").is_some();
        let _ = self.child.kill();
        let status = self.child.wait().expect("wait");
        self.join();
        ended && status.success()
    }

    /// Waits for the child to end by itself (within `PATIENCE`, else kills it and
    /// panics); joins the reading thread; the exit status.
    pub fn finish(&mut self) -> std::process::ExitStatus {
        let deadline = std::time::Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                self.join();
                return status;
            }
            if std::time::Instant::now() > deadline {
                let _ = self.child.kill();
                let _ = self.child.wait();
                self.join();
                panic!("the child did not end; it said: {:?}", self.said);
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }

    fn join(&mut self) {
        if let Some(r) = self.reader.take() {
            r.join().expect("the stderr reader");
        }
        while let Ok(l) = self.lines.try_recv() {
            self.take(l);
        }
    }

    /// The debug points the child announced, in order.
    pub fn points(&self) -> Vec<&str> {
        self.said
            .iter()
            .filter_map(|(_, l)| l.trim_end().strip_prefix("roster-debug: paused at "))
            .collect()
    }

    /// When the child announced `point`, since its start.
    pub fn point_at(&self, point: &str) -> Option<std::time::Duration> {
        let want = format!("roster-debug: paused at {point}");
        self.said
            .iter()
            .find(|(_, l)| l.trim_end() == want)
            .map(|(t, _)| *t)
    }
}

impl Drop for Watched {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        if let Some(r) = self.reader.take() {
            let _ = r.join();
        }
    }
}
