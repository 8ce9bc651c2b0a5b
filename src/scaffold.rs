//! `mentorbook init` and `mentorbook new`: starter handbooks and new files with
//! their front matter.

use std::path::{Path, PathBuf};

use crate::config::{CONFIG_FILE, Config};
use crate::error::{Error, Result};
use crate::text::{slugify, split_numeric_prefix};

struct Starter {
    files: &'static [(&'static str, &'static str)],
}

const FR: Starter = Starter {
    files: &[
        (
            CONFIG_FILE,
            "# Configuration du manuel (voir le README de mentorbook)\ntitle: Guide du mentorat\ndescription: Le guide de notre programme de mentorat.\nlang: fr\npaper: a4\ntheme:\n  name: default\n  programme: Programme de mentorat\n",
        ),
        (".gitignore", "/public\n/pdf\n/packs\n"),
        (
            "content/_index.md",
            "---\ntitle: Guide du mentorat\ndescription: Tout ce qu'il faut pour réussir votre programme de mentorat.\n---\n\nBienvenue ! Ce guide accompagne les mentors, les personnes mentorées et l'équipe qui anime le programme.\n\n- Commencez par [les bases](01-demarrer/01-bienvenue.md).\n- Imprimez [la fiche de la première séance](02-fiches/01-premiere-seance.md).\n",
        ),
        (
            "content/01-demarrer/_index.md",
            "---\ntitle: Démarrer\ndescription: Les bases du programme.\n---\n\nLes pages de cette partie présentent le programme.\n",
        ),
        (
            "content/01-demarrer/01-bienvenue.md",
            "---\ntitle: Bienvenue dans le programme\ndescription: Ce qu'est le mentorat et comment se déroule le programme.\n---\n\n## Qu'est-ce que le mentorat ?\n\nUne personne expérimentée, le mentor, partage son expérience pour aider une autre personne, la personne mentorée, à atteindre ses objectifs.\n\n> [!TIP]\n> Six séances sont recommandées, à raison d'une ou deux par mois.\n\n## Et ensuite ?\n\nPréparez [la première séance](../02-fiches/01-premiere-seance.md) avec sa fiche.\n",
        ),
        (
            "content/02-fiches/_index.md",
            "---\ntitle: Fiches de séance\ndescription: Les fiches à imprimer pour chaque séance.\n---\n\nImprimez chaque fiche depuis sa page.\n",
        ),
        (
            "content/02-fiches/01-premiere-seance.md",
            "---\ntitle: Séance 1 — Faire connaissance\ndescription: Fiche à remplir à deux pendant la première séance.\nkind: worksheet\nsession: 1\nduration: 1 h 30\naudience: all\nobjectives:\n  - Faire connaissance\n  - Convenir du cadre des rencontres\n---\n\n```field\nlabel: Ce que j'attends du mentorat\nlines: 4\n```\n\n```checklist\nlabel: Le cadre\nitems:\n  - Fréquence des rencontres\n  - Confidentialité des échanges\n```\n\n```signature\nsigners: [Mentor, Personne mentorée]\n```\n",
        ),
    ],
};

