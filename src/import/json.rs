//! JSON and NDJSON, streamed: an array of objects, an API answer that wraps one under
//! any key (`results`, `data`, `value`, `members`, `users`, `records`, or `records`
//! inside `result` for `sf data query --json`), or one object; NDJSON is one such value
//! per line. Each object is read into the few values a preset names (dotted names are
//! paths into nested objects), then handed on; nothing else of it is kept. What the
//! answer says besides its records (more pages, an error) is looked at on the way.

use serde::Deserialize;
use serde::de::value::MapAccessDeserializer;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;
use std::io::{BufRead, Read};

use super::mapping::NameSet;
use super::preset::Target;
use super::record::{self, Raw};
use super::rows::Rows;
use super::{BOM, Item, MAX_RECORD_BYTES, Problem, ReadInfo, ReadOptions, read_error};
use crate::domain::sanitize::escape_for_text;
use crate::error::Error;

const STOP: &str = "roster: reading stopped";

/// How serde_json hands over a number that does not fit 64 bits (or has a fraction):
/// as a one-entry map under this key, its value the number's exact text (the
/// `arbitrary_precision` feature). IDs past 64 bits are thus taken as their digits,
/// never through a float.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

// ---- the names looked for, as a tree of path segments ---------------------------------

struct Node {
    slot: Option<usize>,
    /// Children by the length of their segment, then (segment, node).
    by_len: Vec<Vec<(String, usize)>>,
    /// Whether its name (or one under it) is read: every name until the mapping is
    /// chosen on the first record, then only the mapping's (values nobody reads are
    /// skipped, not copied).
    active: Cell<bool>,
}

struct Tree {
    nodes: Vec<Node>,
    /// The slots of external ID names (of any preset): a top-level object that has one
    /// is a record, not an answer.
    id_slots: Vec<usize>,
}

const ROOT: usize = 0;

impl Tree {
    fn new(names: &NameSet, id_names: &[String]) -> Tree {
        let mut t = Tree {
            nodes: vec![Node {
                slot: None,
                by_len: Vec::new(),
                active: Cell::new(true),
            }],
            id_slots: Vec::new(),
        };
        for (slot, name) in names.names.iter().enumerate() {
            let mut node = ROOT;
            for seg in name.split('.') {
                node = t.child_or_new(node, seg);
            }
            t.nodes[node].slot = Some(slot);
            // A key with a dot in its name is found as it is, too.
            if name.contains('.') {
                let literal = t.child_or_new(ROOT, name);
                t.nodes[literal].slot = Some(slot);
            }
            if id_names.contains(name) {
                t.id_slots.push(slot);
            }
        }
        t
    }

    fn child_or_new(&mut self, node: usize, seg: &str) -> usize {
        if let Some(c) = self.child(node, seg) {
            return c;
        }
        let id = self.nodes.len();
        self.nodes.push(Node {
            slot: None,
            by_len: Vec::new(),
            active: Cell::new(true),
        });
        let by_len = &mut self.nodes[node].by_len;
        if by_len.len() <= seg.len() {
            by_len.resize_with(seg.len() + 1, Vec::new);
        }
        by_len[seg.len()].push((seg.to_owned(), id));
        id
    }

    fn child(&self, node: usize, key: &str) -> Option<usize> {
        self.nodes[node]
            .by_len
            .get(key.len())?
            .iter()
            .find(|(seg, c)| self.nodes[*c].active.get() && seg.eq_ignore_ascii_case(key))
            .map(|(_, c)| *c)
    }

    fn children(&self, node: usize) -> impl Iterator<Item = usize> + '_ {
        self.nodes[node]
            .by_len
            .iter()
            .flatten()
            .map(|(_, c)| *c)
            .filter(|c| self.nodes[*c].active.get())
    }

    fn has_children(&self, node: usize) -> bool {
        self.children(node).next().is_some()
    }

    /// Every slot at or under `node`.
    fn slots_under(&self, node: usize, out: &mut Vec<usize>) {
        out.extend(self.nodes[node].slot);
        for c in self.children(node) {
            self.slots_under(c, out);
        }
    }

    /// From now on only these slots (and the paths to them) are read.
    fn restrict(&self, slots: &[usize]) {
        fn visit(t: &Tree, node: usize, slots: &[usize]) -> bool {
            let kids: Vec<usize> = t.nodes[node]
                .by_len
                .iter()
                .flatten()
                .map(|(_, c)| *c)
                .collect();
            let mut active = t.nodes[node].slot.is_some_and(|s| slots.contains(&s));
            for c in kids {
                active |= visit(t, c, slots);
            }
            t.nodes[node].active.set(active);
            active
        }
        visit(self, ROOT, slots);
        self.nodes[ROOT].active.set(true);
    }
}

// ---- one element ----------------------------------------------------------------------

