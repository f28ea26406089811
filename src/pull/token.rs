//! The token of a source, read when a pull starts: from an environment variable or from
//! a file only its owner can read. It is never shown: `Debug` hides it and every
//! message the pull makes is scrubbed of it (`redact::scrub`).

use std::os::unix::fs::MetadataExt;

use super::source::{Source, TokenFrom};
use crate::domain::sanitize::{escape_for_text, path as shown};
use crate::error::Error;

#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(***)")
    }
}

impl Token {
    pub fn secret(&self) -> &str {
        &self.0
    }

    /// Reads the token of `source`.
    pub fn read(source: &Source) -> Result<Token, Error> {
        let name = escape_for_text(&source.name);
        let text = match &source.token {
            TokenFrom::Env(var) => match std::env::var(var) {
                Ok(v) => v,
                Err(std::env::VarError::NotPresent) => {
                    return Err(Error::Invalid(format!(
                        "The source {name} takes its token from the environment variable {}, which is not set; export it (or use token_file).",
                        escape_for_text(var)
                    )));
                }
                Err(std::env::VarError::NotUnicode(_)) => {
                    return Err(Error::Invalid(format!(
                        "The environment variable {} (the token of the source {name}) is not text.",
                        escape_for_text(var)
                    )));
                }
            },
            TokenFrom::File(path) => {
                let meta = std::fs::metadata(path).map_err(|e| {
                    Error::Invalid(format!(
                        "Cannot read the token file {} of the source {name}: {}.",
                        shown(path),
                        crate::import::io_reason(&e)
                    ))
                })?;
                if meta.mode() & 0o077 != 0 {
                    return Err(Error::Invalid(format!(
                        "The token file {} of the source {name} can be read by others (mode {:o}); make it owner-only: chmod 600 {}.",
                        shown(path),
                        meta.mode() & 0o777,
                        shown(path)
                    )));
                }
                std::fs::read_to_string(path).map_err(|e| {
                    Error::Invalid(format!(
                        "Cannot read the token file {} of the source {name}: {}.",
                        shown(path),
                        crate::import::io_reason(&e)
                    ))
                })?
            }
        };
        let token = text.trim();
        let place = match &source.token {
            TokenFrom::Env(var) => format!("the environment variable {}", escape_for_text(var)),
            TokenFrom::File(path) => format!("the token file {}", shown(path)),
        };
        if token.is_empty() {
            return Err(Error::Invalid(format!(
                "The token of the source {name} is empty ({place})."
            )));
        }
        // A header value must be visible ASCII: say so without showing it.
        if !token.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Error::Invalid(format!(
                "The token of the source {name} ({place}) holds spaces or characters a token cannot have; put the token alone in it."
            )));
        }
        Ok(Token(token.to_owned()))
    }
}
