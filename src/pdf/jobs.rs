//! Which HTML files of the built site a `pdf` target prints, and under which
//! PDF file names.

use super::PdfTarget;
use crate::error::{Error, Result};
use crate::site::layout;

/// The (HTML file, PDF name) pairs to print.
pub(crate) fn jobs(
    content: &crate::content::Content,
    target: &PdfTarget,
    has: &dyn Fn(&str) -> bool,
) -> Result<Vec<(String, String)>> {
    let handbook = layout::at(&content.prefix, layout::HANDBOOK).into_string();
    let worksheets_print = layout::at(&content.prefix, layout::WORKSHEETS_PRINT).into_string();
    let mut jobs = Vec::new();
    let worksheet_jobs = |jobs: &mut Vec<(String, String)>| {
        let names = unique_names(content.worksheets().map(|p| p.out.as_str()).collect());
        for (p, name) in content.worksheets().zip(names) {
            jobs.push((p.out.to_string(), name));
        }
        if has(&worksheets_print) {
            jobs.push((worksheets_print.clone(), "worksheets.pdf".to_string()));
        }
    };
    match target {
        PdfTarget::Handbook => jobs.push((handbook.clone(), "handbook.pdf".to_string())),
        PdfTarget::Worksheets => worksheet_jobs(&mut jobs),
        PdfTarget::All => {
            jobs.push((handbook.clone(), "handbook.pdf".to_string()));
            for s in content.sections.iter().skip(1) {
                let html = layout::section_print(&s.out_dir).into_string();
                jobs.push((html, format!("section-{}.pdf", s.out_dir.replace('/', "-"))));
            }
            worksheet_jobs(&mut jobs);
        }
        PdfTarget::Edition(a) => jobs.push((
            layout::edition(&content.prefix, *a).into_string(),
            format!("handbook-{}.pdf", a.name()),
        )),
        PdfTarget::Kit(n) => jobs.push((
            layout::kit(&content.prefix, *n).into_string(),
            format!("kit-session-{n}.pdf"),
        )),
        PdfTarget::Page(wanted) => {
            let w = wanted
                .trim_start_matches("./")
                .trim_start_matches("content/");
            let page = content
                .pages
                .iter()
                .find(|p| p.rel == w || p.out == w || p.out == format!("{w}.html") || p.source == *wanted)
                .ok_or_else(|| {
                    Error::Usage(format!(
                        "no page `{wanted}`: give a file of content/ (e.g. `content/fiches/seance-1.md`) or an output path"
                    ))
                })?;
            let name = unique_names(vec![page.out.as_str()]).remove(0);
            jobs.push((page.out.to_string(), name));
        }
    }
    if jobs.iter().any(|(h, _)| !has(h)) {
        return Err(Error::Usage(
            "print pages are disabled (`print: false` in mentorbook.yaml)".into(),
        ));
    }
    Ok(jobs)
}

/// `fiches/seance-1.html` → `seance-1.pdf`, or the dashed path when two stems collide.
fn unique_names(outs: Vec<&str>) -> Vec<String> {
    let stem = |o: &str| {
        let file = o.rsplit('/').next().unwrap_or(o);
        file.strip_suffix(".html").unwrap_or(file).to_string()
    };
    outs.iter()
        .map(|o| {
            let s = stem(o);
            let clash = outs.iter().filter(|x| stem(x) == s).count() > 1 || s == "index";
            if clash {
                format!(
                    "{}.pdf",
                    o.strip_suffix(".html").unwrap_or(o).replace('/', "-")
                )
            } else {
                format!("{s}.pdf")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_names_are_short_and_unique() {
        assert_eq!(
            unique_names(vec!["a/seance-1.html", "b/charte.html"]),
            ["seance-1.pdf", "charte.pdf"]
        );
        assert_eq!(
            unique_names(vec!["a/x.html", "b/x.html"]),
            ["a-x.pdf", "b-x.pdf"]
        );
    }
}
