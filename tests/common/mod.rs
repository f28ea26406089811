//! Drives the real `roster` binary against a throw-away database.
#![allow(dead_code)]

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

pub struct Roster {
    pub dir: TempDir,
    pub db: PathBuf,
}

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

impl Roster {
    pub fn new() -> Roster {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("roster.db");
        Roster { dir, db }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("roster").expect("binary");
        c.arg("--db").arg(&self.db);
        c.env_remove("ROSTER_DB");
        c.env_remove("SSH_CLIENT");
        c
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with(args, |_| {})
    }

    pub fn run_with(&self, args: &[&str], f: impl FnOnce(&mut Command)) -> Run {
        let mut c = self.cmd();
        c.args(args);
        f(&mut c);
        let out = c.output().expect("run roster");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Runs a command that must succeed.
    pub fn ok(&self, args: &[&str]) -> Run {
        let r = self.run(args);
        assert_eq!(
            r.code, 0,
            "roster {args:?} failed:\nstdout: {}\nstderr: {}",
            r.stdout, r.stderr
        );
        r
    }

    /// Runs a command that must succeed and print JSON.
    pub fn json(&self, args: &[&str]) -> Value {
        self.ok(args).json()
    }

    /// Runs a command that must fail with `code`, and returns its one-line message.
    pub fn fails(&self, code: i32, args: &[&str]) -> String {
        let r = self.run(args);
        assert_eq!(
            r.code, code,
            "roster {args:?}: expected exit {code}\nstdout: {}\nstderr: {}",
            r.stdout, r.stderr
        );
        assert!(!r.stderr.contains("panicked"), "panic: {}", r.stderr);
        assert!(r.stderr.starts_with("roster: "), "message: {}", r.stderr);
        r.stderr
    }

    /// Creates an employee and returns its id.
    pub fn new_employee(&self, name: &str, email: Option<&str>) -> i64 {
        let mut args = vec!["new", "--name", name, "--json"];
        if let Some(e) = email {
            args.extend(["--email", e]);
        }
        self.json(&args)["id"].as_i64().expect("id")
    }

    /// Everything an admin can see of the store: each profile with its connections.
    /// Two equal dumps mean nothing visible changed.
    pub fn dump(&self) -> Value {
        let list = self.json(&["list", "--tab", "all", "--json"]);
        let mut out = Vec::new();
        for row in list.as_array().expect("array") {
            let id = row["id"].as_i64().expect("id").to_string();
            let mut p = self.json(&["show", &id, "--json"]);
            // Versions and timestamps are bookkeeping, not content.
            p.as_object_mut().unwrap().remove("version");
            p.as_object_mut().unwrap().remove("updated_at");
            out.push(p);
        }
        Value::Array(out)
    }

    pub fn db_path(&self) -> &Path {
        &self.db
    }
}
