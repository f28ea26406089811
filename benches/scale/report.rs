//! The benchmark's one table: each line a measurement, its goal, and whether it is met.

use crate::Baseline;
use crate::child::Ran;

pub struct Line {
    pub what: String,
    pub value: String,
    pub compare: String,
    pub goal: String,
    pub met: bool,
}

impl Line {
    /// An import against its baseline: ratio = baseline time / import time (higher is better).
    pub fn import(what: &str, ran: &Ran, base: &Baseline, goal: f64) -> Line {
        let ratio = base.seconds / ran.seconds;
        Line {
            what: what.to_owned(),
            value: format!("{:.2} s", ran.seconds),
            compare: format!("baseline {:.2} s, ratio {ratio:.2}", base.seconds),
            goal: format!("ratio ≥ {goal}"),
            met: ratio >= goal,
        }
    }

    /// The undo of an import against the import itself: no longer than it.
    pub fn undo(what: &str, undo: &Ran, import: &Ran) -> Line {
        Line {
            what: what.to_owned(),
            value: format!("{:.2} s", undo.seconds),
            compare: format!(
                "the import {:.2} s, ratio {:.2}",
                import.seconds,
                undo.seconds / import.seconds
            ),
            goal: "≤ the import's time".to_owned(),
            met: undo.seconds <= import.seconds,
        }
    }

    /// A measurement with an upper limit.
    pub fn limit(what: &str, value: f64, unit: &str, limit: f64) -> Line {
        Line {
            what: what.to_owned(),
            value: format!("{value:.1} {unit}"),
            compare: String::new(),
            goal: format!("≤ {limit} {unit}"),
            met: value <= limit,
        }
    }

    /// Latencies: p50 and p99 of `samples` (milliseconds) against a p99 limit. No
    /// samples is a goal missed, never a p99 of 0.
    pub fn latency(what: &str, samples: &mut [f64], p99_limit: f64) -> Line {
        if samples.is_empty() {
            return Line {
                what: what.to_owned(),
                value: "no samples".to_owned(),
                compare: "nothing was measured".to_owned(),
                goal: format!("p99 ≤ {p99_limit} ms"),
                met: false,
            };
        }
        samples.sort_by(|a, b| a.total_cmp(b));
        let pick = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
        let p99 = pick(0.99);
        Line {
            what: what.to_owned(),
            value: format!("p50 {:.2} ms", pick(0.5)),
            compare: format!(
                "p99 {p99:.2} ms, max {:.2} ms, n={}",
                pick(1.0),
                samples.len()
            ),
            goal: format!("p99 ≤ {p99_limit} ms"),
            met: p99 <= p99_limit,
        }
    }
}

impl Line {
    /// A yes/no check.
    pub fn check(what: &str, ok: bool, detail: String) -> Line {
        Line {
            what: what.to_owned(),
            value: if ok { "yes" } else { "no" }.to_owned(),
            compare: detail,
            goal: "yes".to_owned(),
            met: ok,
        }
    }

    /// A fact without a goal.
    pub fn info(what: &str, value: String) -> Line {
        Line {
            what: what.to_owned(),
            value,
            compare: String::new(),
            goal: String::new(),
            met: true,
        }
    }
}

#[derive(Default)]
pub struct Table {
    lines: Vec<Line>,
    notes: Vec<String>,
}

impl Table {
    pub fn push(&mut self, line: Line) {
        eprintln!("  {}: {} {}", line.what, line.value, line.compare);
        self.lines.push(line);
    }

    pub fn note(&mut self, note: String) {
        self.notes.push(note);
    }

    pub fn print(&self, n: u64) {
        let goals: Vec<&Line> = self.lines.iter().filter(|l| !l.goal.is_empty()).collect();
        let w = |f: &dyn Fn(&Line) -> &str| {
            goals
                .iter()
                .map(|l| f(l).chars().count())
                .max()
                .unwrap_or(0)
        };
        let (a, b, c, d) = (
            w(&|l| &l.what),
            w(&|l| &l.value),
            w(&|l| &l.compare),
            w(&|l| &l.goal),
        );
        println!("\nroster scale benchmark: {n} people");
        for l in &goals {
            let mark = if l.met { "met" } else { "MISSED" };
            println!(
                "{:a$}  {:>b$}  {:c$}  {:d$}  {mark}",
                l.what, l.value, l.compare, l.goal
            );
        }
        let missed = goals.iter().filter(|l| !l.met).count();
        println!(
            "{} goals judged: {} met, {missed} MISSED",
            goals.len(),
            goals.len() - missed
        );
        for l in self.lines.iter().filter(|l| l.goal.is_empty()) {
            println!("{}: {}", l.what, l.value);
        }
        for n in &self.notes {
            println!("note: {n}");
        }
    }
}
