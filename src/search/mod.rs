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

use std::sync::Arc;

use crate::content::Content;
use crate::markdown::Doc;

pub use index::{Chunk, PageEntry};

/// The index's file name, at the output root.
pub const INDEX_FILE: &str = "search-index.js";

/// The entries to index for every page of `content`, in reading order.
/// `rendered` holds every page's parsed body, by page id.
pub fn entries<'a>(content: &'a Content, rendered: &'a [Arc<Doc>]) -> Vec<PageEntry<'a>> {
    content
        .order
        .iter()
        .filter_map(|&id| Some((content.pages.get(id)?, rendered.get(id)?)))
        .map(|(page, md)| {
            let mut first = Chunk {
                text: page.fm.description.as_deref().unwrap_or("").into(),
                ..Chunk::default()
            };
            let mut chunks = Vec::with_capacity(md.chunks.len() + 1);
            for c in &md.chunks {
                match &c.id {
                    None if first.text.is_empty() => first.text = c.text.as_str().into(),
                    None => {
                        let text = first.text.to_mut();
                        text.push(' ');
                        text.push_str(&c.text);
                    }
                    Some(id) => chunks.push(Chunk {
                        anchor: id,
                        heading: &c.heading,
                        text: c.text.as_str().into(),
                    }),
                }
            }
            chunks.insert(0, first);
            PageEntry {
                title: &page.title,
                url: &page.out,
                lang: stem::base_lang(&page.lang),
                worksheet: page.is_worksheet(),
                chunks,
            }
        })
        .collect()
}

/// Pages tokenized at once (in parallel) before their words are merged.
const BATCH: usize = 256;

/// The text of `search-index.js` for `pages` (in reading order).
pub fn build_index(pages: &[PageEntry<'_>]) -> String {
    let mut postings = index::Postings::default();
    for batch in pages.chunks(BATCH) {
        let words: Vec<index::PageWords> = batch
            .par_iter()
            .map(|p| index::page_words(p, &stem::language(&p.lang)))
            .collect();
        for (page, w) in batch.iter().zip(words) {
            postings.add(page, &w);
        }
    }
    index::serialise(pages, &postings)
}

/// Each page's words, by page id, kept between builds by `serve` so that only
/// the pages whose text changed are tokenized again.
#[derive(Debug, Default)]
pub struct WordsCache(Vec<Option<index::PageWords>>);

impl WordsCache {
    /// Forgets the words of pages `ids` (their text changed).
    pub fn forget(&mut self, ids: &[crate::content::PageId]) {
        for &id in ids {
            if let Some(slot) = self.0.get_mut(id) {
                *slot = None;
            }
        }
    }

    /// The index of `content`, tokenizing only the pages not cached yet.
    pub fn build(&mut self, content: &Content, rendered: &[Arc<Doc>]) -> String {
        self.0.resize_with(content.pages.len(), || None);
        let pages = entries(content, rendered);
        let ids: Vec<usize> = content
            .order
            .iter()
            .copied()
            .filter(|&i| i < rendered.len())
            .collect();
        let missing: Vec<(usize, index::PageWords)> = ids
            .par_iter()
            .zip(pages.par_iter())
            .filter(|(id, _)| self.0[**id].is_none())
            .map(|(&id, p)| (id, index::page_words(p, &stem::language(&p.lang))))
            .collect();
        for (id, w) in missing {
            self.0[id] = Some(w);
        }
        let mut postings = index::Postings::default();
        for (id, page) in ids.iter().zip(&pages) {
            if let Some(w) = &self.0[*id] {
                postings.add(page, w);
            }
        }
        index::serialise(&pages, &postings)
    }
}