/// One element, reduced to the values of the names looked for.
#[derive(Debug)]
pub struct Element {
    /// (slot, value).
    vals: Vec<(usize, Raw<'static>)>,
    /// Every key path, for the message when the first record does not fit (the first
    /// record only).
    keys: Vec<String>,
    /// Slots whose key the object holds twice.
    repeated: Vec<usize>,
    object: bool,
    /// Whether `keys` are kept (the first record).
    keeping: bool,
}

/// How many key paths of the first record are kept for messages.
const KEYS_KEPT: usize = 300;

impl Element {
    fn new(object: bool, keeping: bool) -> Element {
        Element {
            vals: Vec::new(),
            keys: Vec::new(),
            repeated: Vec::new(),
            object,
            keeping,
        }
    }

    fn set(&mut self, slot: usize, raw: Raw<'static>) {
        if self.vals.iter().any(|(s, _)| *s == slot) {
            if !self.repeated.contains(&slot) {
                self.repeated.push(slot);
            }
        } else {
            self.vals.push((slot, raw));
        }
    }

    fn key(&mut self, path: &str) {
        if self.keeping && !path.is_empty() && self.keys.len() < KEYS_KEPT {
            self.keys.push(path.to_owned());
        }
    }

    fn get(&self, slot: usize) -> Raw<'_> {
        self.vals
            .iter()
            .find(|(s, _)| *s == slot)
            .map_or(Raw::Missing, |(_, v)| v.borrowed())
    }
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_owned()
    } else {
        format!("{prefix}.{key}")
    }
}

// ---- one value of a field ----------------------------------------------------------------

struct RawSeed;

impl<'de> DeserializeSeed<'de> for RawSeed {
    type Value = Raw<'static>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Raw<'static>, D::Error> {
        d.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw<'static>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Raw<'static>, E> {
        Ok(Raw::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Raw<'static>, E> {
        Ok(Raw::Text(Cow::Owned(v.to_string())))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Raw<'static>, E> {
        Ok(Raw::Text(Cow::Owned(v.to_string())))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Raw<'static>, E> {
        // Not reached with arbitrary precision (such numbers come as their text).
        Ok(Raw::Text(Cow::Owned(v.to_string())))
    }
    fn visit_str<E>(self, v: &str) -> Result<Raw<'static>, E> {
        Ok(Raw::Text(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Raw<'static>, E> {
        Ok(Raw::Text(Cow::Owned(v)))
    }
    fn visit_unit<E>(self) -> Result<Raw<'static>, E> {
        Ok(Raw::Null)
    }
    fn visit_none<E>(self) -> Result<Raw<'static>, E> {
        Ok(Raw::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw<'static>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Raw::Nested)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw<'static>, A::Error> {
        match map.next_key_seed(PlainKey)? {
            Some(PlainKeyed::Number) => Ok(Raw::Text(Cow::Owned(map.next_value::<String>()?))),
            Some(PlainKeyed::Key(_)) => {
                map.next_value::<IgnoredAny>()?;
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Raw::Nested)
            }
            None => Ok(Raw::Nested),
        }
    }
}

// ---- keys ------------------------------------------------------------------------------

/// A key, as text, or the mark of a number that serde_json hands over as a map.
enum PlainKeyed {
    Number,
    Key(String),
}

struct PlainKey;

impl<'de> DeserializeSeed<'de> for PlainKey {
    type Value = PlainKeyed;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<PlainKeyed, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for PlainKey {
    type Value = PlainKeyed;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E>(self, v: &str) -> Result<PlainKeyed, E> {
        Ok(if v == NUMBER_TOKEN {
            PlainKeyed::Number
        } else {
            PlainKeyed::Key(v.to_owned())
        })
    }
}

/// A key at the top level of a document: the node it leads to (if any); the key itself
/// goes into a buffer used again for every key (a line of NDJSON copies none).
struct TopKey<'a> {
    tree: &'a Tree,
    buf: &'a mut String,
}

struct TopKeyed {
    child: Option<usize>,
    number: bool,
}

impl<'de> DeserializeSeed<'de> for TopKey<'_> {
    type Value = TopKeyed;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<TopKeyed, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for TopKey<'_> {
    type Value = TopKeyed;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E>(self, v: &str) -> Result<TopKeyed, E> {
        if v == NUMBER_TOKEN {
            return Ok(TopKeyed {
                child: None,
                number: true,
            });
        }
        self.buf.clear();
        self.buf.push_str(v.trim());
        Ok(TopKeyed {
            child: self.tree.child(ROOT, v.trim()),
            number: false,
        })
    }
}

/// A key of an object being read: the node it leads to (if any), and the key itself
/// when asked to keep it.
struct KeySeed<'a> {
    tree: &'a Tree,
    node: usize,
    keep: bool,
}

struct Key {
    child: Option<usize>,
    text: Option<String>,
    number: bool,
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Key;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = Key;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E>(self, v: &str) -> Result<Key, E> {
        if v == NUMBER_TOKEN {
            return Ok(Key {
                child: None,
                text: None,
                number: true,
            });
        }
        Ok(Key {
            child: self.tree.child(self.node, v.trim()),
            text: self.keep.then(|| v.to_owned()),
            number: false,
        })
    }
}

