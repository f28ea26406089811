//! The README's screen captures are the real app's: each one is rendered here from the
//! demo database (`roster --demo`) at the README's size, and the test fails when the
//! README's copy differs. `UPDATE_README=1 cargo test --lib readme` writes them instead.
//!
//! A capture in the README is an indented block right under a line
//! `<!-- capture: NAME -->`; a block drawn with box characters and no such line fails
//! the test, so no capture can be pasted by hand.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use unicode_width::UnicodeWidthStr;

use super::{Harness, actor};
use crate::service::Service;
use crate::store::Store;
use crate::tui::app::App;
use crate::tui::view::view;

/// The README's captures: 100 columns (a wide SSH window, under the pane's 110), 22 rows.
const WIDTH: u16 = 100;
const HEIGHT: u16 = 22;

/// The clock of every time the demo stamped (the app shows them, e.g. the pane's "at"),
/// and who made its connections: fixed, so that no capture shows the day it was made
/// (the audit log, append-only, keeps its own: no capture shows it).
const AT: &str = "2026-03-02T09:30:00.000Z";
const BY: &str = "alice (as demo)";

/// The demo database, the app on it as `roster --demo` opens it.
fn demo() -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let built = crate::demo::build(dir.path()).unwrap();
    let store = Store::open(&built.path).unwrap();
    let db = store.conn();
    let stamped: Vec<(String, String)> = db
        .prepare(
            "SELECT m.name, c.name FROM sqlite_master m, pragma_table_info(m.name) c
             WHERE m.type = 'table' AND m.name <> 'audit' AND (c.name = 'at' OR c.name LIKE '%\\_at' ESCAPE '\\')",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(stamped.len() >= 5, "{stamped:?}");
    for (table, column) in stamped {
        db.execute(
            &format!("UPDATE {table} SET {column} = ?1 WHERE {column} IS NOT NULL"),
            [AT],
        )
        .unwrap();
    }
    db.execute("UPDATE connections SET created_by = ?1", [BY])
        .unwrap();
    // The import runs name the demo's files in a folder that is new each run, and who ran
    // the import: shown as the real demo shows its folder, and by the fixed admin.
    db.execute(
        "UPDATE import_runs SET actor = ?1, file = replace(file, ?2, '/tmp/roster-demo-…')",
        [BY, &dir.path().display().to_string()],
    )
    .unwrap();
    let mut app = App::inline(Service::new(store, actor()), WIDTH, HEIGHT);
    app.state.color = true;
    // What `roster --demo` says on opening, its temporary folder shortened.
    app.state
        .info("Demo, removed on quit: /tmp/roster-demo-…/roster.db");
    let mut h = Harness { dir, app };
    h.start();
    h
}

/// The screen as the terminal shows it: a wide character's second cell is not text.
fn text(h: &Harness) -> String {
    let mut term = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap();
    term.draw(|f| view(&h.state, f)).unwrap();
    let buf = term.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        let mut skip = 0;
        for x in 0..buf.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let symbol = buf[(x, y)].symbol();
            skip = symbol.width().saturating_sub(1);
            line.push_str(symbol);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Each capture: its name in the README and the screen, from the app as the demo opens.
fn captures() -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let mut h = demo();
    out.push(("main", text(&h)));
    // The pane of a profile in two systems, managed by one of them.
    h.select("Aiko Rossi");
    h.enter();
    out.push(("pane", text(&h)));
    // Remove the HubSpot account (selected first), whose email is the profile's own.
    h.enter();
    h.keys("r");
    out.push(("remove", text(&h)));
    h.esc();
    h.esc();
    // The import form, then its dry run's plan.
    h.fill_import_form("assets/demo/hubspot.json", "hubspot");
    h.enter();
    out.push(("import", text(&h)));
    out
}

const MARK: &str = "<!-- capture: ";

/// The README with every capture block replaced by `render(name)`; the names found.
fn rewrite(readme: &str, render: &dyn Fn(&str) -> Option<String>) -> (String, Vec<String>) {
    let mut out = String::new();
    let mut names = Vec::new();
    let mut lines = readme.lines().peekable();
    while let Some(line) = lines.next() {
        out.push_str(line);
        out.push('\n');
        let Some(name) = line
            .strip_prefix(MARK)
            .and_then(|rest| rest.strip_suffix(" -->"))
        else {
            continue;
        };
        names.push(name.to_owned());
        let mut old = String::new();
        while let Some(l) = lines.next_if(|l| l.starts_with("    ")) {
            old.push_str(l);
            old.push('\n');
        }
        match render(name) {
            Some(screen) => {
                for l in screen.lines() {
                    out.push_str(format!("    {l}").trim_end());
                    out.push('\n');
                }
            }
            None => out.push_str(&old),
        }
    }
    (out, names)
}

/// The indented blocks drawn with box characters that no capture line announces.
fn unmarked(readme: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut marked = false;
    let mut in_block = false;
    for line in readme.lines() {
        let indented = line.starts_with("    ");
        if indented && !in_block && !marked && line.contains(['┌', '│', '└']) {
            found.push(line.to_owned());
        }
        if indented {
            in_block = true;
        } else {
            in_block = false;
            marked = line.starts_with(MARK);
        }
    }
    found
}

#[test]
fn the_readme_captures_are_the_apps_screens() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let readme = std::fs::read_to_string(path).unwrap();
    let captures = captures();
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    for (name, screen) in &captures {
        assert!(!screen.contains(&today), "{name} shows today:\n{screen}");
    }
    let render = |name: &str| {
        captures
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, s)| s.clone())
    };
    let (fresh, names) = rewrite(&readme, &render);
    let mut expected: Vec<&str> = captures.iter().map(|(n, _)| *n).collect();
    let mut found: Vec<&str> = names.iter().map(String::as_str).collect();
    expected.sort_unstable();
    found.sort_unstable();
    assert_eq!(
        found, expected,
        "the README's `{MARK}NAME -->` lines and the captures rendered here differ"
    );
    let stray = unmarked(&readme);
    assert!(
        stray.is_empty(),
        "the README shows a screen that no test renders (add it to captures() in {}): {stray:?}",
        file!()
    );
    if std::env::var_os("UPDATE_README").is_some() {
        std::fs::write(path, &fresh).unwrap();
        return;
    }
    if fresh != readme {
        let differs = fresh
            .lines()
            .zip(readme.lines())
            .find(|(a, b)| a != b)
            .map(|(a, b)| format!("\n  the app: {a}\n  README:  {b}"))
            .unwrap_or_default();
        panic!(
            "a README capture is not what the app shows now; `UPDATE_README=1 cargo test --lib readme` writes them (then read the diff):{differs}"
        );
    }
}

#[test]
fn a_block_without_its_capture_line_is_found() {
    let readme = "Text.\n\n    ┌ Active ──┐\n    │x│\n\n<!-- capture: main -->\n    ┌ Active ──┐\n";
    assert_eq!(unmarked(readme), vec!["    ┌ Active ──┐".to_owned()]);
    let (out, names) = rewrite(readme, &|n| (n == "main").then(|| "new\n".to_owned()));
    assert_eq!(names, vec!["main".to_owned()]);
    assert!(out.ends_with("<!-- capture: main -->\n    new\n"), "{out}");
}
