//! Turns the marker links of a printed PDF into an AcroForm: one widget per
//! marker (the same object, so its place in the page's annotations and in the
//! structure tree stays), fields named by the dotted names of the controls,
//! and the form dictionary.

use std::collections::{BTreeMap, HashMap, HashSet};

use lopdf::{Dictionary, Document, Object, ObjectId, dictionary};

use super::appearance::{self, FONT_SIZE};
use super::{Control, Kind, MARKER};
use crate::pdf::PdfError;

/// Field flags (PDF 32000-1, 12.7.4): several lines; radio buttons; a chosen
/// radio button cannot be unset by clicking it again.
const MULTILINE: i64 = 1 << 12;
const RADIO: i64 = 1 << 15;
const NO_TOGGLE_TO_OFF: i64 = 1 << 14;
/// Annotation flag: print the widget.
const PRINT: i64 = 4;

/// One marker found in the PDF: the link that becomes a widget.
#[derive(Debug, Clone)]
struct Marker {
    /// The annotation object (made one when the link was written inline).
    id: ObjectId,
    page: ObjectId,
    rect: [f32; 4],
    struct_parent: Option<Object>,
}

/// What [`make_fillable`] did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Made {
    /// The fully qualified names of the fields made, in order.
    pub(crate) fields: Vec<String>,
    /// For each field with a role (`mentor`, `date`…), its name and the role.
    pub(crate) roles: Vec<(String, String)>,
}

/// Makes `pdf` fillable: every marker link of `controls` becomes a widget of
/// its field. A PDF without markers comes back as it was.
pub(crate) fn make_fillable(pdf: &[u8], controls: &[Control]) -> Result<(Vec<u8>, Made), PdfError> {
    let read =
        |e: lopdf::Error| PdfError::Protocol(format!("cannot read the printed PDF back: {e}"));
    let mut doc = Document::load_mem(pdf).map_err(read)?;
    let markers = take_markers(&mut doc, controls.len());
    if markers.iter().all(Vec::is_empty) {
        return Ok((pdf.to_vec(), Made::default()));
    }
    let names = final_names(controls);
    let (helv, zadb) = appearance::fonts(&mut doc);
    // Controls by field, in the order the fields first appear.
    let mut order: Vec<String> = Vec::new();
    let mut members: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, name) in names.iter().enumerate() {
        if markers[i].is_empty() {
            continue;
        }
        let list = members.entry(name.clone()).or_default();
        if list.is_empty() {
            order.push(name.clone());
        }
        list.push(i);
    }
    let mut tree = Tree::default();
    let mut made = Made::default();
    for name in &order {
        let list = &members[name];
        let first = &controls[list[0]];
        let widgets: Vec<(usize, &Marker)> = list
            .iter()
            .flat_map(|&i| markers[i].iter().map(move |m| (i, m)))
            .collect();
        let leaf = write_field(&mut doc, first, name, &widgets, controls, helv);
        tree.add(&mut doc, name, leaf);
        made.fields.push(name.clone());
        if !first.role.is_empty() {
            made.roles.push((name.clone(), first.role.clone()));
        }
    }
    let roots = tree.finish(&mut doc);
    let form = dictionary! {
        "Fields" => roots.into_iter().map(Object::Reference).collect::<Vec<_>>(),
        "NeedAppearances" => true,
        "DA" => Object::string_literal("/Helv 0 Tf 0 g"),
        "DR" => dictionary! { "Font" => dictionary! { "Helv" => helv, "ZaDb" => zadb } },
    };
    let form = doc.add_object(form);
    doc.catalog_mut()
        .map_err(|e| PdfError::Protocol(format!("the printed PDF has no catalog: {e}")))?
        .set("AcroForm", form);
    let mut out = Vec::with_capacity(pdf.len() + pdf.len() / 4);
    // The widgets' appearance streams compressed, and the objects in object
    // streams with a cross-reference stream, as Chromium wrote the printed PDF:
    // a fillable sheet stays about the size of the flat one.
    doc.compress();
    doc.save_modern(&mut out)
        .map_err(|e| PdfError::Write(format!("cannot write the fillable PDF: {e}")))?;
    Ok((out, made))
}

