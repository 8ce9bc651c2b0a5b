//! mentorbook turns Markdown (with YAML front matter) about a mentoring programme
//! into a themed static handbook and printable session worksheets.
//!
//! The flow, with dependencies pointing one way:
//! `cli` → `build` / `check` / `serve` → `render` / `search` → `markdown` → `content` → `config`.
//!
//! 1. [`config`] finds and reads `mentorbook.yaml`;
//! 2. [`content`] loads pages and sections from `content/`;
//! 3. [`markdown`] turns each page's body into HTML, checking links;
//! 4. [`render`] puts each page through the theme's templates;
//! 5. [`search`] indexes the pages' text for the offline search box;
//! 6. [`build`](mod@build) gathers the output in memory and writes it atomically.

pub mod build;
pub mod cli;
pub mod config;
pub mod content;
pub mod diagnostic;
pub mod error;
pub mod fs;
pub mod fuzzing;
pub mod markdown;
pub mod pdf;
pub mod programme;
pub mod render;
pub mod scaffold;
pub mod search;
#[cfg(feature = "serve")]
pub mod serve;
pub mod text;
pub mod typography;
pub mod urls;
pub mod yaml;

pub use build::{BuildOptions, Built, build, render_site};
pub use config::Config;
pub use diagnostic::{Diagnostic, Severity};
pub use error::{Error, Result};
