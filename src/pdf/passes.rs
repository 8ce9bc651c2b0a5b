//! Printing one file, in as many passes as its page references need.
//!
//! A file without page slots ([`crate::site::pageref`]) prints once. A file
//! with some prints first with every slot holding zeros (a second time if its
//! page count needs another number of digits than guessed), then with the page
//! of each anchor read from that PDF; if any anchor then printed on another
//! page, once more with the new pages, and if anchors still move, the file is
//! kept with a warning naming them. Filling the slots is not meant to move
//! anything (see the module above), so the second pass is normally the last.
//!
//! Sheet counts ([`super::sheets`]) are read from the last PDF, which then
//! becomes fillable ([`super::forms`]) unless the PDF is to be flat.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use super::PdfError;
use super::browser::Tab;
use super::forms;
use super::pool::Job;
use super::readback::{self, Printed};
use super::sheets;
use crate::diagnostic::Diagnostic;
use crate::site::pageref;

/// Passes that fill page numbers, after the first (bounded, whatever the layout does).
const NUMBERING_PASSES: usize = 2;
/// Bytes of a print file's HTML per printed page, to guess the page count's digits.
const BYTES_PER_PAGE: usize = 4300;

/// What printing one file gave.
#[derive(Debug)]
pub(crate) struct Outcome {
    /// The PDF.
    pub(crate) bytes: Vec<u8>,
    /// Sheets that spill over, page references that could not settle.
    pub(crate) warnings: Vec<Diagnostic>,
    /// How long each pass took, in order.
    pub(crate) passes: Vec<Duration>,
    /// The form fields made (none for a flat PDF).
    pub(crate) made: forms::acroform::Made,
}

/// Prints `job` in `tab`, all before `deadline`.
pub(crate) fn print(tab: &mut Tab, job: &Job, deadline: Instant) -> Result<Outcome, PdfError> {
    let mut outcome = print_passes(tab, job, deadline)?;
    if job.fill {
        let controls = forms::controls(&outcome.fields);
        if !controls.is_empty() {
            let (bytes, made) = forms::acroform::make_fillable(&outcome.bytes, &controls)?;
            outcome.bytes = bytes;
            outcome.made = made;
        }
    }
    Ok(Outcome {
        bytes: outcome.bytes,
        warnings: outcome.warnings,
        passes: outcome.passes,
        made: outcome.made,
    })
}

/// The script run before each pass: the links to other files rewritten (first,
/// so that the markers measure the page as it prints), then the sheet markers
/// and the field markers, as each is wanted.
fn script(job: &Job) -> Option<String> {
    let sheets = if job.checks.is_empty() {
        "null".to_string()
    } else {
        sheets::script(&job.checks)
    };
    let fields = if job.fill {
        forms::script()
    } else {
        "null".to_string()
    };
    Some(format!(
        "({{ links: {}, sheets: {sheets}, fields: {fields} }})",
        job.links
    ))
}

/// An outcome before the fields are made: the script's answer about them.
struct Passed {
    bytes: Vec<u8>,
    warnings: Vec<Diagnostic>,
    passes: Vec<Duration>,
    fields: serde_json::Value,
    made: forms::acroform::Made,
}

fn print_passes(tab: &mut Tab, job: &Job, deadline: Instant) -> Result<Passed, PdfError> {
    let script = script(job);
    let script = script.as_deref();
    let mut passes = Vec::new();
    let mut run = |tab: &mut Tab, pass: usize| {
        let t = Instant::now();
        let url = if pass == 1 {
            job.url.clone()
        } else {
            // A new URL for every pass: the tab loads the file again.
            format!("{}?mb-pass={pass}", job.url)
        };
        let r = tab.print(&url, script, deadline);
        passes.push(t.elapsed());
        r
    };
    let html =
        if job.refs {
            Some(std::fs::read_to_string(&job.file).map_err(|e| {
                PdfError::Write(format!("cannot read `{}`: {e}", job.file.display()))
            })?)
        } else {
            None
        };
    let Some(html) = html.filter(|h| pageref::has_slots(h)) else {
        let (bytes, answer) = run(tab, 1)?;
        let warnings = sheet_warnings(job, &answer, &bytes)?;
        return Ok(Passed {
            bytes,
            warnings,
            passes,
            fields: answer.get("fields").cloned().unwrap_or_default(),
            made: Default::default(),
        });
    };
    let write = |text: String| {
        crate::fs::write(&job.file, text.as_bytes()).map_err(|e| PdfError::Write(e.to_string()))
    };
    let anchors: BTreeSet<&str> = pageref::anchors(&html).into_iter().collect();
    let mut digits = pageref::digits(html.len() / BYTES_PER_PAGE);
    // First pass: zeros everywhere; again if the guess of digits was wrong.
    let mut pass = 0;
    let (mut bytes, mut answer, mut printed) = loop {
        write(pageref::fill(&html, digits, &|_| None))?;
        pass += 1;
        let (bytes, answer) = run(tab, pass)?;
        let printed = readback::read(&bytes)?;
        let need = pageref::digits(printed.pages);
        if need == digits || pass == 2 {
            break (bytes, answer, printed);
        }
        digits = need;
    };
    let mut moved: Vec<&str> = Vec::new();
    for _ in 0..NUMBERING_PASSES {
        write(pageref::fill(&html, digits, &|a| printed.page_of(a)))?;
        pass += 1;
        let (b, a) = run(tab, pass)?;
        let now = readback::read(&b)?;
        moved = anchors
            .iter()
            .copied()
            .filter(|a| now.page_of(a) != printed.page_of(a))
            .collect();
        (bytes, answer, printed) = (b, a, now);
        if moved.is_empty() {
            break;
        }
    }
    let mut warnings = sheet_warnings_of(job, &answer, &printed);
    if !moved.is_empty() {
        warnings.push(unsettled(job, &moved, pass));
    }
    Ok(Passed {
        bytes,
        warnings,
        passes,
        fields: answer.get("fields").cloned().unwrap_or_default(),
        made: Default::default(),
    })
}

/// The sheet warnings of a PDF not read back yet.
fn sheet_warnings(
    job: &Job,
    answer: &serde_json::Value,
    bytes: &[u8],
) -> Result<Vec<Diagnostic>, PdfError> {
    if job.checks.is_empty() {
        return Ok(Vec::new());
    }
    Ok(sheet_warnings_of(job, answer, &readback::read(bytes)?))
}

fn sheet_warnings_of(job: &Job, answer: &serde_json::Value, printed: &Printed) -> Vec<Diagnostic> {
    if job.checks.is_empty() {
        return Vec::new();
    }
    let named = sheets::named(
        answer.get("sheets").unwrap_or(&serde_json::Value::Null),
        job.checks.len(),
    );
    sheets::check(&job.checks, &named, printed)
}

/// The warning for page references that still moved after the last pass.
fn unsettled(job: &Job, moved: &[&str], passes: usize) -> Diagnostic {
    let shown: Vec<String> = moved.iter().take(5).map(|a| format!("`#{a}`")).collect();
    let more = if moved.len() > shown.len() {
        format!(" and {} more", moved.len() - shown.len())
    } else {
        String::new()
    };
    Diagnostic::warning(
        &job.html,
        0,
        0,
        format!(
            "page numbers in `{}` may be off: after {passes} passes, {}{more} still printed on another page than the pass before",
            job.name,
            shown.join(", ")
        ),
    )
    .with_help("print again; if it persists, report it with the handbook that shows it")
}
