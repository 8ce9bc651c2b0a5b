//! Fill-in sheets that keep what people write: the fillable PDF of every sample
//! worksheet (its AcroForm read back with lopdf: as many fields as its blocks
//! declare, each inside its printed block, accents kept), `--flat`, and the
//! on-screen sheet in headless Chromium (saved over a reload, cleared, exported
//! and imported, printed).
//!
//! The PDF tests share one `pdf --worksheets` run (fillable, with the block
//! boxes of the `MENTORBOOK_TEST_BLOCK_BOXES` hook) and one `--flat` run.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::browser;
use crate::pdf_tools::*;
use crate::support::*;

/// Where the block boxes of the test hook point (see `src/pdf/forms/mod.rs`).
const BLOCK_MARKER: &str = "https://mentorbook.invalid/block/";
/// Where the field markers point before they become widgets.
const FIELD_MARKER: &str = "https://mentorbook.invalid/field/";
/// How far a widget may stick out of its block (points): rounding of the printer.
const SLACK: f32 = 1.0;

/// The French sample worksheets printed once, fillable and flat, under
/// `target/test-artefacts/fill-in/`.
struct Printed {
    fillable: PathBuf,
    flat: PathBuf,
}

fn printed() -> &'static Printed {
    static PRINTED: OnceLock<Printed> = OnceLock::new();
    PRINTED.get_or_init(|| {
        let dir = artefacts().join("fill-in");
        let _ = std::fs::remove_dir_all(&dir);
        let site = Site::sample();
        let fillable = dir.join("fillable");
        let flat = dir.join("flat");
        let arg = |p: &Path| p.to_string_lossy().into_owned();
        run_in(
            site.path(),
            &["pdf", "--worksheets", "--out", &arg(&fillable)],
            &[("MENTORBOOK_TEST_BLOCK_BOXES", OsStr::new("1"))],
        )
        .success();
        site.run(&["pdf", "--worksheets", "--flat", "--out", &arg(&flat)])
            .success();
        Printed { fillable, flat }
    })
}

/// What a block of a worksheet's source declares: its kind and, per field, what
/// kind of field it is.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Declared {
    kind: String,
    fields: Vec<Want>,
}

/// The kind of one declared field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Want {
    /// Several lines of text (`field`, `box`).
    Lines,
    /// One line of text (table cell, signer's name and date, header).
    Line,
    /// A check box (checklist item, task-list box).
    Check,
    /// A radio group with this many choices (one `scale` row).
    Radio(usize),
}

/// Every sample worksheet in French: its output stem (`charte`) and source file.
fn sample_worksheets() -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(repo_root().join("content"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
    {
        let name = e.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".md") || name.ends_with(".en.md") || name.starts_with('_') {
            continue;
        }
        let text = std::fs::read_to_string(e.path()).expect("read worksheet");
        if !text.lines().any(|l| l.trim() == "kind: worksheet") {
            continue;
        }
        let stem = name.trim_end_matches(".md");
        let stem = stem
            .split_once('-')
            .filter(|(n, _)| n.chars().all(|c| c.is_ascii_digit()))
            .map_or(stem, |(_, rest)| rest);
        out.push((stem.to_string(), e.path().to_path_buf()));
    }
    assert!(out.len() >= 10, "the sample has its worksheets: {out:?}");
    out
}

