//! JSON and NDJSON, streamed: an array of objects, an API answer that wraps one
//! (`{"results": [...], "paging": ...}` from HubSpot, `{"success": true, "data": [...]}`
//! from Pipedrive, `{"records": [...]}` from a Salesforce query), or one object; NDJSON
//! is one such value per line. Each object is read into the few fields a preset
//! names, then handed on; nothing else of it is kept.

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt;
use std::io::BufRead;

use super::preset::{self, Columns, Preset, Target};
use super::record::{self, Raw};
use super::{BOM, Item, Problem, ReadInfo, ReadOptions, read_error};
use crate::domain::sanitize::escape_for_text;
use crate::error::Error;

/// The keys of an API answer that hold the records.
const WRAPPERS: [&str; 3] = ["results", "data", "records"];
const STOP: &str = "roster: reading stopped";

/// One element, reduced to the values of the names looked for.
#[derive(Debug)]
pub struct Element {
    /// (index into the names, value).
    vals: Vec<(usize, Raw<'static>)>,
    /// Every key, for the message when the first record does not fit.
    keys: Vec<String>,
    object: bool,
}

/// What the top level said besides its records.
#[derive(Default)]
struct Answer {
    more_pages: bool,
    success: Option<bool>,
    error: Option<String>,
}

struct Ctx<'a> {
    names: &'a [String],
    on_element: &'a mut dyn FnMut(Element) -> Result<(), Error>,
    stash: &'a mut Option<Error>,
    answer: &'a mut Answer,
    keep_keys: &'a mut bool,
}

impl Ctx<'_> {
    fn reborrow(&mut self) -> Ctx<'_> {
        Ctx {
            names: self.names,
            on_element: &mut *self.on_element,
            stash: &mut *self.stash,
            answer: &mut *self.answer,
            keep_keys: &mut *self.keep_keys,
        }
    }

    fn emit<E: de::Error>(&mut self, el: Element) -> Result<(), E> {
        *self.keep_keys = false;
        (self.on_element)(el).map_err(|e| {
            *self.stash = Some(e);
            E::custom(STOP)
        })
    }
}

// ---- one value of a field ----------------------------------------------------------

struct RawSeed;

impl<'de> DeserializeSeed<'de> for RawSeed {
    type Value = Raw<'static>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Raw<'static>, D::Error> {
        d.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

fn number_text(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

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
        Ok(Raw::Text(Cow::Owned(number_text(v))))
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
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Raw::Nested)
    }
}

// ---- keys ----------------------------------------------------------------------------

/// A key: which name it is (if any), and the key itself when asked to keep it.
struct KeySeed<'a> {
    names: &'a [String],
    keep: bool,
}

struct Key {
    index: Option<usize>,
    text: Option<String>,
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
        let t = v.trim();
        Ok(Key {
            index: self.names.iter().position(|n| n.eq_ignore_ascii_case(t)),
            text: (self.keep || WRAPPERS.contains(&t) || is_answer_key(t)).then(|| v.to_owned()),
        })
    }
}

fn is_answer_key(k: &str) -> bool {
    matches!(k, "paging" | "additional_data" | "success" | "error")
}

// ---- elements ------------------------------------------------------------------------

/// Reads the entries of an object into an element. At the top level (`ctx` given) the
/// keys of an API answer are looked at too, and the records under a wrapper key are
/// handed on; the flag says whether there was such a key.
fn read_object<'de, A: MapAccess<'de>>(
    mut map: A,
    names: &[String],
    keep_keys: bool,
    mut ctx: Option<&mut Ctx<'_>>,
) -> Result<(Element, bool), A::Error> {
    let mut el = Element {
        vals: Vec::new(),
        keys: Vec::new(),
        object: true,
    };
    let mut wrapped = false;
    while let Some(key) = map.next_key_seed(KeySeed {
        names,
        keep: keep_keys,
    })? {
        let text = key.text.as_deref().map(str::trim);
        if let Some(ctx) = ctx.as_mut()
            && let Some(k) = text
        {
            if WRAPPERS.contains(&k) {
                map.next_value_seed(ListSeed {
                    ctx: ctx.reborrow(),
                    key: k.to_owned(),
                })?;
                wrapped = true;
                continue;
            }
            if is_answer_key(k) {
                let v: serde_json::Value = map.next_value()?;
                let a = &mut *ctx.answer;
                match k {
                    "paging" => a.more_pages |= v.pointer("/next").is_some_and(|n| !n.is_null()),
                    "additional_data" => {
                        a.more_pages |= v
                            .pointer("/pagination/more_items_in_collection")
                            .and_then(serde_json::Value::as_bool)
                            .unwrap_or(false)
                    }
                    "success" => a.success = v.as_bool(),
                    _ => a.error = v.as_str().map(str::to_owned).or(Some(v.to_string())),
                }
                continue;
            }
        }
        if keep_keys && let Some(t) = key.text {
            el.keys.push(t);
        }
        match key.index {
            Some(i) => {
                let v = map.next_value_seed(RawSeed)?;
                el.vals.push((i, v));
            }
            None => {
                map.next_value::<IgnoredAny>()?;
            }
        }
    }
    Ok((el, wrapped))
}

