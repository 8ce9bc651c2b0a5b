//! Prints a list of files through a few tabs of one browser, in parallel threads.
//!
//! Each worker thread owns one tab and takes the next file until none is left;
//! every file has its own deadline. A tab that failed is closed and replaced, so
//! one stuck page cannot hold up the files after it.

use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::PdfError;
use super::browser::{Browser, PrintSettings, Tab};

/// One file to print.
#[derive(Debug, Clone)]
pub(crate) struct Job {
    /// The `file://` URL of the HTML file.
    pub(crate) url: String,
    /// Where the PDF goes.
    pub(crate) pdf: PathBuf,
    /// The PDF's file name, for progress and messages.
    pub(crate) name: String,
}

/// How the pool runs.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PoolSettings {
    /// Tabs printing at the same time.
    pub(crate) tabs: usize,
    /// Longest time one file may take, from navigation to the last byte written.
    pub(crate) timeout: Duration,
    /// How each file is printed.
    pub(crate) print: PrintSettings,
}

/// Prints every job; returns one result per job, in order. `done` is called after
/// each job, whatever its outcome.
pub(crate) fn print_all(
    browser: &Browser,
    jobs: &[Job],
    settings: PoolSettings,
    done: &(dyn Fn(&Job) + Sync),
) -> Vec<Result<(), PdfError>> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<(), PdfError>>>> =
        Mutex::new((0..jobs.len()).map(|_| None).collect());
    let workers = settings.tabs.clamp(1, jobs.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| worker(browser, jobs, settings, &next, &results, done));
        }
    });
    results
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err(PdfError::Protocol("not printed".into()))))
        .collect()
}

fn worker(
    browser: &Browser,
    jobs: &[Job],
    settings: PoolSettings,
    next: &AtomicUsize,
    results: &Mutex<Vec<Option<Result<(), PdfError>>>>,
    done: &(dyn Fn(&Job) + Sync),
) {
    let mut tab: Option<Tab> = None;
    // Bounded: every turn takes a new index, and there are `jobs.len()` of them.
    loop {
        let i = next.fetch_add(1, Ordering::SeqCst);
        let Some(job) = jobs.get(i) else { break };
        let result = match tab
            .take()
            .map_or_else(|| browser.open_tab(settings.print), Ok)
        {
            Ok(mut t) => {
                let deadline = Instant::now() + settings.timeout;
                match t.print(&job.url, deadline) {
                    Ok(bytes) => {
                        tab = Some(t);
                        save(job, &bytes)
                    }
                    Err(e) => {
                        browser.close_tab(t);
                        Err(e)
                    }
                }
            }
            Err(e) => Err(e),
        };
        if let Ok(mut r) = results.lock()
            && let Some(slot) = r.get_mut(i)
        {
            *slot = Some(result);
        }
        done(job);
    }
    if let Some(t) = tab {
        browser.close_tab(t);
    }
}

fn save(job: &Job, bytes: &[u8]) -> Result<(), PdfError> {
    if !bytes.starts_with(b"%PDF-") {
        return Err(PdfError::Protocol(
            "Chromium returned something that is not a PDF".into(),
        ));
    }
    crate::fs::write(&job.pdf, bytes).map_err(|e| PdfError::Write(e.to_string()))
}
