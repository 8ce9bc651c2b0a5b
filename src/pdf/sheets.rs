//! Sheet counts: does each worksheet print on the number of sheets its front
//! matter allows (`sheets: N`, one printed page each)? And does its first block
//! fit under its header (else its first sheet holds the header alone)?
//!
//! Before a file is printed, a small script links every block the Markdown
//! stage marked (`data-mb-line`, see [`crate::markdown::marks`]), the start of
//! each worksheet and a zero-height end marker, so that Chromium makes named
//! destinations of them; the printed PDF then says on which page each one is
//! ([`super::readback`]). A worksheet that spills over gets a warning at the
//! first block that is past its last allowed sheet.

use serde_json::Value;

use super::readback::Printed;
use crate::diagnostic::Diagnostic;

/// A worksheet printed in a file, and what it is allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SheetCheck {
    /// Its source file, for the warning.
    pub(crate) source: String,
    /// Sheets it may take (`sheets:`), when it says.
    pub(crate) sheets: Option<u32>,
    /// Line of `sheets:` in its front matter.
    pub(crate) sheets_line: usize,
    /// Id of its wrapper in the file; `None` when the file is its own page.
    pub(crate) anchor: Option<String>,
    /// Its marked blocks: line and description, in order.
    pub(crate) marks: Vec<(usize, String)>,
}

/// Where the parts of one worksheet are, as the script names them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Named {
    /// The destination at its start.
    pub(crate) start: String,
    /// Its blocks: destination and line.
    pub(crate) blocks: Vec<(String, usize)>,
    /// The destination after its last block.
    pub(crate) end: String,
}

/// The script run in the page before printing: returns, per check, its
/// [`Named`] destinations as `[start, [[id, line]…], end]` (or `null` when its
/// wrapper is missing). Only ids are added and hidden links appended: nothing
/// that shows or takes room.
pub(crate) fn script(checks: &[SheetCheck]) -> String {
    let anchors: Vec<Value> = checks
        .iter()
        .map(|c| c.anchor.clone().map_or(Value::Null, Value::String))
        .collect();
    let anchors = Value::Array(anchors).to_string();
    format!(
        r#"(() => {{
  const box = document.createElement('div');
  box.hidden = true;
  const link = (el, id) => {{
    if (!el.id) el.id = id;
    const a = document.createElement('a');
    a.href = '#' + el.id;
    box.append(a);
    return el.id;
  }};
  const out = {anchors}.map((anchor, i) => {{
    const scope = anchor ? document.getElementById(anchor)
      : (document.querySelector('main') || document.body);
    if (!scope) return null;
    const start = link(scope, 'mb-sheet-' + i);
    const blocks = [...scope.querySelectorAll('[{attr}]')]
      .map((el, k) => [link(el, 'mb-sheet-' + i + '-' + k), Number(el.getAttribute('{attr}'))]);
    const end = document.createElement('div');
    end.style.cssText = 'height:0;margin:0;padding:0;border:0;break-before:avoid';
    scope.append(end);
    return [start, blocks, link(end, 'mb-sheet-end-' + i)];
  }});
  document.body.append(box);
  return out;
}})()"#,
        attr = crate::markdown::MARK_ATTR,
    )
}

/// Reads the script's answer: one entry per check (`None` where it found nothing).
pub(crate) fn named(answer: &Value, n: usize) -> Vec<Option<Named>> {
    let list = answer.as_array();
    (0..n)
        .map(|i| {
            let entry = list?.get(i)?.as_array()?;
            let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_string);
            Some(Named {
                start: text(entry.first())?,
                blocks: entry
                    .get(1)?
                    .as_array()?
                    .iter()
                    .filter_map(|b| {
                        let b = b.as_array()?;
                        Some((text(b.first())?, usize::try_from(b.get(1)?.as_u64()?).ok()?))
                    })
                    .collect(),
                end: text(entry.get(2))?,
            })
        })
        .collect()
}

/// How far the end marker may be from the top of its page and still be the
/// first thing on it (points): then the worksheet ended on the page before.
const TOP_SLACK: f32 = 1.0;