struct ElementSeed<'a> {
    names: &'a [String],
    keep_keys: bool,
}

impl<'de> DeserializeSeed<'de> for ElementSeed<'_> {
    type Value = Element;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Element, D::Error> {
        d.deserialize_any(self)
    }
}

fn not_object() -> Element {
    Element {
        vals: Vec::new(),
        keys: Vec::new(),
        object: false,
    }
}

impl<'de> Visitor<'de> for ElementSeed<'_> {
    type Value = Element;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Element, A::Error> {
        read_object(map, self.names, self.keep_keys, None).map(|(el, _)| el)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Element, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(not_object())
    }
    fn visit_bool<E>(self, _: bool) -> Result<Element, E> {
        Ok(not_object())
    }
    fn visit_i64<E>(self, _: i64) -> Result<Element, E> {
        Ok(not_object())
    }
    fn visit_u64<E>(self, _: u64) -> Result<Element, E> {
        Ok(not_object())
    }
    fn visit_f64<E>(self, _: f64) -> Result<Element, E> {
        Ok(not_object())
    }
    fn visit_str<E>(self, _: &str) -> Result<Element, E> {
        Ok(not_object())
    }
    fn visit_unit<E>(self) -> Result<Element, E> {
        Ok(not_object())
    }
}

// ---- lists and the top level -----------------------------------------------------------

/// The value of a wrapper key: a list of records (or one record, or null).
struct ListSeed<'a> {
    ctx: Ctx<'a>,
    key: String,
}

impl<'de> DeserializeSeed<'de> for ListSeed<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ListSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a list of records under \"{}\"", self.key)
    }
    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        loop {
            let keep = *self.ctx.keep_keys;
            let Some(el) = seq.next_element_seed(ElementSeed {
                names: self.ctx.names,
                keep_keys: keep,
            })?
            else {
                return Ok(());
            };
            self.ctx.emit(el)?;
        }
    }
    fn visit_map<A: MapAccess<'de>>(mut self, map: A) -> Result<(), A::Error> {
        let keep = *self.ctx.keep_keys;
        let (el, _) = read_object(map, self.ctx.names, keep, None)?;
        self.ctx.emit(el)
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
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
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        ListSeed {
            ctx: self.ctx,
            key: String::new(),
        }
        .visit_seq(seq)
    }
    fn visit_map<A: MapAccess<'de>>(mut self, map: A) -> Result<(), A::Error> {
        let keep = *self.ctx.keep_keys;
        let names = self.ctx.names;
        let (el, wrapped) = read_object(map, names, keep, Some(&mut self.ctx))?;
        if !wrapped && self.ctx.answer.success != Some(false) {
            // Not an API answer: the object is one record.
            self.ctx.emit(el)?;
        }
        Ok(())
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

/// Turns elements into records: decides the columns on the first object, then builds.
struct Builder<'o, 'a> {
    opts: &'o ReadOptions<'a>,
    names: Vec<String>,
    cols: Option<Columns>,
    row: u64,
}

impl<'o, 'a> Builder<'o, 'a> {
    fn new(opts: &'o ReadOptions<'a>) -> Builder<'o, 'a> {
        // Every name any preset (and the map) could read: the choice is made on the
        // first record, once its keys are known.
        let mut names: Vec<String> = Vec::new();
        let mut add = |cols: Columns| {
            for n in cols.all_names() {
                if !names.iter().any(|m| m == n) {
                    names.push(n.to_owned());
                }
            }
        };
        for p in Preset::ALL {
            add(Columns::new(p, opts.map));
        }
        // The names that tell presets apart (see `Preset::signature`).
        for sig in Preset::ALL.iter().flat_map(|p| p.signature()) {
            if !names.iter().any(|m| m == sig) {
                names.push((*sig).to_owned());
            }
        }
        Builder {
            opts,
            names,
            cols: None,
            row: 0,
        }
    }

