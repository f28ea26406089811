//! What the state holds of a connection's actions: the menu and its entries, and the
//! change waiting for its confirmation.

use crate::domain::model::ConnKey;

/// What a connection's menu entry does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    Manage(ConnKey),
    Unmanage,
    Move(ConnKey),
    Remove(ConnKey),
    RemoveAndBlock(ConnKey),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MenuItem {
    pub label: String,
    pub hotkey: char,
    pub choice: Choice,
}

#[derive(Debug, Clone)]
pub struct Menu {
    pub title: String,
    pub items: Vec<MenuItem>,
    pub cursor: usize,
}

/// A change to one connection waiting for its confirmation, with the version of the
/// profile the user saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Manage {
        id: i64,
        version: i64,
        key: ConnKey,
    },
    Unmanage {
        id: i64,
        version: i64,
    },
    Move {
        id: i64,
        version: i64,
        key: ConnKey,
    },
    Remove {
        id: i64,
        version: i64,
        key: ConnKey,
        block: bool,
    },
}
