//! File-system helpers whose errors name the path, and the replacement of an
//! output folder that never leaves it missing or half-written.
//!
//! Replacing an output folder `out` (driven by `build::output::write_atomic`):
//! 1. [`OutputLock::acquire`] takes an exclusive lock on the folder holding
//!    `out`, so two builds never replace it at once, and any leftover found
//!    afterwards belongs to a run that died (the system drops a dead process's
//!    locks);
//! 2. [`sweep_leftovers`] cleans up after killed runs: when `out` is missing but
//!    a moved-aside copy `.out.old-*` exists (a run died between the two renames
//!    of the fallback below), that copy is moved back first; then every
//!    `.out.staging-*` and `.out.old-*` folder beside `out` is removed (only
//!    these names, only real folders, never through a link);
//! 3. the caller writes the new output into a staging folder beside `out`,
//!    named with [`staging_prefix`];
//! 4. [`swap_dir`] exchanges the staging folder and `out` in one step where the
//!    system has it (Linux `renameat2(RENAME_EXCHANGE)`, macOS
//!    `renameatx_np(RENAME_SWAP)`); elsewhere, or when the file system refuses,
//!    it moves `out` aside and the staging folder in (two renames). Then it
//!    removes the previous output.
//!
//! A process killed at any step leaves `out` complete, old or new. The one
//! exception is the two-rename fallback between its renames: `out` is missing
//! there, its complete old copy is `.out.old-*`, and the next build moves it
//! back before anything else.
//!
//! Test hooks (environment variables, for the integration tests):
//! `MENTORBOOK_TEST_ABORT_AT=<step>` aborts the process at that [`Step`], as a
//! kill would (no clean-up runs), so a test can stop a build at each step
//! without timing; `MENTORBOOK_TEST_SWAP=rename` forces the two-rename fallback.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::{Error, Result};

/// Reads a whole file as bytes.
pub fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| Error::io("failed to read", path, e))
}

/// Reads a whole file as UTF-8 text.
pub fn read_to_string(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| Error::io("failed to read", path, e))
}

/// Writes a file, creating its parent folders.
pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent() {
        create_dir_all(parent)?;
    }
    std::fs::write(path, bytes).map_err(|e| Error::io("failed to write", path, e))
}

/// Creates a folder and its parents.
pub fn create_dir_all(path: &Path) -> Result<()> {
    std::fs::create_dir_all(path).map_err(|e| Error::io("failed to create folder", path, e))
}

/// Copies a file, creating the destination's parent folders.
pub fn copy(from: &Path, to: &Path) -> Result<()> {
    if let Some(parent) = to.parent() {
        create_dir_all(parent)?;
    }
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| Error::io("failed to copy", from, e))
}

/// The environment variable naming the [`Step`] at which to abort (test hook).
pub const ABORT_AT_VAR: &str = "MENTORBOOK_TEST_ABORT_AT";
/// The environment variable that forces the two-rename swap when set to `rename` (test hook).
pub const SWAP_VAR: &str = "MENTORBOOK_TEST_SWAP";

/// The named points of an output replacement, in order, where the
/// `MENTORBOOK_TEST_ABORT_AT` test hook can abort the process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The output lock is held; nothing is touched yet.
    Locked,
    /// The sweep moved back an output left aside by a killed run.
    Restored,
    /// The sweep removed the leftovers of earlier runs.
    Swept,
    /// The staging folder exists, still empty.
    StagingCreated,
    /// The staging folder holds the complete new output.
    Staged,
    /// One-step swap done: the output is new, the staging folder holds the old one.
    Exchanged,
    /// Two-rename fallback: the old output is moved aside, the output folder is missing.
    MovedAside,
    /// The new output is in place (fallback or first build), the old one not yet removed.
    MovedIn,
    /// The previous output is removed: the replacement is complete.
    Removed,
}

impl Step {
    /// Every step, in the order a replacement may reach them.
    pub const ALL: [Step; 9] = [
        Step::Locked,
        Step::Restored,
        Step::Swept,
        Step::StagingCreated,
        Step::Staged,
        Step::Exchanged,
        Step::MovedAside,
        Step::MovedIn,
        Step::Removed,
    ];

