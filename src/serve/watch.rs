//! What a file event means for the site: [`classify`] maps a path to a
//! [`ChangeKind`], and [`changes`] turns a batch of debounced events into the
//! list of [`Change`]s the rebuild policy works from.
//!
//! Pure functions, so the rules are unit-tested without touching the disk.

use std::path::Path;

use notify_debouncer_full::DebouncedEvent;
use notify_debouncer_full::notify::EventKind;
use notify_debouncer_full::notify::event::{AccessKind, AccessMode, ModifyKind, RenameMode};

use crate::config::CONFIG_FILE;
use crate::content::walk::is_ignored_name;

/// The folders of the site root that are watched (recursively) on a handbook
/// with the default folders.
pub const WATCHED_DIRS: [&str; 4] = ["content", "templates", "themes", "static"];

/// Where the parts of the handbook are, from its configuration (`content:`,
/// `static:`, `toc:`): what to watch, and what a changed path belongs to.
#[derive(Debug, Clone)]
pub struct Folders {
    sources: crate::config::Sources,
}

impl Folders {
    /// The folders of the handbook at `root`, as its configuration says (the
    /// defaults when it cannot be read: the next good configuration corrects them).
    pub fn of(root: &Path) -> Self {
        let sources = crate::config::Config::load(root)
            .map(|c| c.sources)
            .unwrap_or_else(|_| crate::config::Sources::native(root));
        Self { sources }
    }

    /// The folders to watch recursively, relative to `root`: `templates/`,
    /// `themes/`, the static folders and the content folder (when the content
    /// folder is the root itself: each of its folders the content does not leave out).
    pub fn watched(&self, root: &Path) -> Vec<String> {
        let mut dirs: Vec<String> = vec!["templates".into(), "themes".into()];
        dirs.extend(self.sources.statics.iter().map(|(_, r)| r.clone()));
        if self.sources.content_is_root() {
            if let Ok(entries) = std::fs::read_dir(root) {
                let mut names: Vec<String> = entries
                    .filter_map(Result::ok)
                    .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| !is_ignored_name(n) && !self.sources.is_excluded(n))
                    .collect();
                names.sort();
                dirs.extend(names);
            }
        } else {
            dirs.push(self.sources.content_rel.clone());
        }
        dirs.sort();
        dirs.dedup();
        dirs
    }

    /// What part of the handbook `rel` (relative to the root) belongs to.
    pub fn classify(&self, rel: &Path) -> ChangeKind {
        let native = classify(rel);
        if matches!(native, ChangeKind::Config | ChangeKind::Template) {
            return native;
        }
        let slash = crate::fs::slash_path(rel);
        if slash.is_empty() || slash.split('/').any(is_editor_temp) {
            return ChangeKind::Ignored;
        }
        if slash.starts_with("themes/") {
            return native;
        }
        let under = |dir: &str| slash == dir || slash.starts_with(&format!("{dir}/"));
        if self.sources.statics.iter().any(|(_, d)| under(d)) {
            return ChangeKind::Static;
        }
        if self.sources.toc.as_deref() == Some(slash.as_str()) {
            return ChangeKind::Content;
        }
        if self.sources.content_is_root() {
            if self.sources.is_excluded(&slash) {
                return ChangeKind::Ignored;
            }
            return ChangeKind::Content;
        }
        if under(&self.sources.content_rel) {
            return ChangeKind::Content;
        }
        ChangeKind::Ignored
    }
}

/// What part of the site a changed path belongs to; each has its own rebuild policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChangeKind {
    /// `content/`: pages, section indexes and assets.
    Content,
    /// Templates, theme manifests and UI strings (`templates/`, `themes/<name>/…`).
    Template,
    /// Static files of the site or of a theme (`static/`, `themes/<name>/static/`).
    Static,
    /// `mentorbook.yaml`.
    Config,
    /// Anything else: editor swap and backup files, hidden files, the output
    /// folder, `target/`, `.git`…
    Ignored,
}

