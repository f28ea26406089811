//! Hostile data in every dialog and form of the real app, judged by the bytes the app
//! sends to the terminal, read by a scanner of its own (not roster's `sanitize`): no C0
//! control but the CR and LF of the app's own output, no DEL, no C1, no bidi control, no
//! zero-width or other invisible character, and no escape sequence but the few kinds a
//! terminal app draws with (CSI cursor moves, colours, modes, its queries), none of them
//! from the data.

use crate::pty;

use pty::{App, roster};
use std::path::Path;

/// Every string here is a name, an email, an ID or a file name somewhere in the store;
/// each carries a plain tag (ALPHA, BRAVO…) so that a test can find it with the filter,
/// and its controls sit right before a marker word (`MARK`) that the scanner looks for.
const ALPHA: &str = "ALPHA Osc\u{1b}]0;MARK-title\u{7}x \u{1b}[2JMARK-clear";
const BRAVO: &str = "BRAVO \u{9b}31mMARK-c1 \u{202e}MARK-bidi \u{200b}\u{feff}MARK-zw";
const CHARLIE: &str = "CHARLIE \u{1b}[31mMARK-red Ask\u{1b}[6nMARK-ask \u{8}\u{7f}MARK-del";
/// NUL cannot be in a command's argument: this one comes in through a file.
const FOXTROT: &str = "FOXTROT \u{0}MARK-nul\r\nMARK-line";
const DELTA: &str = "DELTA \u{2066}iso\u{2069}MARK-iso \u{e0041}MARK-tag \u{9d}0;MARK-osc1\u{9c}";
const EVIL_MAIL: &str = "mail\u{1b}]52;c;MARK-clip\u{7}\u{202e}@acme.io";
const EVIL_ID: &str = "id\u{1b}[2JMARK-id\u{9b}\u{200d}";

/// The control and invisible characters a terminal must never receive from data.
fn invisible(c: char) -> bool {
    matches!(c as u32,
        0x80..=0x9f                 // C1 controls
        | 0x61c | 0x200e | 0x200f   // bidi marks
        | 0x202a..=0x202e           // bidi embeddings and overrides
        | 0x2066..=0x2069           // bidi isolates
        | 0x200b..=0x200d           // zero-width space, joiners
        | 0x2060..=0x2064           // word joiner, invisible operators
        | 0xfeff | 0xad | 0x180e    // BOM/ZWNBSP, soft hyphen, Mongolian vowel separator
        | 0xfff9..=0xfffb           // interlinear annotations
        | 0xe0000..=0xe007f         // tags
    )
}

