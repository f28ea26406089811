//! The data model (docs/model.md): employees, their connections and the blocks on them.

use serde::{Deserialize, Serialize};
use std::fmt;

use super::system::display_name;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Active,
    Pending,
    Deactivated,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Pending => "pending",
            Status::Deactivated => "deactivated",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        match s {
            "active" => Some(Status::Active),
            "pending" => Some(Status::Pending),
            "deactivated" => Some(Status::Deactivated),
            _ => None,
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a connection came to link its account to its employee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    ImportId,
    ImportEmail,
    ImportNew,
    Moved,
    Manual,
    Merged,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::ImportId => "import-id",
            Origin::ImportEmail => "import-email",
            Origin::ImportNew => "import-new",
            Origin::Moved => "moved",
            Origin::Manual => "manual",
            Origin::Merged => "merged",
        }
    }

    pub fn parse(s: &str) -> Option<Origin> {
        [
            Origin::ImportId,
            Origin::ImportEmail,
            Origin::ImportNew,
            Origin::Moved,
            Origin::Manual,
            Origin::Merged,
        ]
        .into_iter()
        .find(|o| o.as_str() == s)
    }
}

impl Origin {
    /// How people read the provenance in a column (the app's pane, `roster show`; the
    /// pane's detail line says it in a sentence, "Linked by email …"; JSON and exports
    /// keep the code): README "Glossary".
    pub fn words(self) -> &'static str {
        match self {
            Origin::ImportId => "by ID",
            Origin::ImportEmail => "by email",
            Origin::ImportNew => "new profile",
            Origin::Moved => "moved",
            Origin::Manual => "by hand",
            Origin::Merged => "merged",
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Employee {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    pub picture_url: Option<String>,
    pub login_access: bool,
    pub status: Status,
    /// Set when this profile was folded into another by a merge.
    pub merged_into: Option<i64>,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

impl Employee {
    /// A profile as it is created (by hand, by a move to a new employee, by a review
    /// item's "create"): active, first version, created and updated now.
    pub fn fresh(
        id: i64,
        name: String,
        email: Option<String>,
        picture_url: Option<String>,
        login_access: bool,
        now: &str,
    ) -> Employee {
        Employee {
            id,
            name,
            email,
            picture_url,
            login_access,
            status: Status::Active,
            merged_into: None,
            version: 1,
            created_at: now.to_owned(),
            updated_at: now.to_owned(),
        }
    }

    /// "Jane Doe (#12)": how messages name an employee.
    pub fn label(&self) -> String {
        format!("{} (#{})", super::sanitize::sanitize(&self.name), self.id)
    }

    /// True when the fields an admin or an import can change are equal; version and
    /// timestamps are bookkeeping and do not count.
    pub fn same_content(&self, other: &Employee) -> bool {
        self.id == other.id
            && self.name == other.name
            && self.email == other.email
            && self.picture_url == other.picture_url
            && self.login_access == other.login_access
            && self.status == other.status
            && self.merged_into == other.merged_into
    }
}

/// Identifies a connection across the whole store: `(system, external_id)` is unique.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ConnKey {
    pub system: String,
    pub external_id: String,
}

impl ConnKey {
    pub fn new(system: impl Into<String>, external_id: impl Into<String>) -> Self {
        ConnKey {
            system: system.into(),
            external_id: external_id.into(),
        }
    }
}

impl fmt::Display for ConnKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.system, self.external_id)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Connection {
    pub system: String,
    pub external_id: String,
    pub employee_id: i64,
    pub email: Option<String>,
    pub name: Option<String>,
    pub picture_url: Option<String>,
    /// This connection manages its employee (docs/model.md, "Managed by"). Keeping the flag on the
    /// connection makes "managed-by is one of its own connections" true by construction.
    pub manages: bool,
    pub origin: Origin,
    pub created_by: String,
    pub created_at: String,
    /// The value that made the link: the external ID, the email, or a note.
    pub matched_value: Option<String>,
    /// The `active` flag the system supplied last for this account (`None`: never; a
    /// connection made by hand has none). Part of the row image so that undo restores
    /// it: an import changes a managed profile's status only when this flag changes.
    /// Audit entries written before it was kept lack it (see `store::audit`).
    #[serde(default)]
    pub active: Option<bool>,
}

impl Connection {
    pub fn key(&self) -> ConnKey {
        ConnKey::new(&self.system, &self.external_id)
    }

