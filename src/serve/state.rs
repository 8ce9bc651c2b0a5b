//! What the server serves right now, and the signal browsers listen to.
//!
//! The rebuild thread is the only writer: it swaps a complete [`Snapshot`] in
//! under the lock, *then* sends the [`Signal`], so a browser told to reload can
//! only ever fetch the new, complete site.
//!
//! A build that changed only some pages (an edit to pages' Markdown) does not
//! reload every open page: the signal lists the pages changed since the last
//! full reload, each with whether its main content alone changed (the page
//! swaps it in place) or more (that page reloads). Other pages do nothing.

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

use tokio::sync::watch;

use crate::confine::Confinement;
use crate::diagnostic::Diagnostic;
use crate::site::SiteOutput;

/// What browsers are told after each build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signal {
    /// Identifies this server process, so pages reload after a restart.
    pub server: String,
    /// Bumped on every build, good or bad.
    pub version: u64,
    /// The last version that needs every page reloaded (anything but a
    /// stylesheet-only change or an edit to some pages). A page at version `v`
    /// reloads when `full > v`.
    pub full: u64,
    /// The last version whose stylesheets changed: a page at version `v` swaps
    /// its stylesheets when `css > v`.
    pub css: u64,
    /// The pages changed since `full`, by output path: what a page at version
    /// `v` does when its own path is listed ([`PageChange`]).
    pub pages: Arc<BTreeMap<String, PageChange>>,
}

/// When one page last changed, since the last full reload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageChange {
    /// The last version that changed the page: a page at version `v` swaps its
    /// main content in place when `changed > v`.
    pub changed: u64,
    /// The last version that changed more of it than its main content (the
    /// page reloads when `reload > v`; 0 when never).
    pub reload: u64,
}

/// At most this many pages are listed in a [`Signal`]; beyond, every page reloads.
pub const MAX_LISTED_PAGES: usize = 256;

impl Signal {
    /// The JSON sent over the event stream: `pages` maps an output path to
    /// `[changed, reload]`.
    pub fn to_json(&self) -> String {
        let pages: serde_json::Map<String, serde_json::Value> = self
            .pages
            .iter()
            .map(|(k, c)| (k.clone(), serde_json::json!([c.changed, c.reload])))
            .collect();
        serde_json::json!({
            "server": self.server,
            "version": self.version,
            "full": self.full,
            "css": self.css,
            "pages": pages,
        })
        .to_string()
    }
}

/// How open pages follow a successful build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reload {
    /// Every page reloads.
    Full,
    /// Only stylesheets changed: pages swap them instead of reloading.
    Stylesheets,
    /// Only these pages changed (output path, and whether the main content
    /// alone changed, so that the page swaps it in place); other open pages
    /// stay as they are.
    Pages(Vec<(String, bool)>),
}

/// One consistent state of the served site.
#[derive(Debug)]
pub struct Snapshot {
    /// The last site that built without errors; `None` until one does.
    pub site: Option<Arc<SiteOutput>>,
    /// Errors of the latest build; empty when it succeeded.
    pub errors: Vec<Diagnostic>,
    /// The confinement rule files copied from disk must pass to be served
    /// (`None` until a build succeeds: nothing is served from disk before).
    pub allowed: Option<Arc<Confinement>>,
    /// The signal matching this state.
    pub signal: Signal,
}

/// The result of one build, to be published.
#[derive(Debug)]
pub enum Update {
    /// The build succeeded: serve this site.
    Built {
        /// The new site.
        site: Arc<SiteOutput>,
        /// The rule disk files must pass to be served (see [`Snapshot::allowed`]).
        allowed: Confinement,
        /// How open pages follow this build.
        reload: Reload,
    },
    /// The build failed: keep the last good site and show these errors.
    Failed(Vec<Diagnostic>),
}

/// The served state shared by the HTTP handlers (readers) and the rebuild thread (writer).
#[derive(Debug)]
pub struct Shared {
    current: RwLock<Arc<Snapshot>>,
    signal: watch::Sender<Signal>,
}

impl Shared {
    /// An empty state for the server identified by `server`.
    pub fn new(server: String) -> Arc<Self> {
        let signal = Signal {
            server,
            version: 0,
            full: 0,
            css: 0,
            pages: Arc::default(),
        };
        let snapshot = Snapshot {
            site: None,
            errors: Vec::new(),
            allowed: None,
            signal: signal.clone(),
        };
        Arc::new(Self {
            current: RwLock::new(Arc::new(snapshot)),
            signal: watch::Sender::new(signal),
        })
    }

