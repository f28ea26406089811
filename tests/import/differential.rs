//! The differential test: random sequences of actions and imports run through the
//! engine (the library's service, the same calls the binary makes, on a real store) and
//! through the reference model (`model.rs`), compared after every step: whether the
//! action was refused, each row of each import's dry-run plan (outcome, profile,
//! candidates by id and name, other accounts, where a new name came from, a kept
//! name), the report's counts and conflicts, and the whole state (every profile, every
//! connection with its provenance and last `active` flag, every block). A dry run must
//! leave the state as it was.
//!
//! The random stores hold several systems, accounts of one system sharing an email
//! (`noreply@`, `shared@`), blocks, merges, moves, management handed over and taken
//! back, admins' edits and status changes, blank names, emails spelt in other cases or
//! padded, an email that only Unicode case folding would equate, and files with and
//! without each optional column. Review items (docs/review.md) are not compared: the
//! report's conflicts are, and the inbox's own rules are tested in tests/reliability.
//!
//! `cargo test` runs 256 cases; `cargo test --test import differential -- --ignored`
//! runs 4,096 more.

use proptest::prelude::*;
use roster::domain::actions::{Edit, ManualConnection, NewEmployee, StatusChange};
use roster::domain::model::{ConnKey, Origin, Review, Status};
use roster::domain::planner::NamedFrom;
use roster::service::import::{ImportReport, ImportRequest};
use roster::service::{Service, actor};
use roster::store::Store;
use std::path::Path;

use super::model::{Block, Cell, Conn, Emp, Model, Outcome, Rec, Row, State, canonical_id};

const SYSTEMS: [&str; 3] = ["hubspot", "salesforce", "personio"];
/// `noreply@` and `shared@` are the placeholders several accounts of one system carry;
/// `jö@` differs from `JÖ@` (only ASCII letters fold).
const EMAILS: [&str; 6] = [
    "ann@x.io",
    "bob@x.io",
    "shared@x.io",
    "noreply@x.io",
    "jö@x.io",
    "cy@x.io",
];
/// The last two are one Salesforce user, as a report (15 characters) and Data Loader
/// (18) write it; to other systems they are two accounts.
const IDS: [&str; 7] = [
    "u1",
    "u2",
    "u3",
    "u4",
    "005xx000001Sv6A",
    "005xx000001Sv6AAAS",
    "005xx000001sV6a",
];
/// The last is blank: an empty name for an import, a refused one for an action.
const NAMES: [&str; 4] = ["Ann", "Bob B.", "Cy", "  "];

type Email = (usize, u8);

/// An email from the pool, spelt in one of a few ways.
fn spell((i, how): Email) -> String {
    let e = EMAILS[i];
    match how % 5 {
        0 => e.to_owned(),
        1 => e.to_uppercase(),
        2 => format!("  {e} "),
        3 => e.to_ascii_uppercase(),
        _ => {
            let mut c = e.chars();
            c.next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        }
    }
}

fn id_text(id: usize, pad: bool) -> String {
    if pad {
        format!(" {} ", IDS[id])
    } else {
        IDS[id].to_owned()
    }
}

#[derive(Debug, Clone)]
struct FileRow {
    id: usize,
    pad: bool,
    email: Option<Email>,
    name: Option<usize>,
    picture: Option<u8>,
    active: Option<bool>,
}

#[derive(Debug, Clone)]
struct File {
    system: usize,
    email_col: bool,
    name_col: bool,
    picture_col: bool,
    active_col: bool,
    rows: Vec<FileRow>,
}

#[derive(Debug, Clone)]
enum Op {
    New(usize, Option<Email>, bool),
    Connect {
        emp: usize,
        system: usize,
        id: usize,
        pad: bool,
        email: Option<Email>,
        name: Option<usize>,
    },
    Manage(usize, usize),
    Unmanage(usize),
    Remove(usize, usize, bool),
    /// Lift the block picked among those there are; or (`Some`) the block of this
    /// account on this profile, which there may not be.
    Unblock(usize, Option<(usize, usize, usize)>),
    Move(usize, usize),
    Merge(usize, usize),
    Edit {
        emp: usize,
        name: Option<usize>,
        email: Option<Option<Email>>,
        picture: Option<Option<u8>>,
    },
    Status(usize, u8),
    Review(bool),
    Import(File),
    /// The last file imported, again: as it was (most rows then change nothing), or with
    /// the names and pictures shifted by this much (the same accounts, with the same
    /// flags, change a little).
    Again(usize),
}

