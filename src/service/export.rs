//! `roster export`: every profile of a tab with its connections, read in one snapshot.

use super::Service;
use crate::domain::listing::{Page, Tab, View};
use crate::domain::model::Profile;
use crate::error::Error;
use crate::store::{employees, listing};

/// Profiles read per step.
const PAGE: usize = 1000;

impl Service {
    /// Every profile of `tab` in the table's order, each with its connections, handed to
    /// `each` one at a time from one consistent snapshot (a million profiles never sit
    /// in memory together); how many there were.
    pub fn export(
        &mut self,
        tab: Tab,
        each: &mut dyn FnMut(&Profile) -> Result<(), Error>,
    ) -> Result<u64, Error> {
        self.store.read(|db| {
            let view = View {
                tab,
                supplier: None,
                text: None,
                narrow: Default::default(),
                sort: Default::default(),
            };
            let mut page = Page::First;
            let mut n = 0;
            loop {
                let rows = listing::page(db, &view, &page, PAGE)?;
                for r in &rows {
                    each(&employees::profile(db, r.id)?)?;
                    n += 1;
                }
                match rows.last() {
                    Some(last) if rows.len() == PAGE => page = Page::After(last.key()),
                    _ => return Ok(n),
                }
            }
        })
    }
}
