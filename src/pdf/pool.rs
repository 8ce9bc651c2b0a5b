//! Prints a list of files through a few tabs of one browser, in parallel threads.
//!
//! Each worker thread owns one tab and takes the next file until none is left,
//! the largest files first so that a long one does not finish last on its own;
//! every file has its own deadline (for all its passes). A tab that failed is
//! closed and replaced, so one stuck page cannot hold up the files after it.

use std::cmp::Reverse;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::PdfError;
use super::browser::{Browser, PrintSettings, Tab};
use super::passes;
use super::sheets::SheetCheck;
use crate::diagnostic::Diagnostic;

/// One file to print.
#[derive(Debug, Clone)]
pub(crate) struct Job {
    /// The `file://` URL of the HTML file.
    pub(crate) url: String,
    /// The HTML file on disk (page numbers are written into it between passes).
    pub(crate) file: PathBuf,
    /// Its output path in the site, for messages.
    pub(crate) html: String,
    /// Where the PDF goes (`None`: read for its layout, then dropped).
    pub(crate) pdf: Option<PathBuf>,
    /// The PDF's file name, for progress and messages.
    pub(crate) name: String,
    /// How much work the file is likely to be (its size in bytes).
    pub(crate) weight: u64,
    /// Whether it may have page references to fill (print files).
    pub(crate) refs: bool,
    /// The worksheets in it whose sheets are counted.
    pub(crate) checks: Vec<SheetCheck>,
    /// Whether its named controls become form fields.
    pub(crate) fill: bool,
    /// Whether the PDF's bytes are kept in memory ([`Done::bytes`]).
    pub(crate) keep: bool,
    /// The script that rewrites its links to other files ([`super::links`]).
    pub(crate) links: String,
}

/// What printing one job gave, once its PDF is saved.
#[derive(Debug, Default)]
pub(crate) struct Done {
    /// Warnings about its layout.
    pub(crate) warnings: Vec<Diagnostic>,
    /// How long each pass took.
    pub(crate) passes: Vec<Duration>,
    /// The form fields made.
    pub(crate) made: super::forms::acroform::Made,
    /// The PDF, when the job keeps it.
    pub(crate) bytes: Option<Vec<u8>>,
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

/// What the workers share.
struct Shared<'a> {
    browser: &'a Browser,
    jobs: &'a [Job],
    /// Job indexes, largest first.
    order: Vec<usize>,
    /// The next place in `order` to take.
    next: AtomicUsize,
    results: Mutex<Vec<Option<Result<Done, PdfError>>>>,
    settings: PoolSettings,
    done: &'a (dyn Fn(&Job) + Sync),
}

/// Prints every job through `tabs` (already open and warm; more are opened up to
/// `settings.tabs`); returns one result per job, in the order of `jobs`. `done` is
/// called after each job, whatever its outcome.
pub(crate) fn print_all(
    browser: &Browser,
    mut tabs: Vec<Tab>,
    jobs: &[Job],
    settings: PoolSettings,
    done: &(dyn Fn(&Job) + Sync),
) -> Vec<Result<Done, PdfError>> {
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by_key(|&i| Reverse(jobs[i].weight));
    let shared = Shared {
        browser,
        jobs,
        order,
        next: AtomicUsize::new(0),
        results: Mutex::new((0..jobs.len()).map(|_| None).collect()),
        settings,
        done,
    };
    let workers = settings.tabs.clamp(1, jobs.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let tab = tabs.pop();
            let shared = &shared;
            scope.spawn(move || worker(shared, tab));
        }
    });
    for tab in tabs {
        browser.close_tab(tab);
    }
    shared
        .results
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err(PdfError::Protocol("not printed".into()))))
        .collect()
}

fn worker(shared: &Shared<'_>, mut tab: Option<Tab>) {
    let browser = shared.browser;
    // Bounded: every turn takes a new place in `order`, and there are `jobs.len()` of them.
    loop {
        let place = shared.next.fetch_add(1, Ordering::SeqCst);
        let Some(&i) = shared.order.get(place) else {
            break;
        };
        let Some(job) = shared.jobs.get(i) else {
            break;
        };
        let opened = tab
            .take()
            .map_or_else(|| browser.open_tab(shared.settings.print), Ok);
        let result = opened.and_then(|mut t| {
            let deadline = Instant::now() + shared.settings.timeout;
            match passes::print(&mut t, job, deadline) {
                Ok(outcome) => {
                    tab = Some(t);
                    save(job, &outcome.bytes).map(|()| Done {
                        warnings: outcome.warnings,
                        passes: outcome.passes,
                        made: outcome.made,
                        bytes: job.keep.then_some(outcome.bytes),
                    })
                }
                Err(e) => {
                    browser.close_tab(t);
                    Err(e)
                }
            }
        });
        if let Ok(mut r) = shared.results.lock()
            && let Some(slot) = r.get_mut(i)
        {
            *slot = Some(result);
        }
        (shared.done)(job);
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
    match &job.pdf {
        Some(path) => crate::fs::write(path, bytes).map_err(|e| PdfError::Write(e.to_string())),
        None => Ok(()),
    }
}