// ---- objects -----------------------------------------------------------------------------

/// What a JSON map turned out to be.
enum ReadAs {
    Object,
    /// A number serde_json handed over as a map: its exact text.
    Number(String),
}

/// Reads the entries of an object at `node` of the tree into `el`; `prefix` is the
/// object's path (for kept keys).
fn read_object<'de, A: MapAccess<'de>>(
    map: &mut A,
    tree: &Tree,
    node: usize,
    el: &mut Element,
    keep: bool,
    prefix: &str,
) -> Result<ReadAs, A::Error> {
    let mut first = true;
    while let Some(key) = map.next_key_seed(KeySeed { tree, node, keep })? {
        if key.number && first {
            return Ok(ReadAs::Number(map.next_value::<String>()?));
        }
        first = false;
        let path = key.text.as_deref().map(|k| join(prefix, k));
        match key.child {
            Some(c) if !tree.has_children(c) => {
                let v = map.next_value_seed(RawSeed)?;
                if let Some(p) = &path {
                    el.key(p);
                }
                let slot = tree.nodes[c].slot.expect("a leaf has a slot");
                el.set(slot, v);
            }
            Some(c) => map.next_value_seed(NodeSeed {
                tree,
                node: c,
                el: &mut *el,
                keep,
                path: path.unwrap_or_default(),
            })?,
            None => match path {
                Some(p) => map.next_value_seed(KeysOnly {
                    el: &mut *el,
                    path: p,
                    depth: 1,
                })?,
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            },
        }
    }
    Ok(ReadAs::Object)
}

/// The value of a key that leads on to other names (`profile` for `profile.email`): an
/// object is read on; `null` makes every name under it null (Zendesk's `"photo": null`
/// clears the picture); any other value is that key's own.
struct NodeSeed<'a> {
    tree: &'a Tree,
    node: usize,
    el: &'a mut Element,
    keep: bool,
    path: String,
}

impl<'de> DeserializeSeed<'de> for NodeSeed<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl NodeSeed<'_> {
    fn null(self) {
        if self.keep {
            self.el.key(&self.path);
        }
        let mut slots = Vec::new();
        self.tree.slots_under(self.node, &mut slots);
        for slot in slots {
            self.el.set(slot, Raw::Null);
        }
    }

    fn scalar(self, raw: Raw<'static>) {
        if self.keep {
            self.el.key(&self.path);
        }
        if let Some(slot) = self.tree.nodes[self.node].slot {
            self.el.set(slot, raw);
        }
    }
}

impl<'de> Visitor<'de> for NodeSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a value")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        match read_object(
            &mut map, self.tree, self.node, self.el, self.keep, &self.path,
        )? {
            ReadAs::Number(n) => self.scalar(Raw::Text(Cow::Owned(n))),
            ReadAs::Object => {
                if let Some(slot) = self.tree.nodes[self.node].slot {
                    self.el.set(slot, Raw::Nested);
                }
            }
        }
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        self.null();
        Ok(())
    }
    fn visit_none<E>(self) -> Result<(), E> {
        self.null();
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        self.scalar(Raw::Nested);
        Ok(())
    }
    fn visit_bool<E>(self, v: bool) -> Result<(), E> {
        self.scalar(Raw::Bool(v));
        Ok(())
    }
    fn visit_i64<E>(self, v: i64) -> Result<(), E> {
        self.scalar(Raw::Text(Cow::Owned(v.to_string())));
        Ok(())
    }
    fn visit_u64<E>(self, v: u64) -> Result<(), E> {
        self.scalar(Raw::Text(Cow::Owned(v.to_string())));
        Ok(())
    }
    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        self.scalar(Raw::Text(Cow::Owned(v.to_owned())));
        Ok(())
    }
}

/// A value roster does not read, in the first record: its key paths are kept for the
/// message that lists them (objects two levels deep are listed by their keys).
struct KeysOnly<'a> {
    el: &'a mut Element,
    path: String,
    depth: u8,
}

impl<'de> DeserializeSeed<'de> for KeysOnly<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for KeysOnly<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a value")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut any = false;
        while let Some(k) = map.next_key_seed(PlainKey)? {
            match k {
                PlainKeyed::Key(k) if self.depth < 2 => {
                    any = true;
                    map.next_value_seed(KeysOnly {
                        el: &mut *self.el,
                        path: join(&self.path, &k),
                        depth: self.depth + 1,
                    })?;
                }
                PlainKeyed::Key(k) => {
                    any = true;
                    self.el.key(&join(&self.path, &k));
                    map.next_value::<IgnoredAny>()?;
                }
                PlainKeyed::Number => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if !any {
            self.el.key(&self.path);
        }
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        self.el.key(&self.path);
        Ok(())
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        self.el.key(&self.path);
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        self.el.key(&self.path);
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        self.el.key(&self.path);
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        self.el.key(&self.path);
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        self.el.key(&self.path);
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        self.el.key(&self.path);
        Ok(())
    }
}

