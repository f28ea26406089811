//! Plain-text tables for the human output: sanitised cells, aligned by display width
//! (CJK and emoji count two columns), long cells cut with an ellipsis.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::domain::sanitize::sanitize;

const MAX_CELL: usize = 40;

/// Cuts `s` to at most `width` columns, ending in '…' when something was cut.
pub fn fit(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(header: &[&str]) -> Table {
        Table {
            header: header.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row of data strings; they are sanitised here, and cut unless they are
    /// in the last column (which has the rest of the line).
    pub fn row(&mut self, cells: Vec<String>) {
        let last = self.header.len().saturating_sub(1);
        self.rows.push(
            cells
                .into_iter()
                .enumerate()
                .map(|(i, c)| {
                    let clean = sanitize(&c);
                    if i < last {
                        fit(&clean, MAX_CELL)
                    } else {
                        clean.into_owned()
                    }
                })
                .collect(),
        );
    }

    pub fn render(&self) -> String {
        let cols = self.header.len();
        let mut widths: Vec<usize> = self.header.iter().map(|h| h.width()).collect();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate().take(cols) {
                widths[i] = widths[i].max(cell.width());
            }
        }
        let mut out = String::new();
        let mut line = |cells: &[String]| {
            let mut l = String::new();
            for (i, cell) in cells.iter().enumerate().take(cols) {
                l.push_str(cell);
                if i + 1 < cols {
                    l.push_str(&" ".repeat(widths[i] - cell.width() + 2));
                }
            }
            out.push_str(l.trim_end());
            out.push('\n');
        };
        line(&self.header);
        for row in &self.rows {
            line(row);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_characters_stay_aligned() {
        let mut t = Table::new(&["NAME", "X"]);
        t.row(vec!["山田太郎".into(), "1".into()]);
        t.row(vec!["Bob".into(), "2".into()]);
        let out = t.render();
        let lines: Vec<&str> = out.lines().collect();
        let col = |l: &str| l[..l.rfind(|c: char| c.is_ascii_digit() || c == 'X').unwrap()].width();
        assert_eq!(col(lines[1]), col(lines[2]));
        assert_eq!(col(lines[0]), col(lines[2]));
    }

    #[test]
    fn hostile_cells_are_sanitised_and_cut() {
        let mut t = Table::new(&["NAME", "X"]);
        t.row(vec![format!("\u{1b}[2J{}", "x".repeat(100)), "1".into()]);
        let out = t.render();
        assert!(!out.contains('\u{1b}'));
        assert!(out.lines().nth(1).unwrap().contains("x… "));
        assert_eq!(fit("abcdef", 4), "abc…");
    }
}
