//! `roster import`'s progress bar on a terminal (README "Importing › The report"): the
//! real binary in a pseudo-terminal reads a named pipe that the test fills, so the
//! import lasts as long as the test wants; the bar shows the rows and their rate once
//! the import has run a second, and is cleared before the report.

use crate::pty::{self, App};

/// Rows `from..to` of a generic export (external_id, email, name).
pub fn rows(from: usize, to: usize) -> String {
    (from..to)
        .map(|i| format!("{i},person{i}@acme.com,Person {i}\n"))
        .collect()
}

/// A named pipe in `dir`.
pub fn fifo(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("users.csv");
    nix::unistd::mkfifo(&path, nix::sys::stat::Mode::from_bits_truncate(0o600)).unwrap();
    path
}

#[test]
fn the_bar_shows_rows_and_their_rate_on_a_terminal_and_is_cleared_before_the_report() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("roster.db");
    let pipe = fifo(dir.path());
    let mut app = App::spawn(
        &db,
        120,
        30,
        &["import", pipe.to_str().unwrap(), "--system", "zendesk"],
        &[],
    );
    // Opens once roster opened it to read.
    let mut w = std::fs::File::create(&pipe).unwrap();
    w.write_all(b"external_id,email,name\n").unwrap();
    // A batch of rows at a time (roster reports every 4096) until the bar is drawn: it
    // is, once the import has run a second.
    let mut n = 0;
    let deadline = std::time::Instant::now() + pty::PATIENCE;
    while !app.screen().contains("rows/s") {
        assert!(
            std::time::Instant::now() < deadline,
            "no progress bar; the screen:\n{}",
            app.screen()
        );
        w.write_all(rows(n, n + 4096).as_bytes()).unwrap();
        n += 4096;
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let screen = app.screen();
    let line = screen.lines().find(|l| l.contains("rows/s")).unwrap();
    assert!(line.starts_with("importing users.csv "), "{line}");
    assert!(line.contains(" rows  "), "{line}");
    drop(w);
    assert_eq!(app.wait_exit(), Some(0), "{}", app.screen());
    let screen = app.screen();
    assert!(screen.contains("Imported "), "{screen}");
    assert!(!screen.contains("rows/s"), "the bar was left:\n{screen}");
}
