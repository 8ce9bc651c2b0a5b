//! Where the produced files go: a [`Sink`]. `build` writes into a staging folder
//! beside the output and swaps it in only once every file is written
//! ([`Staging`]); `serve` keeps the files in memory ([`Memory`]); `check` keeps
//! nothing ([`Nowhere`]), but still checks that copied files can be read.
//! Files are handed to the sink as they are produced, so a build never holds the
//! whole site in memory.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::config::Config;
use crate::error::{Error, Result};
use crate::paths::OutPath;

/// One output file.
#[derive(Debug, Clone)]
pub enum OutFile {
    /// Rendered bytes.
    Bytes(Vec<u8>),
    /// Rendered bytes shared with a cache (`serve` keeps pages between builds
    /// and hands the same buffer to each new output instead of copying it).
    Shared(Arc<[u8]>),
    /// Rendered bytes in parts, written one after the other (a big file made
    /// of pieces, never copied into one buffer to be written).
    Parts(Vec<crate::store::Held>),
    /// Rendered text in pieces shared with a cache, written one after the
    /// other (`serve`'s print files: after an edit only the pieces of the
    /// changed pages are new).
    Pieces(Arc<[Arc<str>]>),
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
            OutFile::Parts(parts) => {
                let mut all = Vec::new();
                for p in parts {
                    all.extend_from_slice(&p.bytes().map_err(read_back)?);
                }
                std::borrow::Cow::Owned(all)
            }
            OutFile::Pieces(pieces) => {
                let mut all = Vec::with_capacity(pieces.iter().map(|p| p.len()).sum());
                for p in pieces.iter() {
                    all.extend_from_slice(p.as_bytes());
                }
                std::borrow::Cow::Owned(all)
            }
            OutFile::Copy(p) => std::borrow::Cow::Owned(crate::fs::read(p)?),
        })
    }

    /// Whether this file and `other` hold the same bytes, without reading files
    /// copied from disk (the same source) nor joining pieces shared by both.
    pub fn same_as(&self, other: &OutFile) -> bool {
        match (self, other) {
            (OutFile::Shared(a), OutFile::Shared(b)) if Arc::ptr_eq(a, b) => true,
            (OutFile::Copy(a), OutFile::Copy(b)) => a == b,
            (OutFile::Copy(_), _) | (_, OutFile::Copy(_)) => false,
            (OutFile::Pieces(a), OutFile::Pieces(b)) if a.len() == b.len() => a
                .iter()
                .zip(b.iter())
                .all(|(x, y)| Arc::ptr_eq(x, y) || x == y),
            (a, b) => match (a.bytes(), b.bytes()) {
                (Ok(x), Ok(y)) => x == y,
                _ => false,
            },
        }
    }

    /// The file's size in bytes, when known without reading it.
    pub fn len_hint(&self) -> Option<usize> {
        match self {
            OutFile::Bytes(b) => Some(b.len()),
            OutFile::Shared(b) => Some(b.len()),
            OutFile::Static(b) => Some(b.len()),
            OutFile::Parts(parts) => Some(parts.iter().map(crate::store::Held::len).sum()),
            OutFile::Pieces(pieces) => Some(pieces.iter().map(|p| p.len()).sum()),
            OutFile::Copy(_) => None,
        }
    }
}

/// The error of a part that could not be read back from the store's file.
fn read_back(e: std::io::Error) -> Error {
    Error::io(
        "cannot read back a part of a file from the temporary file in",
        &std::env::temp_dir(),
        e,
    )
}

/// Every output file by path relative to the output folder, sorted.
#[derive(Debug, Clone, Default)]
pub struct SiteOutput {
    /// The files.
    pub files: BTreeMap<OutPath, OutFile>,
}

/// Receives every produced file. Called from several threads at once.
pub trait Sink: Sync {
    /// Whether rendered bytes are kept (`false`: templates only run, for their errors).
    fn keeps(&self) -> bool;
    /// Takes the file at output path `path`.
    fn put(&self, path: &str, file: OutFile) -> Result<()>;
    /// Reads back a file it took (`None`: this sink keeps nothing).
    fn read(&self, path: &str) -> Option<Result<Vec<u8>>> {
        let _ = path;
        None
    }
}

/// Keeps every file in memory (`serve`, tests).
#[derive(Debug, Default)]
pub struct Memory(Mutex<SiteOutput>);

impl Memory {
    /// The files received.
    pub fn into_output(self) -> SiteOutput {
        self.0.into_inner().unwrap_or_else(|p| p.into_inner())
    }
}

