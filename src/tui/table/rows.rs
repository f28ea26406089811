//! The rows of the current view that the app holds, and the reads that bring more
//! (`Rows`). A plain tab reads keyset pages; a filter is a substring search, which no
//! index answers: a rare term may mean looking at every row of a million. So the rows
//! of a filtered view come from bounded scans (`Service::step`: at most `budget` rows of
//! the tab each), run step by step on the worker thread. Each step's finds are shown at
//! once ("searching… N found") and the scan goes on from where it stopped until enough
//! rows are found or the view ends; a newer keystroke replaces the scan (the old one
//! stops at its next step).
//!
//! Moving in a filtered view moves among the rows held, at once; when the move runs past
//! them, what is left of it waits (`Rows::pending`) and a scan for more rows starts;
//! the rows held stay a short run around the screen, as in a plain tab.

use super::list::{Fetch, ListWindow, buffer};
use crate::domain::listing::{Found, ListRow, SortKey, Towards, View};
use crate::error::Error;
use crate::service::Service;

/// How many rows of the tab one step looks at, at most: a few tens of milliseconds at a
/// million rows, so a newer keystroke never waits long for the worker.
pub const BUDGET: usize = 20_000;

/// What a scan's rows are for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanGoal {
    /// The view's first rows: they replace the rows held.
    First,
    /// The view's last rows (End): they replace the rows held.
    Last,
    /// More rows beyond the ones held, `towards` an end.
    More,
}

/// A scan the rows wait for.
#[derive(Debug, Clone)]
pub struct Scan {
    /// Tells its answers from an older scan's.
    pub id: u64,
    pub view: View,
    pub towards: Towards,
    pub goal: ScanGoal,
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

    /// Reads this scan's next step (`Service::step`).
    pub fn step(&self, svc: &mut Service) -> Result<Found, Error> {
        svc.step(
            &self.view,
            self.towards,
            self.from.as_ref(),
            self.want,
            self.step_budget,
        )
    }

    /// Counts a step's finds in: what is still wanted, where the next step starts.
    pub fn advance(&mut self, f: &Found) {
        self.found += f.rows.len() as u64;
        self.want = self.want.saturating_sub(f.rows.len());
        self.from = f.next.clone();
        self.grow();
    }
}

/// The rows of the current view the app holds, and the bookkeeping of the reads that
/// bring more: the scan in progress, a move waiting for rows, the reads put off.
#[derive(Debug, Clone)]
pub struct Rows {
    /// A short run of the view's rows around the screen.
    pub list: ListWindow,
    /// The scan the rows wait for.
    pub scan: Option<Scan>,
    /// The number of the last scan started.
    pub scan_seq: u64,
    /// Rows of the tab a scan step looks at, at most.
    pub scan_budget: usize,
    /// Rows of a move in a filtered view still to make once more rows are found
    /// (negative: upwards).
    pub pending: isize,
    /// Changes with every action: a refresh read before it is out of date.
    pub list_gen: u64,
    /// The view (tab or filter) changed: its first rows are to be fetched, once the
    /// keyboard is idle and off the screen's thread when a worker runs.
    pub filter_dirty: bool,
    /// The rows on screen are to be read again (after a change, in a filtered view).
    pub refresh_dirty: bool,
}

impl Default for Rows {
    fn default() -> Rows {
        Rows {
            list: ListWindow::default(),
            scan: None,
            scan_seq: 0,
            scan_budget: BUDGET,
            pending: 0,
            list_gen: 0,
            filter_dirty: false,
            refresh_dirty: false,
        }
    }
}