/// Removes the marker links from every page's annotations and returns them by
/// control index (a box split over two pages has two). The annotations kept in
/// place are the ones that become widgets.
fn take_markers(doc: &mut Document, n: usize) -> Vec<Vec<Marker>> {
    let mut found: Vec<Vec<Marker>> = vec![Vec::new(); n];
    let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
    for page in pages {
        let Some(annots) = page_annots(doc, page) else {
            continue;
        };
        let mut kept = Vec::with_capacity(annots.len());
        let mut changed = false;
        for entry in annots {
            let (id, dict) = match &entry {
                Object::Reference(id) => match doc.get_dictionary(*id) {
                    Ok(d) => (Some(*id), d.clone()),
                    Err(_) => {
                        kept.push(entry);
                        continue;
                    }
                },
                Object::Dictionary(d) => (None, d.clone()),
                _ => {
                    kept.push(entry);
                    continue;
                }
            };
            let Some(index) = marker_index(doc, &dict) else {
                kept.push(entry);
                continue;
            };
            changed = true;
            let Some(rect) = rect_of(&dict).filter(|_| index < n) else {
                continue;
            };
            let id = id.unwrap_or_else(|| doc.add_object(Dictionary::new()));
            kept.push(Object::Reference(id));
            found[index].push(Marker {
                id,
                page,
                rect,
                struct_parent: dict.get(b"StructParent").ok().cloned(),
            });
        }
        if changed && let Ok(p) = doc.get_dictionary_mut(page) {
            p.set("Annots", kept);
        }
    }
    found
}

/// The annotations of a page (inline or referenced array).
fn page_annots(doc: &Document, page: ObjectId) -> Option<Vec<Object>> {
    let p = doc.get_dictionary(page).ok()?;
    let a = p.get_deref(b"Annots", doc).ok()?.as_array().ok()?;
    Some(a.clone())
}

/// The control index of a marker link (`MARKER` followed by a number).
fn marker_index(doc: &Document, annot: &Dictionary) -> Option<usize> {
    if annot.get(b"Subtype").ok()?.as_name().ok()? != b"Link" {
        return None;
    }
    let action = annot.get_deref(b"A", doc).ok()?.as_dict().ok()?;
    let uri = action.get_deref(b"URI", doc).ok()?.as_str().ok()?;
    let rest = uri.strip_prefix(MARKER.as_bytes())?;
    std::str::from_utf8(rest).ok()?.parse().ok()
}

/// `/Rect` as left, bottom, right, top.
fn rect_of(annot: &Dictionary) -> Option<[f32; 4]> {
    let r = annot.get(b"Rect").ok()?.as_array().ok()?;
    let v: Vec<f32> = r.iter().filter_map(|x| x.as_float().ok()).collect();
    let [a, b, c, d] = v[..] else { return None };
    let rect = [a.min(c), b.min(d), a.max(c), b.max(d)];
    (rect[2] - rect[0] >= 1.0 && rect[3] - rect[1] >= 1.0).then_some(rect)
}

/// Field names as they go into the PDF: the controls' names, with the pages of
/// another print entry that had the same form name numbered (`charte-2.…`), a
/// name used by controls of another kind numbered, and no name both a field and
/// the parent of others.
fn final_names(controls: &[Control]) -> Vec<String> {
    let mut root_of_scope: HashMap<(String, String), String> = HashMap::new();
    let mut roots_taken: HashMap<String, String> = HashMap::new();
    let mut kinds: HashMap<String, Kind> = HashMap::new();
    let mut leaves: HashSet<String> = HashSet::new();
    let mut prefixes: HashSet<String> = HashSet::new();
    let mut out = Vec::with_capacity(controls.len());
    for c in controls {
        let parts: Vec<&str> = c.name.split('.').filter(|p| !p.is_empty()).collect();
        let (root, rest) = match parts.split_first() {
            Some((r, rest)) => (r.to_string(), rest.join(".")),
            None => ("field".to_string(), String::new()),
        };
        let root = root_of_scope
            .entry((root.clone(), c.scope.clone()))
            .or_insert_with(|| {
                let mut name = root.clone();
                let mut k = 2;
                while roots_taken.get(&name).is_some_and(|s| *s != c.scope) {
                    name = format!("{root}-{k}");
                    k += 1;
                }
                roots_taken.insert(name.clone(), c.scope.clone());
                name
            })
            .clone();
        let base = if rest.is_empty() {
            root
        } else {
            format!("{root}.{rest}")
        };
        let free = |n: &str| !leaves.contains(n) && !prefixes.contains(n);
        let bump = |n: &str| {
            (2..=controls.len() + 2)
                .map(|k| format!("{n}-{k}"))
                .find(|m| free(m))
                .unwrap_or_else(|| format!("{n}-x"))
        };
        let mut name = base;
        // Bounded: each turn renames one part, and there are few.
        for _ in 0..16 {
            let clash = proper_prefixes(&name)
                .find(|p| leaves.contains(*p))
                .map(str::len);
            if let Some(at) = clash {
                name = format!("{}{}", bump(&name[..at]), &name[at..]);
                continue;
            }
            let other_kind = kinds.get(&name).is_some_and(|k| *k != c.kind);
            if prefixes.contains(&name) || (leaves.contains(&name) && other_kind) {
                name = bump(&name);
                continue;
            }
            break;
        }
        kinds.entry(name.clone()).or_insert(c.kind);
        prefixes.extend(proper_prefixes(&name).map(str::to_string));
        leaves.insert(name.clone());
        out.push(name);
    }
    out
}