impl Sink for Memory {
    fn keeps(&self) -> bool {
        true
    }

    fn put(&self, path: &str, file: OutFile) -> Result<()> {
        // Kept files are shared: the server hands the same buffer to every
        // response instead of copying it.
        let file = match file {
            OutFile::Bytes(b) => OutFile::Shared(Arc::from(b)),
            parts @ OutFile::Parts(_) => OutFile::Shared(Arc::from(parts.bytes()?.into_owned())),
            other => other,
        };
        let mut out = self.0.lock().unwrap_or_else(|p| p.into_inner());
        out.files.insert(path.into(), file);
        Ok(())
    }

    fn read(&self, path: &str) -> Option<Result<Vec<u8>>> {
        let out = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let file = out.files.get(path)?.clone();
        drop(out);
        Some(file.bytes().map(|b| b.into_owned()))
    }
}

/// Keeps nothing (`check`); a copied file must still be readable.
#[derive(Debug, Default)]
pub struct Nowhere;

impl Sink for Nowhere {
    fn keeps(&self) -> bool {
        false
    }

    fn put(&self, _path: &str, file: OutFile) -> Result<()> {
        if let OutFile::Copy(src) = file {
            std::fs::File::open(&src).map_err(|e| Error::io("cannot read", &src, e))?;
        }
        Ok(())
    }
}

/// Writes every file under a folder that must exist (a staging folder, or the
/// temporary folder `pdf` prints from).
#[derive(Debug)]
pub struct Folder {
    dir: PathBuf,
    made: Mutex<HashSet<String>>,
}

impl Folder {
    /// Writes under `dir`.
    pub fn new(dir: PathBuf) -> Self {
        Self {
            dir,
            made: Mutex::default(),
        }
    }

    /// The folder written to.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Creates the folders leading to `path`, each once per build.
    fn parents(&self, path: &str) -> Result<()> {
        let Some((parent, _)) = path.rsplit_once('/') else {
            return Ok(());
        };
        {
            let made = self.made.lock().unwrap_or_else(|p| p.into_inner());
            if made.contains(parent) {
                return Ok(());
            }
        }
        crate::fs::create_dir_all(&self.dir.join(parent))?;
        let mut made = self.made.lock().unwrap_or_else(|p| p.into_inner());
        let mut p = parent;
        loop {
            made.insert(p.to_string());
            match p.rsplit_once('/') {
                Some((up, _)) => p = up,
                None => break,
            }
        }
        Ok(())
    }
}

impl Sink for Folder {
    fn keeps(&self) -> bool {
        true
    }

    fn put(&self, path: &str, file: OutFile) -> Result<()> {
        self.parents(path)?;
        let target = self.dir.join(path);
        let write = |b: &[u8]| {
            std::fs::write(&target, b).map_err(|e| Error::io("failed to write", &target, e))
        };
        match file {
            OutFile::Bytes(b) => write(&b),
            OutFile::Shared(b) => write(&b),
            OutFile::Static(b) => write(b),
            OutFile::Parts(parts) => {
                use std::io::Write;
                let failed = |e| Error::io("failed to write", &target, e);
                let mut f = std::fs::File::create(&target).map_err(failed)?;
                for p in &parts {
                    f.write_all(&p.bytes().map_err(read_back)?)
                        .map_err(failed)?;
                }
                Ok(())
            }
            OutFile::Pieces(pieces) => {
                use std::io::Write;
                let failed = |e| Error::io("failed to write", &target, e);
                let mut f = std::fs::File::create(&target).map_err(failed)?;
                for p in pieces.iter() {
                    f.write_all(p.as_bytes()).map_err(failed)?;
                }
                Ok(())
            }
            OutFile::Copy(src) => std::fs::copy(&src, &target)
                .map(|_| ())
                .map_err(|e| Error::io("failed to copy", &src, e)),
        }
    }

    fn read(&self, path: &str) -> Option<Result<Vec<u8>>> {
        Some(crate::fs::read(&self.dir.join(path)))
    }
}

/// A staging folder beside the output folder, swapped in once complete.
/// While it exists the build holds the output lock, so two builds never swap
/// at once and anything left over beside the output comes from a killed run.
#[derive(Debug)]
pub struct Staging {
    folder: Folder,
    out_dir: PathBuf,
    _lock: crate::fs::OutputLock,
}

