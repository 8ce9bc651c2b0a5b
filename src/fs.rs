//! File-system helpers whose errors name the path, plus the atomic swap of an output folder.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Reads a whole file as bytes.
pub fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| Error::io("failed to read", path, e))
}

/// Reads a whole file as UTF-8 text.
pub fn read_to_string(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| Error::io("failed to read", path, e))
}

/// Writes a file, creating its parent folders.
pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent() {
        create_dir_all(parent)?;
    }
    std::fs::write(path, bytes).map_err(|e| Error::io("failed to write", path, e))
}

/// Creates a folder and its parents.
pub fn create_dir_all(path: &Path) -> Result<()> {
    std::fs::create_dir_all(path).map_err(|e| Error::io("failed to create folder", path, e))
}

/// Copies a file, creating the destination's parent folders.
pub fn copy(from: &Path, to: &Path) -> Result<()> {
    if let Some(parent) = to.parent() {
        create_dir_all(parent)?;
    }
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| Error::io("failed to copy", from, e))
}

/// Replaces the folder `target` by the folder `staging` with renames, so that
/// `target` is never half-written: the old output is moved aside first and only
/// removed once the new one is in place.
pub fn swap_dir(staging: &Path, target: &Path) -> Result<()> {
    let old = aside_name(target);
    let had_old = target.exists();
    if had_old {
        std::fs::rename(target, &old).map_err(|e| Error::io("failed to move aside", target, e))?;
    }
    if let Err(e) = std::fs::rename(staging, target) {
        if had_old {
            // Put the previous output back: a failed build must leave it untouched.
            let _ = std::fs::rename(&old, target);
        }
        return Err(Error::io("failed to move the new output into", target, e));
    }
    if had_old {
        std::fs::remove_dir_all(&old)
            .map_err(|e| Error::io("failed to remove the previous output", &old, e))?;
    }
    Ok(())
}

fn aside_name(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    let parent = target.parent().unwrap_or_else(|| Path::new("."));
    let mut i = 0u32;
    loop {
        let candidate = parent.join(format!(".{name}.old-{}-{i}", std::process::id()));
        if !candidate.exists() || i > 1000 {
            return candidate;
        }
        i += 1;
    }
}

/// Converts a path relative to some root into a `/`-separated string.
pub fn slash_path(path: &Path) -> String {
    let mut out = String::new();
    for (i, c) in path.components().enumerate() {
        if i > 0 {
            out.push('/');
        }
        out.push_str(&c.as_os_str().to_string_lossy());
    }
    out
}
