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
