//! Large texts kept out of memory on big handbooks: the Markdown of pages until
//! they are parsed (read again from their own files when they are as on disk),
//! and parsed bodies until they are written.
//!
//! A [`Store`] keeps what it is given in memory up to a budget of bytes; past it,
//! further texts go to an anonymous temporary file (deleted by the system when
//! the last handle closes, even after a crash) and are read back when needed.
//! Memory is given back to the budget as held texts are dropped. Whether a text
//! is in memory or in the file never changes what is made from it: a build with
//! a budget of 0 and one with no limit write the same bytes (a test checks it).

use std::borrow::Cow;
use std::fs::File;
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// How many bytes a store keeps in memory by default before it spills.
pub const DEFAULT_BUDGET: u64 = 64 * 1024 * 1024;

/// The environment variable that sets the budget, in bytes (`0`: spill
/// everything), for machines short of memory and for tests.
pub const BUDGET_ENV: &str = "MENTORBOOK_MEMORY_BUDGET";

/// The budget [`BUDGET_ENV`] asks for, if it is set to a number.
pub fn budget_from_env() -> Option<u64> {
    std::env::var(BUDGET_ENV).ok()?.trim().parse().ok()
}

/// Where bytes are in a store's file: `(offset, length)`, unique within a
/// store (its file only grows).
pub type Place = (u64, usize);

/// Where held texts live: memory up to a budget, then a temporary file.
#[derive(Debug)]
pub struct Store {
    budget: u64,
    in_memory: AtomicU64,
    spilled: AtomicU64,
    spill: OnceLock<Option<Spill>>,
}

/// The temporary file and where its end is (`None` once a write failed).
#[derive(Debug)]
struct Spill {
    file: File,
    end: Mutex<Option<u64>>,
}

impl Store {
    /// A store that keeps up to `budget` bytes in memory (`0`: none, every text
    /// goes to the file; `u64::MAX`: all of them).
    pub fn new(budget: u64) -> Arc<Store> {
        Arc::new(Store {
            budget,
            in_memory: AtomicU64::new(0),
            spilled: AtomicU64::new(0),
            spill: OnceLock::new(),
        })
    }

    /// A store that never spills.
    pub fn memory() -> Arc<Store> {
        Store::new(u64::MAX)
    }

    /// Keeps `text`: in memory while the budget allows, else in the file (and in
    /// memory after all when the file cannot be written: a full disk costs memory,
    /// never the build).
    pub fn keep_text(self: &Arc<Self>, text: String) -> Held {
        match self.charge(text.len() as u64) {
            Some(Held(Kept::Charge(c))) => Held(Kept::Text {
                text,
                _charge: Some(c),
            }),
            _ => self.spill(text.as_bytes()).unwrap_or_else(|| {
                Held(Kept::Text {
                    text,
                    _charge: None,
                })
            }),
        }
    }

    /// Counts `len` bytes that the caller keeps in memory against the budget,
    /// until the returned handle is dropped; `None` when that would go past it
    /// (the caller should then [`spill`](Store::spill) them).
    pub fn charge(self: &Arc<Self>, len: u64) -> Option<Held> {
        if self.budget != u64::MAX
            && self.in_memory.load(Ordering::Relaxed).saturating_add(len) > self.budget
        {
            return None;
        }
        self.in_memory.fetch_add(len, Ordering::Relaxed);
        Some(Held(Kept::Charge(Charge(self.clone(), len))))
    }

    /// Keeps a value of about `size` bytes that the caller holds: counted
    /// against the budget while it fits (the returned handle is a charge and the
    /// caller keeps its value), else encoded into the file (the handle
    /// [`is_away`](Held::is_away): the caller may drop its copy and read it back
    /// with [`Held::decode`]). `None` when it can be neither: the caller keeps
    /// its value, uncounted.
    pub fn keep_value<T: serde::Serialize + ?Sized>(
        self: &Arc<Self>,
        value: &T,
        size: usize,
    ) -> Option<Held> {
        if let Some(charge) = self.charge(size as u64) {
            return Some(charge);
        }
        let bytes = postcard::to_allocvec(value).ok()?;
        self.spill(&bytes)
    }

    /// Keeps `text`, which is the bytes `at..at + text.len()` of the file at
    /// `path` as they are on disk and whose [`crate::text::hash`] is `hash`: in
    /// memory while the budget allows, else as that place in that file (read
    /// again when needed, checked against the hash), so that a big handbook's
    /// Markdown is never copied to the temporary file.
    pub fn keep_file_text(
        self: &Arc<Self>,
        text: String,
        hash: u64,
        path: &std::path::Path,
        at: u64,
    ) -> Held {
        match self.charge(text.len() as u64) {
            Some(Held(Kept::Charge(c))) => Held(Kept::Text {
                text,
                _charge: Some(c),
            }),
            _ => Held(Kept::File {
                path: Arc::from(path),
                at,
                len: text.len(),
                hash,
            }),
        }
    }