/// What each block of `source` declares, by the tag of its box: its first line
/// (as `data-mb-line` gives it), `header` for the worksheet header. Blocks that
/// declare no field are left out.
fn declared(source: &Path) -> BTreeMap<String, Declared> {
    let text = std::fs::read_to_string(source).expect("read worksheet");
    let lines: Vec<&str> = text.lines().collect();
    let mut out = BTreeMap::new();
    let audience = lines
        .iter()
        .find_map(|l| l.strip_prefix("audience:"))
        .map_or("all", str::trim);
    let header = match audience {
        "mentor" | "mentee" => 2,
        _ => 3,
    };
    out.insert(
        "header".to_string(),
        Declared {
            kind: "header".into(),
            fields: vec![Want::Line; header],
        },
    );
    let body_start = lines
        .iter()
        .enumerate()
        .skip(1)
        .find(|(_, l)| l.trim() == "---")
        .map_or(0, |(i, _)| i + 1);
    let mut i = body_start;
    while i < lines.len() {
        let line = lines[i];
        if let Some(kind) = line.strip_prefix("```").filter(|k| !k.is_empty()) {
            let end = (i + 1..lines.len())
                .find(|&j| lines[j].starts_with("```"))
                .expect("a closed fence");
            let yaml = lines[i + 1..end].join("\n");
            if let Some(d) = block_fields(kind.trim(), &yaml) {
                out.insert((i + 1).to_string(), d);
            }
            i = end + 1;
            continue;
        }
        // A task list: a box per item, in the list that starts here.
        if line.starts_with("- [") {
            let n = lines[i..]
                .iter()
                .take_while(|l| !l.trim().is_empty())
                .filter(|l| l.starts_with("- [ ]") || l.starts_with("- [x]"))
                .count();
            out.insert(
                (i + 1).to_string(),
                Declared {
                    kind: "task list".into(),
                    fields: vec![Want::Check; n],
                },
            );
            i += lines[i..]
                .iter()
                .take_while(|l| !l.trim().is_empty())
                .count();
            continue;
        }
        i += 1;
    }
    out
}

/// The fields a worksheet block of `kind` with the YAML `yaml` declares.
fn block_fields(kind: &str, yaml: &str) -> Option<Declared> {
    let v: serde_yaml::Value = serde_yaml::from_str(yaml).expect("block YAML");
    let list = |k: &str| v.get(k).and_then(|x| x.as_sequence()).map_or(0, Vec::len);
    let int = |k: &str, d: i64| v.get(k).and_then(serde_yaml::Value::as_i64).unwrap_or(d);
    let fields = match kind {
        "field" | "box" => vec![Want::Lines],
        "checklist" => vec![Want::Check; list("items")],
        "scale" => {
            let points = usize::try_from(int("max", 5) - int("min", 1) + 1).expect("points");
            vec![Want::Radio(points); list("items").max(1)]
        }
        "table" => {
            let rows = usize::try_from(int("rows", 3)).expect("rows");
            vec![Want::Line; rows * list("columns")]
        }
        "signature" => {
            let signers = match list("signers") {
                0 => 2,
                n => n,
            };
            let date = v
                .get("date")
                .and_then(serde_yaml::Value::as_bool)
                .unwrap_or(true);
            vec![Want::Line; signers * if date { 2 } else { 1 }]
        }
        _ => return None,
    };
    Some(Declared {
        kind: kind.to_string(),
        fields,
    })
}

/// What kind of field `f` is, as a [`Want`].
fn found(f: &FormField) -> Want {
    if f.radio() {
        Want::Radio(f.widgets.len())
    } else if f.checkbox() {
        Want::Check
    } else if f.multiline() {
        Want::Lines
    } else {
        assert_eq!(f.kind, "Tx", "{}: a text field", f.name);
        Want::Line
    }
}

fn inside(inner: &[f32; 4], outer: &[f32; 4]) -> bool {
    inner[0] >= outer[0] - SLACK
        && inner[1] >= outer[1] - SLACK
        && inner[2] <= outer[2] + SLACK
        && inner[3] <= outer[3] + SLACK
}

