//! Prints one summary line of the tests that could not run in this `cargo test`
//! (recorded by `support::skip` in the `it` target, which Cargo runs before this
//! one), then forgets them. Under `MENTORBOOK_REQUIRE_BROWSER=1` nothing is ever
//! skipped: such tests fail instead.

use std::io::Write;

#[test]
fn summary_of_skipped_tests() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("skipped-tests");
    let mut lines = Vec::new();
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for e in entries.flatten() {
            if let Ok(text) = std::fs::read_to_string(e.path()) {
                lines.extend(text.lines().map(str::to_string));
            }
            let _ = std::fs::remove_file(e.path());
        }
    }
    lines.sort();
    let mut err = std::io::stderr().lock();
    if lines.is_empty() {
        let _ = writeln!(err, "summary: no test was skipped");
    } else {
        let _ = writeln!(err, "summary: {} tests SKIPPED:", lines.len());
        for l in &lines {
            let _ = writeln!(err, "  {l}");
        }
    }
    assert!(
        lines.is_empty() || std::env::var("MENTORBOOK_REQUIRE_BROWSER").as_deref() != Ok("1"),
        "tests were skipped although MENTORBOOK_REQUIRE_BROWSER=1"
    );
}
