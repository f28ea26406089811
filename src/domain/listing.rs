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
    /// The app's tabs in the header's order: the four, then All (`0`).
    pub const SHOWN: [Tab; 5] = [
        Tab::Active,
        Tab::Pending,
        Tab::Deactivated,
        Tab::Tracked,
        Tab::All,
    ];
    /// The tabs of one status each: All is the three read side by side (the store keeps
    /// an index per status, none across them, so All merges their orders).
    pub const STATUSES: [Tab; 3] = [Tab::Active, Tab::Pending, Tab::Deactivated];

    /// The tab of profiles with `status`.
    pub fn of(status: Status) -> Tab {
        match status {
            Status::Active => Tab::Active,
            Status::Pending => Tab::Pending,
            Status::Deactivated => Tab::Deactivated,
        }
    }

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

/// What the table shows: a tab, optionally narrowed to one supplier, by the typed
/// filters, and by a search text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    pub tab: Tab,
    pub supplier: Option<String>,
    /// Case-insensitive substring of name, email, external ID, account email or system.
    pub text: Option<String>,
    /// The typed filters `status:`, `login:`, `managed:` (domain/search.rs `Filter`).
    pub narrow: Narrow,
    /// The column the rows are in the order of (name unless `s` chose another).
    pub sort: SortBy,
}

impl View {
    pub fn tab(tab: Tab) -> View {
        View {
            tab,
            supplier: None,
            text: None,
            narrow: Narrow::default(),
            sort: SortBy::Name,
        }
    }

    /// The same view on another tab (All read as its three status tabs).
    pub fn on(&self, tab: Tab) -> View {
        View {
            tab,
            ..self.clone()
        }
    }

    /// Narrowed by anything besides its tab, or in an order with no index: its rows
    /// come from bounded scans on the worker, not from pages read on the key.
    pub fn filtered(&self) -> bool {
        self.text.is_some()
            || self.supplier.is_some()
            || self.narrow != Narrow::default()
            || self.sort != SortBy::Name
    }
}

/// The columns the table can be sorted by (`s` goes round them in this order). By
/// name at any size: the tab index is in that order. Any other column sorts a tab of up
/// to `SORT_LIMIT` profiles (each read sorts the tab; README "Sorting"), ties broken by
/// name, then ID.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum SortBy {
    #[default]
    Name,
    Id,
    Email,
    Login,
    Status,
    Suppliers,
    ManagedBy,
}

/// The most profiles a tab may hold to be sorted by a column other than the name.
pub const SORT_LIMIT: u64 = 10_000;

impl SortBy {
    pub const ALL: [SortBy; 7] = [
        SortBy::Name,
        SortBy::Id,
        SortBy::Email,
        SortBy::Login,
        SortBy::Status,
        SortBy::Suppliers,
        SortBy::ManagedBy,
    ];

    /// The column's title, as the table heads it.
    pub fn title(self) -> &'static str {
        match self {
            SortBy::Name => "Name",
            SortBy::Id => "ID",
            SortBy::Email => "Email",
            SortBy::Login => "Login",
            SortBy::Status => "Status",
            SortBy::Suppliers => "Data suppliers",
            SortBy::ManagedBy => "Managed by",
        }
    }

    /// The next column `s` sorts by.
    pub fn next(self) -> SortBy {
        let i = SortBy::ALL.iter().position(|s| *s == self).unwrap_or(0);
        SortBy::ALL[(i + 1) % SortBy::ALL.len()]
    }
}

/// Typed filters besides the supplier: each `None` lets every row through.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Narrow {
    pub status: Option<Status>,
    pub login: Option<bool>,
    pub managed: Option<Managed>,
}

/// `managed:` — by hand (no system manages the profile), or by a system's account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Managed {
    Manual,
    By(String),
}

/// The position of a row in the table's order: its sort key (domain/sort_key.rs, as the
/// store keeps it; sorted by another column, that column's value, then the sort key),
/// then its id. Ordered as the table is (the store compares the sort
/// key byte by byte, as `String` does).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
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

