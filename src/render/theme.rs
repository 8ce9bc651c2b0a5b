//! Theme files in three layers: the site's `templates/` and `static/`, then the
//! site's `themes/<name>/`, then the theme built into the binary. (A handbook
//! imported from Zola has no `templates/` layer: that folder is Zola's.)
//!
//! Templates are registered in Tera under three prefixes so that a lookup tries
//! the layers in order: `page.html` (site), `theme/page.html`, `builtin/page.html`.
//! A site template may `{% extends "builtin/page.html" %}` and override some blocks.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::config::Config;
use crate::diagnostic::Diagnostic;

/// The built-in themes, embedded in the binary.
pub static BUILTIN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes");

/// The guide to themes (`themes/README.md` of mentorbook's repository, built
/// in), which `mentorbook theme docs` prints and error messages point to.
pub fn guide() -> &'static str {
    BUILTIN
        .get_file("README.md")
        .and_then(|f| f.contents_utf8())
        .unwrap_or("")
}

/// The theme used when a site names a theme of its own without a built-in base.
pub const DEFAULT_THEME: &str = "default";

/// Where a static file comes from.
#[derive(Debug, Clone)]
pub enum StaticSource {
    /// Embedded in the binary.
    Embedded(&'static [u8]),
    /// A file on disk.
    Disk(PathBuf),
}

/// A template with the path users know it by.
#[derive(Debug, Clone)]
pub struct TemplateFile {
    /// The name registered in Tera (`page.html`, `theme/page.html`, `builtin/page.html`).
    pub name: String,
    /// The template text.
    pub source: String,
    /// The path shown in diagnostics.
    pub display: String,
}

/// Every file of the active theme, layers merged.
#[derive(Debug, Clone, Default)]
pub struct ThemeFiles {
    /// The theme's name.
    pub name: String,
    /// Templates of every layer (each layer under its own prefix), by registered name.
    pub templates: BTreeMap<String, TemplateFile>,
    /// Static files by output path; upper layers replace lower ones.
    pub statics: BTreeMap<String, StaticSource>,
    /// `theme.yaml` texts with their display paths, lowest layer first.
    pub theme_yamls: Vec<(String, String)>,
    /// UI strings files by language: (text, display path) for each layer, lowest first.
    pub i18n: BTreeMap<String, Vec<(String, String)>>,
}

/// The site's template folder as diagnostics name it, for template problems that
/// no single file can be blamed for.
pub fn site_templates_display() -> &'static str {
    "templates/"
}

/// Names of the built-in themes.
pub fn builtin_names() -> Vec<&'static str> {
    let mut v: Vec<&str> = BUILTIN
        .dirs()
        .filter(|d| d.get_file(d.path().join("theme.yaml")).is_some())
        .filter_map(|d| d.path().file_name()?.to_str())
        .collect();
    v.sort_unstable();
    v
}