/// One element of a list.
struct ElementSeed<'a> {
    tree: &'a Tree,
    keep: bool,
}

impl<'de> DeserializeSeed<'de> for ElementSeed<'_> {
    type Value = Element;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Element, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ElementSeed<'_> {
    type Value = Element;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Element, A::Error> {
        let mut el = Element::new(true, self.keep);
        if let ReadAs::Number(_) = read_object(&mut map, self.tree, ROOT, &mut el, self.keep, "")? {
            return Ok(Element::new(false, false));
        }
        Ok(el)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Element, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Element::new(false, false))
    }
    fn visit_bool<E>(self, _: bool) -> Result<Element, E> {
        Ok(Element::new(false, false))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Element, E> {
        Ok(Element::new(false, false))
    }
    fn visit_u64<E>(self, _: u64) -> Result<Element, E> {
        Ok(Element::new(false, false))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Element, E> {
        Ok(Element::new(false, false))
    }
    fn visit_str<E>(self, _: &str) -> Result<Element, E> {
        Ok(Element::new(false, false))
    }
    fn visit_unit<E>(self) -> Result<Element, E> {
        Ok(Element::new(false, false))
    }
}

// ---- what an API answer says besides its records ------------------------------------------

/// What the top level of an answer said.
#[derive(Default)]
struct Answer {
    /// Where the records were ("value", "result.records").
    records_key: Option<String>,
    /// Lists that were empty (an answer with no records).
    empty_lists: Vec<String>,
    /// What said that more pages follow.
    partial: Option<String>,
    /// What says this is an error answer.
    error: Vec<String>,
    failed: bool,
    /// `status` non-zero (sf CLI) or "error" (HubSpot): an error when a message comes
    /// with it.
    status_error: bool,
    message: Option<String>,
    /// Problems of the answer itself (a key twice, two lists of records).
    problems: Vec<String>,
}

fn nonempty(v: Option<&serde_json::Value>) -> bool {
    match v {
        Some(serde_json::Value::String(s)) => !s.trim().is_empty(),
        Some(serde_json::Value::Number(_)) => true,
        _ => false,
    }
}

impl Answer {
    fn more(&mut self, what: &str) {
        self.partial.get_or_insert_with(|| what.to_owned());
    }

    /// A scalar at the top level (or inside `result`), by its path as the file spells
    /// it (compared ignoring case).
    fn scalar(&mut self, shown: &str, raw: &Raw<'_>) {
        let Some(path) = answer_key(shown) else {
            return;
        };
        let text = match raw {
            Raw::Text(t) => Some(t.trim()),
            _ => None,
        };
        match (path, raw, text) {
            ("done" | "result.done", Raw::Bool(false), _) => self.more(&format!("{shown}: false")),
            (
                "nextrecordsurl" | "result.nextrecordsurl" | "@odata.nextlink" | "next_page",
                _,
                Some(t),
            ) if !t.is_empty() => self.more(shown),
            ("success" | "ok", Raw::Bool(false), _) => {
                self.failed = true;
                self.error.push(format!("\"{shown}\": false"));
            }
            ("error" | "errorcode" | "errorsummary", _, Some(t)) if !t.is_empty() => {
                self.failed = true;
                self.error
                    .push(format!("\"{shown}\": {}", record::quote(t)));
            }
            ("status", _, Some(t)) if t == "error" || t.parse::<i64>().is_ok_and(|n| n != 0) => {
                self.status_error = true;
                self.error
                    .push(format!("\"{shown}\": {}", record::quote(t)));
            }
            ("message", _, Some(t)) => self.message = Some(t.to_owned()),
            _ => {}
        }
    }

    /// An object at the top level that is the answer's own.
    fn meta(&mut self, key: &str, v: &serde_json::Value) {
        match key {
            "paging" if nonempty(v.pointer("/next/after")) || nonempty(v.pointer("/next/link")) => {
                self.more("paging.next.after")
            }
            "additional_data" => {
                if v.pointer("/pagination/more_items_in_collection") == Some(&true.into()) {
                    self.more("additional_data.pagination.more_items_in_collection");
                }
                if nonempty(v.pointer("/next_cursor")) {
                    self.more("additional_data.next_cursor");
                }
            }
            "response_metadata" if nonempty(v.pointer("/next_cursor")) => {
                self.more("response_metadata.next_cursor")
            }
            "meta" if v.pointer("/has_more") == Some(&true.into()) => self.more("meta.has_more"),
            "error" => {
                self.failed = true;
                let code = v.pointer("/code").and_then(|c| c.as_str());
                let message = v.pointer("/message").and_then(|c| c.as_str());
                self.error.push(match (code, message) {
                    (Some(c), Some(m)) => {
                        format!("\"error\": {} {}", record::quote(c), record::quote(m))
                    }
                    (Some(c), None) | (None, Some(c)) => {
                        format!("\"error\": {}", record::quote(c))
                    }
                    (None, None) => "\"error\"".to_owned(),
                });
            }
            _ => {}
        }
    }

    fn is_error(&self) -> bool {
        self.failed || (self.status_error && self.message.is_some())
    }
}

/// The scalars of an API answer that say something about it: the key (lower-case) the
/// file's key is, ignoring case.
fn answer_key(key: &str) -> Option<&'static str> {
    const KEYS: [&str; 13] = [
        "success",
        "ok",
        "error",
        "errorcode",
        "errorsummary",
        "status",
        "message",
        "done",
        "result.done",
        "nextrecordsurl",
        "result.nextrecordsurl",
        "@odata.nextlink",
        "next_page",
    ];
    KEYS.into_iter().find(|k| k.eq_ignore_ascii_case(key))
}