/// Classifies a path relative to the site root.
pub fn classify(rel: &Path) -> ChangeKind {
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.is_empty() || parts.iter().any(|p| is_editor_temp(p)) {
        return ChangeKind::Ignored;
    }
    match parts[0].as_str() {
        CONFIG_FILE if parts.len() == 1 => ChangeKind::Config,
        "content" => ChangeKind::Content,
        "templates" => ChangeKind::Template,
        "static" => ChangeKind::Static,
        "themes" if parts.get(2).is_some_and(|p| p == "static") => ChangeKind::Static,
        "themes" => ChangeKind::Template,
        _ => ChangeKind::Ignored,
    }
}

/// Hidden, swap, backup and temporary files of common editors.
fn is_editor_temp(name: &str) -> bool {
    is_ignored_name(name)
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
        || name.ends_with(".orig")
        || name.ends_with(".crswap")
}

/// What happened to a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum What {
    /// Created (or moved in).
    Created,
    /// Contents or metadata changed.
    Modified,
    /// Deleted (or moved out).
    Removed,
    /// Renamed to this path (relative to the site root, `/`-separated).
    Renamed(String),
}

/// One change, relative to the site root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Which part of the site it concerns.
    pub kind: ChangeKind,
    /// The path, `/`-separated, relative to the site root.
    pub path: String,
    /// What happened.
    pub what: What,
}

impl Change {
    /// `content/a.md changed`, `content/x renamed to content/y`…
    pub fn describe(&self) -> String {
        match &self.what {
            What::Created => format!("{} created", self.path),
            What::Modified => format!("{} changed", self.path),
            What::Removed => format!("{} removed", self.path),
            What::Renamed(to) => format!("{} renamed to {to}", self.path),
        }
    }
}

/// A batch of changes after debouncing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// Changes that matter, in order, without duplicates.
    pub list: Vec<Change>,
    /// The watcher lost events: everything must be rebuilt.
    pub rescan: bool,
}

impl Changes {
    /// Whether nothing that matters changed.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty() && !self.rescan
    }

    /// Whether any change is of `kind`.
    pub fn any(&self, kind: ChangeKind) -> bool {
        self.list.iter().any(|c| c.kind == kind)
    }

    /// Whether every change is to a stylesheet (and there is at least one).
    pub fn only_stylesheets(&self) -> bool {
        !self.rescan
            && !self.list.is_empty()
            && self.list.iter().all(|c| {
                c.what == What::Modified
                    && matches!(c.kind, ChangeKind::Static | ChangeKind::Content)
                    && c.path.to_ascii_lowercase().ends_with(".css")
            })
    }

    /// A short description for the terminal: the first change and how many others.
    pub fn describe(&self) -> String {
        match (self.list.first(), self.list.len()) {
            (None, _) => "files changed (rescan)".into(),
            (Some(c), 1) => c.describe(),
            (Some(c), n) => format!("{} (and {} more)", c.describe(), n - 1),
        }
    }

    fn push(&mut self, root: &Path, path: &Path, what: What, folders: Option<&Folders>) {
        let Ok(rel) = path.strip_prefix(root) else {
            return;
        };
        let classify = |p: &Path| folders.map_or_else(|| classify(p), |f| f.classify(p));
        let kind = classify(rel);
        let what = match what {
            // A rename out of what matters is a removal, into it a creation.
            What::Renamed(to) => match classify(Path::new(&to)) {
                ChangeKind::Ignored if kind == ChangeKind::Ignored => return,
                ChangeKind::Ignored => What::Removed,
                to_kind if kind == ChangeKind::Ignored => {
                    let c = Change {
                        kind: to_kind,
                        path: to,
                        what: What::Created,
                    };
                    if !self.list.contains(&c) {
                        self.list.push(c);
                    }
                    return;
                }
                _ => What::Renamed(to),
            },
            w => w,
        };
        if kind == ChangeKind::Ignored {
            return;
        }
        let c = Change {
            kind,
            path: crate::fs::slash_path(rel),
            what,
        };
        // One entry per path: what happened to it over the batch, as a reader
        // of the log would say it (an editor saving through a temporary file
        // writes, removes and creates the same file: it changed, once).
        // A folder removed and made again is left as two changes: what is in it
        // now must be read again whole.
        let is_dir = || root.join(rel).is_dir();
        if let Some(i) = self
            .list
            .iter()
            .position(|o| o.path == c.path && !matches!(o.what, What::Renamed(_)))
            && !matches!(c.what, What::Renamed(_))
        {
            let what = match (&self.list[i].what, &c.what) {
                // A file written just after its creation was still just created.
                (What::Created, What::Modified | What::Created) => Some(What::Created),
                // Created and removed within the batch: nothing happened.
                (What::Created, What::Removed) => None,
                (What::Modified, What::Created | What::Modified) => Some(What::Modified),
                // Removed, then there again: changed.
                (What::Removed, What::Created | What::Modified) if !is_dir() => {
                    Some(What::Modified)
                }
                (What::Removed, What::Created | What::Modified) => {
                    self.list.push(c);
                    return;
                }
                (_, w) => Some(w.clone()),
            };
            match what {
                Some(w) => self.list[i].what = w,
                None => {
                    self.list.remove(i);
                }
            }
            return;
        }
        if !self.list.contains(&c) {
            self.list.push(c);
        }
    }
}