    /// The step's name, as given to `MENTORBOOK_TEST_ABORT_AT`.
    pub fn name(self) -> &'static str {
        match self {
            Step::Locked => "locked",
            Step::Restored => "restored",
            Step::Swept => "swept",
            Step::StagingCreated => "staging-created",
            Step::Staged => "staged",
            Step::Exchanged => "exchanged",
            Step::MovedAside => "moved-aside",
            Step::MovedIn => "moved-in",
            Step::Removed => "removed",
        }
    }
}

/// Test hook: aborts the process here when `MENTORBOOK_TEST_ABORT_AT` names
/// `step`. Aborting skips every destructor, exactly like a kill.
pub fn abort_point(step: Step) {
    if std::env::var_os(ABORT_AT_VAR).is_some_and(|v| v == step.name()) {
        eprintln!("mentorbook: test hook: aborting at `{}`", step.name());
        std::process::abort();
    }
}

/// Replaces the folder `target` by the folder `staging` (both in the same
/// folder), so that `target` is never half-written: in one step where the
/// system allows it, else by moving the old output aside first; the old output
/// is removed only once the new one is in place.
pub fn swap_dir(staging: &Path, target: &Path) -> Result<()> {
    let one_step = std::env::var_os(SWAP_VAR).is_none_or(|v| v != "rename");
    swap(staging, target, one_step)
}

/// [`swap_dir`], trying the one-step exchange first if `one_step`.
fn swap(staging: &Path, target: &Path, one_step: bool) -> Result<()> {
    if is_missing(target) {
        std::fs::rename(staging, target)
            .map_err(|e| Error::io("failed to move the new output into", target, e))?;
        abort_point(Step::MovedIn);
        return Ok(());
    }
    // Any refusal (old kernel, a file system without the flag, another system)
    // falls back to the two renames, which report their own errors.
    if one_step && exchange(staging, target).is_ok() {
        abort_point(Step::Exchanged);
        // `staging` now holds the previous output.
        std::fs::remove_dir_all(staging)
            .map_err(|e| Error::io("failed to remove the previous output", staging, e))?;
        abort_point(Step::Removed);
        return Ok(());
    }
    let old = aside_name(target);
    std::fs::rename(target, &old).map_err(|e| Error::io("failed to move aside", target, e))?;
    abort_point(Step::MovedAside);
    if let Err(e) = std::fs::rename(staging, target) {
        // Put the previous output back: a failed build must leave it untouched.
        let _ = std::fs::rename(&old, target);
        return Err(Error::io("failed to move the new output into", target, e));
    }
    abort_point(Step::MovedIn);
    std::fs::remove_dir_all(&old)
        .map_err(|e| Error::io("failed to remove the previous output", &old, e))?;
    abort_point(Step::Removed);
    Ok(())
}

/// Exchanges two paths in one step.
#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

/// Exchanges two paths in one step: not available on this system.
#[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

fn is_missing(path: &Path) -> bool {
    matches!(std::fs::symlink_metadata(path), Err(e) if e.kind() == std::io::ErrorKind::NotFound)
}