/// The warnings for worksheets that take more sheets than they may, in `printed`.
pub(crate) fn check(
    checks: &[SheetCheck],
    named: &[Option<Named>],
    printed: &Printed,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (c, n) in checks.iter().zip(named) {
        let Some(n) = n else { continue };
        let Some(start) = printed.dests.get(&n.start).map(|p| p.page) else {
            continue;
        };
        let blocks: Vec<(usize, usize)> = n
            .blocks
            .iter()
            .filter_map(|(id, line)| Some((printed.page_of(id)?, *line)))
            .collect();
        let what = |line: usize| {
            c.marks
                .iter()
                .find(|(l, _)| *l == line)
                .map_or_else(|| "this block".to_string(), |(_, w)| w.clone())
        };
        // The first block pushed past the first sheet: that sheet holds the header alone.
        if let Some(&(page, line)) = blocks.first()
            && page > start
        {
            let w = what(line);
            out.push(
                Diagnostic::warning(
                    &c.source,
                    line,
                    1,
                    format!("{w} does not fit under the worksheet's header: its first sheet holds the header alone"),
                )
                .with_help("make the block shorter (fewer `lines:`, a lower `height:`), or split it into two blocks"),
            );
        }
        let Some(sheets) = c.sheets else { continue };
        let last_block = blocks.iter().map(|b| b.0).max().unwrap_or(start);
        let end = match printed.dests.get(&n.end) {
            // An end marker alone at the top of a page: the sheet ended before it.
            Some(p)
                if p.page > last_block
                    && printed.height > 0.0
                    && p.y >= printed.height - TOP_SLACK =>
            {
                p.page - 1
            }
            Some(p) => p.page,
            None => last_block,
        }
        .max(last_block)
        .max(start);
        let used = end - start + 1;
        let allowed = sheets as usize;
        if used <= allowed {
            continue;
        }
        let limit = start + allowed - 1;
        // The first block past the last allowed sheet, or else the one that runs over.
        let culprit = blocks
            .iter()
            .find(|(page, _)| *page > limit)
            .or_else(|| blocks.iter().rev().find(|(page, _)| *page <= limit));
        let plural = |n: usize| if n == 1 { "sheet" } else { "sheets" };
        let (line, detail) = match culprit {
            Some((page, line)) if *page > limit => (
                *line,
                format!(
                    "from {} on, it is on sheet {}",
                    what(*line),
                    page - start + 1
                ),
            ),
            Some((_, line)) => (
                *line,
                format!("{} runs over onto sheet {}", what(*line), limit - start + 2),
            ),
            None => (c.sheets_line, "its content runs over".to_string()),
        };
        out.push(
            Diagnostic::warning(
                &c.source,
                line,
                1,
                format!(
                    "this worksheet prints on {used} {}, but `sheets: {allowed}` allows {allowed}: {detail}",
                    plural(used),
                ),
            )
            .with_help(format!(
                "shorten it (fewer `lines:`, a lower `height:`, shorter text), or allow more sheets with `sheets:` (line {})",
                c.sheets_line
            )),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::readback::Place;

    fn check_of() -> SheetCheck {
        SheetCheck {
            source: "content/fiche.md".into(),
            sheets: Some(1),
            sheets_line: 4,
            anchor: None,
            marks: vec![
                (10, "the `field` block “A”".into()),
                (20, "the `box` block “B”".into()),
            ],
        }
    }

    fn printed(places: &[(&str, usize, f32)]) -> Printed {
        Printed {
            pages: places.iter().map(|p| p.1).max().unwrap_or(1),
            height: 842.0,
            dests: places
                .iter()
                .map(|(n, page, y)| (n.to_string(), Place { page: *page, y: *y }))
                .collect(),
        }
    }

    fn names() -> Vec<Option<Named>> {
        named(&serde_json::json!([["s", [["a", 10], ["b", 20]], "e"]]), 1)
    }

    #[test]
    fn a_sheet_that_fits_gets_no_warning() {
        let p = printed(&[
            ("s", 1, 842.0),
            ("a", 1, 600.0),
            ("b", 1, 300.0),
            ("e", 1, 100.0),
        ]);
        assert!(check(&[check_of()], &names(), &p).is_empty());
        // The end marker alone at the top of page 2 does not count.
        let p = printed(&[
            ("s", 1, 842.0),
            ("a", 1, 600.0),
            ("b", 1, 300.0),
            ("e", 2, 842.0),
        ]);
        assert!(check(&[check_of()], &names(), &p).is_empty());
    }

    #[test]
    fn the_first_block_past_the_sheet_is_named() {
        let p = printed(&[
            ("s", 1, 842.0),
            ("a", 1, 600.0),
            ("b", 2, 700.0),
            ("e", 2, 300.0),
        ]);
        let d = check(&[check_of()], &names(), &p);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].line(), 20);
        assert!(
            d[0].message
                .contains("prints on 2 sheets, but `sheets: 1` allows 1")
                && d[0]
                    .message
                    .contains("from the `box` block “B” on, it is on sheet 2"),
            "{}",
            d[0].message
        );
        assert!(!d[0].is_error());
    }

    #[test]
    fn a_first_block_that_leaves_the_header_alone_is_named() {
        // With or without `sheets:`: the first sheet holds only the header.
        let p = printed(&[
            ("s", 1, 842.0),
            ("a", 2, 800.0),
            ("b", 2, 300.0),
            ("e", 2, 100.0),
        ]);
        let unlimited = SheetCheck {
            sheets: None,
            ..check_of()
        };
        let d = check(&[unlimited], &names(), &p);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].line(), 10);
        assert!(
            d[0].message
                .starts_with("the `field` block “A” does not fit under the worksheet's header"),
            "{}",
            d[0].message
        );
        let d = check(&[check_of()], &names(), &p);
        assert_eq!(d.len(), 2, "and the sheet count: {d:?}");
    }

    #[test]
    fn a_block_that_runs_over_is_named() {
        let p = printed(&[
            ("s", 1, 842.0),
            ("a", 1, 600.0),
            ("b", 1, 300.0),
            ("e", 2, 500.0),
        ]);
        let d = check(&[check_of()], &names(), &p);
        assert_eq!(d[0].line(), 20);
        assert!(
            d[0].message
                .contains("the `box` block “B” runs over onto sheet 2")
        );
    }

    #[test]
    fn the_script_answer_is_read_defensively() {
        assert_eq!(named(&serde_json::json!(null), 2), vec![None, None]);
        assert_eq!(named(&serde_json::json!([null, 3]), 2), vec![None, None]);
        assert!(script(&[check_of()]).contains("data-mb-line"));
    }
}
