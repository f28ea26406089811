//! The command line: parses nothing itself (clap does), calls one service function per
//! command, prints the result as text or JSON.

pub mod args;
pub mod docs_gen;
pub mod export;
pub mod gen_cmd;
mod help_text;
pub mod human;
pub mod import;
pub mod imports;
pub mod json;
pub mod log;
pub mod progress;
pub mod pull;
pub mod review;
pub mod table;
pub mod undo;

use serde_json::{Value, json};
use std::io::Write;

use crate::domain::actions::{Edit, ManualConnection, NewEmployee, StatusChange};
use crate::domain::listing::{Page, View};
use crate::error::Error;
use crate::service::{Done, Expect, Service};
use args::{Command, Setting};

/// Writes a command's output piece by piece.
pub type WriteOut = Box<dyn Fn(&mut dyn Write) -> std::io::Result<()>>;

/// What a command prints on success.
pub enum Output {
    Text(String),
    Bytes(Vec<u8>),
    Json(Value),
    /// Written piece by piece (a million-row import plan is never held as one string).
    Stream(WriteOut),
}

impl Output {
    fn either(json: bool, j: impl FnOnce() -> Value, t: impl FnOnce() -> String) -> Output {
        if json {
            Output::Json(j())
        } else {
            Output::Text(t())
        }
    }

    /// Writes to stdout; a closed pipe (`roster list | head`) is not an error.
    pub fn print(&self) -> Result<(), Error> {
        let mut out = std::io::stdout().lock();
        let result = match self {
            Output::Text(t) => out.write_all(t.as_bytes()),
            Output::Bytes(b) => out.write_all(b),
            Output::Json(v) => json::write_pretty(&mut out, v).and_then(|_| out.write_all(b"\n")),
            Output::Stream(f) => {
                let mut buffered = std::io::BufWriter::new(&mut out);
                f(&mut buffered).and_then(|_| buffered.flush())
            }
        };
        match result.and_then(|_| out.flush()) {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                Err(Error::Io(format!("Cannot write the output: {e}.")))
            }
            _ => Ok(()),
        }
    }
}

/// The result of an action on one employee: the summary line; in JSON also the profile
/// as it is now (read only then).
fn action_result(svc: &mut Service, json: bool, done: &Done, id: i64) -> Result<Output, Error> {
    if !json {
        return Ok(Output::Text(format!("{}\n", done.summary)));
    }
    let p = svc.profile(id)?;
    Ok(Output::Json(
        json!({ "summary": done.summary, "audit_id": done.audit_id, "changed": true, "employee": json::employee(&p) }),
    ))
}

/// The result of an action that may find its target already as asked: then it says
/// so and succeeds (exit 0), with `"changed": false` in JSON.
fn acted(
    svc: &mut Service,
    json: bool,
    result: Result<Done, Error>,
    id: i64,
) -> Result<Output, Error> {
    match result {
        Ok(done) => action_result(svc, json, &done, id),
        Err(Error::Unchanged(msg)) if json => {
            let p = svc.profile(id)?;
            Ok(Output::Json(
                json!({ "summary": msg, "audit_id": null, "changed": false, "employee": json::employee(&p) }),
            ))
        }
        Err(Error::Unchanged(msg)) => Ok(Output::Text(format!("{msg}\n"))),
        Err(e) => Err(e),
    }
}

