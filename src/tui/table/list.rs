//! The rows of the employees table that the app holds: a short contiguous run of the
//! current view around the visible rows, fetched by keyset pages. Moving fetches only what
//! comes into view, so the cost of a keypress is the same at row 10 and row 1,000,000.

use crate::domain::listing::{ListRow, Page, SortKey};
use crate::error::Error;

/// Fetches up to `limit` rows of the current view at `page`, in ascending order.
pub trait Fetch {
    fn fetch(&mut self, page: &Page, limit: usize) -> Result<Vec<ListRow>, Error>;
}

impl<F: FnMut(&Page, usize) -> Result<Vec<ListRow>, Error>> Fetch for F {
    fn fetch(&mut self, page: &Page, limit: usize) -> Result<Vec<ListRow>, Error> {
        self(page, limit)
    }
}

#[derive(Debug, Clone, Default)]
pub struct ListWindow {
    /// A contiguous run of the view's rows, in order.
    pub rows: Vec<ListRow>,
    /// Index in `rows` of the first visible row.
    pub top: usize,
    /// Index in `rows` of the selected row.
    pub cursor: usize,
    /// `rows[0]` is the first row of the view.
    pub at_start: bool,
    /// The last of `rows` is the last row of the view.
    pub at_end: bool,
    /// The position of `rows[0]` in the view (0-based), when known.
    pub first_pos: Option<u64>,
}

impl ListWindow {
    pub fn selected(&self) -> Option<&ListRow> {
        self.rows.get(self.cursor)
    }

    /// The visible rows, given the table's height in rows.
    pub fn visible(&self, height: usize) -> &[ListRow] {
        let end = (self.top + height).min(self.rows.len());
        &self.rows[self.top.min(end)..end]
    }

