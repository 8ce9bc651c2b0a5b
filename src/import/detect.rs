//! Which tool a folder of Markdown was written for, and what that tool's own
//! settings say (title, language, content folder, table of contents, base URL).
//!
//! The signs, in the order they are looked for: Docusaurus
//! (`docusaurus.config.*`, `sidebars.*`), MkDocs (`mkdocs.yml`), mdBook
//! (`book.toml`), Jupyter Book (`_toc.yml`), GitBook (`.gitbook.yaml`, or a
//! `SUMMARY.md`), Zola (`zola.toml`, or a `config.toml` beside `content/` with
//! Zola's keys: `base_url`, `default_language`…), Hugo (`hugo.toml`/`.yaml`/`.json`,
//! or a `config.toml` beside `content/`), Jekyll (`_config.yml`, `_layouts/`, a `Gemfile` naming Jekyll),
//! an Obsidian vault (`.obsidian/`), else a plain folder of Markdown files.

use std::path::Path;

/// A tool a handbook may come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// Docusaurus.
    Docusaurus,
    /// MkDocs (and MkDocs Material).
    MkDocs,
    /// mdBook.
    MdBook,
    /// Jupyter Book (MyST Markdown).
    JupyterBook,
    /// GitBook.
    GitBook,
    /// Hugo.
    Hugo,
    /// Zola.
    Zola,
    /// Jekyll (GitHub Pages, Just the Docs).
    Jekyll,
    /// An Obsidian vault.
    Obsidian,
    /// A folder of Markdown files.
    Markdown,
}

impl Dialect {
    /// The value of `imported_from:` (see [`crate::config::DIALECTS`]).
    pub fn key(self) -> &'static str {
        match self {
            Dialect::Docusaurus => "docusaurus",
            Dialect::MkDocs => "mkdocs",
            Dialect::MdBook => "mdbook",
            Dialect::JupyterBook => "jupyter-book",
            Dialect::GitBook => "gitbook",
            Dialect::Hugo => "hugo",
            Dialect::Zola => "zola",
            Dialect::Jekyll => "jekyll",
            Dialect::Obsidian => "obsidian",
            Dialect::Markdown => "markdown",
        }
    }

    /// The tool's name as people write it.
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Docusaurus => "Docusaurus",
            Dialect::MkDocs => "MkDocs",
            Dialect::MdBook => "mdBook",
            Dialect::JupyterBook => "Jupyter Book",
            Dialect::GitBook => "GitBook",
            Dialect::Hugo => "Hugo",
            Dialect::Zola => "Zola",
            Dialect::Jekyll => "Jekyll",
            Dialect::Obsidian => "Obsidian",
            Dialect::Markdown => "plain Markdown",
        }
    }
}

/// The first of `names` that is a file in `dir`.
pub fn first_file<'a>(dir: &Path, names: &[&'a str]) -> Option<&'a str> {
    names.iter().copied().find(|n| dir.join(n).is_file())
}

/// The tool `dir` was written for, and the file that tells.
pub fn detect(dir: &Path) -> (Dialect, Option<String>) {
    let found = |d: Dialect, f: &str| (d, Some(f.to_string()));
    if let Some(f) = first_file(
        dir,
        &[
            "docusaurus.config.js",
            "docusaurus.config.ts",
            "docusaurus.config.mjs",
            "docusaurus.config.cjs",
            "sidebars.js",
            "sidebars.ts",
            "sidebars.json",
        ],
    ) {
        return found(Dialect::Docusaurus, f);
    }
    if let Some(f) = first_file(dir, &["mkdocs.yml", "mkdocs.yaml"]) {
        return found(Dialect::MkDocs, f);
    }
    if let Some(f) = first_file(dir, &["book.toml"]) {
        return found(Dialect::MdBook, f);
    }
    if let Some(f) = first_file(dir, &["_toc.yml", "_toc.yaml"]) {
        return found(Dialect::JupyterBook, f);
    }
    if let Some(f) = first_file(dir, &[".gitbook.yaml", "SUMMARY.md"]) {
        return found(Dialect::GitBook, f);
    }
    if let Some(f) = first_file(dir, &["zola.toml"]) {
        return found(Dialect::Zola, f);
    }
    if dir.join("content").is_dir() && is_zola_config(&dir.join("config.toml")) {
        return found(Dialect::Zola, "config.toml");
    }
    if let Some(f) = first_file(dir, &["hugo.toml", "hugo.yaml", "hugo.json"]) {
        return found(Dialect::Hugo, f);
    }
    if dir.join("content").is_dir()
        && let Some(f) = first_file(dir, &["config.toml", "config.yaml"])
        && (dir.join("archetypes").is_dir()
            || dir.join("layouts").is_dir()
            || dir.join("themes").is_dir())
    {
        return found(Dialect::Hugo, f);
    }
    if let Some(f) = first_file(dir, &["_config.yml", "_config.yaml"]) {
        return found(Dialect::Jekyll, f);
    }
    if dir.join("_layouts").is_dir() {
        return found(Dialect::Jekyll, "_layouts/");
    }
    if std::fs::read_to_string(dir.join("Gemfile")).is_ok_and(|g| g.contains("jekyll")) {
        return found(Dialect::Jekyll, "Gemfile");
    }
    if dir.join(".obsidian").is_dir() {
        return found(Dialect::Obsidian, ".obsidian/");
    }
    (Dialect::Markdown, None)
}

