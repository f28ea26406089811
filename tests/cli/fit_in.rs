//! Fitting in (README "Completions and the man page"): completion scripts that the shells
//! accept and that offer roster's commands and options, a man page that `man` renders,
//! `--version` with the store schema, and no progress bar in pipes.

use crate::common::Env;
use std::io::Write;
use std::process::{Command, Stdio};

/// Every command a user types, as the completion scripts and the man page must offer it.
const COMMANDS: &[&str] = &[
    "import",
    "list",
    "show",
    "new",
    "connect",
    "manage",
    "unmanage",
    "move",
    "remove",
    "merge",
    "edit",
    "activate",
    "deactivate",
    "discard",
    "undo",
    "log",
    "review",
    "settings",
    "backup",
    "check",
    "setup",
    "gen",
    "completions",
    "man",
];

#[test]
fn completion_scripts_parse_and_offer_the_commands_and_options() {
    let env = Env::new();
    for shell in ["bash", "zsh", "fish"] {
        let script = env.ok(&["completions", shell]);
        for c in COMMANDS {
            assert!(script.contains(c), "{shell} completion lacks {c}");
        }
        for option in ["system", "dry-run", "allow-mass-create", "new-system"] {
            // fish writes `-l system`, the others `--system`.
            let written = if shell == "fish" {
                format!("-l {option}")
            } else {
                format!("--{option}")
            };
            assert!(
                script.contains(&written),
                "{shell} completion lacks {written}"
            );
        }
        // The store is never opened for it.
        assert!(!env.db.exists(), "completions created a store");
    }
    // bash reads it (syntax) and, sourced, completes `roster imp` to import,
    // `roster import x --sys` to --system and `--system hub` to hubspot.
    let script = env.ok(&["completions", "bash"]);
    let path = env.file("roster.bash", &script);
    let status = Command::new("bash").arg("-n").arg(&path).status().unwrap();
    assert!(status.success(), "bash -n refused the completion script");
    let probe = format!(
        "source {}\n\
         COMP_WORDS=(roster imp); COMP_CWORD=1; COMP_LINE='roster imp'; COMP_POINT=10\n\
         _roster roster imp roster; echo \"A:${{COMPREPLY[*]}}\"\n\
         COMP_WORDS=(roster import x.csv --sys); COMP_CWORD=3\n\
         _roster roster --sys x.csv; echo \"B:${{COMPREPLY[*]}}\"\n\
         COMP_WORDS=(roster import x.csv --system hub); COMP_CWORD=4\n\
         _roster roster hub --system; echo \"C:${{COMPREPLY[*]}}\"\n",
        path.display()
    );
    let out = Command::new("bash").arg("-c").arg(&probe).output().unwrap();
    let out = String::from_utf8_lossy(&out.stdout);
    assert!(out.contains("A:import"), "{out}");
    assert!(out.contains("B:--system"), "{out}");
    // The systems roster knows are offered for --system (not the files of the folder).
    assert!(out.contains("C:hubspot\n"), "{out}");
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let env = Env::new();
    let err = env.fails(&["completions", "tcsh"], 2);
    assert!(
        err.contains("bash") && err.contains("zsh") && err.contains("fish"),
        "{err}"
    );
}

#[test]
fn the_man_page_renders_and_describes_every_command() {
    let env = Env::new();
    let page = env.ok(&["man"]);
    assert!(
        page.contains(".TH roster 1 "),
        "{}",
        &page[..200.min(page.len())]
    );
    for c in COMMANDS {
        assert!(
            page.contains(&format!(".SS \"roster {c}")),
            "the man page has no section for {c}"
        );
    }
    // Rendered as `man -l -` renders it, to text. A machine without man (a slim CI
    // image: .ci/run installs nothing) skips this half, saying so.
    let spawned = Command::new("man")
        .args(["-l", "-"])
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .env("MANWIDTH", "80")
        // The plainest terminal (ASCII): a character groff cannot draw there is a warning.
        .env("LC_ALL", "C")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut man = match spawned {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!("note: `man` is not installed here; the page was not rendered");
            return;
        }
        r => r.expect("man starts"),
    };
    man.stdin
        .take()
        .unwrap()
        .write_all(page.as_bytes())
        .unwrap();
    let out = man.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for needle in [
        "NAME",
        "SYNOPSIS",
        "COMMANDS",
        "roster import",
        "--allow-mass-create",
        "--new-system",
    ] {
        assert!(
            text.contains(needle),
            "the rendered page lacks {needle}:\n{text}"
        );
    }
    // The global options are described once, at the top, not under every command.
    assert_eq!(text.matches("--actor <NAME>").count(), 1, "{text}");
    assert_eq!(text.matches("--db <PATH>").count(), 1, "{text}");
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("warning"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn version_names_the_store_schema() {
    let env = Env::new();
    let v = env.ok(&["--version"]);
    let schema = roster::store::schema::latest_version();
    assert_eq!(
        v.trim(),
        format!(
            "roster {} (store schema {schema})",
            env!("CARGO_PKG_VERSION")
        )
    );
    // And the schema named is the one a new store gets.
    env.ok(&["list"]);
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let written: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(written as usize, schema);
}

/// One vocabulary (README "Glossary"): a profile no system manages is managed `manual`,
/// a connection's origin reads as words, login access is on/off.
#[test]
fn the_commands_speak_the_glossary() {
    let env = Env::new();
    let id = env
        .new_employee("Fay Hand", Some("fay@acme.io"))
        .to_string();
    env.ok(&[
        "connect",
        &id,
        "--system",
        "pipedrive",
        "--external-id",
        "77",
    ]);
    let list = env.ok(&["list"]);
    let row = list.lines().find(|l| l.contains("Fay Hand")).unwrap();
    assert!(row.trim_end().ends_with("manual"), "{list}");
    assert!(row.contains(" off "), "{list}");
    let show = env.ok(&["show", &id]);
    assert!(show.contains("Managed by manual"), "{show}");
    assert!(show.contains("by hand"), "{show}");
    assert!(
        !show.contains("manual  ") || !show.contains("| manual"),
        "{show}"
    );
    // JSON keeps the codes.
    assert_eq!(env.show(&id)["connections"][0]["origin"], "manual");
}

/// The progress bar is for a person at a terminal: with stderr a pipe (a script, a cron
/// job, a log) an import that runs well past the bar's one-second delay writes nothing
/// to stderr.
#[test]
fn an_import_in_a_pipe_writes_no_progress() {
    let env = Env::new();
    let pipe = env.path("users.csv");
    nix::unistd::mkfifo(&pipe, nix::sys::stat::Mode::from_bits_truncate(0o600)).unwrap();
    let rows = |from: usize, to: usize| -> String {
        (from..to)
            .map(|i| format!("{i},person{i}@acme.com,Person {i}\n"))
            .collect()
    };
    let child = Command::new(env!("CARGO_BIN_EXE_roster"))
        .arg("--db")
        .arg(&env.db)
        .args(["import", pipe.to_str().unwrap(), "--system", "zendesk"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut w = std::fs::File::create(&pipe).unwrap();
    write!(w, "external_id,email,name\n{}", rows(0, 5000)).unwrap();
    // Past the delay, then rows enough for another report of progress (every 4096).
    std::thread::sleep(std::time::Duration::from_millis(1500));
    w.write_all(rows(5000, 10000).as_bytes()).unwrap();
    drop(w);
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("created"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}
