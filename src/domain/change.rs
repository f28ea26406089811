//! What an action does, as row images: the store applies a `ChangeSet` in one transaction,
//! the audit log keeps it, and undo applies its inverse.

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

use super::model::{Block, Connection, Employee};
use super::review::ItemState;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    InsertEmployee {
        after: Employee,
    },
    UpdateEmployee {
        before: Employee,
        after: Employee,
    },
    DeleteEmployee {
        before: Employee,
    },
    InsertConnection {
        after: Connection,
    },
    UpdateConnection {
        before: Connection,
        after: Connection,
    },
    DeleteConnection {
        before: Connection,
    },
    InsertBlock {
        after: Block,
    },
    DeleteBlock {
        before: Block,
    },
    /// A review item closes (a resolution, or settled by the action) or opens again.
    UpdateReviewItem {
        before: ItemState,
        after: ItemState,
    },
}

impl Op {
    /// Every employee this operation touches, directly or through a connection.
    fn employee_ids(&self, out: &mut BTreeSet<i64>) {
        match self {
            Op::InsertEmployee { after: e } | Op::DeleteEmployee { before: e } => {
                out.insert(e.id);
            }
            Op::UpdateEmployee { before, after } => {
                out.insert(before.id);
                out.insert(after.id);
            }
            Op::InsertConnection { after: c } | Op::DeleteConnection { before: c } => {
                out.insert(c.employee_id);
            }
            Op::UpdateConnection { before, after } => {
                out.insert(before.employee_id);
                out.insert(after.employee_id);
            }
            Op::InsertBlock { after: b } | Op::DeleteBlock { before: b } => {
                out.insert(b.employee_id);
            }
            // An item names profiles but changes none of them.
            Op::UpdateReviewItem { .. } => {}
        }
    }

    fn inverse(&self) -> Op {
        match self.clone() {
            Op::InsertEmployee { after } => Op::DeleteEmployee { before: after },
            Op::DeleteEmployee { before } => Op::InsertEmployee { after: before },
            Op::UpdateEmployee { before, after } => Op::UpdateEmployee {
                before: after,
                after: before,
            },
            Op::InsertConnection { after } => Op::DeleteConnection { before: after },
            Op::DeleteConnection { before } => Op::InsertConnection { after: before },
            Op::UpdateConnection { before, after } => Op::UpdateConnection {
                before: after,
                after: before,
            },
            Op::InsertBlock { after } => Op::DeleteBlock { before: after },
            Op::DeleteBlock { before } => Op::InsertBlock { after: before },
            Op::UpdateReviewItem { before, after } => Op::UpdateReviewItem {
                before: after,
                after: before,
            },
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeSet {
    pub ops: Vec<Op>,
}

impl ChangeSet {
    pub fn push(&mut self, op: Op) {
        self.ops.push(op);
    }

    pub fn employee_ids(&self) -> BTreeSet<i64> {
        let mut ids = BTreeSet::new();
        for op in &self.ops {
            op.employee_ids(&mut ids);
        }
        ids
    }

    /// The change that puts every row back: operations swapped and in reverse order, so
    /// that constraints (one manager per employee, connections before their employee)
    /// hold at every step.
    pub fn inverse(&self) -> ChangeSet {
        ChangeSet {
            ops: self.ops.iter().rev().map(Op::inverse).collect(),
        }
    }
}

/// How strictly the rows an operation expects are compared with the rows in the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// An action computed from a read: the employee's version must be the one read.
    Version,
    /// Undo: the rows must still hold what the action left there (versions may have
    /// moved on, e.g. after undoing a later action that touched the same row).
    Content,
}

/// The row an operation finds in the store before it is applied.
pub enum Current<'a> {
    Employee(Option<&'a Employee>),
    Connection(Option<&'a Connection>),
    Block(bool),
    /// The item as it is now, and the open item of the same case when another one is
    /// open (the reopening of this one would make two).
    ReviewItem(Option<&'a ItemState>, Option<i64>),
}

/// Verifies that `op` finds the store as it expects. The error says, in a phrase, what
/// differs ("Jane Doe (#3) was changed"), for the caller to wrap in a sentence.
pub fn check_op(op: &Op, current: Current<'_>, check: Check) -> Result<(), String> {
    match (op, current) {
        (Op::InsertEmployee { after }, Current::Employee(cur)) => match cur {
            None => Ok(()),
            Some(_) => Err(format!("employee #{} exists already", after.id)),
        },
        (
            Op::UpdateEmployee { before, .. } | Op::DeleteEmployee { before },
            Current::Employee(cur),
        ) => match cur {
            None => Err(format!("{} no longer exists", before.label())),
            Some(cur) => {
                let same = match check {
                    Check::Version => cur.version == before.version,
                    Check::Content => cur.same_content(before),
                };
                if same {
                    Ok(())
                } else {
                    Err(format!("{} was changed", cur.label()))
                }
            }
        },
        (Op::InsertConnection { after }, Current::Connection(cur)) => match cur {
            None => Ok(()),
            Some(c) => Err(format!(
                "{} belongs to employee #{} now",
                after.label(),
                c.employee_id
            )),
        },
        (
            Op::UpdateConnection { before, .. } | Op::DeleteConnection { before },
            Current::Connection(cur),
        ) => match cur {
            None => Err(format!("{} no longer exists", before.label())),
            Some(c) if c == before => Ok(()),
            Some(c) if c.employee_id != before.employee_id => Err(format!(
                "{} moved to employee #{}",
                before.label(),
                c.employee_id
            )),
            Some(_) => Err(format!("{} was changed", before.label())),
        },
        (Op::InsertBlock { .. }, Current::Block(_)) => Ok(()),
        (Op::DeleteBlock { before }, Current::Block(exists)) => {
            if exists {
                Ok(())
            } else {
                Err(format!(
                    "the block on {}:{} was lifted",
                    before.system, before.external_id
                ))
            }
        }
        (Op::UpdateReviewItem { before, after }, Current::ReviewItem(cur, other)) => match cur {
            None => Err(format!("{} no longer exists", before.label())),
            Some(cur) if cur != before => Err(match &cur.closed {
                Some(c) => format!("{} was closed ({}) by {}", before.label(), c.why, c.by),
                None => format!("{} was opened again", before.label()),
            }),
            Some(_) => match other {
                Some(id) if after.closed.is_none() => {
                    Err(format!("review item {id} is open for the same case now"))
                }
                _ => Ok(()),
            },
        },
        _ => Err("the store answered with a row of the wrong kind".into()),
    }
}