#[test]
fn every_sample_worksheet_has_the_fields_its_blocks_declare_inside_them() {
    if !can_print("every_sample_worksheet_has_the_fields_its_blocks_declare_inside_them") {
        return;
    }
    let printed = printed();
    let mut all_fields = 0;
    for (stem, source) in sample_worksheets() {
        let pdf = printed.fillable.join(format!("{stem}.pdf"));
        assert!(pdf.is_file(), "{} was not printed", pdf.display());
        let want = declared(&source);
        let fields = form_fields(&pdf);
        let boxes = links_to(&pdf, BLOCK_MARKER);
        assert!(
            links_to(&pdf, FIELD_MARKER).is_empty(),
            "{stem}: every field marker became a widget"
        );
        // Each field's widgets all lie within one printed block: that block's.
        let mut got: BTreeMap<String, Vec<Want>> = BTreeMap::new();
        for f in &fields {
            assert!(!f.widgets.is_empty(), "{stem}: {} has no widget", f.name);
            let (page, rect) = f.widgets[0];
            let tag = boxes
                .iter()
                .filter(|(p, _, b)| *p == page && inside(&rect, b))
                .map(|(_, t, _)| t.clone())
                .next()
                .unwrap_or_else(|| {
                    panic!(
                        "{stem}: {} at {rect:?} on page {page} is in no printed block",
                        f.name
                    )
                });
            for (p, r) in &f.widgets {
                assert!(
                    boxes
                        .iter()
                        .any(|(bp, t, b)| bp == p && *t == tag && inside(r, b)),
                    "{stem}: a widget of {} ({r:?}, page {p}) is outside its block (line {tag})",
                    f.name
                );
            }
            got.entry(tag).or_default().push(found(f));
        }
        let want_kinds: BTreeMap<String, Vec<Want>> = want
            .iter()
            .map(|(t, d)| (t.clone(), d.fields.clone()))
            .collect();
        assert_eq!(
            got,
            want_kinds,
            "{stem}: the fields in each block (by its line) differ from what the blocks declare ({:?})",
            want.iter()
                .map(|(t, d)| format!("{t}: {}", d.kind))
                .collect::<Vec<_>>()
        );
        let declared_total: usize = want.values().map(|d| d.fields.len()).sum();
        assert_eq!(fields.len(), declared_total, "{stem}: number of fields");
        // Names are readable and stable: the sheet's name, then the block's key.
        for f in &fields {
            assert!(
                f.name.starts_with(&format!("{stem}.")),
                "{stem}: field {} is not named after its sheet",
                f.name
            );
        }
        all_fields += fields.len();
    }
    // The sheets printed together keep every field, each name once.
    let together = form_fields(&printed.fillable.join("worksheets.pdf"));
    assert_eq!(together.len(), all_fields, "fields of worksheets.pdf");
    let names: std::collections::HashSet<&str> = together.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names.len(),
        together.len(),
        "names are unique in worksheets.pdf"
    );
}

#[test]
fn sheet_fields_have_readable_names_and_labels() {
    if !can_print("sheet_fields_have_readable_names_and_labels") {
        return;
    }
    let fields = form_fields(&printed().fillable.join("charte.pdf"));
    let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
    for want in [
        "charte.mentor",
        "charte.mentee",
        "charte.date",
        "charte.nos-objectifs",
        "charte.signature.mentor",
        "charte.signature.mentor-date",
    ] {
        assert!(names.contains(&want), "no field {want} in {names:?}");
    }
    let objectives = fields
        .iter()
        .find(|f| f.name == "charte.nos-objectifs")
        .expect("the objectives field");
    assert_eq!(objectives.tooltip, "Nos objectifs");
    assert!(objectives.multiline());
}

