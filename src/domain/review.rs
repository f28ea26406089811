//! The review inbox's vocabulary (docs/review.md): the kinds of items, why an
//! item closes, and what an import did to the inbox.

/// The kinds of items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Kind {
    Conflict,
    #[value(name = "same_system")]
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

    /// How people read it: "conflict", "same system", "duplicate", "pending".
    pub fn words(self) -> &'static str {
        match self {
            Kind::SameSystem => "same system",
            k => k.as_str(),
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

/// An item's id as the inbox shows it: a stored item's number ("12"), or for a profile
/// waiting in the Pending tab `p` and the profile's id ("p17"). Pending items are not
/// stored: they are the Pending tab itself (docs/review.md "Pending items").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItemId {
    Stored(i64),
    Pending(i64),
}

impl std::fmt::Display for ItemId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ItemId::Stored(id) => write!(f, "{id}"),
            ItemId::Pending(id) => write!(f, "p{id}"),
        }
    }
}

impl std::str::FromStr for ItemId {
    type Err = String;

    /// "12", "#12", "p17", "P17".
    fn from_str(s: &str) -> Result<ItemId, String> {
        let t = s.trim();
        let bad = || {
            format!(
                "'{}' is not a review item id: items are numbers (12), pending profiles p and the profile's id (p17); `roster review` lists them.",
                super::sanitize::escape_for_text(t)
            )
        };
        let (pending, digits) = match t.strip_prefix(['p', 'P']) {
            Some(rest) => (true, rest),
            None => (false, t.strip_prefix('#').unwrap_or(t)),
        };
        let n: i64 = digits.parse().map_err(|_| bad())?;
        if n <= 0 {
            return Err(bad());
        }
        Ok(if pending {
            ItemId::Pending(n)
        } else {
            ItemId::Stored(n)
        })
    }
}

impl serde::Serialize for ItemId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Where an item stands in the inbox's order (newest first): when it arose, then its
/// number, stored items before pending ones of the same time and number.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct InboxKey {
    pub at: String,
    pub num: i64,
    /// 1 for a stored item, 0 for a pending profile.
    pub tag: u8,
}

/// A page of the inbox, in its order (newest first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InboxPage {
    First,
    /// Items after the key (older).
    After(InboxKey),
    /// Items before the key (newer), returned in the inbox's order.
    Before(InboxKey),
    Last,
}

/// An open item as the inbox lists it (docs/review.md, README "The review inbox").
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct InboxItem {
    pub id: ItemId,
    pub kind: Kind,
    /// One sentence: what is asked, why, and what can be done.
    pub reason: String,
    pub accounts: Vec<ItemAccount>,
    /// The candidate, suggested or pending profiles.
    pub profiles: Vec<i64>,
    pub raised_at: String,
    pub import_run: Option<i64>,
    /// For stored items, the last time an import or a scan met the case again.
    #[serde(skip)]
    pub seen_at: String,
    /// The profiles' names, in the order of `profiles` (empty for one that is gone).
    #[serde(skip)]
    pub names: Vec<String>,
}

impl InboxItem {
    pub fn key(&self) -> InboxKey {
        match self.id {
            ItemId::Stored(n) => InboxKey {
                at: self.raised_at.clone(),
                num: n,
                tag: 1,
            },
            ItemId::Pending(n) => InboxKey {
                at: self.raised_at.clone(),
                num: n,
                tag: 0,
            },
        }
    }

    /// The account the item is about (conflict, same_system).
    pub fn account(&self) -> Option<&ItemAccount> {
        self.accounts.iter().find(|a| a.role == "account")
    }
}

impl serde::Serialize for Kind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// How an open item is closed, as a change's row image: undo puts back `before`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ItemState {
    pub id: i64,
    pub kind: String,
    pub subject: String,
    pub closed: Option<Closing>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Closing {
    pub at: String,
    pub by: String,
    pub why: String,
    pub note: String,
}

impl ItemState {
    /// "review item 12".
    pub fn label(&self) -> String {
        format!("review item {}", self.id)
    }
}

/// What an admin decides for an item (README "The review inbox" lists which apply to
/// which kind).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// Link the account to this profile.
    Link(i64),
    /// A new profile for the account; for a pending profile: take it on (activate).
    Create,
    /// Leave the account alone; for a pending profile: discard it.
    Ignore,
    /// Keep this profile and fold the others in.
    Merge(i64),
    /// Not one person: never suggest this group again.
    Dismiss,
}

