//! The `mentorbook` command: parses the command line and runs it.

/// mimalloc instead of the system allocator: building a large handbook makes and
/// frees many small strings on every core, which glibc's malloc served slowly.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    mentorbook::cli::main()
}