#[test]
fn a_field_filled_with_accents_reads_back_identically() {
    if !can_print("a_field_filled_with_accents_reads_back_identically") {
        return;
    }
    let pdf = printed().fillable.join("charte.pdf");
    let mut doc = lopdf::Document::load(&pdf).expect("lopdf reads the PDF");
    let name = "Éléonore Dupré";
    // The mentor's name field: a terminal field whose partial name is `mentor`.
    let id = doc
        .objects
        .iter()
        .find_map(|(id, o)| {
            let d = o.as_dict().ok()?;
            let t = lopdf::decode_text_string(d.get(b"T").ok()?).ok()?;
            (t == "mentor" && d.has(b"FT")).then_some(*id)
        })
        .expect("a field `mentor`");
    doc.get_dictionary_mut(id)
        .expect("field")
        .set("V", lopdf::text_string(name));
    let filled = pdf.with_file_name("charte-filled.pdf");
    doc.save(&filled).expect("save the filled PDF");
    let back = form_fields(&filled);
    let f = back
        .iter()
        .find(|f| f.name == "charte.mentor")
        .expect("charte.mentor after filling");
    assert_eq!(f.value, name);
    // The form says how to draw it: Helvetica in WinAnsi (é), appearances by the reader.
    let doc = lopdf::Document::load(&filled).expect("reload");
    let form = doc
        .catalog()
        .and_then(|c| c.get_deref(b"AcroForm", &doc))
        .and_then(lopdf::Object::as_dict)
        .expect("an AcroForm");
    assert_eq!(
        form.get(b"NeedAppearances")
            .and_then(lopdf::Object::as_bool)
            .ok(),
        Some(true)
    );
    let helv = form
        .get_deref(b"DR", &doc)
        .and_then(lopdf::Object::as_dict)
        .and_then(|dr| dr.get_deref(b"Font", &doc))
        .and_then(lopdf::Object::as_dict)
        .and_then(|f| f.get_deref(b"Helv", &doc))
        .and_then(lopdf::Object::as_dict)
        .expect("the Helv font");
    assert_eq!(
        helv.get(b"Encoding").and_then(lopdf::Object::as_name).ok(),
        Some(&b"WinAnsiEncoding"[..])
    );
}

#[test]
fn flat_pdfs_have_no_fields() {
    if !can_print("flat_pdfs_have_no_fields") {
        return;
    }
    let printed = printed();
    for (stem, _) in sample_worksheets() {
        let flat = printed.flat.join(format!("{stem}.pdf"));
        assert!(form_fields(&flat).is_empty(), "{stem}: fields in --flat");
        assert!(
            links_to(&flat, "https://mentorbook.invalid/").is_empty(),
            "{stem}: markers in --flat"
        );
        let doc = lopdf::Document::load(&flat).expect("lopdf");
        assert!(
            doc.catalog().expect("catalog").get(b"AcroForm").is_err(),
            "{stem}: an AcroForm in --flat"
        );
        // The same sheet, fillable, prints the same pages.
        let fillable = printed.fillable.join(format!("{stem}.pdf"));
        assert_eq!(page_count(&flat), page_count(&fillable), "{stem}: pages");
    }
}

#[test]
fn fillable_fields_sit_over_the_ruled_lines() {
    if !can_print("fillable_fields_sit_over_the_ruled_lines") {
        return;
    }
    let pdf = printed().fillable.join("charte.pdf");
    keep_png(&pdf, 1, "fill-in-charte-1");
    keep_png(&pdf, 2, "fill-in-charte-2");
    let dpi = 100;
    let scale = dpi as f32 / 72.0;
    let pages: Vec<Picture> = (1..=page_count(&pdf))
        .map(|n| render_page(&pdf, n, dpi))
        .collect();
    let fields = form_fields(&pdf);
    // Each page with its widgets outlined in red, to be looked at.
    for (i, page) in pages.iter().enumerate() {
        let mut p = Picture {
            width: page.width,
            height: page.height,
            rgb: page.rgb.clone(),
        };
        let h = p.height as f32 / scale;
        for (_, [x0, y0, x1, y1]) in fields
            .iter()
            .flat_map(|f| f.widgets.iter())
            .filter(|(n, _)| *n == i + 1)
        {
            let at = |v: f32| (v * scale).round().max(0.0) as usize;
            p.outline([at(*x0), at(h - y1), at(*x1), at(h - y0)], [220, 0, 0]);
        }
        p.save_png(&artefacts().join(format!("fill-in-charte-fields-{}.png", i + 1)));
    }
    let mut ruled = Vec::new();
    for f in fields.iter().filter(|f| f.multiline()) {
        for (page, [x0, y0, x1, y1]) in &f.widgets {
            let p = &pages[page - 1];
            let h = p.height as f32 / scale; // page height in points
            let px = |x: f32| ((x * scale).round() as usize).min(p.width - 1);
            let py = |y: f32| (((h - y) * scale).round() as usize).min(p.height - 1);
            let (left, right) = (px(*x0 + 4.0), px(*x1 - 4.0));
            // The last rule is the widget's bottom edge: look a pixel or two below it.
            let (top, bottom) = (py(*y1), (py(*y0) + 2).min(p.height - 1));
            // Rows of the widget where a ruled line crosses most of its width.
            let mut lines = 0;
            let mut on_line = false;
            for y in top..=bottom {
                let dark = (left..right).filter(|&x| p.luma(x, y) < 215).count();
                let ruled = dark * 10 >= (right - left) * 8;
                if ruled && !on_line {
                    lines += 1;
                }
                on_line = ruled;
            }
            ruled.push(lines);
        }
    }
    // The charter's six `field` blocks, each widget over all of its `lines:`.
    assert_eq!(
        ruled,
        [6, 3, 3, 4, 5, 2],
        "ruled lines under each widget (see target/test-artefacts/fill-in-charte-fields-*.png)"
    );
}

