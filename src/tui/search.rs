//! Filtered views that never make the screen wait. A filter is a substring search, which
//! no index answers: a rare term may mean looking at every row of a million. So the rows
//! of a filtered view come from bounded scans (`store::listing::scan` and
//! `store::listing::scan_before`: at most `budget` rows of the tab each), run step by
//! step on the worker thread. Each step's finds are shown at once ("searching… N found")
//! and the scan goes on from where it stopped until enough rows are found or the view
//! ends; a newer keystroke replaces the scan (the old one stops at its next step).
//!
//! Moving in a filtered view moves among the rows held, at once; when the move runs past
//! them, what is left of it waits (`State::pending`) and a scan for more rows starts;
//! the rows held stay a short run around the screen, as in a plain tab.

use rusqlite::Connection;

use super::list::{Fetch, ListWindow, buffer};
use super::state::State;
use crate::error::Error;
use crate::store::listing::scan_before;
use crate::store::listing::{self, ListRow, Page, SortKey, View};

/// How many rows of the tab one step looks at, at most: a few tens of milliseconds at a
/// million rows, so a newer keystroke never waits long for the worker.
pub const BUDGET: usize = 20_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dir {
    /// Rows after `from` (from the start of the view when none).
    Down,
    /// Rows before `from` (from the end of the view when none).
    Up,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// The view's first rows: they replace the rows held.
    First,
    /// The view's last rows (End): they replace the rows held.
    Last,
    /// More rows beyond the ones held, in `dir`.
    More,
}

/// A scan the state waits for.
#[derive(Debug, Clone)]
pub struct Scan {
    /// Tells its answers from an older scan's.
    pub id: u64,
    pub view: View,
    pub dir: Dir,
    pub purpose: Purpose,
    /// Where the next step starts (exclusive).
    pub from: Option<SortKey>,
    /// Rows still wanted.
    pub want: usize,
    /// Rows found so far.
    pub found: u64,
    /// Rows of the tab looked at per step, at most.
    pub budget: usize,
    /// Rows the next step looks at: a tenth of `budget` at first, so that what a new
    /// term finds (or that it finds nothing yet) shows at once, then doubling.
    pub step_budget: usize,
    /// First/Last: the rows held were replaced. Until then the old rows stay on screen
    /// (Home and End keep them until something is found; a new term shows what it finds
    /// from its first step on).
    pub replaced: bool,
    /// First: replace the rows held only once something is found (Home).
    pub keep_until_found: bool,
    /// Handed to the worker.
    pub sent: bool,
}

/// What one step found.
#[derive(Debug, Clone)]
pub struct Found {
    pub id: u64,
    /// In ascending order.
    pub rows: Vec<ListRow>,
    /// Where a next step would start; `None` when the scan reached the end of the view in
    /// its direction.
    pub next: Option<SortKey>,
}

/// Budgets this small (tests) are used as they are, without the ramp.
const RAMP_FROM: usize = 1000;

fn first_step_budget(budget: usize) -> usize {
    if budget >= RAMP_FROM {
        budget / 10
    } else {
        budget
    }
}

impl Scan {
    /// After a step: the next one looks at twice as many rows, up to the budget.
    pub fn grow(&mut self) {
        self.step_budget = (self.step_budget * 2).min(self.budget).max(1);
    }

    /// The scan is over once this step is taken in: enough found, or the view ended.
    pub fn last_step(&self, f: &Found) -> bool {
        f.next.is_none() || f.rows.len() >= self.want
    }
}

/// One bounded step of `scan`.
pub fn step(db: &Connection, scan: &Scan) -> Result<Found, Error> {
    let want = scan.want.max(1);
    if scan.view.text.is_none() {
        // A plain tab: one keyset page is all there is to it (rows read ahead).
        let page = match (scan.dir, &scan.from) {
            (Dir::Down, Some(k)) => Page::After(k.clone()),
            (Dir::Down, None) => Page::First,
            (Dir::Up, Some(k)) => Page::Before(k.clone()),
            (Dir::Up, None) => Page::Last,
        };
        let rows = listing::page(db, &scan.view, &page, want)?;
        let next = if rows.len() < want {
            None
        } else {
            match scan.dir {
                Dir::Down => rows.last().map(ListRow::key),
                Dir::Up => rows.first().map(ListRow::key),
            }
        };
        return Ok(Found {
            id: scan.id,
            rows,
            next,
        });
    }
    let s = match scan.dir {
        Dir::Down => listing::scan(db, &scan.view, scan.from.as_ref(), want, scan.step_budget)?,
        Dir::Up => scan_before(db, &scan.view, scan.from.as_ref(), want, scan.step_budget)?,
    };
    Ok(Found {
        id: scan.id,
        rows: s.rows,
        next: s.resume,
    })
}