/// The objects of an API answer that say something about it (paging, an error).
fn meta_key(key: &str) -> Option<&'static str> {
    const KEYS: [&str; 6] = [
        "paging",
        "additional_data",
        "response_metadata",
        "meta",
        "links",
        "error",
    ];
    KEYS.into_iter().find(|k| k.eq_ignore_ascii_case(key))
}

/// Where elements go, and what the answer says.
struct Ctx<'a> {
    tree: &'a Tree,
    on_element: &'a mut dyn FnMut(Element) -> Result<(), Error>,
    stash: &'a mut Option<Error>,
    answer: &'a mut Answer,
    keep_keys: &'a mut bool,
}

impl Ctx<'_> {
    fn emit<E: de::Error>(&mut self, el: Element) -> Result<(), E> {
        *self.keep_keys = false;
        (self.on_element)(el).map_err(|e| {
            *self.stash = Some(e);
            E::custom(STOP)
        })
    }

    /// Streams a list: records when it holds objects (the first list of objects of an
    /// answer; a second one is a problem), else nothing. `key` is empty for a bare array
    /// (whose every element must be an object).
    fn list<'de, A: SeqAccess<'de>>(&mut self, mut seq: A, key: &str) -> Result<(), A::Error> {
        let keep = *self.keep_keys;
        let Some(first) = seq.next_element_seed(ElementSeed {
            tree: self.tree,
            keep,
        })?
        else {
            self.answer.empty_lists.push(key.to_owned());
            return Ok(());
        };
        let records = key.is_empty() || first.object;
        let second = match &self.answer.records_key {
            Some(k) if records && !key.is_empty() => Some(k.clone()),
            _ => None,
        };
        if !records || second.is_some() {
            if let Some(k) = second {
                self.answer.problems.push(format!(
                    "it holds two lists of records, under \"{}\" and \"{}\"; give the one to import on its own",
                    escape_for_text(&k),
                    escape_for_text(key)
                ));
            }
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            return Ok(());
        }
        if !key.is_empty() {
            self.answer.records_key = Some(key.to_owned());
        }
        self.emit(first)?;
        loop {
            let keep = *self.keep_keys;
            let Some(el) = seq.next_element_seed(ElementSeed {
                tree: self.tree,
                keep,
            })?
            else {
                return Ok(());
            };
            self.emit(el)?;
        }
    }
}

/// A value at the top level of a document (`depth` 0), or inside an object there that
/// is not a record's (`depth` 1: `result` of `sf data query --json`).
struct TopValue<'a, 'b> {
    ctx: &'a mut Ctx<'b>,
    /// The key's path as the file spells it.
    shown: Cow<'a, str>,
    child: Option<usize>,
    el: &'a mut Element,
    id_seen: &'a mut bool,
    depth: u8,
}

impl<'de> DeserializeSeed<'de> for TopValue<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl TopValue<'_, '_> {
    fn scalar(self, raw: Raw<'static>) {
        self.ctx.answer.scalar(&self.shown, &raw);
        if self.depth > 0 {
            return;
        }
        self.el.key(&self.shown);
        let Some(c) = self.child else { return };
        let tree = self.ctx.tree;
        if let Some(slot) = tree.nodes[c].slot {
            if tree.id_slots.contains(&slot) && matches!(raw, Raw::Text(_) | Raw::Bool(_)) {
                *self.id_seen = true;
            }
            self.el.set(slot, raw);
        } else if raw == Raw::Null {
            let mut slots = Vec::new();
            tree.slots_under(c, &mut slots);
            for slot in slots {
                self.el.set(slot, Raw::Null);
            }
        }
    }
}

