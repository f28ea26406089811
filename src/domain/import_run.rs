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
