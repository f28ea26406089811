//! Who acts, and the audit log's entries as the fronts show them (the store keeps the
//! log, `store::audit`).

use serde::Serialize;

/// Who acts: the name recorded as actor (from `--actor`, else the OS user), always
/// beside the OS user, and the SSH client address when there is one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Actor {
    pub name: String,
    pub os_user: String,
    pub ssh_client: Option<String>,
}

impl Actor {
    /// "alice", "alice (as bob)" or "alice from 10.0.0.7": one string for provenance.
    pub fn label(&self) -> String {
        let mut s = self.os_user.clone();
        if self.name != self.os_user {
            s = format!("{} (as {})", self.os_user, self.name);
        }
        if let Some(addr) = &self.ssh_client {
            s.push_str(&format!(" from {addr}"));
        }
        s
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub os_user: String,
    pub ssh_client: Option<String>,
    pub action: String,
    pub summary: String,
    pub employees: Vec<i64>,
    pub undoable: bool,
    /// The entry this one undid.
    pub reverts: Option<i64>,
    pub changes: serde_json::Value,
}

impl Entry {
    /// Who did it, as `Actor::label` says it: "alice", "root (as alice)", "alice from
    /// 10.0.0.7".
    pub fn who(&self) -> String {
        Actor {
            name: self.actor.clone(),
            os_user: self.os_user.clone(),
            ssh_client: self.ssh_client.clone(),
        }
        .label()
    }
}

/// The actions roster writes into the audit log (`roster log --action` takes these
/// and any other the log holds).
pub const ACTIONS: &[&str] = &[
    "activate",
    "check-fix",
    "connect",
    "deactivate",
    "discard",
    "edit",
    "import",
    "manage",
    "merge",
    "move",
    "new",
    "remove",
    "remove-block",
    "review-create",
    "review-dismiss",
    "review-ignore",
    "review-link",
    "review-merge",
    "review-scan",
    "settings",
    "setup",
    "unblock",
    "undo",
    "unmanage",
];

/// Which entries of the audit log to read: all of them, or those matching every part given.
#[derive(Debug, Clone, Default)]
pub struct LogFilter {
    /// Only entries touching this employee.
    pub employee: Option<i64>,
    /// Only entries by this actor (the recorded name or the OS user).
    pub by: Option<String>,
    /// Only entries of this action (`edit`, `remove`, `import`, …).
    pub action: Option<String>,
    /// Only entries at or after this time (as the store writes times: RFC 3339, UTC).
    pub since: Option<String>,
}

/// One field of one profile as an entry changed it: "name: Lena Berg → Lena Borg".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    pub employee: i64,
    pub field: &'static str,
    /// `None` when the field was empty (or the row did not exist).
    pub old: Option<String>,
    pub new: Option<String>,
}

/// The profile fields an entry shows old → new, in the order the pane lists them.
const FIELDS: [(&str, &str); 6] = [
    ("name", "name"),
    ("email", "email"),
    ("picture_url", "picture"),
    ("login_access", "login access"),
    ("status", "status"),
    ("merged_into", "merged into"),
];

impl Entry {
    /// The profile fields this entry changed, old → new, read from its row images (an
    /// import keeps a summary, not images: none). Connections are told by the summary.
    pub fn field_changes(&self) -> Vec<FieldChange> {
        let Some(ops) = self.changes.get("ops").and_then(|o| o.as_array()) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for op in ops {
            if op.get("op").and_then(|o| o.as_str()) != Some("update_employee") {
                continue;
            }
            let (Some(before), Some(after)) = (op.get("before"), op.get("after")) else {
                continue;
            };
            let employee = after.get("id").and_then(|v| v.as_i64()).unwrap_or_default();
            for (key, field) in FIELDS {
                let old = field_text(before.get(key));
                let new = field_text(after.get(key));
                if old != new {
                    out.push(FieldChange {
                        employee,
                        field,
                        old,
                        new,
                    });
                }
            }
        }
        out
    }
}

impl Entry {
    /// Whether this entry placed the block of `system` / `external_id` on `employee`;
    /// then the account's email as the entry removed it (`Some(None)`: none known).
    pub fn placed_block(
        &self,
        system: &str,
        external_id: &str,
        employee: i64,
    ) -> Option<Option<String>> {
        let ops = self.changes.get("ops")?.as_array()?;
        let is = |v: &serde_json::Value| {
            v.get("system").and_then(|s| s.as_str()) == Some(system)
                && v.get("external_id").and_then(|s| s.as_str()) == Some(external_id)
        };
        ops.iter().find(|op| {
            op.get("op").and_then(|o| o.as_str()) == Some("insert_block")
                && op.get("after").is_some_and(|a| {
                    is(a) && a.get("employee_id").and_then(|e| e.as_i64()) == Some(employee)
                })
        })?;
        let email = ops
            .iter()
            .filter(|op| op.get("op").and_then(|o| o.as_str()) == Some("delete_connection"))
            .filter_map(|op| op.get("before"))
            .find(|b| is(b))
            .and_then(|b| b.get("email")?.as_str().map(str::to_owned));
        Some(email)
    }
}

