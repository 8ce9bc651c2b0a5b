//! mentorbook turns Markdown (with YAML front matter) about a mentoring programme
//! into a themed static handbook and printable session worksheets.
//!
//! The flow, with dependencies pointing one way (see `ARCHITECTURE.md`):
//! `cli` → `serve` / `pdf` → `site` → `render` / `search` → `markdown` / `content` → `config`.
//!
//! 1. [`config`] finds and reads `mentorbook.yaml`;
//! 2. [`content`] reads pages and sections from `content/`;
//! 3. [`markdown`] parses each page's body once into its intermediate form;
//! 4. [`site`] resolves links, plans every output file, and produces each one —
//!    web pages through [`render`] (the theme's templates), print pages as other
//!    serialisations of the same parsed pages, the [`search`] index — into a sink:
//!    a folder swapped in atomically (`build`), memory (`serve`), or nothing (`check`).

pub mod cli;
pub mod config;
pub mod confine;
pub mod content;
pub mod diagnostic;
pub mod error;
pub mod fs;
pub mod fuzzing;
pub mod hyphenate;
pub mod import;
pub mod markdown;
pub mod pack;
pub mod paths;
pub mod pdf;
pub mod progress;
pub mod render;
pub mod report;
pub mod scaffold;
pub mod search;
#[cfg(feature = "serve")]
pub mod serve;
pub mod site;
pub mod store;
pub mod text;
pub mod typography;
pub mod urls;
pub mod yaml;

pub use config::Config;
pub use diagnostic::{Diagnostic, Severity};
pub use error::{Error, Result};
pub use site::{BuildOptions, Built, build, check, render_site};
