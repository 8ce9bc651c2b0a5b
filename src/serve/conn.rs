//! Connections of the dev server: our own accept loop over hyper's HTTP/1
//! connections, for the limits `axum::serve` does not offer.
//!
//! - **Header-read timeout** ([`HEADER_READ_TIMEOUT`], hyper's own): a
//!   request's headers must arrive within 10 s of the connection opening or of
//!   the previous response ending, so this is also the keep-alive idle limit.
//! - **Idle timeout** ([`IDLE_TIMEOUT`]): a connection on which no byte moved
//!   either way for 60 s is closed whatever it is doing (say, a client that
//!   stopped reading a response).
//! - **Connection cap** ([`Limits::max_connections`]: 1,024, fewer when the
//!   open-file limit is lower). At the cap, the oldest connection with no
//!   request in progress (idle keep-alive, or never sent anything) is closed to
//!   make room, which HTTP always allows; when every connection is busy, the
//!   new one gets a 503 and is closed. The first time the cap is reached, one
//!   line says so, never one per connection. So idle connections, however
//!   many, cannot keep a client out.
//! - **Event streams** (live reload) are long-lived on purpose. Each holds a
//!   socket, so it counts against the cap like any connection; having a
//!   response in progress, it is never closed to make room; it sends a
//!   keep-alive comment every 10 s, so the idle timeout spares it while its
//!   reader is there. At most half the cap may be event streams
//!   ([`Limits::max_streams`], enforced in [`http`](super::http)), so pages can
//!   always be served.
//! - [`listen`] asks for a long accept queue, so a burst of connections waits
//!   to be accepted instead of being dropped (and retried a second later).
//! - At start, [`raise_fd_limit`] raises the soft open-file limit as far as
//!   the hard limit allows.
//!
//! [`run`] accepts until its future is dropped (on Ctrl-C); each connection is
//! one task that ends with the connection.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::io;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};
use tower_service::Service;

use crate::serve::idle::{Activity, Watched};

/// Time allowed for a request's headers, counted from the connection's start
/// or the end of the previous response.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// A connection on which no byte moved for this long is closed.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// The most connections open at once.
pub const MAX_CONNECTIONS: usize = 1024;
/// Open files kept for everything but connections (watcher, files read, logs).
const FD_RESERVE: u64 = 64;
/// The fewest connections allowed, however low the open-file limit.
const MIN_CONNECTIONS: usize = 16;
/// The soft open-file limit asked for at start (capped by the hard limit).
const FD_WANTED: u64 = 65_536;
/// How long to wait for a closed connection's slot to be freed.
const ROOM_WAIT: Duration = Duration::from_secs(1);
/// Connections the system may queue before we accept them (it caps this at
/// its own maximum, `net.core.somaxconn` on Linux). A burst beyond the queue
/// is dropped and retried by clients only a second later.
const LISTEN_BACKLOG: u32 = 4096;
/// What a connection refused at the cap receives.
const BUSY_RESPONSE: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain; charset=utf-8\r\nretry-after: 1\r\nconnection: close\r\ncontent-length: 40\r\n\r\ntoo many connections: try again shortly\n";

/// The connection limits of a server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The most connections open at once.
    pub max_connections: usize,
    /// The most live-reload event streams open at once.
    pub max_streams: usize,
}

impl Limits {
    /// The limits for a soft open-file limit of `fd_limit` (`None`: unknown or unlimited).
    pub fn for_fd_limit(fd_limit: Option<u64>) -> Self {
        let by_fds = fd_limit.map_or(MAX_CONNECTIONS, |n| {
            usize::try_from(n.saturating_sub(FD_RESERVE)).unwrap_or(usize::MAX)
        });
        let max_connections = by_fds.clamp(MIN_CONNECTIONS, MAX_CONNECTIONS);
        Self {
            max_connections,
            max_streams: max_connections / 2,
        }
    }
}