/// The saved-sheet test's worksheet: answers of every kind, and a task list.
const SHEET: &str = "---\ntitle: Séance 1\nkind: worksheet\nsession: 1\n---\n\n```field\nlabel: Objectif\nlines: 3\n```\n\n```checklist\nlabel: Engagements\nitems: [Venir préparés, Prévenir]\n```\n\n```scale\nlabel: Confiance\n```\n";

#[test]
fn typed_answers_survive_a_reload_clear_export_import_and_print() {
    let test = "typed_answers_survive_a_reload_clear_export_import_and_print";
    if !can_print(test) {
        return;
    }
    let Some(b) = browser::start(test) else {
        return;
    };
    let site = Site::new();
    site.write("content/fiches/seance-1.md", SHEET);
    site.build();
    let url = format!(
        "file://{}",
        site.public().join("fiches/seance-1.html").display()
    );
    b.goto(&url);
    let tools = "document.querySelector('[data-sheet-clear]') && !document.querySelector('[data-sheet-clear]').hidden";
    assert!(
        b.wait_for(tools, std::time::Duration::from_secs(10))
            .is_some(),
        "the sheet's tools show once its script runs"
    );
    let privacy = b.eval("var p = document.querySelector('.ws-privacy'); return p && !p.hidden ? p.textContent : '';");
    assert!(
        privacy.as_str().unwrap_or("").contains("navigateur"),
        "a notice says nothing leaves the browser: {privacy}"
    );
    // Typed for real: keys into the field, a click on a box and a point of the scale.
    b.eval("document.querySelector('.ws-field textarea').focus(); return true;");
    b.keys("Éléonore Dupré veut parler en public");
    b.click(".ws-checklist input[type=checkbox]");
    b.click(".ws-scale input[type=radio][value='4']");
    b.eval("document.querySelector('.ws-person input[data-mb-role=mentor]').focus(); return true;");
    b.keys("Léa Martin");
    let state = "return [document.querySelector('.ws-field textarea').value, \
        document.querySelectorAll('.ws-checklist input:checked').length, \
        (document.querySelector('.ws-scale input:checked') || {}).value || '', \
        document.querySelector('.ws-person input[data-mb-role=mentor]').value];";
    let typed = serde_json::json!(["Éléonore Dupré veut parler en public", 1, "4", "Léa Martin"]);
    assert_eq!(b.eval(state), typed);

    // A reload keeps everything.
    b.goto(&url);
    assert_eq!(b.eval(state), typed, "answers after a reload");
    let status = b.eval("return document.querySelector('[data-sheet-status]').textContent;");
    assert!(
        !status.as_str().unwrap_or("").is_empty(),
        "the sheet says its answers are back"
    );

    // Printed: the typed answers are on paper.
    let bytes = b.print_pdf(21.0, 29.7);
    let pdf = site.path().join("typed.pdf");
    std::fs::write(&pdf, bytes).expect("write pdf");
    let text = pdf_pages(&pdf).join("\n");
    assert!(
        text.contains("Éléonore Dupré veut parler en public") && text.contains("Léa Martin"),
        "the typed answers are printed:\n{text}"
    );

    // Export: the JSON the sheet downloads, caught before it leaves the page.
    let exported = b.eval_async(
        "var done = arguments[0];
         URL.createObjectURL = function (blob) { blob.text().then(done); return 'about:blank'; };
         HTMLAnchorElement.prototype.click = function () {};
         document.querySelector('[data-sheet-export]').click();",
    );
    let exported = exported.as_str().expect("the export's text").to_string();
    let json: serde_json::Value = serde_json::from_str(&exported).expect("export is JSON");
    assert_eq!(json["mentorbook"], "sheet");
    assert_eq!(json["sheet"], "seance-1");
    assert_eq!(
        json["values"]["seance-1.objectif"], "Éléonore Dupré veut parler en public",
        "{json}"
    );

    // Clear: everything goes, on screen and in storage (a reload brings nothing back).
    b.eval("window.confirm = function () { return true; }; document.querySelector('[data-sheet-clear]').click(); return true;");
    let empty = serde_json::json!(["", 0, "", ""]);
    assert_eq!(b.eval(state), empty, "answers after clear");
    b.goto(&url);
    assert_eq!(
        b.eval(state),
        empty,
        "cleared answers stay cleared after a reload"
    );

    // Import the exported file: everything is back, and saved again.
    let import = format!(
        "var done = arguments[0];
         var status = document.querySelector('[data-sheet-status]');
         status.textContent = '';
         var input = document.querySelector('[data-sheet-file]');
         var dt = new DataTransfer();
         dt.items.add(new File([{}], 'seance-1.json', {{ type: 'application/json' }}));
         input.files = dt.files;
         input.dispatchEvent(new Event('change'));
         var t0 = Date.now();
         (function wait() {{
           if (status.textContent || Date.now() - t0 > 5000) done(status.textContent);
           else setTimeout(wait, 20);
         }})();",
        serde_json::Value::String(exported.clone())
    );
    b.eval_async(&import);
    assert_eq!(b.eval(state), typed, "answers after import");
    b.goto(&url);
    assert_eq!(b.eval(state), typed, "imported answers are saved");

    // Another sheet's export is refused.
    let other = exported.replace("\"sheet\": \"seance-1\"", "\"sheet\": \"charte\"");
    assert_ne!(other, exported);
    b.eval("window.confirm = function () { return true; }; document.querySelector('[data-sheet-clear]').click(); return true;");
    let refuse = import.replace(
        &serde_json::Value::String(exported).to_string(),
        &serde_json::Value::String(other).to_string(),
    );
    b.eval_async(&refuse);
    assert_eq!(
        b.eval(state),
        empty,
        "another sheet's answers are not imported"
    );
    let status = b.eval("return document.querySelector('[data-sheet-status]').textContent;");
    assert!(
        status.as_str().unwrap_or("").contains("charte"),
        "the refusal names the other sheet: {status}"
    );
}

