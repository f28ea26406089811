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
    /// The live profiles that hold `email` (as their own or through an account), but
    /// `except` (the account being moved), by label: a new or moved profile with that
    /// email would share it with them, so the fronts name them and ask.
    pub fn email_holders(
        &mut self,
        email: &str,
        except: Option<&crate::domain::model::ConnKey>,
    ) -> Result<Vec<String>, Error> {
        let Ok(Some(email)) = crate::domain::validate::email(email) else {
            return Ok(Vec::new());
        };
        self.store.read(|db| {
            crate::store::employees::email_candidates(db, &email, except)?
                .into_iter()
                .map(|id| Ok(crate::store::employees::require(db, id)?.label()))
                .collect()
        })
    }

    /// The actions the audit log holds (what `roster log --action` may name).
    pub fn log_actions(&mut self) -> Result<Vec<String>, Error> {
        self.store.read(audit::actions)
    }

    /// Refuses a supplier filter that names no system of the store nor a known one,
    /// naming the closest (`hubspto`: "Did you mean hubspot?").
    pub fn check_supplier(&mut self, system: &str) -> Result<(), Error> {
        crate::domain::system::validate_key(system)?;
        self.store.read(|db| {
            if crate::store::connections::has_system(db, system)? {
                return Ok(());
            }
            let mut systems = crate::store::connections::systems(db)?;
            systems.extend(crate::domain::system::known_keys().map(str::to_owned));
            systems.sort();
            systems.dedup();
            crate::domain::system::check_filter_key(system, &systems)
        })
    }
}

impl Service {
    /// The review inbox's items, newest first (only the open ones when `open_only`).
    pub fn review_items(&mut self, open_only: bool) -> Result<Vec<Item>, Error> {
        self.store.read(|db| review::items(db, open_only))
    }
}