    pub fn system_name(&self) -> String {
        display_name(&self.system)
    }

    /// "HubSpot account 123": how messages name a connection.
    pub fn label(&self) -> String {
        format!(
            "{} account {}",
            super::sanitize::sanitize(&self.system_name()),
            super::sanitize::sanitize(&self.external_id)
        )
    }
}

/// A recorded refusal: imports never link `(system, external_id)` to `employee_id` again.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Block {
    pub system: String,
    pub external_id: String,
    pub employee_id: i64,
}

/// A block as the fronts show it: the account, and who placed it when (read from the
/// audit log: `None` when the log no longer says, e.g. a block from before roster kept it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BlockInfo {
    pub system: String,
    pub external_id: String,
    pub employee_id: i64,
    /// The account's email when it was removed and blocked.
    pub email: Option<String>,
    pub at: Option<String>,
    pub by: Option<String>,
    /// The audit entry that placed it.
    pub audit_id: Option<i64>,
}

/// An employee with all its connections, as the actions (docs/model.md) see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub employee: Employee,
    pub connections: Vec<Connection>,
}

impl Profile {
    pub fn managed_by(&self) -> Option<&Connection> {
        self.connections.iter().find(|c| c.manages)
    }

    pub fn connection(&self, key: &ConnKey) -> Option<&Connection> {
        self.connections.iter().find(|c| &c.key() == key)
    }

    /// Sorted distinct system keys: the JSON `suppliers` field.
    pub fn supplier_keys(&self) -> Vec<String> {
        super::suppliers::keys(self.connections.iter().map(|c| c.system.as_str()))
    }

    pub fn tracked(&self) -> bool {
        self.employee.status == Status::Active && !self.connections.is_empty()
    }

    /// The emails an import could match this profile by, leaving out connection
    /// `except`: the primary email, then the other connections' emails; distinct after
    /// normalising, as first written.
    pub fn emails_except(&self, except: &ConnKey) -> Vec<String> {
        let mut seen = std::collections::HashSet::new();
        std::iter::once(self.employee.email.as_deref())
            .chain(
                self.connections
                    .iter()
                    .filter(|c| &c.key() != except)
                    .map(|c| c.email.as_deref()),
            )
            .flatten()
            .filter(|e| seen.insert(crate::domain::validate::normalize_email(e)))
            .map(str::to_owned)
            .collect()
    }
}

/// The review setting (docs/model.md): where newly imported profiles land.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Review {
    Auto,
    Manual,
}