/// `a` and `a.b` for `a.b.c`.
fn proper_prefixes(name: &str) -> impl Iterator<Item = &str> {
    name.match_indices('.').map(move |(i, _)| &name[..i])
}

/// Writes the field `name` of the controls `widgets` (index, marker); returns
/// the object of the terminal field (for a single widget, the widget itself).
fn write_field(
    doc: &mut Document,
    first: &Control,
    name: &str,
    widgets: &[(usize, &Marker)],
    controls: &[Control],
    helv: ObjectId,
) -> ObjectId {
    let partial = name.rsplit('.').next().unwrap_or(name);
    let mut field = dictionary! { "T" => lopdf::text_string(partial) };
    if !first.label.is_empty() {
        field.set("TU", lopdf::text_string(&first.label));
    }
    match first.kind {
        Kind::Text | Kind::Multiline => {
            field.set("FT", "Tx");
            field.set(
                "DA",
                Object::string_literal(format!("/Helv {FONT_SIZE} Tf 0 g")),
            );
            field.set("V", lopdf::text_string(""));
            if first.kind == Kind::Multiline {
                field.set("Ff", MULTILINE);
            }
        }
        Kind::Check => {
            field.set("FT", "Btn");
            field.set("DA", Object::string_literal("/ZaDb 0 Tf 0 g"));
            field.set("V", Object::Name(b"Off".to_vec()));
        }
        Kind::Radio => {
            field.set("FT", "Btn");
            field.set("Ff", RADIO | NO_TOGGLE_TO_OFF);
            field.set("DA", Object::string_literal("/ZaDb 0 Tf 0 g"));
            field.set("V", Object::Name(b"Off".to_vec()));
        }
    }
    let widget = |doc: &mut Document, (i, m): (usize, &Marker)| -> Dictionary {
        let [x0, y0, x1, y1] = m.rect;
        let (w, h) = (x1 - x0, y1 - y0);
        let mut d = dictionary! {
            "Type" => "Annot",
            "Subtype" => "Widget",
            "Rect" => vec![x0.into(), y0.into(), x1.into(), y1.into()],
            "F" => PRINT,
            "P" => m.page,
        };
        if let Some(sp) = &m.struct_parent {
            d.set("StructParent", sp.clone());
        }
        let off = doc.add_object(appearance::stream(w, h, appearance::blank(), None));
        match controls[i].kind {
            Kind::Text | Kind::Multiline => {
                let n = doc.add_object(appearance::stream(w, h, appearance::blank(), Some(helv)));
                d.set("AP", dictionary! { "N" => n });
            }
            Kind::Check => {
                let on = doc.add_object(appearance::stream(w, h, appearance::tick(w, h), None));
                d.set(
                    "AP",
                    dictionary! { "N" => dictionary! { "Yes" => on, "Off" => off } },
                );
                d.set("AS", "Off");
                d.set("MK", dictionary! { "CA" => Object::string_literal("4") });
            }
            Kind::Radio => {
                let on = doc.add_object(appearance::stream(w, h, appearance::dot(w, h), None));
                let mut normal = Dictionary::new();
                normal.set(appearance::name_of(&controls[i].value, i), on);
                normal.set("Off", off);
                d.set("AP", dictionary! { "N" => normal });
                d.set("AS", "Off");
                d.set("MK", dictionary! { "CA" => Object::string_literal("l") });
            }
        }
        d
    };
    if widgets.len() == 1 && first.kind != Kind::Radio {
        let (i, m) = widgets[0];
        let mut d = widget(doc, (i, m));
        d.extend(&field);
        doc.objects.insert(m.id, Object::Dictionary(d));
        return m.id;
    }
    let id = doc.new_object_id();
    let mut kids = Vec::with_capacity(widgets.len());
    for &(i, m) in widgets {
        let mut d = widget(doc, (i, m));
        d.set("Parent", id);
        doc.objects.insert(m.id, Object::Dictionary(d));
        kids.push(Object::Reference(m.id));
    }
    field.set("Kids", kids);
    doc.objects.insert(id, Object::Dictionary(field));
    id
}