fn email() -> impl Strategy<Value = Option<Email>> {
    proptest::option::weighted(0.8, (0..EMAILS.len(), any::<u8>()))
}

fn file() -> impl Strategy<Value = File> {
    let row = (
        any::<bool>(),
        email(),
        proptest::option::weighted(0.7, 0..NAMES.len()),
        proptest::option::of(0u8..3),
        proptest::option::weighted(0.8, any::<bool>()),
    );
    (
        0..SYSTEMS.len(),
        proptest::bool::weighted(0.9),
        proptest::bool::weighted(0.85),
        any::<bool>(),
        proptest::bool::weighted(0.7),
        Just((0..IDS.len()).collect::<Vec<_>>()).prop_shuffle(),
        0..=IDS.len(),
        proptest::collection::vec(row, IDS.len()),
    )
        .prop_map(
            |(system, email_col, name_col, picture_col, active_col, ids, n, cells)| File {
                system,
                email_col,
                name_col,
                picture_col,
                active_col,
                rows: ids
                    .into_iter()
                    .take(n)
                    .zip(cells)
                    .map(|(id, (pad, email, name, picture, active))| FileRow {
                        id,
                        pad,
                        email,
                        name,
                        picture,
                        active,
                    })
                    .collect(),
            },
        )
}

fn op() -> impl Strategy<Value = Op> {
    let emp = 0..12usize;
    prop_oneof![
        3 => (0..NAMES.len(), email(), any::<bool>()).prop_map(|(n, e, l)| Op::New(n, e, l)),
        4 => (emp.clone(), 0..SYSTEMS.len(), 0..IDS.len(), any::<bool>(), email(),
              proptest::option::weighted(0.3, 0..NAMES.len()))
            .prop_map(|(emp, system, id, pad, email, name)| Op::Connect { emp, system, id, pad, email, name }),
        1 => (emp.clone(), 0..4usize).prop_map(|(e, c)| Op::Manage(e, c)),
        1 => emp.clone().prop_map(Op::Unmanage),
        2 => (emp.clone(), 0..4usize, any::<bool>()).prop_map(|(e, c, b)| Op::Remove(e, c, b)),
        1 => (0..4usize, proptest::option::weighted(0.3, (emp.clone(), 0..SYSTEMS.len(), 0..IDS.len())))
            .prop_map(|(i, other)| Op::Unblock(i, other)),
        1 => (emp.clone(), 0..4usize).prop_map(|(e, c)| Op::Move(e, c)),
        2 => (emp.clone(), emp.clone()).prop_map(|(a, b)| Op::Merge(a, b)),
        1 => (emp.clone(), proptest::option::of(0..NAMES.len()),
              proptest::option::of(proptest::option::of((0..EMAILS.len(), any::<u8>()))),
              proptest::option::of(proptest::option::of(0u8..3)))
            .prop_map(|(emp, name, email, picture)| Op::Edit { emp, name, email, picture }),
        3 => (emp, 0u8..3).prop_map(|(e, s)| Op::Status(e, s)),
        1 => any::<bool>().prop_map(Op::Review),
        4 => file().prop_map(Op::Import),
        3 => prop_oneof![Just(0usize), 1..NAMES.len()].prop_map(Op::Again),
    ]
}

/// `f` with each row's name and picture moved on by `shift` in their pools.
fn shifted(f: &File, shift: usize) -> File {
    let mut f = f.clone();
    for r in &mut f.rows {
        r.name = r.name.map(|n| (n + shift) % NAMES.len());
        r.picture = r.picture.map(|p| (p + shift as u8) % 3);
    }
    f
}

fn picture(p: u8) -> String {
    format!("https://p/{p}")
}

