//! The problems that refuse an import: all of them are collected, the first 50 shown.

use std::fmt;

use crate::domain::sanitize::escape_for_text;
use crate::error::Error;

/// How many problems an error message lists.
pub const SHOWN: usize = 50;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The record's number (1 = the first record; a CSV header is not counted).
    pub row: Option<u64>,
    /// The line it starts on, when the format has lines.
    pub line: Option<u64>,
    /// A phrase: "the email 'bob' has no '@'".
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.row, self.line) {
            (Some(r), Some(l)) => write!(f, "row {r} (line {l}): {}", self.message),
            (Some(r), None) => write!(f, "row {r}: {}", self.message),
            (None, Some(l)) => write!(f, "line {l}: {}", self.message),
            (None, None) => f.write_str(&self.message),
        }
    }
}

#[derive(Debug, Default)]
pub struct Problems {
    shown: Vec<Problem>,
    total: u64,
}

impl Problems {
    pub fn push(&mut self, p: Problem) {
        self.total += 1;
        if self.shown.len() < SHOWN {
            self.shown.push(p);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// The refusal: what happened, then one problem per line.
    pub fn into_error(self, file: &str) -> Error {
        let mut s = format!(
            "Nothing was imported: {} has {} problem{}. Fix {} and run the import again.",
            escape_for_text(file),
            self.total,
            if self.total == 1 { "" } else { "s" },
            if self.total == 1 { "it" } else { "them" },
        );
        for p in &self.shown {
            s.push_str(&format!("\n  {}: {p}.", escape_for_text(file)));
        }
        if self.total > self.shown.len() as u64 {
            s.push_str(&format!(
                "\n  … and {} more (only the first {SHOWN} are listed).",
                self.total - self.shown.len() as u64
            ));
        }
        Error::Invalid(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_the_first_fifty_and_counts_the_rest() {
        let mut ps = Problems::default();
        for i in 1..=60 {
            ps.push(Problem {
                row: Some(i),
                line: Some(i + 1),
                message: "the external ID is empty".into(),
            });
        }
        let Error::Invalid(msg) = ps.into_error("users.csv") else {
            panic!()
        };
        assert!(msg.starts_with("Nothing was imported: users.csv has 60 problems."));
        assert!(msg.contains("\n  users.csv: row 1 (line 2): the external ID is empty."));
        assert!(msg.contains("row 50 (line 51)"));
        assert!(!msg.contains("row 51 "));
        assert!(msg.ends_with("… and 10 more (only the first 50 are listed)."));
    }

    /// One problem: "1 problem", "Fix it"; exactly fifty: all listed, no "more" line;
    /// none: nothing to refuse.
    #[test]
    fn one_problem_and_exactly_fifty_are_said_as_they_are() {
        let mut ps = Problems::default();
        assert!(ps.is_empty());
        ps.push(Problem {
            row: None,
            line: Some(3),
            message: "the JSON is malformed".into(),
        });
        assert!(!ps.is_empty());
        let Error::Invalid(msg) = ps.into_error("users.json") else {
            panic!()
        };
        assert_eq!(
            msg,
            "Nothing was imported: users.json has 1 problem. Fix it and run the import again.\n  users.json: line 3: the JSON is malformed."
        );
        let mut ps = Problems::default();
        for i in 1..=SHOWN as u64 {
            ps.push(Problem {
                row: Some(i),
                line: None,
                message: "the external ID is empty".into(),
            });
        }
        let Error::Invalid(msg) = ps.into_error("users.csv") else {
            panic!()
        };
        assert!(msg.starts_with("Nothing was imported: users.csv has 50 problems. Fix them"));
        assert!(
            msg.ends_with("\n  users.csv: row 50: the external ID is empty."),
            "{msg}"
        );
        assert!(!msg.contains("more"), "{msg}");
    }
}