/// Top-level keys only Zola's `config.toml` has (Hugo writes `baseURL`, never `base_url`).
const ZOLA_KEYS: &[&str] = &[
    "base_url",
    "default_language",
    "compile_sass",
    "build_search_index",
    "generate_feeds",
    "generate_feed",
];

/// Whether `path` is Zola's `config.toml`: one of `ZOLA_KEYS` set before the
/// first table. The lines are scanned, so a file TOML cannot parse still tells.
pub fn is_zola_config(path: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(path) else {
        return false;
    };
    text.lines()
        .map(str::trim)
        .take_while(|l| !l.starts_with('['))
        .filter_map(|l| l.split_once('='))
        .any(|(k, _)| ZOLA_KEYS.contains(&k.trim().trim_matches(['"', '\''])))
}

/// The first string value of `key` in a JavaScript or TypeScript config
/// (`title: 'Guide'`, `routeBasePath: "docs"`); good enough for literal values.
pub fn js_string(text: &str, key: &str) -> Option<String> {
    let mut rest = text;
    while let Some(i) = rest.find(key) {
        let before = rest[..i].chars().last();
        let after = rest[i + key.len()..].trim_start();
        rest = &rest[i + key.len()..];
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        let Some(after) = after
            .strip_prefix(':')
            .or_else(|| after.strip_prefix('='))
            .map(str::trim_start)
        else {
            continue;
        };
        let q = after.chars().next()?;
        if q == '\'' || q == '"' || q == '`' {
            let body = &after[1..];
            return body.find(q).map(|e| body[..e].to_string());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zola_is_told_from_hugo_by_its_keys() {
        let dir = tempfile::tempdir().expect("tmp");
        let root = dir.path();
        std::fs::create_dir(root.join("content")).expect("content");
        std::fs::create_dir(root.join("themes")).expect("themes");
        std::fs::write(
            root.join("config.toml"),
            "baseURL = \"https://x.org/\"\ntitle = \"T\"\n",
        )
        .expect("write");
        assert_eq!(detect(root).0, Dialect::Hugo);
        std::fs::write(
            root.join("config.toml"),
            "# Zola\ntitle = \"T\"\nbase_url = \"https://x.org/\"\n[extra]\nx = 1\n",
        )
        .expect("write");
        assert_eq!(detect(root).0, Dialect::Zola);
        // A key of a table is not Zola's top-level key.
        std::fs::write(root.join("config.toml"), "[params]\nbase_url = \"x\"\n").expect("write");
        assert_eq!(detect(root).0, Dialect::Hugo);
        std::fs::remove_file(root.join("config.toml")).expect("rm");
        std::fs::write(root.join("zola.toml"), "not toml [").expect("write");
        assert_eq!(detect(root), (Dialect::Zola, Some("zola.toml".into())));
    }

    #[test]
    fn a_vault_is_obsidian_s_unless_another_tool_builds_it() {
        let dir = tempfile::tempdir().expect("tmp");
        let root = dir.path();
        std::fs::write(root.join("Accueil.md"), "# Accueil\n").expect("write");
        assert_eq!(detect(root).0, Dialect::Markdown);
        std::fs::create_dir(root.join(".obsidian")).expect("vault");
        assert_eq!(detect(root), (Dialect::Obsidian, Some(".obsidian/".into())));
        // A vault kept inside an MkDocs site is built by MkDocs.
        std::fs::write(root.join("mkdocs.yml"), "site_name: Guide\n").expect("write");
        assert_eq!(detect(root).0, Dialect::MkDocs);
    }

    #[test]
    fn reads_literal_js_values() {
        let js = "const config = {\n  title: 'Guide du mentorat',\n  i18n: { defaultLocale: \"fr\" },\n  presets: [['classic', { docs: { routeBasePath: 'guide', sidebarPath: x } }]],\n};";
        assert_eq!(js_string(js, "title").as_deref(), Some("Guide du mentorat"));
        assert_eq!(js_string(js, "defaultLocale").as_deref(), Some("fr"));
        assert_eq!(js_string(js, "routeBasePath").as_deref(), Some("guide"));
        assert_eq!(js_string(js, "sidebarPath"), None);
        assert_eq!(js_string(js, "missing"), None);
    }
}
