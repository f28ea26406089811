//! The reference model: the import rules (README "Importing › The rules", docs/import.md
//! "Decisions") and the actions on profiles and connections (docs/model.md "The
//! actions"), written a second time from those texts, as plainly as they can be: a few
//! vectors, linear scans, every row applied at once to the one state. No SQLite, no
//! index, no fingerprint, nothing shared with the engine but its public value types
//! (`Status`, `Origin`). It is meant to be obviously right, not fast;
//! `differential.rs` runs it beside the engine and compares every row and every state.

use roster::domain::model::{Origin, Status};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Emp {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    pub picture: Option<String>,
    pub login: bool,
    pub status: Status,
    pub merged_into: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conn {
    pub system: String,
    pub external_id: String,
    pub employee: i64,
    pub email: Option<String>,
    pub name: Option<String>,
    pub picture: Option<String>,
    pub manages: bool,
    pub origin: Origin,
    pub matched: Option<String>,
    /// The `active` flag the system supplied last.
    pub active: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Block {
    pub system: String,
    pub external_id: String,
    pub employee: i64,
}

/// Everything the rules read and write. Profiles sorted by id; connections and blocks
/// sorted by account when compared.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct State {
    pub emps: Vec<Emp>,
    pub conns: Vec<Conn>,
    pub blocks: Vec<Block>,
}

impl State {
    /// The same state with connections and blocks in one order, for comparing.
    pub fn sorted(mut self) -> State {
        self.emps.sort_by_key(|e| e.id);
        self.conns
            .sort_by(|a, b| (&a.system, &a.external_id).cmp(&(&b.system, &b.external_id)));
        self.blocks.sort();
        self
    }
}

/// A cell of an import file as the file has it: no such column, an empty (or only
/// blank) cell, or a value (trimmed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell<T> {
    Absent,
    Empty,
    Value(T),
}

impl Cell<String> {
    pub fn of(column: bool, raw: &str) -> Cell<String> {
        match (column, raw.trim()) {
            (false, _) => Cell::Absent,
            (true, "") => Cell::Empty,
            (true, v) => Cell::Value(v.to_owned()),
        }
    }

    fn value(&self) -> Option<String> {
        match self {
            Cell::Value(v) => Some(v.clone()),
            _ => None,
        }
    }

    /// Absent keeps `target`, Empty clears it, a value sets it.
    fn apply_to(&self, target: &mut Option<String>) {
        match self {
            Cell::Absent => {}
            Cell::Empty => *target = None,
            Cell::Value(v) => *target = Some(v.clone()),
        }
    }
}

/// One record of an import file.
#[derive(Debug, Clone)]
pub struct Rec {
    pub external_id: String,
    pub email: Cell<String>,
    pub name: Cell<String>,
    pub picture: Cell<String>,
    /// Absent and Empty both mean "the system said nothing": `None`.
    pub active: Option<bool>,
}

