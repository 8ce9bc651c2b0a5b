//! Idle connections: a socket wrapper that records when bytes last moved
//! through it, so [`conn`](super::conn) can close a connection on which
//! nothing moved for too long.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::Instant;

/// When bytes last moved on a connection.
#[derive(Debug)]
pub struct Activity {
    start: Instant,
    /// Milliseconds from `start` to the last read or write.
    last_ms: AtomicU64,
}

impl Default for Activity {
    /// Starts counting now.
    fn default() -> Self {
        Self {
            start: Instant::now(),
            last_ms: AtomicU64::new(0),
        }
    }
}

impl Activity {
    /// Records that bytes moved now.
    pub fn touch(&self) {
        let ms = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_ms.store(ms, Ordering::Relaxed);
    }

    fn last(&self) -> Duration {
        Duration::from_millis(self.last_ms.load(Ordering::Relaxed))
    }

    /// How long since bytes last moved.
    pub fn idle_for(&self) -> Duration {
        self.start.elapsed().saturating_sub(self.last())
    }

    /// When the connection will have been idle for `idle`, unless bytes move.
    pub fn deadline(&self, idle: Duration) -> Instant {
        self.start + self.last() + idle
    }
}

/// A socket that records when bytes move through it.
#[derive(Debug)]
pub struct Watched {
    inner: TcpStream,
    activity: Arc<Activity>,
}

impl Watched {
    /// Wraps `inner`, recording into `activity`.
    pub fn new(inner: TcpStream, activity: Arc<Activity>) -> Self {
        Self { inner, activity }
    }

    fn moved(&self, n: usize) {
        if n > 0 {
            self.activity.touch();
        }
    }
}

impl AsyncRead for Watched {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let result = Pin::new(&mut this.inner).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = result {
            this.moved(buf.filled().len().saturating_sub(before));
        }
        result
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let result = Pin::new(&mut this.inner).poll_write(cx, buf);
        if let Poll::Ready(Ok(n)) = result {
            this.moved(n);
        }
        result
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let result = Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
        if let Poll::Ready(Ok(n)) = result {
            this.moved(n);
        }
        result
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const IDLE: Duration = Duration::from_secs(60);

    #[test]
    fn activity_pushes_the_idle_deadline() {
        let a = Activity::default();
        let first = a.deadline(IDLE);
        std::thread::sleep(Duration::from_millis(30));
        assert!(a.idle_for() >= Duration::from_millis(30));
        a.touch();
        assert!(a.idle_for() < Duration::from_millis(30));
        assert!(a.deadline(IDLE) >= first + Duration::from_millis(30));
    }
}