/// Collects the theme layers for `config`.
pub fn load(config: &Config, diags: &mut Vec<Diagnostic>) -> ThemeFiles {
    let mut name = config.theme.name.clone();
    // An error at the theme's name in the configuration.
    let name_error = |message: String| {
        let (line, col) = config.key_lines.get("theme.name").unwrap_or((1, 1));
        Diagnostic::error(crate::config::CONFIG_FILE, line, col, message)
    };
    // A theme is a folder name, never a path: `../x` would read a theme from
    // elsewhere (and be refused as if it were a link leading out).
    if name.contains(['/', '\\']) || name == "." || name == ".." || name.is_empty() {
        diags.push(
            name_error(format!(
                "`{name}` is not a theme name: a theme is named by its folder in `themes/`"
            ))
            .with_help(format!(
                "put the theme's folder in the handbook's `themes/` and write its name (`name: maison` for `themes/maison/`), or use a built-in theme: {}",
                builtin_names().join(", ")
            )),
        );
        name = DEFAULT_THEME.to_string();
    }
    let site_theme = config.root.join("themes").join(&name);
    let builtin = BUILTIN.get_dir(&name).or_else(|| {
        site_theme
            .is_dir()
            .then(|| BUILTIN.get_dir(site_theme_base(config, &site_theme, &name, diags)))
            .flatten()
    });
    let mut files = ThemeFiles {
        name: name.clone(),
        ..Default::default()
    };
    let unknown = builtin.is_none() && !site_theme.is_dir();
    // An unknown theme is one error; the default theme stands in for it, so
    // that no template goes missing because of it.
    let builtin = if unknown {
        BUILTIN.get_dir(DEFAULT_THEME)
    } else {
        builtin
    };
    if unknown {
        diags.push(name_error(format!("unknown theme `{name}`")).with_help({
            // The site's own themes count too (`acm` for `themes/acme/`).
            let mut names: Vec<String> = builtin_names().iter().map(|n| n.to_string()).collect();
            if let Ok(entries) = std::fs::read_dir(config.root.join("themes")) {
                let mut own: Vec<String> = entries
                    .filter_map(|e| e.ok())
                    .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect();
                own.sort();
                names.extend(own);
            }
            let list: Vec<&str> = names.iter().map(String::as_str).collect();
            match crate::diagnostic::did_you_mean(&name, &list) {
                Some(s) => format!("did you mean `{s}`? (themes: {})", list.join(", ")),
                None => format!("themes: {}; or create `themes/{name}/`", list.join(", ")),
            }
        }));
    }
    if let Some(dir) = builtin {
        for d in builtin_chain(dir) {
            add_embedded(&mut files, d);
        }
    }
    if site_theme.is_dir() {
        let display = format!("themes/{name}");
        match config.confine.check(&site_theme) {
            Ok(_) => add_disk(&mut files, config, &site_theme, &display, "theme/", diags),
            Err(r) => diags.push(r.diagnostic(&display, &config.confine)),
        }
    }
    // A Zola site's `templates/` holds Zola's own Tera templates (`page.html`,
    // `section.html`…, names of ours): they are not the handbook's.
    if config.imported_from.as_deref() != Some("zola") {
        add_disk_templates(
            &mut files,
            config,
            &config.root.join("templates"),
            "templates",
            "",
            diags,
        );
    }
    // `static/`, or the folders of `static:` (copied to the root of the output).
    for (dir, _) in &config.sources.statics {
        add_disk_static(&mut files, config, dir, diags);
    }
    files
}

/// The built-in theme a site theme builds on: the one its `theme.yaml` names with
/// `extends:`, else `default`. A name that is no built-in theme is an error at
/// its line (and `default` stands in).
fn site_theme_base(
    config: &Config,
    dir: &std::path::Path,
    name: &str,
    diags: &mut Vec<Diagnostic>,
) -> String {
    let shown = format!("themes/{name}/theme.yaml");
    let Some(Ok(text)) = config
        .confine
        .read_optional(&dir.join("theme.yaml"), &shown, diags)
    else {
        return DEFAULT_THEME.to_string();
    };
    // Read as the manifest it is (a broken one is reported when the theme's
    // manifests are merged, and builds on `default` meanwhile).
    let Some(base) = crate::render::vars::parse_manifest(&text, &shown)
        .ok()
        .and_then(|m| m.extends)
    else {
        return DEFAULT_THEME.to_string();
    };
    let names = builtin_names();
    if names.contains(&base.as_str()) {
        return base;
    }
    let (line, col) = crate::yaml::KeyLines::scan(&text, 1)
        .get("extends")
        .unwrap_or((1, 1));
    let d = Diagnostic::error(
        &shown,
        line,
        col + "extends: ".len(),
        format!("`extends: {base}`: a site theme builds on a built-in theme, and `{base}` is none"),
    );
    diags.push(match crate::diagnostic::did_you_mean(&base, &names) {
        Some(s) => d.with_help(format!("did you mean `extends: {s}`?")),
        None => d.with_help(format!("built-in themes: {}", names.join(", "))),
    });
    DEFAULT_THEME.to_string()
}