/// Raises the soft open-file limit toward the hard limit (at most 65,536);
/// returns the soft limit in force afterwards (`None`: unlimited or unknown).
#[cfg(unix)]
pub fn raise_fd_limit() -> Option<u64> {
    use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
    let limit = getrlimit(Resource::Nofile);
    let current = limit.current?;
    let target = limit.maximum.map_or(FD_WANTED, |hard| hard.min(FD_WANTED));
    if current >= target {
        return Some(current);
    }
    // macOS refuses more than OPEN_MAX (10,240) whatever the hard limit says.
    for want in [target, target.min(10_240)] {
        let raised = Rlimit {
            current: Some(want),
            maximum: limit.maximum,
        };
        if setrlimit(Resource::Nofile, raised).is_ok() {
            return Some(want);
        }
    }
    Some(current)
}

/// Raises the soft open-file limit: nothing to do on this system.
#[cfg(not(unix))]
pub fn raise_fd_limit() -> Option<u64> {
    None
}

/// Listens on `addr` with a long accept queue (call it inside the runtime).
pub fn listen(addr: std::net::SocketAddr) -> io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    // As `TcpListener::bind` does: a restarted server gets its port back at once.
    #[cfg(unix)]
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(LISTEN_BACKLOG)
}

/// Accepts connections on `listener` and serves `router` on each, within
/// `limits`, until the returned future is dropped.
pub async fn run(listener: TcpListener, router: Router, limits: Limits) {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let registry = Arc::new(Registry::default());
    // Runs until Ctrl-C drops this future; every pass handles one accept.
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                registry.warn_once(
                    &registry.warned_accept,
                    &format!("cannot accept a connection: {e} (further errors are not shown)"),
                );
                // Out of file descriptors: give closing connections time.
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let permit = match permits.clone().try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                registry.warn_once(
                    &registry.warned_cap,
                    &format!(
                        "{} connections are open, the limit: the oldest idle ones are closed to make room, new ones refused while all are busy (shown once)",
                        limits.max_connections
                    ),
                );
                match make_room(&registry, &permits).await {
                    Some(permit) => permit,
                    None => {
                        refuse(&stream);
                        continue;
                    }
                }
            }
        };
        let slot = Slot::new(&registry, permit);
        let router = router.clone();
        tokio::spawn(async move {
            serve_connection(stream, router, &slot.state).await;
            drop(slot);
        });
    }
}

/// Closes the oldest connection with no request in progress and returns its
/// slot; `None` when every connection is busy.
async fn make_room(registry: &Registry, permits: &Arc<Semaphore>) -> Option<OwnedSemaphorePermit> {
    let victim = registry.oldest_idle()?;
    victim.evict.notify_one();
    tokio::time::timeout(ROOM_WAIT, permits.clone().acquire_owned())
        .await
        .ok()?
        .ok()
}

/// Answers 503 on a fresh connection (its send buffer is empty, so the write
/// does not block), then closes it.
fn refuse(stream: &TcpStream) {
    let _ = stream.try_write(BUSY_RESPONSE);
}

/// Serves one connection until it ends, is closed to make room, or goes idle.
async fn serve_connection(stream: TcpStream, router: Router, state: &Arc<ConnState>) {
    let activity = Arc::new(Activity::default());
    let io = TokioIo::new(Watched::new(stream, activity.clone()));
    let conn_state = state.clone();
    let service = hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
        let mut router = router.clone();
        let busy = Busy::start(&conn_state);
        async move {
            type Req = hyper::Request<Incoming>;
            std::future::poll_fn(|cx| Service::<Req>::poll_ready(&mut router, cx)).await?;
            let response = Service::<Req>::call(&mut router, req).await?;
            // The connection stays busy until the body is sent or dropped.
            Ok::<_, Infallible>(response.map(|body| {
                Body::new(body.map_frame(move |frame| {
                    busy.hold();
                    frame
                }))
            }))
        }
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT);
    let conn = builder.serve_connection(io, service);
    tokio::pin!(conn);
    // Ends with the connection: every pass either returns or waits for the
    // next idle deadline, which moves forward only when bytes move.
    loop {
        let deadline = activity.deadline(IDLE_TIMEOUT);
        tokio::select! {
            _ = conn.as_mut() => return,
            () = state.evict.notified() => return,
            () = tokio::time::sleep_until(deadline) => {
                if activity.idle_for() >= IDLE_TIMEOUT {
                    return;
                }
            }
        }
    }
}