    /// The current snapshot (cheap: an `Arc` clone under a short read lock).
    pub fn current(&self) -> Arc<Snapshot> {
        // The lock only guards an `Arc` assignment, which cannot be left half
        // done by a panic, so a poisoned lock still holds a consistent value.
        self.current
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// A receiver of signals, starting with the current one.
    pub fn subscribe(&self) -> watch::Receiver<Signal> {
        self.signal.subscribe()
    }

    /// Swaps in the result of a build, then tells the browsers. Returns the new signal.
    pub fn publish(&self, update: Update) -> Signal {
        let next = {
            let mut guard = self.current.write().unwrap_or_else(|p| p.into_inner());
            let prev = guard.clone();
            let version = prev.signal.version + 1;
            let (site, errors, allowed, reload) = match update {
                Update::Built {
                    site,
                    allowed,
                    reload,
                } => (Some(site), Vec::new(), Some(Arc::new(allowed)), reload),
                Update::Failed(errors) => (
                    prev.site.clone(),
                    errors,
                    prev.allowed.clone(),
                    Reload::Full,
                ),
            };
            // Errors appearing or going away change every page (the overlay).
            let reload = if prev.errors.is_empty() && errors.is_empty() {
                reload
            } else {
                Reload::Full
            };
            let old = &prev.signal;
            let mut signal = Signal {
                server: old.server.clone(),
                version,
                full: old.full,
                css: old.css,
                pages: old.pages.clone(),
            };
            match reload {
                Reload::Full => signal.full = version,
                Reload::Stylesheets => signal.css = version,
                Reload::Pages(list) if list.is_empty() => {}
                Reload::Pages(list) => {
                    let pages = Arc::make_mut(&mut signal.pages);
                    for (path, swap) in list {
                        let entry = pages.entry(path).or_insert(PageChange {
                            changed: 0,
                            reload: 0,
                        });
                        entry.changed = version;
                        if !swap {
                            entry.reload = version;
                        }
                    }
                    if pages.len() > MAX_LISTED_PAGES {
                        signal.full = version;
                    }
                }
            }
            if signal.full == version {
                signal.pages = Arc::default();
            }
            *guard = Arc::new(Snapshot {
                site,
                errors,
                allowed,
                signal: signal.clone(),
            });
            signal
        };
        // Sent after the lock is released and the new snapshot is visible.
        self.signal.send_replace(next.clone());
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn built(reload: Reload) -> Update {
        Update::Built {
            site: Arc::new(SiteOutput::default()),
            allowed: Confinement::new(std::path::Path::new("."), false),
            reload,
        }
    }

    #[test]
    fn failed_build_keeps_last_good_site() {
        let s = Shared::new("t".into());
        s.publish(built(Reload::Full));
        let sig = s.publish(Update::Failed(vec![Diagnostic::error("a", 1, 1, "bad")]));
        let cur = s.current();
        assert!(cur.site.is_some());
        assert_eq!(cur.errors.len(), 1);
        assert_eq!((sig.version, sig.full), (2, 2));
    }

    #[test]
    fn css_only_keeps_full_version_unless_errors_change() {
        let s = Shared::new("t".into());
        s.publish(built(Reload::Full));
        let sig = s.publish(built(Reload::Stylesheets));
        assert_eq!((sig.version, sig.full, sig.css), (2, 1, 2));
        s.publish(Update::Failed(vec![Diagnostic::error("a", 1, 1, "bad")]));
        let sig = s.publish(built(Reload::Stylesheets));
        assert_eq!((sig.version, sig.full), (4, 4), "the overlay must go away");
        assert_eq!(*s.subscribe().borrow(), sig);
    }

    #[test]
    fn page_edits_are_listed_until_the_next_full_reload() {
        let s = Shared::new("t".into());
        s.publish(built(Reload::Full));
        let page = |p: &str, swap| Reload::Pages(vec![(p.to_string(), swap)]);
        s.publish(built(page("a.html", true)));
        s.publish(built(page("b.html", false)));
        let sig = s.publish(built(page("a.html", true)));
        assert_eq!(sig.full, 1, "an edit to pages reloads no other page");
        let a = sig.pages["a.html"];
        assert_eq!((a.changed, a.reload), (4, 0));
        let b = sig.pages["b.html"];
        assert_eq!((b.changed, b.reload), (3, 3));
        assert!(
            sig.to_json()
                .contains(r#""pages":{"a.html":[4,0],"b.html":[3,3]}"#)
        );
        // A page edited in its layout after its content: it still reloads.
        let sig = s.publish(built(page("b.html", true)));
        let b = sig.pages["b.html"];
        assert_eq!((b.changed, b.reload), (5, 3));
        let sig = s.publish(built(Reload::Full));
        assert!(sig.pages.is_empty());
        let many = (0..=MAX_LISTED_PAGES)
            .map(|i| (format!("{i}.html"), true))
            .collect();
        let sig = s.publish(built(Reload::Pages(many)));
        assert_eq!(sig.full, sig.version, "too many pages: every page reloads");
        assert!(sig.pages.is_empty());
    }
}
