//! The `mentorbook` command: parses the command line and runs it.

fn main() -> std::process::ExitCode {
    mentorbook::cli::main()
}
