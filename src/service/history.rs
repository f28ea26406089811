//! Reads of the audit log that the app needs besides `Service::log`.

use super::Service;
use crate::domain::audit::Entry;
use crate::error::Error;
use crate::store::audit;

impl Service {
    /// The action `undo` would reverse now, if any: the app names it before asking.
    pub fn next_undo(&mut self) -> Result<Option<Entry>, Error> {
        self.store
            .read(|db| Ok(audit::last_undoable(db)?.map(|(entry, _)| entry)))
    }
}
