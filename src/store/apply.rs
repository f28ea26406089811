//! Applies a domain `ChangeSet` inside the caller's transaction, checking every row
//! against what the change expects first, so nothing is written over a change someone
//! else made since the read.

use rusqlite::Connection;

use super::{connections, counts, employees, review};
use crate::domain::change::{ChangeSet, Check, Current, Op, check_op};
use crate::error::Error;

/// Applies `changes`; on a mismatch returns the phrase saying what differs
/// (the transaction is then rolled back by the caller). The employees' after-images are
/// brought up to the version and time the store gave them, so that the audit log
/// records the rows as they were left.
pub fn apply(
    db: &Connection,
    changes: &mut ChangeSet,
    check: Check,
    now: &str,
) -> Result<(), Mismatch> {
    let touched = changes.employee_ids();
    let before = counts::places(db, touched.iter().copied())?;
    for op in &changes.ops {
        verify(db, op, check)?;
        write(db, op)?;
    }
    for id in &touched {
        employees::touch(db, *id, now)?;
    }
    for op in &mut changes.ops {
        if let Op::InsertEmployee { after } | Op::UpdateEmployee { after, .. } = op
            && let Some(row) = employees::get(db, after.id)?
        {
            after.version = row.version;
            after.updated_at = row.updated_at;
        }
    }
    let after = counts::places(db, touched.iter().copied())?;
    counts::adjust(db, counts::Delta::between(&before, &after))?;
    Ok(())
}

/// Why a change could not be applied.
#[derive(Debug)]
pub enum Mismatch {
    /// A row is not as the change expects: the phrase says which and how.
    Row(String),
    Error(Error),
}

impl From<Error> for Mismatch {
    fn from(e: Error) -> Self {
        Mismatch::Error(e)
    }
}

impl From<rusqlite::Error> for Mismatch {
    fn from(e: rusqlite::Error) -> Self {
        Mismatch::Error(e.into())
    }
}

fn verify(db: &Connection, op: &Op, check: Check) -> Result<(), Mismatch> {
    let result = match op {
        Op::InsertEmployee { after: e } => check_op(
            op,
            Current::Employee(employees::get(db, e.id)?.as_ref()),
            check,
        ),
        Op::DeleteEmployee { before: e } if !connections::of_employee(db, e.id)?.is_empty() => {
            // Connections made since (by an import, by hand) would be left dangling.
            Err(format!("{} has connections now", e.label()))
        }
        Op::UpdateEmployee { before: e, .. } | Op::DeleteEmployee { before: e } => check_op(
            op,
            Current::Employee(employees::get(db, e.id)?.as_ref()),
            check,
        ),
        Op::InsertConnection { after: c } => check_op(
            op,
            Current::Connection(connections::get(db, &c.key())?.as_ref()),
            check,
        ),
        Op::UpdateConnection { before: c, .. } | Op::DeleteConnection { before: c } => check_op(
            op,
            Current::Connection(connections::get(db, &c.key())?.as_ref()),
            check,
        ),
        Op::InsertBlock { after: b } => {
            check_op(op, Current::Block(connections::block_exists(db, b)?), check)
        }
        Op::DeleteBlock { before: b } => {
            check_op(op, Current::Block(connections::block_exists(db, b)?), check)
        }
        Op::UpdateReviewItem { before: item, .. } => {
            let current = review::state(db, item.id)?;
            let other = review::open_of_case(db, &item.kind, &item.subject, item.id)?;
            check_op(op, Current::ReviewItem(current.as_ref(), other), check)
        }
    };
    result.map_err(Mismatch::Row)
}

fn write(db: &Connection, op: &Op) -> Result<(), Error> {
    match op {
        Op::InsertEmployee { after } => employees::insert(db, after),
        Op::UpdateEmployee { after, .. } => employees::update(db, after),
        Op::DeleteEmployee { before } => employees::delete(db, before.id),
        Op::InsertConnection { after } => connections::insert(db, after),
        Op::UpdateConnection { after, .. } => connections::update(db, after),
        Op::DeleteConnection { before } => connections::delete(db, &before.key()),
        Op::InsertBlock { after } => connections::insert_block(db, after),
        Op::DeleteBlock { before } => connections::delete_block(db, before),
        Op::UpdateReviewItem { after, .. } => review::set_state(db, after),
    }
}