/// A field's value as the log shows it: on/off for login access, `#12` for a profile.
fn field_text(v: Option<&serde_json::Value>) -> Option<String> {
    match v? {
        serde_json::Value::Null => None,
        serde_json::Value::Bool(b) => Some(if *b { "on" } else { "off" }.into()),
        serde_json::Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

impl FieldChange {
    /// "name: Lena Berg → Lena Borg" (an empty value is "—").
    pub fn describe(&self) -> String {
        let shown = |v: &Option<String>| match v {
            Some(s) => super::sanitize::sanitize(s).into_owned(),
            None => "\u{2014}".into(),
        };
        format!(
            "{}: {} \u{2192} {}",
            self.field,
            shown(&self.old),
            shown(&self.new)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(changes: serde_json::Value) -> Entry {
        Entry {
            id: 1,
            at: "2026-01-01T00:00:00.000Z".into(),
            actor: "ann".into(),
            os_user: "ann".into(),
            ssh_client: None,
            action: "edit".into(),
            summary: "Edited".into(),
            employees: vec![6],
            undoable: true,
            reverts: None,
            changes,
        }
    }

    #[test]
    fn field_changes_old_to_new() {
        let before = serde_json::json!({"id": 6, "name": "Lena Berg", "email": null,
            "login_access": false, "status": "active", "version": 1});
        let mut after = before.clone();
        after["name"] = "Lena Borg".into();
        after["email"] = "lena@x.io".into();
        after["login_access"] = true.into();
        after["version"] = 2.into();
        let e = entry(serde_json::json!({"ops": [
            {"op": "update_employee", "before": before, "after": after},
            {"op": "insert_block", "after": {"system": "hubspot", "external_id": "1", "employee_id": 6}}
        ]}));
        let shown: Vec<String> = e
            .field_changes()
            .iter()
            .map(FieldChange::describe)
            .collect();
        assert_eq!(
            shown,
            [
                "name: Lena Berg \u{2192} Lena Borg",
                "email: \u{2014} \u{2192} lena@x.io",
                "login access: off \u{2192} on"
            ]
        );
        // An import's summary has no row images.
        assert!(
            entry(serde_json::json!({"import_run": 3}))
                .field_changes()
                .is_empty()
        );
    }

    #[test]
    fn an_actor_is_the_os_user_then_the_name_acted_as_then_the_ssh_client() {
        let actor = |name: &str, ssh: Option<&str>| Actor {
            name: name.into(),
            os_user: "root".into(),
            ssh_client: ssh.map(str::to_owned),
        };
        assert_eq!(actor("root", None).label(), "root");
        assert_eq!(actor("alice", None).label(), "root (as alice)");
        assert_eq!(
            actor("alice", Some("10.0.0.7")).label(),
            "root (as alice) from 10.0.0.7"
        );
        assert_eq!(
            actor("root", Some("10.0.0.7")).label(),
            "root from 10.0.0.7"
        );
        let mut e = entry(serde_json::Value::Null);
        e.os_user = "root".into();
        e.ssh_client = Some("10.0.0.7".into());
        assert_eq!(e.who(), "root (as ann) from 10.0.0.7");
    }

    #[test]
    fn placed_block_is_the_entry_that_blocked_this_account_on_this_profile() {
        let block = |system: &str, id: &str, employee: i64| {
            serde_json::json!({"op": "insert_block",
                "after": {"system": system, "external_id": id, "employee_id": employee}})
        };
        let removed = |system: &str, id: &str, email: Option<&str>| {
            serde_json::json!({"op": "delete_connection",
                "before": {"system": system, "external_id": id, "employee_id": 6, "email": email}})
        };
        let e = entry(serde_json::json!({"ops": [
            removed("hubspot", "2", Some("other@x.io")),
            removed("pipedrive", "1", Some("other@x.io")),
            removed("hubspot", "1", Some("lena@x.io")),
            block("hubspot", "1", 6),
        ]}));
        assert_eq!(
            e.placed_block("hubspot", "1", 6),
            Some(Some("lena@x.io".into()))
        );
        // Another account, system or profile: not this entry's block.
        assert_eq!(e.placed_block("hubspot", "2", 6), None);
        assert_eq!(e.placed_block("pipedrive", "1", 6), None);
        assert_eq!(e.placed_block("hubspot", "1", 7), None);
        // A block whose connection the entry did not remove (or had no email): none known.
        let e = entry(serde_json::json!({"ops": [
            removed("hubspot", "2", Some("other@x.io")),
            block("hubspot", "1", 6),
        ]}));
        assert_eq!(e.placed_block("hubspot", "1", 6), Some(None));
        // Only an insert_block places a block.
        let mut lifted = block("hubspot", "1", 6);
        lifted["op"] = "delete_block".into();
        let e =
            entry(serde_json::json!({"ops": [removed("hubspot", "1", Some("lena@x.io")), lifted]}));
        assert_eq!(e.placed_block("hubspot", "1", 6), None);
    }
}
