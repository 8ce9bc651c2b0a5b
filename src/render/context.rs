//! The values templates receive. The field names here are the theme API:
//! they are documented in `themes/README.md`; renaming one breaks themes.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::content::{Content, Node, Page, SectionId};
use crate::markdown::Heading;

/// `site`: the handbook as a whole.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    /// Handbook title.
    pub title: String,
    /// Handbook description.
    pub description: Option<String>,
    /// Default language.
    pub lang: String,
    /// Public URL, when configured.
    pub base_url: Option<String>,
    /// Paper size for print (`A4` or `letter`).
    pub paper: String,
    /// Programme name for worksheet headers (theme variable `programme`, else the title).
    pub programme: String,
    /// Whether the search index is built.
    pub search: bool,
    /// Whether print pages are built.
    pub print: bool,
    /// Whether the whole-handbook `print.html` is built (not above 2,000 pages).
    pub print_handbook: bool,
    /// Whether the handbook has worksheets (and so `worksheets/index.html`).
    pub worksheets: bool,
    /// Whether there is a programme timeline (`timeline.html`).
    pub timeline: bool,
    /// Audiences with a print edition (`editions/<audience>/print.html`); empty when none.
    pub editions: Vec<&'static str>,
    /// Theme variable values by name.
    pub theme: BTreeMap<String, String>,
    /// Stylesheets to link, in order (output paths).
    pub stylesheets: Vec<String>,
    /// The site's own stylesheets (`extra_css`), linked after the theme's.
    pub extra_css: Vec<String>,
    /// The site's own scripts (`extra_js`), loaded after the theme's.
    pub extra_js: Vec<String>,
    /// The theme's name.
    pub theme_name: String,
    /// Prefix of this language's pages (`en/`), empty for the default language:
    /// the home page is `{{ root }}{{ site.prefix }}index.html`.
    pub prefix: String,
    /// `mentorbook` and its version.
    pub generator: String,
}

/// A link to a page: `{title, url}`; `url` is relative to the site root.
#[derive(Debug, Clone, Serialize)]
pub struct LinkView {
    /// Link text.
    pub title: String,
    /// Output path relative to the site root.
    pub url: String,
}

/// One entry of the navigation tree.
#[derive(Debug, Clone, Serialize)]
pub struct NavItem {
    /// Entry text.
    pub title: String,
    /// Output path relative to the site root.
    pub url: String,
    /// The URL from the page being rendered (empty in the tree `nav.js` holds).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub href: String,
    /// `page` or `section`.
    pub kind: &'static str,
    /// Whether the entry is a worksheet.
    pub worksheet: bool,
    /// Session number, for worksheets.
    pub session: Option<u32>,
    /// Who the page is for (`mentor`, `mentee`, `lead`), when not everyone.
    pub audience: Option<&'static str>,
    /// Whether the section has entries (even when `children` is left empty to keep pages small).
    pub has_children: bool,
    /// Sub-entries (sections only).
    pub children: Vec<NavItem>,
}

/// `page`: the page being rendered.
#[derive(Debug, Clone, Serialize)]
pub struct PageView<'a> {
    /// Title.
    pub title: &'a str,
    /// Description.
    pub description: Option<&'a str>,
    /// Output path relative to the site root.
    pub url: &'a str,
    /// Source file relative to the site root.
    pub source: &'a str,
    /// `page` or `worksheet`.
    pub kind: &'static str,
    /// The first part of the names of its fillable fields (`seance-3`), which key
    /// the answers saved on screen and the PDF's form fields.
    pub form: String,
    /// Whether this is a section's index.
    pub is_index: bool,
    /// Whether this is the home page.
    pub is_home: bool,
    /// The title is already a `# ` heading in the content.
    pub title_in_body: bool,
    /// Session number.
    pub session: Option<u32>,
    /// Duration as written.
    pub duration: Option<&'a str>,
    /// `mentor`, `mentee`, `lead`, `all`, or none.
    pub audience: Option<&'static str>,
    /// Objectives.
    pub objectives: &'a [String],
    /// Language.
    pub lang: &'a str,
    /// Free front-matter values under `extra:`.
    pub extra: &'a BTreeMap<String, serde_yaml::Value>,
    /// URLs of the sections containing this page (for opening the navigation).
    pub ancestors: Vec<String>,
    /// This page in every language of the handbook (empty on a one-language handbook).
    pub translations: Vec<TranslationView>,
}

/// One language of a multilingual handbook, for the language switcher and `hreflang`.
#[derive(Debug, Clone, Serialize)]
pub struct TranslationView {
    /// Language code (`fr`, `en`).
    pub code: String,
    /// Language name, in that language (`Français`, `English`).
    pub name: String,
    /// The page in that language, or that language's home page when it is not translated.
    pub url: String,
    /// Whether this is the page's own language.
    pub current: bool,
    /// Whether the page exists in that language.
    pub exists: bool,
}