/// Pages of a filtered view read by bounded scan steps (for re-reading the rows around
/// the screen after a change); `go_on` is asked between steps and stops the read when
/// it says no (a newer request came).
pub struct ScanFetch<'a> {
    pub db: &'a Connection,
    pub view: &'a View,
    pub budget: usize,
    pub go_on: &'a dyn Fn() -> bool,
}

/// The read was given up for a newer one.
pub fn cancelled() -> Error {
    Error::Db(rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_INTERRUPT),
        Some("cancelled for a newer request".into()),
    ))
}

impl Fetch for ScanFetch<'_> {
    fn fetch(&mut self, page: &Page, limit: usize) -> Result<Vec<ListRow>, Error> {
        let (dir, mut from) = match page {
            Page::First => (Dir::Down, None),
            Page::After(k) => (Dir::Down, Some(k.clone())),
            Page::Before(k) => (Dir::Up, Some(k.clone())),
            Page::Last => (Dir::Up, None),
        };
        let mut rows: Vec<ListRow> = Vec::new();
        while rows.len() < limit {
            if !(self.go_on)() {
                return Err(cancelled());
            }
            let want = limit - rows.len();
            let s = match dir {
                Dir::Down => listing::scan(self.db, self.view, from.as_ref(), want, self.budget)?,
                Dir::Up => scan_before(self.db, self.view, from.as_ref(), want, self.budget)?,
            };
            match dir {
                Dir::Down => rows.extend(s.rows),
                Dir::Up => {
                    let mut found = s.rows;
                    found.append(&mut rows);
                    rows = found;
                }
            }
            match s.resume {
                Some(k) => from = Some(k),
                None => break,
            }
        }
        Ok(rows)
    }
}

impl State {
    /// A filtered view is on screen (its rows come from scans).
    pub fn filtered(&self) -> bool {
        self.filter.text().is_some()
    }

    /// Starts a scan (replacing any other).
    pub fn start_scan(&mut self, dir: Dir, purpose: Purpose, from: Option<SortKey>, want: usize) {
        self.scan_seq += 1;
        self.scan = Some(Scan {
            id: self.scan_seq,
            view: self.view(),
            dir,
            purpose,
            from,
            want: want.max(1),
            found: 0,
            budget: self.scan_budget,
            step_budget: first_step_budget(self.scan_budget),
            replaced: false,
            keep_until_found: false,
            sent: false,
        });
    }

    /// The first rows of the filtered view, after a new term or tab.
    pub fn scan_first(&mut self) {
        self.pending = 0;
        let want = buffer(self.table_height());
        self.start_scan(Dir::Down, Purpose::First, None, want);
    }

    /// A scan is running, and the screen waits for it: the first or last rows, or a
    /// move that ran past the rows held, or a screen that is not full.
    pub fn searching(&self) -> bool {
        let Some(s) = &self.scan else { return false };
        match s.purpose {
            Purpose::First | Purpose::Last => true,
            Purpose::More => {
                self.pending != 0
                    || self.list.visible(self.table_height()).len() < self.table_height()
            }
        }
    }

    /// Takes in one step's finds.
    pub fn take_found(&mut self, found: Found) {
        let height = self.table_height();
        let Some(scan) = self.scan.as_mut() else {
            return;
        };
        if scan.id != found.id {
            return;
        }
        let last = scan.last_step(&found);
        let reached = found.next.is_none();
        let n = found.rows.len();
        scan.found += n as u64;
        scan.want = scan.want.saturating_sub(n);
        scan.from = found.next.clone();
        scan.grow();
        let list = &mut self.list;
        match (scan.purpose, scan.dir) {
            (Purpose::First, _) if !scan.replaced => {
                if n > 0 || reached || !scan.keep_until_found {
                    scan.replaced = true;
                    *list = ListWindow::default();
                    list.set_first(found.rows, height);
                    // `set_first` judges the end by the count; a scan knows it.
                    list.at_end = reached;
                }
            }
            (Purpose::Last, _) if !scan.replaced => {
                if n > 0 || reached {
                    scan.replaced = true;
                    *list = ListWindow::default();
                    list.set_last(found.rows, reached, height);
                }
            }
            (Purpose::First, _) | (Purpose::More, Dir::Down) => {
                list.append(found.rows, reached, height)
            }
            (Purpose::Last, _) | (Purpose::More, Dir::Up) => {
                list.prepend(found.rows, reached, height)
            }
        }
        self.list_gen += 1;
        if last {
            self.scan = None;
        }
        if self.pending != 0 {
            let pending = self.pending;
            self.pending = self.list.move_within(pending, height, false);
        }
        self.want_rows();
    }

    /// Moves in a filtered view: among the rows held at once; what is left waits for a
    /// scan.
    pub fn move_filtered(&mut self, delta: isize, page: bool) {
        let height = self.table_height();
        if self.pending.signum() * delta.signum() < 0 {
            self.pending = 0;
        }
        let left = self.list.move_within(delta, height, page);
        self.pending += left;
        self.trim_filtered();
        self.want_rows();
    }

