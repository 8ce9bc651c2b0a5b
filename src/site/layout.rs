//! The output layout: the one place that knows where generated files go and how
//! ids on print pages are named.
//!
//! Every path here is relative to the output folder, `/`-separated. A language
//! other than the default one lives under its prefix (`en/`): `prefix` arguments
//! are that prefix, empty for the default language.

use crate::content::{Audience, PageId};
use crate::paths::OutPath;
use crate::text::slugify;

/// The whole handbook in one print page.
pub const HANDBOOK: &str = "print.html";
/// The worksheet index.
pub const WORKSHEETS_INDEX: &str = "worksheets/index.html";
/// Every worksheet in one print page.
pub const WORKSHEETS_PRINT: &str = "worksheets/print.html";
/// The programme timeline.
pub const TIMELINE: &str = "timeline.html";
/// The calendar of suggested sessions.
pub const CALENDAR: &str = "programme.ics";
/// The search index (a script, so it loads from `file://`).
pub const SEARCH_INDEX: &str = "search-index.js";
/// The page served for missing paths, in each language's folder (`404.html`,
/// `en/404.html`).
pub const NOT_FOUND: &str = "404.html";
/// The sitemap of every language (with `base_url`; one, at the root).
pub const SITEMAP: &str = "sitemap.xml";
/// The whole handbook of a language in one self-contained file (`single_file`).
pub const SINGLE_FILE: &str = "handbook.html";
/// The whole navigation tree of a language, loaded by every page (a script, so it
/// loads from `file://`).
pub const NAV_SCRIPT: &str = "nav.js";
/// The full contents of a language: every page, for readers without script.
pub const CONTENTS: &str = "contents.html";
/// The name of a section's print page, in the section's folder.
pub const SECTION_PRINT: &str = "print.html";

/// Above this many pages the whole-handbook print page (and the editions) are not
/// built: a browser could not print it. Section and worksheet print pages still are.
pub const HANDBOOK_LIMIT: usize = 2000;

/// Sections nested deeper than this get no print page of their own: their
/// `print.html` leads to their enclosing section's, at their place in it.
/// Each print page holds its whole section, so this keeps the print pages of a
/// handbook linear in its size however deep its folders go.
pub const SECTION_PRINT_DEPTH: usize = 4;

/// The names of the generated files and folders, for the README and for the
/// help of collision errors.
pub const RESERVED: &[&str] = &[
    HANDBOOK,
    "worksheets/",
    "kits/",
    "editions/",
    TIMELINE,
    CALENDAR,
    SEARCH_INDEX,
    "search-index-<n>.js",
    NAV_SCRIPT,
    CONTENTS,
    NOT_FOUND,
    SITEMAP,
    "assets/",
    SINGLE_FILE,
    "<section>/print.html",
    "<lang>/",
];

/// The file `name` in the folder `prefix`.
pub fn at(prefix: &OutPath, name: &str) -> OutPath {
    prefix.join(name)
}

/// The print page of a section whose output folder is `out_dir`.
pub fn section_print(out_dir: &str) -> OutPath {
    if out_dir.is_empty() {
        SECTION_PRINT.into()
    } else {
        format!("{out_dir}/{SECTION_PRINT}").into()
    }
}

/// The print edition for one audience.
pub fn edition(prefix: &OutPath, audience: Audience) -> OutPath {
    prefix.join(&format!("editions/{}/print.html", audience.name()))
}

/// The kit of session `n`.
pub fn kit(prefix: &OutPath, n: u32) -> OutPath {
    prefix.join(&format!("kits/session-{n}.html"))
}

/// The id of a page's wrapper on a print page: `p` and the page's number in its
/// language in base 36 (page 41 → `p15`). Short, since every id of the page on a
/// print page starts with it; unique in the language, and the same for the same
/// handbook. It holds no `-`, so it never equals a prefixed id ([`print_id`]).
pub fn page_anchor(id: PageId) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut digits = Vec::new();
    let mut n = id;
    loop {
        digits.push(DIGITS[n % 36]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    digits.push(b'p');
    digits.reverse();
    String::from_utf8(digits).unwrap_or_default()
}

/// The id a heading or footnote id `id` of the page whose anchor is `anchor` gets
/// on a print page (`p15` and `ecoute` → `p15-ecoute`).
pub fn print_id(anchor: &str, id: &str) -> String {
    format!("{anchor}-{id}")
}

/// The prefix of the ids a worksheet's blocks give their fields
/// (`guide/fiche.html` → `p-guide-fiche`): made from the page alone, when it is
/// parsed, so the same on its web page and every print page.
pub fn block_prefix(out: &str) -> String {
    let stem = out.strip_suffix(".html").unwrap_or(out);
    format!("p-{}", slugify(stem))
}

/// What a generated file is, in words, for collision errors.
pub fn describe_generated(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    if path.contains("worksheets/") {
        "the worksheet index and print page"
    } else if path.contains("kits/") {
        "a session kit"
    } else if path.contains("editions/") {
        "an audience edition"
    } else if name == TIMELINE {
        "the programme timeline"
    } else if name == CALENDAR {
        "the programme calendar"
    } else if crate::search::is_part_file(name) {
        "the search index"
    } else if name == NAV_SCRIPT {
        "the navigation script"
    } else if name == CONTENTS {
        "the full contents page"
    } else if name == NOT_FOUND {
        "the page for missing pages"
    } else if name == SINGLE_FILE {
        "the single-file handbook"
    } else if name == SITEMAP {
        "the sitemap"
    } else if name == SECTION_PRINT {
        "a print page"
    } else {
        "a generated file"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_and_paths() {
        assert_eq!(page_anchor(0), "p0");
        assert_eq!(page_anchor(41), "p15");
        assert_eq!(page_anchor(36 * 36), "p100");
        assert_eq!(print_id("p15", "x"), "p15-x");
        assert_eq!(block_prefix("guide/posture.html"), "p-guide-posture");
        assert_eq!(section_print("guide"), "guide/print.html");
        assert_eq!(kit(&"en/".into(), 3), "en/kits/session-3.html");
        assert_eq!(
            edition(&OutPath::default(), Audience::Mentee),
            "editions/mentee/print.html"
        );
    }
}
