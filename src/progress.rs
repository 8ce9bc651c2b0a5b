//! The progress line of a long build: silent for the first seconds, then one line
//! on the terminal, rewritten in place, saying which phase runs and how far it is
//! (`writing files 4,210/11,024 · 6.1 s`), cleared when the build ends.
//!
//! A [`Progress`] is a cheap handle shared by the phases; [`Progress::silent`]
//! (the default) does nothing, so library callers and tests pay nothing.

use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long a build runs before its progress line appears.
pub const QUIET_FOR: Duration = Duration::from_secs(2);

/// Milliseconds after which the line is drawn on standard error even when it is
/// not a terminal (logs of a long CI build, tests).
pub const AFTER_ENV: &str = "MENTORBOOK_PROGRESS_AFTER";

/// How often the line is rewritten.
const EVERY: Duration = Duration::from_millis(250);

/// The longest the line is kept up (a bound on its loop; no build runs this long).
const AT_MOST: Duration = Duration::from_secs(24 * 3600);

/// Where a build is, shared between its phases and the thread drawing the line.
#[derive(Debug, Default)]
struct State {
    phase: Mutex<&'static str>,
    done: AtomicUsize,
    total: AtomicUsize,
    stop: AtomicBool,
}

/// A handle the phases of a build report to ([`Progress::phase`], [`Progress::tick`]).
#[derive(Debug, Clone, Default)]
pub struct Progress(Option<Arc<State>>);

impl Progress {
    /// A handle that reports nowhere.
    pub fn silent() -> Progress {
        Progress(None)
    }

    /// A handle whose line is drawn on `out` once `quiet_for` has passed, until
    /// the returned [`Shown`] is dropped or [`Shown::finish`]ed.
    pub fn shown_on(out: Box<dyn Write + Send>, quiet_for: Duration) -> (Progress, Shown) {
        let state = Arc::new(State::default());
        let shared = state.clone();
        let thread = std::thread::Builder::new()
            .name("progress".into())
            .spawn(move || draw(&shared, out, quiet_for))
            .ok();
        (Progress(Some(state.clone())), Shown { state, thread })
    }

    /// A handle drawing on standard error when it is a terminal (after
    /// [`QUIET_FOR`]), else silent; [`AFTER_ENV`] set to a number of
    /// milliseconds draws it after that long even when it is not a terminal.
    pub fn on_terminal() -> (Progress, Option<Shown>) {
        use std::io::IsTerminal;
        let forced = std::env::var(AFTER_ENV)
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_millis);
        let after = match forced {
            Some(after) => after,
            None if std::io::stderr().is_terminal() => QUIET_FOR,
            None => return (Progress::silent(), None),
        };
        let (p, shown) = Progress::shown_on(Box::new(std::io::stderr()), after);
        (p, Some(shown))
    }

    /// Starts phase `name`, of `total` steps (0 when unknown).
    pub fn phase(&self, name: &'static str, total: usize) {
        if let Some(s) = &self.0 {
            *s.phase.lock().unwrap_or_else(|p| p.into_inner()) = name;
            s.done.store(0, Ordering::Relaxed);
            s.total.store(total, Ordering::Relaxed);
        }
    }

    /// One more step of the current phase done.
    pub fn tick(&self) {
        if let Some(s) = &self.0 {
            s.done.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// The drawing thread of a [`Progress`]; dropping it clears the line.
#[derive(Debug)]
pub struct Shown {
    state: Arc<State>,
    thread: Option<JoinHandle<()>>,
}

impl Shown {
    /// Stops drawing and clears the line (so that what is printed next starts
    /// on a clean line).
    pub fn finish(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        self.state.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Shown {
    fn drop(&mut self) {
        self.stop();
    }
}

/// `12345` as `12,345` (the line is short and read at a glance).
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The text of the line for `state` at `elapsed`.
fn line(state: &State, elapsed: Duration) -> String {
    let phase = *state.phase.lock().unwrap_or_else(|p| p.into_inner());
    let (done, total) = (
        state.done.load(Ordering::Relaxed),
        state.total.load(Ordering::Relaxed),
    );
    let count = match total {
        0 => String::new(),
        t => format!(" {}/{}", grouped(done.min(t)), grouped(t)),
    };
    format!("{phase}{count} · {:.1} s", elapsed.as_secs_f64())
}

fn draw(state: &State, mut out: Box<dyn Write + Send>, quiet_for: Duration) {
    let start = Instant::now();
    let mut drawn = false;
    let mut last = start;
    let mut last_phase = "";
    while !state.stop.load(Ordering::Relaxed) && start.elapsed() < AT_MOST {
        std::thread::sleep(Duration::from_millis(20).min(EVERY));
        let now = Instant::now();
        if now - start < quiet_for {
            continue;
        }
        let phase = *state.phase.lock().unwrap_or_else(|p| p.into_inner());
        // A new phase is shown at once; within one, the line is redrawn every `EVERY`.
        if phase.is_empty() || (drawn && now - last < EVERY && phase == last_phase) {
            continue;
        }
        last = now;
        last_phase = phase;
        drawn = true;
        // Carriage return and erase-line: the line is rewritten in place.
        let _ = write!(out, "\r\x1b[2K{}", line(state, now - start));
        let _ = out.flush();
    }
    if drawn {
        let _ = write!(out, "\r\x1b[2K");
        let _ = out.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer tests can read back.
    #[derive(Clone, Default)]
    struct Buf(Arc<Mutex<Vec<u8>>>);

    impl Write for Buf {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Buf {
        fn text(&self) -> String {
            String::from_utf8_lossy(&self.0.lock().unwrap_or_else(|p| p.into_inner())).into_owned()
        }
    }

    #[test]
    fn the_line_shows_the_phase_and_count_and_is_cleared_at_the_end() {
        let buf = Buf::default();
        let (p, shown) = Progress::shown_on(Box::new(buf.clone()), Duration::ZERO);
        p.phase("writing files", 12_000);
        for _ in 0..4_321 {
            p.tick();
        }
        std::thread::sleep(Duration::from_millis(300));
        shown.finish();
        let text = buf.text();
        assert!(text.contains("writing files 4,321/12,000 · "), "{text:?}");
        assert!(text.ends_with("\r\x1b[2K"), "{text:?}");
    }

    #[test]
    fn a_short_build_prints_nothing() {
        let buf = Buf::default();
        let (p, shown) = Progress::shown_on(Box::new(buf.clone()), Duration::from_secs(60));
        p.phase("reading pages", 0);
        std::thread::sleep(Duration::from_millis(60));
        drop(shown);
        assert_eq!(buf.text(), "");
    }

    #[test]
    fn a_silent_handle_does_nothing() {
        let p = Progress::silent();
        p.phase("x", 3);
        p.tick();
        assert_eq!(grouped(1_234_567), "1,234,567");
        assert_eq!(grouped(12), "12");
    }
}