/// The file as CSV text (every cell quoted, so padding stays in it), and its records as
/// the model reads the same cells. A row naming an account an earlier row of the file
/// named (the two spellings of one Salesforce ID) is left out: a file that names an
/// account twice is refused, which is not what this test is about.
fn render(f: &File) -> (String, Vec<Rec>) {
    let system = SYSTEMS[f.system];
    let mut seen = Vec::new();
    let mut header = vec!["external_id"];
    let cols = [
        (f.email_col, "email"),
        (f.name_col, "name"),
        (f.picture_col, "picture_url"),
        (f.active_col, "active"),
    ];
    header.extend(cols.iter().filter(|(on, _)| *on).map(|(_, name)| *name));
    let mut text = header.join(",") + "\n";
    let mut records = Vec::new();
    for r in &f.rows {
        let id = canonical_id(system, IDS[r.id]);
        if seen.contains(&id) {
            continue;
        }
        seen.push(id);
        let email = r.email.map(spell).unwrap_or_default();
        let name = r.name.map(|n| NAMES[n].to_owned()).unwrap_or_default();
        let pic = r.picture.map(picture).unwrap_or_default();
        let active = match r.active {
            Some(true) => "true",
            Some(false) => "false",
            None => "",
        };
        let mut cells = vec![id_text(r.id, r.pad)];
        for (on, value) in [
            (f.email_col, &email),
            (f.name_col, &name),
            (f.picture_col, &pic),
            (f.active_col, &active.to_owned()),
        ] {
            if on {
                cells.push(value.clone());
            }
        }
        text += &cells
            .iter()
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(",");
        text.push('\n');
        records.push(Rec {
            external_id: id_text(r.id, r.pad),
            email: Cell::of(f.email_col, &email),
            name: Cell::of(f.name_col, &name),
            picture: Cell::of(f.picture_col, &pic),
            active: r.active.filter(|_| f.active_col),
        });
    }
    (text, records)
}

/// The engine's state, read from its store.
fn engine_state(c: &rusqlite::Connection) -> State {
    let status = |s: String| Status::parse(&s).unwrap();
    let emps = c
        .prepare(
            "SELECT id, name, email, picture_url, login_access, status, merged_into FROM employees",
        )
        .unwrap()
        .query_map([], |r| {
            Ok(Emp {
                id: r.get(0)?,
                name: r.get(1)?,
                email: r.get(2)?,
                picture: r.get(3)?,
                login: r.get(4)?,
                status: status(r.get(5)?),
                merged_into: r.get(6)?,
            })
        })
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let conns = c
        .prepare(
            "SELECT system, external_id, employee_id, email, name, picture_url, manages, origin,
                    matched_value, active FROM connections",
        )
        .unwrap()
        .query_map([], |r| {
            Ok(Conn {
                system: r.get(0)?,
                external_id: r.get(1)?,
                employee: r.get(2)?,
                email: r.get(3)?,
                name: r.get(4)?,
                picture: r.get(5)?,
                manages: r.get(6)?,
                origin: Origin::parse(&r.get::<_, String>(7)?).unwrap(),
                matched: r.get(8)?,
                active: r.get(9)?,
            })
        })
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let blocks = c
        .prepare("SELECT system, external_id, employee_id FROM blocks")
        .unwrap()
        .query_map([], |r| {
            Ok(Block {
                system: r.get(0)?,
                external_id: r.get(1)?,
                employee: r.get(2)?,
            })
        })
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    State {
        emps,
        conns,
        blocks,
    }
    .sorted()
}

/// The profile picked by `i` among those that exist (merged ones too), if any.
fn pick(m: &Model, i: usize) -> Option<i64> {
    let ids: Vec<i64> = m.state.emps.iter().map(|e| e.id).collect();
    (!ids.is_empty()).then(|| ids[i % ids.len()])
}

/// The connection of `emp` picked by `i`, in account order, if it has any.
fn pick_conn(m: &Model, emp: i64, i: usize) -> Option<ConnKey> {
    let mut keys: Vec<ConnKey> = m
        .state
        .conns
        .iter()
        .filter(|c| c.employee == emp)
        .map(|c| ConnKey::new(&c.system, &c.external_id))
        .collect();
    keys.sort();
    (!keys.is_empty()).then(|| keys[i % keys.len()].clone())
}