impl Review {
    pub fn as_str(self) -> &'static str {
        match self {
            Review::Auto => "auto",
            Review::Manual => "manual",
        }
    }

    pub fn parse(s: &str) -> Option<Review> {
        match s {
            "auto" => Some(Review::Auto),
            "manual" => Some(Review::Manual),
            _ => None,
        }
    }

    pub fn new_profile_status(self) -> Status {
        match self {
            Review::Auto => Status::Active,
            Review::Manual => Status::Pending,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn employee() -> Employee {
        Employee::fresh(
            3,
            "Lena\u{1b}[2J Berg".into(),
            Some("Lena@X.io".into()),
            None,
            true,
            "2026-01-01",
        )
    }

    fn connection(system: &str, id: &str, email: Option<&str>, manages: bool) -> Connection {
        Connection {
            system: system.into(),
            external_id: id.into(),
            employee_id: 3,
            email: email.map(str::to_owned),
            name: None,
            picture_url: None,
            manages,
            origin: Origin::ImportId,
            created_by: "ann".into(),
            created_at: "2026-01-01".into(),
            matched_value: None,
            active: None,
        }
    }

    #[test]
    fn statuses_origins_and_review_settings_are_their_json_words() {
        for s in [Status::Active, Status::Pending, Status::Deactivated] {
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
            assert_eq!(Status::parse(s.as_str()), Some(s));
            assert_eq!(s.to_string(), s.as_str());
        }
        assert_eq!(Status::parse("Active"), None);
        let origins = [
            Origin::ImportId,
            Origin::ImportEmail,
            Origin::ImportNew,
            Origin::Moved,
            Origin::Manual,
            Origin::Merged,
        ];
        for o in origins {
            assert_eq!(serde_json::to_value(o).unwrap(), o.as_str());
            assert_eq!(Origin::parse(o.as_str()), Some(o));
            assert_eq!(o.to_string(), o.as_str());
        }
        assert_eq!(Origin::parse("by hand"), None);
        assert_eq!(
            origins.map(Origin::words),
            [
                "by ID",
                "by email",
                "new profile",
                "moved",
                "by hand",
                "merged"
            ]
        );
        for r in [Review::Auto, Review::Manual] {
            assert_eq!(serde_json::to_value(r).unwrap(), r.as_str());
            assert_eq!(Review::parse(r.as_str()), Some(r));
        }
        assert_eq!(Review::parse("on"), None);
        assert_eq!(Review::Auto.new_profile_status(), Status::Active);
        assert_eq!(Review::Manual.new_profile_status(), Status::Pending);
    }

    #[test]
    fn messages_name_profiles_and_accounts_with_their_data_made_harmless() {
        assert_eq!(employee().label(), "Lena\u{241b}[2J Berg (#3)");
        let c = connection("hubspot", "7\u{7}", None, false);
        assert_eq!(c.label(), "HubSpot account 7\u{2407}");
        assert_eq!(c.system_name(), "HubSpot");
        assert_eq!(connection("crm2", "1", None, false).system_name(), "crm2");
        assert_eq!(c.key().to_string(), "hubspot:7\u{7}");
        assert_eq!(
            ConnKey::new("a", "b"),
            ConnKey {
                system: "a".into(),
                external_id: "b".into()
            }
        );
    }

    #[test]
    fn same_content_compares_every_field_but_the_bookkeeping() {
        let e = employee();
        let mut later = e.clone();
        later.version = 7;
        later.updated_at = "2026-02-02".into();
        later.created_at = "2025-01-01".into();
        assert!(e.same_content(&later));
        let changes: [fn(&mut Employee); 7] = [
            |e| e.id = 4,
            |e| e.name = "Lena Borg".into(),
            |e| e.email = None,
            |e| e.picture_url = Some("https://x.io/p.png".into()),
            |e| e.login_access = false,
            |e| e.status = Status::Deactivated,
            |e| e.merged_into = Some(9),
        ];
        for (i, change) in changes.iter().enumerate() {
            let mut other = e.clone();
            change(&mut other);
            assert!(!e.same_content(&other), "field {i}");
        }
    }

    #[test]
    fn a_profile_knows_its_manager_its_systems_and_the_emails_it_can_be_matched_by() {
        let mut p = Profile {
            employee: employee(),
            connections: vec![
                connection("pipedrive", "1", Some("lena@x.io"), false),
                connection("hubspot", "2", Some("lb@x.io"), true),
                connection("hubspot", "3", Some("LB@x.io"), false),
                connection("slack", "4", None, false),
            ],
        };
        assert_eq!(p.managed_by().map(|c| c.external_id.as_str()), Some("2"));
        assert_eq!(
            p.connection(&ConnKey::new("hubspot", "3"))
                .map(|c| c.external_id.as_str()),
            Some("3")
        );
        assert!(p.connection(&ConnKey::new("slack", "3")).is_none());
        assert_eq!(p.supplier_keys(), ["hubspot", "pipedrive", "slack"]);
        assert!(p.tracked());
        assert_eq!(
            p.emails_except(&ConnKey::new("none", "0")),
            ["Lena@X.io", "lb@x.io"]
        );
        assert_eq!(
            p.emails_except(&ConnKey::new("hubspot", "2")),
            ["Lena@X.io", "LB@x.io"]
        );
        p.employee.status = Status::Pending;
        assert!(!p.tracked());
        p.employee.status = Status::Active;
        p.connections.clear();
        assert!(!p.tracked());
        assert!(p.managed_by().is_none());
    }
}