#[test]
fn task_boxes_named_blocks_and_a_mentee_header_are_fields_too() {
    if !can_print("task_boxes_named_blocks_and_a_mentee_header_are_fields_too") {
        return;
    }
    let site = Site::new();
    site.write(
        "content/fiches/bilan.md",
        "---\ntitle: Bilan\nkind: worksheet\naudience: mentee\n---\n\n- [ ] Relire la charte\n- [x] Noter trois progrès\n\n```field\nname: progres\nlabel: Mes progrès\nlines: 2\n```\n\n```scale\nname: confiance\nlabel: Ma confiance\nmin: 0\nmax: 10\n```\n",
    );
    let out = site.path().join("pdfs");
    site.run(&["pdf", "content/fiches/bilan.md", "--out", "pdfs"])
        .success();
    let fields = form_fields(&out.join("bilan.pdf"));
    let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        fields.len(),
        6,
        "mentee, date, two task boxes, field, scale: {names:?}"
    );
    assert!(
        names.contains(&"bilan.mentee") && names.contains(&"bilan.date"),
        "{names:?}"
    );
    assert!(
        !names.contains(&"bilan.mentor"),
        "a mentee's sheet has no mentor line"
    );
    assert_eq!(
        fields.iter().filter(|f| f.checkbox()).count(),
        2,
        "{names:?}"
    );
    let progres = fields
        .iter()
        .find(|f| f.name == "bilan.progres")
        .expect("name: progres");
    assert!(progres.multiline());
    let scale = fields
        .iter()
        .find(|f| f.name == "bilan.confiance")
        .expect("name: confiance");
    assert!(scale.radio());
    assert_eq!(scale.widgets.len(), 11, "points 0 to 10");
}