    fn element(
        &mut self,
        el: Element,
        line: Option<u64>,
        info: &mut ReadInfo,
        sink: &mut dyn FnMut(Item) -> Result<(), Error>,
    ) -> Result<(), Error> {
        self.row += 1;
        let row = self.row;
        if !el.object {
            return sink(Item::Problem(Problem {
                row: Some(row),
                line,
                message: "it is not an object (expected {\"key\": value, …})".into(),
            }));
        }
        let has = |n: &str| el.vals.iter().any(|(i, _)| self.names[*i] == n);
        let cols = match &self.cols {
            Some(c) => c,
            None => {
                let chosen = preset::choose(self.opts, &has, "keys of the first record", &el.keys)
                    .map_err(|why| {
                        Error::Invalid(format!(
                            "Nothing was imported: {}: {why}.",
                            escape_for_text(self.opts.file)
                        ))
                    })?;
                info.preset = Some(chosen.preset);
                self.cols.insert(chosen)
            }
        };
        let resolved = cols.resolve(has);
        let names = &self.names;
        let get = |t: Target| match resolved[t.index()] {
            Some(name) => el
                .vals
                .iter()
                .find(|(i, _)| names[*i] == name)
                .map(|(_, v)| v.borrowed())
                .unwrap_or(Raw::Missing),
            None => Raw::Missing,
        };
        match record::build(self.opts.system, row, line, &get) {
            Ok(r) => sink(Item::Record(r)),
            Err(problems) => {
                for message in problems {
                    sink(Item::Problem(Problem {
                        row: Some(row),
                        line,
                        message,
                    }))?;
                }
                Ok(())
            }
        }
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

fn finish_answer(answer: &Answer, info: &mut ReadInfo, file: &str) -> Result<(), Error> {
    if answer.success == Some(false) {
        return Err(Error::Invalid(format!(
            "Nothing was imported: {} is an error answer of the API (\"success\": false{}), not a list of users.",
            escape_for_text(file),
            answer
                .error
                .as_deref()
                .map(|e| format!(", \"error\": {}", record::quote(e)))
                .unwrap_or_default()
        )));
    }
    if answer.more_pages {
        info.warnings.push(format!(
            "{} is one page of a longer answer (the API says more pages follow); accounts on the other pages were not imported and are left as they are.",
            escape_for_text(file)
        ));
    }
    Ok(())
}

/// A JSON document: an array, a wrapping API answer, or one object.
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
    let names = b.names.clone();
    let mut stash: Option<Error> = None;
    let mut answer = Answer::default();
    let mut keep_keys = true;
    let mut on_element = |el: Element| b.element(el, None, info, sink);
    let result = {
        let mut de = serde_json::Deserializer::from_reader(&mut *input);
        let top = Top {
            ctx: Ctx {
                names: &names,
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
    finish_answer(&answer, info, opts.file)
}

/// NDJSON: one record (or one JSON document as `read` takes them) per line.
pub fn read_lines(
    input: &mut dyn BufRead,
    opts: &ReadOptions<'_>,
    info: &mut ReadInfo,
    sink: &mut dyn FnMut(Item) -> Result<(), Error>,
) -> Result<(), Error> {
    let mut b = Builder::new(opts);
    let names = b.names.clone();
    let mut buf = Vec::new();
    let mut line_no = 0u64;
    let mut answer = Answer::default();
    let mut keep_keys = true;
    loop {
        buf.clear();
        let n = input
            .read_until(b'\n', &mut buf)
            .map_err(|e| read_error(opts.file, &e))?;
        if n == 0 {
            break;
        }
        line_no += 1;
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
        let mut stash: Option<Error> = None;
        let mut on_element = |el: Element| b.element(el, Some(line_no), info, sink);
        let result = {
            let mut de = serde_json::Deserializer::from_slice(line);
            let top = Top {
                ctx: Ctx {
                    names: &names,
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
        if let Err(e) = result {
            b.row += 1;
            sink(Item::Problem(Problem {
                row: Some(b.row),
                line: Some(line_no),
                message: describe(&e),
            }))?;
        }
    }
    finish_answer(&answer, info, opts.file)
}
