//! Which files of the built site a `pdf` target prints, under which PDF names,
//! and which worksheets' sheets are counted in each.
//!
//! Everything comes from the site's plan, so any page the site has can be
//! printed: by its output path (`timeline.html`, `kits/session-2.html`,
//! `en/guide/print.html`), by its source file (`content/…md`, or relative to
//! `content/`), or by either of those of its translation with `--lang`. A PDF is
//! named after the output path of the language printed (`guide/posture.html` →
//! `posture.pdf`; generated files get fixed names such as `handbook.pdf`), and a
//! language other than the default one prints into its own folder (`en/`).

use std::collections::HashMap;

use super::PdfTarget;
use super::sheets::SheetCheck;
use crate::content::{Content, Page, PageId};
use crate::error::{Error, Result};
use crate::paths::OutPath;
use crate::site::{Job, PrintKind, Site, layout};

/// One file to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Spec {
    /// Its output path in the built site.
    pub(crate) html: OutPath,
    /// The PDF's path relative to the PDF folder (`handbook.pdf`, `en/posture.pdf`).
    pub(crate) name: String,
    /// Whether it is a print file, which may hold page references.
    pub(crate) refs: bool,
    /// The worksheets in it with a `sheets:` limit.
    pub(crate) checks: Vec<SheetCheck>,
    /// Whether its named controls become form fields.
    pub(crate) fill: bool,
    /// Whether the PDF is kept in memory (for `pack`, which fills it in).
    pub(crate) keep: bool,
    /// HTML to write at `html` in the built site before printing it (a file the
    /// site does not have, such as a pair's cover).
    pub(crate) write: Option<String>,
}

/// The files `target` prints, in language `lang` (a code; the default language
/// when `None`, or the language of the page named by a [`PdfTarget::Page`]).
pub(crate) fn specs(site: &Site, target: &PdfTarget, lang: Option<&str>) -> Result<Vec<Spec>> {
    let given = match lang {
        Some(code) => Some(lang_index(site, code)?),
        None => None,
    };
    let li = given.unwrap_or(0);
    let content = &site.langs[li].content;
    let prefix = &content.prefix;
    let mut outs: Vec<OutPath> = Vec::new();
    let prints = |kind: fn(&PrintKind) -> bool| -> Vec<OutPath> {
        site.plan
            .prints
            .get(li)
            .into_iter()
            .flatten()
            .filter(|pf| kind(&pf.kind))
            .map(|pf| pf.path.clone())
            .collect()
    };
    let worksheets = |outs: &mut Vec<OutPath>| {
        outs.extend(content.worksheets().map(|p| p.out.clone()));
        outs.extend(prints(|k| matches!(k, PrintKind::Worksheets)));
    };
    let (li, outs) = match target {
        PdfTarget::Handbook => {
            outs.push(layout::at(prefix, layout::HANDBOOK));
            (li, outs)
        }
        PdfTarget::Worksheets => {
            worksheets(&mut outs);
            (li, outs)
        }
        PdfTarget::All => {
            outs.extend(prints(|k| matches!(k, PrintKind::Handbook)));
            outs.extend(prints(|k| matches!(k, PrintKind::Section(_))));
            worksheets(&mut outs);
            outs.extend(prints(|k| matches!(k, PrintKind::Kit(_))));
            outs.extend(prints(|k| matches!(k, PrintKind::Edition(_))));
            let timeline = layout::at(prefix, layout::TIMELINE);
            if site.plan.jobs.contains_key(&timeline) {
                outs.push(timeline);
            }
            (li, outs)
        }
        PdfTarget::Edition(a) => {
            outs.push(layout::edition(prefix, *a));
            (li, outs)
        }
        PdfTarget::Kit(n) => {
            outs.push(layout::kit(prefix, *n));
            (li, outs)
        }
        PdfTarget::Page(wanted) => {
            let (found_lang, out) = find(site, wanted, given)?;
            (found_lang, vec![out])
        }
    };
    for out in &outs {
        if !site.plan.jobs.contains_key(out) {
            return Err(missing(site, out));
        }
    }
    let names = names(site.langs[li].content.prefix.as_str(), &outs);
    Ok(outs
        .into_iter()
        .zip(names)
        .map(|(html, name)| {
            let job = &site.plan.jobs[&html];
            Spec {
                refs: matches!(job, Job::Print { .. }),
                checks: checks(site, job),
                html,
                name,
                fill: true,
                keep: false,
                write: None,
            }
        })
        .collect())
}

