//! The JSON shapes (README "The command line"). Field names are a stable interface: add, never rename.

use serde::Serialize;
use serde_json::ser::{Formatter, PrettyFormatter};
use serde_json::{Value, json};
use std::io::{self, Write};

use crate::domain::sanitize::needs_substitute;

use crate::domain::audit::Entry;
use crate::domain::listing::ListRow;
use crate::domain::model::{Connection, Profile};

fn managed_by(system: &str, external_id: &str) -> Value {
    json!({ "system": system, "external_id": external_id })
}

pub fn list_row(r: &ListRow) -> Value {
    json!({
        "id": r.id,
        "name": r.name,
        "email": r.email,
        "picture_url": r.picture_url,
        "status": r.status,
        "login_access": r.login_access,
        "tracked": r.tracked(),
        "suppliers": r.suppliers,
        "managed_by": r.managed_by.as_ref().map(|k| managed_by(&k.system, &k.external_id)),
        "version": r.version,
    })
}

pub fn connection(c: &Connection) -> Value {
    json!({
        "system": c.system,
        "external_id": c.external_id,
        "email": c.email,
        "name": c.name,
        "picture_url": c.picture_url,
        "origin": c.origin,
        "created_at": c.created_at,
        "created_by": c.created_by,
        "managed": c.manages,
        "matched_value": c.matched_value,
    })
}

/// The employee object; with its connections for `show` and the action results.
pub fn employee(p: &Profile) -> Value {
    let e = &p.employee;
    json!({
        "id": e.id,
        "name": e.name,
        "email": e.email,
        "picture_url": e.picture_url,
        "status": e.status,
        "login_access": e.login_access,
        "tracked": p.tracked(),
        "suppliers": p.supplier_keys(),
        "managed_by": p.managed_by().map(|c| managed_by(&c.system, &c.external_id)),
        "merged_into": e.merged_into,
        "version": e.version,
        "created_at": e.created_at,
        "updated_at": e.updated_at,
        "connections": p.connections.iter().map(connection).collect::<Vec<_>>(),
    })
}

pub fn log_entry(e: &Entry) -> Value {
    json!({
        "id": e.id,
        "at": e.at,
        "actor": e.actor,
        "os_user": e.os_user,
        "ssh_client": e.ssh_client,
        "action": e.action,
        "summary": e.summary,
        "employees": e.employees,
        "undoable": e.undoable,
        "reverts": e.reverts,
        "fields": e.field_changes(),
        "changes": e.changes,
    })
}

/// Writes `value` as pretty JSON in which every character that a terminal could act on
/// or that hides or reorders text (DEL, C1 controls, bidi, zero-width) is a `\uXXXX`
/// escape, as serde_json already does for C0 controls: the JSON means the same, and
/// `roster show --json` on a terminal is as safe as the human output.
pub fn write_pretty<W: Write, T: Serialize + ?Sized>(w: W, value: &T) -> io::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(w, Safe(PrettyFormatter::new()));
    value.serialize(&mut ser).map_err(io::Error::from)
}

struct Safe<'a>(PrettyFormatter<'a>);

impl Formatter for Safe<'_> {
    fn write_string_fragment<W: ?Sized + Write>(&mut self, w: &mut W, s: &str) -> io::Result<()> {
        let mut start = 0;
        for (i, c) in s.char_indices() {
            if needs_substitute(c) {
                w.write_all(&s.as_bytes()[start..i])?;
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    write!(w, "\\u{unit:04x}")?;
                }
                start = i + c.len_utf8();
            }
        }
        w.write_all(&s.as_bytes()[start..])
    }

    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_and_control_characters_are_escaped_and_mean_the_same() {
        let v = json!({"name": "a\u{1b}]0;x\u{7}\u{7f}\u{9b}\u{202e}\u{200b}\u{e0041}山 🎉"});
        let mut out = Vec::new();
        write_pretty(&mut out, &v).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains(r"a\u001b]0;x\u0007\u007f\u009b\u202e\u200b\udb40\udc41山 🎉"),
            "{text}"
        );
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), v);
        // Pretty, as before.
        assert!(text.starts_with("{\n  \"name\": "), "{text}");
    }
}
