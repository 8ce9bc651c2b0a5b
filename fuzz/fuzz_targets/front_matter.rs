//! Fuzz target: front matter splitting and parsing never panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    mentorbook::fuzzing::front_matter(data);
});
