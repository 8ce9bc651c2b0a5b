//! Names of a page's fillable fields: every control a page's HTML gives a `name`
//! (worksheet blocks, task boxes, the worksheet header) takes a name unique in
//! the page, `<form>.<key>`, where `<form>` names the page (its output file) and
//! `<key>` comes from what the author wrote (a block's `name:` or `label:`).
//! The same names key the answers saved on screen and the PDF's form fields.

use std::cell::RefCell;
use std::collections::HashSet;

/// Longest key taken from a label, in bytes (cut at a dash).
const KEY_LEN: usize = 40;

/// The keys a page has given out.
#[derive(Debug, Default)]
pub struct FieldNames {
    taken: RefCell<HashSet<String>>,
}

impl FieldNames {
    /// A new set; on a worksheet, the header's keys (`mentor`, `mentee`, `lead`,
    /// `date`) are taken before any block's.
    pub fn new(worksheet: bool) -> Self {
        let names = FieldNames::default();
        if worksheet {
            for k in HEADER_KEYS {
                names.taken.borrow_mut().insert((*k).to_string());
            }
        }
        names
    }

    /// Takes `key` as it is, for a name the author chose: false when it is
    /// already given out (to another block, or to the worksheet's header).
    pub fn claim_exact(&self, key: &str) -> bool {
        self.taken.borrow_mut().insert(key.to_string())
    }

    /// `base`, or `base-2`, `base-3`… the first not given out yet; now taken.
    pub fn claim(&self, base: &str) -> String {
        let mut taken = self.taken.borrow_mut();
        if taken.insert(base.to_string()) {
            return base.to_string();
        }
        // Bounded: at most one more than the names taken.
        for n in 2..=taken.len() + 2 {
            let name = format!("{base}-{n}");
            if taken.insert(name.clone()) {
                return name;
            }
        }
        base.to_string()
    }
}

/// The keys of a worksheet's header fields, by role.
pub const HEADER_KEYS: &[&str] = &["mentor", "mentee", "lead", "date"];

/// A key from an author's text: its slug, cut at a dash to at most 40
/// bytes; `fallback` when nothing is left.
pub fn key(text: &str, fallback: &str) -> String {
    let slug = crate::text::slugify(text);
    let mut out = String::new();
    for part in slug.split('-') {
        if !out.is_empty() && out.len() + 1 + part.len() > KEY_LEN {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(part);
    }
    out.truncate(KEY_LEN.max(1));
    if out.is_empty() {
        fallback.to_string()
    } else {
        out
    }
}

/// Keys for a list of texts (a table's columns, signers), unique among
/// themselves; `fallback-N` for an empty one.
pub fn keys(texts: &[String], fallback: &str) -> Vec<String> {
    let local = FieldNames::default();
    texts
        .iter()
        .enumerate()
        .map(|(i, t)| local.claim(&key(t, &format!("{fallback}-{}", i + 1))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_in_a_page() {
        let n = FieldNames::new(true);
        assert_eq!(n.claim("objectif"), "objectif");
        assert_eq!(n.claim("objectif"), "objectif-2");
        assert_eq!(n.claim("date"), "date-2", "the header has `date`");
        assert_eq!(FieldNames::new(false).claim("date"), "date");
        let n = FieldNames::new(true);
        assert!(n.claim_exact("objectif"));
        assert!(
            !n.claim_exact("objectif"),
            "a chosen name is not given twice"
        );
        assert!(!n.claim_exact("mentor"), "the header has `mentor`");
    }

    #[test]
    fn keys_are_short_slugs() {
        assert_eq!(
            key("Objectif de la séance", "field"),
            "objectif-de-la-seance"
        );
        assert_eq!(key("« ? »", "box"), "box");
        let long = key(
            "Ce que la personne mentorée retient de la séance et ce qu'elle fera",
            "field",
        );
        assert!(long.len() <= KEY_LEN && !long.ends_with('-'), "{long}");
        assert_eq!(
            keys(&["Tâche".into(), "Tâche".into(), String::new()], "col"),
            ["tache", "tache-2", "col-3"]
        );
    }
}