const EN: Starter = Starter {
    files: &[
        (
            CONFIG_FILE,
            "# Handbook configuration (see mentorbook's README)\ntitle: Mentoring handbook\ndescription: The handbook of our mentoring programme.\nlang: en\npaper: a4\ntheme:\n  name: default\n  programme: Mentoring programme\n",
        ),
        (".gitignore", "/public\n/pdf\n/packs\n"),
        (
            "content/_index.md",
            "---\ntitle: Mentoring handbook\ndescription: Everything you need for a successful mentoring programme.\n---\n\nWelcome! This handbook supports mentors, mentees and the team running the programme.\n\n- Start with [the basics](01-start/01-welcome.md).\n- Print [the first session's worksheet](02-session-sheets/01-first-session.md).\n",
        ),
        (
            "content/01-start/_index.md",
            "---\ntitle: Getting started\ndescription: The basics of the programme.\n---\n\nThe pages in this part introduce the programme.\n",
        ),
        (
            "content/01-start/01-welcome.md",
            "---\ntitle: Welcome to the programme\ndescription: What mentoring is and how the programme runs.\n---\n\n## What is mentoring?\n\nAn experienced person, the mentor, shares their experience to help another person, the mentee, reach their goals.\n\n> [!TIP]\n> Six sessions are recommended, once or twice a month.\n\n## What next?\n\nPrepare [the first session](../02-session-sheets/01-first-session.md) with its worksheet.\n",
        ),
        (
            "content/02-session-sheets/_index.md",
            "---\ntitle: Session worksheets\ndescription: The worksheets to print for each session.\n---\n\nPrint each worksheet from its page.\n",
        ),
        (
            "content/02-session-sheets/01-first-session.md",
            "---\ntitle: Session 1 — Getting to know each other\ndescription: To fill in together during the first session.\nkind: worksheet\nsession: 1\nduration: 90 min\naudience: all\nobjectives:\n  - Get to know each other\n  - Agree how the pair will work\n---\n\n```field\nlabel: What I expect from mentoring\nlines: 4\n```\n\n```checklist\nlabel: Our framework\nitems:\n  - How often we meet\n  - Confidentiality of our exchanges\n```\n\n```signature\nsigners: [Mentor, Mentee]\n```\n",
        ),
    ],
};

/// Creates a starter handbook in `dir`, which must be empty or missing.
/// Returns the number of files written.
pub fn init(dir: &Path, lang: &str) -> Result<usize> {
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(|e| Error::io("cannot read", dir, e))?;
        if entries.next().is_some() {
            return Err(Error::Usage(format!(
                "`{}` is not empty; `mentorbook init` only creates a handbook in an empty or new folder",
                dir.display()
            )));
        }
    }
    let starter = if lang == "en" { &EN } else { &FR };
    for (path, text) in starter.files {
        crate::fs::write(&dir.join(path), text.as_bytes())?;
    }
    Ok(starter.files.len())
}

