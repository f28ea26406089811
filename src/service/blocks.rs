//! Blocks as the admin sees them (who placed each, when, on which account) and lifting
//! one (docs/model.md "Remove and block").

use super::{Done, Service, expected};
use crate::domain::actions;
use crate::domain::audit::LogFilter;
use crate::domain::model::{Block, BlockInfo};
use crate::domain::system::{display_name, normalize_external_id};
use crate::error::Error;
use crate::store::{audit, connections, employees};

/// How far back the log is read for who placed a profile's blocks.
const HISTORY: usize = 5000;

impl Service {
    /// The blocks on `employee`, each with who placed it and when (the newest audit
    /// entry that inserted it: a remove and block, or the undo of a lift).
    pub fn blocks(&mut self, employee: i64) -> Result<Vec<BlockInfo>, Error> {
        self.store.read(|db| {
            let blocks = connections::blocks_of(db, employee)?;
            if blocks.is_empty() {
                return Ok(Vec::new());
            }
            let filter = LogFilter {
                employee: Some(employee),
                ..LogFilter::default()
            };
            let entries = audit::list(db, &filter, HISTORY)?;
            Ok(blocks
                .into_iter()
                .map(|b| {
                    let placed = entries.iter().find_map(|e| {
                        e.placed_block(&b.system, &b.external_id, b.employee_id)
                            .map(|email| (e, email))
                    });
                    BlockInfo {
                        at: placed.as_ref().map(|(e, _)| e.at.clone()),
                        by: placed.as_ref().map(|(e, _)| e.who()),
                        audit_id: placed.as_ref().map(|(e, _)| e.id),
                        email: placed.and_then(|(_, email)| email),
                        system: b.system,
                        external_id: b.external_id,
                        employee_id: b.employee_id,
                    }
                })
                .collect())
        })
    }

    /// Lifts the block on `employee` of the account `system` / `external_id` (the
    /// external ID may be left out when the profile has one block of that system).
    pub fn unblock(
        &mut self,
        employee: i64,
        system: &str,
        external_id: Option<&str>,
        expect: Option<i64>,
    ) -> Result<Done, Error> {
        let system = system.trim().to_lowercase();
        self.perform(&expected(employee, expect), |db, _| {
            let profile = employees::profile(db, employee)?;
            let of_system: Vec<Block> = connections::blocks_of(db, employee)?
                .into_iter()
                .filter(|b| b.system == system)
                .collect();
            let block = match external_id {
                Some(x) => Block {
                    system: system.clone(),
                    external_id: normalize_external_id(&system, x.trim()),
                    employee_id: employee,
                },
                None => match of_system.as_slice() {
                    [one] => one.clone(),
                    [] => {
                        return Err(Error::Unchanged(format!(
                            "Nothing to change: no {} account is blocked from {}.",
                            crate::domain::sanitize::sanitize(&display_name(&system)),
                            profile.employee.label()
                        )));
                    }
                    many => {
                        return Err(Error::Invalid(format!(
                            "{} has {} blocked {} accounts ({}); say which with --external-id.",
                            profile.employee.label(),
                            many.len(),
                            crate::domain::sanitize::sanitize(&display_name(&system)),
                            many.iter()
                                .map(|b| crate::domain::sanitize::sanitize(&b.external_id))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )));
                    }
                },
            };
            let exists = of_system.contains(&block);
            actions::unblock(&profile, &block, exists)
        })
    }
}
