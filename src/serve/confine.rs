//! Which files on disk the server may send: only those inside the handbook.
//!
//! Output files copied from disk (images, PDFs, theme files) are served only
//! when their real path, symbolic links resolved, lies inside the site root or
//! inside one of its `content/`, `static/`, `templates/` or `themes/` folders
//! (which may themselves be links, a deliberate choice of the author). A link
//! inside `content/` pointing elsewhere is not served: the dev server may be
//! reachable by others (`--bind`), and such a link can expose any file of the
//! machine. `build` still copies it: writing the output is the author's act.

use std::path::{Path, PathBuf};

use crate::site::{OutFile, SiteOutput};

/// The top-level folders whose real location is trusted.
const TRUSTED: [&str; 4] = ["content", "static", "templates", "themes"];

/// The canonical folders disk files must lie in to be served (with the content
/// and static folders of `content:` and `static:`, which may be links too).
pub fn allowed_roots(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let configured: Vec<PathBuf> = crate::config::Config::load(root)
        .map(|c| {
            std::iter::once(c.sources.content.clone())
                .chain(c.sources.statics.iter().map(|(d, _)| d.clone()))
                .collect()
        })
        .unwrap_or_default();
    for p in std::iter::once(root.to_path_buf())
        .chain(TRUSTED.iter().map(|d| root.join(d)))
        .chain(configured)
    {
        if let Ok(c) = p.canonicalize()
            && !out.contains(&c)
        {
            out.push(c);
        }
    }
    out
}

/// Whether the real path of `path` lies inside one of `allowed`.
pub fn is_inside(path: &Path, allowed: &[PathBuf]) -> bool {
    path.canonicalize()
        .is_ok_and(|c| allowed.iter().any(|a| c.starts_with(a)))
}

/// Removes the files copied from outside `allowed` from `site`; returns their output paths.
pub fn refuse_outside(site: &mut SiteOutput, allowed: &[PathBuf]) -> Vec<String> {
    let refused: Vec<String> = site
        .files
        .iter()
        .filter(|(_, f)| matches!(f, OutFile::Copy(p) if !is_inside(p, allowed)))
        .map(|(k, _)| k.to_string())
        .collect();
    for k in &refused {
        site.files.remove(k.as_str());
    }
    refused
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_out_of_the_site_are_refused() {
        let outside = tempfile::tempdir().unwrap();
        let secret = outside.path().join("secret.txt");
        std::fs::write(&secret, "s").unwrap();
        let site_dir = tempfile::tempdir().unwrap();
        let root = site_dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("content")).unwrap();
        let inside = root.join("content/ok.txt");
        std::fs::write(&inside, "ok").unwrap();
        let allowed = allowed_roots(&root);
        assert!(is_inside(&inside, &allowed));
        assert!(!is_inside(&secret, &allowed));
        assert!(!is_inside(&root.join("content/missing.txt"), &allowed));
        let mut site = SiteOutput::default();
        site.files.insert("ok.txt".into(), OutFile::Copy(inside));
        site.files
            .insert("secret.txt".into(), OutFile::Copy(secret));
        site.files
            .insert("a.html".into(), OutFile::Bytes(b"x".to_vec()));
        assert_eq!(refuse_outside(&mut site, &allowed), vec!["secret.txt"]);
        assert_eq!(site.files.len(), 2);
    }
}
