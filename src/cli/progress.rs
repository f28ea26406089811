//! The progress bar of `roster import` and `roster pull` on stderr (indicatif): rows
//! read, rows per second and, when the file's size is known, how far and the time left.
//! Drawn only on a terminal (never in pipes, logs or tests, nor with --json or
//! --quiet), and only once an import has run a second, so that a small one shows none.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{HumanCount, ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

use crate::domain::sanitize::sanitize;
use crate::service::import::{Phase, Progress};

const DELAY: Duration = Duration::from_secs(1);
/// How often the bar may be drawn (indicatif's own limit, per second).
const REFRESH_HZ: u8 = 10;

/// "importing users.csv [####......]  45%  450,000 rows  52,310 rows/s  00:00:12 left".
/// The position counts rows; the length is the rows the whole file holds at the rate of
/// bytes read so far, so that indicatif's rate and time left are in rows.
/// The bar takes the width the rest leaves, so that the line fits the terminal.
const SIZED: &str =
    "{prefix} [{wide_bar}] {percent:>3}%  {human_pos} rows  {rate}  {eta_precise} left";
/// Stdin or a pull: the end is not known, so no bar and no time left.
const UNSIZED: &str = "{prefix} {spinner} {human_pos} rows  {rate}";
const FINISHING: &str = "{prefix} {spinner} {human_pos} rows read, finishing…";

/// "52,310 rows/s" (indicatif's `per_sec` counts without a unit and with decimals).
fn rate(state: &ProgressState, w: &mut dyn std::fmt::Write) {
    let _ = write!(w, "{} rows/s", HumanCount(state.per_sec().round() as u64));
}

pub struct Bar {
    bar: ProgressBar,
    start: Instant,
    shown: bool,
    enabled: bool,
    phase: Option<(Phase, bool)>,
}

impl Bar {
    /// `what`: "importing users.csv", "pulling hubspot". `quiet`: --json or --quiet.
    pub fn new(what: &str, quiet: bool) -> Bar {
        Bar::with_target(what, !quiet && std::io::stderr().is_terminal())
    }

