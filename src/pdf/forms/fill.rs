//! Sets values in a fillable PDF made by [`super::acroform`]: text fields get
//! the value and an appearance that shows it; check boxes and radio groups
//! their state. `pack` writes the pair's names and dates in with it.

use std::collections::HashMap;

use lopdf::{Document, Object, ObjectId};

use super::appearance;
use crate::pdf::PdfError;

/// Deepest field tree read (a PDF could nest fields without end).
const MAX_DEPTH: usize = 16;
/// Most fields read from one PDF.
const MAX_FIELDS: usize = 100_000;

/// Sets each `(name, value)` of `values` in `pdf` (a check box takes `Yes` or
/// `Off`, a radio group one of its values); names it does not have are left out.
pub(crate) fn fill(pdf: &[u8], values: &[(String, String)]) -> Result<Vec<u8>, PdfError> {
    let mut doc = Document::load_mem(pdf)
        .map_err(|e| PdfError::Protocol(format!("cannot read the PDF back: {e}")))?;
    let wanted: HashMap<&str, &str> = values
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let fields = terminal_fields(&doc);
    let helv = doc
        .catalog()
        .ok()
        .and_then(|c| c.get_deref(b"AcroForm", &doc).ok()?.as_dict().ok())
        .and_then(|f| f.get_deref(b"DR", &doc).ok()?.as_dict().ok())
        .and_then(|dr| dr.get_deref(b"Font", &doc).ok()?.as_dict().ok())
        .and_then(|fonts| fonts.get(b"Helv").ok()?.as_reference().ok());
    for (name, id) in fields {
        let Some(value) = wanted.get(name.as_str()) else {
            continue;
        };
        set(&mut doc, id, value, helv);
    }
    let mut out = Vec::with_capacity(pdf.len() + 4096);
    // The widgets' appearance streams compressed, and the objects in object
    // streams with a cross-reference stream, as Chromium wrote the printed PDF:
    // a fillable sheet stays about the size of the flat one.
    doc.compress();
    doc.save_modern(&mut out)
        .map_err(|e| PdfError::Write(format!("cannot write the filled PDF: {e}")))?;
    Ok(out)
}

/// Every terminal field of the form, with its fully qualified name.
pub(crate) fn terminal_fields(doc: &Document) -> Vec<(String, ObjectId)> {
    let mut out = Vec::new();
    let Some(roots) = doc
        .catalog()
        .ok()
        .and_then(|c| c.get_deref(b"AcroForm", doc).ok()?.as_dict().ok())
        .and_then(|f| f.get_deref(b"Fields", doc).ok()?.as_array().ok())
    else {
        return out;
    };
    let mut stack: Vec<(ObjectId, String, usize)> = roots
        .iter()
        .rev()
        .filter_map(|r| Some((r.as_reference().ok()?, String::new(), 0)))
        .collect();
    while let Some((id, parent, depth)) = stack.pop() {
        if out.len() >= MAX_FIELDS || depth > MAX_DEPTH {
            break;
        }
        let Ok(d) = doc.get_dictionary(id) else {
            continue;
        };
        let partial = d
            .get(b"T")
            .ok()
            .and_then(|t| lopdf::decode_text_string(t).ok());
        let name = match (&partial, parent.is_empty()) {
            (Some(p), true) => p.clone(),
            (Some(p), false) => format!("{parent}.{p}"),
            (None, _) => parent.clone(),
        };
        let kids: Vec<ObjectId> = d
            .get(b"Kids")
            .ok()
            .and_then(|k| k.as_array().ok())
            .map(|k| k.iter().filter_map(|r| r.as_reference().ok()).collect())
            .unwrap_or_default();
        // A field whose kids are all widgets (no `/T`) is terminal.
        let field_kids: Vec<ObjectId> = kids
            .iter()
            .copied()
            .filter(|k| doc.get_dictionary(*k).is_ok_and(|kd| kd.has(b"T")))
            .collect();
        if d.has(b"FT") || field_kids.is_empty() {
            if d.has(b"FT") {
                out.push((name, id));
            }
            continue;
        }
        for k in field_kids.into_iter().rev() {
            stack.push((k, name.clone(), depth + 1));
        }
    }
    out
}

/// The widgets of a terminal field: itself when merged, else its kids.
fn widgets(doc: &Document, id: ObjectId) -> Vec<ObjectId> {
    let Ok(d) = doc.get_dictionary(id) else {
        return Vec::new();
    };
    if d.get(b"Subtype")
        .and_then(Object::as_name)
        .is_ok_and(|s| s == b"Widget")
    {
        return vec![id];
    }
    d.get(b"Kids")
        .and_then(Object::as_array)
        .map(|k| k.iter().filter_map(|r| r.as_reference().ok()).collect())
        .unwrap_or_default()
}

/// Sets one field's value and its widgets' appearances.
fn set(doc: &mut Document, id: ObjectId, value: &str, helv: Option<ObjectId>) {
    let Ok(d) = doc.get_dictionary(id) else {
        return;
    };
    let kind = d
        .get(b"FT")
        .and_then(Object::as_name)
        .map(<[u8]>::to_vec)
        .unwrap_or_default();
    let flags = d.get(b"Ff").and_then(Object::as_i64).unwrap_or(0);
    let ws = widgets(doc, id);
    if kind == b"Tx" {
        let multiline = flags & (1 << 12) != 0;
        if let Ok(d) = doc.get_dictionary_mut(id) {
            d.set("V", lopdf::text_string(value));
        }
        for w in ws {
            let Some([x0, y0, x1, y1]) = doc.get_dictionary(w).ok().and_then(rect) else {
                continue;
            };
            let (wd, ht) = (x1 - x0, y1 - y0);
            let ap = appearance::stream(wd, ht, appearance::text(value, wd, ht, multiline), helv);
            let ap = doc.add_object(ap);
            if let Ok(wd) = doc.get_dictionary_mut(w) {
                wd.set("AP", lopdf::dictionary! { "N" => ap });
            }
        }
        return;
    }
    if kind == b"Btn" {
        let on = appearance::name_of(value, 0);
        let mut chosen = false;
        for w in ws {
            let Ok(wd) = doc.get_dictionary_mut(w) else {
                continue;
            };
            let has = wd
                .get(b"AP")
                .and_then(Object::as_dict)
                .and_then(|ap| ap.get(b"N"))
                .and_then(Object::as_dict)
                .is_ok_and(|n| n.has(&on));
            wd.set(
                "AS",
                Object::Name(if has { on.clone() } else { b"Off".to_vec() }),
            );
            chosen |= has;
        }
        if let Ok(d) = doc.get_dictionary_mut(id) {
            d.set("V", Object::Name(if chosen { on } else { b"Off".to_vec() }));
        }
    }
}

/// A widget's `/Rect` as left, bottom, right, top.
fn rect(d: &lopdf::Dictionary) -> Option<[f32; 4]> {
    let r = d.get(b"Rect").ok()?.as_array().ok()?;
    let v: Vec<f32> = r.iter().filter_map(|x| x.as_float().ok()).collect();
    let [a, b, c, e] = v[..] else { return None };
    Some([a.min(c), b.min(e), a.max(c), b.max(e)])
}