/// Runs an action on both; `None` when the op has nothing to act on. Returns whether
/// the engine and the model did it (`Ok`) or refused it.
fn act(svc: &mut Service, m: &mut Model, op: &Op) -> Option<(bool, bool)> {
    Some(match op {
        Op::New(name, email, login) => {
            let e = svc.new_employee(&NewEmployee {
                name: NAMES[*name].into(),
                email: email.map(spell),
                login_access: *login,
            });
            let mm = m.new_employee(NAMES[*name], email.map(spell).as_deref(), *login);
            (e.is_ok(), mm.is_ok())
        }
        Op::Connect {
            emp,
            system,
            id,
            pad,
            email,
            name,
        } => {
            let emp = pick(m, *emp)?;
            let input = ManualConnection {
                system: SYSTEMS[*system].into(),
                external_id: id_text(*id, *pad),
                email: email.map(spell),
                name: name.map(|n| NAMES[n].to_owned()),
            };
            let e = svc.connect(emp, &input, None);
            let mm = m.connect(
                emp,
                SYSTEMS[*system],
                &input.external_id,
                input.email.as_deref(),
                input.name.as_deref(),
            );
            (e.is_ok(), mm.is_ok())
        }
        Op::Manage(emp, c) => {
            let emp = pick(m, *emp)?;
            let key = pick_conn(m, emp, *c)?;
            let e = svc.manage(emp, &key, None);
            (
                e.is_ok(),
                m.manage(emp, &key.system, &key.external_id).is_ok(),
            )
        }
        Op::Unmanage(emp) => {
            let emp = pick(m, *emp)?;
            (svc.unmanage(emp, None).is_ok(), m.unmanage(emp).is_ok())
        }
        Op::Remove(emp, c, block) => {
            let emp = pick(m, *emp)?;
            let key = pick_conn(m, emp, *c)?;
            let e = svc.remove(emp, &key, *block, None);
            (
                e.is_ok(),
                m.remove(emp, &key.system, &key.external_id, *block).is_ok(),
            )
        }
        Op::Unblock(i, other) => {
            let (emp, system, x) = match other {
                Some((emp, system, id)) => (
                    pick(m, *emp)?,
                    SYSTEMS[*system].to_owned(),
                    IDS[*id].to_owned(),
                ),
                None if m.state.blocks.is_empty() => return None,
                None => {
                    let mut blocks = m.state.blocks.clone();
                    blocks.sort();
                    let b = &blocks[i % blocks.len()];
                    (b.employee, b.system.clone(), b.external_id.clone())
                }
            };
            let e = svc.unblock(emp, &system, Some(&x), None);
            (e.is_ok(), m.unblock(emp, &system, &x).is_ok())
        }
        Op::Move(emp, c) => {
            let emp = pick(m, *emp)?;
            let key = pick_conn(m, emp, *c)?;
            let e = svc.move_to_new(emp, &key, None);
            (
                e.is_ok(),
                m.move_to_new(emp, &key.system, &key.external_id).is_ok(),
            )
        }
        Op::Merge(a, b) => {
            let (a, b) = (pick(m, *a)?, pick(m, *b)?);
            (svc.merge(a, b, &[]).is_ok(), m.merge(a, b).is_ok())
        }
        Op::Edit {
            emp,
            name,
            email,
            picture: pic,
        } => {
            let emp = pick(m, *emp)?;
            let input = Edit {
                name: name.map(|n| NAMES[n].to_owned()),
                email: email.map(|e| e.map(spell).unwrap_or_default()),
                picture_url: pic.map(|p| p.map(picture).unwrap_or_default()),
                login_access: None,
            };
            let e = svc.edit(emp, &input, None);
            let mm = m.edit(
                emp,
                input.name.as_deref(),
                input.email.as_deref(),
                input.picture_url.as_deref(),
            );
            (e.is_ok(), mm.is_ok())
        }
        Op::Status(emp, which) => {
            let emp = pick(m, *emp)?;
            let (change, to, discard) = match which {
                0 => (StatusChange::Activate, Status::Active, false),
                1 => (StatusChange::Deactivate, Status::Deactivated, false),
                _ => (StatusChange::Discard, Status::Deactivated, true),
            };
            let e = svc.change_status(emp, change, None);
            (e.is_ok(), m.set_status(emp, to, discard).is_ok())
        }
        Op::Review(manual) => {
            let review = if *manual {
                Review::Manual
            } else {
                Review::Auto
            };
            svc.set_review(review).unwrap();
            m.manual_review = *manual;
            (true, true)
        }
        Op::Import(_) | Op::Again(_) => unreachable!("imports are compared row by row"),
    })
}