/// The non-terminal fields (`seance-3`, `seance-3.table`) above the terminal ones.
#[derive(Default)]
struct Tree {
    /// Node objects by their qualified name.
    nodes: BTreeMap<String, ObjectId>,
    /// Kids of each node (by qualified name; `""` is the form itself), in order.
    kids: HashMap<String, Vec<ObjectId>>,
    /// Each node's name, in the order made.
    order: Vec<String>,
}

impl Tree {
    /// Adds the terminal field `leaf` named `name`, making its parents as needed.
    fn add(&mut self, doc: &mut Document, name: &str, leaf: ObjectId) {
        let parent = name.rsplit_once('.').map_or("", |(p, _)| p);
        let parent_id = self.node(doc, parent);
        if let (Some(pid), Ok(d)) = (parent_id, doc.get_dictionary_mut(leaf)) {
            d.set("Parent", pid);
        }
        self.kids.entry(parent.to_string()).or_default().push(leaf);
    }

    /// The node `name` (made with its parents when new); `None` for the form.
    fn node(&mut self, doc: &mut Document, name: &str) -> Option<ObjectId> {
        if name.is_empty() {
            return None;
        }
        if let Some(id) = self.nodes.get(name) {
            return Some(*id);
        }
        let (parent, partial) = name.rsplit_once('.').unwrap_or(("", name));
        let parent_id = self.node(doc, parent);
        let mut d = dictionary! { "T" => lopdf::text_string(partial) };
        if let Some(p) = parent_id {
            d.set("Parent", p);
        }
        let id = doc.add_object(d);
        self.nodes.insert(name.to_string(), id);
        self.order.push(name.to_string());
        self.kids.entry(parent.to_string()).or_default().push(id);
        Some(id)
    }

    /// Writes every node's kids; returns the top-level fields.
    fn finish(mut self, doc: &mut Document) -> Vec<ObjectId> {
        for name in &self.order {
            let kids = self.kids.remove(name).unwrap_or_default();
            if let Ok(d) = doc.get_dictionary_mut(self.nodes[name]) {
                d.set(
                    "Kids",
                    kids.into_iter().map(Object::Reference).collect::<Vec<_>>(),
                );
            }
        }
        self.kids.remove("").unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn control(name: &str, kind: Kind, scope: &str) -> Control {
        Control {
            name: name.into(),
            kind,
            value: String::new(),
            role: String::new(),
            label: String::new(),
            scope: scope.into(),
        }
    }

    #[test]
    fn names_clash_neither_across_pages_nor_as_parents() {
        let c = [
            control("charte.a", Kind::Text, "p-1"),
            control("charte.a", Kind::Text, "p-2"),
            control("s.b", Kind::Text, ""),
            control("s.b.c", Kind::Text, ""),
            control("s.r", Kind::Radio, ""),
            control("s.r", Kind::Radio, ""),
            control("s.r", Kind::Check, ""),
            control("", Kind::Check, ""),
        ];
        assert_eq!(
            final_names(&c),
            [
                "charte.a",
                "charte-2.a",
                "s.b",
                "s.b-2.c",
                "s.r",
                "s.r",
                "s.r-2",
                "field"
            ]
        );
    }
}
