//! `mentorbook serve`: a live-reload dev server that never shows a half-built
//! or broken page.
//!
//! The flow of [`serve`]:
//! 1. bind the port (a clear error when it is taken), start the watcher;
//! 2. build the site into memory, errors allowed: a broken first build serves
//!    an error page instead of stopping;
//! 3. serve the in-memory site over HTTP ([`http`]) through our own accept
//!    loop ([`conn`]: header-read and idle timeouts, a connection cap, a raised
//!    open-file limit), answering only to the server's own names ([`host`]:
//!    the bound address, `localhost`, `127.0.0.1`, `[::1]`, `--allowed-host`);
//! 4. on the rebuild thread, for each debounced batch of changes ([`watcher`],
//!    [`watch`]): rebuild ([`rebuild`]), swap the new site in ([`state`]), and
//!    only then tell the browsers to reload ([`reload`]); a failed build keeps
//!    the last good site and shows the errors over it ([`overlay`]).
//!
//! Nothing is written to disk: `public/` is never touched.

pub mod confine;
pub mod conn;
pub mod host;
pub mod http;
pub mod idle;
pub mod inject;
pub mod mime;
pub mod overlay;
pub mod paths;
pub mod rebuild;
pub mod reload;
pub mod state;
pub mod watch;
pub mod watcher;

use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::sync::mpsc::Receiver;
use std::time::Duration;

use notify_debouncer_full::{DebounceEventResult, DebouncedEvent};

use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result};
use rebuild::{Outcome, Rebuilder};
use state::{Shared, Update};
use watch::Changes;

/// Options of `mentorbook serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Address to listen on (loopback by default).
    pub bind: IpAddr,
    /// Port to listen on (0: any free port).
    pub port: u16,
    /// Open the site in the default browser once served.
    pub open: bool,
    /// Poll the file system instead of using native change events.
    pub poll: bool,
    /// Include drafts.
    pub drafts: bool,
    /// Colour diagnostics.
    pub color: bool,
    /// Print only errors.
    pub quiet: bool,
    /// Names answered besides the bound address and the loopback names
    /// (`--allowed-host`, checked by [`host::parse_allowed_host`]).
    pub allowed_hosts: Vec<String>,
}

