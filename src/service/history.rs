//! Reads of the audit log that the app needs besides `Service::log`.

use super::Service;
use crate::domain::audit::Entry;
use crate::domain::review::Item;
use crate::error::Error;
use crate::store::audit;
use crate::store::review;

impl Service {
    /// The action `undo` would reverse now, if any: the app names it before asking.
    pub fn next_undo(&mut self) -> Result<Option<Entry>, Error> {
        self.store
            .read(|db| Ok(audit::last_undoable(db)?.map(|(entry, _)| entry)))
    }
}

impl Service {
    /// The review inbox's items, newest first (only the open ones when `open_only`).
    pub fn review_items(&mut self, open_only: bool) -> Result<Vec<Item>, Error> {
        self.store.read(|db| review::items(db, open_only))
    }
}
