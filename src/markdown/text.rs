//! The page's plain text, by heading, for the search index: text and inline code
//! (never code blocks or worksheet blocks), whitespace collapsed.

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::markdown::event::{Ev, Items};
use crate::markdown::headings::Heading;

/// A run of plain text under one heading, for the search index.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TextChunk {
    /// Id of the heading the text is under (none before the first heading).
    pub id: Option<String>,
    /// Text of that heading.
    pub heading: String,
    /// The plain text.
    pub text: String,
}

/// Text gathered before heading ids are known: (heading number, text).
pub(crate) type Gathered = Vec<(Option<usize>, String)>;

/// Gathers the text of the stream, split at every heading (the stream must still
/// hold the parser's heading events).
pub(crate) fn collect(items: &Items<'_>) -> Gathered {
    let mut chunks: Gathered = Vec::new();
    let mut current: (Option<usize>, String) = (None, String::new());
    let mut headings = 0usize;
    let mut in_heading = false;
    let mut in_code = false;
    for it in items {
        let Ev::Md(ev) = &it.ev else { continue };
        match ev {
            Event::Start(Tag::Heading { .. }) => in_heading = true,
            Event::End(TagEnd::Heading(_)) => {
                in_heading = false;
                let next = (Some(headings), String::new());
                push(&mut chunks, std::mem::replace(&mut current, next));
                headings += 1;
            }
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(t) if !in_code && !in_heading => current.1.push_str(t),
            Event::Code(t) if !in_heading => current.1.push_str(t),
            Event::SoftBreak | Event::HardBreak => current.1.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell) => {
                current.1.push(' ');
            }
            _ => {}
        }
    }
    push(&mut chunks, current);
    chunks
}

fn push(chunks: &mut Gathered, (heading, text): (Option<usize>, String)) {
    let text = if text.contains(char::is_whitespace) {
        collapse_whitespace(&text)
    } else {
        text
    };
    if !text.is_empty() || heading.is_some() {
        chunks.push((heading, text));
    }
}

/// The chunks, with the ids and texts of their headings.
pub(crate) fn finish(chunks: Gathered, headings: &[Heading]) -> Vec<TextChunk> {
    chunks
        .into_iter()
        .map(|(h, text)| {
            let heading = h.and_then(|n| headings.get(n));
            TextChunk {
                id: heading.map(|h| h.id.clone()),
                heading: heading.map(|h| h.text.clone()).unwrap_or_default(),
                text,
            }
        })
        .collect()
}

/// Trims and turns every run of whitespace into one space.
fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.trim().chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    out
}
