//! `roster undo [--id N] [--yes]`: says what it will take back and whose action it is,
//! then asks (on a terminal) or needs `--yes`; without `--id` it takes back only the
//! admin's own most recent action (README "The command line").

use serde_json::json;
use std::io::{BufRead, IsTerminal, Write};

use super::Output;
use crate::domain::audit::Entry;
use crate::domain::sanitize::sanitize;
use crate::error::Error;
use crate::service::Service;

/// "#12 “Edited the name of Lena Berg (#6).” (bob, 2026-03-01T09:30:00.000Z)"
pub fn describe(e: &Entry) -> String {
    format!(
        "#{} \u{201c}{}\u{201d} ({}, {})",
        e.id,
        sanitize(&e.summary),
        sanitize(&e.who()),
        e.at
    )
}

pub fn run(svc: &mut Service, id: Option<i64>, yes: bool, json: bool) -> Result<Output, Error> {
    let entry = svc.undo_target(id)?;
    let me = svc.actor();
    let mine = entry.actor == me.name && entry.os_user == me.os_user;
    if yes && id.is_none() && !mine {
        return Err(Error::Refused(format!(
            "Nothing was undone: the most recent action that can be undone is {}'s, not yours: #{} \u{201c}{}\u{201d} at {}. To take it back, name it: roster undo --id {} --yes",
            sanitize(&entry.who()),
            entry.id,
            sanitize(&entry.summary),
            entry.at,
            entry.id
        )));
    }
    if !yes {
        match ask(&entry)? {
            Answer::Yes => {}
            // The admin said no: the way to say yes without a terminal is beside the point.
            Answer::No => {
                return Err(Error::Refused(format!(
                    "Nothing was undone: you answered no to undoing {}.",
                    describe(&entry)
                )));
            }
            Answer::NoTerminal => {
                return Err(Error::Refused(format!(
                    "Nothing was undone. Undoing {} needs --yes (or an answer y on a terminal).",
                    describe(&entry)
                )));
            }
        }
    }
    // The entry asked about, and no other: a newer one landed meanwhile is refused.
    let done = match id {
        Some(id) => svc.undo_entry(Some(id), None)?,
        None => svc.undo_entry(None, Some(entry.id))?,
    };
    Ok(if json {
        Output::Json(json!({
            "summary": done.summary,
            "audit_id": done.audit_id,
            "undone": super::json::log_entry(&entry),
        }))
    } else {
        Output::Text(format!("{} (entry #{})\n", done.summary, entry.id))
    })
}

enum Answer {
    Yes,
    No,
    /// A script: nobody to ask.
    NoTerminal,
}

/// Asks on the terminal; without one (a script) nothing is asked.
fn ask(entry: &Entry) -> Result<Answer, Error> {
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return Ok(Answer::NoTerminal);
    }
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "Undo {}? [y/N] ", describe(entry));
    let _ = err.flush();
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| Error::Io(format!("Cannot read the answer: {e}.")))?;
    Ok(if matches!(line.trim(), "y" | "Y" | "yes") {
        Answer::Yes
    } else {
        Answer::No
    })
}