/// Every worksheet with a `sheets:` limit of every language, each on its own
/// page (what `check --layout` prints).
pub(crate) fn layout_specs(site: &Site) -> Vec<Spec> {
    let mut out = Vec::new();
    for (li, lang) in site.langs.iter().enumerate() {
        for p in lang.content.worksheets() {
            let job = Job::Page { lang: li, id: p.id };
            if site.plan.jobs.get(&p.out) != Some(&job) {
                continue;
            }
            out.push(Spec {
                html: p.out.clone(),
                name: p.out.to_string(),
                refs: false,
                checks: checks(site, &job),
                fill: false,
                keep: false,
                write: None,
            });
        }
    }
    out
}

/// The index of the language `code`.
fn lang_index(site: &Site, code: &str) -> Result<usize> {
    site.langs
        .iter()
        .position(|l| l.content.lang == code)
        .ok_or_else(|| {
            let codes: Vec<&str> = site.langs.iter().map(|l| l.content.lang.as_str()).collect();
            Error::Usage(format!(
                "no language `{code}`: this handbook has {}",
                codes.join(", ")
            ))
        })
}

/// The page `wanted` names (an output path or a source file), in language
/// `lang` when given: its language and output path.
fn find(site: &Site, wanted: &str, lang: Option<usize>) -> Result<(usize, OutPath)> {
    let w = wanted
        .trim()
        .trim_start_matches("./")
        .trim_start_matches('/');
    // An output path, with or without `.html`, or a folder's index.
    let outs = [
        w.to_string(),
        format!("{w}.html"),
        format!("{}/index.html", w.trim_end_matches('/')),
    ];
    for candidate in &outs {
        let path = OutPath::from(candidate.as_str());
        let Some(job) = site.plan.jobs.get(&path) else {
            continue;
        };
        let (found, path) = match job {
            Job::Redirect { to, .. } => (0, to.clone()),
            Job::NotFound(l) => (*l, path),
            other => match other.lang() {
                Some(l) if candidate.ends_with(".html") => (l, path),
                _ => {
                    return Err(Error::Usage(format!(
                        "`{wanted}` is not a page: give a page's output path (`…html`) or its file in content/"
                    )));
                }
            },
        };
        return match lang {
            Some(l) if l != found => translation(site, found, &path, l, wanted),
            _ => Ok((found, path)),
        };
    }
    // A source file: `content/…md`, or its path inside `content/`.
    let source = if w.starts_with("content/") {
        w.to_string()
    } else {
        format!("content/{w}")
    };
    for (li, l) in site.langs.iter().enumerate() {
        if let Some(p) = l.content.pages.iter().find(|p| p.source == source) {
            return match lang {
                Some(t) if t != li => translation(site, li, &p.out, t, wanted),
                _ => Ok((li, p.out.clone())),
            };
        }
    }
    let out = OutPath::from(w);
    if out.contains("kits/") || out.contains("editions/") || out.ends_with(layout::TIMELINE) {
        return Err(missing(site, &out));
    }
    Err(Error::Usage(no_page(site, wanted)))
}

/// The message for a target that is no page: the closest one the handbook has,
/// else examples taken from this handbook.
fn no_page(site: &Site, wanted: &str) -> String {
    let mut candidates: Vec<&str> = site
        .plan
        .jobs
        .keys()
        .map(OutPath::as_str)
        .filter(|o| o.ends_with(".html"))
        .collect();
    candidates.extend(
        site.langs
            .iter()
            .flat_map(|l| l.content.pages.iter().map(|p| p.source.as_str())),
    );
    if let Some(close) = crate::diagnostic::did_you_mean(wanted, &candidates) {
        return format!("no page `{wanted}`: did you mean `{close}`?");
    }
    let pages = site.langs.first().map(|l| &l.content.pages);
    let source = pages
        .and_then(|p| {
            p.iter()
                .find(|p| p.is_worksheet())
                .or_else(|| p.iter().find(|p| !p.is_index))
        })
        .map_or("content/guide/page.md".to_string(), |p| {
            p.source.to_string()
        });
    let generated = if site.config.programme.is_some() {
        "`timeline.html`, `kits/session-1.html`"
    } else {
        "`print.html`"
    };
    format!(
        "no page `{wanted}`: give a file of content/ (e.g. `{source}`) or an output path (e.g. {generated})"
    )
}