fn import(svc: &mut Service, path: &Path, system: &str, dry_run: bool) -> ImportReport {
    let mut req = ImportRequest::new(path, system);
    req.dry_run = dry_run;
    req.allow_mass_create = true;
    svc.import(&req, &mut |_| {}).expect("import")
}

fn outcome_str(o: &Outcome) -> &'static str {
    match o {
        Outcome::Matched(_) => "matched",
        Outcome::Unchanged(_) => "unchanged",
        Outcome::Linked(_) => "linked_by_email",
        Outcome::New(..) => "new",
        Outcome::Conflict(_) => "conflict",
        Outcome::SameSystem(..) => "same_system",
    }
}

/// A plan row as the model would write it: outcome, profile, candidates (id, name),
/// other accounts, named from, name kept.
type PlanLine = (
    &'static str,
    Option<i64>,
    Vec<(i64, Option<String>)>,
    Option<Vec<String>>,
    Option<&'static str>,
    bool,
);

fn expected_line(row: &Row) -> PlanLine {
    let (employee, candidates, other, named) = match &row.outcome {
        Outcome::Matched(e) | Outcome::Unchanged(e) => (Some(*e), vec![], None, None),
        Outcome::Linked(e) => (Some(*e), vec![], None, None),
        Outcome::New(e, from) => (Some(*e), vec![], None, Some(*from)),
        Outcome::Conflict(c) => (
            None,
            c.iter().map(|(id, n)| (*id, Some(n.clone()))).collect(),
            None,
            None,
        ),
        Outcome::SameSystem((id, n), other) => (
            None,
            vec![(*id, Some(n.clone()))],
            Some(other.clone()),
            None,
        ),
    };
    (
        outcome_str(&row.outcome),
        employee,
        candidates,
        other,
        named,
        row.name_kept,
    )
}

/// The engine's plan row in the same terms. The candidates of a link are left out: the
/// profile it ends on is compared.
fn engine_line(p: &roster::service::plan::PlanRow) -> PlanLine {
    let outcome = p.outcome.as_str();
    let candidates = if matches!(outcome, "conflict" | "same_system") {
        p.candidates
            .iter()
            .map(|c| (c.id, c.name.clone()))
            .collect()
    } else {
        vec![]
    };
    let named = p.named_from.map(|n| match n {
        NamedFrom::Name => "name",
        NamedFrom::Email => "email",
        NamedFrom::ExternalId => "external_id",
    });
    (
        outcome,
        p.employee_id,
        candidates,
        p.other_accounts.clone(),
        named,
        p.name_kept,
    )
}

/// The report's counts and conflicts as the model's rows give them.
fn expected_tally(system: &str, rows: &[Row], records: &[Rec]) -> String {
    let count = |f: &dyn Fn(&Row) -> bool| rows.iter().filter(|r| f(r)).count();
    let numbered = |f: &dyn Fn(&Row) -> bool| -> Vec<u64> {
        (1..)
            .zip(rows)
            .filter(|(_, r)| f(r))
            .map(|(n, _)| n)
            .collect()
    };
    let conflicts: Vec<String> = (1..)
        .zip(rows.iter().zip(records))
        .filter_map(|(n, (r, rec))| {
            let (kind, ids, other) = match &r.outcome {
                Outcome::Conflict(c) => ("conflict", c.iter().map(|x| x.0).collect(), None),
                Outcome::SameSystem((id, _), o) => ("same_system", vec![*id], Some(o.clone())),
                _ => return None,
            };
            Some(format!(
                "row {n} {} {:?} {kind} {ids:?} {other:?}",
                canonical_id(system, &rec.external_id),
                r.email
            ))
        })
        .collect();
    format!(
        "rows {} matched {} unchanged {} updated {} linked {} created {} names_kept {:?} from_email {:?} from_id {:?} conflicts {:#?}",
        rows.len(),
        count(&|r| matches!(r.outcome, Outcome::Matched(_) | Outcome::Unchanged(_))),
        count(&|r| matches!(r.outcome, Outcome::Unchanged(_))),
        count(&|r| r.profile_updated),
        count(&|r| matches!(r.outcome, Outcome::Linked(_))),
        count(&|r| matches!(r.outcome, Outcome::New(..))),
        numbered(&|r| r.name_kept),
        numbered(&|r| matches!(r.outcome, Outcome::New(_, "email"))),
        numbered(&|r| matches!(r.outcome, Outcome::New(_, "external_id"))),
        conflicts
    )
}

