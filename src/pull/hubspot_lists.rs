//! HubSpot's two lists of owners. A pull reads the active owners (`archived=false`), then
//! the archived ones (`archived=true`), and HubSpot documents the second as returning
//! "only results that have been archived": an owner is in one list. An owner met in both
//! was archived (or restored) between the two reads, and its two records contradict each
//! other. roster does not guess which one is true now: the active list's record, read
//! first, is imported like any owner's; the archived one is left out of the pull, and the
//! report says so, with what else the two records disagree on (docs/pull.md). The next
//! pull meets the owner in one list and settles it.
//!
//! What is kept per active owner is its ID and two hashes (email, name): the pages
//! themselves are not kept.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::domain::validate::normalize_email;

/// The owners of the active list seen so far, by ID.
#[derive(Default)]
pub struct Lists {
    active: HashMap<u64, Who>,
}

/// What an owner's record says of who it is, as hashes (0: it says nothing).
#[derive(Clone, Copy)]
struct Who {
    email: u64,
    name: u64,
}

/// An owner met in both lists: its ID, and what the archived record says differently
/// (a blank or absent value says nothing, so it never differs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InBoth {
    pub id: String,
    pub email: Option<String>,
    pub name: Option<String>,
}

#[derive(Deserialize)]
struct Page<'a> {
    #[serde(borrow)]
    results: Vec<&'a RawValue>,
}

#[derive(Deserialize)]
struct Owner {
    id: Option<serde_json::Value>,
    email: Option<String>,
    #[serde(rename = "firstName")]
    first_name: Option<String>,
    #[serde(rename = "lastName")]
    last_name: Option<String>,
}

impl Owner {
    fn id(&self) -> Option<(u64, String)> {
        let text = match self.id.as_ref()? {
            serde_json::Value::String(s) => s.trim().to_owned(),
            serde_json::Value::Number(n) => n.to_string(),
            _ => return None,
        };
        // HubSpot owner IDs are decimal integers; any other is refused by the import.
        Some((text.parse().ok()?, text))
    }

    fn email(&self) -> Option<String> {
        self.email
            .as_deref()
            .map(normalize_email)
            .filter(|e| !e.is_empty())
    }

    fn name(&self) -> Option<String> {
        let first = self.first_name.as_deref().unwrap_or("").trim();
        let last = self.last_name.as_deref().unwrap_or("").trim();
        let name = format!("{first} {last}").trim().to_owned();
        (!name.is_empty()).then_some(name)
    }

    fn who(&self) -> Who {
        Who {
            email: hash(self.email().as_deref()),
            name: hash(self.name().as_deref()),
        }
    }
}

fn hash(value: Option<&str>) -> u64 {
    let Some(v) = value else {
        return 0;
    };
    let mut h = DefaultHasher::new();
    v.hash(&mut h);
    h.finish().max(1)
}

impl Lists {
    /// Notes the owners of a page of the active list; takes out of a page of the archived
    /// list the owners that the active list had, and says which. The page is rewritten
    /// only when one is taken out, keeping every other record as it came. A page that is
    /// not the vendor's answer is left to the importer (it says what is wrong with it).
    pub fn pass(&mut self, archived: bool, body: &mut Vec<u8>) -> Vec<InBoth> {
        let mut both = Vec::new();
        let rewritten = {
            let Ok(page) = serde_json::from_slice::<Page>(body) else {
                return both;
            };
            let mut keep = Vec::with_capacity(page.results.len());
            for raw in &page.results {
                let owner = serde_json::from_str::<Owner>(raw.get()).ok();
                let Some((owner, (key, id))) = owner.and_then(|o| o.id().map(|id| (o, id))) else {
                    keep.push(*raw);
                    continue;
                };
                if !archived {
                    self.active.insert(key, owner.who());
                    continue;
                }
                match self.active.get(&key) {
                    None => keep.push(*raw),
                    Some(first) => both.push(InBoth {
                        id,
                        email: owner
                            .email()
                            .filter(|e| first.email != hash(Some(e.as_str()))),
                        name: owner
                            .name()
                            .filter(|n| first.name != hash(Some(n.as_str()))),
                    }),
                }
            }
            if both.is_empty() {
                return both;
            }
            let base = body.as_ptr() as usize;
            let span = |r: &RawValue| {
                let start = r.get().as_ptr() as usize - base;
                (start, start + r.get().len())
            };
            // Only commas and white space lie between the records of the list.
            let (start, _) = span(page.results[0]);
            let (_, end) = span(page.results[page.results.len() - 1]);
            let mut out = Vec::with_capacity(body.len());
            out.extend_from_slice(&body[..start]);
            for (i, raw) in keep.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                out.extend_from_slice(raw.get().as_bytes());
            }
            out.extend_from_slice(&body[end..]);
            out
        };
        *body = rewritten;
        both
    }
}