/// The output path, in language `to`, of what language `from` has at `out`.
fn translation(
    site: &Site,
    from: usize,
    out: &OutPath,
    to: usize,
    wanted: &str,
) -> Result<(usize, OutPath)> {
    let (a, b) = (&site.langs[from].content, &site.langs[to].content);
    let translated = match a.pages.iter().find(|p| p.out == *out) {
        Some(page) => same_page(a, page, b).map(|p| p.out.clone()),
        None => {
            let bare = out.strip_prefix(a.prefix.as_str()).unwrap_or(out.as_str());
            let there = b.prefix.join(bare);
            site.plan.jobs.contains_key(&there).then_some(there)
        }
    };
    translated.map(|o| (to, o)).ok_or_else(|| {
        Error::Usage(format!(
            "`{wanted}` has no `{}` translation",
            site.langs[to].content.lang
        ))
    })
}

/// The page of `b` that translates `page` of `a`: the same file, or the same section.
fn same_page<'b>(a: &Content, page: &Page, b: &'b Content) -> Option<&'b Page> {
    if !page.rel.is_empty() {
        return b.pages.iter().find(|p| p.rel == page.rel);
    }
    let dir = &a.sections[page.section].rel_dir;
    b.pages
        .iter()
        .find(|p| p.is_index && p.rel.is_empty() && b.sections[p.section].rel_dir == *dir)
}

/// Why `out` cannot be printed.
fn missing(site: &Site, out: &OutPath) -> Error {
    let msg = if !site.config.print && !out.ends_with("timeline.html") {
        "print pages are disabled (`print: false` in mentorbook.yaml)".to_string()
    } else if out.contains("kits/") {
        match &site.config.programme {
            Some(p) => format!("no kit `{out}`: the programme has {} sessions", p.sessions),
            None => format!("no kit `{out}`: kits come with a `programme:` in mentorbook.yaml"),
        }
    } else if out.contains("editions/") {
        format!(
            "no edition `{out}`: editions are made when some page or block is for one audience (`audience:`, ```only)"
        )
    } else if out.ends_with(layout::TIMELINE) {
        "no timeline: it comes with a `programme:` in mentorbook.yaml".to_string()
    } else {
        format!("`{out}` is not part of this handbook's output")
    };
    Error::Usage(msg)
}