    fn with_target(what: &str, enabled: bool) -> Bar {
        // Hidden until the delay has passed; it counts meanwhile, so that the first rate
        // it shows is already an average.
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden())
            .with_prefix(sanitize(what).into_owned());
        Bar {
            bar,
            start: Instant::now(),
            shown: false,
            enabled,
            phase: None,
        }
    }

    pub fn update(&mut self, p: &Progress) {
        if !self.enabled {
            return;
        }
        let sized = p.phase == Phase::Records && p.fraction().is_some_and(|f| f > 0.0);
        if self.phase != Some((p.phase, sized)) {
            self.phase = Some((p.phase, sized));
            let template = match (p.phase, sized) {
                (Phase::Finishing, _) => FINISHING,
                (Phase::Records, true) => SIZED,
                (Phase::Records, false) => UNSIZED,
            };
            let style = ProgressStyle::with_template(template)
                .expect("the templates are valid")
                .progress_chars("#>.")
                .with_key("rate", rate);
            self.bar.set_style(style);
            if p.phase == Phase::Finishing {
                // Nothing more to count: the spinner says it is alive.
                self.bar.enable_steady_tick(Duration::from_millis(100));
            }
        }
        if sized && let Some(f) = p.fraction() {
            self.bar
                .set_length(((p.rows as f64 / f).round() as u64).max(p.rows));
        }
        self.bar.set_position(p.rows);
        if !self.shown && self.start.elapsed() >= DELAY {
            self.shown = true;
            self.bar
                .set_draw_target(ProgressDrawTarget::stderr_with_hz(REFRESH_HZ));
            self.bar.tick();
        }
    }

    /// Clears the bar, if one was drawn, before the report is printed.
    pub fn finish(&mut self) {
        self.bar.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use indicatif::TermLike;
    use std::sync::{Arc, Mutex};

    /// A terminal `.1` columns wide that keeps the last line drawn.
    #[derive(Debug, Clone)]
    struct Line(Arc<Mutex<String>>, u16);

    impl TermLike for Line {
        fn width(&self) -> u16 {
            self.1
        }
        fn move_cursor_up(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_down(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_right(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_left(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn write_line(&self, s: &str) -> std::io::Result<()> {
            self.write_str(s)
        }
        fn write_str(&self, s: &str) -> std::io::Result<()> {
            // indicatif pads the line with blanks to clear what it covers.
            if !s.trim().is_empty() {
                *self.0.lock().unwrap() = s.trim_end().to_owned();
            }
            Ok(())
        }
        fn clear_line(&self) -> std::io::Result<()> {
            self.0.lock().unwrap().clear();
            Ok(())
        }
        fn flush(&self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn drawn(p: &Progress) -> String {
        drawn_at(p, 120)
    }

    fn drawn_at(p: &Progress, width: u16) -> String {
        let line = Line(Arc::default(), width);
        let mut bar = Bar::with_target("importing u.csv", true);
        bar.update(p);
        bar.bar
            .set_draw_target(ProgressDrawTarget::term_like(Box::new(line.clone())));
        bar.bar.force_draw();
        let s = line.0.lock().unwrap().clone();
        bar.bar.finish_and_clear();
        s
    }

    #[test]
    fn a_file_of_known_size_shows_how_far_the_rate_and_the_time_left() {
        let s = drawn(&Progress {
            phase: Phase::Records,
            rows: 4096,
            rows_read: 4096,
            bytes_read: 25,
            total_bytes: Some(100),
        });
        // A quarter of the bytes: a quarter of the bar and of the rows.
        let bar = s
            .strip_prefix("importing u.csv [")
            .and_then(|rest| rest.split_once("]  25%  4,096 rows  "))
            .map(|(bar, _)| bar)
            .unwrap_or_else(|| panic!("{s}"));
        let done = bar.matches('#').count() as f64 / bar.chars().count() as f64;
        assert!((0.2..0.3).contains(&done), "{s}");
        assert!(s.contains(" rows/s  "), "{s}");
        assert!(s.ends_with(" left"), "{s}");
        // The bar fills the terminal's width and no more, at 120 columns and at 80.
        assert_eq!(s.chars().count(), 120, "{s}");
        let p = Progress {
            phase: Phase::Records,
            rows: 450_000,
            rows_read: 450_000,
            bytes_read: 45,
            total_bytes: Some(100),
        };
        let narrow = drawn_at(&p, 80);
        assert!(narrow.contains("]  45%  450,000 rows  "), "{narrow}");
        assert_eq!(narrow.chars().count(), 80, "{narrow}");
    }

    #[test]
    fn how_far_counts_the_rows_done_not_the_bytes_the_reader_is_at() {
        // The reader has parsed twice the rows done, and is half-way through the file:
        // the file holds 16,384 rows, a quarter of them done.
        let p = Progress {
            phase: Phase::Records,
            rows: 4096,
            rows_read: 8192,
            bytes_read: 50,
            total_bytes: Some(100),
        };
        assert_eq!(p.fraction(), Some(0.25));
        let s = drawn(&p);
        assert!(s.contains("]  25%  4,096 rows  "), "{s}");
    }

    #[test]
    fn stdin_shows_the_rows_and_the_rate_but_no_end() {
        let s = drawn(&Progress {
            phase: Phase::Records,
            rows: 8192,
            rows_read: 8192,
            bytes_read: 50,
            total_bytes: None,
        });
        assert!(s.starts_with("importing u.csv "), "{s}");
        assert!(s.contains(" 8,192 rows  "), "{s}");
        assert!(s.ends_with(" rows/s"), "{s}");
        assert!(!s.contains('%') && !s.contains("left"), "{s}");
    }

    #[test]
    fn finishing_says_so() {
        let s = drawn(&Progress {
            phase: Phase::Finishing,
            rows: 10,
            rows_read: 10,
            bytes_read: 100,
            total_bytes: Some(100),
        });
        assert!(s.ends_with(" 10 rows read, finishing…"), "{s}");
    }

    #[test]
    fn nothing_is_drawn_before_the_delay_nor_when_off() {
        let p = Progress {
            phase: Phase::Records,
            rows: 1,
            rows_read: 1,
            bytes_read: 1,
            total_bytes: Some(2),
        };
        let mut bar = Bar::with_target("importing u.csv", true);
        bar.update(&p);
        assert!(!bar.shown);
        let mut off = Bar::with_target("importing u.csv", false);
        off.start -= DELAY;
        off.update(&p);
        assert!(!off.shown);
    }
}