    /// Writes `bytes` at the end of the file; `None` when the file cannot be
    /// written (the caller keeps them in memory then).
    pub fn spill(self: &Arc<Self>, bytes: &[u8]) -> Option<Held> {
        let spill = self
            .spill
            .get_or_init(|| {
                tempfile::tempfile().ok().map(|file| Spill {
                    file,
                    end: Mutex::new(Some(0)),
                })
            })
            .as_ref()?;
        // Writers take turns at the end of the file; readers need no turn.
        let mut end = spill.end.lock().ok()?;
        let at = (*end)?;
        if (&spill.file).write_all(bytes).is_err() {
            // A short write leaves bytes no handle points at, and the end of the
            // file unknown: spilling stops, later texts stay in memory.
            *end = None;
            return None;
        }
        *end = Some(at + bytes.len() as u64);
        self.spilled
            .fetch_add(bytes.len() as u64, Ordering::Relaxed);
        Some(Held(Kept::Away {
            store: self.clone(),
            at,
            len: bytes.len(),
        }))
    }

    /// Reads `len` bytes at `at` of the file.
    fn read_at(&self, at: u64, len: usize) -> std::io::Result<Vec<u8>> {
        let spill = self
            .spill
            .get()
            .and_then(Option::as_ref)
            .ok_or_else(|| std::io::Error::other("the temporary file is missing"))?;
        let mut buf = vec![0; len];
        read_exact_at(&spill.file, &mut buf, at)?;
        Ok(buf)
    }

    /// Bytes written to the file so far.
    pub fn spilled(&self) -> u64 {
        self.spilled.load(Ordering::Relaxed)
    }

    /// Bytes held in memory now.
    pub fn in_memory(&self) -> u64 {
        self.in_memory.load(Ordering::Relaxed)
    }
}

#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], at: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, at)
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut buf: &mut [u8], mut at: u64) -> std::io::Result<()> {
    while !buf.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, buf, at)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                at += n as u64;
            }
        }
    }
    Ok(())
}

/// Bytes counted against a store's budget, given back when dropped.
#[derive(Debug)]
struct Charge(Arc<Store>, u64);

impl Drop for Charge {
    fn drop(&mut self) {
        self.0.in_memory.fetch_sub(self.1, Ordering::Relaxed);
    }
}

/// A text or bytes kept by a [`Store`], in memory or in its file.
#[derive(Debug, Default)]
pub struct Held(Kept);

#[derive(Debug, Default)]
enum Kept {
    #[default]
    Empty,
    /// Bytes the owner of the handle keeps, counted against the budget.
    Charge(Charge),
    Text {
        text: String,
        /// Its bytes against the budget, given back when dropped.
        _charge: Option<Charge>,
    },
    Away {
        store: Arc<Store>,
        at: u64,
        len: usize,
    },
    /// A text that is a part of a file of the handbook, read again when needed.
    File {
        path: Arc<std::path::Path>,
        at: u64,
        len: usize,
        /// The text's hash, to tell a file changed since.
        hash: u64,
    },
}

impl Held {
    /// `text`, in memory, counted against no budget (small texts, tests).
    pub fn here(text: String) -> Held {
        Held(Kept::Text {
            text,
            _charge: None,
        })
    }

    /// Where the bytes are in the store's file, when they are there.
    pub fn place(&self) -> Option<Place> {
        match &self.0 {
            Kept::Away { at, len, .. } => Some((*at, *len)),
            _ => None,
        }
    }