/// What is wrong with the bytes a terminal received: each control or invisible
/// character, each escape sequence of a kind the app never draws with, and each
/// sequence that runs into a marker word of the data.
fn scan(raw: &[u8]) -> Vec<String> {
    let mut problems = Vec::new();
    let text = match std::str::from_utf8(raw) {
        Ok(t) => t,
        Err(e) => return vec![format!("not UTF-8 at byte {}", e.valid_up_to())],
    };
    let chars: Vec<char> = text.chars().collect();
    let context = |i: usize| -> String {
        chars[i.saturating_sub(20)..(i + 20).min(chars.len())]
            .iter()
            .collect::<String>()
            .escape_debug()
            .to_string()
    };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\u{1b}' {
            // CSI: ESC [ parameters (0x30–0x3F) intermediates (0x20–0x2F) final (0x40–0x7E).
            if chars.get(i + 1) == Some(&'[') {
                let mut j = i + 2;
                while chars
                    .get(j)
                    .is_some_and(|c| ('\u{30}'..='\u{3f}').contains(c))
                {
                    j += 1;
                }
                while chars
                    .get(j)
                    .is_some_and(|c| ('\u{20}'..='\u{2f}').contains(c))
                {
                    j += 1;
                }
                let Some(fin) = chars.get(j).filter(|c| ('\u{40}'..='\u{7e}').contains(*c)) else {
                    problems.push(format!("a broken CSI sequence: {}", context(i)));
                    i += 1;
                    continue;
                };
                let params: String = chars[i + 2..j].iter().collect();
                // Cursor moves and positions, erasing, colours and attributes, modes
                // (alternate screen, cursor, mouse, paste), and the queries crossterm
                // asks (cursor position, keyboard enhancement, device attributes).
                let drawing = "ABCDEFGHJKSTdfmr".contains(*fin)
                    || ("hl".contains(*fin) && params.starts_with('?'))
                    || (*fin == 'n' && params == "6")
                    || (*fin == 'u' && params.starts_with('?'))
                    || (*fin == 'c' && (params.is_empty() || params == "0"))
                    || (*fin == 'q' && params.ends_with(' '));
                if !drawing {
                    problems.push(format!(
                        "an escape sequence the app never draws with: {}",
                        context(i)
                    ));
                }
                // The data's own sequences, each right before a marker word: one of them
                // there came from the data.
                let seq: String = chars[i..=j].iter().collect();
                if ["\u{1b}[2J", "\u{1b}[31m", "\u{1b}[6n"].contains(&seq.as_str())
                    && chars[j + 1..].iter().take(4).collect::<String>() == "MARK"
                {
                    problems.push(format!("a sequence from the data: {}", context(i)));
                }
                i = j + 1;
                continue;
            }
            problems.push(format!("an escape that is no CSI: {}", context(i)));
        } else if (c < ' ' && c != '\r' && c != '\n') || c == '\u{7f}' {
            problems.push(format!("control U+{:04X}: {}", c as u32, context(i)));
        } else if invisible(c) {
            problems.push(format!("invisible U+{:04X}: {}", c as u32, context(i)));
        }
        i += 1;
    }
    problems
}

#[test]
fn the_scanner_finds_what_it_looks_for() {
    // What a terminal app sends: positions, colours, modes, queries, text.
    let fine = "\u{1b}[?1049h\u{1b}[?25l\u{1b}[1;1H\u{1b}[38;5;12mJane\u{1b}[0m\u{1b}[2J\u{1b}[6n\u{1b}[?u\u{1b}[c\r\n└─┘ 山田";
    assert_eq!(scan(fine.as_bytes()), Vec::<String>::new());
    for bad in [
        "x\u{1b}]0;t\u{7}",
        "x\u{7}",
        "a\u{9b}b",
        "a\u{202e}b",
        "a\u{200b}b",
        "a\u{e0041}b",
        "a\u{7f}b",
        "\u{1b}[2JMARK",
        "\u{1b}[5i",
        "\u{1b}P1$r",
    ] {
        assert!(!scan(bad.as_bytes()).is_empty(), "{bad:?} passes");
    }
}

/// A store full of hostile values: two profiles each with hostile names, emails, IDs
/// and account names, one managed by a HubSpot account, sharing an email so that a
/// removal predicts a link; and an import file (hostile file name too) whose plan names
/// them as conflict candidates.
fn store(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let db = dir.join("roster.db");
    roster(&db, &["new", "--name", ALPHA, "--email", EVIL_MAIL]);
    roster(&db, &["new", "--name", BRAVO, "--email", EVIL_MAIL]);
    roster(&db, &["new", "--name", CHARLIE]);
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
            EVIL_MAIL,
            "--name",
            DELTA,
        ],
    );
    roster(&db, &["manage", "1", "--system", "hubspot"]);
    roster(
        &db,
        &[
            "connect",
            "1",
            "--system",
            "hr",
            "--external-id",
            EVIL_ID,
            "--email",
            EVIL_MAIL,
            "--name",
            CHARLIE,
        ],
    );
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["external_id", "email", "name"]).unwrap();
    w.write_record(["502", EVIL_MAIL, DELTA]).unwrap();
    w.write_record(["503", "new@acme.io", FOXTROT]).unwrap();
    w.write_record(["501", EVIL_MAIL, DELTA]).unwrap();
    // Typed into the import form: only characters a keyboard can send (a typed ESC
    // starts a key sequence).
    let file = dir.join("ECHO\u{202e}MARK-file\u{200b}\u{9b}.csv");
    std::fs::write(&file, w.into_inner().unwrap()).unwrap();
    (db, file)
}

