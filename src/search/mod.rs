//! Offline search: the index written at build time as `search-index.js`, read by
//! the theme's `assets/search.js` (works from `file://`: a script, no fetch).
//!
//! 1. [`tokenize`] folds accents and case and splits text into words;
//! 2. [`stem`] holds each language's stop words and stemming rules;
//! 3. [`index`] gathers every page's words by language, groups forms by stem and
//!    writes the compact index (its format is documented there).
//!
//! Normalisation (fold, then stem) is the same on both sides: the fold table,
//! the stop words and the stemming rules are written into the index and
//! `search.js` applies them to the query with the same loops.

pub mod index;
pub mod stem;
pub mod tokenize;

use rayon::prelude::*;

use std::borrow::Cow;
use std::sync::Arc;

use crate::content::{Content, Page, PageId};
use crate::markdown::{Doc, TextChunk};
use crate::store::{Held, Store};

pub use index::{Chunk, PageEntry};

/// The index's file name, at the output root.
pub const INDEX_FILE: &str = "search-index.js";

/// Pages (in reading order) in one part of the index: `search-index.js` holds
/// the first ones, `search-index-1.js` the next ones, and so on, so that after an
/// edit to one page's body `serve` makes one part again, not the whole index.
pub const PART_PAGES: usize = 256;

/// The file name of part `part` of the index (`search-index.js` for the first).
pub fn part_file(part: usize) -> String {
    if part == 0 {
        INDEX_FILE.to_string()
    } else {
        format!("search-index-{part}.js")
    }
}

/// Whether `name` (a file name, no folder) is a part of the index.
pub fn is_part_file(name: &str) -> bool {
    name == INDEX_FILE
        || name
            .strip_prefix("search-index-")
            .and_then(|r| r.strip_suffix(".js"))
            .is_some_and(|n| {
                !n.is_empty() && !n.starts_with('0') && n.bytes().all(|b| b.is_ascii_digit())
            })
}

/// How many parts the index of `content` has (at least one).
pub fn parts(content: &Content, rendered: &[Arc<Doc>]) -> usize {
    indexed(content, rendered).len().div_ceil(PART_PAGES).max(1)
}

/// The part of the index holding page `id`, if it is indexed.
pub fn part_of(content: &Content, rendered: &[Arc<Doc>], id: PageId) -> Option<usize> {
    indexed(content, rendered)
        .iter()
        .position(|&p| p == id)
        .map(|i| i / PART_PAGES)
}

/// The pages of part `part`.
fn part_ids(content: &Content, rendered: &[Arc<Doc>], part: usize) -> Vec<PageId> {
    let ids = indexed(content, rendered);
    let from = part.saturating_mul(PART_PAGES).min(ids.len());
    let to = from.saturating_add(PART_PAGES).min(ids.len());
    ids[from..to].to_vec()
}

/// The entry to index for `page`, whose plain text by heading is `chunks`.
pub fn entry<'a>(page: &'a Page, chunks: &'a [TextChunk]) -> PageEntry<'a> {
    let mut first = Chunk {
        text: page.fm.description.as_deref().unwrap_or("").into(),
        ..Chunk::default()
    };
    let mut out = Vec::with_capacity(chunks.len() + 1);
    for c in chunks {
        match &c.id {
            None if first.text.is_empty() => first.text = c.text.as_str().into(),
            None => {
                let text = first.text.to_mut();
                text.push(' ');
                text.push_str(&c.text);
            }
            Some(id) => out.push(Chunk {
                anchor: id,
                heading: &c.heading,
                text: c.text.as_str().into(),
            }),
        }
    }
    out.insert(0, first);
    PageEntry {
        title: &page.title,
        url: &page.out,
        lang: stem::base_lang(&page.lang),
        worksheet: page.is_worksheet(),
        chunks: out,
    }
}

/// Pages whose text is held at once (read back, tokenized in parallel) before
/// their words are merged: memory stays bounded by a batch, not the site.
const BATCH: usize = 256;