/// A built-in theme and the themes it extends (`extends:` in its theme.yaml), base first.
fn builtin_chain(dir: &'static Dir<'static>) -> Vec<&'static Dir<'static>> {
    let mut chain = vec![dir];
    while chain.len() < 4 {
        let Some(last) = chain.last() else { break };
        let parent = last
            .get_file(last.path().join("theme.yaml"))
            .and_then(|f| f.contents_utf8())
            .and_then(|t| t.lines().find_map(|l| l.strip_prefix("extends:")))
            .map(|p| p.trim().trim_matches('"').trim_matches('\'').to_string());
        match parent.and_then(|p| BUILTIN.get_dir(p)) {
            Some(p) if !chain.iter().any(|c| c.path() == p.path()) => chain.push(p),
            _ => break,
        }
    }
    chain.reverse();
    chain
}

fn add_embedded(files: &mut ThemeFiles, dir: &'static Dir<'static>) {
    let base = dir.path().to_path_buf();
    let theme_name = base.display().to_string();
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        stack.extend(d.dirs());
        for f in d.files() {
            let Ok(rel) = f.path().strip_prefix(&base) else {
                continue;
            };
            let rel = crate::fs::slash_path(rel);
            let display = format!("(built-in theme) {theme_name}/{rel}");
            if let Some(t) = rel.strip_prefix("templates/") {
                if let Some(text) = f.contents_utf8() {
                    let name = format!("builtin/{t}");
                    files.templates.insert(
                        name.clone(),
                        TemplateFile {
                            name,
                            source: text.to_string(),
                            display,
                        },
                    );
                }
            } else if let Some(s) = rel.strip_prefix("static/") {
                files
                    .statics
                    .insert(s.to_string(), StaticSource::Embedded(f.contents()));
            } else if rel == "theme.yaml" {
                if let Some(t) = f.contents_utf8() {
                    files.theme_yamls.push((t.to_string(), display));
                }
            } else if let Some(lang) = rel
                .strip_prefix("i18n/")
                .and_then(|l| l.strip_suffix(".yaml"))
                && let Some(text) = f.contents_utf8()
            {
                files
                    .i18n
                    .entry(lang.to_string())
                    .or_default()
                    .push((text.to_string(), display));
            }
        }
    }
}

fn add_disk(
    files: &mut ThemeFiles,
    config: &Config,
    dir: &Path,
    display: &str,
    prefix: &str,
    diags: &mut Vec<Diagnostic>,
) {
    add_disk_templates(
        files,
        config,
        &dir.join("templates"),
        &format!("{display}/templates"),
        prefix,
        diags,
    );
    add_disk_static(files, config, &dir.join("static"), diags);
    let yaml = dir.join("theme.yaml");
    let shown = format!("{display}/theme.yaml");
    match config.confine.read_optional(&yaml, &shown, diags) {
        Some(Ok(t)) => files.theme_yamls.push((t, shown)),
        Some(Err(e)) => diags.push(read_error(shown, &e)),
        None => {}
    }
    for (path, rel) in list_files(config, &dir.join("i18n"), diags) {
        if let Some(lang) = rel.strip_suffix(".yaml") {
            match std::fs::read_to_string(&path) {
                Ok(t) => files
                    .i18n
                    .entry(lang.to_string())
                    .or_default()
                    .push((t, format!("{display}/i18n/{rel}"))),
                Err(e) => diags.push(read_error(format!("{display}/i18n/{rel}"), &e)),
            }
        }
    }
}

fn add_disk_templates(
    files: &mut ThemeFiles,
    config: &Config,
    dir: &Path,
    display: &str,
    prefix: &str,
    diags: &mut Vec<Diagnostic>,
) {
    for (path, rel) in list_files(config, dir, diags) {
        let shown = format!("{display}/{rel}");
        match std::fs::read_to_string(&path) {
            Ok(source) => {
                let name = format!("{prefix}{rel}");
                files.templates.insert(
                    name.clone(),
                    TemplateFile {
                        name,
                        source,
                        display: shown,
                    },
                );
            }
            Err(e) => diags.push(read_error(shown, &e)),
        }
    }
}

