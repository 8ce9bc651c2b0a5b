//! Fuzz target: the Markdown pipeline (containers, typography, links, footnotes, blocks) never panics.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        mentorbook::fuzzing::markdown(text);
    }
});