/// One step of a read of All from the same step of each status tab (`arms`, each
/// `Found` as that tab's read gave it, towards the same end from the same key, wanting
/// `want`): the rows of all three in the table's order, as far as every arm has looked
/// (a row beyond where one arm stopped could have a row of that arm before it), at most
/// `want` of them, nearest the start of the walk first.
pub fn merge_found(towards: Towards, want: usize, arms: Vec<Found>) -> Found {
    let end = towards == Towards::End;
    // How far every arm looked: the nearest of their stops (`None`: that arm reached
    // its edge, it holds nothing more).
    let mut cut: Option<SortKey> = None;
    let mut rows: Vec<ListRow> = Vec::new();
    for arm in arms {
        if let Some(k) = arm.next {
            cut = Some(match cut {
                Some(c) if (end && c <= k) || (!end && c >= k) => c,
                _ => k,
            });
        }
        rows.extend(arm.rows);
    }
    rows.sort_by_key(ListRow::key);
    if let Some(c) = &cut {
        rows.retain(|r| if end { r.key() <= *c } else { r.key() >= *c });
    }
    if rows.len() >= want {
        let taken: Vec<ListRow> = if end {
            rows.truncate(want);
            rows
        } else {
            rows.split_off(rows.len() - want)
        };
        let next = if end { taken.last() } else { taken.first() }.map(ListRow::key);
        return Found { rows: taken, next };
    }
    Found { rows, next: cut }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn row(sort_name: &str, id: i64, status: Status, suppliers: &[&str]) -> ListRow {
        ListRow {
            id,
            name: sort_name.to_uppercase(),
            sort_name: sort_name.into(),
            email: None,
            picture_url: None,
            login_access: false,
            status,
            suppliers: suppliers.iter().map(|s| (*s).to_owned()).collect(),
            managed_by: None,
            version: 1,
        }
    }

    /// An arm's step: its rows (by sort name), and where it stopped (`None`: at its edge).
    fn arm(names: &[&str], next: Option<&str>) -> Found {
        Found {
            rows: names
                .iter()
                .map(|n| row(n, 1, Status::Active, &[]))
                .collect(),
            next: next.map(|n| SortKey {
                sort_name: n.into(),
                id: 1,
            }),
        }
    }

    fn names(found: &Found) -> (Vec<&str>, Option<&str>) {
        (
            found.rows.iter().map(|r| r.sort_name.as_str()).collect(),
            found.next.as_ref().map(|k| k.sort_name.as_str()),
        )
    }

    #[test]
    fn all_merges_its_tabs_only_as_far_as_every_tab_has_looked() {
        // Towards the end: the arm that stopped first (at e) bounds what is known.
        let arms = || {
            vec![
                arm(&["a", "e"], Some("e")),
                arm(&["b"], None),
                arm(&["c", "g"], Some("g")),
            ]
        };
        for order in [arms(), arms().into_iter().rev().collect()] {
            let found = merge_found(Towards::End, 10, order);
            assert_eq!(names(&found), (vec!["a", "b", "c", "e"], Some("e")));
        }
        // Wanting fewer: the first ones, and the step goes on from the last taken.
        let found = merge_found(Towards::End, 3, arms());
        assert_eq!(names(&found), (vec!["a", "b", "c"], Some("c")));
        let found = merge_found(Towards::End, 4, arms());
        assert_eq!(names(&found), (vec!["a", "b", "c", "e"], Some("e")));

        // Towards the start: the arm that stopped last (at e) bounds it.
        let arms = || {
            vec![
                arm(&["e", "i"], Some("e")),
                arm(&["g"], None),
                arm(&["c", "h"], Some("c")),
            ]
        };
        for order in [arms(), arms().into_iter().rev().collect()] {
            let found = merge_found(Towards::Start, 10, order);
            assert_eq!(names(&found), (vec!["e", "g", "h", "i"], Some("e")));
        }
        let found = merge_found(Towards::Start, 2, arms());
        assert_eq!(names(&found), (vec!["h", "i"], Some("h")));
        let found = merge_found(Towards::Start, 1, arms());
        assert_eq!(names(&found), (vec!["i"], Some("i")));
        // Every arm at its edge: all the rows, nothing further.
        let found = merge_found(
            Towards::Start,
            10,
            vec![arm(&["b", "a"], None), arm(&[], None)],
        );
        assert_eq!(names(&found), (vec!["a", "b"], None));
    }

    #[test]
    fn a_view_is_filtered_by_anything_but_its_tab_and_keeps_it_on_another_tab() {
        let plain = View::tab(Tab::Active);
        assert!(!plain.filtered());
        let mut v = plain.clone();
        v.text = Some("berg".into());
        assert!(v.filtered());
        let mut v = plain.clone();
        v.supplier = Some("hubspot".into());
        assert!(v.filtered());
        assert_eq!(
            v.on(Tab::All),
            View {
                tab: Tab::All,
                ..v.clone()
            }
        );
        let mut v = plain.clone();
        v.narrow.login = Some(true);
        assert!(v.filtered());
        let mut v = plain.clone();
        v.sort = SortBy::Email;
        assert!(v.filtered());
    }

    #[test]
    fn tabs_and_columns_have_the_titles_the_header_shows_and_s_goes_round_them() {
        assert_eq!(
            Tab::SHOWN.map(Tab::title),
            ["Active", "Pending", "Deactivated", "Tracked", "All"]
        );
        assert_eq!(
            SortBy::ALL.map(SortBy::title),
            [
                "Name",
                "ID",
                "Email",
                "Login",
                "Status",
                "Data suppliers",
                "Managed by"
            ]
        );
        let mut s = SortBy::Name;
        let mut seen = Vec::new();
        for _ in 0..SortBy::ALL.len() {
            s = s.next();
            seen.push(s);
        }
        assert_eq!(seen[..6], SortBy::ALL[1..]);
        assert_eq!(seen[6], SortBy::Name);
    }

    #[test]
    fn a_row_is_tracked_when_active_with_a_supplier() {
        assert!(row("a", 1, Status::Active, &["hubspot"]).tracked());
        assert!(!row("a", 1, Status::Active, &[]).tracked());
        assert!(!row("a", 1, Status::Pending, &["hubspot"]).tracked());
        assert!(!row("a", 1, Status::Deactivated, &[]).tracked());
    }

    #[test]
    fn the_counts_of_each_tab_and_all_of_them() {
        let c = Counts {
            active: 5,
            pending: 3,
            deactivated: 2,
            tracked: 4,
        };
        assert_eq!(Tab::SHOWN.map(|t| c.of(t)), [5, 3, 2, 4, 10]);
        assert_eq!(
            c.to_string(),
            "active 5, pending 3, deactivated 2, tracked 4"
        );
    }
}