/// The open connections, oldest first, and the one-time warnings.
#[derive(Debug, Default)]
struct Registry {
    open: Mutex<BTreeMap<u64, Arc<ConnState>>>,
    next_id: AtomicU64,
    warned_cap: AtomicBool,
    warned_accept: AtomicBool,
}

impl Registry {
    fn add(&self) -> (u64, Arc<ConnState>) {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let state = Arc::new(ConnState::default());
        self.lock().insert(id, state.clone());
        (id, state)
    }

    fn remove(&self, id: u64) {
        self.lock().remove(&id);
    }

    /// The oldest connection with no request in progress, marked as closing.
    fn oldest_idle(&self) -> Option<Arc<ConnState>> {
        self.lock()
            .values()
            .find(|c| {
                c.busy.load(Ordering::Acquire) == 0 && !c.closing.swap(true, Ordering::AcqRel)
            })
            .cloned()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<u64, Arc<ConnState>>> {
        // Inserts and removals cannot be left half done: a poisoned map is intact.
        self.open.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn warn_once(&self, flag: &AtomicBool, message: &str) {
        if !flag.swap(true, Ordering::Relaxed) {
            eprintln!("warning: {message}");
        }
    }
}

/// What the accept loop knows of one connection.
#[derive(Debug, Default)]
struct ConnState {
    /// Requests in progress (headers read, response not fully sent).
    busy: AtomicUsize,
    /// Chosen to be closed to make room.
    closing: AtomicBool,
    /// Wakes the connection's task to close it.
    evict: Notify,
}

/// A connection's place: its entry in the registry and its permit, both given
/// back when the connection's task ends (or is dropped at shutdown).
struct Slot {
    registry: Arc<Registry>,
    id: u64,
    state: Arc<ConnState>,
    _permit: OwnedSemaphorePermit,
}

impl Slot {
    fn new(registry: &Arc<Registry>, permit: OwnedSemaphorePermit) -> Self {
        let (id, state) = registry.add();
        Self {
            registry: registry.clone(),
            id,
            state,
            _permit: permit,
        }
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.registry.remove(self.id);
    }
}

/// Marks a connection busy while a request is in progress.
struct Busy(Arc<ConnState>);

impl Busy {
    fn start(state: &Arc<ConnState>) -> Self {
        state.busy.fetch_add(1, Ordering::AcqRel);
        Self(state.clone())
    }

    /// Keeps the mark alive as long as whatever owns it (the response body).
    fn hold(&self) {}
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.busy.fetch_sub(1, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_follow_the_open_file_limit() {
        assert_eq!(Limits::for_fd_limit(None).max_connections, MAX_CONNECTIONS);
        assert_eq!(Limits::for_fd_limit(Some(20_000)).max_connections, 1024);
        assert_eq!(Limits::for_fd_limit(Some(256)).max_connections, 192);
        assert_eq!(
            Limits::for_fd_limit(Some(10)).max_connections,
            MIN_CONNECTIONS
        );
        assert_eq!(Limits::for_fd_limit(Some(256)).max_streams, 96);
    }

    #[cfg(unix)]
    #[test]
    fn the_soft_fd_limit_is_raised_as_far_as_allowed() {
        let hard = rustix::process::getrlimit(rustix::process::Resource::Nofile).maximum;
        let soft = raise_fd_limit();
        if let (Some(soft), Some(hard)) = (soft, hard) {
            assert!(soft >= hard.min(FD_WANTED), "soft {soft}, hard {hard}");
        }
    }

    #[test]
    fn room_is_made_by_closing_the_oldest_idle_connection() {
        let registry = Registry::default();
        let (_, first) = registry.add();
        let (_, second) = registry.add();
        let (_, third) = registry.add();
        let busy = Busy::start(&first);
        let victim = registry.oldest_idle().expect("an idle connection");
        assert!(Arc::ptr_eq(&victim, &second), "the oldest idle one");
        let victim = registry.oldest_idle().expect("another idle connection");
        assert!(Arc::ptr_eq(&victim, &third), "never the same one twice");
        assert!(registry.oldest_idle().is_none(), "the busy one is spared");
        drop(busy);
        assert_eq!(first.busy.load(Ordering::Relaxed), 0);
    }
}
