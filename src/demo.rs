//! `roster --demo`: a fresh temporary database filled by importing the exports in
//! `assets/demo/` through the real importer (they are built into the binary and written
//! next to the database, so the demo runs from anywhere).
//!
//! The story: Northwind imports its Salesforce users (a report export), then its HubSpot
//! owners (some of them the same people, emails in other letter case). The admin notices
//! that the HubSpot "Northwind Support" owner, which uses Lena Berg's address, was linked
//! to Lena, and moves it to a profile of its own. New profiles now wait for review
//! (`settings review manual`), and the Pipedrive users come in: people in two or three
//! systems, a few new ones in Pending, and Lena's account, whose email two profiles now
//! hold: a conflict. Last, a look for duplicates over the whole store suggests that
//! Lena and the support profile (same address) may be one person. The review inbox then
//! holds a conflict, a same-system shared email (two Salesforce users with one address),
//! a duplicate and the pending profiles.

use std::path::{Path, PathBuf};

use crate::domain::model::{ConnKey, Review};
use crate::error::Error;
use crate::service::import::{ImportReport, ImportRequest};
use crate::service::{Service, actor};
use crate::store::Store;

/// The demo exports, in the order they are imported.
pub const FILES: [(&str, &str, &[u8]); 3] = [
    (
        "salesforce.csv",
        "salesforce",
        include_bytes!("../assets/demo/salesforce.csv"),
    ),
    (
        "hubspot.json",
        "hubspot",
        include_bytes!("../assets/demo/hubspot.json"),
    ),
    (
        "pipedrive.json",
        "pipedrive",
        include_bytes!("../assets/demo/pipedrive.json"),
    ),
];

/// The HubSpot owner the demo moves to its own profile.
const SUPPORT_OWNER: &str = "41000120";

pub struct Demo {
    pub path: PathBuf,
    pub reports: Vec<ImportReport>,
    /// What the demo did besides importing, in sentences.
    pub actions: Vec<String>,
}

fn fresh_dir() -> Result<PathBuf, Error> {
    use std::os::unix::fs::DirBuilderExt;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let dir = std::env::temp_dir().join(format!("roster-demo-{}-{nanos}", std::process::id()));
    std::fs::DirBuilder::new()
        .mode(0o700)
        .create(&dir)
        .map_err(|e| Error::Io(format!("Cannot create {}: {e}.", dir.display())))?;
    Ok(dir)
}

/// Creates the demo database in a new temporary folder.
pub fn create_with_reports() -> Result<Demo, Error> {
    let dir = fresh_dir()?;
    build(&dir)
}

/// Fills a new database in `dir` (which must not hold one yet).
pub fn build(dir: &Path) -> Result<Demo, Error> {
    let path = dir.join("roster.db");
    let mut svc = Service::new(Store::open(&path)?, actor::current(Some("demo")));
    let mut reports = Vec::new();
    let mut actions = Vec::new();
    for (name, system, bytes) in FILES {
        let file = dir.join(name);
        std::fs::write(&file, bytes)
            .map_err(|e| Error::Io(format!("Cannot write {}: {e}.", file.display())))?;
        if system == "pipedrive" {
            let key = ConnKey::new("hubspot", SUPPORT_OWNER);
            let lena = svc.resolve(&key.to_string())?;
            let (_, done) = svc.move_to_new(lena, &key, None)?;
            actions.push(done.summary);
            if let Some(done) = svc.set_review(Review::Manual)? {
                actions.push(done.summary);
            }
        }
        let mut req = ImportRequest::new(&file, system);
        req.allow_mass_create = true;
        reports.push(svc.import(&req, &mut |_| {})?);
    }
    // The moved support owner kept Lena's address: the whole-store scan suggests the
    // two profiles may be one person, so the inbox holds an item of each kind.
    let scan = svc.rescan()?;
    actions.push(format!(
        "Looked for duplicates over the store: {} suggestion{} raised.",
        scan.counts.raised,
        if scan.counts.raised == 1 { "" } else { "s" }
    ));
    Ok(Demo {
        path,
        reports,
        actions,
    })
}
