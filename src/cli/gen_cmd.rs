//! `roster gen`: writes the synthetic export files and says how to import them.

use std::os::unix::fs::DirBuilderExt;
use std::path::Path;

use super::Output;
use crate::error::Error;

pub fn run(employees: u64, out: &Path, seed: u64) -> Result<Output, Error> {
    // A folder that cannot be made is a bad --out (exit 2), not a failure while writing;
    // a new one is owner-only like the files.
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(out)
        .map_err(|e| {
            Error::Invalid(format!(
                "Cannot use {} as the folder for the files: {}.",
                crate::domain::sanitize::path(out),
                crate::import::io_reason(&e)
            ))
        })?;
    let written = crate::synth::generate(employees, out, seed)?;
    let mut text = format!(
        "Wrote synthetic exports for {employees} people (seed {seed}) to {}:\n",
        crate::domain::sanitize::path(out)
    );
    for (path, rows, system) in &written.files {
        text.push_str(&format!(
            "  {:>9} {}  roster import {} --system {system} --allow-mass-create\n",
            rows,
            if *rows == 1 { "row " } else { "rows" },
            crate::domain::sanitize::path(path)
        ));
    }
    Ok(Output::Text(text))
}
