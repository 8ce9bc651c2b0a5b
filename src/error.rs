//! The error type of a whole command: what stops a run, and which exit code it maps to.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;

/// Why a command failed.
#[derive(Debug)]
pub enum Error {
    /// The site's configuration is missing or wrong (exit code 2): every
    /// error located in `mentorbook.yaml`, even when content errors come with it.
    Config(Vec<Diagnostic>),
    /// The command was used wrongly (exit code 2).
    Usage(String),
    /// The content has errors; every one of them is listed (exit code 1).
    Content(Vec<Diagnostic>),
    /// A file-system operation failed.
    Io {
        /// What we were doing, e.g. "failed to write".
        action: &'static str,
        /// The file or folder concerned.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A needed external program is missing (exit code 2), with how to install it.
    MissingTool {
        /// What is missing.
        what: String,
        /// How to install it.
        help: String,
    },
}

/// Shorthand for results whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(action: &'static str, path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            action,
            path: path.to_path_buf(),
            source,
        }
    }

    /// The process exit code for this error: 1 for content errors, 2 for usage and configuration.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Content(_) | Error::Io { .. } => 1,
            Error::Config(_) | Error::Usage(_) | Error::MissingTool { .. } => 2,
        }
    }

    /// The diagnostics carried by this error, if any.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Error::Config(d) | Error::Content(d) => d,
            _ => &[],
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Config(ds) | Error::Content(ds) => {
                for (i, d) in ds.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "{d}")?;
                }
                Ok(())
            }
            Error::Usage(msg) => write!(f, "error: {msg}"),
            Error::Io {
                action,
                path,
                source,
            } => {
                write!(f, "error: {action} `{}`: {source}", path.display())
            }
            Error::MissingTool { what, help } => write!(f, "error: {what}\n  help: {help}"),
        }
    }
}

impl std::error::Error for Error {}