    /// Home and End in a filtered view.
    pub fn jump_filtered(&mut self, end: bool) {
        let height = self.table_height();
        self.pending = 0;
        let held = if end {
            self.list.at_end
        } else {
            self.list.at_start
        };
        if held || self.list.is_empty() && self.scan.is_none() {
            self.list.jump_within(end, height);
            self.trim_filtered();
            self.want_rows();
            return;
        }
        if end {
            self.start_scan(Dir::Up, Purpose::Last, None, buffer(height));
        } else {
            self.start_scan(Dir::Down, Purpose::First, None, buffer(height));
            if let Some(s) = self.scan.as_mut() {
                s.keep_until_found = true;
            }
        }
    }

    /// Moves in a plain tab: among the rows held when they reach (the worker reads
    /// ahead), else the rest of the move reads its rows here (a keyset page, quick).
    pub fn move_plain(&mut self, delta: isize, page: bool, f: &mut dyn Fetch) -> Result<(), Error> {
        let height = self.table_height();
        let left = self.list.move_within(delta, height, page);
        if left != 0 {
            // Rows read here join the rows held: a read-ahead on its way would not fit.
            self.scan = None;
            self.list.move_by(f, left, height, page)?;
        }
        self.trim_filtered();
        self.want_rows();
        Ok(())
    }

    /// Drops rows far from the screen; a scan adding rows at an end that was cut stops.
    pub fn trim_filtered(&mut self) {
        let height = self.table_height();
        let cut = self.list.trim(height);
        let stop = match &self.scan {
            Some(s) if s.purpose == Purpose::More => match s.dir {
                Dir::Down => cut.1,
                Dir::Up => cut.0,
            },
            _ => false,
        };
        if stop {
            self.scan = None;
        }
    }

    /// Asks for more rows when fewer than a screen are held beyond the screen (in the
    /// direction the user goes first), unless a scan is already on it.
    pub fn want_rows(&mut self) {
        if let Some(s) = &self.scan {
            // The first or last rows are still coming; or more are on their way, and
            // the user does not go the other way.
            let going = match self.pending {
                p if p > 0 => Dir::Down,
                p if p < 0 => Dir::Up,
                _ => return,
            };
            if s.purpose != Purpose::More || s.dir == going {
                return;
            }
        }
        let height = self.table_height();
        let list = &self.list;
        if list.is_empty() {
            return;
        }
        let below = list.rows.len().saturating_sub(list.top + height);
        let above = list.top;
        // Up to two screens are held below the screen. A plain tab tops them up once
        // half a screen is used (cheap keyset pages), so that a page down finds its rows
        // held; a filter waits until a screen is used (each read may be a long scan).
        let ahead = if self.filtered() {
            height
        } else {
            (2 * height - height / 2).max(1)
        };
        let need_down = !list.at_end && below < ahead;
        let need_up = !list.at_start && above < height;
        let key = |r: Option<&ListRow>| r.map(ListRow::key);
        if need_up && (self.pending < 0 || !need_down) {
            let from = key(list.rows.first());
            let want = height - above + (-self.pending).max(0) as usize;
            self.start_scan(Dir::Up, Purpose::More, from, want);
        } else if need_down {
            let from = key(list.rows.last());
            let want = 2 * height - below + self.pending.max(0) as usize;
            self.start_scan(Dir::Down, Purpose::More, from, want);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::listing::Tab;

    #[test]
    fn steps_start_small_and_double_up_to_the_budget() {
        let mut state = State::new(100, 30, false);
        state.scan_budget = 20_000;
        state.scan_first();
        let scan = state.scan.as_mut().unwrap();
        let mut seen = vec![scan.step_budget];
        for _ in 0..4 {
            scan.grow();
            seen.push(scan.step_budget);
        }
        assert_eq!(seen, [2_000, 4_000, 8_000, 16_000, 20_000]);
        // Tiny budgets (tests) are taken as they are.
        state.scan_budget = 20;
        state.scan_first();
        assert_eq!(state.scan.as_ref().unwrap().step_budget, 20);
    }

    #[test]
    fn last_step_when_enough_or_at_the_end() {
        let scan = Scan {
            id: 1,
            view: View::tab(Tab::Active),
            dir: Dir::Down,
            purpose: Purpose::First,
            from: None,
            want: 2,
            found: 0,
            budget: 10,
            step_budget: 10,
            replaced: false,
            keep_until_found: false,
            sent: false,
        };
        let f = |n: usize, next: bool| Found {
            id: 1,
            rows: vec![],
            next: next.then(|| SortKey {
                sort_name: "x".into(),
                id: n as i64,
            }),
        };
        assert!(!scan.last_step(&f(0, true)));
        assert!(scan.last_step(&f(0, false)));
    }
}