fn parent_of(target: &Path) -> &Path {
    match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// `.{name}{kind}` for the output folder `target` (`public` when it has no name).
fn sibling_prefix(target: &Path, kind: &str) -> OsString {
    let mut s = OsString::from(".");
    s.push(target.file_name().unwrap_or("public".as_ref()));
    s.push(kind);
    s
}

/// The name prefix of staging folders for the output folder `target`
/// (`.public.staging-` for `public`); [`sweep_leftovers`] removes such folders.
pub fn staging_prefix(target: &Path) -> OsString {
    sibling_prefix(target, ".staging-")
}

fn aside_name(target: &Path) -> PathBuf {
    let parent = parent_of(target);
    let mut prefix = sibling_prefix(target, ".old-");
    prefix.push(format!("{}-", std::process::id()));
    let candidate = |i: u32| {
        let mut name = prefix.clone();
        name.push(i.to_string());
        parent.join(name)
    };
    // Bounded: after 1,000 taken names the rename itself reports the clash.
    (0..1000)
        .map(candidate)
        .find(|c| is_missing(c))
        .unwrap_or_else(|| candidate(1000))
}

/// Cleans up after builds killed while replacing the output folder `target`
/// (call it with the [`OutputLock`] held): moves a moved-aside old output back
/// when `target` is missing, then removes every staging and moved-aside folder
/// of `target` (`.public.staging-*`, `.public.old-*` for `public`). Returns
/// the folders removed.
pub fn sweep_leftovers(target: &Path) -> Result<Vec<PathBuf>> {
    let parent = parent_of(target);
    let staging = staging_prefix(target);
    let old = sibling_prefix(target, ".old-");
    let entries = match std::fs::read_dir(parent) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io("failed to read", parent, e)),
    };
    let (mut stagings, mut olds) = (Vec::new(), Vec::new());
    for entry in entries {
        let entry = entry.map_err(|e| Error::io("failed to read", parent, e))?;
        // Only real folders: a link with such a name is not ours to follow.
        if !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let name = entry.file_name();
        let bytes = name.as_encoded_bytes();
        if bytes.starts_with(staging.as_encoded_bytes()) {
            stagings.push(entry.path());
        } else if bytes.starts_with(old.as_encoded_bytes()) {
            olds.push(entry.path());
        }
    }
    if is_missing(target) && !olds.is_empty() {
        // Normally there is one; with several, the most recently moved aside.
        olds.sort_by_key(|p| std::fs::symlink_metadata(p).and_then(|m| m.modified()).ok());
        if let Some(back) = olds.pop() {
            std::fs::rename(&back, target)
                .map_err(|e| Error::io("failed to move back the previous output", &back, e))?;
            abort_point(Step::Restored);
        }
    }
    let mut removed = Vec::new();
    for dir in stagings.into_iter().chain(olds) {
        std::fs::remove_dir_all(&dir).map_err(|e| {
            Error::io(
                "failed to remove the leftover of an interrupted build",
                &dir,
                e,
            )
        })?;
        removed.push(dir);
    }
    abort_point(Step::Swept);
    Ok(removed)
}

/// How long [`OutputLock::acquire`] waits for another run to finish writing.
const LOCK_WAIT: Duration = Duration::from_secs(120);
/// How often it checks.
const LOCK_POLL: Duration = Duration::from_millis(50);

/// An exclusive lock on the folder holding an output folder, held while that
/// output is replaced, released when dropped (and by the system when the
/// process dies). Where the file system has no locks, it locks nothing.
#[derive(Debug)]
pub struct OutputLock {
    _held: Option<std::fs::File>,
}

impl OutputLock {
    /// Locks the folder holding `target`, waiting (at most two minutes) while
    /// another run holds it.
    pub fn acquire(target: &Path) -> Result<Self> {
        let parent = parent_of(target);
        let tries = LOCK_WAIT.as_millis() / LOCK_POLL.as_millis();
        for _ in 0..tries {
            if let Some(lock) = Self::try_acquire(parent) {
                return Ok(lock);
            }
            std::thread::sleep(LOCK_POLL);
        }
        Err(Error::Usage(format!(
            "another mentorbook run has been writing into `{}` for {} s\n  help: wait for it to finish, or stop it",
            parent.display(),
            LOCK_WAIT.as_secs()
        )))
    }

    /// The lock, or `None` while another run holds it.
    #[cfg(unix)]
    fn try_acquire(parent: &Path) -> Option<Self> {
        use rustix::fs::{FlockOperation, flock};
        // A folder that cannot be opened or locked (some network file systems)
        // is written without the lock: it only guards against concurrent runs.
        let Ok(dir) = std::fs::File::open(parent) else {
            return Some(Self { _held: None });
        };
        match flock(&dir, FlockOperation::NonBlockingLockExclusive) {
            Ok(()) => Some(Self { _held: Some(dir) }),
            Err(rustix::io::Errno::WOULDBLOCK) => None,
            Err(_) => Some(Self { _held: None }),
        }
    }

    /// The lock: this system has none, so it locks nothing.
    #[cfg(not(unix))]
    fn try_acquire(_parent: &Path) -> Option<Self> {
        Some(Self { _held: None })
    }
}

