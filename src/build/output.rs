//! The rendered site in memory, and writing it to disk without ever leaving a
//! half-written output folder.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::error::{Error, Result};

/// One output file.
#[derive(Debug, Clone)]
pub enum OutFile {
    /// Rendered bytes.
    Bytes(Vec<u8>),
    /// Rendered bytes shared with a cache (`serve` keeps pages between builds
    /// and hands the same buffer to each new output instead of copying it).
    Shared(std::sync::Arc<[u8]>),
    /// A file copied from disk.
    Copy(PathBuf),
    /// A file embedded in the binary.
    Static(&'static [u8]),
}

impl OutFile {
    /// The file's bytes (reads copied files from disk).
    pub fn bytes(&self) -> Result<std::borrow::Cow<'_, [u8]>> {
        Ok(match self {
            OutFile::Bytes(b) => std::borrow::Cow::Borrowed(b),
            OutFile::Shared(b) => std::borrow::Cow::Borrowed(b),
            OutFile::Static(b) => std::borrow::Cow::Borrowed(b),
            OutFile::Copy(p) => std::borrow::Cow::Owned(crate::fs::read(p)?),
        })
    }
}

/// Every output file by path relative to the output folder, sorted.
#[derive(Debug, Clone, Default)]
pub struct SiteOutput {
    /// The files.
    pub files: BTreeMap<String, OutFile>,
    /// What produced each file, to name both sides of a collision.
    origins: std::collections::HashMap<String, String>,
}

impl SiteOutput {
    /// Adds the files of `other` that this output does not have yet (the static
    /// files and assets every language of a handbook shares are kept once).
    pub fn merge_shared(&mut self, other: SiteOutput) {
        for (path, file) in other.files {
            if let std::collections::btree_map::Entry::Vacant(e) = self.files.entry(path.clone()) {
                e.insert(file);
                if let Some(o) = other.origins.get(&path) {
                    self.origins.insert(path, o.clone());
                }
            }
        }
    }

    /// Adds a file; if another source already produces `path`, reports both.
    pub fn add(
        &mut self,
        path: &str,
        file: OutFile,
        origin: String,
        diags: &mut Vec<crate::diagnostic::Diagnostic>,
    ) {
        if let Some(first) = self.origins.get(path) {
            let blame = origin.trim_matches('`').to_string();
            let blame = if blame.starts_with("content/") {
                blame
            } else {
                "content".to_string()
            };
            diags.push(
                crate::diagnostic::Diagnostic::error(
                    blame,
                    0,
                    0,
                    format!("{first} and {origin} both produce `{path}`"),
                )
                .with_help("rename one of them, or give the page a different `slug:`"),
            );
            return;
        }
        self.origins.insert(path.to_string(), origin);
        self.files.insert(path.to_string(), file);
    }
}

/// Refuses output folders that would destroy sources (the site root, `content/`…).
pub fn check_output_dir(config: &Config, out: &Path) -> Result<()> {
    let canon = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let out_c = canon(out);
    let root = canon(&config.root);
    let dangerous = out_c == root
        || root.starts_with(&out_c)
        || out_c.starts_with(root.join("content"))
        || out_c.starts_with(root.join("templates"))
        || out_c.starts_with(root.join("static"))
        || out_c.starts_with(root.join("themes"));
    if dangerous {
        return Err(Error::Usage(format!(
            "refusing to write the site into `{}`: it holds the handbook's sources (use a folder such as `public/`)",
            out.display()
        )));
    }
    Ok(())
}

/// Writes `site` into a staging folder beside `out_dir`, then swaps it in.
/// On any failure the previous output is left untouched. Under the output
/// lock, leftovers of earlier killed builds are cleaned up first (the steps
/// and their guarantees are in [`crate::fs`]).
pub fn write_atomic(site: &SiteOutput, out_dir: &Path) -> Result<()> {
    use crate::fs::{Step, abort_point};
    let parent = out_dir.parent().unwrap_or_else(|| Path::new("."));
    crate::fs::create_dir_all(parent)?;
    let _lock = crate::fs::OutputLock::acquire(out_dir)?;
    abort_point(Step::Locked);
    crate::fs::sweep_leftovers(out_dir)?;
    let staging = tempfile::Builder::new()
        .prefix(&crate::fs::staging_prefix(out_dir))
        .tempdir_in(parent)
        .map_err(|e| Error::io("cannot create a staging folder in", parent, e))?;
    abort_point(Step::StagingCreated);
    write_tree(site, staging.path())?;
    abort_point(Step::Staged);
    let staging_path = staging.keep();
    if let Err(e) = crate::fs::swap_dir(&staging_path, out_dir) {
        let _ = std::fs::remove_dir_all(&staging_path);
        return Err(e);
    }
    Ok(())
}

/// Writes every file of `site` under `dir` (which must exist).
pub fn write_tree(site: &SiteOutput, dir: &Path) -> Result<()> {
    let dirs: BTreeSet<&str> = site
        .files
        .keys()
        .filter_map(|p| p.rsplit_once('/').map(|(d, _)| d))
        .collect();
    for d in dirs {
        crate::fs::create_dir_all(&dir.join(d))?;
    }
    site.files.par_iter().try_for_each(|(path, file)| {
        let target = dir.join(path);
        match file {
            OutFile::Bytes(b) => {
                std::fs::write(&target, b).map_err(|e| Error::io("failed to write", &target, e))
            }
            OutFile::Shared(b) => {
                std::fs::write(&target, b).map_err(|e| Error::io("failed to write", &target, e))
            }
            OutFile::Static(b) => {
                std::fs::write(&target, b).map_err(|e| Error::io("failed to write", &target, e))
            }
            OutFile::Copy(src) => std::fs::copy(src, &target)
                .map(|_| ())
                .map_err(|e| Error::io("failed to copy", src, e)),
        }
    })
}
