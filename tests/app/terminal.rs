//! The real binary in a pseudo-terminal: open a profile, act through the menus, check the
//! store through the command line; the terminal is restored however the app ends.

use crate::pty;

use pty::{App, json, roster};
use tempfile::TempDir;

/// Jane Doe (#1) managed by HubSpot 501, with Salesforce 0055000000AbCdEAAZ too; Bob (#2).
fn store() -> (TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("roster.db");
    roster(
        &db,
        &["new", "--name", "Jane Doe", "--email", "jane@acme.com"],
    );
    roster(
        &db,
        &[
            "connect",
            "1",
            "--system",
            "hubspot",
            "--external-id",
            "501",
            "--email",
            "jane@acme.com",
        ],
    );
    roster(
        &db,
        &[
            "connect",
            "1",
            "--system",
            "salesforce",
            "--external-id",
            "0055000000AbCdEAAZ",
            "--email",
            "jane.doe@acme.com",
            "--name",
            "Jane Doe (SF)",
        ],
    );
    roster(&db, &["manage", "1", "--system", "hubspot"]);
    roster(
        &db,
        &["new", "--name", "Bob Stone", "--email", "bob@acme.com"],
    );
    (dir, db)
}

#[test]
fn move_a_connection_through_the_menu() {
    let (_dir, db) = store();
    let mut app = App::spawn(&db, 100, 30, &[], &[]);
    app.wait_for("Bob Stone");
    // Filter to Jane, keep the filter, open her pane.
    app.keys("/jane");
    app.wait_until("one row", |s| !s.contains("Bob Stone"));
    app.send("\r");
    app.send("\r");
    app.wait_for("Managed by HubSpot: name and profile picture are updated by HubSpot");
    // The second connection (Salesforce), its menu, Move to new employee.
    app.keys("j");
    app.send("\r");
    app.wait_for("Move to new employee");
    app.send("\x1b[B"); // Down to "Move to new employee"
    app.send("\r");
    app.wait_for("to a new employee?");
    app.keys("y");
    app.wait_for("Moved Salesforce account 0055000000AbCdEAAZ");
    app.keys("q");
    assert_eq!(app.wait_exit(), Some(0));
    app.assert_restored();

    let jane = json(&db, &["show", "1"]);
    assert_eq!(jane["connections"].as_array().unwrap().len(), 1);
    assert_eq!(jane["managed_by"]["system"], "hubspot");
    let moved = json(&db, &["show", "salesforce:0055000000AbCdEAAZ"]);
    assert_ne!(moved["id"], 1);
    assert_eq!(moved["name"], "Jane Doe (SF)");
    assert_eq!(moved["managed_by"]["system"], "salesforce");
    assert_eq!(moved["connections"][0]["origin"], "moved");
}

#[test]
fn remove_warns_of_the_reconnect_then_removes() {
    let (_dir, db) = store();
    let mut app = App::spawn(&db, 100, 30, &[], &[]);
    app.wait_for("Jane Doe");
    app.keys("j");
    app.send("\r");
    app.wait_for("Managed by HubSpot");
    app.send("\r");
    app.wait_for("Remove connection");
    app.keys("r");
    app.wait_for("the next HubSpot import will reconnect this profile by email");
    // Cancel is selected: Enter changes nothing.
    app.send("\r");
    app.wait_for("Cancelled; nothing was changed.");
    app.send("\r");
    app.keys("r");
    app.wait_for("reconnect this profile");
    app.keys("y");
    app.wait_for("Removed HubSpot account 501");
    app.send("\x03"); // Ctrl-C
    assert_eq!(app.wait_exit(), Some(0));
    app.assert_restored();
    let jane = json(&db, &["show", "1"]);
    assert_eq!(jane["connections"].as_array().unwrap().len(), 1);
    assert!(jane["managed_by"].is_null());
}

#[test]
fn follows_resizes() {
    let (_dir, db) = store();
    // Wide enough for the five tabs, the review count, who is here and the title.
    let mut app = App::spawn(&db, 140, 35, &[], &[]);
    app.wait_for("roster · Settings › Employees");
    app.resize(80, 24);
    // At 80 columns the title gives way and the footer sits on row 24.
    app.wait_until("80x24 layout", |s| {
        let lines: Vec<&str> = s.lines().collect();
        !s.contains("roster · Settings") && lines.len() <= 24 && s.contains("? help")
    });
    app.resize(140, 35);
    app.wait_for("roster · Settings › Employees");
    app.keys("q");
    assert_eq!(app.wait_exit(), Some(0));
    app.assert_restored();
}

