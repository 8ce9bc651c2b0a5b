//! Reading a printed PDF back (with lopdf): how many pages it has, and on which
//! page each named destination is. Chromium makes a named destination of every
//! element id that a link of the document points at.

use std::collections::HashMap;

use lopdf::{Document, Object, ObjectId};

use super::PdfError;

/// Where a named destination is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Place {
    /// The page, from 1.
    pub(crate) page: usize,
    /// Height of the destination from the bottom of the page, in points.
    pub(crate) y: f32,
}

/// What a printed PDF says of its layout.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Printed {
    /// Its number of pages.
    pub(crate) pages: usize,
    /// Height of its first page, in points (the `y` of a place at its top).
    pub(crate) height: f32,
    /// Named destinations, by name.
    pub(crate) dests: HashMap<String, Place>,
}

impl Printed {
    /// The page a destination is on.
    pub(crate) fn page_of(&self, name: &str) -> Option<usize> {
        self.dests.get(name).map(|p| p.page)
    }
}

/// Depth bound for name trees (a PDF could nest them without end).
const MAX_DEPTH: usize = 32;

/// Reads the page count and the named destinations of a PDF.
pub(crate) fn read(bytes: &[u8]) -> Result<Printed, PdfError> {
    let doc = Document::load_mem(bytes)
        .map_err(|e| PdfError::Protocol(format!("cannot read the printed PDF back: {e}")))?;
    let pages: HashMap<ObjectId, usize> = doc
        .get_pages()
        .into_iter()
        .map(|(n, id)| (id, n as usize))
        .collect();
    let height = doc
        .get_pages()
        .get(&1)
        .and_then(|id| doc.get_dictionary(*id).ok())
        .and_then(|page| page.get_deref(b"MediaBox", &doc).ok()?.as_array().ok())
        .and_then(|b| Some(b.get(3)?.as_float().ok()? - b.get(1)?.as_float().ok()?))
        .unwrap_or(0.0);
    let mut printed = Printed {
        pages: pages.len(),
        height,
        dests: HashMap::new(),
    };
    let Ok(catalog) = doc.catalog() else {
        return Ok(printed);
    };
    // PDF 1.1: a dictionary of names; PDF 1.2 and later: a name tree under /Names.
    if let Ok(dests) = catalog.get_deref(b"Dests", &doc).and_then(Object::as_dict) {
        for (name, value) in dests.iter() {
            if let Some(place) = place(&doc, value, &pages) {
                printed
                    .dests
                    .insert(String::from_utf8_lossy(name).into_owned(), place);
            }
        }
    }
    if let Ok(tree) = catalog
        .get_deref(b"Names", &doc)
        .and_then(Object::as_dict)
        .and_then(|n| n.get_deref(b"Dests", &doc))
    {
        name_tree(&doc, tree, &pages, &mut printed.dests, 0);
    }
    Ok(printed)
}

/// Adds the entries of a name tree node and its kids.
fn name_tree(
    doc: &Document,
    node: &Object,
    pages: &HashMap<ObjectId, usize>,
    out: &mut HashMap<String, Place>,
    depth: usize,
) {
    let Ok(node) = node.as_dict() else { return };
    if depth > MAX_DEPTH {
        return;
    }
    if let Ok(names) = node.get_deref(b"Names", doc).and_then(Object::as_array) {
        for pair in names.chunks(2) {
            if let [key, value] = pair
                && let Ok(name) = key.as_str()
                && let Some(p) = place(doc, value, pages)
            {
                out.insert(String::from_utf8_lossy(name).into_owned(), p);
            }
        }
    }
    if let Ok(kids) = node.get_deref(b"Kids", doc).and_then(Object::as_array) {
        for kid in kids {
            if let Ok((_, kid)) = doc.dereference(kid) {
                name_tree(doc, kid, pages, out, depth + 1);
            }
        }
    }
}

/// The place of a destination: `[page /XYZ left top zoom]`, or a dictionary
/// whose `/D` is that array.
fn place(doc: &Document, value: &Object, pages: &HashMap<ObjectId, usize>) -> Option<Place> {
    let (_, value) = doc.dereference(value).ok()?;
    let array = match value {
        Object::Array(a) => a,
        Object::Dictionary(d) => d.get_deref(b"D", doc).ok()?.as_array().ok()?,
        _ => return None,
    };
    let page = *pages.get(&array.first()?.as_reference().ok()?)?;
    let y = match array.get(1).and_then(|k| k.as_name().ok()) {
        Some(b"XYZ") => array.get(3).and_then(|v| v.as_float().ok()),
        Some(b"FitH" | b"FitBH") => array.get(2).and_then(|v| v.as_float().ok()),
        _ => None,
    }
    .unwrap_or(0.0);
    Some(Place { page, y })
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::{Dictionary, Stream, dictionary};

    /// A PDF of `n` empty pages with destinations `a` (page 2) and `b` (page 1,
    /// in a name tree).
    fn sample(n: usize) -> Vec<u8> {
        let mut doc = Document::with_version("1.7");
        let pages_id = doc.new_object_id();
        let content = doc.add_object(Stream::new(Dictionary::new(), Vec::new()));
        let kids: Vec<ObjectId> = (0..n)
            .map(|_| {
                doc.add_object(dictionary! {
                    "Type" => "Page", "Parent" => pages_id, "Contents" => content,
                    "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
                })
            })
            .collect();
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages",
                "Kids" => kids.iter().map(|k| Object::Reference(*k)).collect::<Vec<_>>(),
                "Count" => n as i64,
            }),
        );
        let dests = doc.add_object(dictionary! {
            "a" => vec![kids[1].into(), Object::Name(b"XYZ".to_vec()), 0.into(), 500.into(), 0.into()],
        });
        let tree = doc.add_object(dictionary! {
            "Names" => vec![Object::string_literal("b"), vec![kids[0].into(), Object::Name(b"XYZ".to_vec()), 0.into(), 700.5.into(), Object::Null].into()],
        });
        let names = doc.add_object(dictionary! { "Dests" => tree });
        let catalog = doc.add_object(dictionary! {
            "Type" => "Catalog", "Pages" => pages_id, "Dests" => dests, "Names" => names,
        });
        doc.trailer.set("Root", catalog);
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).expect("save");
        bytes
    }

    #[test]
    fn pages_and_destinations() {
        let p = read(&sample(3)).expect("read");
        assert_eq!(p.pages, 3);
        assert_eq!(p.height, 842.0);
        assert_eq!(p.page_of("a"), Some(2));
        assert_eq!(p.dests["b"], Place { page: 1, y: 700.5 });
        assert_eq!(p.page_of("c"), None);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(read(b"%PDF-1.7 not really").is_err());
        assert!(read(b"").is_err());
    }
}