    /// The bytes, read back from the file when they were spilled.
    pub fn bytes(&self) -> std::io::Result<Cow<'_, [u8]>> {
        match &self.0 {
            Kept::Empty | Kept::Charge(_) => Ok(Cow::Borrowed(&[])),
            Kept::Text { text, .. } => Ok(Cow::Borrowed(text.as_bytes())),
            Kept::Away { store, at, len } => store.read_at(*at, *len).map(Cow::Owned),
            Kept::File { .. } => self.file_text().map(|t| Cow::Owned(t.into_bytes())),
        }
    }

    /// The text of a [`Kept::File`], read again from its file (checked once, as
    /// UTF-8 and against its hash).
    fn file_text(&self) -> std::io::Result<String> {
        let Kept::File {
            path,
            at,
            len,
            hash,
        } = &self.0
        else {
            return Err(std::io::Error::other("not a text of a file"));
        };
        let changed = || std::io::Error::other("the file changed during the build");
        let file = File::open(path)?;
        let mut buf = vec![0; *len];
        read_exact_at(&file, &mut buf, *at).map_err(|_| changed())?;
        let text = String::from_utf8(buf).map_err(|_| changed())?;
        if crate::text::hash(&text) != *hash {
            return Err(changed());
        }
        Ok(text)
    }

    /// The value [`Store::keep_value`] encoded into the file.
    pub fn decode<T: serde::de::DeserializeOwned>(&self) -> std::io::Result<T> {
        postcard::from_bytes(&self.bytes()?).map_err(std::io::Error::other)
    }

    /// The text (bytes kept with [`Store::keep_text`]).
    pub fn text(&self) -> std::io::Result<Cow<'_, str>> {
        match &self.0 {
            // Already a string: no second UTF-8 check.
            Kept::Text { text, .. } => return Ok(Cow::Borrowed(text)),
            Kept::File { .. } => return self.file_text().map(Cow::Owned),
            _ => {}
        }
        match self.bytes()? {
            Cow::Borrowed(b) => std::str::from_utf8(b)
                .map(Cow::Borrowed)
                .map_err(std::io::Error::other),
            Cow::Owned(b) => String::from_utf8(b)
                .map(Cow::Owned)
                .map_err(std::io::Error::other),
        }
    }

    /// Whether the bytes are in the store's file.
    pub fn is_away(&self) -> bool {
        matches!(self.0, Kept::Away { .. })
    }

    /// Whether the text is read again from its own file when needed.
    pub fn is_in_its_file(&self) -> bool {
        matches!(self.0, Kept::File { .. })
    }

    /// The length in bytes.
    pub fn len(&self) -> usize {
        match &self.0 {
            Kept::Empty | Kept::Charge(_) => 0,
            Kept::Text { text, .. } => text.len(),
            Kept::Away { len, .. } | Kept::File { len, .. } => *len,
        }
    }

    /// Whether there is nothing held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Clone for Held {
    /// A copy: in memory (uncounted), or another handle to the same bytes of the file.
    fn clone(&self) -> Held {
        Held(match &self.0 {
            Kept::Empty | Kept::Charge(_) => Kept::Empty,
            Kept::Text { text, .. } => Kept::Text {
                text: text.clone(),
                _charge: None,
            },
            Kept::Away { store, at, len } => Kept::Away {
                store: store.clone(),
                at: *at,
                len: *len,
            },
            Kept::File {
                path,
                at,
                len,
                hash,
            } => Kept::File {
                path: path.clone(),
                at: *at,
                len: *len,
                hash: *hash,
            },
        })
    }
}

impl PartialEq for Held {
    /// Same bytes, wherever they are (unreadable bytes equal nothing).
    fn eq(&self, other: &Held) -> bool {
        match (self.bytes(), other.bytes()) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn within_budget_in_memory_past_it_in_the_file() {
        let store = Store::new(10);
        let a = store.keep_text("12345678".into());
        let b = store.keep_text("abcdefgh".into());
        assert!(!a.is_away());
        assert!(b.is_away());
        assert_eq!(a.text().expect("a"), "12345678");
        assert_eq!(b.text().expect("b"), "abcdefgh");
        assert_eq!(store.in_memory(), 8);
        drop(a);
        assert_eq!(store.in_memory(), 0);
        // The budget is free again.
        let c = store.charge(10).expect("within budget");
        assert_eq!(store.in_memory(), 10);
        assert!(store.charge(1).is_none());
        drop(c);
        assert_eq!(store.in_memory(), 0);
    }

    #[test]
    fn a_text_as_on_disk_past_the_budget_is_read_again_from_its_file() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("page.md");
        std::fs::write(&path, "---\ntitle: A\n---\nCorps «é».\n").expect("write");
        let store = Store::new(0);
        let body = "Corps «é».\n";
        let held = store.keep_file_text(body.into(), crate::text::hash(body), &path, 17);
        assert!(held.is_in_its_file() && !held.is_away());
        assert_eq!(store.spilled(), 0, "nothing copied to the temporary file");
        assert_eq!(held.clone().text().expect("read again"), body);
        // Changed since: an error, never another text taken for it.
        std::fs::write(&path, "---\ntitle: A\n---\nAutre corps.\n").expect("write");
        let err = held.text().expect_err("changed");
        assert!(
            err.to_string().contains("changed during the build"),
            "{err}"
        );
        std::fs::remove_file(&path).expect("rm");
        assert!(held.text().is_err());
        // Within the budget, it stays in memory.
        let roomy = Store::new(1024);
        assert!(
            !roomy
                .keep_file_text(body.into(), crate::text::hash(body), &path, 17)
                .is_in_its_file()
        );
    }

    #[test]
    fn a_zero_budget_spills_everything_and_reads_it_back_in_any_order() {
        let store = Store::new(0);
        let held: Vec<Held> = (0..50)
            .map(|i| store.keep_text(format!("texte n° {i} — «{}»", "é".repeat(i))))
            .collect();
        assert!(held.iter().all(Held::is_away));
        for (i, h) in held.iter().enumerate().rev() {
            assert_eq!(
                h.text().expect("read"),
                format!("texte n° {i} — «{}»", "é".repeat(i))
            );
        }
        assert_eq!(held[3], held[3].clone());
        assert_ne!(held[3], held[4]);
        assert_eq!(store.in_memory(), 0);
    }

    #[test]
    fn empty_texts_and_no_limit() {
        let store = Store::memory();
        let h = store.keep_text(String::new());
        assert!(h.is_empty() && !h.is_away());
        let big = store.keep_text("x".repeat(1 << 20));
        assert!(!big.is_away());
        let away = store.spill(b"forced").expect("spill");
        assert!(away.is_away());
        assert_eq!(away.bytes().expect("read").as_ref(), b"forced");
        assert_eq!(Held::default().text().expect("empty"), "");
    }
}
