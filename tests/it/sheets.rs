//! Sheet limits (`sheets:`): `pdf` and `check --layout` lay worksheets out in
//! the real Chromium and warn, at the block that spills over, when one takes
//! more sheets than it declares; plain `check` stays browser-free.

use std::ffi::OsStr;

use crate::pdf_tools::*;
use crate::support::*;

/// The warning line of `longue.md`: its `box` block, which no longer fits sheet 1.
const SPILL: &str = "content/fiches/longue.md:15:1: warning: this worksheet prints on 2 sheets, but `sheets: 1` allows 1: from the `box` block “Le grand dessin” on, it is on sheet 2";

#[test]
fn plain_check_reads_sheets_without_a_browser() {
    let site = Site::fixture("sheets/spill");
    let run = run_in(
        site.path(),
        &["check"],
        &[("CHROME", OsStr::new("/nonexistent/chromium"))],
    )
    .success();
    let err = run.stderr();
    assert!(
        err.contains("content/_index.md:3:1: warning: `sheets` only counts for worksheets"),
        "{err}"
    );
    assert!(
        !err.contains("prints on"),
        "no layout without --layout: {err}"
    );
    // With --layout, a missing browser is a clear error.
    let run = run_in(
        site.path(),
        &["check", "--layout"],
        &[("CHROME", OsStr::new("/nonexistent/chromium"))],
    )
    .code_is(2);
    assert!(run.stderr().contains("Chromium"), "{}", run.stderr());
}

#[test]
fn a_sheet_that_spills_over_is_named_by_pdf_and_check_layout() {
    if !can_print("a_sheet_that_spills_over_is_named_by_pdf_and_check_layout") {
        return;
    }
    let site = Site::fixture("sheets/spill");
    let pdf = site
        .run(&["pdf", "content/fiches/longue.md", "--out", "pdfs"])
        .success();
    assert!(pdf.stderr().contains(SPILL), "{}", pdf.stderr());
    assert!(
        pdf.stdout().contains("2 warnings"),
        "the spill and the page's `sheets:`: {}",
        pdf.stdout()
    );
    let file = site.path().join("pdfs/longue.pdf");
    assert_eq!(page_count(&file), 2);
    assert!(
        page_text(&file, 2).contains("Le grand dessin"),
        "the block named is the first one on sheet 2"
    );

    let check = site.run(&["check", "--layout"]).success();
    let err = check.stderr();
    assert!(err.contains(SPILL), "{err}");
    assert!(!err.contains("courte.md"), "the short sheet fits: {err}");
    assert!(check.stdout().contains("2 warnings"), "{}", check.stdout());

    let json = site
        .run(&["check", "--layout", "--format", "json"])
        .success();
    let doc: serde_json::Value = serde_json::from_str(&json.stdout()).expect("json");
    let spill = doc["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| {
            d["message"]
                .as_str()
                .unwrap_or("")
                .contains("prints on 2 sheets")
        })
        .unwrap_or_else(|| panic!("the spill in JSON: {doc}"));
    assert_eq!(spill["line"], 15, "{spill}");

    // Without `sheets:`, a first block too tall for the space under the header
    // still gets its warning: the first sheet would hold the header alone.
    site.write(
        "content/fiches/notes.md",
        "---\ntitle: Notes libres\nkind: worksheet\n---\n\n```field\nlabel: Mes notes\nlines: 30\n```\n",
    );
    let err = site.run(&["check", "--layout"]).success().stderr();
    assert!(
        err.contains("content/fiches/notes.md:6:1: warning: the `field` block “Mes notes” does not fit under the worksheet's header"),
        "{err}"
    );
    std::fs::remove_file(site.path().join("content/fiches/notes.md")).expect("rm");

    let strict = site.run(&["check", "--layout", "--strict"]).code_is(1);
    assert!(
        strict
            .stderr()
            .contains("longue.md:15:1: error: this worksheet prints on 2 sheets"),
        "{}",
        strict.stderr()
    );
}