/// Runs one command (not the app).
pub fn run(svc: &mut Service, command: Command) -> Result<Output, Error> {
    if command.changes() {
        svc.writable()?;
    }
    match command {
        Command::Completions { .. } | Command::Man => Err(Error::Invalid(
            "completions and man run before a store is opened; see main.rs.".into(),
        )),
        Command::Setup { .. } => Err(Error::Invalid(
            "setup runs before a store is opened; call cli::setup.".into(),
        )),
        Command::Backup { path } => {
            let bytes = svc.backup(&path)?;
            Ok(Output::Text(format!(
                "Backed up {} to {} ({bytes} bytes, integrity ok).\n",
                crate::domain::sanitize::path(svc.store().path()),
                crate::domain::sanitize::path(&path)
            )))
        }
        Command::Check { fix, json } => {
            let findings = svc.check(fix)?;
            let out = Output::either(
                json,
                || json!({ "ok": findings.is_empty(), "problems": findings }),
                || {
                    if findings.is_empty() {
                        "ok: integrity check passed and every invariant holds.\n".to_owned()
                    } else {
                        findings
                            .iter()
                            .map(|f| {
                                format!(
                                    "{}: {}\n",
                                    f.check,
                                    crate::domain::sanitize::sanitize(&f.detail)
                                )
                            })
                            .collect()
                    }
                },
            );
            if findings.is_empty() {
                Ok(out)
            } else {
                out.print()?;
                Err(Error::CheckFailed(format!(
                    "The check found {} problem{}{}.",
                    findings.len(),
                    if findings.len() == 1 { "" } else { "s" },
                    if findings.iter().any(|f| f.fixable) {
                        "; `roster check --fix` repairs the derived ones"
                    } else {
                        ""
                    }
                )))
            }
        }
        Command::List {
            tab,
            supplier,
            filter,
            limit,
            json,
        } => {
            // The table shows "HubSpot"; the key is "hubspot". Either names it.
            let supplier = supplier.map(|s| s.trim().to_lowercase());
            if let Some(s) = &supplier {
                svc.check_supplier(s)?;
            }
            let view = View {
                tab,
                supplier,
                text: filter,
                narrow: Default::default(),
                sort: Default::default(),
            };
            let mut rows = Vec::new();
            let mut page = Page::First;
            let want = limit.unwrap_or(usize::MAX);
            while rows.len() < want {
                let batch = svc.page(&view, &page, (want - rows.len()).min(1000))?;
                let Some(last) = batch.last() else { break };
                page = Page::After(last.key());
                rows.extend(batch);
            }
            if tab == crate::domain::listing::Tab::Pending {
                // Where each pending profile came from: the import that created it.
                let spans = svc.created_spans()?;
                let run = |id| crate::service::imports::span_of(&spans, id);
                return Ok(Output::either(
                    json,
                    || {
                        Value::Array(
                            rows.iter()
                                .map(|r| {
                                    let mut v = json::list_row(r);
                                    v["import_run"] = run(r.id).map(|s| s.run).into();
                                    v
                                })
                                .collect(),
                        )
                    },
                    || human::list_pending(&rows, &run),
                ));
            }
            Ok(Output::either(
                json,
                || Value::Array(rows.iter().map(json::list_row).collect()),
                || human::list(&rows),
            ))
        }
        Command::Show { emp, json } => {
            let id = svc.resolve(&emp)?;
            let p = svc.profile(id)?;
            let blocks = svc.blocks(id)?;
            let origin = svc.created_by_import(id)?;
            Ok(Output::either(
                json,
                || {
                    let mut v = json::employee(&p);
                    v["blocks"] = serde_json::to_value(&blocks).unwrap_or_default();
                    v["created_by_import"] = serde_json::to_value(&origin).unwrap_or_default();
                    v
                },
                || human::profile_from(&p, origin.as_ref()) + &human::blocks(id, &blocks),
            ))
        }
        Command::New {
            name,
            email,
            login,
            json,
        } => {
            let holders = match &email {
                Some(m) => svc.email_holders(m, None)?,
                None => Vec::new(),
            };
            let (id, done) = svc.new_employee(&NewEmployee {
                name,
                email,
                login_access: login.into(),
            })?;
            let p = svc.profile(id)?;
            let note = if holders.is_empty() {
                String::new()
            } else {
                format!(
                    "Note: {} holds this email too; imports that match by email will find both profiles (a conflict for review).\n",
                    holders.join(", ")
                )
            };
            Ok(Output::either(
                json,
                || json::employee(&p),
                || format!("{}\n{note}\n{}", done.summary, human::profile(&p)),
            ))
        }
        Command::Connect {
            emp,
            system,
            external_id,
            email,
            name,
            json,
        } => {
            let id = svc.resolve(&emp)?;
            let done = svc.connect(
                id,
                &ManualConnection {
                    system,
                    external_id,
                    email,
                    name,
                },
                None,
            )?;
            action_result(svc, json, &done, id)
        }
        Command::Manage { emp, conn, json } => {
            let id = svc.resolve(&emp)?;
            let key = svc.connection_key(id, &conn.system, conn.external_id.as_deref())?;
            let done = svc.manage(id, &key, None);
            acted(svc, json, done, id)
        }
        Command::Unmanage { emp, json } => {
            let id = svc.resolve(&emp)?;
            let done = svc.unmanage(id, None);
            acted(svc, json, done, id)
        }
        Command::Move { emp, conn, json } => {
            let id = svc.resolve(&emp)?;
            let key = svc.connection_key(id, &conn.system, conn.external_id.as_deref())?;
            let (new_id, done) = svc.move_to_new(id, &key, None)?;
            let original = svc.profile(id)?;
            let new = svc.profile(new_id)?;
            Ok(Output::either(
                json,
                || {
                    json!({
                        "summary": done.summary,
                        "audit_id": done.audit_id,
                        "employee": json::employee(&original),
                        "new_employee": json::employee(&new),
                    })
                },
                || format!("{}\n\n{}", done.summary, human::profile(&new)),
            ))
        }
        Command::Remove {
            emp,
            conn,
            block,
            json,
        } => {
            let id = svc.resolve(&emp)?;
            let key = svc.connection_key(id, &conn.system, conn.external_id.as_deref())?;
            let next = svc.predict_after_remove(id, &key, block)?;
            let done = svc.remove(id, &key, block, None)?;
            let p = svc.profile(id)?;
            Ok(Output::either(
                json,
                || {
                    json!({
                        "summary": done.summary,
                        "audit_id": done.audit_id,
                        "employee": json::employee(&p),
                        "next_import": next,
                    })
                },
                || {
                    format!(
                        "{}\n{}\n",
                        done.summary,
                        // The profile held this connection and `p`'s: Move needs two.
                        human::next_import(&key.system, &next, !p.connections.is_empty())
                    )
                },
            ))
        }
        Command::Merge {
            keep,
            other,
            yes,
            json,
        } => {
            let keep = svc.resolve(&keep)?;
            let other = svc.resolve(&other)?;
            let preview = svc.merge_preview(keep, other)?;
            if !yes {
                return Ok(Output::either(
                    json,
                    || {
                        json!({
                            "preview": true,
                            "keep": json::employee(&preview.keep),
                            "other": json::employee(&preview.other),
                            "result": json::employee(&preview.result),
                            "management": human::merge_management(&preview),
                        })
                    },
                    || {
                        format!(
                            "{}\nNothing was changed. Run again with --yes to merge.\n",
                            human::merge_preview(&preview)
                        )
                    },
                ));
            }
            // The merge applies only if neither profile changed since the preview was read.
            let expect = [
                Expect {
                    id: keep,
                    version: preview.keep.employee.version,
                },
                Expect {
                    id: other,
                    version: preview.other.employee.version,
                },
            ];
            let done = svc.merge(keep, other, &expect)?;
            action_result(svc, json, &done, keep)
        }
        Command::Edit {
            emp,
            name,
            email,
            login,
            picture_url,
            json,
        } => {
            if name.is_none() && email.is_none() && login.is_none() && picture_url.is_none() {
                return Err(Error::Invalid(
                    "Nothing to edit: give --name, --email, --login or --picture-url.".into(),
                ));
            }
            let id = svc.resolve(&emp)?;
            let done = svc.edit(
                id,
                &Edit {
                    name,
                    email,
                    picture_url,
                    login_access: login.map(Into::into),
                },
                None,
            );
            acted(svc, json, done, id)
        }
        Command::Activate { emp, json } => status(svc, &emp, StatusChange::Activate, json),
        Command::Deactivate { emp, json } => status(svc, &emp, StatusChange::Deactivate, json),
        Command::Discard { emp, json } => status(svc, &emp, StatusChange::Discard, json),
        Command::Undo { id, yes, json } => undo::run(svc, id, yes, json),
        Command::Unblock {
            emp,
            system,
            external_id,
            json,
        } => {
            let id = svc.resolve(&emp)?;
            let done = svc.unblock(id, &system, external_id.as_deref(), None);
            acted(svc, json, done, id)
        }
        Command::Log {
            emp,
            by,
            action,
            since,
            limit,
            json,
        } => {
            let filter = crate::domain::audit::LogFilter {
                employee: emp.map(|e| svc.resolve(&e)).transpose()?,
                by: by.map(|b| b.trim().to_owned()),
                action: action
                    .map(|a| log::action(&a, &svc.log_actions()?))
                    .transpose()?,
                since: since
                    .map(|t| log::since(&t, chrono::Utc::now()))
                    .transpose()?,
            };
            let entries = svc.log(&filter, limit)?;
            Ok(Output::either(
                json,
                || Value::Array(entries.iter().map(json::log_entry).collect()),
                || human::log(&entries),
            ))
        }
        Command::Imports { id, limit, json } => imports::run(svc, id, limit, json),
        Command::Import {
            file,
            system,
            format,
            preset,
            map,
            dry_run,
            allow_mass_create,
            new_system,
            json,
            quiet,
        } => import::run(
            svc,
            import::Args {
                file,
                system,
                format,
                preset,
                map,
                dry_run,
                allow_mass_create,
                new_system,
                json,
                quiet,
            },
        ),
        Command::Pull {
            source,
            all,
            dry_run,
            allow_mass_create,
            json,
            quiet,
        } => pull::run(
            svc,
            pull::Args {
                source: if all { None } else { source },
                dry_run,
                allow_mass_create,
                json,
                quiet,
            },
        ),
        Command::Gen {
            employees,
            out,
            seed,
        } => gen_cmd::run(employees, &out, seed),
        Command::Export {
            tab,
            format,
            connections,
        } => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            export::run(svc, tab, format, connections, &mut out)?;
            match out.flush() {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(Error::Io(format!("Cannot write the export: {e}.")))
                }
                _ => Ok(Output::Text(String::new())),
            }
        }
        Command::Review {
            action,
            kind,
            rescan,
            limit,
            json,
        } => review::run(
            svc,
            review::Args {
                action,
                kind,
                rescan,
                limit,
                json,
            },
        ),
        Command::Settings {
            setting: Setting::Review { value },
        } => match value {
            None => Ok(Output::Text(format!("review {}\n", svc.review()?.as_str()))),
            Some(review) => Ok(Output::Text(match svc.set_review(review)? {
                Some(done) => format!("{}\n", done.summary),
                None => format!(
                    "Review of new imported profiles is already {}; nothing was changed.\n",
                    review.as_str()
                ),
            })),
        },
    }
}

