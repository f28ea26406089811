//! The token never appears in stdout, stderr, the audit log or the store: not after a
//! pull, not after a failed one, not when the vendor echoes it back in an error.

use super::answers::{self, people};
use super::stub::{Reply, Stub};
use super::{Setup, TOKEN, source};

/// Every byte of the store's files (the database, its WAL and anything beside it).
fn store_bytes(s: &Setup) -> Vec<u8> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir(s.env.dir.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() && path != s.config {
            all.extend(std::fs::read(&path).unwrap());
        }
    }
    all
}

fn holds(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[test]
fn the_token_appears_nowhere() {
    let stub = Stub::start(move |req| answers::hubspot(req, &people(0..12), &[]));
    // A vendor that puts the token into its error answer.
    let echo = Stub::start(|req| {
        let sent = req.header("authorization").unwrap_or_default().to_owned();
        answers::hubspot_error(
            401,
            &format!("The token {sent} is invalid"),
            "INVALID_AUTHENTICATION",
        )
    });
    let flaky = Stub::start(|req| {
        Reply::json(
            500,
            format!(
                "{{\"message\":\"{}\"}}",
                req.header("authorization").unwrap_or_default()
            ),
        )
    });
    let token_file = {
        let env = tempfile::tempdir().unwrap();
        env.keep().join("token")
    };
    std::fs::write(&token_file, format!("{TOKEN}\n")).unwrap();
    let s = Setup::new(&format!(
        "{}{}{}[sources.file]\nsystem = \"hubspot\"\nbase_url = \"{}\"\ntoken_file = \"{}\"\npage_size = 5\n",
        source("hubspot", "hubspot", &stub.url(), "page_size = 5"),
        source("echo", "hubspot", &echo.url(), ""),
        source("flaky", "hubspot", &flaky.url(), "retries = 1"),
        stub.url(),
        token_file.display()
    ));
    // The file must be owner-only: 0644 is refused without reading it.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&token_file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let mut outputs = Vec::new();
    let run = s.run(&["pull", "file"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("can be read by others (mode 644)"),
        "{}",
        run.stderr
    );
    outputs.push(run);
    std::fs::set_permissions(&token_file, std::fs::Permissions::from_mode(0o600)).unwrap();
    for args in [
        &["pull", "hubspot", "--dry-run"][..],
        &["pull", "hubspot", "--dry-run", "--json"],
        &["pull", "hubspot"],
        &["pull", "file", "--json"],
        &["pull", "echo"],
        &["pull", "flaky", "--json"],
        &["pull", "--all"],
        &["pull", "--all", "--json"],
        &["log", "--json", "--limit", "1000"],
        &["log"],
    ] {
        outputs.push(s.run(args));
    }
    // The pulls did happen (a test that checks nothing of a pull that never ran proves
    // nothing).
    assert_eq!(outputs[3].code, 0, "{}", outputs[3].stderr);
    assert_eq!(s.env.list().len(), 12);
    assert!(
        outputs[5].stderr.contains("HubSpot refused the token (401"),
        "{}",
        outputs[5].stderr
    );
    assert!(
        outputs[5]
            .stderr
            .contains("The token Bearer *** is invalid"),
        "{}",
        outputs[5].stderr
    );
    assert!(
        outputs[6].stderr.contains("HubSpot answered 500"),
        "{}",
        outputs[6].stderr
    );
    for run in &outputs {
        assert!(!run.stdout.contains(TOKEN), "stdout: {}", run.stdout);
        assert!(!run.stderr.contains(TOKEN), "stderr: {}", run.stderr);
    }
    let stored = store_bytes(&s);
    assert!(!stored.is_empty());
    assert!(!holds(&stored, TOKEN), "the store's files hold the token");
    // Nor any part of it long enough to matter.
    assert!(!holds(&stored, "SECRET"));
    let _ = std::fs::remove_file(&token_file);
}