impl Staging {
    /// Takes the output lock, removes the leftovers of earlier killed builds
    /// (the steps and their guarantees are in [`crate::fs`]), and creates a
    /// staging folder beside `out_dir`.
    pub fn new(out_dir: &Path) -> Result<Self> {
        use crate::fs::{Step, abort_point};
        let parent = out_dir.parent().unwrap_or_else(|| Path::new("."));
        crate::fs::create_dir_all(parent)?;
        let lock = crate::fs::OutputLock::acquire(out_dir)?;
        abort_point(Step::Locked);
        crate::fs::sweep_leftovers(out_dir)?;
        let staging = tempfile::Builder::new()
            .prefix(&crate::fs::staging_prefix(out_dir))
            .tempdir_in(parent)
            .map_err(|e| Error::io("cannot create a staging folder in", parent, e))?;
        abort_point(Step::StagingCreated);
        let dir = staging.keep();
        spread_folders(&dir);
        Ok(Self {
            folder: Folder::new(dir),
            out_dir: out_dir.to_path_buf(),
            _lock: lock,
        })
    }

    /// Swaps the complete staging folder in place of the output folder.
    pub fn commit(self) -> Result<()> {
        crate::fs::abort_point(crate::fs::Step::Staged);
        let staging = self.folder.dir.clone();
        if let Err(e) = crate::fs::swap_dir(&staging, &self.out_dir) {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(e);
        }
        Ok(())
    }

    /// Removes the staging folder: the output folder stays as it was.
    pub fn abandon(self) {
        let _ = std::fs::remove_dir_all(&self.folder.dir);
    }
}

impl Sink for Staging {
    fn keeps(&self) -> bool {
        true
    }

    fn put(&self, path: &str, file: OutFile) -> Result<()> {
        self.folder.put(path, file)
    }

    fn read(&self, path: &str) -> Option<Result<Vec<u8>>> {
        self.folder.read(path)
    }
}

/// Asks the file system to spread the folders made in `dir` over its disk
/// (ext4's "top of a directory tree" flag, `chattr +T`): without it ext4 puts a
/// new folder's files beside its parent's, in the same block group as the
/// previous output, and when that output was just removed (as a benchmark's
/// `rm -rf public` does, or any build shortly after a clean) ext4 without a
/// journal skips every recently freed inode one by one for each new file, which
/// made creating the 10,000-page site's 11,000 files take two seconds of system
/// time. A hint only: elsewhere, or when refused, nothing changes.
#[cfg(target_os = "linux")]
fn spread_folders(dir: &Path) {
    use rustix::fs::{IFlags, ioctl_getflags, ioctl_setflags};
    let Ok(f) = std::fs::File::open(dir) else {
        return;
    };
    if let Ok(flags) = ioctl_getflags(&f) {
        let _ = ioctl_setflags(&f, flags | IFlags::TOPDIR);
    }
}

#[cfg(not(target_os = "linux"))]
fn spread_folders(_: &Path) {}

/// Refuses output folders that would destroy sources: the site root or a folder
/// holding it, the content folder (unless it is the root itself, whose output
/// folder the walk leaves out), a static folder, `templates/`, `themes/`.
pub fn check_output_dir(config: &Config, out: &Path) -> Result<()> {
    let canon = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let out_c = canon(out);
    let root = canon(&config.root);
    let content = canon(&config.content_dir());
    let inside_content = content != root && out_c.starts_with(&content);
    let dangerous = out_c == root
        || root.starts_with(&out_c)
        || inside_content
        || content.starts_with(&out_c)
        || out_c.starts_with(root.join("templates"))
        || config
            .sources
            .statics
            .iter()
            .any(|(d, _)| out_c.starts_with(canon(d)))
        || out_c.starts_with(root.join("themes"));
    if dangerous {
        return Err(Error::Usage(format!(
            "refusing to write the site into `{}`: it holds the handbook's sources (use a folder such as `public/`)",
            out.display()
        )));
    }
    // With `content: .` the output folder must be one the content leaves out.
    if content == root
        && let Ok(rel) = out_c.strip_prefix(&root)
        && !config.sources.is_excluded(&crate::fs::slash_path(rel))
    {
        return Err(Error::Usage(format!(
            "refusing to write the site into `{}`: the handbook's pages are read from its whole folder, which would include the site\n  help: set `output: {}` in mentorbook.yaml (it is then left out of the pages), or build outside the handbook folder",
            out.display(),
            crate::fs::slash_path(rel)
        )));
    }
    Ok(())
}

/// Writes every file of `site` under `dir` (which must exist).
pub fn write_tree(site: &SiteOutput, dir: &Path) -> Result<()> {
    use rayon::prelude::*;
    let folder = Folder::new(dir.to_path_buf());
    site.files
        .par_iter()
        .try_for_each(|(path, file)| folder.put(path, file.clone()))
}
