//! The search text (domain/search.rs), the sort key (domain/sort_key.rs), the suppliers
//! column (domain/suppliers.rs), the canonical external ID (domain/system.rs) and the
//! compared form of an email (domain/validate.rs) as SQL functions, so that bulk writes and the
//! check compute it in one statement over many rows, with the same Rust code as every
//! other write. Registered per connection; never used in the schema itself, so the
//! database stays readable by any SQLite.

use rusqlite::Connection;
use rusqlite::functions::FunctionFlags;

use crate::domain::search::{AccountText, add_parts, search_text};
use crate::domain::sort_key::sort_key;
use crate::domain::suppliers;
use crate::domain::system::normalize_external_id;
use crate::domain::validate::normalize_email;
use crate::error::Error;

/// The accounts of employee `e` as the JSON `roster_search` takes.
pub const ACCOUNTS_JSON: &str =
    "(SELECT json_group_array(json_array(c.system, c.external_id, c.email))
       FROM connections c WHERE c.employee_id = e.id)";

pub fn register(db: &Connection) -> Result<(), Error> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    db.create_scalar_function("roster_search", 3, flags, |ctx| {
        let name: String = ctx.get(0)?;
        let email: Option<String> = ctx.get(1)?;
        let accounts: Option<String> = ctx.get(2)?;
        let accounts: Vec<(String, String, Option<String>)> = accounts
            .as_deref()
            .map(serde_json::from_str)
            .transpose()
            .map_err(|e| rusqlite::Error::UserFunctionError(Box::new(e)))?
            .unwrap_or_default();
        Ok(search_text(
            &name,
            email.as_deref(),
            accounts
                .iter()
                .map(|(system, external_id, email)| AccountText {
                    system,
                    external_id,
                    email: email.as_deref(),
                }),
        ))
    })?;
    db.create_scalar_function("roster_sort_key", 1, flags, |ctx| {
        let name: String = ctx.get(0)?;
        Ok(sort_key(&name))
    })?;
    db.create_scalar_function("roster_add_supplier", 2, flags, |ctx| {
        let suppliers: String = ctx.get(0)?;
        let system: String = ctx.get(1)?;
        Ok(suppliers::add(&suppliers, &system))
    })?;
    db.create_scalar_function("roster_external_id", 2, flags, |ctx| {
        let system: String = ctx.get(0)?;
        let external_id: String = ctx.get(1)?;
        Ok(normalize_external_id(&system, &external_id))
    })?;
    db.create_scalar_function("roster_email_norm", 1, flags, |ctx| {
        let email: Option<String> = ctx.get(0)?;
        Ok(email.as_deref().map(normalize_email))
    })?;
    db.create_scalar_function("roster_search_add", 2, flags, |ctx| {
        let text: String = ctx.get(0)?;
        let more: String = ctx.get(1)?;
        Ok(add_parts(&text, &more))
    })?;
    Ok(())
}
