//! Fuzz target: worksheet block bodies (YAML) never panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Some((&kind, rest)) = data.split_first()
        && let Ok(body) = std::str::from_utf8(rest)
    {
        mentorbook::fuzzing::block(kind, body);
    }
});