/// Turns debounced events under `root` into changes; reads by the build itself
/// (open, close without writing) are not changes.
pub fn changes(root: &Path, events: &[DebouncedEvent]) -> Changes {
    changes_in(root, events, None)
}

/// [`changes`] of a handbook whose folders are `folders` (`None`: the defaults).
pub fn changes_in(root: &Path, events: &[DebouncedEvent], folders: Option<&Folders>) -> Changes {
    let mut out = Changes::default();
    for e in events {
        if e.need_rescan() {
            out.rescan = true;
            continue;
        }
        let what = match e.kind {
            EventKind::Create(_) | EventKind::Modify(ModifyKind::Name(RenameMode::To)) => {
                What::Created
            }
            EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(RenameMode::From)) => {
                What::Removed
            }
            EventKind::Modify(ModifyKind::Name(RenameMode::Both)) if e.paths.len() == 2 => {
                let to = e.paths[1]
                    .strip_prefix(root)
                    .map(crate::fs::slash_path)
                    .unwrap_or_default();
                What::Renamed(to)
            }
            EventKind::Modify(_) | EventKind::Access(AccessKind::Close(AccessMode::Write)) => {
                What::Modified
            }
            EventKind::Any | EventKind::Other => What::Modified,
            EventKind::Access(_) => continue,
        };
        if let Some(p) = e.paths.first() {
            // An editor that saves by writing a new file over the old one (a
            // rename onto it) reports the old one removed: it is there, changed.
            // Something else there now (a link, a folder) is new: it is read,
            // and checked against the confinement, as a new file is.
            let what = match p.symlink_metadata() {
                Ok(m) if what == What::Removed && m.file_type().is_file() => What::Modified,
                Ok(_) if what == What::Removed => What::Created,
                _ => what,
            };
            out.push(root, p, what, folders);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::time::Instant;

    use notify_debouncer_full::notify::Event;
    use notify_debouncer_full::notify::event::{AccessKind, CreateKind, DataChange, RemoveKind};

    use super::*;

    fn k(p: &str) -> ChangeKind {
        classify(Path::new(p))
    }

    #[test]
    fn configured_folders_are_classified() {
        let dir = tempfile::tempdir().expect("tmp");
        std::fs::write(
            dir.path().join(CONFIG_FILE),
            "content: .\nstatic: [assets]\noutput: _site\nexclude: [node_modules]\n",
        )
        .expect("write");
        let f = Folders::of(dir.path());
        let k = |p: &str| f.classify(Path::new(p));
        assert_eq!(k("guide/a.md"), ChangeKind::Content);
        assert_eq!(k("index.md"), ChangeKind::Content);
        assert_eq!(k("assets/logo.png"), ChangeKind::Static);
        assert_eq!(k("_site/index.html"), ChangeKind::Ignored);
        assert_eq!(k("node_modules/x/a.md"), ChangeKind::Ignored);
        assert_eq!(k("templates/page.html"), ChangeKind::Template);
        assert_eq!(k(CONFIG_FILE), ChangeKind::Config);
        std::fs::create_dir_all(dir.path().join("guide")).expect("mkdir");
        std::fs::create_dir_all(dir.path().join("_site")).expect("mkdir");
        assert_eq!(
            f.watched(dir.path()),
            ["assets", "guide", "templates", "themes"]
        );
    }

    #[test]
    fn classifies_site_parts() {
        assert_eq!(k("content/a.md"), ChangeKind::Content);
        assert_eq!(k("content/img/photo.png"), ChangeKind::Content);
        assert_eq!(k("content"), ChangeKind::Content);
        assert_eq!(k("templates/page.html"), ChangeKind::Template);
        assert_eq!(k("themes/maison/templates/base.html"), ChangeKind::Template);
        assert_eq!(k("themes/maison/theme.yaml"), ChangeKind::Template);
        assert_eq!(k("themes/maison/i18n/fr.yaml"), ChangeKind::Template);
        assert_eq!(k("themes/maison/static/style.css"), ChangeKind::Static);
        assert_eq!(k("static/logo.svg"), ChangeKind::Static);
        assert_eq!(k("mentorbook.yaml"), ChangeKind::Config);
    }

    #[test]
    fn ignores_editor_files_output_and_tooling() {
        for p in [
            "content/.a.md.swp",
            "content/a.md~",
            "content/#a.md#",
            "content/.#a.md",
            "content/4913",
            "content/a.md.tmp",
            "content/a.md___jb_tmp___",
            "content/.hidden/a.md",
            "mentorbook.yaml~",
            ".mentorbook.yaml.swp",
            "public/index.html",
            ".public.staging-x/index.html",
            "target/debug/mentorbook",
            ".git/index",
            "Cargo.toml",
            "content/sub/mentorbook.yaml.bak",
            "",
        ] {
            assert_eq!(k(p), ChangeKind::Ignored, "{p}");
        }
        // A config file in a sub-folder is just content.
        assert_eq!(k("content/mentorbook.yaml"), ChangeKind::Content);
    }

    fn ev(kind: EventKind, paths: &[&str]) -> DebouncedEvent {
        let mut e = Event::new(kind);
        for p in paths {
            e = e.add_path(PathBuf::from(format!("/site/{p}")));
        }
        DebouncedEvent::new(e, Instant::now())
    }

    fn ev_in(root: &Path, kind: EventKind, path: &str) -> DebouncedEvent {
        DebouncedEvent::new(Event::new(kind).add_path(root.join(path)), Instant::now())
    }

    #[test]
    fn events_become_changes() {
        let root = Path::new("/site");
        let evs = [
            ev(
                EventKind::Modify(ModifyKind::Data(DataChange::Any)),
                &["content/a.md"],
            ),
            ev(
                EventKind::Access(AccessKind::Open(AccessMode::Any)),
                &["content/b.md"],
            ),
            ev(EventKind::Create(CreateKind::File), &["content/.a.md.swp"]),
            ev(EventKind::Remove(RemoveKind::Folder), &["content/old"]),
            ev(
                EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
                &["content/01-a", "content/09-b"],
            ),
            ev(
                EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
                &["content/a.md.tmp", "content/c.md"],
            ),
            ev(
                EventKind::Access(AccessKind::Close(AccessMode::Write)),
                &["content/a.md"],
            ),
        ];
        let ch = changes(root, &evs);
        let described: Vec<String> = ch.list.iter().map(Change::describe).collect();
        assert_eq!(
            described,
            [
                "content/a.md changed",
                "content/old removed",
                "content/01-a renamed to content/09-b",
                "content/c.md created",
            ]
        );
        assert!(!ch.rescan);
        assert_eq!(ch.describe(), "content/a.md changed (and 3 more)");
    }

    #[test]
    fn a_file_saved_over_is_changed_not_removed() {
        let dir = tempfile::tempdir().expect("tmp");
        let root = dir.path();
        std::fs::create_dir_all(root.join("content")).expect("mkdir");
        std::fs::write(root.join("content/a.md"), "a").expect("write");
        let evs = [
            ev_in(root, EventKind::Remove(RemoveKind::File), "content/a.md"),
            ev_in(root, EventKind::Remove(RemoveKind::File), "content/gone.md"),
        ];
        let described: Vec<String> = changes(root, &evs)
            .list
            .iter()
            .map(Change::describe)
            .collect();
        assert_eq!(
            described,
            ["content/a.md changed", "content/gone.md removed"]
        );
        // A link put where the file was is no edit in place: it is new.
        #[cfg(unix)]
        {
            std::fs::remove_file(root.join("content/a.md")).expect("rm");
            std::os::unix::fs::symlink("/etc/hostname", root.join("content/a.md")).expect("ln");
            let evs = [ev_in(
                root,
                EventKind::Remove(RemoveKind::File),
                "content/a.md",
            )];
            let ch = changes(root, &evs);
            assert_eq!(ch.list[0].what, What::Created, "{:?}", ch.list);
        }
    }

    #[test]
    fn a_file_saved_through_a_temporary_one_is_one_change() {
        // Written, removed and created again (an editor's safe save), or written
        // then renamed onto: one line, `changed`, not "(and 1 more)".
        let dir = tempfile::tempdir().expect("tmp");
        let root = dir.path();
        std::fs::create_dir_all(root.join("content")).expect("mkdir");
        std::fs::write(root.join("content/a.md"), "a").expect("write");
        let evs = [
            ev_in(
                root,
                EventKind::Modify(ModifyKind::Data(DataChange::Any)),
                "content/a.md",
            ),
            ev_in(root, EventKind::Remove(RemoveKind::File), "content/a.md"),
            ev_in(root, EventKind::Create(CreateKind::File), "content/a.md"),
            ev_in(
                root,
                EventKind::Modify(ModifyKind::Name(RenameMode::To)),
                "content/a.md",
            ),
        ];
        let ch = changes(root, &evs);
        assert_eq!(ch.describe(), "content/a.md changed", "{:?}", ch.list);
        // Created, then removed within the batch: nothing happened; created,
        // removed and created again (a new file saved safely): created.
        std::fs::remove_file(root.join("content/a.md")).expect("rm");
        let evs = [
            ev_in(root, EventKind::Create(CreateKind::File), "content/b.md"),
            ev_in(root, EventKind::Remove(RemoveKind::File), "content/b.md"),
        ];
        assert!(changes(root, &evs).is_empty(), "{:?}", changes(root, &evs));
        std::fs::create_dir_all(root.join("static")).expect("mkdir");
        std::fs::write(root.join("static/new.css"), "a{}").expect("write");
        let evs = [
            ev_in(root, EventKind::Create(CreateKind::File), "static/new.css"),
            ev_in(root, EventKind::Remove(RemoveKind::File), "static/new.css"),
            ev_in(root, EventKind::Create(CreateKind::File), "static/new.css"),
        ];
        let ch = changes(root, &evs);
        assert_eq!(ch.describe(), "static/new.css created", "{:?}", ch.list);
        // A folder removed and made again is new (read whole), never "changed".
        std::fs::create_dir_all(root.join("static/img")).expect("mkdir");
        let evs = [
            ev_in(root, EventKind::Remove(RemoveKind::Folder), "static/img"),
            ev_in(root, EventKind::Create(CreateKind::Folder), "static/img"),
        ];
        let ch = changes(root, &evs);
        assert!(
            ch.list.iter().all(|c| c.what == What::Created),
            "{:?}",
            ch.list
        );
    }

    #[test]
    fn reads_alone_are_no_change() {
        let evs = [ev(
            EventKind::Access(AccessKind::Close(AccessMode::Read)),
            &["content/a.md"],
        )];
        assert!(changes(Path::new("/site"), &evs).is_empty());
    }

    #[test]
    fn stylesheet_only_batches() {
        let root = Path::new("/site");
        let css = ev(
            EventKind::Modify(ModifyKind::Data(DataChange::Any)),
            &["static/brand.css"],
        );
        assert!(changes(root, std::slice::from_ref(&css)).only_stylesheets());
        let md = ev(
            EventKind::Modify(ModifyKind::Data(DataChange::Any)),
            &["content/a.md"],
        );
        assert!(!changes(root, &[css, md]).only_stylesheets());
        let created = ev(EventKind::Create(CreateKind::File), &["static/new.css"]);
        assert!(!changes(root, &[created]).only_stylesheets());
    }
}