impl<'de> Visitor<'de> for TopValue<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a value")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        if *self.id_seen {
            // An object with an ID of its own is a record: its lists are its fields.
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            if self.depth == 0 {
                self.el.key(&self.shown);
                if let Some(slot) = self.child.and_then(|c| self.ctx.tree.nodes[c].slot) {
                    self.el.set(slot, Raw::Nested);
                }
            }
            return Ok(());
        }
        self.ctx.list(seq, &self.shown)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        if self.depth > 0 {
            // Objects inside `result` are not looked into.
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            return Ok(());
        }
        if let Some(c) = self.child {
            let tree = self.ctx.tree;
            let keep = self.el.keeping;
            match read_object(&mut map, tree, c, self.el, keep, &self.shown)? {
                ReadAs::Number(n) => self.scalar(Raw::Text(Cow::Owned(n))),
                ReadAs::Object => {
                    if let Some(slot) = tree.nodes[c].slot {
                        self.el.set(slot, Raw::Nested);
                    }
                }
            }
            return Ok(());
        }
        if let Some(key) = meta_key(&self.shown) {
            let v = serde_json::Value::deserialize(MapAccessDeserializer::new(map))?;
            self.el.key(&self.shown);
            self.ctx.answer.meta(key, &v);
            return Ok(());
        }
        // Any other object: an answer inside the answer (`result`), or a field of a
        // record that roster does not read.
        self.el.key(&self.shown);
        while let Some(k) = map.next_key_seed(PlainKey)? {
            match k {
                PlainKeyed::Number => {
                    map.next_value::<IgnoredAny>()?;
                }
                PlainKeyed::Key(k) => {
                    let shown = format!("{}.{}", self.shown, k.trim());
                    map.next_value_seed(TopValue {
                        ctx: &mut *self.ctx,
                        shown: Cow::Owned(shown),
                        child: None,
                        el: &mut *self.el,
                        id_seen: &mut *self.id_seen,
                        depth: 1,
                    })?;
                }
            }
        }
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        self.scalar(Raw::Null);
        Ok(())
    }
    fn visit_none<E>(self) -> Result<(), E> {
        self.scalar(Raw::Null);
        Ok(())
    }
    fn visit_bool<E>(self, v: bool) -> Result<(), E> {
        self.scalar(Raw::Bool(v));
        Ok(())
    }
    fn visit_i64<E>(self, v: i64) -> Result<(), E> {
        self.scalar(Raw::Text(Cow::Owned(v.to_string())));
        Ok(())
    }
    fn visit_u64<E>(self, v: u64) -> Result<(), E> {
        self.scalar(Raw::Text(Cow::Owned(v.to_string())));
        Ok(())
    }
    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        self.scalar(Raw::Text(Cow::Owned(v.to_owned())));
        Ok(())
    }
}

/// FNV-1a over the ASCII-lower-cased bytes.
fn hash_ignoring_case(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b.to_ascii_lowercase())).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A whole JSON document (or one NDJSON line).
struct Top<'a> {
    ctx: Ctx<'a>,
}

impl<'de> DeserializeSeed<'de> for Top<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Top<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of objects, or an object")
    }
    fn visit_seq<A: SeqAccess<'de>>(mut self, seq: A) -> Result<(), A::Error> {
        self.ctx.list(seq, "")
    }
    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        let keep = *self.ctx.keep_keys;
        let mut el = Element::new(true, keep);
        let mut id_seen = false;
        // The keys seen, by a hash ignoring case (a line of NDJSON copies no key).
        let mut seen_keys: Vec<u64> = Vec::new();
        let mut buf = String::new();
        let tree = self.ctx.tree;
        while let Some(key) = map.next_key_seed(TopKey {
            tree,
            buf: &mut buf,
        })? {
            if key.number {
                return Err(de::Error::custom(
                    "expected an array of objects, found a number",
                ));
            }
            let h = hash_ignoring_case(&buf);
            if seen_keys.contains(&h) {
                self.ctx.answer.problems.push(format!(
                    "the key \"{}\" appears twice in the top-level object (JSON readers disagree on which one counts); remove one",
                    escape_for_text(&buf)
                ));
            } else {
                seen_keys.push(h);
            }
            map.next_value_seed(TopValue {
                ctx: &mut self.ctx,
                shown: Cow::Borrowed(&buf),
                child: key.child,
                el: &mut el,
                id_seen: &mut id_seen,
                depth: 0,
            })?;
        }
        if id_seen && let Some(k) = self.ctx.answer.records_key.clone() {
            // The list came before the object's own ID: which is the record?
            self.ctx.answer.problems.push(format!(
                "the top-level object has an ID of its own after a list of records under \"{}\"; give the records as a list, or the one record on its own",
                escape_for_text(&k)
            ));
        }
        let a = &*self.ctx.answer;
        if a.records_key.is_some() || (!id_seen && (a.is_error() || !a.empty_lists.is_empty())) {
            // An API answer: its records went on already (or it has none).
            return Ok(());
        }
        // Not an API answer: the object is one record.
        self.ctx.emit(el)
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Err(E::custom(
            "expected an array of objects, found a single value",
        ))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Err(E::custom("expected an array of objects, found a number"))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Err(E::custom("expected an array of objects, found a number"))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Err(E::custom("expected an array of objects, found a number"))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Err(E::custom("expected an array of objects, found a string"))
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Err(E::custom("expected an array of objects, found null"))
    }
}

