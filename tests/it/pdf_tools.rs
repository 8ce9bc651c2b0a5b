//! Reading printed PDFs back: page texts (pdftotext), word boxes, page pictures
//! (pdftoppm), outline, title and language (lopdf).
//!
//! `can_print` decides whether a PDF test runs: it needs Chromium and poppler;
//! without them the test is skipped with a printed reason, or fails when
//! `MENTORBOOK_REQUIRE_BROWSER=1`.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::browser;
use crate::support::repo_root;

/// Whether Chromium and poppler are here; prints why not (or fails when required).
pub fn can_print(test: &str) -> bool {
    let have_poppler = ["pdftotext", "pdfinfo", "pdftoppm"]
        .iter()
        .all(|t| Command::new(t).arg("-v").output().is_ok());
    let have_chrome = browser::chromium().is_some();
    if have_chrome && have_poppler {
        return true;
    }
    let why = if have_chrome {
        "poppler-utils (pdftotext, pdfinfo, pdftoppm) is missing"
    } else {
        "Chromium is missing"
    };
    crate::support::skip(test, why);
    false
}

/// A field of `pdfinfo`'s report (`Pages`, `Title`, `Page size`…).
pub fn pdfinfo(pdf: &Path, field: &str) -> String {
    let info = Command::new("pdfinfo").arg(pdf).output().expect("pdfinfo");
    let prefix = format!("{field}:");
    String::from_utf8_lossy(&info.stdout)
        .lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .unwrap_or_default()
        .trim()
        .to_string()
}

/// The number of pages.
pub fn page_count(pdf: &Path) -> usize {
    pdfinfo(pdf, "Pages")
        .parse()
        .unwrap_or_else(|_| panic!("no page count for {}", pdf.display()))
}

/// Text of page `n` (from 1), laid out as on paper.
pub fn page_text(pdf: &Path, n: usize) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout", "-f", &n.to_string(), "-l", &n.to_string()])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Text of each page.
pub fn pdf_pages(pdf: &Path) -> Vec<String> {
    (1..=page_count(pdf)).map(|i| page_text(pdf, i)).collect()
}

/// The page size as pdfinfo says it (`594.96 x 841.92 pts (A4)`).
pub fn page_size(pdf: &Path) -> String {
    pdfinfo(pdf, "Page size")
}

/// One word of a page with its box, in points from the top-left corner.
#[derive(Debug, Clone)]
pub struct Word {
    /// The word.
    pub text: String,
    /// Left, top, right, bottom.
    pub bbox: [f64; 4],
}

/// The words of page `n` with their boxes (`pdftotext -bbox`).
pub fn page_words(pdf: &Path, n: usize) -> Vec<Word> {
    let out = Command::new("pdftotext")
        .args(["-bbox", "-f", &n.to_string(), "-l", &n.to_string()])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext -bbox");
    let html = String::from_utf8_lossy(&out.stdout).into_owned();
    let doc = scraper::Html::parse_document(&html);
    let sel = scraper::Selector::parse("word").expect("selector");
    doc.select(&sel)
        .map(|w| {
            let attr = |k: &str| -> f64 {
                w.value()
                    .attr(k)
                    .and_then(|v| v.parse().ok())
                    .expect("word box")
            };
            Word {
                text: w.text().collect(),
                bbox: [attr("xmin"), attr("ymin"), attr("xmax"), attr("ymax")],
            }
        })
        .collect()
}

/// A page rendered as an RGB picture at `dpi`.
pub struct Picture {
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels.
    pub height: usize,
    /// Pixels, 3 bytes each, row by row.
    pub rgb: Vec<u8>,
}

impl Picture {
    /// The pixel at (x, y).
    pub fn at(&self, x: usize, y: usize) -> [u8; 3] {
        let i = (y * self.width + x) * 3;
        [self.rgb[i], self.rgb[i + 1], self.rgb[i + 2]]
    }

    /// Luminance (0–255) of the pixel at (x, y).
    pub fn luma(&self, x: usize, y: usize) -> u8 {
        let [r, g, b] = self.at(x, y);
        ((u32::from(r) * 299 + u32::from(g) * 587 + u32::from(b) * 114) / 1000) as u8
    }

    /// The median luminance of a rectangle (pixels), clipped to the picture.
    pub fn median_luma(&self, x0: usize, y0: usize, x1: usize, y1: usize) -> u8 {
        let mut v: Vec<u8> = (y0..y1.min(self.height))
            .flat_map(|y| (x0..x1.min(self.width)).map(move |x| (x, y)))
            .map(|(x, y)| self.luma(x, y))
            .collect();
        assert!(!v.is_empty(), "empty rectangle");
        v.sort_unstable();
        v[v.len() / 2]
    }
}

