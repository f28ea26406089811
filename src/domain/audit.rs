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