/// The ids of `content`'s pages to index, in reading order.
fn indexed(content: &Content, rendered: &[Arc<Doc>]) -> Vec<PageId> {
    content
        .order
        .iter()
        .copied()
        .filter(|&id| id < rendered.len() && id < content.pages.len())
        .collect()
}

/// Feeds the pages `ids` to `postings` batch by batch; `words` gives a page's
/// words (tokenizing it, or borrowed from a cache), then `keep` receives them.
fn feed<'c, W, K>(
    content: &Content,
    rendered: &[Arc<Doc>],
    ids: &[PageId],
    postings: &mut index::Postings,
    words: W,
    mut keep: K,
) -> std::io::Result<()>
where
    W: Fn(PageId, &PageEntry<'_>) -> Cow<'c, index::PageWords> + Sync,
    K: FnMut(PageId, Cow<'c, index::PageWords>),
{
    for batch in ids.chunks(BATCH) {
        let texts = batch
            .par_iter()
            .with_max_len(16)
            .map(|&id| rendered[id].text_chunks())
            .collect::<std::io::Result<Vec<_>>>()?;
        let entries: Vec<PageEntry<'_>> = batch
            .iter()
            .zip(&texts)
            .map(|(&id, t)| entry(&content.pages[id], t))
            .collect();
        let found: Vec<Cow<'c, index::PageWords>> = batch
            .par_iter()
            .zip(entries.par_iter())
            .with_max_len(8)
            .map(|(&id, e)| words(id, e))
            .collect();
        for ((&id, e), w) in batch.iter().zip(&entries).zip(found) {
            postings.add(e, &w);
            keep(id, w);
        }
    }
    Ok(())
}

/// The text of part `part` of the index of `content` (of `parts`; see
/// [`part_file`]), whose parsed pages are `rendered` (by page id), in pieces to
/// write one after the other; fails only when a page's text cannot be read
/// back from the store's file.
pub fn build_index(
    content: &Content,
    rendered: &[Arc<Doc>],
    store: &Arc<Store>,
    part: usize,
    parts: usize,
) -> std::io::Result<Vec<Held>> {
    let mut postings = index::Postings::new(Some(store.clone()));
    let ids = part_ids(content, rendered, part);
    feed(
        content,
        rendered,
        &ids,
        &mut postings,
        |_, e| Cow::Owned(index::page_words(e, &stem::language(&e.lang))),
        |_, _| {},
    )?;
    Ok(index::serialise_parts(postings, part, parts))
}

/// The words of the pages of one part of the index, by page id, kept between
/// builds by `serve` so that only the pages whose text changed are tokenized again.
#[derive(Debug, Default)]
pub struct WordsCache(std::collections::HashMap<PageId, index::PageWords>);

impl WordsCache {
    /// Forgets the words of pages `ids` (their text changed).
    pub fn forget(&mut self, ids: &[crate::content::PageId]) {
        for id in ids {
            self.0.remove(id);
        }
    }

    /// Part `part` of the index of `content` (of `parts`), tokenizing only the
    /// pages not cached yet.
    pub fn build(
        &mut self,
        content: &Content,
        rendered: &[Arc<Doc>],
        store: &Arc<Store>,
        part: usize,
        parts: usize,
    ) -> std::io::Result<Vec<Held>> {
        let ids = part_ids(content, rendered, part);
        // Pages that moved to another part are not kept here.
        let kept: std::collections::HashSet<PageId> = ids.iter().copied().collect();
        self.0.retain(|id, _| kept.contains(id));
        let mut postings = index::Postings::new(Some(store.clone()));
        let cache = &self.0;
        let mut fresh: Vec<(PageId, index::PageWords)> = Vec::new();
        feed(
            content,
            rendered,
            &ids,
            &mut postings,
            |id, e| match cache.get(&id) {
                Some(w) => Cow::Borrowed(w),
                None => Cow::Owned(index::page_words(e, &stem::language(&e.lang))),
            },
            |id, w| {
                if let Cow::Owned(w) = w {
                    fresh.push((id, w));
                }
            },
        )?;
        for (id, w) in fresh {
            self.0.insert(id, w);
        }
        Ok(index::serialise_parts(postings, part, parts))
    }
}
