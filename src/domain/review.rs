//! The review inbox's vocabulary (docs/review.md): the kinds of items, why an
//! item closes, and what an import did to the inbox.

/// The kinds of items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Conflict,
    SameSystem,
    Duplicate,
    Pending,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Conflict => "conflict",
            Kind::SameSystem => "same_system",
            Kind::Duplicate => "duplicate",
            Kind::Pending => "pending",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        [
            Kind::Conflict,
            Kind::SameSystem,
            Kind::Duplicate,
            Kind::Pending,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// Why an item closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closed {
    /// An admin resolved it (link, create, merge).
    Resolved,
    /// What it asked was settled otherwise (an import placed the account).
    Settled,
    /// An admin chose to leave the account alone.
    Ignored,
    /// An admin dismissed a suggestion.
    Dismissed,
    /// The import that raised it was undone.
    Undone,
}

impl Closed {
    pub fn as_str(self) -> &'static str {
        match self {
            Closed::Resolved => "resolved",
            Closed::Settled => "settled",
            Closed::Ignored => "ignored",
            Closed::Dismissed => "dismissed",
            Closed::Undone => "undone",
        }
    }
}

/// What the import did to the inbox, for the report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ReviewCounts {
    /// Items raised for cases not seen before.
    pub raised: u64,
    /// Open items of the same case, met again.
    pub refreshed: u64,
    /// Open items closed because the import placed their account.
    pub settled: u64,
}

/// An account an item is about.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ItemAccount {
    /// `account` (the one the item is about) or `other` (the candidate's other
    /// accounts of the same system).
    pub role: String,
    pub system: String,
    pub external_id: String,
    pub email: Option<String>,
    pub name: Option<String>,
}

/// An item as docs/review.md shows it (`id, kind, reason, accounts, profiles, raised_at,
/// import_run`), with its bookkeeping.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Item {
    pub id: i64,
    pub kind: String,
    pub subject: String,
    pub reason: String,
    pub accounts: Vec<ItemAccount>,
    pub profiles: Vec<i64>,
    pub raised_at: String,
    pub import_run: Option<i64>,
    pub seen_at: String,
    pub seen_run: Option<i64>,
    pub closed_at: Option<String>,
    pub closed_by: Option<String>,
    pub closed_why: Option<String>,
    pub closed_note: Option<String>,
}
