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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::Origin;
    use crate::domain::review::Closing;

    fn employee(id: i64) -> Employee {
        Employee::fresh(id, "Lena Berg".into(), None, None, false, "2026-01-01")
    }

    fn connection(employee_id: i64) -> Connection {
        Connection {
            system: "hubspot".into(),
            external_id: "1".into(),
            employee_id,
            email: None,
            name: None,
            picture_url: None,
            manages: false,
            origin: Origin::Manual,
            created_by: "ann".into(),
            created_at: "2026-01-01".into(),
            matched_value: None,
            active: None,
        }
    }

    fn block(employee_id: i64) -> Block {
        Block {
            system: "hubspot".into(),
            external_id: "1".into(),
            employee_id,
        }
    }

    fn item(closed: bool) -> ItemState {
        ItemState {
            id: 12,
            kind: "conflict".into(),
            subject: "hubspot:1".into(),
            closed: closed.then(|| Closing {
                at: "2026-01-02".into(),
                by: "ann".into(),
                why: "resolved".into(),
                note: String::new(),
            }),
        }
    }

    #[test]
    fn a_change_touches_every_profile_its_rows_name_and_no_other() {
        let change = ChangeSet {
            ops: vec![
                Op::InsertEmployee { after: employee(1) },
                Op::UpdateEmployee {
                    before: employee(2),
                    after: employee(3),
                },
                Op::DeleteEmployee {
                    before: employee(4),
                },
                Op::InsertConnection {
                    after: connection(5),
                },
                Op::UpdateConnection {
                    before: connection(6),
                    after: connection(7),
                },
                Op::DeleteConnection {
                    before: connection(8),
                },
                Op::InsertBlock { after: block(9) },
                Op::DeleteBlock { before: block(10) },
                Op::UpdateReviewItem {
                    before: item(false),
                    after: item(true),
                },
            ],
        };
        assert_eq!(
            change.employee_ids().into_iter().collect::<Vec<_>>(),
            (1..=10).collect::<Vec<_>>()
        );
        assert!(ChangeSet::default().employee_ids().is_empty());
    }

    #[test]
    fn an_insert_expects_no_row_and_a_block_lifted_since_is_refused() {
        let ok = |op: Op, cur: Current<'_>| check_op(&op, cur, Check::Version);
        let e = employee(3);
        assert_eq!(
            ok(
                Op::InsertEmployee { after: e.clone() },
                Current::Employee(None)
            ),
            Ok(())
        );
        assert_eq!(
            ok(
                Op::InsertEmployee { after: e.clone() },
                Current::Employee(Some(&e))
            ),
            Err("employee #3 exists already".into())
        );
        let c = connection(3);
        assert_eq!(
            ok(
                Op::InsertConnection { after: c.clone() },
                Current::Connection(None)
            ),
            Ok(())
        );
        assert_eq!(
            ok(
                Op::InsertConnection { after: c.clone() },
                Current::Connection(Some(&connection(4)))
            ),
            Err("HubSpot account 1 belongs to employee #4 now".into())
        );
        assert_eq!(
            ok(Op::InsertBlock { after: block(3) }, Current::Block(true)),
            Ok(())
        );
        assert_eq!(
            ok(Op::InsertBlock { after: block(3) }, Current::Block(false)),
            Ok(())
        );
        assert_eq!(
            ok(Op::DeleteBlock { before: block(3) }, Current::Block(true)),
            Ok(())
        );
        assert_eq!(
            ok(Op::DeleteBlock { before: block(3) }, Current::Block(false)),
            Err("the block on hubspot:1 was lifted".into())
        );
    }

    #[test]
    fn a_connection_that_moved_or_changed_since_is_refused_and_says_which() {
        let before = connection(3);
        let op = Op::DeleteConnection {
            before: before.clone(),
        };
        let check =
            |cur: Option<&Connection>| check_op(&op, Current::Connection(cur), Check::Content);
        assert_eq!(check(Some(&before)), Ok(()));
        assert_eq!(
            check(Some(&connection(4))),
            Err("HubSpot account 1 moved to employee #4".into())
        );
        let mut renamed = before.clone();
        renamed.name = Some("Lena".into());
        assert_eq!(
            check(Some(&renamed)),
            Err("HubSpot account 1 was changed".into())
        );
        assert_eq!(
            check(None),
            Err("HubSpot account 1 no longer exists".into())
        );
    }

    #[test]
    fn an_item_reopens_only_when_no_other_is_open_for_its_case_but_closes_anyway() {
        let close = Op::UpdateReviewItem {
            before: item(false),
            after: item(true),
        };
        let reopen = close.inverse();
        let (open, closed) = (item(false), item(true));
        let check = |op: &Op, cur: &ItemState, other: Option<i64>| {
            check_op(op, Current::ReviewItem(Some(cur), other), Check::Content)
        };
        assert_eq!(check(&close, &open, None), Ok(()));
        assert_eq!(check(&close, &open, Some(13)), Ok(()));
        assert_eq!(check(&reopen, &closed, None), Ok(()));
        assert_eq!(
            check(&reopen, &closed, Some(13)),
            Err("review item 13 is open for the same case now".into())
        );
        assert_eq!(
            check(&close, &closed, None),
            Err("review item 12 was closed (resolved) by ann".into())
        );
        assert_eq!(
            check(&reopen, &open, None),
            Err("review item 12 was opened again".into())
        );
    }
}
