//! Pages → HTML through the theme's Tera templates.
//!
//! [`Theme`] holds what does not depend on the content or the language
//! (templates, parsed once per build; static files; variables); [`Ui`] holds one
//! language's UI strings; [`SiteContext`] holds the values shared by every page
//! of one language (site, navigation); [`Theme::render_page`] renders one page.

pub mod blocks;
pub mod context;
pub mod hooks;
pub mod i18n;
pub mod nav;
pub mod theme;
pub mod vars;

use std::collections::{BTreeMap, HashMap};

use tera::{Context, Tera, Value};

use crate::config::Config;
use crate::content::{Content, Page, PageId};
use crate::diagnostic::Diagnostic;
use crate::markdown::Heading;
use crate::urls;

use context::{LinkView, PageView, SiteView};
pub use theme::StaticSource;

/// The loaded theme: templates, static files, variables, and the UI string files.
pub struct Theme {
    tera: Tera,
    displays: HashMap<String, String>,
    i18n: BTreeMap<String, Vec<(String, String)>>,
    /// Resolved theme variables.
    pub vars: vars::ThemeVars,
    /// Static files by output path.
    pub statics: BTreeMap<String, StaticSource>,
    /// The manifest (`theme.yaml`) of the theme.
    pub manifest: vars::ThemeManifest,
}

impl std::fmt::Debug for Theme {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Theme")
            .field("statics", &self.statics.len())
            .finish_non_exhaustive()
    }
}

/// One language's UI strings, and the same strings as a template value (`t`).
#[derive(Debug, Clone)]
pub struct Ui {
    /// The strings.
    pub strings: i18n::Strings,
    /// The `t` template value, made once.
    pub value: Value,
}

impl Ui {
    /// The string for `key`.
    pub fn get(&self, key: &str) -> String {
        self.strings.get(key)
    }
}

/// The page body and what the page template shows beside it.
#[derive(Debug, Clone, Copy)]
pub struct Body<'a> {
    /// The page's HTML, serialised for the web page.
    pub html: &'a str,
    /// The page's headings (levels 2 and 3 make the table of contents).
    pub headings: &'a [Heading],
}

impl Theme {
    /// Loads the theme layers for `config`. Problems are pushed to `diags`; `None`
    /// when templates cannot be used at all.
    pub fn load(config: &Config, diags: &mut Vec<Diagnostic>) -> Option<Self> {
        let files = theme::load(config, diags);
        let mut manifest = vars::ThemeManifest::default();
        let statics = files.statics.clone();
        for (text, display) in &files.theme_yamls {
            match vars::parse_manifest(text, display) {
                Ok(m) => {
                    // A site theme's own manifest is checked as the site's values are:
                    // its defaults against their types, its stylesheets against its files.
                    if display.starts_with("themes/") {
                        vars::check_manifest(
                            &m,
                            text,
                            display,
                            &|p| statics.contains_key(p),
                            diags,
                        );
                    }
                    manifest.merge(m);
                }
                Err(d) => diags.push(d),
            }
        }
        let vars = vars::resolve(&manifest, config, &|p| statics.contains_key(p), diags);
        check_extra_files(config, &statics, diags);

        let mut tera = Tera::new();
        tera.register_filter("css_string", css_string);
        tera.register_filter("plural", i18n::plural_filter);
        if let Err(e) = tera.set_fallback_prefixes(["theme/", "builtin/"]) {
            diags.push(Diagnostic::error(
                theme::site_templates_display(),
                0,
                0,
                e.to_string(),
            ));
            return None;
        }
        let displays: HashMap<String, String> = files
            .templates
            .values()
            .map(|t| (t.name.clone(), t.display.clone()))
            .collect();
        let all = files
            .templates
            .values()
            .map(|t| (t.name.as_str(), t.source.as_str()));
        if let Err(e) = tera.add_raw_templates(all) {
            diags.extend(tera_diagnostics(&e, &displays));
            return None;
        }
        Some(Self {
            tera,
            displays,
            i18n: files.i18n,
            vars,
            statics,
            manifest,
        })
    }

