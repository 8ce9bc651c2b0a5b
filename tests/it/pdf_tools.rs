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
