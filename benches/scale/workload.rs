//! What each timed import did, from its own report (`--json`): a time means something
//! only when the import did the work it stands for. `roster gen` (src/synth.rs) says
//! what the files hold; each check says what the report must show for it.

use serde_json::Value;

use crate::report::Line;

fn n(r: &Value, key: &str) -> u64 {
    match &r[key] {
        Value::Array(a) => a.len() as u64,
        v => v.as_u64().unwrap_or(u64::MAX),
    }
}

/// The counts a report gives, for the table.
fn counts(r: &Value) -> String {
    format!(
        "rows {}, created {}, linked by email {}, matched {} ({} unchanged), profiles updated {}, conflicts {}",
        n(r, "rows"),
        n(r, "created"),
        n(r, "linked_by_email"),
        n(r, "matched"),
        n(r, "unchanged"),
        n(r, "profiles_updated"),
        n(r, "conflicts"),
    )
}

/// Every 500th Salesforce user shares the mailbox of the one before: two accounts of
/// one system with one email, so the second is a `same_system` conflict.
fn shared_mailboxes(people: u64) -> u64 {
    (0..people).filter(|i| i % 500 == 499).count() as u64
}

fn all_same_system(r: &Value) -> bool {
    r["conflicts"]
        .as_array()
        .is_some_and(|c| c.iter().all(|c| c["kind"] == "same_system"))
}

/// `salesforce.csv` into an empty store: a new profile for every person, but the
/// second user of each shared mailbox.
pub fn new_people(what: &str, r: &Value, people: u64) -> Line {
    let conflicts = shared_mailboxes(people);
    let ok = n(r, "rows") == people
        && n(r, "created") == people - conflicts
        && n(r, "conflicts") == conflicts
        && all_same_system(r)
        && n(r, "linked_by_email") == 0
        && n(r, "matched") == 0;
    Line::check(what, ok, counts(r))
}

/// `hr.csv`: 70% of its rows are Salesforce people (linked by their email in other
/// letters), 30% new people; the few whose Salesforce account was a conflict are new.
pub fn second_system(r: &Value, rows: u64) -> Line {
    let linked = n(r, "linked_by_email") as f64 / rows as f64;
    let ok = n(r, "rows") == rows
        && (0.69..=0.70).contains(&linked)
        && n(r, "created") + n(r, "linked_by_email") == rows
        && n(r, "matched") == 0
        && n(r, "conflicts") == 0;
    Line::check(
        "import: 2nd system linked about 70% by email",
        ok,
        format!("{} ({:.1}% linked)", counts(r), linked * 100.0),
    )
}

/// `salesforce.csv` again: every account found by ID and nothing changed (the shared
/// mailboxes meet their conflict again).
pub fn unchanged(r: &Value, people: u64) -> Line {
    let conflicts = shared_mailboxes(people);
    let ok = n(r, "rows") == people
        && n(r, "matched") == people - conflicts
        && n(r, "unchanged") == n(r, "matched")
        && n(r, "conflicts") == conflicts
        && n(r, "created") == 0
        && n(r, "linked_by_email") == 0
        && n(r, "profiles_updated") == 0;
    Line::check("import: the re-import changed nothing", ok, counts(r))
}

/// An import's undo (its audit entry, `roster log --limit 1 --json`): every profile the
/// import created removed, every account it linked by email unlinked, the review items
/// its conflicts raised closed.
pub fn undone(what: &str, entry: &Value, import: &Value) -> Line {
    let c = &entry["changes"];
    let got = |k: &str| c[k].as_u64().unwrap_or(u64::MAX);
    let ok = entry["action"] == "undo"
        && got("removed_profiles") == n(import, "created")
        && got("removed_links") == n(import, "linked_by_email")
        && got("review_items") == n(import, "conflicts");
    Line::check(
        what,
        ok,
        format!(
            "removed profiles {}, removed links {}, restored {}, review items {} (the import: {})",
            got("removed_profiles"),
            got("removed_links"),
            got("restored"),
            got("review_items"),
            counts(import)
        ),
    )
}