fn add_disk_static(
    files: &mut ThemeFiles,
    config: &Config,
    dir: &Path,
    diags: &mut Vec<Diagnostic>,
) {
    for (path, rel) in list_files(config, dir, diags) {
        files.statics.insert(rel, StaticSource::Disk(path));
    }
}

/// Every file under `dir` that the confinement rule allows (none if it does
/// not exist), with its `/`-separated relative path.
fn list_files(config: &Config, dir: &Path, diags: &mut Vec<Diagnostic>) -> Vec<(PathBuf, String)> {
    let display = |p: &Path| crate::content::walk::display_rel(p, &config.root);
    config
        .confine
        .walk(
            dir,
            &|rel| crate::content::walk::is_ignored_name(rel.rsplit('/').next().unwrap_or(rel)),
            &display,
            diags,
        )
        .into_iter()
        .map(|e| (e.path, e.rel))
        .collect()
}

/// A file of the theme that could not be read as text.
fn read_error(shown: String, e: &std::io::Error) -> Diagnostic {
    let d = Diagnostic::error(shown, 0, 0, format!("cannot read: {e}"));
    if e.kind() == std::io::ErrorKind::InvalidData {
        d.with_help("save it as UTF-8 text")
    } else {
        d
    }
}

/// The themes `mentorbook theme list` shows: the handbook's own (folders of
/// `root/themes/` holding a `theme.yaml`, with what they build on), then the
/// built-in ones, each with its variables; `active` is marked.
pub fn describe(root: Option<&Path>, active: Option<&str>) -> String {
    let mut out = String::new();
    let mark = |name: &str| {
        if Some(name) == active {
            " (in use)"
        } else {
            ""
        }
    };
    let mut own = Vec::new();
    if let Some(dir) = root.map(|r| r.join("themes"))
        && let Ok(entries) = std::fs::read_dir(&dir)
    {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let yaml = e.path().join("theme.yaml");
            if e.path().is_dir() && yaml.is_file() {
                own.push((name, yaml));
            }
        }
    }
    own.sort();
    if !own.is_empty() {
        out.push_str("This handbook's themes (themes/):\n");
        for (name, yaml) in &own {
            // A site theme is layered over the built-in theme of the same name, or `default`.
            let base = BUILTIN
                .get_dir(name.as_str())
                .filter(|_| builtin_names().contains(&name.as_str()))
                .map_or(DEFAULT_THEME, |_| name.as_str());
            let mut manifest = builtin_manifest(base);
            let text = crate::fs::read_to_string(yaml).unwrap_or_default();
            match crate::render::vars::parse_manifest(&text, name) {
                Ok(m) => manifest.merge(m),
                Err(d) => out.push_str(&format!("  ({d})\n")),
            }
            out.push_str(&format!(
                "{name}{}: {} [over the built-in `{base}`]\n",
                mark(name),
                manifest.description
            ));
            push_variables(&mut out, &manifest);
        }
        out.push_str("\nBuilt-in themes:\n");
    }
    for name in builtin_names() {
        let shadowed = own.iter().any(|(n, _)| n == name);
        let manifest = builtin_manifest(name);
        out.push_str(&format!(
            "{name}{}: {}\n",
            if shadowed { "" } else { mark(name) },
            manifest.description
        ));
        push_variables(&mut out, &manifest);
    }
    out
}

/// A built-in theme's manifest, merged with those of the themes it extends.
fn builtin_manifest(name: &str) -> crate::render::vars::ThemeManifest {
    let mut manifest = crate::render::vars::ThemeManifest::default();
    if let Some(dir) = BUILTIN.get_dir(name) {
        for d in builtin_chain(dir) {
            if let Some(text) = d
                .get_file(d.path().join("theme.yaml"))
                .and_then(|f| f.contents_utf8())
                && let Ok(m) = crate::render::vars::parse_manifest(text, name)
            {
                manifest.merge(m);
            }
        }
    }
    manifest
}