fn engine_tally(r: &ImportReport) -> String {
    let t = &r.tally;
    let conflicts: Vec<String> = t
        .conflicts
        .iter()
        .map(|c| {
            format!(
                "row {} {} {:?} {} {:?} {:?}",
                c.row,
                c.external_id,
                Some(&c.email),
                c.kind.as_str(),
                c.candidates,
                c.other_accounts
            )
        })
        .collect();
    format!(
        "rows {} matched {} unchanged {} updated {} linked {} created {} names_kept {:?} from_email {:?} from_id {:?} conflicts {:#?}",
        t.rows,
        t.matched,
        t.unchanged,
        t.profiles_updated,
        t.linked_by_email,
        t.created,
        t.names_kept,
        t.named_from_email,
        t.named_from_id,
        conflicts
    )
}

fn run(ops: &[Op], last: &File) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    let mut svc = Service::new(Store::open(&db).unwrap(), actor::current(Some("diff")));
    let db = rusqlite::Connection::open(&db).unwrap();
    let mut m = Model::default();
    let last = Op::Import(last.clone());
    let mut previous: Option<File> = None;
    for (n, op) in ops.iter().chain(std::iter::once(&last)).enumerate() {
        let file = match op {
            Op::Import(f) => Some(f.clone()),
            Op::Again(shift) => previous.as_ref().map(|f| shifted(f, *shift)),
            _ => None,
        };
        if matches!(op, Op::Import(_) | Op::Again(_)) {
            let Some(f) = file else { continue };
            let f = &f;
            previous = Some(f.clone());
            let system = SYSTEMS[f.system];
            let (text, records) = render(f);
            let path = dir.path().join(format!("import-{n}.csv"));
            std::fs::write(&path, &text).unwrap();

            let dry = import(&mut svc, &path, system, true);
            prop_assert_eq!(
                &engine_state(&db),
                &m.state.clone().sorted(),
                "step {}: the dry run of {} wrote something",
                n,
                text
            );
            let plan: Vec<PlanLine> = dry
                .plan
                .as_ref()
                .unwrap()
                .rows()
                .unwrap()
                .map(|p| engine_line(&p.unwrap()))
                .collect();
            let rows = m.import(system, &records);
            let expected: Vec<PlanLine> = rows.iter().map(expected_line).collect();
            for (i, (e, x)) in plan.iter().zip(&expected).enumerate() {
                prop_assert_eq!(
                    e,
                    x,
                    "step {}: row {} of this {} file (engine, model):\n{}",
                    n,
                    i + 1,
                    system,
                    text
                );
            }
            prop_assert_eq!(plan.len(), expected.len());
            let expected_tally = expected_tally(system, &rows, &records);
            prop_assert_eq!(&engine_tally(&dry), &expected_tally, "step {}: dry run", n);
            let real = import(&mut svc, &path, system, false);
            prop_assert_eq!(
                &engine_tally(&real),
                &expected_tally,
                "step {}: real run",
                n
            );
        } else {
            let Some((engine, model)) = act(&mut svc, &mut m, op) else {
                continue;
            };
            prop_assert_eq!(
                engine,
                model,
                "step {}: {:?}: engine did it: {}, model did it: {}",
                n,
                op,
                engine,
                model
            );
        }
        prop_assert_eq!(
            &engine_state(&db),
            &m.state.clone().sorted(),
            "step {}: after {:?} (engine, model)",
            n,
            op
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn the_engine_does_what_the_reference_model_does(
        ops in proptest::collection::vec(op(), 0..16),
        last in file(),
    ) {
        run(&ops, &last)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4096, ..ProptestConfig::default() })]

    /// The long run: `cargo test --test import differential -- --ignored`.
    #[test]
    #[ignore]
    fn the_engine_does_what_the_reference_model_does_long(
        ops in proptest::collection::vec(op(), 0..32),
        last in file(),
    ) {
        run(&ops, &last)?;
    }
}