/// The sheet checks of the worksheets an output file shows.
fn checks(site: &Site, job: &Job) -> Vec<SheetCheck> {
    let check = |lang: usize, id: PageId, anchor: Option<String>| {
        let l = &site.langs[lang];
        let p = &l.content.pages[id];
        if !p.is_worksheet() {
            return None;
        }
        Some(SheetCheck {
            source: p.source.to_string(),
            sheets: p.fm.sheets,
            sheets_line: p.fm.sheets_line,
            anchor,
            marks: l.docs[id]
                .marks
                .iter()
                .map(|m| (m.line, m.what.clone()))
                .collect(),
        })
    };
    match job {
        Job::Page { lang, id } => check(*lang, *id, None).into_iter().collect(),
        Job::Print { lang, index } => site
            .plan
            .print(*lang, *index)
            .map(|pf| {
                pf.members
                    .iter()
                    .filter_map(|&id| {
                        let anchor = layout::page_anchor(id);
                        check(*lang, id, Some(anchor))
                    })
                    .collect()
            })
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// PDF names for the output paths `outs` of the language whose prefix is
/// `prefix`: fixed names for generated files, the page's file name for pages (its
/// whole path, dashed, when two would clash or for an `index`), all under the
/// language's prefix; a name still taken gets a number.
fn names(prefix: &str, outs: &[OutPath]) -> Vec<String> {
    let bare: Vec<&str> = outs
        .iter()
        .map(|o| o.strip_prefix(prefix).unwrap_or(o.as_str()))
        .collect();
    let mut names: Vec<(String, bool)> = bare.iter().map(|b| name_of(b)).collect();
    let mut count: HashMap<String, usize> = HashMap::new();
    for (n, _) in &names {
        *count.entry(n.clone()).or_default() += 1;
    }
    for ((name, page), b) in names.iter_mut().zip(&bare) {
        if *page && (count[name.as_str()] > 1 || name == "index.pdf") {
            *name = format!(
                "{}.pdf",
                b.strip_suffix(".html").unwrap_or(b).replace('/', "-")
            );
        }
    }
    let mut taken = std::collections::HashSet::new();
    names
        .into_iter()
        .map(|(n, _)| {
            let mut name = n.clone();
            let mut k = 2;
            while !taken.insert(name.clone()) {
                name = format!("{}-{k}.pdf", n.trim_end_matches(".pdf"));
                k += 1;
            }
            format!("{prefix}{name}")
        })
        .collect()
}

/// The PDF name of a bare output path, and whether it is an ordinary page.
fn name_of(bare: &str) -> (String, bool) {
    let stem = |p: &str| {
        let file = p.rsplit('/').next().unwrap_or(p);
        file.strip_suffix(".html").unwrap_or(file).to_string()
    };
    let fixed = |n: String| (n, false);
    if bare == layout::HANDBOOK {
        fixed("handbook.pdf".into())
    } else if bare == layout::WORKSHEETS_PRINT {
        fixed("worksheets.pdf".into())
    } else if bare == layout::WORKSHEETS_INDEX {
        fixed("worksheets-index.pdf".into())
    } else if bare == layout::TIMELINE {
        fixed("timeline.pdf".into())
    } else if let Some(kit) = bare.strip_prefix("kits/") {
        fixed(format!("kit-{}.pdf", stem(kit)))
    } else if let Some(a) = bare
        .strip_prefix("editions/")
        .and_then(|e| e.strip_suffix("/print.html"))
    {
        fixed(format!("handbook-{a}.pdf"))
    } else if let Some(dir) = bare.strip_suffix(&format!("/{}", layout::SECTION_PRINT)) {
        fixed(format!("section-{}.pdf", dir.replace('/', "-")))
    } else {
        (format!("{}.pdf", stem(bare)), true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_of(prefix: &str, outs: &[&str]) -> Vec<String> {
        let outs: Vec<OutPath> = outs.iter().map(|o| OutPath::from(*o)).collect();
        names(prefix, &outs)
    }

    #[test]
    fn pdf_names_are_short_and_unique() {
        assert_eq!(
            names_of("", &["a/seance-1.html", "b/charte.html", "print.html"]),
            ["seance-1.pdf", "charte.pdf", "handbook.pdf"]
        );
        assert_eq!(
            names_of("", &["a/x.html", "b/x.html"]),
            ["a-x.pdf", "b-x.pdf"]
        );
        assert_eq!(names_of("", &["guide/index.html"]), ["guide-index.pdf"]);
        assert_eq!(
            names_of("", &["print.html", "handbook.html"]),
            ["handbook.pdf", "handbook-2.pdf"]
        );
    }

    #[test]
    fn generated_files_have_fixed_names_in_their_language_folder() {
        assert_eq!(
            names_of(
                "en/",
                &[
                    "en/print.html",
                    "en/worksheets/print.html",
                    "en/guide/print.html",
                    "en/kits/session-2.html",
                    "en/editions/mentee/print.html",
                    "en/timeline.html",
                    "en/sheets/first-session.html",
                ]
            ),
            [
                "en/handbook.pdf",
                "en/worksheets.pdf",
                "en/section-guide.pdf",
                "en/kit-session-2.pdf",
                "en/handbook-mentee.pdf",
                "en/timeline.pdf",
                "en/first-session.pdf",
            ]
        );
    }
}