impl Rows {
    /// Starts a scan of `view` (replacing any other).
    pub fn start_scan(
        &mut self,
        view: &View,
        towards: Towards,
        goal: ScanGoal,
        from: Option<SortKey>,
        want: usize,
    ) {
        self.scan_seq += 1;
        self.scan = Some(Scan {
            id: self.scan_seq,
            view: view.clone(),
            towards,
            goal,
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
    pub fn scan_first(&mut self, view: &View, height: usize) {
        self.pending = 0;
        self.start_scan(view, Towards::End, ScanGoal::First, None, buffer(height));
    }

    /// A scan is running, and the screen waits for it: the first or last rows, or a
    /// move that ran past the rows held, or a screen that is not full.
    pub fn searching(&self, height: usize) -> bool {
        let Some(s) = &self.scan else { return false };
        match s.goal {
            ScanGoal::First | ScanGoal::Last => true,
            ScanGoal::More => self.pending != 0 || self.list.visible(height).len() < height,
        }
    }

    /// Takes in one step's finds for the scan `id` (an older scan's are dropped).
    pub fn take_found(&mut self, id: u64, found: Found, view: &View, height: usize) {
        let Some(scan) = self.scan.as_mut() else {
            return;
        };
        if scan.id != id {
            return;
        }
        let last = scan.last_step(&found);
        let reached = found.next.is_none();
        let n = found.rows.len();
        scan.advance(&found);
        let list = &mut self.list;
        match (scan.goal, scan.towards) {
            (ScanGoal::First, _) if !scan.replaced => {
                if n > 0 || reached || !scan.keep_until_found {
                    scan.replaced = true;
                    *list = ListWindow::default();
                    list.set_first(found.rows, height);
                    // `set_first` judges the end by the count; a scan knows it.
                    list.at_end = reached;
                }
            }
            (ScanGoal::Last, _) if !scan.replaced => {
                if n > 0 || reached {
                    scan.replaced = true;
                    *list = ListWindow::default();
                    list.set_last(found.rows, reached, height);
                }
            }
            (ScanGoal::First, _) | (ScanGoal::More, Towards::End) => {
                list.append(found.rows, reached, height)
            }
            (ScanGoal::Last, _) | (ScanGoal::More, Towards::Start) => {
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
        self.want_rows(view, height);
    }

    /// Moves in a filtered view: among the rows held at once; what is left waits for a
    /// scan.
    pub fn move_filtered(&mut self, delta: isize, page: bool, view: &View, height: usize) {
        if self.pending.signum() * delta.signum() < 0 {
            self.pending = 0;
        }
        let left = self.list.move_within(delta, height, page);
        self.pending += left;
        self.trim(height);
        self.want_rows(view, height);
    }

    /// Home and End in a filtered view.
    pub fn jump_filtered(&mut self, end: bool, view: &View, height: usize) {
        self.pending = 0;
        let held = if end {
            self.list.at_end
        } else {
            self.list.at_start
        };
        if held || self.list.is_empty() && self.scan.is_none() {
            self.list.jump_within(end, height);
            self.trim(height);
            self.want_rows(view, height);
            return;
        }
        if end {
            self.start_scan(view, Towards::Start, ScanGoal::Last, None, buffer(height));
        } else {
            self.start_scan(view, Towards::End, ScanGoal::First, None, buffer(height));
            if let Some(s) = self.scan.as_mut() {
                s.keep_until_found = true;
            }
        }
    }

    /// Moves in a plain tab: among the rows held when they reach (the worker reads
    /// ahead), else the rest of the move reads its rows here (a keyset page, quick).
    pub fn move_plain(
        &mut self,
        delta: isize,
        page: bool,
        f: &mut dyn Fetch,
        view: &View,
        height: usize,
    ) -> Result<(), Error> {
        let left = self.list.move_within(delta, height, page);
        if left != 0 {
            // Rows read here join the rows held: a read-ahead on its way would not fit.
            self.scan = None;
            self.list.move_by(f, left, height, page)?;
        }
        self.trim(height);
        self.want_rows(view, height);
        Ok(())
    }

    /// Drops rows far from the screen; a scan adding rows at an end that was cut stops.
    pub fn trim(&mut self, height: usize) {
        let cut = self.list.trim(height);
        let stop = match &self.scan {
            Some(s) if s.goal == ScanGoal::More => match s.towards {
                Towards::End => cut.1,
                Towards::Start => cut.0,
            },
            _ => false,
        };
        if stop {
            self.scan = None;
        }
    }

    /// Asks for more rows when fewer than a screen are held beyond the screen (in the
    /// direction the user goes first), unless a scan is already on it.
    pub fn want_rows(&mut self, view: &View, height: usize) {
        if let Some(s) = &self.scan {
            // The first or last rows are still coming; or more are on their way, and
            // the user does not go the other way.
            let going = match self.pending {
                p if p > 0 => Towards::End,
                p if p < 0 => Towards::Start,
                _ => return,
            };
            if s.goal != ScanGoal::More || s.towards == going {
                return;
            }
        }
        let list = &self.list;
        if list.is_empty() {
            return;
        }
        let below = list.rows.len().saturating_sub(list.top + height);
        let above = list.top;
        // Up to two screens are held below the screen. A plain tab tops them up once
        // half a screen is used (cheap keyset pages), so that a page down finds its rows
        // held; a filter waits until a screen is used (each read may be a long scan).
        let ahead = if view.filtered() {
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
            self.start_scan(view, Towards::Start, ScanGoal::More, from, want);
        } else if need_down {
            let from = key(list.rows.last());
            let want = 2 * height - below + self.pending.max(0) as usize;
            self.start_scan(view, Towards::End, ScanGoal::More, from, want);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::listing::Tab;

    #[test]
    fn steps_start_small_and_double_up_to_the_budget() {
        let view = View::tab(Tab::Active);
        let mut rows = Rows {
            scan_budget: 20_000,
            ..Rows::default()
        };
        rows.scan_first(&view, 24);
        let scan = rows.scan.as_mut().unwrap();
        let mut seen = vec![scan.step_budget];
        for _ in 0..4 {
            scan.grow();
            seen.push(scan.step_budget);
        }
        assert_eq!(seen, [2_000, 4_000, 8_000, 16_000, 20_000]);
        // Tiny budgets (tests) are taken as they are.
        rows.scan_budget = 20;
        rows.scan_first(&view, 24);
        assert_eq!(rows.scan.as_ref().unwrap().step_budget, 20);
    }

    #[test]
    fn last_step_when_enough_or_at_the_end() {
        let scan = Scan {
            id: 1,
            view: View::tab(Tab::Active),
            towards: Towards::End,
            goal: ScanGoal::First,
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