fn push_variables(out: &mut String, manifest: &crate::render::vars::ThemeManifest) {
    // Columns as wide as the longest name (`print_page_numbers`), so they line up.
    let width = manifest
        .variables
        .keys()
        .map(|k| k.chars().count())
        .max()
        .unwrap_or(0)
        .max(13);
    let indent = " ".repeat(2 + width + 1 + 6 + 1);
    for (var, decl) in &manifest.variables {
        let default = if decl.default.is_empty() {
            "(empty)".to_string()
        } else {
            decl.default.clone()
        };
        out.push_str(&format!(
            "  {var:<width$} {:<6} default {default}\n{indent}{}\n",
            format!("{:?}", decl.ty).to_lowercase(),
            decl.description
        ));
    }
}

/// Copies a built-in theme (with the themes it extends, merged) into
/// `root/themes/<to>/` for deep changes (`to` is `name` unless the copy gets a
/// name of its own: `theme eject corporate --as acme`). Returns the folder and
/// the number of files.
pub fn eject(
    root: &Path,
    name: &str,
    to: &str,
    force: bool,
) -> crate::error::Result<(PathBuf, usize)> {
    if to.is_empty()
        || to.starts_with('.')
        || !to
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(crate::error::Error::Usage(format!(
            "`{to}` cannot be a theme name: use letters, digits, `-` and `_` (it becomes the folder `themes/{to}/`)"
        )));
    }
    let Some(dir) = BUILTIN
        .get_dir(name)
        .filter(|_| builtin_names().contains(&name))
    else {
        return Err(crate::error::Error::Usage(format!(
            "no built-in theme `{name}`; built-in themes: {}",
            builtin_names().join(", ")
        )));
    };
    let target = root.join("themes").join(to);
    if target.exists() && !force {
        return Err(crate::error::Error::Usage(format!(
            "`{}` already exists; pass --force to overwrite the files it has in common with the built-in theme",
            target.display()
        )));
    }
    let mut files: BTreeMap<String, &'static [u8]> = BTreeMap::new();
    for d in builtin_chain(dir) {
        let base = d.path().to_path_buf();
        let mut stack = vec![d];
        while let Some(x) = stack.pop() {
            stack.extend(x.dirs());
            for f in x.files() {
                if let Ok(rel) = f.path().strip_prefix(&base) {
                    files.insert(crate::fs::slash_path(rel), f.contents());
                }
            }
        }
    }
    // The merged theme stands alone: drop the `extends:` line of the ejected theme.yaml.
    let manifest = files.get("theme.yaml").map(|b| {
        String::from_utf8_lossy(b)
            .lines()
            .filter(|l| !l.starts_with("extends:"))
            .collect::<Vec<_>>()
            .join("\n")
            + "\n"
    });
    for (rel, bytes) in &files {
        let path = target.join(rel);
        match (rel.as_str(), &manifest) {
            ("theme.yaml", Some(m)) => crate::fs::write(&path, m.as_bytes())?,
            _ => crate::fs::write(&path, bytes)?,
        }
    }
    Ok((target, files.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every literal `id="…"` of the built-in templates is one the headings avoid.
    #[test]
    fn every_theme_id_is_reserved_for_headings() {
        let mut found = Vec::new();
        let mut stack = vec![&BUILTIN];
        while let Some(d) = stack.pop() {
            stack.extend(d.dirs());
            for f in d.files() {
                let Some(text) = f.contents_utf8() else {
                    continue;
                };
                for (i, _) in text.match_indices("id=\"") {
                    let rest = &text[i + 4..];
                    let value = &rest[..rest.find('"').unwrap_or(0)];
                    if !value.is_empty() && !value.contains('{') {
                        found.push(value.to_string());
                    }
                }
            }
        }
        assert!(found.iter().any(|id| id == "mb-main"), "{found:?}");
        for id in &found {
            assert!(
                crate::markdown::headings::THEME_IDS.contains(&id.as_str()),
                "`{id}` of a built-in template is missing from THEME_IDS"
            );
        }
    }
}
