//! Other forms of the same output, for where HR teams publish: one
//! self-contained `handbook.html` per language ([`single`]), the output as one
//! deterministic zip ([`zip`]), and a SCORM package for learning platforms
//! ([`scorm`]).
//!
//! Each is made from the files the build produced (read back through a
//! [`Files`] reader), never by rendering again, so each keeps the output's
//! promises: relative links, works from `file://`, same bytes for the same input.

pub mod scorm;
pub mod single;
pub mod zip;

use crate::error::Result;
use crate::paths::OutPath;

/// Reads a produced file back by its output path.
pub type Files<'a> = &'a (dyn Fn(&str) -> Result<Vec<u8>> + Sync);

/// The MIME type of a file by its name, for `data:` URLs.
pub fn mime_of(path: &str) -> &'static str {
    mime_guess::from_path(path)
        .first_raw()
        .unwrap_or("application/octet-stream")
}

/// The output path of the single-file handbook of a language whose prefix is `prefix`.
pub fn single_file_path(prefix: &OutPath) -> OutPath {
    prefix.join(crate::site::layout::SINGLE_FILE)
}