/// The report's notes on the owners met in both lists: who, what was imported, and for
/// each owner whose two records disagree on more than the flag, what the archived one
/// says.
pub fn notes(both: &[InBoth]) -> Vec<String> {
    const SHOWN: usize = 10;
    let Some(one) = both.first() else {
        return Vec::new();
    };
    let who = if both.len() == 1 {
        format!("HubSpot owner {} is", one.id)
    } else {
        let ids: Vec<&str> = both.iter().take(SHOWN).map(|b| b.id.as_str()).collect();
        let more = match both.len().saturating_sub(SHOWN) {
            0 => String::new(),
            n => format!(" and {n} more"),
        };
        format!(
            "{} HubSpot owners ({}{more}) are",
            both.len(),
            ids.join(", ")
        )
    };
    let mut notes = vec![format!(
        "{who} in both the active and the archived list (HubSpot lists an owner in one only: archived or restored while the pull ran); imported as the active list has {}, the archived list's record left out; the next pull settles it.",
        if both.len() == 1 { "it" } else { "them" }
    )];
    for b in both
        .iter()
        .filter(|b| b.email.is_some() || b.name.is_some())
        .take(SHOWN)
    {
        let what = match (&b.email, &b.name) {
            (Some(e), Some(n)) => format!("email ({e}) and name ({n})"),
            (Some(e), None) => format!("email ({e})"),
            (None, Some(n)) => format!("name ({n})"),
            (None, None) => continue,
        };
        notes.push(format!(
            "HubSpot owner {}: the archived list gives it another {what}; check the owner in HubSpot.",
            b.id
        ));
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owner(id: &str, email: &str, first: &str, last: &str, archived: bool) -> String {
        format!(
            r#"{{"id": "{id}", "email": "{email}", "type": "PERSON", "firstName": "{first}", "lastName": "{last}", "userId": null, "userIdIncludingInactive": 9586504, "createdAt": "2019-12-25T13:01:35.228Z", "updatedAt": "2025-10-02T07:12:44.100Z", "archived": {archived}}}"#
        )
    }

    #[test]
    fn an_owner_of_the_active_list_is_taken_out_of_the_archived_list() {
        let mut lists = Lists::default();
        let mut active = format!(
            r#"{{"results": [{}, {}]}}"#,
            owner("101", "ann@acme.com", "Ann", "Lee", false),
            owner("102", "bo@acme.com", "Bo", "Ek", false)
        )
        .into_bytes();
        let before = active.clone();
        assert_eq!(lists.pass(false, &mut active), []);
        assert_eq!(active, before, "an active page is left as it came");

        let kept = owner("103", "cy@acme.com", "", "", true);
        let mut archived = format!(
            "{{\n  \"results\": [\n    {},\n    {},\n    {}\n  ]\n}}",
            owner("101", "ANN@acme.com ", "", "", true),
            kept,
            owner("102", "bo.ek@acme.com", "Bo", "Eklund", true)
        )
        .into_bytes();
        let both = lists.pass(true, &mut archived);
        assert_eq!(
            both,
            [
                InBoth {
                    id: "101".into(),
                    email: None,
                    name: None
                },
                InBoth {
                    id: "102".into(),
                    email: Some("bo.ek@acme.com".into()),
                    name: Some("Bo Eklund".into())
                }
            ],
            "the same email in another case and a blank name are no disagreement"
        );
        assert_eq!(
            String::from_utf8(archived).unwrap(),
            format!("{{\n  \"results\": [\n    {kept}\n  ]\n}}")
        );
    }

    #[test]
    fn an_archived_page_without_active_owners_is_left_as_it_came() {
        let mut lists = Lists::default();
        let mut active = br#"{"results": [{"id": "7", "email": "a@x.io"}]}"#.to_vec();
        lists.pass(false, &mut active);
        for page in [
            br#"{"results": [{"id": "8", "email": "a@x.io"}], "paging": {"next": {"after": "9"}}}"#
                .to_vec(),
            br#"{"results": []}"#.to_vec(),
            b"not json".to_vec(),
        ] {
            let mut body = page.clone();
            assert_eq!(lists.pass(true, &mut body), []);
            assert_eq!(body, page);
        }
        // Every record of a page taken out: an empty list, the paging kept.
        let mut body = br#"{"results": [{"id": 7}], "paging": {"next": {"after": "8"}}}"#.to_vec();
        assert_eq!(lists.pass(true, &mut body).len(), 1);
        assert_eq!(
            body,
            br#"{"results": [], "paging": {"next": {"after": "8"}}}"#
        );
    }
}
