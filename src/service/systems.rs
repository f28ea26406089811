//! Which systems exist for roster: those it knows by name (and by preset) and those the
//! store holds; and the check that keeps a mistyped key from starting a new system
//! (README "Importing", "A mistyped system key is not a new system").

use super::Service;
use crate::domain::sanitize::escape_for_text;
use crate::domain::system::{display_name, known_keys, mistype_of};
use crate::error::Error;
use crate::import::{Preset, Wording};
use crate::store::systems;

/// The system keys roster knows: the named ones and those of its presets, sorted.
pub fn known() -> Vec<&'static str> {
    let mut keys: Vec<&'static str> = known_keys()
        .chain(Preset::all().flat_map(|p| p.def().systems.iter().copied()))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

impl Service {
    /// The systems roster knows and those this store holds, sorted: what an import may
    /// name without `--new-system`.
    pub fn systems(&mut self) -> Result<Vec<String>, Error> {
        let mut all: Vec<String> = known().into_iter().map(str::to_owned).collect();
        all.extend(self.store.read(systems::held)?);
        all.sort_unstable();
        all.dedup();
        Ok(all)
    }

    /// Refuses an import's system key that is neither one roster knows nor one the store
    /// holds and lies within two edits of one of those (`hubsopt`; one edit of a system of
    /// four or five letters, see `mistype_edits`): a mistype would start
    /// a new system beside the real one, and every account of the file would become a
    /// new profile. `new_system` says the admin means a new one.
    pub fn check_system(
        &mut self,
        key: &str,
        new_system: bool,
        wording: Wording,
    ) -> Result<(), Error> {
        if new_system || known().contains(&key) || self.store.read(|db| systems::holds(db, key))? {
            return Ok(());
        }
        let all = self.systems()?;
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        let Some((close, edits)) = mistype_of(key, &all) else {
            return Ok(());
        };
        let key = escape_for_text(key);
        let name = display_name(close);
        let close_shown = if name == close {
            close.to_owned()
        } else {
            format!("{close} ({name})")
        };
        Err(Error::Invalid(format!(
            "Nothing was imported: '{key}' is neither a system roster knows nor one this store holds, and it is {edits} edit{} from {close_shown}. If you meant {close}, {} {close}; if '{key}' is a new system, {}.",
            if edits == 1 { "" } else { "s" },
            wording.system,
            wording.new_system,
        )))
    }
}