    /// The selected row's position in the view (0-based), when known.
    pub fn position(&self) -> Option<u64> {
        self.first_pos.map(|p| p + self.cursor as u64)
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The first rows of the view.
    pub fn first(&mut self, f: &mut dyn Fetch, height: usize) -> Result<(), Error> {
        let want = buffer(height);
        let rows = f.fetch(&Page::First, want)?;
        self.set_first(rows, height);
        Ok(())
    }

    /// Shows `rows`, fetched as `Page::First` with `buffer(height)`.
    pub fn set_first(&mut self, rows: Vec<ListRow>, height: usize) {
        self.at_end = rows.len() < buffer(height);
        self.at_start = true;
        self.rows = rows;
        self.top = 0;
        self.cursor = 0;
        self.first_pos = Some(0);
    }

    /// The last rows of the view; `total` (the view's row count) gives the position.
    pub fn last(
        &mut self,
        f: &mut dyn Fetch,
        height: usize,
        total: Option<u64>,
    ) -> Result<(), Error> {
        let want = buffer(height);
        let rows = f.fetch(&Page::Last, want)?;
        let reached_start = rows.len() < want;
        self.set_last(rows, reached_start, height);
        if !reached_start {
            self.first_pos = total.map(|t| t.saturating_sub(self.rows.len() as u64));
        }
        Ok(())
    }

    /// Moves the selection by `delta` rows; `page` also scrolls by `delta`, keeping the
    /// selection at the same place on screen.
    pub fn move_by(
        &mut self,
        f: &mut dyn Fetch,
        delta: isize,
        height: usize,
        page: bool,
    ) -> Result<(), Error> {
        let height = height.max(1);
        if self.rows.is_empty() {
            return Ok(());
        }
        let mut target = self.cursor as isize + delta;
        if target >= self.rows.len() as isize && !self.at_end {
            let need = target as usize + 1 - self.rows.len() + height;
            self.extend_after(f, need)?;
        }
        if target < 0 && !self.at_start {
            let need = (-target) as usize + height;
            let added = self.extend_before(f, need)?;
            target += added as isize;
        }
        let last = self.rows.len() as isize - 1;
        let target = target.clamp(0, last.max(0)) as usize;
        let moved = target as isize - self.cursor as isize;
        self.cursor = target;
        if page {
            self.top = (self.top as isize + moved).max(0) as usize;
        }
        self.scroll_into_view(height);
        self.fill(f, height)?;
        self.trim(height);
        Ok(())
    }

    /// Re-reads the rows from the first visible one on, after a change; keeps the
    /// selection on the same employee when it is still in view.
    pub fn refresh(&mut self, f: &mut dyn Fetch, height: usize) -> Result<(), Error> {
        let height = height.max(1);
        let Some(anchor) = self.rows.get(self.top).map(|r| r.key()) else {
            return self.first(f, height);
        };
        let selected = self.selected().map(|r| r.id);
        let offset = self.cursor.saturating_sub(self.top);
        // Rows from the anchor on, the anchor included: (key, id - 1) sorts just before it.
        let from = SortKey {
            sort_name: anchor.sort_name.clone(),
            id: anchor.id - 1,
        };
        // Far enough to reach the selected row, also when the screen got shorter than
        // its distance from the top (a resize).
        let want = buffer(height).max(offset + 1 + height);
        let after = f.fetch(&Page::After(from), want)?;
        let before = f.fetch(&Page::Before(anchor.clone()), height)?;
        self.at_end = after.len() < want;
        self.at_start = before.len() < height;
        let old_first = self.first_pos.map(|p| p + self.top as u64);
        self.first_pos = if self.at_start {
            Some(0)
        } else {
            old_first.map(|p| p.saturating_sub(before.len() as u64))
        };
        self.top = before.len();
        self.rows = before;
        self.rows.extend(after);
        self.cursor = match selected.and_then(|id| self.rows.iter().position(|r| r.id == id)) {
            Some(i) => i,
            None => self.top + offset,
        };
        if self.rows.is_empty() {
            return self.first(f, height);
        }
        self.cursor = self.cursor.min(self.rows.len() - 1);
        self.scroll_into_view(height);
        self.fill(f, height)?;
        Ok(())
    }

    /// Shows the rows around `row` (from another view of the same rows, e.g. before a
    /// filter was cleared), with `row` selected.
    pub fn around(&mut self, f: &mut dyn Fetch, row: ListRow, height: usize) -> Result<(), Error> {
        self.rows = vec![row];
        self.top = 0;
        self.cursor = 0;
        self.first_pos = None;
        self.at_start = false;
        self.at_end = false;
        self.refresh(f, height)
    }

    /// Selects the employee `id` when it is among the rows held.
    pub fn select_id(&mut self, id: i64, height: usize) -> bool {
        match self.rows.iter().position(|r| r.id == id) {
            Some(i) => {
                self.cursor = i;
                self.scroll_into_view(height.max(1));
                true
            }
            None => false,
        }
    }

    fn scroll_into_view(&mut self, height: usize) {
        if self.cursor < self.top {
            self.top = self.cursor;
        } else if self.cursor >= self.top + height {
            self.top = self.cursor + 1 - height;
        }
    }

    /// Makes sure a whole screen of rows is held from `top`, when the view has them.
    fn fill(&mut self, f: &mut dyn Fetch, height: usize) -> Result<(), Error> {
        if self.top + height > self.rows.len() && !self.at_end {
            let need = self.top + height - self.rows.len() + height;
            self.extend_after(f, need)?;
        }
        if self.top + height > self.rows.len() {
            // The end of the view is on screen: pull rows down so the screen is full.
            let want_top = self.rows.len().saturating_sub(height);
            if want_top < self.top {
                self.top = want_top;
            }
            if self.rows.len() < self.top + height && !self.at_start {
                let missing = self.top + height - self.rows.len();
                let added = self.extend_before(f, missing + height)?;
                self.top = (self.rows.len().saturating_sub(height)).min(self.top + added);
            }
        }
        if self.cursor < self.top {
            self.cursor = self.top;
        } else if self.cursor >= self.top + height {
            self.cursor = (self.top + height - 1).min(self.rows.len().saturating_sub(1));
        }
        Ok(())
    }

    fn extend_after(&mut self, f: &mut dyn Fetch, need: usize) -> Result<usize, Error> {
        let Some(last) = self.rows.last().map(|r| r.key()) else {
            return Ok(0);
        };
        let more = f.fetch(&Page::After(last), need)?;
        let n = more.len();
        self.put_after(more, n < need);
        Ok(n)
    }

    fn extend_before(&mut self, f: &mut dyn Fetch, need: usize) -> Result<usize, Error> {
        let Some(first) = self.rows.first().map(|r| r.key()) else {
            return Ok(0);
        };
        let more = f.fetch(&Page::Before(first), need)?;
        let n = more.len();
        self.put_before(more, n < need);
        Ok(n)
    }

    /// Keeps at most a screen above and two below the visible rows; says which ends
    /// were cut (start, end).
    pub fn trim(&mut self, height: usize) -> (bool, bool) {
        let height = height.max(1);
        let keep_before = height;
        let mut cut = (false, false);
        if self.top > keep_before {
            let drop = self.top - keep_before;
            self.rows.drain(..drop);
            self.top -= drop;
            self.cursor -= drop;
            self.at_start = false;
            self.first_pos = self.first_pos.map(|p| p + drop as u64);
            cut.0 = true;
        }
        let keep_to = self.top + 3 * height;
        if self.rows.len() > keep_to {
            self.rows.truncate(keep_to);
            self.at_end = false;
            cut.1 = true;
        }
        cut
    }

    /// Moves the selection by `delta` rows among the rows held, fetching nothing (a
    /// filtered view, whose rows come from the worker); `page` also scrolls. Returns the
    /// part of the move that the rows held could not make (to make once more arrive).
    pub fn move_within(&mut self, delta: isize, height: usize, page: bool) -> isize {
        let height = height.max(1);
        if self.rows.is_empty() {
            return 0;
        }
        let wanted = self.cursor as isize + delta;
        let last = self.rows.len() as isize - 1;
        let target = wanted.clamp(0, last);
        let left = match wanted {
            w if w > last && !self.at_end => w - last,
            w if w < 0 && !self.at_start => w,
            _ => 0,
        };
        let moved = target - self.cursor as isize;
        self.cursor = target as usize;
        if page {
            self.top = (self.top as isize + moved).max(0) as usize;
        }
        self.settle(height);
        left
    }

    /// Selects the first (`last` false) or the last row held.
    pub fn jump_within(&mut self, last: bool, height: usize) {
        if self.rows.is_empty() {
            return;
        }
        if last {
            self.cursor = self.rows.len() - 1;
        } else {
            self.cursor = 0;
            self.top = 0;
        }
        self.settle(height.max(1));
    }

    /// Rows found after the last one held.
    pub fn append(&mut self, rows: Vec<ListRow>, reached_end: bool, height: usize) {
        self.put_after(rows, reached_end);
        self.settle(height.max(1));
    }

    /// Rows found before the first one held.
    pub fn prepend(&mut self, rows: Vec<ListRow>, reached_start: bool, height: usize) {
        self.put_before(rows, reached_start);
        self.settle(height.max(1));
    }

    fn put_after(&mut self, rows: Vec<ListRow>, reached_end: bool) {
        self.rows.extend(rows);
        if reached_end {
            self.at_end = true;
        }
    }

    /// Puts `rows` before the ones held; the selection and the screen stay where they were.
    fn put_before(&mut self, mut rows: Vec<ListRow>, reached_start: bool) {
        let n = rows.len();
        rows.append(&mut self.rows);
        self.rows = rows;
        self.top += n;
        self.cursor += n;
        self.at_start = reached_start;
        self.first_pos = if reached_start {
            Some(0)
        } else {
            self.first_pos.map(|p| p.saturating_sub(n as u64))
        };
    }

    /// Shows `rows` as the whole view's last rows, the last one selected.
    pub fn set_last(&mut self, rows: Vec<ListRow>, reached_start: bool, height: usize) {
        self.rows = rows;
        self.at_end = true;
        self.at_start = reached_start;
        self.first_pos = reached_start.then_some(0);
        self.cursor = self.rows.len().saturating_sub(1);
        self.top = self.rows.len().saturating_sub(height.max(1));
    }

    /// Scrolls the selection into view and, at the end of the view, fills the screen.
    fn settle(&mut self, height: usize) {
        self.scroll_into_view(height);
        if self.at_end && self.top + height > self.rows.len() {
            self.top = self.rows.len().saturating_sub(height);
        }
    }
}

/// How many rows a fetch brings: the screen and a screen ahead.
pub fn buffer(height: usize) -> usize {
    2 * height.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::Status;

    /// A view of `n` rows named r00000…, fetched like the store does.
    struct Fake {
        rows: Vec<ListRow>,
        fetched: usize,
    }

    fn row(i: usize) -> ListRow {
        ListRow {
            id: i as i64 + 1,
            name: format!("r{i:05}"),
            sort_name: format!("r{i:05}"),
            email: None,
            picture_url: None,
            login_access: false,
            status: Status::Active,
            suppliers: vec![],
            managed_by: None,
            version: 1,
        }
    }

    fn fake(n: usize) -> Fake {
        Fake {
            rows: (0..n).map(row).collect(),
            fetched: 0,
        }
    }

    fn cmp(r: &ListRow, k: &SortKey) -> std::cmp::Ordering {
        (&r.sort_name, r.id).cmp(&(&k.sort_name, k.id))
    }

    impl Fetch for Fake {
        fn fetch(&mut self, page: &Page, limit: usize) -> Result<Vec<ListRow>, Error> {
            let out: Vec<ListRow> = match page {
                Page::First => self.rows.iter().take(limit).cloned().collect(),
                Page::Last => {
                    let s = self.rows.len().saturating_sub(limit);
                    self.rows[s..].to_vec()
                }
                Page::After(k) => self
                    .rows
                    .iter()
                    .filter(|r| cmp(r, k).is_gt())
                    .take(limit)
                    .cloned()
                    .collect(),
                Page::Before(k) => {
                    let before: Vec<_> = self
                        .rows
                        .iter()
                        .filter(|r| cmp(r, k).is_lt())
                        .cloned()
                        .collect();
                    let s = before.len().saturating_sub(limit);
                    before[s..].to_vec()
                }
            };
            self.fetched += out.len();
            Ok(out)
        }
    }

    fn sel(w: &ListWindow) -> usize {
        w.selected().unwrap().id as usize - 1
    }

    #[test]
    fn walks_down_and_up_the_whole_view_row_by_row() {
        let mut f = fake(137);
        let mut w = ListWindow::default();
        w.first(&mut f, 10).unwrap();
        for i in 1..137 {
            w.move_by(&mut f, 1, 10, false).unwrap();
            assert_eq!(sel(&w), i);
            assert_eq!(w.position(), Some(i as u64));
            assert_eq!(w.visible(10).len(), 10);
            assert!(w.rows.len() <= 40);
        }
        w.move_by(&mut f, 1, 10, false).unwrap();
        assert_eq!(sel(&w), 136);
        for i in (0..136).rev() {
            w.move_by(&mut f, -1, 10, false).unwrap();
            assert_eq!(sel(&w), i);
            assert_eq!(w.position(), Some(i as u64));
        }
    }

    #[test]
    fn pages_keep_the_selection_in_place_on_screen() {
        let mut f = fake(1000);
        let mut w = ListWindow::default();
        w.first(&mut f, 20).unwrap();
        w.move_by(&mut f, 3, 20, false).unwrap();
        w.move_by(&mut f, 20, 20, true).unwrap();
        assert_eq!(sel(&w), 23);
        assert_eq!(w.visible(20)[0].name, "r00020");
        w.move_by(&mut f, -20, 20, true).unwrap();
        assert_eq!(sel(&w), 3);
        assert_eq!(w.visible(20)[0].name, "r00000");
    }

    #[test]
    fn end_and_back_up_from_the_end() {
        let mut f = fake(100_000);
        let mut w = ListWindow::default();
        w.first(&mut f, 20).unwrap();
        w.last(&mut f, 20, Some(100_000)).unwrap();
        assert_eq!(sel(&w), 99_999);
        assert_eq!(w.position(), Some(99_999));
        assert_eq!(w.visible(20).len(), 20);
        f.fetched = 0;
        for _ in 0..100 {
            w.move_by(&mut f, -1, 20, false).unwrap();
        }
        assert_eq!(sel(&w), 99_899);
        assert_eq!(w.position(), Some(99_899));
        // Only the rows coming into view were fetched, not the view.
        assert!(f.fetched < 500, "fetched {}", f.fetched);
        w.move_by(&mut f, 1_000_000, 20, true).unwrap();
        assert_eq!(sel(&w), 99_999);
    }

    #[test]
    fn short_views_and_empty_views() {
        let mut f = fake(3);
        let mut w = ListWindow::default();
        w.first(&mut f, 20).unwrap();
        w.move_by(&mut f, 20, 20, true).unwrap();
        assert_eq!(sel(&w), 2);
        w.last(&mut f, 20, Some(3)).unwrap();
        assert_eq!(w.visible(20).len(), 3);
        let mut empty = fake(0);
        w.first(&mut empty, 20).unwrap();
        assert!(w.selected().is_none());
        w.move_by(&mut empty, 1, 20, false).unwrap();
        w.refresh(&mut empty, 20).unwrap();
        assert!(w.selected().is_none());
    }

    #[test]
    fn refresh_keeps_the_selected_employee_and_sees_deletions() {
        let mut f = fake(500);
        let mut w = ListWindow::default();
        w.first(&mut f, 10).unwrap();
        w.move_by(&mut f, 250, 10, true).unwrap();
        let before = sel(&w);
        // A row above the selection disappears (e.g. deactivated by someone else).
        f.rows.remove(before - 1);
        w.refresh(&mut f, 10).unwrap();
        assert_eq!(sel(&w), before);
        // The selected row itself disappears: the selection stays at the same place.
        let idx = f
            .rows
            .iter()
            .position(|r| r.id as usize - 1 == before)
            .unwrap();
        f.rows.remove(idx);
        w.refresh(&mut f, 10).unwrap();
        assert_eq!(sel(&w), before + 1);
        assert_eq!(w.visible(10).len(), 10);
    }
}