#[test]
fn terminal_is_restored_on_sigterm_and_sighup() {
    for (sig, code) in [(libc::SIGTERM, 143), (libc::SIGHUP, 129)] {
        let (_dir, db) = store();
        let mut app = App::spawn(&db, 100, 30, &[], &[]);
        app.wait_for("Jane Doe");
        assert!(app.alternate_screen());
        unsafe { libc::kill(app.pid(), sig) };
        assert_eq!(app.wait_exit(), Some(code));
        app.assert_restored();
    }
}

#[test]
fn terminal_is_restored_on_panic() {
    let (_dir, db) = store();
    let mut app = App::spawn(&db, 100, 30, &[], &[("ROSTER_DEBUG_PANIC_KEY", "1")]);
    app.wait_for("Jane Doe");
    app.send("\x1b[24~"); // F12
    assert_eq!(app.wait_exit(), Some(101));
    app.assert_restored();
    app.wait_for("debug panic key");
}

#[test]
fn the_panic_key_is_off_without_the_variable() {
    let (_dir, db) = store();
    let mut app = App::spawn(&db, 100, 30, &[], &[]);
    app.wait_for("Jane Doe");
    app.send("\x1b[24~");
    app.keys("q");
    assert_eq!(app.wait_exit(), Some(0));
}

#[test]
fn hostile_data_never_reaches_the_terminal_raw() {
    let (_dir, db) = store();
    roster(
        &db,
        &[
            "new",
            "--name",
            "Evil\u{1b}]0;pwned\u{7}\u{1b}[2J\u{1b}[31mRed\u{202e}txt\u{200b}",
            "--email",
            "evil@x.com",
        ],
    );
    let mut app = App::spawn(&db, 100, 30, &[], &[]);
    app.wait_for("Evil␛]0;pwned␇␛[2J␛");
    app.keys("j"); // select and open it, so the pane shows it whole
    app.send("\r");
    app.wait_for("Evil␛]0;pwned␇␛[2J␛[31mRed<U+202E>txt<U+200B> (#3)");
    app.keys("q");
    app.keys("q");
    assert_eq!(app.wait_exit(), Some(0));
    let raw = app.raw();
    let has = |needle: &[u8]| raw.windows(needle.len()).any(|w| w == needle);
    assert!(!has(b"\x1b]"), "an OSC sequence reached the terminal");
    assert!(!has(b"pwned\x07"));
    assert!(!has("\u{202e}".as_bytes()));
    assert!(!has("\u{200b}".as_bytes()));
}

#[test]
fn no_color_sends_no_colour() {
    let (_dir, db) = store();
    for (env, coloured) in [(vec![], true), (vec![("NO_COLOR", "1")], false)] {
        let mut app = App::spawn(&db, 100, 30, &[], &env);
        app.wait_for("Jane Doe");
        app.keys("j");
        app.send("\r");
        app.wait_for("Managed by HubSpot");
        app.keys("q");
        assert_eq!(app.wait_exit(), Some(0));
        let raw = app.raw();
        let has = |needle: &[u8]| raw.windows(needle.len()).any(|w| w == needle);
        // Named colours only, as 256-colour indexes below 16; never RGB.
        assert!(!has(b"38;2;") && !has(b"48;2;"));
        assert_eq!(
            has(b"38;5;") || has(b"48;5;"),
            coloured,
            "NO_COLOR: {}",
            !coloured
        );
    }
}