/// What one record did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Matched(i64),
    Unchanged(i64),
    Linked(i64),
    /// The new profile, and where its name came from (`name`, `email`, `external_id`).
    New(i64, &'static str),
    /// The candidates, by id and their name at that row.
    Conflict(Vec<(i64, String)>),
    /// The one candidate, its name at that row, and its accounts of the system, sorted.
    SameSystem((i64, String), Vec<String>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub outcome: Outcome,
    /// A blank name kept a stored name.
    pub name_kept: bool,
    /// The managing system changed the profile's name, picture or status.
    pub profile_updated: bool,
    /// The record's email as the file wrote it (trimmed), for conflicts.
    pub email: Option<String>,
}

/// Emails are equal when equal after trimming and folding A–Z to a–z; nothing else is
/// folded (docs/import.md "Which emails are equal").
pub fn same_email(a: &str, b: &str) -> bool {
    let fold = |s: &str| -> String {
        s.trim()
            .chars()
            .map(|c| {
                if c.is_ascii_uppercase() {
                    c.to_ascii_lowercase()
                } else {
                    c
                }
            })
            .collect()
    };
    fold(a) == fold(b)
}

/// A name when none is given: the name, else the email's local part, else the ID.
fn fallback(name: Option<&str>, email: Option<&str>, id: &str) -> (String, &'static str) {
    if let Some(n) = name.map(str::trim).filter(|n| !n.is_empty()) {
        return (n.to_owned(), "name");
    }
    if let Some(local) = email
        .map(|e| e.trim().split('@').next().unwrap_or(""))
        .filter(|l| !l.is_empty())
    {
        return (local.to_owned(), "email");
    }
    (id.to_owned(), "external_id")
}

/// An external ID as the rules compare it: trimmed, and for Salesforce a 15-character
/// ID in its 18-character form (each block of five characters adds the letter that
/// spells which of its characters are capitals, as a 5-bit number, lowest bit first).
pub fn canonical_id(system: &str, raw: &str) -> String {
    let id = raw.trim();
    if system != "salesforce" || id.len() != 15 || !id.chars().all(|c| c.is_ascii_alphanumeric()) {
        return id.to_owned();
    }
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
    let mut out = id.to_owned();
    for block in id.as_bytes().chunks(5) {
        let mut n = 0;
        for (bit, c) in block.iter().enumerate() {
            if c.is_ascii_uppercase() {
                n += 1 << bit;
            }
        }
        out.push(ALPHABET[n] as char);
    }
    out
}

/// `Err(())`: refused (the engine says why; the model only that it is).
type Done = Result<(), ()>;

fn valid_email(raw: &str) -> Result<Option<String>, ()> {
    match raw.trim() {
        "" => Ok(None),
        e if e.contains('@') => Ok(Some(e.to_owned())),
        _ => Err(()),
    }
}

fn valid_name(raw: &str) -> Result<String, ()> {
    match raw.trim() {
        "" => Err(()),
        n => Ok(n.to_owned()),
    }
}

#[derive(Debug, Clone)]
pub struct Model {
    pub state: State,
    /// Ids are given in order and never reused.
    pub next_id: i64,
    pub manual_review: bool,
}

impl Default for Model {
    fn default() -> Self {
        Model {
            state: State::default(),
            next_id: 1,
            manual_review: false,
        }
    }
}

impl Model {
    fn emp(&self, id: i64) -> Option<&Emp> {
        self.state.emps.iter().find(|e| e.id == id)
    }

    fn emp_mut(&mut self, id: i64) -> &mut Emp {
        self.state.emps.iter_mut().find(|e| e.id == id).unwrap()
    }

    /// A live (not merged) profile.
    fn live(&self, id: i64) -> Result<&Emp, ()> {
        match self.emp(id) {
            Some(e) if e.merged_into.is_none() => Ok(e),
            _ => Err(()),
        }
    }

    fn conn_index(&self, system: &str, external_id: &str) -> Option<usize> {
        self.state
            .conns
            .iter()
            .position(|c| c.system == system && c.external_id == external_id)
    }

    /// The connection `system:external_id` of profile `emp`.
    fn conn_of(&self, emp: i64, system: &str, external_id: &str) -> Result<usize, ()> {
        match self.conn_index(system, external_id) {
            Some(i) if self.state.conns[i].employee == emp => Ok(i),
            _ => Err(()),
        }
    }

    fn conns_of(&self, emp: i64) -> usize {
        self.state
            .conns
            .iter()
            .filter(|c| c.employee == emp)
            .count()
    }

    fn new_id(&mut self) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    // ---- the actions (docs/model.md "The actions") ---------------------------------

    pub fn new_employee(&mut self, name: &str, email: Option<&str>, login: bool) -> Done {
        let name = valid_name(name)?;
        let email = match email {
            Some(e) => valid_email(e)?,
            None => None,
        };
        let id = self.new_id();
        self.state.emps.push(Emp {
            id,
            name,
            email,
            picture: None,
            login,
            status: Status::Active,
            merged_into: None,
        });
        Ok(())
    }

    pub fn connect(
        &mut self,
        emp: i64,
        system: &str,
        external_id: &str,
        email: Option<&str>,
        name: Option<&str>,
    ) -> Done {
        self.live(emp)?;
        let x = &canonical_id(system, external_id);
        if x.is_empty() || self.conn_index(system, x).is_some() {
            return Err(());
        }
        let email = match email {
            Some(e) => valid_email(e)?,
            None => None,
        };
        let name = match name {
            Some(n) => Some(valid_name(n)?),
            None => None,
        };
        // Connecting by hand lifts a block of this account on this profile.
        self.state
            .blocks
            .retain(|b| !(b.system == system && b.external_id == *x && b.employee == emp));
        self.state.conns.push(Conn {
            system: system.to_owned(),
            external_id: x.to_owned(),
            employee: emp,
            email,
            name,
            picture: None,
            manages: false,
            origin: Origin::Manual,
            matched: None,
            active: None,
        });
        Ok(())
    }

    pub fn manage(&mut self, emp: i64, system: &str, external_id: &str) -> Done {
        let i = self.conn_of(emp, system, external_id)?;
        if self.state.conns[i].manages {
            return Err(());
        }
        for c in self.state.conns.iter_mut().filter(|c| c.employee == emp) {
            c.manages = false;
        }
        self.state.conns[i].manages = true;
        Ok(())
    }

    pub fn unmanage(&mut self, emp: i64) -> Done {
        let mut found = false;
        for c in self.state.conns.iter_mut().filter(|c| c.employee == emp) {
            found |= c.manages;
            c.manages = false;
        }
        if found { Ok(()) } else { Err(()) }
    }

    pub fn move_to_new(&mut self, emp: i64, system: &str, external_id: &str) -> Done {
        self.live(emp)?;
        let i = self.conn_of(emp, system, external_id)?;
        if self.conns_of(emp) < 2 {
            return Err(());
        }
        let c = self.state.conns[i].clone();
        let id = self.new_id();
        self.state.emps.push(Emp {
            id,
            name: fallback(c.name.as_deref(), c.email.as_deref(), &c.external_id).0,
            email: c.email.clone(),
            picture: c.picture.clone(),
            login: false,
            status: Status::Active,
            merged_into: None,
        });
        let c = &mut self.state.conns[i];
        c.employee = id;
        c.manages = true;
        c.origin = Origin::Moved;
        c.matched = Some(format!("moved from #{emp}"));
        Ok(())
    }

    pub fn remove(&mut self, emp: i64, system: &str, external_id: &str, block: bool) -> Done {
        let i = self.conn_of(emp, system, external_id)?;
        self.state.conns.remove(i);
        let b = Block {
            system: system.to_owned(),
            external_id: external_id.to_owned(),
            employee: emp,
        };
        if block && !self.state.blocks.contains(&b) {
            self.state.blocks.push(b);
        }
        Ok(())
    }

    /// Lifts the block of `system:external_id` on `emp`: refused when there is none.
    pub fn unblock(&mut self, emp: i64, system: &str, external_id: &str) -> Done {
        let b = Block {
            system: system.to_owned(),
            external_id: canonical_id(system, external_id),
            employee: emp,
        };
        let before = self.state.blocks.len();
        self.state.blocks.retain(|x| x != &b);
        if self.state.blocks.len() < before {
            Ok(())
        } else {
            Err(())
        }
    }

    pub fn merge(&mut self, keep: i64, other: i64) -> Done {
        if keep == other || self.live(keep)?.status == Status::Deactivated {
            return Err(());
        }
        self.live(other)?;
        let blocked = self.state.conns.iter().any(|c| {
            c.employee == other
                && self.state.blocks.iter().any(|b| {
                    b.system == c.system && b.external_id == c.external_id && b.employee == keep
                })
        });
        if blocked {
            return Err(());
        }
        for c in self.state.conns.iter_mut().filter(|c| c.employee == other) {
            c.employee = keep;
            c.manages = false;
            c.origin = Origin::Merged;
            c.matched = Some(format!("merged from #{other}"));
        }
        let o = self.emp_mut(other);
        o.status = Status::Deactivated;
        o.merged_into = Some(keep);
        Ok(())
    }

    /// Edit: `None` leaves a field; an empty email or picture clears it.
    pub fn edit(
        &mut self,
        emp: i64,
        name: Option<&str>,
        email: Option<&str>,
        picture: Option<&str>,
    ) -> Done {
        let e = self.live(emp)?.clone();
        let mut after = e.clone();
        if let Some(n) = name {
            after.name = valid_name(n)?;
        }
        if let Some(m) = email {
            after.email = valid_email(m)?;
        }
        if let Some(p) = picture {
            after.picture = Some(p.trim().to_owned()).filter(|p| !p.is_empty());
        }
        let managed = self
            .state
            .conns
            .iter()
            .any(|c| c.employee == emp && c.manages);
        if managed && (after.name != e.name || after.picture != e.picture) {
            return Err(());
        }
        if after == e {
            return Err(());
        }
        *self.emp_mut(emp) = after;
        Ok(())
    }

    /// Activate, deactivate, or discard (`discard`: only a pending profile).
    pub fn set_status(&mut self, emp: i64, to: Status, discard: bool) -> Done {
        let e = self.live(emp)?;
        if (discard && e.status != Status::Pending) || e.status == to {
            return Err(());
        }
        self.emp_mut(emp).status = to;
        Ok(())
    }

    // ---- the import (README "Importing › The rules") -------------------------------

    /// Imports `records` of `system`, in file order, each seeing the rows before it.
    pub fn import(&mut self, system: &str, records: &[Rec]) -> Vec<Row> {
        records.iter().map(|r| self.import_one(system, r)).collect()
    }

    fn import_one(&mut self, system: &str, r: &Rec) -> Row {
        let x = canonical_id(system, &r.external_id);
        let mut row = Row {
            outcome: Outcome::Unchanged(0),
            name_kept: false,
            profile_updated: false,
            email: r.email.value(),
        };
        // 1. By ID.
        if let Some(i) = self.conn_index(system, &x) {
            self.by_id(i, r, &mut row);
            return row;
        }
        // 2. By email.
        if let Cell::Value(email) = &r.email {
            let candidates: Vec<&Emp> = self
                .state
                .emps
                .iter()
                .filter(|p| p.merged_into.is_none())
                .filter(|p| {
                    !self
                        .state
                        .blocks
                        .iter()
                        .any(|b| b.system == system && b.external_id == x && b.employee == p.id)
                })
                .filter(|p| {
                    p.email.as_deref().is_some_and(|e| same_email(e, email))
                        || self.state.conns.iter().any(|c| {
                            c.employee == p.id
                                && c.email.as_deref().is_some_and(|e| same_email(e, email))
                        })
                })
                .collect();
            if candidates.len() >= 2 {
                row.outcome =
                    Outcome::Conflict(candidates.iter().map(|p| (p.id, p.name.clone())).collect());
                return row;
            }
            if let [a] = candidates.as_slice() {
                let mut others: Vec<String> = self
                    .state
                    .conns
                    .iter()
                    .filter(|c| c.employee == a.id && c.system == system)
                    .map(|c| c.external_id.clone())
                    .collect();
                others.sort();
                if !others.is_empty() {
                    row.outcome = Outcome::SameSystem((a.id, a.name.clone()), others);
                    return row;
                }
                let a = a.id;
                self.state.conns.push(Conn {
                    system: system.to_owned(),
                    external_id: x,
                    employee: a,
                    email: Some(email.clone()),
                    name: r.name.value(),
                    picture: r.picture.value(),
                    manages: false,
                    origin: Origin::ImportEmail,
                    matched: Some(email.clone()),
                    active: r.active,
                });
                row.outcome = Outcome::Linked(a);
                return row;
            }
        }
        // 3. New.
        let id = self.new_id();
        let (name, from) = fallback(r.name.value().as_deref(), r.email.value().as_deref(), &x);
        let status = match (r.active, self.manual_review) {
            (Some(false), _) => Status::Deactivated,
            (_, true) => Status::Pending,
            (_, false) => Status::Active,
        };
        self.state.emps.push(Emp {
            id,
            name,
            email: r.email.value(),
            picture: r.picture.value(),
            login: false,
            status,
            merged_into: None,
        });
        self.state.conns.push(Conn {
            system: system.to_owned(),
            external_id: x.clone(),
            employee: id,
            email: r.email.value(),
            name: r.name.value(),
            picture: r.picture.value(),
            manages: true,
            origin: Origin::ImportNew,
            matched: Some(x),
            active: r.active,
        });
        row.outcome = Outcome::New(id, from);
        row
    }

    fn by_id(&mut self, i: usize, r: &Rec, row: &mut Row) {
        let before = self.state.conns[i].clone();
        let emp_before = self.emp(before.employee).unwrap().clone();
        let c = &mut self.state.conns[i];
        r.email.apply_to(&mut c.email);
        // A blank is not a name: only a value replaces the account's name.
        if let Cell::Value(n) = &r.name {
            c.name = Some(n.clone());
        }
        r.picture.apply_to(&mut c.picture);
        if let Some(a) = r.active {
            c.active = Some(a);
        }
        let picture = c.picture.clone();
        if before.manages {
            let e = self.emp_mut(before.employee);
            if let Cell::Value(n) = &r.name {
                e.name = n.clone();
            }
            if r.picture != Cell::Absent {
                e.picture = picture;
            }
            // The status follows a change of the system's flag.
            if let Some(a) = r.active
                && before.active != Some(a)
            {
                if !a {
                    e.status = Status::Deactivated;
                } else if e.status == Status::Deactivated {
                    e.status = Status::Active;
                }
            }
        }
        let emp_after = self.emp(before.employee).unwrap();
        row.profile_updated = *emp_after != emp_before;
        let changed = row.profile_updated || self.state.conns[i] != before;
        row.outcome = if changed {
            Outcome::Matched(before.employee)
        } else {
            Outcome::Unchanged(before.employee)
        };
        let blank = |n: &Option<String>| n.as_deref().is_none_or(|n| n.trim().is_empty());
        row.name_kept = r.name == Cell::Empty && (!blank(&before.name) || before.manages);
    }
}
