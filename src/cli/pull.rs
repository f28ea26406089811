//! `roster pull SOURCE | --all`: runs the service's pull and prints its report, the
//! import's report with the pages it came in (README "Pulling from the systems").

use serde::Serialize;
use std::io::Write;

use super::Output;
use super::import::{JsonReport, write_human};
use super::progress::Bar;
use crate::domain::sanitize::{escape_for_text, sanitize};
use crate::error::Error;
use crate::service::Service;
use crate::service::pull::{PullReport, PullRequest};

pub struct Args {
    /// None: every configured source.
    pub source: Option<String>,
    pub dry_run: bool,
    pub allow_mass_create: bool,
    pub json: bool,
    /// No progress bar (--quiet).
    pub quiet: bool,
}

#[derive(Serialize)]
struct JsonPull<'a> {
    source: &'a str,
    endpoint: &'a str,
    pages: u64,
    retries: u32,
    #[serde(flatten)]
    report: JsonReport<'a>,
}

fn json_of(r: &PullReport) -> JsonPull<'_> {
    JsonPull {
        source: &r.source,
        endpoint: &r.endpoint,
        pages: r.pages,
        retries: r.retries,
        report: JsonReport::of(&r.import),
    }
}

fn pull_one(svc: &mut Service, name: &str, a: &Args) -> Result<PullReport, Error> {
    let req = PullRequest {
        source: name.to_owned(),
        dry_run: a.dry_run,
        allow_mass_create: a.allow_mass_create,
    };
    let mut bar = Bar::new(&format!("pulling {name}"), a.quiet || a.json);
    let result = svc.pull(&req, &mut |p| bar.update(p));
    bar.finish();
    result
}

fn write_report(r: &PullReport, w: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        w,
        "Pulled the source {} ({} page{}{}).",
        sanitize(&r.source),
        r.pages,
        if r.pages == 1 { "" } else { "s" },
        match r.retries {
            0 => String::new(),
            1 => ", 1 request tried again".to_owned(),
            n => format!(", {n} requests tried again"),
        }
    )?;
    write_human(&r.import, w)
}

pub fn run(svc: &mut Service, a: Args) -> Result<Output, Error> {
    if let Some(name) = a.source.clone() {
        let report = pull_one(svc, &name, &a)?;
        let json = a.json;
        return Ok(Output::Stream(Box::new(move |w| {
            if json {
                super::json::write_pretty(&mut *w, &json_of(&report))?;
                w.write_all(b"\n")
            } else {
                write_report(&report, w)
            }
        })));
    }
    let names = svc.source_names();
    if names.is_empty() {
        return Err(Error::Invalid(
            "roster.toml configures no source to pull from; add a [sources.NAME] table (README \"Pulling from the systems\").".into(),
        ));
    }
    let mut done = Vec::new();
    let mut failed: Vec<(String, Error)> = Vec::new();
    for name in &names {
        match pull_one(svc, name, &a) {
            Ok(r) => done.push(r),
            Err(e) => {
                // Said at once, so that a long run shows it when it happens.
                let _ = writeln!(
                    std::io::stderr(),
                    "roster: {}",
                    crate::domain::sanitize::sanitize_lines(&e.to_string())
                );
                failed.push((name.clone(), e));
            }
        }
    }
    let out = if a.json {
        let mut all: Vec<serde_json::Value> = Vec::new();
        for r in &done {
            all.push(serde_json::to_value(json_of(r))?);
        }
        for (name, e) in &failed {
            all.push(serde_json::json!({
                "source": name,
                "error": e.to_string(),
                "exit": e.exit_code(),
            }));
        }
        Output::Json(serde_json::Value::Array(all))
    } else {
        let mut text = Vec::new();
        for (i, r) in done.iter().enumerate() {
            if i > 0 {
                text.push(b'\n');
            }
            write_report(r, &mut text).map_err(|e| Error::Io(e.to_string()))?;
        }
        Output::Text(String::from_utf8_lossy(&text).into_owned())
    };
    if failed.is_empty() {
        return Ok(out);
    }
    out.print()?;
    let names: Vec<String> = failed.iter().map(|(n, _)| escape_for_text(n)).collect();
    let message = format!(
        "{} of {} sources failed: {}; nothing of {} was written (the others were pulled).",
        failed.len(),
        names.len() + done.len(),
        names.join(", "),
        if failed.len() == 1 { "it" } else { "them" }
    );
    // 2 only when every failure was the config's or a token's (exit status 2).
    Err(if failed.iter().all(|(_, e)| e.exit_code() == 2) {
        Error::Invalid(message)
    } else {
        Error::Io(message)
    })
}