/// Converts a path relative to some root into a `/`-separated string.
pub fn slash_path(path: &Path) -> String {
    let mut out = String::new();
    for (i, c) in path.components().enumerate() {
        if i > 0 {
            out.push('/');
        }
        out.push_str(&c.as_os_str().to_string_lossy());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(dir: &Path, files: &[(&str, &str)]) {
        for (rel, text) in files {
            let p = dir.join(rel);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(p, text).expect("write");
        }
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .expect("read dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn swap_replaces_the_output_both_ways() {
        for one_step in [true, false] {
            let dir = tempfile::tempdir().expect("temp dir");
            let (out, staging) = (
                dir.path().join("public"),
                dir.path().join(".public.staging-x"),
            );
            tree(&out, &[("index.html", "old"), ("gone.html", "old")]);
            tree(&staging, &[("index.html", "new"), ("a/b.html", "new")]);
            swap(&staging, &out, one_step).expect("swap");
            assert_eq!(names(dir.path()), ["public"], "one_step: {one_step}");
            assert_eq!(names(&out), ["a", "index.html"]);
            assert_eq!(
                std::fs::read_to_string(out.join("index.html")).expect("read"),
                "new"
            );
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn exchange_swaps_two_folders_in_one_step() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        tree(&a, &[("x", "from a")]);
        tree(&b, &[("y", "from b")]);
        exchange(&a, &b).expect("ext4, tmpfs and btrfs have RENAME_EXCHANGE");
        assert_eq!(names(&a), ["y"]);
        assert_eq!(names(&b), ["x"]);
    }

    #[test]
    fn first_swap_moves_the_staging_folder_in() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (out, staging) = (
            dir.path().join("public"),
            dir.path().join(".public.staging-x"),
        );
        tree(&staging, &[("index.html", "new")]);
        swap_dir(&staging, &out).expect("swap");
        assert_eq!(names(dir.path()), ["public"]);
    }

    #[test]
    fn sweep_removes_only_our_leftovers_and_never_follows_links() {
        let dir = tempfile::tempdir().expect("temp dir");
        let elsewhere = tempfile::tempdir().expect("temp dir");
        tree(elsewhere.path(), &[("keep.txt", "x")]);
        let out = dir.path().join("public");
        tree(&out, &[("index.html", "current")]);
        for d in [
            ".public.staging-abc",
            ".public.old-12-0",
            ".publicx.old-1-0",
            ".other.staging-1",
        ] {
            tree(&dir.path().join(d), &[("f/g.html", "x")]);
        }
        tree(dir.path(), &[(".public.staging-file", "a file")]);
        #[cfg(unix)]
        std::os::unix::fs::symlink(elsewhere.path(), dir.path().join(".public.old-link"))
            .expect("symlink");
        let removed = sweep_leftovers(&out).expect("sweep");
        assert_eq!(removed.len(), 2, "{removed:?}");
        let mut left = vec![
            ".other.staging-1",
            ".public.staging-file",
            ".publicx.old-1-0",
            "public",
        ];
        #[cfg(unix)]
        left.insert(1, ".public.old-link");
        assert_eq!(names(dir.path()), left);
        assert_eq!(names(elsewhere.path()), ["keep.txt"]);
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).expect("read"),
            "current"
        );
    }

    #[test]
    fn sweep_moves_back_an_output_left_aside() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("public");
        tree(
            &dir.path().join(".public.old-77-0"),
            &[("index.html", "old")],
        );
        tree(
            &dir.path().join(".public.staging-q"),
            &[("index.html", "half")],
        );
        sweep_leftovers(&out).expect("sweep");
        assert_eq!(names(dir.path()), ["public"]);
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).expect("read"),
            "old"
        );
    }

    #[cfg(unix)]
    #[test]
    fn the_output_lock_is_exclusive_until_dropped() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("public");
        let held = OutputLock::acquire(&out).expect("lock");
        assert!(held._held.is_some(), "this file system has locks");
        assert!(
            OutputLock::try_acquire(dir.path()).is_none(),
            "a second lock must wait"
        );
        drop(held);
        assert!(OutputLock::try_acquire(dir.path()).is_some());
    }

    #[test]
    fn step_names_are_unique() {
        let names: std::collections::BTreeSet<&str> = Step::ALL.iter().map(|s| s.name()).collect();
        assert_eq!(names.len(), Step::ALL.len());
    }
}
