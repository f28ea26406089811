//! Bad arguments to every command: exit status 2 and one plain sentence on stderr,
//! never a panic, a usage dump or a Rust error value; nothing written.

use crate::common;

use common::Env;
use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;

/// Checks the message of a refused command: "roster: " and one sentence.
fn assert_sentence(args: &[&str], msg: &str) {
    assert!(msg.starts_with("roster: "), "{args:?}: {msg}");
    let text = msg.trim_end();
    assert_eq!(text.lines().count(), 1, "{args:?}: {msg}");
    assert!(text.ends_with('.'), "{args:?}: not a sentence: {msg}");
    for bad in [
        "panicked",
        "error:",
        "Error {",
        "Usage:",
        "RUST_BACKTRACE",
        "SqliteFailure",
    ] {
        assert!(!text.contains(bad), "{args:?}: {msg}");
    }
}

#[test]
fn every_command_refuses_bad_arguments_with_exit_2_and_a_sentence() {
    let env = Env::new();
    env.new_employee("Ann", Some("ann@x.io"));
    let folder = env.path("a-folder");
    std::fs::create_dir(&folder).unwrap();
    let folder = folder.to_str().unwrap();
    let text = env.file("notes.txt", "just words\n");
    let text = text.to_str().unwrap();
    let before = env.tables();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        // Global options and the command itself.
        (vec!["--bogus"], "unexpected argument '--bogus'"),
        (vec!["frobnicate"], "unrecognized subcommand"),
        (
            vec!["--wait", "soon", "list"],
            "invalid value 'soon' for '--wait",
        ),
        (vec!["--demo", "--bogus"], "unexpected argument"),
        // Each command.
        (
            vec!["backup"],
            "required arguments were not provided: <PATH>",
        ),
        (vec!["backup", folder], "Cannot write the backup to"),
        (vec!["check", "--bogus"], "unexpected argument '--bogus'"),
        (
            vec!["list", "--tab", "archived"],
            "invalid value 'archived' for '--tab <TAB>' (one of: active, pending, deactivated, tracked, all)",
        ),
        (vec!["list", "--limit", "-1"], "unexpected argument '-1'"),
        (
            vec!["list", "--limit", "many"],
            "invalid value 'many' for '--limit",
        ),
        (vec!["show"], "required arguments were not provided: <EMP>"),
        (vec!["show", ""], "'' does not name an employee"),
        (
            vec!["show", "99999999999999999999999"],
            "There is no employee",
        ),
        (vec!["show", "0"], "There is no employee #0"),
        (vec!["new"], "required arguments were not provided: --name"),
        (vec!["new", "--name", " "], "The name cannot be empty"),
        (
            vec!["new", "--name", "B", "--login", "maybe"],
            "invalid value 'maybe' for '--login <LOGIN>' (one of: on, off)",
        ),
        (
            vec!["new", "--name", "B", "--email", "nope"],
            "is not an email address",
        ),
        (vec!["connect", "1", "--system", "hubspot"], "--external-id"),
        (
            vec!["connect", "1", "--system", "hubspot", "--external-id", " "],
            "The external ID cannot be empty",
        ),
        (
            vec!["connect", "1", "--system", "Hub Spot", "--external-id", "1"],
            "is not a valid system key",
        ),
        (vec!["manage", "1"], "--system"),
        (
            vec!["manage", "1", "--system", "hubspot"],
            "has no HubSpot connection",
        ),
        (vec!["unmanage"], "<EMP>"),
        (
            vec!["move", "1", "--system", "hubspot"],
            "has no HubSpot connection",
        ),
        (vec!["remove", "1"], "--system"),
        (
            vec!["remove", "1", "--system", "x", "--block"],
            "has no x connection",
        ),
        (vec!["merge", "1"], "<OTHER>"),
        (
            vec!["merge", "1", "404", "--yes"],
            "There is no employee #404",
        ),
        (
            vec!["merge", "1", "1", "--yes"],
            "cannot be merged into itself",
        ),
        (vec!["edit", "1"], "Nothing to edit"),
        (vec!["edit", "1", "--name", ""], "The name cannot be empty"),
        (
            vec!["edit", "1", "--login", "sometimes"],
            "invalid value 'sometimes'",
        ),
        (vec!["activate"], "<EMP>"),
        (
            vec!["deactivate", "nobody@x.io"],
            "No employee has the email",
        ),
        (
            vec!["discard", "1"],
            "only pending profiles can be discarded",
        ),
        (
            vec!["undo", "everything"],
            "unexpected argument 'everything'",
        ),
        (
            vec!["log", "--limit", "x"],
            "invalid value 'x' for '--limit",
        ),
        (
            vec!["log", "hubspot:404"],
            "No employee holds the HubSpot account 404",
        ),
        (vec!["import"], "required arguments were not provided"),
        (vec!["import", text], "--system"),
        (
            vec!["import", "missing.csv", "--system", "hubspot"],
            "there is no such file",
        ),
        (vec!["import", folder, "--system", "hubspot"], "is a folder"),
        (
            vec!["import", text, "--system", "Hub Spot"],
            "is not a valid system key",
        ),
        (
            vec!["import", text, "--system", "podio"],
            "there is no external_id or id among the columns",
        ),
        (
            vec!["import", text, "--system", "podio", "--format", "xml"],
            "invalid value 'xml'",
        ),
        (
            vec!["import", text, "--system", "podio", "--preset", "sap"],
            "invalid value 'sap'",
        ),
        (
            vec!["import", text, "--system", "podio", "--map", "nonsense"],
            "has no '='",
        ),
        (
            vec!["import", text, "--system", "podio", "--map", "colour=x"],
            "does not read",
        ),
        (vec!["gen", "--out", "x"], "--employees"),
        (
            vec!["gen", "--employees", "lots", "--out", "x"],
            "invalid value 'lots'",
        ),
        (
            vec!["gen", "--employees", "5", "--out", "/proc/self/nope"],
            "Cannot use /proc/self/nope as the folder",
        ),
        (
            vec!["settings"],
            "usage: roster settings [OPTIONS] <COMMAND>",
        ),
        (
            vec!["settings", "review", "sometimes"],
            "invalid value 'sometimes'",
        ),
        (
            vec!["settings", "colour"],
            "unrecognized subcommand 'colour'",
        ),
    ];
    for (args, needle) in &cases {
        let msg = env.fails(args, 2);
        assert_sentence(args, &msg);
        assert!(msg.contains(needle), "{args:?}: {msg}");
    }
    before.assert_same(&env.tables(), "a refused command");
    // The database option (the harness gives its own --db, so these run bare).
    let bare = |db: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_roster"))
            .env_remove("ROSTER_DB")
            .args(["--db", db, "list"])
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, msg) = bare(folder);
    assert_eq!(code, Some(2), "{msg}");
    assert_sentence(&["--db", folder], &msg);
    assert!(
        msg.contains("is a folder; --db takes the database file"),
        "{msg}"
    );
    // A damaged or foreign file given as the database: a sentence too (exit 1: the
    // file, not the command, is at fault).
    let (code, msg) = bare(text);
    assert_eq!(code, Some(1), "{msg}");
    assert_sentence(&["--db", text], &msg);
    assert!(
        msg.contains("is not a roster database, or it is damaged"),
        "{msg}"
    );
}

#[test]
fn arguments_that_are_not_utf8_are_refused_with_a_sentence() {
    let env = Env::new();
    env.new_employee("Ann", None);
    let bad = OsString::from_vec(b"caf\xe9".to_vec());
    for args in [
        vec![OsString::from("show"), bad.clone()],
        vec![OsString::from("new"), OsString::from("--name"), bad.clone()],
        vec![bad.clone()],
    ] {
        let out = env.cmd().args(&args).output().unwrap();
        let msg = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {msg}");
        assert_sentence(&[], &msg);
    }
}

#[test]
fn the_app_needs_a_terminal_and_says_so() {
    let env = Env::new();
    // No command and no terminal (the test's pipes): the app refuses, it does not hang.
    let run = env.run(&[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_sentence(&[], &run.stderr);
    assert!(run.stderr.contains("needs a terminal"), "{}", run.stderr);
}