    /// The UI strings of the language `config` is the view of (see
    /// [`Config::for_language`]), with its `i18n:` overrides last, checked.
    pub fn ui(&self, config: &Config, diags: &mut Vec<Diagnostic>) -> Ui {
        let strings = i18n::Strings::load(&self.i18n, config, diags);
        let value = Value::from_serializable(strings.all());
        Ui { strings, value }
    }

    /// Whether a template exists in any layer.
    pub fn has_template(&self, name: &str) -> bool {
        self.tera.get_template_names().any(|n| {
            n == name
                || n.strip_prefix("theme/") == Some(name)
                || n.strip_prefix("builtin/") == Some(name)
        })
    }

    /// Renders a template with a context, mapping errors to diagnostics.
    pub fn render(&self, name: &str, ctx: &Context) -> Result<String, Diagnostic> {
        self.tera
            .render(name, ctx)
            .map_err(|e| tera_diagnostic(&e, &self.displays))
    }

    /// Runs a template without keeping its output (`check`): only its errors count.
    pub fn run(&self, name: &str, ctx: &Context) -> Result<(), Diagnostic> {
        self.tera
            .render_to(name, ctx, std::io::sink())
            .map_err(|e| tera_diagnostic(&e, &self.displays))
    }

    /// Renders a template, or only runs it when `keep` is false (the result is then empty).
    pub fn render_or_run(
        &self,
        name: &str,
        ctx: &Context,
        keep: bool,
    ) -> Result<String, Diagnostic> {
        if keep {
            self.render(name, ctx)
        } else {
            self.run(name, ctx).map(|()| String::new())
        }
    }

    /// Renders a template into bytes, in a buffer of `capacity` bytes to begin
    /// with (a page is its body and a few kilobytes: one allocation instead of a
    /// buffer doubled again and again, and no pass checking that it is UTF-8,
    /// which it is by construction, as every file is written as bytes).
    pub fn render_bytes(
        &self,
        name: &str,
        ctx: &Context,
        capacity: usize,
    ) -> Result<Vec<u8>, Diagnostic> {
        let mut out = Vec::with_capacity(capacity);
        self.tera
            .render_to(name, ctx, &mut out)
            .map_err(|e| tera_diagnostic(&e, &self.displays))?;
        Ok(out)
    }

    /// Renders one page of the handbook (or only runs its template, when `keep` is
    /// false, giving nothing), as the bytes of its file.
    pub fn render_page(
        &self,
        site: &SiteContext,
        content: &Content,
        page: &Page,
        body: Body<'_>,
        keep: bool,
    ) -> Result<Vec<u8>, Diagnostic> {
        let capacity = body.html.len() + PAGE_FRAME;
        let (template, ctx) = self.page_context(site, content, page, body)?;
        let done = if keep {
            self.render_bytes(template, &ctx, capacity)
        } else {
            self.run(template, &ctx).map(|()| Vec::new())
        };
        // A template error that only some pages' values cause (`page.extra.x`
        // missing on one) names a page that causes it.
        done.map_err(|mut d| {
            let met = format!("met rendering the page of `{}`", page.source);
            d.help = Some(match d.help.take() {
                Some(h) => format!("{h} ({met})"),
                None => met,
            });
            d
        })
    }

    /// The template and context of a page.
    pub fn page_context(
        &self,
        site: &SiteContext,
        content: &Content,
        page: &Page,
        body: Body<'_>,
    ) -> Result<(&'static str, Context), Diagnostic> {
        let mut ctx = site.base_context(&page.out);
        ctx.insert("page", &PageView::new(content, page));
        ctx.insert("content", body.html);
        let toc: Vec<_> = body
            .headings
            .iter()
            .filter(|h| (2..=3).contains(&h.level))
            .collect();
        ctx.insert("toc", &toc);
        ctx.insert("breadcrumbs", &context::breadcrumbs(content, page));
        ctx.insert_value("nav", site.nav.fallback_value(page.section, &page.out));
        ctx.insert("nav_html", &site.nav_html(self, page.section, &page.out)?);
        let pos = site.position(content, page.id);
        let link = |i: usize| {
            let p = &content.pages[content.order[i]];
            LinkView {
                title: p.title.clone(),
                url: p.out.to_string(),
            }
        };
        ctx.insert("prev", &pos.and_then(|i| i.checked_sub(1)).map(link));
        ctx.insert(
            "next",
            &pos.filter(|&i| i + 1 < content.order.len())
                .map(|i| link(i + 1)),
        );
        if page.is_index {
            ctx.insert("children", &context::children(content, page.section));
        } else {
            ctx.insert("children", &Vec::<()>::new());
        }
        let template = if page.is_index && page.section == 0 {
            "index.html"
        } else if page.is_index {
            "section.html"
        } else if page.is_worksheet() {
            "worksheet.html"
        } else {
            "page.html"
        };
        Ok((template, ctx))
    }
}