/// The translations of the page whose path without language suffix is `key`
/// (a section folder ends with `/`).
pub fn translations(content: &Content, key: &str) -> Vec<TranslationView> {
    let Some(langs) = content.languages.as_ref() else {
        return Vec::new();
    };
    let outs = langs.pages.get(key);
    langs
        .list
        .iter()
        .enumerate()
        .map(|(i, (code, name, home))| {
            let found = outs.and_then(|o| o.get(i)).and_then(Clone::clone);
            TranslationView {
                code: code.clone(),
                name: name.clone(),
                exists: found.is_some(),
                url: found.unwrap_or_else(|| home.clone()),
                current: content.lang == *code,
            }
        })
        .collect()
}

/// The translations of a generated page (print pages, worksheet index): the same
/// path under each language's prefix.
pub fn special_translations(content: &Content, out: &str) -> Vec<TranslationView> {
    let Some(langs) = content.languages.as_ref() else {
        return Vec::new();
    };
    let bare = out.strip_prefix(content.prefix.as_str()).unwrap_or(out);
    langs
        .list
        .iter()
        .map(|(code, name, home)| {
            let prefix = home.strip_suffix("index.html").unwrap_or("");
            TranslationView {
                code: code.clone(),
                name: name.clone(),
                url: format!("{prefix}{bare}"),
                current: content.lang == *code,
                exists: true,
            }
        })
        .collect()
}

/// An entry of a section listing.
#[derive(Debug, Clone, Serialize)]
pub struct ChildView<'a> {
    /// Title.
    pub title: &'a str,
    /// Output path relative to the site root.
    pub url: &'a str,
    /// Description.
    pub description: Option<&'a str>,
    /// `page`, `worksheet` or `section`.
    pub kind: &'static str,
    /// Session number.
    pub session: Option<u32>,
}

/// A table-of-contents entry (levels 2 and 3).
pub type TocItem = Heading;

/// The audience's name, for templates and CSS classes.
pub fn audience_name(a: crate::content::Audience) -> &'static str {
    use crate::content::Audience::*;
    match a {
        Mentor => "mentor",
        Mentee => "mentee",
        Lead => "lead",
        All => "all",
    }
}

impl<'a> PageView<'a> {
    /// The view of `page`.
    pub fn new(content: &Content, page: &'a Page) -> Self {
        // Only the sections the navigation can show (see `nav::NAV_DEPTH`):
        // the list stays short however deep the folders go.
        let mut ancestors = Vec::new();
        let mut s = Some(page.section);
        while let Some(sid) = s {
            if content.sections[sid].depth <= crate::render::nav::NAV_DEPTH {
                ancestors.push(content.pages[content.sections[sid].index].out.to_string());
            }
            s = content.sections[sid].parent;
        }
        ancestors.reverse();
        let key = if page.rel.is_empty() {
            format!("{}/", content.sections[page.section].rel_dir)
        } else {
            page.rel.clone()
        };
        Self {
            title: &page.title,
            description: page.fm.description.as_deref(),
            url: &page.out,
            source: &page.source,
            kind: if page.is_worksheet() {
                "worksheet"
            } else {
                "page"
            },
            form: page.out.form_name(),
            is_index: page.is_index,
            is_home: page.is_index && page.section == 0,
            title_in_body: page.title_in_body,
            session: page.fm.session,
            duration: page.fm.duration.as_deref(),
            audience: page.fm.audience.map(audience_name),
            objectives: &page.fm.objectives,
            lang: &page.lang,
            extra: &page.fm.extra,
            ancestors,
            translations: translations(content, &key),
        }
    }
}

/// At most this many breadcrumbs: home, then the nearest enclosing sections.
pub const BREADCRUMB_LIMIT: usize = 8;

/// The breadcrumbs of a page: home, then each enclosing section (the page
/// itself excluded); past [`BREADCRUMB_LIMIT`], home and the nearest sections
/// only, so that a page's size does not grow with the square of its depth.
pub fn breadcrumbs(content: &Content, page: &Page) -> Vec<LinkView> {
    let view = |sid: SectionId| {
        let idx = &content.pages[content.sections[sid].index];
        LinkView {
            title: idx.title.clone(),
            url: idx.out.to_string(),
        }
    };
    let mut chain = Vec::new();
    let mut s = Some(page.section);
    while let Some(sid) = s {
        let parent = content.sections[sid].parent;
        let is_self = content.sections[sid].index == page.id;
        if !is_self && (parent.is_none() || chain.len() + 1 < BREADCRUMB_LIMIT) {
            chain.push(view(sid));
        }
        s = parent;
    }
    chain.reverse();
    chain
}

/// The entries of a section, for its index page.
pub fn children(content: &Content, sid: SectionId) -> Vec<ChildView<'_>> {
    content.sections[sid]
        .children
        .iter()
        .map(|n| match *n {
            Node::Page(p) => {
                let p = &content.pages[p];
                ChildView {
                    title: &p.title,
                    url: &p.out,
                    description: p.fm.description.as_deref(),
                    kind: if p.is_worksheet() {
                        "worksheet"
                    } else {
                        "page"
                    },
                    session: p.fm.session,
                }
            }
            Node::Section(s) => {
                let p = &content.pages[content.sections[s].index];
                ChildView {
                    title: &p.title,
                    url: &p.out,
                    description: p.fm.description.as_deref(),
                    kind: "section",
                    session: None,
                }
            }
        })
        .collect()
}