// ---- records -------------------------------------------------------------------------

/// Turns elements into records: decides the mapping on the first object, then builds.
struct Builder<'o, 'a> {
    rows: Rows<'o, 'a>,
    tree: Tree,
    row: u64,
}

impl<'o, 'a> Builder<'o, 'a> {
    fn new(opts: &'o ReadOptions<'a>) -> Builder<'o, 'a> {
        let rows = Rows::new(opts);
        let mut id_names: Vec<String> = super::preset::Preset::all()
            .flat_map(|p| p.names_of(Target::ExternalId).iter().map(|n| n.to_string()))
            .collect();
        if let Some(m) = opts.map.and_then(|m| m.get(Target::ExternalId)) {
            id_names.push(super::preset::norm(&m.column));
        }
        let tree = Tree::new(&rows.names, &id_names);
        Builder { rows, tree, row: 0 }
    }
}

fn describe(e: &serde_json::Error) -> String {
    let s = e.to_string();
    if s.contains("invalid unicode code point") {
        format!(
            "the file is not valid UTF-8 (line {}, column {}); save or export it as UTF-8",
            e.line(),
            e.column()
        )
    } else if e.is_eof() {
        format!("the JSON ends too early ({s}); the file may be cut off")
    } else {
        format!("the JSON is malformed: {s}")
    }
}

fn finish_answer(
    answer: &Answer,
    info: &mut ReadInfo,
    file: &str,
    sink: &mut dyn FnMut(Item) -> Result<(), Error>,
) -> Result<(), Error> {
    if answer.records_key.is_none() && answer.is_error() {
        let mut said = answer.error.join(", ");
        if let Some(m) = &answer.message {
            said.push_str(&format!(", \"message\": {}", record::quote(m)));
        }
        return Err(Error::Invalid(format!(
            "Nothing was imported: {} is an error answer of the API ({said}), not a list of users; ask the API again.",
            escape_for_text(file),
        )));
    }
    for p in &answer.problems {
        sink(Item::Problem(Problem {
            row: None,
            line: None,
            message: p.clone(),
        }))?;
    }
    if let Some(what) = &answer.partial {
        info.warnings.push(format!(
            "{} is one page of a longer answer ({what} says more pages follow); accounts on the other pages were not imported and are left as they are.",
            escape_for_text(file)
        ));
    }
    Ok(())
}

/// A JSON document: an array, an API answer that wraps one, or one object.
pub fn read(
    input: &mut dyn BufRead,
    opts: &ReadOptions<'_>,
    info: &mut ReadInfo,
    sink: &mut dyn FnMut(Item) -> Result<(), Error>,
) -> Result<(), Error> {
    let head = input.fill_buf().map_err(|e| read_error(opts.file, &e))?;
    if head.starts_with(BOM) {
        input.consume(BOM.len());
    }
    let mut b = Builder::new(opts);
    let mut stash: Option<Error> = None;
    let mut answer = Answer::default();
    let mut keep_keys = true;
    let result = {
        let Builder { rows, tree, row } = &mut b;
        let tree: &Tree = tree;
        let mut on_element = |el: Element| {
            let mut builder = BuilderRef { rows, row, tree };
            builder.element(el, None, info, sink)
        };
        let mut de = serde_json::Deserializer::from_reader(&mut *input);
        let top = Top {
            ctx: Ctx {
                tree,
                on_element: &mut on_element,
                stash: &mut stash,
                answer: &mut answer,
                keep_keys: &mut keep_keys,
            },
        };
        top.deserialize(&mut de).and_then(|_| de.end())
    };
    if let Some(e) = stash {
        return Err(e);
    }
    let rows = b.row;
    if let Err(e) = result {
        if e.is_io() {
            return Err(Error::Io(format!(
                "Cannot read {}: {e}.",
                escape_for_text(opts.file)
            )));
        }
        sink(Item::Problem(Problem {
            row: None,
            line: None,
            message: format!(
                "{} ({})",
                describe(&e),
                if rows == 0 {
                    "before the first record".to_owned()
                } else {
                    format!("after row {rows}")
                }
            ),
        }))?;
        return Ok(());
    }
    finish_answer(&answer, info, opts.file, sink)?;
    b.rows.finish(info);
    Ok(())
}

/// The parts of a `Builder` an element needs, borrowed apart from its tree (which the
/// deserializer holds meanwhile).
struct BuilderRef<'b, 'o, 'a> {
    rows: &'b mut Rows<'o, 'a>,
    row: &'b mut u64,
    tree: &'b Tree,
}