#[test]
fn import_a_file_from_the_app_dry_run_first() {
    let (dir, db) = store();
    let file = dir.path().join("owners.csv");
    std::fs::write(
        &file,
        "external_id,email,name\n601,BOB@acme.com,Bob from HubSpot\n602,new@acme.com,New Person\n",
    )
    .unwrap();
    let mut app = App::spawn(&db, 100, 30, &[], &[]);
    app.wait_for("Bob Stone");
    app.keys("i");
    app.wait_for("Import a file");
    app.keys(&file.display().to_string());
    app.send("\t");
    app.keys("hubspot");
    app.send("\r");
    app.wait_for("into HubSpot?");
    app.wait_for("Read the plan (j/k scroll); Cancel is selected.");
    // Cancel is selected: Enter changes nothing.
    app.send("\r");
    app.wait_for("Cancelled; nothing was changed.");
    let absent = std::process::Command::new(pty::BIN)
        .args([
            "--db".as_ref(),
            db.as_os_str(),
            "show".as_ref(),
            "hubspot:602".as_ref(),
        ])
        .output()
        .unwrap();
    assert!(!absent.status.success(), "the dry run wrote nothing");
    // The form keeps the file and the system: Enter, then y imports.
    app.keys("i");
    app.wait_for("Import a file");
    app.send("\r");
    app.wait_for("into HubSpot?");
    app.keys("y");
    app.wait_for("Imported owners.csv into HubSpot: 2 rows; 1 new, 1 linked by email");
    app.wait_for("Active 3");
    app.keys("q");
    assert_eq!(app.wait_exit(), Some(0));
    app.assert_restored();
    let new = json(&db, &["show", "hubspot:602"]);
    assert_eq!(new["name"], "New Person");
    let bob = json(&db, &["show", "hubspot:601"]);
    assert_eq!(bob["name"], "Bob Stone");
}

#[test]
fn demo_opens_the_app_and_removes_its_database_on_quit() {
    let dir = tempfile::tempdir().unwrap();
    let unused = dir.path().join("unused.db");
    let mut app = App::spawn(&unused, 100, 30, &["--demo"], &[]);
    app.wait_for("Demo, removed on quit: ");
    app.wait_for("Tracked");
    let screen = app.screen();
    let path = screen
        .split("Demo, removed on quit: ")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .unwrap()
        .to_owned();
    assert!(std::path::Path::new(&path).exists(), "{path}");
    app.keys("/lena");
    app.wait_for("Northwind Support");
    app.send("\x03");
    assert_eq!(app.wait_exit(), Some(0));
    app.assert_restored();
    assert!(
        !std::path::Path::new(&path).exists(),
        "{path} is left behind"
    );
    assert!(!unused.exists(), "--demo does not touch --db");
}

#[test]
fn the_mouse_is_off_unless_asked_for() {
    let (_dir, db) = store();
    let mut app = App::spawn(&db, 100, 30, &[], &[]);
    app.wait_for("Bob Stone");
    assert_eq!(app.mouse_mode(), vt100::MouseProtocolMode::None);
    app.keys("q");
    assert_eq!(app.wait_exit(), Some(0));

    let mut app = App::spawn(&db, 100, 30, &["--mouse"], &[]);
    app.wait_for("Bob Stone");
    assert_ne!(app.mouse_mode(), vt100::MouseProtocolMode::None);
    // Bob is the first row, selected: a click on Jane selects her, a second opens her.
    app.click("Jane Doe");
    app.wait_until("Jane selected", |s| s.contains("2 of 2"));
    app.click("Jane Doe");
    app.wait_for("Managed by HubSpot: name and profile picture are updated by HubSpot");
    app.keys("q");
    assert_eq!(app.wait_exit(), Some(0));
    app.assert_restored();
}

