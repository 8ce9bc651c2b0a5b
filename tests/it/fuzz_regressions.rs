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
