//! What the server serves right now, and the signal browsers listen to.
//!
//! The rebuild thread is the only writer: it swaps a complete [`Snapshot`] in
//! under the lock, *then* sends the [`Signal`], so a browser told to reload can
//! only ever fetch the new, complete site.

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
    /// The last version that needs a full page reload (anything but a
    /// stylesheet-only change). A page at version `v` reloads when `full > v`,
    /// and only swaps its stylesheets otherwise.
    pub full: u64,
}

impl Signal {
    /// The JSON sent over the event stream.
    pub fn to_json(&self) -> String {
        serde_json::json!({"server": self.server, "version": self.version, "full": self.full})
            .to_string()
    }
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
        /// Only stylesheets changed: pages swap them instead of reloading.
        css_only: bool,
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
            let (site, errors, allowed, css_only) = match update {
                Update::Built {
                    site,
                    allowed,
                    css_only,
                } => (Some(site), Vec::new(), Some(Arc::new(allowed)), css_only),
                Update::Failed(errors) => (prev.site.clone(), errors, prev.allowed.clone(), false),
            };
            // Errors appearing or going away change every page (the overlay).
            let css_only = css_only && prev.errors.is_empty() && errors.is_empty();
            let signal = Signal {
                server: prev.signal.server.clone(),
                version,
                full: if css_only { prev.signal.full } else { version },
            };
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

    fn built(css_only: bool) -> Update {
        Update::Built {
            site: Arc::new(SiteOutput::default()),
            allowed: Confinement::new(std::path::Path::new("."), false),
            css_only,
        }
    }

    #[test]
    fn failed_build_keeps_last_good_site() {
        let s = Shared::new("t".into());
        s.publish(built(false));
        let sig = s.publish(Update::Failed(vec![Diagnostic::error("a", 1, 1, "bad")]));
        let cur = s.current();
        assert!(cur.site.is_some());
        assert_eq!(cur.errors.len(), 1);
        assert_eq!((sig.version, sig.full), (2, 2));
    }

    #[test]
    fn css_only_keeps_full_version_unless_errors_change() {
        let s = Shared::new("t".into());
        s.publish(built(false));
        let sig = s.publish(built(true));
        assert_eq!((sig.version, sig.full), (2, 1));
        s.publish(Update::Failed(vec![Diagnostic::error("a", 1, 1, "bad")]));
        let sig = s.publish(built(true));
        assert_eq!((sig.version, sig.full), (4, 4), "the overlay must go away");
        assert_eq!(*s.subscribe().borrow(), sig);
    }
}