#[test]
fn a_field_name_given_twice_is_an_error_at_the_second_block() {
    // Saved answers and PDF fields are keyed by `name:`: a name the author chose is
    // never changed behind their back (`objectif-2`), and every clash is reported.
    let site = Site::new();
    site.write(
        "content/fiches/seance.md",
        "---\ntitle: Séance\nkind: worksheet\n---\n\n```field\nname: objectif\nlabel: Mon objectif\n```\n\n```field\nname: objectif\nlabel: Un autre objectif\n```\n\n```table\nname: date\ncolumns: [Action, Quand]\nrows: 2\n```\n\n```field\nlabel: Objectif\n```\n",
    );
    let run = site.run(&["check"]).code_is(1);
    let err = run.stderr();
    assert!(
        err.contains("content/fiches/seance.md:12:1: error: in `field` block: `name: objectif` is already the name of another field of this page"),
        "{err}"
    );
    assert!(
        err.contains("`name: date` is already the name of another field of this page (a worksheet's header has `mentor`, `mentee`, `lead` and `date`)"),
        "{err}"
    );
    assert_eq!(
        err.matches(": error: ").count(),
        2,
        "the unnamed block is no error: {err}"
    );
    let build = site.run(&["build"]).code_is(1).stderr();
    let errors = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| l.contains(": error: "))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(errors(&build), errors(&err), "check and build agree");
}

#[test]
fn checklist_and_scale_items_are_named_by_their_text() {
    // An item's answer keeps its name when items are reordered or one is added
    // before it: the key is the item's slug, not its position.
    let site = Site::new();
    site.write(
        "content/fiches/bilan.md",
        "---\ntitle: Bilan\nkind: worksheet\n---\n\n```checklist\nname: acquis\nitems: [Écoute active, Questions ouvertes, Écoute active]\n```\n\n```scale\nname: aisance\nitems: [Poser le cadre, Donner du feedback]\nmin: 1\nmax: 4\n```\n",
    );
    site.build().success();
    let doc = site.html("fiches/bilan.html");
    let names = |css: &str| -> Vec<String> {
        let mut v: Vec<String> = select(&doc, css)
            .iter()
            .filter_map(|e| e.value().attr("name").map(str::to_string))
            .collect();
        v.dedup();
        v
    };
    assert_eq!(
        names("input[type=checkbox]"),
        [
            "bilan.acquis.ecoute-active",
            "bilan.acquis.questions-ouvertes",
            "bilan.acquis.ecoute-active-2"
        ]
    );
    assert_eq!(
        names("input[type=radio]"),
        [
            "bilan.aisance.poser-le-cadre",
            "bilan.aisance.donner-du-feedback"
        ]
    );
}
