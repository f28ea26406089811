//! A test hook for the crash and concurrency tests, like the app's
//! `ROSTER_DEBUG_PANIC_KEY` (present in every build, so that `cargo test --release`
//! runs those tests too; one environment lookup per write costs nothing): with
//! `ROSTER_DEBUG_PAUSE=POINT` the process stops at that point of a write, says so on
//! stderr ("roster-debug: paused at POINT") and sleeps until it is killed; with
//! `POINT:MS` it sleeps MS milliseconds and goes on (`POINT:0` only says it passed); with
//! `POINT:wait` it waits until the file named by `ROSTER_DEBUG_RESUME` exists, so that a
//! test decides when it goes on instead of guessing a time. Points: `write-start` (the write
//! lock is held, nothing written yet), `import-written` (every record of an import is
//! written, the transaction is still open; `rows-written` comes before it, when the
//! records are written and the derived columns and indexes not yet), `commit` (just
//! before COMMIT), `committed`
//! (just after it). Several points may be given, separated by commas.

/// Stops here when the environment asks for it (see the module documentation).
pub fn pause(point: &str) {
    use std::io::Write;
    let Ok(spec) = std::env::var("ROSTER_DEBUG_PAUSE") else {
        return;
    };
    for item in spec.split(',') {
        let (name, how) = match item.split_once(':') {
            Some((n, how)) => (n, Some(how)),
            None => (item, None),
        };
        if name != point {
            continue;
        }
        let mut err = std::io::stderr().lock();
        let _ = writeln!(err, "roster-debug: paused at {point}");
        let _ = err.flush();
        drop(err);
        match how {
            Some("wait") => {
                let resume = std::env::var_os("ROSTER_DEBUG_RESUME").unwrap_or_default();
                while !std::path::Path::new(&resume).exists() {
                    std::thread::sleep(std::time::Duration::from_millis(5));
                }
            }
            Some(ms) => {
                let ms = ms.parse::<u64>().unwrap_or(0);
                std::thread::sleep(std::time::Duration::from_millis(ms));
            }
            None => loop {
                std::thread::sleep(std::time::Duration::from_secs(3600));
            },
        }
    }
}