/// `roster setup --shared DIR --group GROUP [--config PATH]`.
pub fn setup(
    shared: &std::path::Path,
    group: &str,
    config: Option<&std::path::Path>,
    actor: crate::domain::audit::Actor,
) -> Result<Output, Error> {
    use crate::domain::sanitize::path as shown;
    let req = crate::service::setup::Shared {
        dir: shared.to_owned(),
        group: group.to_owned(),
        config: config
            .map(std::path::Path::to_owned)
            .unwrap_or_else(|| crate::config::SYSTEM_CONFIG.into()),
    };
    let done = crate::service::setup::setup(&req, actor)?;
    let g = crate::users::group_name(done.gid);
    let c = shown(&done.config);
    Ok(Output::Text(format!(
        "Shared store ready: {db}\n\
         \x20 folder {dir}: group {g}, mode 2770 (setgid: what members create there stays the group's)\n\
         \x20 the store, its -wal and -shm, backups and notes: mode 660, group {g}; no world bits\n\
         \x20 system config: {note} (every user's plain `roster` opens it)\n\
         Add an admin:  sudo usermod -aG {g} NAME  (they log in again)\n\
         Add a viewer:  add NAME to viewers in {c} (and to group {g}, to read the store)\n\
         Check it:      roster check\n",
        db = shown(&done.db),
        dir = shown(&done.dir),
        note = done.config_note,
    )))
}