/// Filters the table down to the profile tagged `tag` (the other tags gone) and keeps
/// the filter.
fn select(app: &App, tag: &str) {
    // Whatever the filter held goes first (Backspace).
    app.keys(&format!("/{}{tag}", "\x7f".repeat(12)));
    app.wait_until(tag, |s| {
        // The table's rows (left of a pane, if one is open).
        let rows: Vec<&str> = s
            .lines()
            .filter(|l| l.starts_with('│'))
            .map(|l| l.split("││").next().unwrap_or(l))
            .collect();
        rows.iter().any(|r| r.contains(tag))
            && ["ALPHA", "BRAVO", "CHARLIE"]
                .iter()
                .all(|t| *t == tag || rows.iter().all(|r| !r.contains(t)))
    });
    app.send("\r");
}

#[test]
fn no_dialog_or_form_sends_data_raw_to_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let (db, file) = store(dir.path());
    let mut app = App::spawn(&db, 140, 45, &[], &[]);
    app.wait_for("ALPHA");

    // The pane of ALPHA, and each menu entry's dialog on each of its accounts.
    select(&app, "ALPHA");
    app.send("\r");
    app.wait_for("Connections (2)");
    for (connection, entries) in [(0, 4), (1, 4)] {
        for entry in 0..entries {
            app.keys(if connection == 0 { "kk" } else { "jj" });
            app.send("\r");
            app.wait_until("the menu", |s| s.contains("Remove and block"));
            app.keys(&"j".repeat(entry));
            app.send("\r");
            app.wait_until("a dialog", |s| s.contains("Cancel (n)"));
            app.send("\x1b");
            app.wait_until("the pane again", |s| !s.contains("Cancel (n)"));
        }
    }
    // The edit form (name and picture locked: managed), the connect form with typed
    // invisible characters, the history.
    app.keys("e");
    app.wait_for("Enter saves · Esc cancels");
    app.send("\x1b");
    app.wait_until("the form closed", |s| {
        !s.contains("Enter saves · Esc cancels")
    });
    app.keys("c");
    app.wait_for("System is a key such as");
    app.keys("hr\tTyped\u{202e}\u{200b}\u{9b}MARK-typed");
    app.send("\x1b");
    app.keys("l");
    app.wait_for("History of");
    app.send("\x1b");
    app.send("\x1b");

    // Merge BRAVO into ALPHA: the preview shows both side by side.
    app.keys("m");
    app.wait_for("pick the profile to fold in");
    select(&app, "BRAVO");
    app.send("\r");
    app.wait_for("Merge BRAVO");
    app.send("\x1b");
    app.wait_for("Cancelled; nothing was changed.");

    // Deactivate and undo ask first, naming the profile and the action.
    app.send("\x1b");
    app.send("\x1b");
    select(&app, "CHARLIE");
    app.keys("d");
    app.wait_for("Deactivate ");
    app.send("\x1b");
    app.keys("u");
    app.wait_for("Undo the most recent action?");
    app.send("\x1b");

    // New employee, typed.
    app.keys("N");
    app.wait_for("New employee");
    app.keys("Bidi\u{202e}MARK-new\u{2066}\tzero\u{200b}@x.io");
    app.send("\x1b");

    // The import form, its dry run's plan (conflict candidates by name), then cancel.
    app.keys("i");
    app.wait_for("Import a file");
    app.keys(file.to_str().unwrap());
    app.send("\t");
    app.keys("hubspot");
    app.send("\r");
    app.wait_for("Dry run of");
    // Down the plan: the conflict's candidates by name, each row's changes.
    for _ in 0..4 {
        app.send("\x1b[6~");
    }
    app.wait_for("BRAVO");
    app.send("\x1b");
    app.wait_until("the plan closed", |s| !s.contains("Dry run of"));
    app.keys("?");
    app.send("\x1b");
    app.keys("q");
    assert_eq!(app.wait_exit(), Some(0));
    app.assert_restored();
    let problems = scan(&app.raw());
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
