//! Pulling from the app (`p`): a form naming the source (one of roster.toml's), then the
//! same path as an import from a file (`import.rs`): the dry run on a thread with its
//! progress, the plan in a dialog with Cancel selected, the pull itself once confirmed,
//! its report on the status line. The service's pull does the work (docs/pull.md).

use crate::domain::sanitize::sanitize;
use crate::error::Error;
use crate::service::Service;
use crate::service::import::ImportRequest;
use crate::service::pull::PullRequest;
use crate::tui::action::Action;
use crate::tui::form::{FieldId, Form, FormField, Purpose};
use crate::tui::keymap::{Scope, key};
use crate::tui::state::{ImportFlow, ImportStage, State};

/// `p`: the form, naming the last source pulled (or the first configured).
pub fn open_form(state: &mut State, svc: &Service) {
    if state.import.as_ref().is_some_and(ImportFlow::busy) {
        state.info("An import is running; its progress is on this line.");
        return;
    }
    let names = svc.source_names();
    if names.is_empty() {
        state.error(
            "No source to pull from: add a [sources.NAME] table to roster.toml (README \"Pulling from the systems\").",
        );
        return;
    }
    let last = state
        .import
        .as_ref()
        .and_then(|f| f.source.clone())
        .filter(|s| names.contains(s))
        .unwrap_or_else(|| names[0].clone());
    state.popup = Some(crate::tui::state::Popup::Form(
        Form::new(
            Purpose::Pull,
            "Pull from a system",
            vec![FormField::text(FieldId::Source, &last)],
        )
        .with_note(Some(format!(
            "Source: one of {} (roster.toml). {} runs a dry run first; nothing is written until you confirm its plan.",
            sanitize(&names.join(", ")),
            key(Scope::Form, Action::Save)
        ))),
    ));
}

/// Enter in the form: the dry run of that source is asked for.
pub fn save(state: &mut State, svc: &Service, form: &Form) {
    let name = form.text(FieldId::Source).trim().to_owned();
    let names = svc.source_names();
    if !names.contains(&name) {
        state.error(format!(
            "No source {} is configured; roster.toml has {}.",
            sanitize(&name),
            sanitize(&names.join(", "))
        ));
        return;
    }
    state.popup = None;
    state.progress = Some(format!(
        "dry run of the source {}: starting…",
        sanitize(&name)
    ));
    let mut request = ImportRequest::new(format!("the source {name}"), &name);
    request.dry_run = true;
    state.import = Some(ImportFlow {
        request,
        stage: ImportStage::Asked,
        source: Some(name),
    });
}

/// The pull a flow asks for, run on the import's thread: its report is the import's.
pub fn run(
    svc: &mut Service,
    source: &str,
    request: &ImportRequest,
    progress: &mut dyn FnMut(&crate::service::import::Progress),
) -> Result<crate::service::import::ImportReport, Error> {
    svc.pull(
        &PullRequest {
            source: source.to_owned(),
            dry_run: request.dry_run,
            allow_mass_create: request.allow_mass_create,
        },
        progress,
    )
    .map(|r| r.import)
}

/// A pull's report in one sentence, for the status line, in the words of the README
/// glossary: the source, the system its accounts come from, the counts.
pub fn summary(source: &str, r: &crate::service::import::ImportReport) -> String {
    format!(
        "Pulled the source {} ({}): {}.",
        sanitize(source),
        sanitize(&crate::domain::system::display_name(&r.system)),
        crate::tui::import::counts(r, "account")
    )
}