/// What `roster --demo` prints until the app opens on the demo database.
pub fn demo_summary(demo: &crate::demo::Demo) -> Output {
    let mut out = String::from("Built a demo database by importing Northwind's exports:\n");
    for r in &demo.reports {
        let t = &r.tally;
        out.push_str(&format!(
            "  {:<15} {:>4} rows: {} created, {} linked by email, {} conflict{}\n",
            crate::domain::system::display_name(&r.system),
            t.rows,
            t.created,
            t.linked_by_email,
            t.conflicts.len(),
            if t.conflicts.len() == 1 { "" } else { "s" }
        ));
    }
    for a in &demo.actions {
        out.push_str(&format!("  {a}\n"));
    }
    out.push_str(&format!(
        "\nThe database is {}; try:\n  roster --db {} list --tab pending\n",
        demo.path.display(),
        demo.path.display()
    ));
    Output::Text(out)
}

/// `activate|deactivate|discard EMP…`: every selector is resolved first (a bad one
/// changes nothing); then each profile is its own action. One that fails stops the run:
/// what was done is printed, and the error says how far it got.
fn status(
    svc: &mut Service,
    emps: &[String],
    change: StatusChange,
    json: bool,
) -> Result<Output, Error> {
    let mut selectors = Vec::new();
    for e in emps {
        if e == "-" {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut text).map_err(|err| {
                Error::Io(format!("Cannot read the employees from stdin: {err}."))
            })?;
            selectors.extend(text.split_whitespace().map(str::to_owned));
        } else {
            selectors.push(e.clone());
        }
    }
    if selectors.is_empty() {
        return Err(Error::Invalid(
            "No employee given (stdin held none).".into(),
        ));
    }
    let ids = selectors
        .iter()
        .map(|s| svc.resolve(s))
        .collect::<Result<Vec<_>, _>>()?;
    if let [id] = ids[..] {
        let done = svc.change_status(id, change, None);
        return acted(svc, json, done, id);
    }
    let mut lines = String::new();
    let mut items = Vec::new();
    for (n, id) in ids.iter().enumerate() {
        let (summary, audit_id, changed) = match svc.change_status(*id, change, None) {
            Ok(done) => (done.summary, Some(done.audit_id), true),
            Err(Error::Unchanged(msg)) => (msg, None, false),
            Err(e) => {
                let partial =
                    Output::either(json, || Value::Array(items.clone()), || lines.clone());
                partial.print()?;
                let far = format!("({n} of {} done before it; the rest not tried.)", ids.len());
                return Err(match e {
                    Error::Stale(m) => Error::Stale(format!("{m} {far}")),
                    Error::Busy(m) => Error::Busy(format!("{m} {far}")),
                    Error::Refused(m) | Error::Invalid(m) | Error::NotFound(m) => {
                        Error::Refused(format!("{m} {far}"))
                    }
                    e => e,
                });
            }
        };
        lines.push_str(&summary);
        lines.push('\n');
        items.push(
            json!({ "id": id, "summary": summary, "audit_id": audit_id, "changed": changed }),
        );
    }
    Ok(Output::either(json, || Value::Array(items), || lines))
}