/// Serves the handbook at `root` until interrupted. Returns an error only when
/// the server cannot start (port taken, runtime or watcher unavailable); bad
/// content never stops it.
pub fn serve(root: &Path, opts: &ServeOptions) -> Result<()> {
    let root = root
        .canonicalize()
        .map_err(|e| Error::io("cannot open the handbook folder", root, e))?;
    let term = Terminal {
        color: opts.color,
        quiet: opts.quiet,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("mentorbook-http")
        .enable_all()
        .build()
        .map_err(|e| Error::io("cannot start the server in", &root, e))?;
    let limits = conn::Limits::for_fd_limit(conn::raise_fd_limit());
    if limits.max_connections < conn::MAX_CONNECTIONS {
        eprintln!(
            "warning: the open-file limit allows only {} connections at once\n  help: raise it with `ulimit -n`",
            limits.max_connections
        );
    }
    let addr = SocketAddr::new(opts.bind, opts.port);
    let listener = runtime
        .block_on(async { conn::listen(addr) })
        .map_err(|e| bind_error(addr, &e))?;
    let local = listener.local_addr().unwrap_or(addr);

    // Watch before the first build, so an edit made while it runs is not lost.
    let (tx, rx) = std::sync::mpsc::channel();
    let watcher = watcher::Watcher::start(&root, opts.poll, tx)?;
    let shared = Shared::new(server_id());
    let mut rebuilder = Rebuilder::new(root.clone(), opts.drafts);
    let outcome = rebuilder.build(&Changes::default());
    term.report(None, &outcome, rebuilder.has_site());
    shared.publish(outcome.update);

    let url = url_of(local);
    term.info(&format!("Serving {url} (press Ctrl-C to stop)"));
    if local.ip().is_unspecified() || !local.ip().is_loopback() {
        eprintln!(
            "warning: listening on {}: other machines on the network can read this handbook",
            local.ip()
        );
        if local.ip().is_unspecified() {
            eprintln!(
                "  help: requests are answered only for this machine's loopback names: add `--allowed-host NAME` for the name or address others use"
            );
        }
    }
    if opts.open
        && let Err(e) = opener::open(&url)
    {
        eprintln!("warning: cannot open a browser: {e}\n  help: open {url} yourself");
    }

    let loop_shared = shared.clone();
    let loop_root = root.clone();
    std::thread::Builder::new()
        .name("mentorbook-rebuild".into())
        .spawn(move || rebuild_loop(&rx, watcher, rebuilder, &loop_shared, &loop_root, term))
        .map_err(|e| Error::io("cannot start the rebuild thread for", &root, e))?;

    let hosts = host::HostRule::new(local.ip(), &opts.allowed_hosts);
    let router = http::router(shared, hosts, limits.max_streams, root.clone());
    let result = runtime.block_on(async move {
        tokio::select! {
            () = conn::run(listener, router, limits) => Ok(()),
            r = tokio::signal::ctrl_c() => r,
        }
    });
    // Open event streams never end by themselves: do not wait for them.
    runtime.shutdown_timeout(Duration::from_millis(200));
    result.map_err(|e| Error::io("cannot wait for Ctrl-C while serving", &root, e))
}

/// Rebuilds after each batch of changes, until the watcher goes away.
fn rebuild_loop(
    rx: &Receiver<DebounceEventResult>,
    mut watcher: watcher::Watcher,
    mut rebuilder: Rebuilder,
    shared: &Shared,
    root: &Path,
    term: Terminal,
) {
    while let Ok(first) = rx.recv() {
        let mut events: Vec<DebouncedEvent> = Vec::new();
        // Everything already queued joins this batch (bounded: the queue is finite).
        for batch in std::iter::once(first).chain(rx.try_iter().take(10_000)) {
            match batch {
                Ok(evs) => events.extend(evs),
                Err(errors) => {
                    for e in errors {
                        eprintln!("warning: file watching: {e}");
                    }
                }
            }
        }
        // The configuration may have moved the folders: read where they are now.
        let folders = watch::Folders::of(root);
        let changes = watch::changes_in(root, &events, Some(&folders));
        watcher.refresh_in(&changes, &folders);
        if changes.is_empty() {
            continue;
        }
        let outcome = rebuilder.build(&changes);
        let has_site = rebuilder.has_site();
        let what = changes.describe();
        let printed = term.prepare(Some(&what), &outcome, has_site);
        shared.publish(outcome.update);
        term.print(printed);
        if let Some(fixed) = rebuilder.verify() {
            let printed = term.prepare(Some(&what), &fixed, rebuilder.has_site());
            shared.publish(fixed.update);
            term.print(printed);
        }
    }
}

/// Prints build results: one line per build, diagnostics in the standard format.
#[derive(Debug, Clone, Copy)]
struct Terminal {
    color: bool,
    quiet: bool,
}

/// What a build prints, prepared before publishing so the browser is told first.
struct Printed {
    line: String,
    failed: bool,
    diagnostics: Vec<Diagnostic>,
    refused: Vec<String>,
}

impl Terminal {
    fn info(&self, msg: &str) {
        if !self.quiet {
            println!("{msg}");
        }
    }

    fn report(&self, what: Option<&str>, outcome: &Outcome, has_site: bool) {
        let p = self.prepare(what, outcome, has_site);
        self.print(p);
    }

    fn prepare(&self, what: Option<&str>, outcome: &Outcome, has_site: bool) -> Printed {
        let (failed, diagnostics) = match &outcome.update {
            Update::Failed(d) => (true, d.clone()),
            Update::Built { .. } => (false, outcome.new_warnings.clone()),
        };
        Printed {
            line: rebuild::summary(what, outcome, has_site),
            failed,
            diagnostics,
            refused: outcome.refused.clone(),
        }
    }

    fn print(&self, p: Printed) {
        for d in &p.diagnostics {
            if !self.quiet || d.is_error() {
                eprintln!("{}", d.render(self.color));
            }
        }
        for r in &p.refused {
            eprintln!(
                "warning: `{r}` now leads outside the handbook or into the output folder: not served (the next build reports the link)"
            );
        }
        if p.failed {
            eprintln!("{}", p.line);
        } else {
            self.info(&p.line);
        }
    }
}

fn url_of(addr: SocketAddr) -> String {
    let shown = if addr.ip().is_unspecified() {
        SocketAddr::new(
            if addr.is_ipv4() {
                IpAddr::from([127, 0, 0, 1])
            } else {
                IpAddr::from([0u16, 0, 0, 0, 0, 0, 0, 1])
            },
            addr.port(),
        )
    } else {
        addr
    };
    format!("http://{shown}/")
}

fn bind_error(addr: SocketAddr, e: &std::io::Error) -> Error {
    let help = if e.kind() == std::io::ErrorKind::AddrInUse {
        format!(
            "another program (maybe another `mentorbook serve`) uses port {}; pass another one, e.g. `--port {}`",
            addr.port(),
            addr.port().wrapping_add(1).max(1024)
        )
    } else {
        "check the address given to `--bind` (e.g. `--bind 127.0.0.1`)".to_string()
    };
    Error::Usage(format!("cannot listen on {addr}: {e}\n  help: {help}"))
}

/// A token unique to this server process, so pages notice a restart.
fn server_id() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{nanos:x}-{}", std::process::id())
}