/// Each page's place in the reading order of `content`, by page id.
fn positions(content: &Content) -> Vec<usize> {
    let mut at = vec![usize::MAX; content.pages.len()];
    for (i, &id) in content.order.iter().enumerate() {
        // The first place, as `Content::position` finds it.
        if let Some(slot) = at.get_mut(id).filter(|s| **s == usize::MAX) {
            *slot = i;
        }
    }
    at
}

/// Bytes a page's template adds around its body (head, header, navigation
/// fallback, footer), about: the first size of the buffer a page renders into.
const PAGE_FRAME: usize = 16 * 1024;

/// The `css_string` filter: a text as a quoted CSS string, for `content:` in
/// print rules (`{{ title | css_string | safe }}`): backslashes, quotes and `<`
/// escaped, line breaks made spaces.
fn css_string(value: tera::StringInput, _: tera::Kwargs, _: &tera::State) -> String {
    let mut out = String::with_capacity(value.as_str().len() + 2);
    out.push('"');
    for c in value.as_str().chars() {
        match c {
            '\\' => out.push_str("\\5C "),
            '"' => out.push_str("\\22 "),
            '<' => out.push_str("\\3C "),
            '\r' | '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// What the site plan decided a language gets, for templates (`site.*`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Generated {
    /// The programme name printed on worksheets, kits and the calendar.
    pub programme: String,
    /// Whether print pages are built.
    pub print: bool,
    /// Whether the whole-handbook `print.html` is built.
    pub print_handbook: bool,
    /// Whether `worksheets/index.html` is built.
    pub worksheets: bool,
    /// Whether `timeline.html` is built.
    pub timeline: bool,
    /// Audiences with a print edition.
    pub editions: Vec<&'static str>,
}

/// The UI strings `nav.js` carries for the theme's scripts (the search box reads
/// its texts there, so that pages need not carry them).
const NAV_SCRIPT_STRINGS: &[&str] = &[
    "home",
    "nav_toggle",
    "search_no_results",
    "search_count",
    "search_show_all",
    "search_worksheet",
    "search_unavailable",
];

/// Values shared by all pages of one build.
pub struct SiteContext {
    site: Value,
    t: Value,
    theme_css: String,
    nav: nav::Nav,
    specials: Vec<context::TranslationView>,
    /// Every output path of the build, in every language: a generated page's
    /// switcher leads to the same page in another language only where it exists.
    outputs: std::sync::Arc<std::collections::HashSet<crate::paths::OutPath>>,
    prefix: String,
    /// Each page's place in the reading order, by page id (`usize::MAX`: not in it).
    positions: Vec<usize>,
}

impl SiteContext {
    /// Prepares the shared values of one language: its configuration, UI strings,
    /// content, what the plan generates for it and every output path of the build.
    pub fn new(
        config: &Config,
        theme: &Theme,
        ui: &Ui,
        content: &Content,
        generated: &Generated,
        outputs: std::sync::Arc<std::collections::HashSet<crate::paths::OutPath>>,
    ) -> Self {
        let text = |s: &str| {
            crate::typography::display(
                s,
                config.typography == crate::config::Typography::Fr,
                crate::config::Typography::french_quotes(&config.lang),
            )
        };
        let site = SiteView {
            title: text(&config.title),
            description: config.description.as_deref().map(text),
            lang: config.lang.clone(),
            base_url: config.base_url.clone(),
            paper: config.paper.css_size().to_string(),
            programme: text(&generated.programme),
            search: config.search,
            print: generated.print,
            print_handbook: generated.print_handbook,
            worksheets: generated.worksheets,
            timeline: generated.timeline,
            editions: generated.editions.clone(),
            theme: theme_values(config, theme),
            stylesheets: if theme.manifest.stylesheets.is_empty() {
                vec!["assets/style.css".into()]
            } else {
                theme.manifest.stylesheets.clone()
            },
            extra_css: config.extra_css.iter().map(|p| site_file(p)).collect(),
            extra_js: config.extra_js.iter().map(|p| site_file(p)).collect(),
            theme_name: config.theme.name.clone(),
            generator: format!("mentorbook {}", env!("CARGO_PKG_VERSION")),
            prefix: content.prefix.to_string(),
        };
        Self {
            site: Value::from_serializable(&site),
            t: ui.value.clone(),
            theme_css: theme.vars.css.clone(),
            nav: nav::Nav::new(content),
            specials: context::special_translations(content, &content.prefix),
            outputs,
            prefix: content.prefix.to_string(),
            positions: positions(content),
        }
    }

    /// The place of page `id` in the reading order of `content`: from the table
    /// made with the site (one look-up instead of a scan of the order for every
    /// page, which grew with the square of the pages), checked against the order,
    /// which is scanned only if the table is out of date.
    fn position(&self, content: &Content, id: PageId) -> Option<usize> {
        match self.positions.get(id) {
            Some(&i) if content.order.get(i) == Some(&id) => Some(i),
            _ => content.position(id),
        }
    }

    /// The language switcher of a generated page at `out`: the same page in each
    /// language where the build makes it, else that language's home page (a
    /// language without worksheets has no `worksheets/index.html`).
    fn translations_for(&self, out: &str) -> Vec<context::TranslationView> {
        let bare = out.strip_prefix(&self.prefix).unwrap_or(out);
        self.specials
            .iter()
            .map(|t| {
                let url = format!("{}{bare}", t.url);
                if t.current || self.outputs.contains(url.as_str()) {
                    context::TranslationView { url, ..t.clone() }
                } else {
                    context::TranslationView {
                        url: format!("{}index.html", t.url),
                        exists: false,
                        ..t.clone()
                    }
                }
            })
            .collect()
    }

    /// The rendered sidebar for a page of section `sid` at `out`.
    pub fn nav_html(&self, theme: &Theme, sid: usize, out: &str) -> Result<String, Diagnostic> {
        self.nav
            .html_for(theme, &|| self.base_context(out), sid, out)
    }

    /// The text of the language's `nav.js`: the whole navigation tree and the UI
    /// strings of the theme's scripts ([`nav::Nav::script`]).
    pub fn nav_script(&self, content: &Content, ui: &Ui) -> String {
        let all = ui.strings.all();
        let mut strings = serde_json::Map::new();
        for key in NAV_SCRIPT_STRINGS {
            if let Some(e) = all.get(*key) {
                strings.insert((*key).to_string(), serde_json::json!(e));
            }
        }
        strings.insert(
            "worksheet".into(),
            serde_json::json!(ui.get("worksheet").to_lowercase()),
        );
        self.nav
            .script(content, &serde_json::Value::Object(strings))
    }

    /// Renders the full contents page at `out` (`contents.html`): every entry of
    /// the navigation, for readers without script (or only runs the template, when
    /// `keep` is false).
    pub fn contents_page(
        &self,
        theme: &Theme,
        out: &str,
        ui: &Ui,
        lang: &str,
        keep: bool,
    ) -> Result<String, Diagnostic> {
        let mut ctx = self.special_context(theme, out, &ui.get("nav_contents"), lang)?;
        ctx.insert("contents", &self.nav.whole(out));
        theme.render_or_run("contents.html", &ctx, keep)
    }

    /// A context for a generated page (404, print pages…) that has no source file:
    /// `page` is filled with neutral values so page templates still work.
    pub fn special_context(
        &self,
        theme: &Theme,
        out: &str,
        title: &str,
        lang: &str,
    ) -> Result<Context, Diagnostic> {
        self.special_context_in(theme, out, title, lang, 0)
    }

    /// As [`SiteContext::special_context`], for a generated page that belongs to
    /// section `sid` (a section's print page): its sidebar is that section's.
    pub fn special_context_in(
        &self,
        theme: &Theme,
        out: &str,
        title: &str,
        lang: &str,
        sid: usize,
    ) -> Result<Context, Diagnostic> {
        let mut ctx = self.base_context(out);
        ctx.insert("nav_html", &self.nav_html(theme, sid, out)?);
        ctx.insert(
            "page",
            &serde_json::json!({
                "title": title, "description": null, "url": out, "source": "", "kind": "special",
                "is_index": false, "is_home": false, "title_in_body": false, "session": null,
                "duration": null, "audience": null, "objectives": [], "lang": lang, "extra": {},
                "ancestors": [], "translations": self.translations_for(out),
            }),
        );
        ctx.insert_value("nav", self.nav.fallback_value(sid, out));
        ctx.insert("toc", &Vec::<()>::new());
        ctx.insert("breadcrumbs", &Vec::<()>::new());
        ctx.insert("children", &Vec::<()>::new());
        ctx.insert("prev", &());
        ctx.insert("next", &());
        ctx.insert("content", "");
        Ok(ctx)
    }

    /// A context with `site`, `t`, `theme_css` and `root` for a file at output path `out`.
    pub fn base_context(&self, out: &str) -> Context {
        let mut ctx = Context::new();
        ctx.insert_value("site", self.site.clone());
        ctx.insert_value("t", self.t.clone());
        ctx.insert("theme_css", &self.theme_css);
        ctx.insert("root", &urls::root_prefix(out));
        ctx.insert("current_url", out);
        ctx
    }
}

/// A file of the site named in the configuration (`extra_css: custom.css`), as an
/// output path (`static/` files are at the output root).
fn site_file(p: &str) -> String {
    p.trim_start_matches("./")
        .trim_start_matches("static/")
        .trim_start_matches('/')
        .to_string()
}

/// Errors for `extra_css` and `extra_js` entries that are not files of `static/`.
fn check_extra_files(
    config: &Config,
    statics: &BTreeMap<String, StaticSource>,
    diags: &mut Vec<Diagnostic>,
) {
    for (key, list, ext) in [
        ("extra_css", &config.extra_css, ".css"),
        ("extra_js", &config.extra_js, ".js"),
    ] {
        let (line, col) = config.key_lines.get(key).unwrap_or((1, 1));
        for p in list {
            let file = site_file(p);
            if crate::urls::is_external(p) {
                diags.push(
                    Diagnostic::error(
                        crate::config::CONFIG_FILE,
                        line,
                        col,
                        format!("`{key}`: `{p}` is not a file of the handbook"),
                    )
                    .with_help(format!(
                        "copy the file into `static/` and name it here (`{key}: [file{ext}]`): the handbook loads nothing from the network"
                    )),
                );
            } else if !statics.contains_key(&file) {
                diags.push(
                    Diagnostic::error(
                        crate::config::CONFIG_FILE,
                        line,
                        col,
                        format!("`{key}`: `{p}` was not found in `static/`"),
                    )
                    .with_help(format!(
                        "put the file in the handbook's `static/` folder and give its path there (`{key}: [file{ext}]`)"
                    )),
                );
            }
        }
    }
}

/// The theme variables as the pages of `config`'s language see them: its own
/// `contact` and `footer` when it gives them, and every text variable with the
/// language's typography.
fn theme_values(config: &Config, theme: &Theme) -> BTreeMap<String, String> {
    let mut values = theme.vars.values.clone();
    for (k, v) in &config.theme_texts {
        values.insert(k.clone(), v.clone());
    }
    let spacing = config.typography == crate::config::Typography::Fr;
    let quotes = crate::config::Typography::french_quotes(&config.lang);
    for (k, v) in values.iter_mut() {
        let is_text = theme
            .manifest
            .variables
            .get(k)
            .is_some_and(|d| d.ty == vars::VarType::Text);
        if is_text && !v.is_empty() {
            *v = crate::typography::display(v, spacing, quotes);
        }
    }
    values
}

/// Maps a Tera error to a diagnostic at the template's file and line.
pub fn tera_diagnostic(e: &tera::Error, displays: &HashMap<String, String>) -> Diagnostic {
    tera_diagnostics(e, displays)
        .into_iter()
        .next()
        .unwrap_or_else(|| Diagnostic::error(theme::site_templates_display(), 0, 0, e.to_string()))
}

/// Maps a Tera error to diagnostics, one per problem it reports (loading every
/// template reports every syntax error at once), each at its template's file
/// and line. Never empty.
pub fn tera_diagnostics(e: &tera::Error, displays: &HashMap<String, String>) -> Vec<Diagnostic> {
    use tera::ErrorKind;
    let shown = |name: &str| {
        displays
            .get(name)
            .cloned()
            .unwrap_or_else(|| name.to_string())
    };
    let help = "fix the template; `mentorbook theme docs` lists the variables templates can use";
    let d = match e.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
            let span = r.span();
            Diagnostic::error(
                shown(r.filename()),
                span.start_line.max(1),
                span.start_col + 1,
                format!("template error: {}", r.message()),
            )
            .with_help(help)
        }
        ErrorKind::MissingParent { current, parent } => Diagnostic::error(
            shown(current),
            1,
            1,
            format!("template extends `{parent}`, which does not exist"),
        )
        .with_help("extend a template of the theme, e.g. `{% extends \"builtin/page.html\" %}`"),
        ErrorKind::CircularExtend {
            inheritance_chain, ..
        } => {
            // The template that comes back in the chain is the one to fix.
            let again = inheritance_chain
                .iter()
                .enumerate()
                .find(|(i, t)| inheritance_chain[..*i].contains(t))
                .map_or_else(
                    || inheritance_chain.last().cloned().unwrap_or_default(),
                    |(_, t)| t.clone(),
                );
            Diagnostic::error(
                shown(&again),
                1,
                1,
                format!(
                    "`{again}` extends itself (through {})",
                    inheritance_chain.join(" → ")
                ),
            )
            .with_help(format!(
                "to build on the theme's template of that name, extend it by its layer: `{{% extends \"builtin/{again}\" %}}`"
            ))
        }
        ErrorKind::TemplateNotFound(name) => Diagnostic::error(
            theme::site_templates_display(),
            0,
            0,
            format!("template `{name}` not found"),
        )
        .with_help("add it to `templates/`, or use a theme that provides it"),
        ErrorKind::Msg(m) => {
            let reports = reports_in(m, &shown, help);
            if !reports.is_empty() {
                return reports;
            }
            Diagnostic::error(
                theme::site_templates_display(),
                0,
                0,
                format!("template error: {m}"),
            )
        }
        other => Diagnostic::error(
            theme::site_templates_display(),
            0,
            0,
            format!("template error: {other}"),
        ),
    };
    vec![d]
}

/// The problems in Tera's text report: blocks of `error: MESSAGE` followed by
/// ` --> NAME:LINE:COL`.
fn reports_in(text: &str, shown: &dyn Fn(&str) -> String, help: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let Some(message) = line.trim_start().strip_prefix("error: ") else {
            continue;
        };
        let Some(place) = lines
            .peek()
            .and_then(|l| l.trim_start().strip_prefix("--> "))
        else {
            continue;
        };
        let mut parts = place.rsplitn(3, ':');
        let col = parts.next().and_then(|c| c.trim().parse::<usize>().ok());
        let line_no = parts.next().and_then(|l| l.trim().parse::<usize>().ok());
        let (Some(col), Some(line_no), Some(name)) = (col, line_no, parts.next()) else {
            continue;
        };
        out.push(
            Diagnostic::error(
                shown(name.trim()),
                line_no,
                col,
                format!("template error: {message}"),
            )
            .with_help(help),
        );
    }
    out
}
