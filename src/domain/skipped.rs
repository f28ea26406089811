//! Rows an import skips because the system marks them as not people (bots, guests,
//! customers, automated users): counted per reason, with the first rows of each.

use serde::Serialize;

/// One skipped row, as the reader found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedRow {
    pub row: u64,
    pub external_id: String,
    pub reason: String,
}

/// A row of a reason's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedAt {
    pub row: u64,
    pub external_id: String,
}

/// The skipped rows of one reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkipReason {
    pub reason: String,
    pub count: u64,
    /// The first rows (up to `ROWS_KEPT`).
    pub rows: Vec<SkippedAt>,
}

/// Every skipped row, counted per reason.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub count: u64,
    pub reasons: Vec<SkipReason>,
}

/// How many rows each reason lists (the count covers them all).
pub const ROWS_KEPT: usize = 20;
/// How many distinct reasons are kept; later ones are counted under the last.
const REASONS_KEPT: usize = 50;

impl SkipReason {
    /// "2 not a Standard user (UserType Guest): rows 4 (005…), 9 (005…)": the reason and
    /// its first rows, for people (sanitised for the terminal).
    pub fn line(&self) -> String {
        use super::sanitize::sanitize;
        let rows: Vec<String> = self
            .rows
            .iter()
            .take(5)
            .map(|s| {
                if s.external_id.is_empty() {
                    s.row.to_string()
                } else {
                    format!("{} ({})", s.row, sanitize(&s.external_id))
                }
            })
            .collect();
        let more = if self.count > rows.len() as u64 {
            ", …"
        } else {
            ""
        };
        format!(
            "{} {}: row{} {}{more}",
            self.count,
            sanitize(&self.reason),
            if self.count == 1 { "" } else { "s" },
            rows.join(", ")
        )
    }
}

impl Skipped {
    pub fn add(&mut self, s: SkippedRow) {
        self.count += 1;
        let at = SkippedAt {
            row: s.row,
            external_id: s.external_id,
        };
        let i = match self.reasons.iter().position(|r| r.reason == s.reason) {
            Some(i) => i,
            None if self.reasons.len() < REASONS_KEPT => {
                self.reasons.push(SkipReason {
                    reason: s.reason,
                    count: 0,
                    rows: Vec::new(),
                });
                self.reasons.len() - 1
            }
            None => {
                if self.reasons.len() == REASONS_KEPT {
                    self.reasons.push(SkipReason {
                        reason: "other reasons".to_owned(),
                        count: 0,
                        rows: Vec::new(),
                    });
                }
                self.reasons.len() - 1
            }
        };
        let r = &mut self.reasons[i];
        r.count += 1;
        if r.rows.len() < ROWS_KEPT {
            r.rows.push(at);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counted_per_reason_with_the_first_rows() {
        let mut s = Skipped::default();
        for row in 1..=30 {
            s.add(SkippedRow {
                row,
                external_id: format!("U{row}"),
                reason: if row % 10 == 0 {
                    "Slackbot"
                } else {
                    "a bot (is_bot)"
                }
                .into(),
            });
        }
        assert_eq!(s.count, 30);
        assert_eq!(s.reasons.len(), 2);
        assert_eq!(
            (s.reasons[0].count, s.reasons[0].rows.len()),
            (27, ROWS_KEPT)
        );
        assert_eq!(s.reasons[1].rows[2].external_id, "U30");
        assert_eq!(
            s.reasons[1].line(),
            "3 Slackbot: rows 10 (U10), 20 (U20), 30 (U30)"
        );
        assert!(s.reasons[0].line().ends_with("4 (U4), 5 (U5), …"));
    }

    #[test]
    fn reasons_past_the_fiftieth_are_counted_as_other_reasons() {
        let mut s = Skipped::default();
        for row in 1..=53 {
            s.add(SkippedRow {
                row,
                external_id: String::new(),
                reason: format!("reason {row}"),
            });
        }
        // A reason already kept still counts under its own name.
        s.add(SkippedRow {
            row: 54,
            external_id: String::new(),
            reason: "reason 50".into(),
        });
        assert_eq!(s.count, 54);
        assert_eq!(s.reasons.len(), REASONS_KEPT + 1);
        assert_eq!(s.reasons[REASONS_KEPT - 1].reason, "reason 50");
        assert_eq!(s.reasons[REASONS_KEPT - 1].count, 2);
        let other = &s.reasons[REASONS_KEPT];
        assert_eq!((other.reason.as_str(), other.count), ("other reasons", 3));
        assert_eq!(other.line(), "3 other reasons: rows 51, 52, 53");
        assert_eq!(s.reasons[0].line(), "1 reason 1: row 1");
    }
}