/// Creates `content/<section>/NN-<slug>.md` with front matter; returns the files
/// written: the page, after its section's `_index.md` when the section is new.
///
/// `section` names folders of `content/` by their name or by their name without
/// the order number (`fiches` is `02-fiches`; a single name that no top folder has
/// is looked for deeper: `seances` is `05-fiches/02-seances`); a worksheet without
/// a section goes to the folder holding the most worksheets. A title whose page would be written
/// where another page of the folder or a generated file is (`print.html`) is
/// refused, so that `new` never makes a handbook that does not build.
pub fn new_file(
    config: &Config,
    worksheet: bool,
    title: &str,
    section: Option<&str>,
    session: Option<u32>,
) -> Result<Vec<PathBuf>> {
    let title = title.trim();
    let slug = slugify(title);
    if slug.is_empty() {
        return Err(Error::Usage(
            "the title must contain letters or digits".into(),
        ));
    }
    let section = section.unwrap_or("").trim_matches('/');
    if section.split('/').any(|p| p == ".." || p == ".") {
        return Err(Error::Usage(
            "the section must be a folder inside content/".into(),
        ));
    }
    let content = config.content_dir();
    // A worksheet without `--section` goes where the handbook's worksheets are.
    let found;
    let section = if section.is_empty() && worksheet {
        found = worksheets_folder(config, session.is_some());
        found.as_deref().unwrap_or("")
    } else {
        section
    };
    let (dir, new_folders) = section_dir(&content, section)?;
    let rel: Vec<String> = dir
        .strip_prefix(&content)
        .map(|d| d.iter().map(|p| p.to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    // A new folder at the top of `content/` must not be one mentorbook generates.
    if new_folders > 0
        && new_folders == rel.len()
        && let Some(top) = rel.first()
    {
        let name = slugify(split_numeric_prefix(top).1);
        let taken = crate::site::layout::RESERVED
            .iter()
            .any(|r| r.strip_suffix('/') == Some(name.as_str()))
            || (config.is_multilingual() && config.language_codes().contains(&name));
        if taken {
            return Err(Error::Usage(format!(
                "a section `{name}` would be written to `{name}/`, a folder mentorbook generates: choose another section name (generated names are listed in the README, Output)"
            )));
        }
    }
    if let Some(reason) = reserved(&slug, dir == content) {
        return Err(Error::Usage(format!(
            "a page titled \"{title}\" would be written to `{slug}.html`, {reason}: choose another title (you can change the page's title afterwards: its file name stays)"
        )));
    }
    if let Some(other) = same_output(&dir, &slug)? {
        return Err(Error::Usage(format!(
            "`{}` already makes `{slug}.html`: choose another title, or edit that page",
            other.strip_prefix(&config.root).unwrap_or(&other).display()
        )));
    }
    let mut written = Vec::new();
    // Each new folder is a section: it gets its page, with a title to edit.
    let mut folder = dir.clone();
    let mut new_dirs = Vec::new();
    for _ in 0..new_folders {
        new_dirs.push(folder.clone());
        if !folder.pop() {
            break;
        }
    }
    crate::fs::create_dir_all(&dir)?;
    for d in new_dirs.iter().rev() {
        let index = d.join("_index.md");
        let name = d
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let shown = section_title(split_numeric_prefix(&name).1);
        let text = format!("---\ntitle: {}\n---\n\n", yaml_string(&shown));
        crate::fs::write(&index, text.as_bytes())?;
        written.push(index);
    }
    let next = std::fs::read_dir(&dir)
        .map_err(|e| Error::io("cannot read", &dir, e))?
        .filter_map(|e| e.ok())
        .filter_map(|e| split_numeric_prefix(&e.file_name().to_string_lossy()).0)
        .max()
        .map_or(1, |m| m + 1);
    let path = dir.join(format!("{next:02}-{slug}.md"));
    if path.exists() {
        return Err(Error::Usage(format!("`{}` already exists", path.display())));
    }
    let quoted = yaml_string(title);
    let text = if worksheet {
        let fr = config.lang.starts_with("fr");
        format!(
            "---\ntitle: {quoted}\ndescription: \"\"\nkind: worksheet\n{}duration: {}\naudience: all\n# {}\nobjectives: []\n---\n\n```field\nlabel: {}\nlines: 4\n```\n\n```signature\nsigners: [{}]\n```\n",
            session.map_or(String::new(), |s| format!("session: {s}\n")),
            if fr { "1 h 30" } else { "90 min" },
            if fr {
                "Les objectifs de la séance, imprimés en tête de fiche : [Faire connaissance, Convenir du cadre]"
            } else {
                "The session's goals, printed at the top of the sheet: [Get to know each other, Agree how we work]"
            },
            if fr {
                "Objectif de la séance"
            } else {
                "Goal of the session"
            },
            if fr {
                "Mentor, Personne mentorée"
            } else {
                "Mentor, Mentee"
            },
        )
    } else {
        format!("---\ntitle: {quoted}\ndescription: \"\"\n---\n\n")
    };
    crate::fs::write(&path, text.as_bytes())?;
    written.push(path);
    Ok(written)
}

/// `text` as a double-quoted YAML string.
fn yaml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// How deep below `content/` a section is looked for by its name alone.
const SECTION_SEARCH_DEPTH: usize = 4;

/// The folders under `content` (below its top, at most [`SECTION_SEARCH_DEPTH`]
/// deep) named `name` or `NN-name`, as paths relative to it, in path order.
fn nested_folders(content: &Path, name: &str) -> Vec<String> {
    walkdir::WalkDir::new(content)
        .min_depth(2)
        .max_depth(SECTION_SEARCH_DEPTH)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_dir())
        .filter(|e| split_numeric_prefix(&e.file_name().to_string_lossy()).1 == name)
        .filter_map(|e| {
            let rel = e.path().strip_prefix(content).ok()?;
            Some(
                rel.iter()
                    .map(|p| p.to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/"),
            )
        })
        .collect()
}

/// The folder (relative to the content folder) holding the most worksheets
/// (with a `session:` when `sessions`), the first in path order on a tie; `None`
/// when the handbook has none. Pages are found and their front matter read as a
/// build finds and reads them (the confined walk, the front matter parser).
fn worksheets_folder(config: &Config, sessions: bool) -> Option<String> {
    use crate::content::{PageKind, front_matter, walk};
    let mut ignored = Vec::new();
    let skip = |rel: &str| config.sources.is_excluded(rel);
    let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
    for f in walk::walk(
        &config.content_dir(),
        &config.root,
        &config.confine,
        &skip,
        &mut ignored,
    ) {
        if f.kind != walk::FileKind::Page {
            continue;
        }
        let Ok(text) = crate::fs::read_to_string(&f.abs) else {
            continue;
        };
        let Some(fm) = front_matter::split(&f.real, &text)
            .ok()
            .and_then(|split| front_matter::parse(&f.real, &split, &mut ignored))
        else {
            continue;
        };
        if fm.kind == PageKind::Worksheet && (!sessions || fm.session.is_some()) {
            let dir = f.real.rsplit_once('/').map_or("", |(d, _)| d);
            *counts.entry(dir.to_string()).or_default() += 1;
        }
    }
    let best = counts.values().copied().max()?;
    counts.into_iter().find(|(_, n)| *n == best).map(|(d, _)| d)
}

/// The folder of `content` that `section` names, each part matched by its
/// name, else by its name without order number (`fiches` → `02-fiches`, when only
/// one folder has that name); the parts that match none are new folders, whose
/// count comes with the path.
fn section_dir(content: &Path, section: &str) -> Result<(PathBuf, usize)> {
    let mut dir = content.to_path_buf();
    let mut new = 0;
    for part in section.split('/').filter(|p| !p.is_empty()) {
        if new == 0 && !dir.join(part).is_dir() {
            let matches: Vec<String> = match std::fs::read_dir(&dir) {
                Ok(entries) => entries
                    .filter_map(|e| e.ok())
                    .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| split_numeric_prefix(n).1 == part)
                    .collect(),
                Err(_) => Vec::new(),
            };
            // A single name not at the top (`seances` for `05-fiches/02-seances`)
            // is looked for deeper before it makes a new top-level section.
            let matches = if matches.is_empty() && dir == content && !section.contains('/') {
                nested_folders(content, part)
            } else {
                matches
            };
            match matches.as_slice() {
                [one] => {
                    dir.push(one);
                    continue;
                }
                [] => {}
                several => {
                    return Err(Error::Usage(format!(
                        "`{part}` may be any of {}: give the folder's whole name",
                        several
                            .iter()
                            .map(|n| format!("`{n}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )));
                }
            }
        }
        if !dir.join(part).is_dir() {
            new += 1;
        }
        dir.push(part);
    }
    Ok((dir, new))
}

/// Why a page named `slug` may not be written in its folder (`top`: the top of
/// `content/`): the generated file or folder it would take.
fn reserved(slug: &str, top: bool) -> Option<&'static str> {
    fn stem(name: &str) -> &str {
        name.trim_end_matches(".html")
    }
    match slug {
        "index" => Some("the page of its section"),
        "print" => Some("the print page mentorbook makes for every section"),
        _ if top
            && crate::site::layout::RESERVED
                .iter()
                .any(|r| !r.contains('<') && r.ends_with(".html") && stem(r) == slug) =>
        {
            Some("a file mentorbook generates (generated names are listed in the README, Output)")
        }
        _ => None,
    }
}

/// A page of `dir` whose output file is `<slug>.html`, as `NN-<slug>.md` or
/// `<slug>.md` are (any order number, any Markdown extension).
fn same_output(dir: &Path, slug: &str) -> Result<Option<PathBuf>> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(None);
    };
    for e in entries.filter_map(|e| e.ok()) {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some((stem, ext)) = name.rsplit_once('.') else {
            continue;
        };
        if !matches!(ext, "md" | "markdown" | "mdx") || stem.contains('.') {
            continue;
        }
        if slugify(split_numeric_prefix(stem).1) == slug && e.path().is_file() {
            return Ok(Some(e.path()));
        }
    }
    Ok(None)
}

/// A section's title from its folder name: `bien-demarrer` → `Bien demarrer`.
fn section_title(name: &str) -> String {
    let words = name.replace(['-', '_'], " ");
    let mut chars = words.trim().chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => "Section".into(),
    }
}
