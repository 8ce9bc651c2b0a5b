//! The file watcher: notify (native events, or polling with `--poll`) behind
//! notify-debouncer-full, sending debounced batches to the rebuild thread.
//!
//! Watched: the site root itself, not recursively (for `mentorbook.yaml` and
//! for the watched folders appearing or going), and the content folder,
//! `templates/`, `themes/` and the static folders recursively (`content/` and
//! `static/`, or those of `content:` and `static:`; with `content: .`, each
//! folder of the root the content does not leave out). The output folder,
//! `target/` and `.git` are never watched, so a parallel `build` or `cargo` run
//! costs nothing.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify_debouncer_full::notify::{self, PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, Debouncer, NoCache, RecommendedCache, new_debouncer_opt,
};

use crate::error::{Error, Result};
use crate::serve::watch::{Changes, Folders, WATCHED_DIRS};

/// How long a path must stay quiet before its events are passed on. Short,
/// because edit-to-visible latency matters; a save is one burst of events.
pub const DEBOUNCE: Duration = Duration::from_millis(20);
/// Polling interval with `--poll`.
pub const POLL_INTERVAL: Duration = Duration::from_millis(250);

enum Inner {
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<PollWatcher, NoCache>),
}

/// A running watcher; dropping it stops watching.
pub struct Watcher {
    inner: Inner,
    root: PathBuf,
    watched: BTreeSet<PathBuf>,
}

impl std::fmt::Debug for Watcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watcher")
            .field("root", &self.root)
            .field("watched", &self.watched)
            .finish_non_exhaustive()
    }
}

impl Watcher {
    /// Starts watching the site at `root`, sending batches to `tx`.
    pub fn start(root: &Path, poll: bool, tx: Sender<DebounceEventResult>) -> Result<Self> {
        let tick = Some(Duration::from_millis(5));
        let inner = if poll {
            // notify's poller compares modification times in whole seconds, which
            // misses a second save within the same second; comparing contents does not.
            let config = notify::Config::default()
                .with_poll_interval(POLL_INTERVAL)
                .with_compare_contents(true);
            Inner::Poll(
                new_debouncer_opt(DEBOUNCE, tick, tx, NoCache::new(), config)
                    .map_err(|e| watch_error(root, &e))?,
            )
        } else {
            Inner::Native(
                new_debouncer_opt(
                    DEBOUNCE,
                    tick,
                    tx,
                    RecommendedCache::new(),
                    notify::Config::default(),
                )
                .map_err(|e| watch_error(root, &e))?,
            )
        };
        let mut w = Self {
            inner,
            root: root.to_path_buf(),
            watched: BTreeSet::new(),
        };
        w.watch(root, RecursiveMode::NonRecursive)
            .map_err(|e| watch_error(root, &e))?;
        w.refresh_in(&Changes::default(), &Folders::of(root));
        Ok(w)
    }

    /// Watches the folders that appeared, forgets those that went, and re-watches
    /// any that was itself created, removed or renamed in `changes` (a folder
    /// moved away keeps its watch; the new one at the same path needs its own).
    pub fn refresh(&mut self, changes: &Changes) {
        let names: Vec<String> = WATCHED_DIRS.iter().map(|d| (*d).to_string()).collect();
        self.refresh_dirs(changes, &names);
    }

    /// [`Watcher::refresh`] for a handbook whose folders are `folders`; folders
    /// watched before that no longer belong to the handbook are let go.
    pub fn refresh_in(&mut self, changes: &Changes, folders: &Folders) {
        let names = folders.watched(&self.root);
        let keep: BTreeSet<PathBuf> = names.iter().map(|n| self.root.join(n)).collect();
        let stale: Vec<PathBuf> = self.watched.difference(&keep).cloned().collect();
        for dir in stale {
            let _ = self.unwatch(&dir);
            self.watched.remove(&dir);
        }
        self.refresh_dirs(changes, &names);
    }

    fn refresh_dirs(&mut self, changes: &Changes, names: &[String]) {
        for name in names {
            let dir = self.root.join(name);
            let touched = changes.rescan || changes.list.iter().any(|c| &c.path == name);
            let is_watched = self.watched.contains(&dir);
            if is_watched && (touched || !dir.is_dir()) {
                let _ = self.unwatch(&dir);
                self.watched.remove(&dir);
            }
            if dir.is_dir() && !self.watched.contains(&dir) {
                match self.watch(&dir, RecursiveMode::Recursive) {
                    Ok(()) => {
                        self.watched.insert(dir);
                    }
                    Err(e) => eprintln!("{}", watch_error(&dir, &e)),
                }
            }
        }
    }

    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match &mut self.inner {
            Inner::Native(d) => d.watch(path, mode),
            Inner::Poll(d) => d.watch(path, mode),
        }
    }

    fn unwatch(&mut self, path: &Path) -> notify::Result<()> {
        match &mut self.inner {
            Inner::Native(d) => d.unwatch(path),
            Inner::Poll(d) => d.unwatch(path),
        }
    }
}

/// A watch error with what to do about it.
pub fn watch_error(path: &Path, e: &notify::Error) -> Error {
    let help = match &e.kind {
        notify::ErrorKind::MaxFilesWatch => {
            "the system's limit of watched files is reached: raise fs.inotify.max_user_watches, or use `--poll`"
        }
        _ => "use `--poll` on file systems without change events (network drives, some containers)",
    };
    Error::Usage(format!(
        "cannot watch `{}` for changes: {e}\n  help: {help}",
        path.display()
    ))
}