impl BuilderRef<'_, '_, '_> {
    fn element(
        &mut self,
        el: Element,
        line: Option<u64>,
        info: &mut ReadInfo,
        sink: &mut dyn FnMut(Item) -> Result<(), Error>,
    ) -> Result<(), Error> {
        *self.row += 1;
        let row = *self.row;
        let problem = |message: String| {
            Item::Problem(Problem {
                row: Some(row),
                line,
                message,
            })
        };
        if !el.object {
            return sink(problem(
                "it is not an object (expected {\"key\": value, …})".into(),
            ));
        }
        if self.rows.columns().is_none() {
            let has = |slot: usize| el.vals.iter().any(|(s, _)| *s == slot);
            self.rows
                .choose(&has, "keys of the first record", &el.keys, info)?;
            // From now on only the chosen mapping's names (and the IDs that tell a
            // record from an answer) are read.
            let cols = self.rows.columns().expect("chosen");
            let mut wanted: Vec<usize> = cols.slots().collect();
            wanted.extend_from_slice(&self.tree.id_slots);
            self.tree.restrict(&wanted);
        }
        if !el.repeated.is_empty() {
            for slot in &el.repeated {
                sink(problem(format!(
                    "the key \"{}\" appears twice in this record (JSON readers disagree on which one counts); remove one",
                    escape_for_text(&self.rows.names.names[*slot])
                )))?;
            }
            return Ok(());
        }
        self.rows.emit(row, line, &|slot| el.get(slot), sink)
    }
}

/// NDJSON: one record (or one JSON document as `read` takes them) per line. A line
/// longer than `MAX_RECORD_BYTES` is refused without being held whole.
pub fn read_lines(
    input: &mut dyn BufRead,
    opts: &ReadOptions<'_>,
    info: &mut ReadInfo,
    sink: &mut dyn FnMut(Item) -> Result<(), Error>,
) -> Result<(), Error> {
    let mut b = Builder::new(opts);
    let mut buf = Vec::new();
    let mut line_no = 0u64;
    let mut answer = Answer::default();
    let mut keep_keys = true;
    loop {
        buf.clear();
        let n = <&mut dyn BufRead as Read>::take(&mut *input, MAX_RECORD_BYTES as u64 + 1)
            .read_until(b'\n', &mut buf)
            .map_err(|e| read_error(opts.file, &e))?;
        if n == 0 {
            break;
        }
        line_no += 1;
        if buf.len() > MAX_RECORD_BYTES && !buf.ends_with(b"\n") {
            // Skip the rest of the line without holding it.
            loop {
                let chunk = input.fill_buf().map_err(|e| read_error(opts.file, &e))?;
                if chunk.is_empty() {
                    break;
                }
                match memchr::memchr(b'\n', chunk) {
                    Some(at) => {
                        input.consume(at + 1);
                        break;
                    }
                    None => {
                        let len = chunk.len();
                        input.consume(len);
                    }
                }
            }
            b.row += 1;
            sink(Item::Problem(Problem {
                row: Some(b.row),
                line: Some(line_no),
                message: format!(
                    "the line is longer than {} MiB; a record is at most that long (is the file NDJSON?)",
                    MAX_RECORD_BYTES >> 20
                ),
            }))?;
            continue;
        }
        let mut line: &[u8] = &buf;
        if line_no == 1 {
            line = line.strip_prefix(BOM).unwrap_or(line);
        }
        let line = line.trim_ascii();
        if line.is_empty() {
            continue;
        }
        if let Err(e) = std::str::from_utf8(line) {
            b.row += 1;
            sink(Item::Problem(Problem {
                row: Some(b.row),
                line: Some(line_no),
                message: format!(
                    "the line is not valid UTF-8 (byte 0x{:02X} at column {}); save or export the file as UTF-8",
                    line[e.valid_up_to()],
                    e.valid_up_to() + 1
                ),
            }))?;
            continue;
        }
        // Each line is a document of its own (pages of an answer may come a line each):
        // the last page says whether more follow.
        answer.records_key = None;
        answer.empty_lists.clear();
        let before = answer.partial.take();
        let mut stash: Option<Error> = None;
        let result = {
            let Builder { rows, tree, row } = &mut b;
            let tree: &Tree = tree;
            let mut on_element = |el: Element| {
                let mut builder = BuilderRef {
                    rows: &mut *rows,
                    row: &mut *row,
                    tree,
                };
                builder.element(el, Some(line_no), info, sink)
            };
            let mut de = serde_json::Deserializer::from_slice(line);
            let top = Top {
                ctx: Ctx {
                    tree,
                    on_element: &mut on_element,
                    stash: &mut stash,
                    answer: &mut answer,
                    keep_keys: &mut keep_keys,
                },
            };
            top.deserialize(&mut de).and_then(|_| de.end())
        };
        if let Some(e) = stash {
            return Err(e);
        }
        if answer.records_key.is_none() && answer.empty_lists.is_empty() {
            // Not a page: what the pages said stands.
            answer.partial = answer.partial.take().or(before);
        }
        if let Err(e) = result {
            b.row += 1;
            sink(Item::Problem(Problem {
                row: Some(b.row),
                line: Some(line_no),
                message: describe(&e),
            }))?;
        }
    }
    finish_answer(&answer, info, opts.file, sink)?;
    b.rows.finish(info);
    Ok(())
}

#[cfg(test)]
mod tests;