/// An admin's day through the real binary: find by `#id` across tabs, copy an external
/// ID (the OSC 52 sequence is on the wire), lift a block, read a field's old → new in
/// the audit log (`L`) and undo that entry there, show the ID column, review ten pending
/// profiles (where they came from, the pane following the table, marks, one question
/// with the billed change).
#[test]
fn an_admins_day_find_copy_unblock_and_undo_from_the_audit_log() {
    let (_dir, db) = store();
    roster(&db, &["remove", "1", "--system", "salesforce", "--block"]);
    roster(&db, &["deactivate", "2"]);
    roster(&db, &["edit", "2", "--name", "Robert Stone"]);
    roster(&db, &["new", "--name", "Carl Newer"]);
    // Ten new HubSpot owners, waiting on the Pending tab for review.
    roster(&db, &["settings", "review", "manual"]);
    let owners = db.with_file_name("owners.csv");
    let mut csv = String::from("external_id,email,name\n");
    for i in 0..10 {
        csv.push_str(&format!("90{i},hire{i}@acme.com,Hire {i:02}\n"));
    }
    std::fs::write(&owners, csv).unwrap();
    roster(
        &db,
        &["import", owners.to_str().unwrap(), "--system", "hubspot"],
    );
    let mut app = App::spawn(&db, 100, 30, &[], &[]);
    app.wait_for("Jane Doe");
    app.wait_for("Pending 10");
    // #2 is on the Deactivated tab.
    app.keys("/#2\r");
    app.wait_for("Robert Stone (#2) is on the Deactivated tab");
    app.keys("/#1\r");
    app.wait_for("Jane Doe (#1) is on the Active tab");
    app.keys("\r");
    app.wait_for("Blocked (1)");
    app.keys("y");
    app.wait_for("(OSC 52): 501");
    // "501" in base64, in the clipboard sequence.
    let on_wire = || {
        let want = b"\x1b]52;c;NTAx\x07";
        app.raw().windows(want.len()).any(|w| w == want)
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while !on_wire() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(on_wire(), "no OSC 52 on the wire");
    app.keys("b");
    app.wait_for("Lift a block on Jane Doe (#1)?");
    app.keys("y");
    app.wait_for("Lifted the block on the Salesforce account 0055000000AbCdEAAZ");
    // The audit log: newest first (the lift, the import, the review setting, the new
    // profile, the edit).
    app.keys("L");
    app.wait_for("name: Bob Stone → Robert Stone");
    app.keys("jjjj");
    app.keys("u");
    app.wait_for("Undo entry #");
    app.keys("y");
    app.wait_for("Undid: Edited the name of Bob Stone (#2)");
    app.keys("\x1b");
    // The ID column.
    app.keys("\x1b");
    app.wait_until("the table", |s| !s.contains("Blocked ("));
    app.keys("I");
    app.wait_for("The table shows each profile's ID");
    // Review the ten pending profiles: the pane says where the first came from, J
    // follows the table to the next one, then all ten are marked and activated at once.
    app.keys("2");
    app.wait_for("Hire 00");
    app.keys("g\r");
    app.wait_for("by HubSpot import #1");
    app.keys("J");
    app.wait_for("Hire 01 (#");
    app.keys("\x1b");
    app.wait_until("the table", |s| !s.contains("by HubSpot import"));
    app.keys("g");
    app.keys(&" ".repeat(10));
    app.wait_for("10 marked: a activates");
    app.keys("a");
    app.wait_for("Activate 10 marked profiles?");
    app.wait_for("Tracked 1 → 11: 10 more billed seats");
    app.keys("y");
    app.wait_for("Activated 10 of 10 marked profiles. Tracked 1 → 11.");
    app.wait_for("Pending 0");
    app.keys("q");
    assert_eq!(app.wait_exit(), Some(0));
    let pending = json(&db, &["list", "--tab", "pending"]);
    assert_eq!(pending, serde_json::json!([]), "all ten were activated");
    let log = json(&db, &["log", "--action", "activate"]);
    assert_eq!(log.as_array().unwrap().len(), 10, "one entry each");
    let bob = json(&db, &["show", "2"]);
    assert_eq!(bob["name"], "Bob Stone");
    assert_eq!(bob["status"], "deactivated");
    assert_eq!(
        json(&db, &["show", "3"])["name"],
        "Carl Newer",
        "the newer action stays"
    );
    assert_eq!(json(&db, &["show", "1"])["blocks"], serde_json::json!([]));
}

/// `roster undo` on a terminal asks; answered no, it says so (not "needs --yes", which is
/// for scripts) and undoes nothing.
#[test]
fn undo_answered_no_says_so_and_undoes_nothing() {
    let (_dir, db) = store();
    let mut app = App::spawn(&db, 160, 12, &["undo"], &[]);
    app.wait_for("[y/N]");
    app.keys("n\r");
    assert_eq!(app.wait_exit(), Some(2));
    let screen = app.screen();
    assert!(screen.contains("you answered no"), "{screen}");
    assert!(!screen.contains("needs --yes"), "{screen}");
    // Bob Stone (#2), the newest action, is still there.
    assert_eq!(json(&db, &["show", "2"])["name"], "Bob Stone");
}