impl Resolution {
    /// The audit log's action name.
    pub fn action(self) -> &'static str {
        match self {
            Resolution::Link(_) => "review-link",
            Resolution::Create => "review-create",
            Resolution::Ignore => "review-ignore",
            Resolution::Merge(_) => "review-merge",
            Resolution::Dismiss => "review-dismiss",
        }
    }
}

/// What the admin saw of an item when deciding: a resolution is refused as stale when
/// any of it changed since.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    /// The stored item's last refresh (`seen_at`); none for a pending profile.
    pub seen_at: Option<String>,
    /// The versions of the profiles shown.
    pub versions: Vec<(i64, i64)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_closings_have_the_words_of_docs_review() {
        let kinds = [
            Kind::Conflict,
            Kind::SameSystem,
            Kind::Duplicate,
            Kind::Pending,
        ];
        assert_eq!(
            kinds.map(Kind::as_str),
            ["conflict", "same_system", "duplicate", "pending"]
        );
        assert_eq!(
            kinds.map(Kind::words),
            ["conflict", "same system", "duplicate", "pending"]
        );
        for k in kinds {
            assert_eq!(Kind::parse(k.as_str()), Some(k));
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
        }
        assert_eq!(Kind::parse("same system"), None);
        assert_eq!(
            [
                Closed::Resolved,
                Closed::Settled,
                Closed::Ignored,
                Closed::Dismissed,
                Closed::Undone
            ]
            .map(Closed::as_str),
            ["resolved", "settled", "ignored", "dismissed", "undone"]
        );
        assert_eq!(
            [
                Resolution::Link(3),
                Resolution::Create,
                Resolution::Ignore,
                Resolution::Merge(3),
                Resolution::Dismiss
            ]
            .map(Resolution::action),
            [
                "review-link",
                "review-create",
                "review-ignore",
                "review-merge",
                "review-dismiss"
            ]
        );
    }

    #[test]
    fn an_item_id_is_a_number_or_p_and_a_profile_id() {
        for (text, id) in [
            ("12", ItemId::Stored(12)),
            ("#12", ItemId::Stored(12)),
            (" 12 ", ItemId::Stored(12)),
            ("p17", ItemId::Pending(17)),
            ("P17", ItemId::Pending(17)),
            ("1", ItemId::Stored(1)),
        ] {
            assert_eq!(text.parse::<ItemId>(), Ok(id), "{text}");
        }
        for bad in ["0", "p0", "-3", "#", "p", "x1", "12a", "p#3"] {
            let err = bad.parse::<ItemId>().unwrap_err();
            assert!(err.contains("is not a review item id"), "{bad}: {err}");
        }
        assert_eq!(ItemId::Stored(12).to_string(), "12");
        assert_eq!(ItemId::Pending(17).to_string(), "p17");
        assert_eq!(serde_json::to_value(ItemId::Pending(17)).unwrap(), "p17");
    }

    #[test]
    fn the_inbox_orders_by_time_then_number_stored_before_pending() {
        let item = |id: ItemId, at: &str| InboxItem {
            id,
            kind: Kind::Conflict,
            reason: String::new(),
            accounts: vec![
                ItemAccount {
                    role: "other".into(),
                    system: "hubspot".into(),
                    external_id: "2".into(),
                    email: None,
                    name: None,
                },
                ItemAccount {
                    role: "account".into(),
                    system: "hubspot".into(),
                    external_id: "1".into(),
                    email: None,
                    name: None,
                },
            ],
            profiles: vec![],
            raised_at: at.into(),
            import_run: None,
            seen_at: String::new(),
            names: vec![],
        };
        let stored = item(ItemId::Stored(5), "2026-01-02");
        let pending = item(ItemId::Pending(5), "2026-01-02");
        assert_eq!(
            stored.key(),
            InboxKey {
                at: "2026-01-02".into(),
                num: 5,
                tag: 1
            }
        );
        assert_eq!(
            pending.key(),
            InboxKey {
                at: "2026-01-02".into(),
                num: 5,
                tag: 0
            }
        );
        assert!(pending.key() < stored.key());
        assert!(item(ItemId::Stored(9), "2026-01-01").key() < pending.key());
        assert_eq!(stored.account().map(|a| a.external_id.as_str()), Some("1"));
        let state = ItemState {
            id: 12,
            kind: "conflict".into(),
            subject: "hubspot:1".into(),
            closed: None,
        };
        assert_eq!(state.label(), "review item 12");
    }
}
