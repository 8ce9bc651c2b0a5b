//! Fillable PDFs: every named control of a printed page (worksheet blocks, task
//! boxes, the worksheet header, a kit's notes) becomes an AcroForm field placed
//! exactly over what is printed.
//!
//! 1. Before printing, [`script`] puts an invisible link over the box of each
//!    named `input` or `textarea` (its parent element: the ruled lines of a
//!    `field`, a `box`, a table cell, a write-in line, a tick box) and returns
//!    what each field is (name, kind, value of a radio, role, accessible name).
//!    A link survives printing as an annotation with its exact rectangle.
//! 2. After the last pass, [`acroform::make_fillable`] turns those link
//!    annotations into form widgets (text fields, check boxes, radio groups),
//!    builds the field tree from the dotted names (`seance-3.objectif`), and adds
//!    the form dictionary with Helvetica in WinAnsiEncoding (which has é, è, à,
//!    ç, œ, « and ») and `NeedAppearances`, so every reader draws the values.
//! 3. [`fill`] sets values in such a PDF (what `pack` uses to write names and
//!    dates in), with appearances drawn, so that even a reader that draws
//!    nothing itself shows them.

pub(crate) mod acroform;
mod appearance;
pub(crate) mod fill;

use serde_json::Value;

/// Where the links that mark field boxes point: never followed, only read back.
pub(crate) const MARKER: &str = "https://mentorbook.invalid/field/";

/// Test hook: when set (to anything), every marked block of a printed page
/// (`data-mb-line`) and each worksheet header also get a link over their box,
/// to [`BLOCK_MARKER`]`<line>` (`header` for a header), which stays in the PDF:
/// a test can then check that each field lies within its block.
pub(crate) const BLOCK_BOXES_VAR: &str = "MENTORBOOK_TEST_BLOCK_BOXES";

/// Where the links of [`BLOCK_BOXES_VAR`] point.
pub(crate) const BLOCK_MARKER: &str = "https://mentorbook.invalid/block/";

/// What kind of form field a control makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// One line of text (`input type=text`).
    Text,
    /// Several lines (`textarea`).
    Multiline,
    /// A check box.
    Check,
    /// One choice of a radio group (the group is the controls sharing a name).
    Radio,
}

/// One named control of a printed page, as the script found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Control {
    /// Its field name (`seance-3.objectif`), dotted parts.
    pub(crate) name: String,
    /// Its kind.
    pub(crate) kind: Kind,
    /// The value a radio choice stands for (`3`); empty for other kinds.
    pub(crate) value: String,
    /// What a `pack` fills in (`mentor`, `mentee`, `lead`, `date`), or empty.
    pub(crate) role: String,
    /// Its accessible name, the field's tooltip.
    pub(crate) label: String,
    /// Id of the print entry it is in (`p-…`), empty on a page of its own: two
    /// pages whose names would clash get distinct ones.
    pub(crate) scope: String,
}

/// The script run in the page before printing: marks the box of every named
/// control with a link to [`MARKER`]`N` and returns `[name, kind, value, role,
/// label, scope]` for each, in the order of the links. Only positioned,
/// invisible, empty links are added (and `position: relative` on a static
/// parent): nothing that takes room or shows.
pub(crate) fn script() -> String {
    format!(
        r#"(() => {{
  const kinds = {{ text: 't', checkbox: 'c', radio: 'r' }};
  const out = [];
  for (const el of document.querySelectorAll('input[name], textarea[name]')) {{
    const kind = el.tagName === 'TEXTAREA' ? 'm' : kinds[el.type];
    const box = el.parentElement;
    if (!kind || !box || el.disabled || el.closest('.screen-only, [hidden], [data-mb-no-fill]')) continue;
    if (getComputedStyle(box).position === 'static') box.style.position = 'relative';
    const a = document.createElement('a');
    a.href = '{MARKER}' + out.length;
    a.tabIndex = -1;
    a.setAttribute('aria-hidden', 'true');
    a.style.cssText = 'position:absolute;inset:0;display:block;margin:0;padding:0;border:0;background:none;pointer-events:none';
    box.append(a);
    const named = el.getAttribute('aria-label') || (el.labels && el.labels[0] ? el.labels[0].textContent : '');
    const scope = el.closest('.print-page[id]');
    out.push([el.name, kind, kind === 'r' ? el.value : '', el.dataset.mbRole || '',
      named.replace(/\s+/g, ' ').trim(), scope ? scope.id : '']);
  }}
  if ({blocks}) {{
    for (const el of document.querySelectorAll('[{attr}], .ws-header')) {{
      if (getComputedStyle(el).position === 'static') el.style.position = 'relative';
      const a = document.createElement('a');
      a.href = '{BLOCK_MARKER}' + (el.getAttribute('{attr}') || 'header');
      a.tabIndex = -1;
      a.setAttribute('aria-hidden', 'true');
      a.style.cssText = 'position:absolute;inset:0;display:block;margin:0;padding:0;border:0;background:none;pointer-events:none';
      el.append(a);
    }}
  }}
  return out;
}})()"#,
        blocks = std::env::var_os(BLOCK_BOXES_VAR).is_some(),
        attr = crate::markdown::MARK_ATTR,
    )
}

/// Reads the script's answer (anything else gives no controls).
pub(crate) fn controls(answer: &Value) -> Vec<Control> {
    let Some(list) = answer.as_array() else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|c| {
            let c = c.as_array()?;
            let text = |i: usize| c.get(i).and_then(Value::as_str).unwrap_or("").to_string();
            let kind = match c.get(1)?.as_str()? {
                "t" => Kind::Text,
                "m" => Kind::Multiline,
                "c" => Kind::Check,
                "r" => Kind::Radio,
                _ => return None,
            };
            Some(Control {
                name: text(0),
                kind,
                value: text(2),
                role: text(3),
                label: text(4),
                scope: text(5),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_answer_is_read_defensively() {
        let a = serde_json::json!([
            ["s.a", "m", "", "", "Objectif", ""],
            ["s.b", "r", "3", "", "x, 3", "p-x"],
            ["s.c", "?", "", "", "", ""],
            7
        ]);
        let c = controls(&a);
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].kind, Kind::Multiline);
        assert_eq!((c[1].value.as_str(), c[1].scope.as_str()), ("3", "p-x"));
        assert!(controls(&serde_json::json!(null)).is_empty());
        assert!(script().contains(MARKER));
    }
}
