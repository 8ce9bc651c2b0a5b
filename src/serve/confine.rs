//! Which files on disk the server may send: those the confinement rule
//! ([`crate::confine`]) allows, checked again when each is sent.
//!
//! The build already refuses links that leave the handbook or lead into the
//! output folder, so they never reach the plan; the server checks every file
//! copied from disk once more when it publishes a build and when it reads the
//! file for a response, because a file may be replaced by such a link in between.

use std::path::Path;

use crate::confine::Confinement;
use crate::site::{OutFile, SiteOutput};

/// Whether the file at `path` may be sent.
pub fn is_allowed(path: &Path, rule: &Confinement) -> bool {
    rule.check(path).is_ok()
}

/// Removes the files copied from disk that the rule refuses from `site`; returns their output paths.
pub fn refuse_outside(site: &mut SiteOutput, rule: &Confinement) -> Vec<String> {
    let refused: Vec<String> = site
        .files
        .iter()
        .filter(|(_, f)| matches!(f, OutFile::Copy(p) if !is_allowed(p, rule)))
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
        std::fs::create_dir_all(root.join("public")).unwrap();
        let inside = root.join("content/ok.txt");
        std::fs::write(&inside, "ok").unwrap();
        std::fs::write(root.join("public/old.txt"), "old").unwrap();
        let rule = Confinement::new(&root, false);
        assert!(is_allowed(&inside, &rule));
        assert!(!is_allowed(&secret, &rule));
        assert!(!is_allowed(&root.join("content/missing.txt"), &rule));
        assert!(!is_allowed(&root.join("public/old.txt"), &rule));
        let mut site = SiteOutput::default();
        site.files.insert("ok.txt".into(), OutFile::Copy(inside));
        site.files
            .insert("secret.txt".into(), OutFile::Copy(secret));
        site.files
            .insert("a.html".into(), OutFile::Bytes(b"x".to_vec()));
        assert_eq!(refuse_outside(&mut site, &rule), vec!["secret.txt"]);
        assert_eq!(site.files.len(), 2);
    }
}
