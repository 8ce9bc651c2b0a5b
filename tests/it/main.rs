//! Integration tests: one module per user-visible feature, each building small
//! fixture sites (`tests/fixtures/<feature>/<case>/`) with the real binary and
//! asserting on the parsed HTML.

mod browser;
mod pdf_tools;
mod static_server;
mod support;

mod bad_input;
mod build;
mod cli;
mod errors;
mod file_urls;
mod fill_in;
mod first_hour;
mod fuzz_regressions;
mod import;
mod languages;
mod migration;
mod nav;
mod output_swap;
mod pack;
mod paper;
mod pdf_targets;
mod pipeline;
mod print;
mod programme;
mod publish;
mod search;
#[cfg(feature = "serve")]
mod serve;
mod sheets;
mod themes;