/// Renders page `n` at `dpi` (72 makes one pixel one point).
pub fn render_page(pdf: &Path, n: usize, dpi: u32) -> Picture {
    let dir = tempfile::tempdir().expect("temp dir");
    let prefix = dir.path().join("page");
    let ok = Command::new("pdftoppm")
        .args([
            "-r",
            &dpi.to_string(),
            "-f",
            &n.to_string(),
            "-l",
            &n.to_string(),
        ])
        .arg("-singlefile")
        .arg(pdf)
        .arg(&prefix)
        .status()
        .expect("pdftoppm");
    assert!(ok.success(), "pdftoppm failed on {}", pdf.display());
    let bytes = std::fs::read(prefix.with_extension("ppm")).expect("ppm");
    let (magic, width, height, data) = parse_pnm(&bytes);
    assert_eq!(magic, "P6");
    Picture {
        width,
        height,
        rgb: data[..width * height * 3].to_vec(),
    }
}

/// Keeps a PNG of page `n` under `target/test-artefacts/NAME.png`, to be looked at.
pub fn keep_png(pdf: &Path, n: usize, name: &str) -> PathBuf {
    let dir = artefacts();
    let ok = Command::new("pdftoppm")
        .args([
            "-png",
            "-r",
            "90",
            "-f",
            &n.to_string(),
            "-l",
            &n.to_string(),
        ])
        .arg("-singlefile")
        .arg(pdf)
        .arg(dir.join(name))
        .status()
        .expect("pdftoppm");
    assert!(ok.success(), "pdftoppm failed on {}", pdf.display());
    dir.join(format!("{name}.png"))
}

/// `target/test-artefacts/`, created.
pub fn artefacts() -> PathBuf {
    let dir = repo_root().join("target/test-artefacts");
    std::fs::create_dir_all(&dir).expect("artefact dir");
    dir
}

/// Splits a binary PGM/PPM into its magic, width, height and pixel data.
pub fn parse_pnm(bytes: &[u8]) -> (String, usize, usize, &[u8]) {
    // P5|P6 <w> <h> <max> <data>
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(String::from_utf8_lossy(&bytes[start..i]).into_owned());
    }
    let w: usize = fields[1].parse().expect("width");
    let h: usize = fields[2].parse().expect("height");
    (fields[0].clone(), w, h, &bytes[i + 1..])
}

/// One bookmark of a PDF's outline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bookmark {
    /// 1 for a top-level entry.
    pub level: usize,
    /// Its title.
    pub title: String,
    /// The page it points at (from 1).
    pub page: usize,
}

/// The outline, in reading order (lopdf).
pub fn outline(pdf: &Path) -> Vec<Bookmark> {
    let doc = lopdf::Document::load(pdf).expect("lopdf reads the PDF");
    let toc = doc.get_toc().expect("the PDF has an outline");
    toc.toc
        .into_iter()
        .map(|t| Bookmark {
            level: t.level,
            title: t.title,
            page: t.page,
        })
        .collect()
}

/// The document catalog's `/Lang`.
pub fn language(pdf: &Path) -> String {
    let doc = lopdf::Document::load(pdf).expect("lopdf reads the PDF");
    let catalog = doc.catalog().expect("catalog");
    match catalog.get(b"Lang") {
        Ok(lopdf::Object::String(bytes, _)) => String::from_utf8_lossy(bytes).into_owned(),
        other => panic!("no /Lang in the catalog: {other:?}"),
    }
}

/// The page (from 1) of every named destination (lopdf: the catalog's `/Dests`).
pub fn named_dests(pdf: &Path) -> std::collections::HashMap<String, usize> {
    let doc = lopdf::Document::load(pdf).expect("lopdf reads the PDF");
    let pages: std::collections::HashMap<lopdf::ObjectId, usize> = doc
        .get_pages()
        .into_iter()
        .map(|(n, id)| (id, n as usize))
        .collect();
    let catalog = doc.catalog().expect("catalog");
    let Ok(dests) = catalog
        .get_deref(b"Dests", &doc)
        .and_then(lopdf::Object::as_dict)
    else {
        return Default::default();
    };
    dests
        .iter()
        .filter_map(|(name, value)| {
            let (_, value) = doc.dereference(value).ok()?;
            let page = value.as_array().ok()?.first()?.as_reference().ok()?;
            Some((
                String::from_utf8_lossy(name).into_owned(),
                *pages.get(&page)?,
            ))
        })
        .collect()
}

