//! Heading ids: from the heading's text, accents folded, unique within the page,
//! with an explicit `{#id}` taking precedence.

use std::collections::HashSet;

use crate::text::slugify;

/// A heading of a rendered page, for the table of contents and anchor checks.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The id (without any print prefix).
    pub id: String,
    /// The heading's plain text.
    pub text: String,
}

/// Hands out unique ids within one page.
#[derive(Debug, Default)]
pub struct Slugger {
    used: HashSet<String>,
}

impl Slugger {
    /// A slugger that will never hand out the `reserved` ids (the page's explicit ids).
    pub fn new(reserved: impl IntoIterator<Item = String>) -> Self {
        Self {
            used: reserved.into_iter().collect(),
        }
    }

    /// A unique id for a heading whose text is `text`: `notes`, then `notes-1`, `notes-2`…
    pub fn unique(&mut self, text: &str) -> String {
        let mut base = slugify(text);
        if base.is_empty() {
            base = "section".into();
        }
        if self.used.insert(base.clone()) {
            return base;
        }
        for i in 1.. {
            let candidate = format!("{base}-{i}");
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
        unreachable!("the loop above always returns")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_avoid_reserved() {
        let mut s = Slugger::new(["notes-1".to_string()]);
        assert_eq!(s.unique("Notes"), "notes");
        assert_eq!(s.unique("Notes"), "notes-2");
        assert_eq!(s.unique("Écoute active"), "ecoute-active");
        assert_eq!(s.unique("?"), "section");
    }
}
