//! Inputs kept from fuzzing (`scripts/fuzz`) and hand-made edge cases: each fuzz
//! entry point must run on them without panicking. A crash found by the fuzzer
//! goes into `tests/fixtures/fuzz/<target>/` with the input that caused it.

use crate::support::repo_root;

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = repo_root().join("tests/fixtures/fuzz").join(target);
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .expect("fuzz fixtures")
        .filter_map(Result::ok)
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).expect("read"),
            )
        })
        .collect();
    v.sort();
    assert!(!v.is_empty(), "no inputs in {}", dir.display());
    v
}

#[test]
fn front_matter_inputs_do_not_panic() {
    for (_, bytes) in inputs("front_matter") {
        mentorbook::fuzzing::front_matter(&bytes);
    }
}

#[test]
fn markdown_inputs_do_not_panic() {
    for (name, bytes) in inputs("markdown") {
        let text = String::from_utf8(bytes).unwrap_or_else(|_| panic!("{name} is UTF-8"));
        mentorbook::fuzzing::markdown(&text);
    }
}

#[test]
fn block_inputs_do_not_panic() {
    for (_, bytes) in inputs("blocks") {
        let body = String::from_utf8_lossy(&bytes);
        for kind in 0..6 {
            mentorbook::fuzzing::block(kind, &body);
        }
    }
}

/// Lines a scanner could rescan from every position (an unclosed `{{`, `<b <b
/// <b`, `{:` repeated…), each some 400 KB long: every pass must get through
/// them in linear work. A quadratic pass takes minutes on one of them (it took
/// 13 s on 120 KB of `<b `); each line here must be read within a minute even
/// in a debug build, where the linear passes take well under a second.
#[test]
fn lines_that_invite_rescanning_are_read_in_linear_work() {
    const LEN: usize = 400_000;
    let cases: [(&str, &str); 16] = [
        ("html tags never closed", "<b "),
        ("html tags with values never closed", "<b x "),
        ("liquid output never closed", "{{ x "),
        ("liquid tags never closed", "{% x "),
        ("hugo shortcodes never closed", "{{< x "),
        ("hugo percent shortcodes never closed", "{{% x "),
        ("kramdown attribute lists never closed", "{: .x "),
        ("attribute lists after links never closed", "[a](b){ "),
        ("myst roles never closed", "{ref}`x "),
        ("myst roles", "{ref}`x` "),
        ("liquid links", "{{ site.baseurl }}"),
        ("includes never closed", "{{#include x "),
        ("jsx components", "<B x={ "),
        ("quoted attributes", "<img alt=\"{{ "),
        // Closed at the very end, so every search finds it: no link, though.
        ("a value of liquid tags closed at its end", "{{ x "),
        ("footnote labels closed at the end", "[^ "),
    ];
    for (n, (name, unit)) in cases.into_iter().enumerate() {
        let body = unit.repeat(LEN / unit.len());
        let line = match n {
            14 => format!("<img alt=\"{body}}}}}\">"),
            15 => format!("{body}]"),
            _ => body,
        };
        let page = format!("# Titre\n\nAvant {line}\n\nAprès.\n");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            mentorbook::fuzzing::markdown(&page);
            let _ = tx.send(());
        });
        assert!(
            rx.recv_timeout(std::time::Duration::from_secs(60)).is_ok(),
            "{name}: a line of {LEN} bytes of `{unit}` was not read within a minute"
        );
    }
}
