//! What the employees table shows, as values: the tabs, a view (a tab narrowed by a
//! supplier and a search text), a row, a position in the table's order, the tab counts.
//! The store reads them (`store::listing`), the service hands them to both fronts.

use serde::Serialize;

use super::model::{ConnKey, Status};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Tab {
    Active,
    Pending,
    Deactivated,
    Tracked,
    All,
}

impl Tab {
    pub const SCREEN: [Tab; 4] = [Tab::Active, Tab::Pending, Tab::Deactivated, Tab::Tracked];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Active => "Active",
            Tab::Pending => "Pending",
            Tab::Deactivated => "Deactivated",
            Tab::Tracked => "Tracked",
            Tab::All => "All",
        }
    }
}

/// What the table shows: a tab, optionally narrowed to one supplier and a search text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    pub tab: Tab,
    pub supplier: Option<String>,
    /// Case-insensitive substring of name, email, external ID, account email or system.
    pub text: Option<String>,
}

impl View {
    pub fn tab(tab: Tab) -> View {
        View {
            tab,
            supplier: None,
            text: None,
        }
    }
}

/// The position of a row in the table's order: its sort key (domain/sort_key.rs, as the
/// store keeps it), then its id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SortKey {
    pub sort_name: String,
    pub id: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Page {
    First,
    /// Rows strictly after the key.
    After(SortKey),
    /// Rows strictly before the key (returned in ascending order).
    Before(SortKey),
    /// The last rows.
    Last,
}

/// Which way a read walks the (sort key, id) order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Towards {
    /// From a key (or the start) to the end.
    End,
    /// From a key (or the end) back to the start.
    Start,
}

impl Towards {
    /// The page that goes on from `from` (exclusive) this way; from the edge when none.
    pub fn page(self, from: Option<&SortKey>) -> Page {
        match (self, from) {
            (Towards::End, Some(k)) => Page::After(k.clone()),
            (Towards::End, None) => Page::First,
            (Towards::Start, Some(k)) => Page::Before(k.clone()),
            (Towards::Start, None) => Page::Last,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListRow {
    pub id: i64,
    pub name: String,
    /// What the table sorts by (`employees.sort_name`).
    pub sort_name: String,
    pub email: Option<String>,
    pub picture_url: Option<String>,
    pub login_access: bool,
    pub status: Status,
    /// Sorted distinct system keys.
    pub suppliers: Vec<String>,
    pub managed_by: Option<ConnKey>,
    pub version: i64,
}

impl ListRow {
    pub fn key(&self) -> SortKey {
        SortKey {
            sort_name: self.sort_name.clone(),
            id: self.id,
        }
    }

    pub fn tracked(&self) -> bool {
        self.status == Status::Active && !self.suppliers.is_empty()
    }
}

/// What one bounded step of a filtered read found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The matching rows, in ascending order.
    pub rows: Vec<ListRow>,
    /// Where a next step would go on from (exclusive); `None` when the read reached the
    /// end of the view in its direction.
    pub next: Option<SortKey>,
}

/// The four tab counts of the header.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub active: u64,
    pub pending: u64,
    pub deactivated: u64,
    pub tracked: u64,
}

impl std::fmt::Display for Counts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "active {}, pending {}, deactivated {}, tracked {}",
            self.active, self.pending, self.deactivated, self.tracked
        )
    }
}

impl Counts {
    pub fn of(&self, tab: Tab) -> u64 {
        match tab {
            Tab::Active => self.active,
            Tab::Pending => self.pending,
            Tab::Deactivated => self.deactivated,
            Tab::Tracked => self.tracked,
            Tab::All => self.active + self.pending + self.deactivated,
        }
    }
}
