//! A progress line on stderr for imports that take more than a second, only when stderr
//! is a terminal (never in pipes, logs or tests).

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use crate::domain::sanitize::sanitize;
use crate::service::import::{Phase, Progress};

const DELAY: Duration = Duration::from_secs(1);
const EVERY: Duration = Duration::from_millis(100);
const WIDTH: usize = 30;

pub struct Bar {
    label: String,
    start: Instant,
    last: Option<Instant>,
    enabled: bool,
}

impl Bar {
    pub fn new(label: &str) -> Bar {
        Bar {
            label: sanitize(label).into_owned(),
            start: Instant::now(),
            last: None,
            enabled: std::io::stderr().is_terminal(),
        }
    }

    pub fn update(&mut self, p: &Progress) {
        if !self.enabled || self.start.elapsed() < DELAY {
            return;
        }
        if self.last.is_some_and(|l| l.elapsed() < EVERY) && p.phase == Phase::Records {
            return;
        }
        self.last = Some(Instant::now());
        eprint!("\r\x1b[2K{}", line(&self.label, p));
        let _ = std::io::stderr().flush();
    }

    /// Clears the line, if one was drawn.
    pub fn finish(&mut self) {
        if self.last.is_some() {
            eprint!("\r\x1b[2K");
            let _ = std::io::stderr().flush();
        }
    }
}

/// "importing users.csv [#######.......] 45%  450000 rows".
pub fn line(label: &str, p: &Progress) -> String {
    match (p.phase, p.fraction()) {
        (Phase::Finishing, _) => format!("importing {label}: {} rows read, finishing…", p.rows),
        (Phase::Records, Some(f)) => {
            let done = (f * WIDTH as f64).round() as usize;
            format!(
                "importing {label} [{}{}] {:>3.0}%  {} rows",
                "#".repeat(done),
                ".".repeat(WIDTH - done.min(WIDTH)),
                f * 100.0,
                p.rows
            )
        }
        (Phase::Records, None) => format!("importing {label}: {} rows", p.rows),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines() {
        let p = Progress {
            phase: Phase::Records,
            rows: 4096,
            bytes_read: 50,
            total_bytes: Some(100),
        };
        assert_eq!(
            line("u.csv", &p),
            format!(
                "importing u.csv [{}{}]  50%  4096 rows",
                "#".repeat(15),
                ".".repeat(15)
            )
        );
        let p = Progress {
            total_bytes: None,
            ..p
        };
        assert_eq!(line("stdin", &p), "importing stdin: 4096 rows");
    }
}