/// Text of page `n` in reading order (no layout), white space collapsed.
pub fn page_flow(pdf: &Path, n: usize) -> String {
    let out = Command::new("pdftotext")
        .args(["-f", &n.to_string(), "-l", &n.to_string()])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext");
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// One terminal field of a PDF form (lopdf), with its widgets.
#[derive(Debug, Clone)]
pub struct FormField {
    /// Its fully qualified name (`seance-3.objectif`).
    pub name: String,
    /// `/FT`: `Tx` or `Btn`.
    pub kind: String,
    /// `/Ff`, the field flags.
    pub flags: i64,
    /// `/V` as text (a name's bytes for a button), empty when absent.
    pub value: String,
    /// `/TU`, the tooltip.
    pub tooltip: String,
    /// Each widget: its page (from 1) and rectangle (left, bottom, right, top, points).
    pub widgets: Vec<(usize, [f32; 4])>,
}

impl FormField {
    /// Several lines of text.
    pub fn multiline(&self) -> bool {
        self.kind == "Tx" && self.flags & (1 << 12) != 0
    }
    /// A radio group.
    pub fn radio(&self) -> bool {
        self.kind == "Btn" && self.flags & (1 << 15) != 0
    }
    /// A check box.
    pub fn checkbox(&self) -> bool {
        self.kind == "Btn" && self.flags & (1 << 15) == 0
    }
}

/// A rectangle of an annotation dictionary, as left, bottom, right, top.
fn rect_of(d: &lopdf::Dictionary) -> Option<[f32; 4]> {
    let r = d.get(b"Rect").ok()?.as_array().ok()?;
    let v: Vec<f32> = r.iter().filter_map(|x| x.as_float().ok()).collect();
    let [a, b, c, e] = v[..] else { return None };
    Some([a.min(c), b.min(e), a.max(c), b.max(e)])
}

/// The page (from 1) of every annotation, by object id.
fn annotation_pages(doc: &lopdf::Document) -> std::collections::HashMap<lopdf::ObjectId, usize> {
    let mut out = std::collections::HashMap::new();
    for (n, page) in doc.get_pages() {
        let Ok(p) = doc.get_dictionary(page) else {
            continue;
        };
        let Ok(annots) = p
            .get_deref(b"Annots", doc)
            .and_then(lopdf::Object::as_array)
        else {
            continue;
        };
        for a in annots {
            if let Ok(id) = a.as_reference() {
                out.insert(id, n as usize);
            }
        }
    }
    out
}

/// The text of a string or name object.
fn text_value(o: &lopdf::Object) -> String {
    match o {
        lopdf::Object::Name(n) => String::from_utf8_lossy(n).into_owned(),
        other => lopdf::decode_text_string(other).unwrap_or_default(),
    }
}

/// The terminal fields of the PDF's AcroForm, in the order of the field tree;
/// empty when it has no form.
pub fn form_fields(pdf: &Path) -> Vec<FormField> {
    let bytes = std::fs::read(pdf).unwrap_or_else(|e| panic!("read {}: {e}", pdf.display()));
    form_fields_of(&bytes)
}

/// [`form_fields`] of a PDF in memory.
pub fn form_fields_of(bytes: &[u8]) -> Vec<FormField> {
    let doc = lopdf::Document::load_mem(bytes).expect("lopdf reads the PDF");
    let pages = annotation_pages(&doc);
    let Some(roots) = doc
        .catalog()
        .ok()
        .and_then(|c| c.get_deref(b"AcroForm", &doc).ok()?.as_dict().ok())
        .and_then(|f| f.get_deref(b"Fields", &doc).ok()?.as_array().ok())
        .cloned()
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut stack: Vec<(lopdf::ObjectId, String, usize)> = roots
        .iter()
        .rev()
        .filter_map(|r| Some((r.as_reference().ok()?, String::new(), 0)))
        .collect();
    while let Some((id, parent, depth)) = stack.pop() {
        assert!(
            depth < 32 && out.len() < 100_000,
            "the field tree is too deep"
        );
        let d = doc.get_dictionary(id).expect("a field is a dictionary");
        let name = match d.get(b"T").ok().map(text_value) {
            Some(p) if parent.is_empty() => p,
            Some(p) => format!("{parent}.{p}"),
            None => parent.clone(),
        };
        let kids: Vec<lopdf::ObjectId> = d
            .get(b"Kids")
            .and_then(lopdf::Object::as_array)
            .map(|k| k.iter().filter_map(|r| r.as_reference().ok()).collect())
            .unwrap_or_default();
        if let Ok(kind) = d.get(b"FT") {
            let widgets: Vec<lopdf::ObjectId> = if d.has(b"Rect") { vec![id] } else { kids };
            out.push(FormField {
                name,
                kind: text_value(kind),
                flags: d.get(b"Ff").and_then(lopdf::Object::as_i64).unwrap_or(0),
                value: d.get(b"V").map(text_value).unwrap_or_default(),
                tooltip: d.get(b"TU").map(text_value).unwrap_or_default(),
                widgets: widgets
                    .iter()
                    .map(|w| {
                        let wd = doc.get_dictionary(*w).expect("a widget is a dictionary");
                        let page = pages.get(w).copied().unwrap_or(0);
                        (page, rect_of(wd).expect("a widget has a /Rect"))
                    })
                    .collect(),
            });
            continue;
        }
        for k in kids.into_iter().rev() {
            stack.push((k, name.clone(), depth + 1));
        }
    }
    out
}

/// Link annotations whose URI starts with `prefix`: page (from 1), the rest of
/// the URI, rectangle.
pub fn links_to(pdf: &Path, prefix: &str) -> Vec<(usize, String, [f32; 4])> {
    let doc = lopdf::Document::load(pdf).expect("lopdf reads the PDF");
    let mut out = Vec::new();
    for (n, page) in doc.get_pages() {
        let Ok(p) = doc.get_dictionary(page) else {
            continue;
        };
        let Ok(annots) = p
            .get_deref(b"Annots", &doc)
            .and_then(lopdf::Object::as_array)
        else {
            continue;
        };
        for a in annots {
            let Ok((_, a)) = doc.dereference(a) else {
                continue;
            };
            let Ok(a) = a.as_dict() else { continue };
            let uri = a
                .get_deref(b"A", &doc)
                .and_then(lopdf::Object::as_dict)
                .and_then(|act| act.get_deref(b"URI", &doc))
                .and_then(lopdf::Object::as_str)
                .map(|u| String::from_utf8_lossy(u).into_owned());
            if let (Ok(uri), Some(rect)) = (uri, rect_of(a))
                && let Some(rest) = uri.strip_prefix(prefix)
            {
                out.push((n as usize, rest.to_string(), rect));
            }
        }
    }
    out
}

impl Picture {
    /// Draws the outline of a rectangle (pixels, inclusive) in `color`.
    pub fn outline(&mut self, [x0, y0, x1, y1]: [usize; 4], color: [u8; 3]) {
        let (x1, y1) = (x1.min(self.width - 1), y1.min(self.height - 1));
        let mut put = |x: usize, y: usize| {
            let i = (y * self.width + x) * 3;
            self.rgb[i..i + 3].copy_from_slice(&color);
        };
        for x in x0..=x1 {
            put(x, y0);
            put(x, y1);
        }
        for y in y0..=y1 {
            put(x0, y);
            put(x1, y);
        }
    }

    /// Saves the picture as a PNG (stored, not compressed: only to be looked at).
    pub fn save_png(&self, path: &Path) {
        fn crc32(bytes: &[u8]) -> u32 {
            let mut c = 0xffff_ffffu32;
            for &b in bytes {
                c ^= u32::from(b);
                for _ in 0..8 {
                    c = if c & 1 != 0 {
                        0xedb8_8320 ^ (c >> 1)
                    } else {
                        c >> 1
                    };
                }
            }
            !c
        }
        fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
            out.extend((data.len() as u32).to_be_bytes());
            let mut body = kind.to_vec();
            body.extend(data);
            out.extend(&body);
            out.extend(crc32(&body).to_be_bytes());
        }
        let mut raw = Vec::with_capacity((self.width * 3 + 1) * self.height);
        for row in self.rgb.chunks(self.width * 3) {
            raw.push(0);
            raw.extend(row);
        }
        // zlib with stored blocks of at most 65535 bytes, and its Adler-32.
        let mut z = vec![0x78, 0x01];
        let blocks: Vec<&[u8]> = raw.chunks(65535).collect();
        for (i, b) in blocks.iter().enumerate() {
            z.push(u8::from(i + 1 == blocks.len()));
            let n = b.len() as u16;
            z.extend(n.to_le_bytes());
            z.extend((!n).to_le_bytes());
            z.extend(*b);
        }
        let (mut a, mut s) = (1u32, 0u32);
        for &byte in &raw {
            a = (a + u32::from(byte)) % 65521;
            s = (s + a) % 65521;
        }
        z.extend(((s << 16) | a).to_be_bytes());
        let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut ihdr = Vec::new();
        ihdr.extend((self.width as u32).to_be_bytes());
        ihdr.extend((self.height as u32).to_be_bytes());
        ihdr.extend([8, 2, 0, 0, 0]);
        chunk(&mut out, b"IHDR", &ihdr);
        chunk(&mut out, b"IDAT", &z);
        chunk(&mut out, b"IEND", &[]);
        std::fs::write(path, out).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }
}
