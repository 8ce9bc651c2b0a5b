//! The output as one zip, byte-identical for identical input: files in path
//! order, a fixed date (1980-01-01, the earliest a zip can hold), fixed
//! permissions, deflate. Written beside its final name and renamed into place.

use std::io::Write;
use std::path::Path;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::error::{Error, Result};
use crate::site::publish::Files;

/// Where the bytes of a zip entry come from.
#[derive(Debug, Clone)]
pub enum Entry {
    /// A produced file, by output path.
    File(String),
    /// Bytes made for the zip alone (a manifest, a launcher).
    Bytes(Vec<u8>),
}

/// Writes `entries` — (name in the zip, its bytes), in the order given — into the
/// zip file `dest`.
pub fn write(entries: &[(String, Entry)], files: Files<'_>, dest: &Path) -> Result<()> {
    let parent = dest.parent().unwrap_or_else(|| Path::new("."));
    crate::fs::create_dir_all(parent)?;
    let tmp = tempfile::Builder::new()
        .prefix(".mentorbook-zip-")
        .tempfile_in(parent)
        .map_err(|e| Error::io("cannot create a file in", parent, e))?;
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    let zip_err =
        |e: zip::result::ZipError| Error::io("failed to write", dest, std::io::Error::other(e));
    let mut zip = ZipWriter::new(tmp.as_file());
    for (name, entry) in entries {
        let bytes = match entry {
            Entry::File(path) => files(path)?,
            Entry::Bytes(b) => b.clone(),
        };
        zip.start_file(name.as_str(), options).map_err(zip_err)?;
        zip.write_all(&bytes)
            .map_err(|e| Error::io("failed to write", dest, e))?;
    }
    zip.finish().map_err(zip_err)?;
    tmp.persist(dest)
        .map_err(|e| Error::io("failed to write", dest, e.error))?;
    // A file to hand out, not a private temporary one.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dest, std::fs::Permissions::from_mode(0o644))
            .map_err(|e| Error::io("failed to write", dest, e))?;
    }
    Ok(())
}
