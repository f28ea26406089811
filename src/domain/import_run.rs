//! One import run as the history shows it (`roster imports`, the pane's Created line).

use serde::Serialize;

use super::system::display_name;

/// One import run (`roster imports --json`: one of these per run).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportRun {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub system: String,
    pub file: String,
    pub preset: Option<String>,
    pub rows: i64,
    pub matched: i64,
    pub unchanged: i64,
    pub profiles_updated: i64,
    pub linked_by_email: i64,
    pub created: i64,
    pub conflicts: i64,
    /// The audit entry of the import (what `roster undo --id` takes).
    pub audit_id: Option<i64>,
    /// The audit entry that undid it, when it was undone.
    pub undone_by: Option<i64>,
}

impl ImportRun {
    /// "HubSpot import #4 of owners.json by alice" (the file's name without its folder:
    /// `roster imports` gives the whole path).
    pub fn label(&self) -> String {
        let file = std::path::Path::new(&self.file)
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.file.clone());
        format!(
            "{} import #{} of {file} by {}",
            display_name(&self.system),
            self.id,
            self.actor
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_is_named_by_its_system_number_file_name_and_actor() {
        let run = |file: &str| ImportRun {
            id: 4,
            at: "2026-01-01T00:00:00Z".into(),
            actor: "alice".into(),
            system: "hubspot".into(),
            file: file.into(),
            preset: None,
            rows: 0,
            matched: 0,
            unchanged: 0,
            profiles_updated: 0,
            linked_by_email: 0,
            created: 0,
            conflicts: 0,
            audit_id: None,
            undone_by: None,
        };
        assert_eq!(
            run("/home/alice/exports/owners.json").label(),
            "HubSpot import #4 of owners.json by alice"
        );
        assert_eq!(run("-").label(), "HubSpot import #4 of - by alice");
    }
}
