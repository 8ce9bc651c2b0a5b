//! The theme's side of the Markdown stage: UI strings and worksheet blocks.

use tera::Context;

use crate::config::Typography;
use crate::diagnostic::Diagnostic;
use crate::markdown::{BlockSite, Hooks};
use crate::render::{Theme, Ui, blocks};

/// Implements [`Hooks`] with a loaded theme and one language's strings.
pub struct ThemeHooks<'a> {
    /// The theme.
    pub theme: &'a Theme,
    /// The language's UI strings.
    pub ui: &'a Ui,
    /// Typography for text inside blocks.
    pub typography: Typography,
    /// The language (its quotation marks, for text inside blocks).
    pub lang: String,
    /// Hyphenation of the texts of narrow columns.
    pub hyphenation: crate::hyphenate::Hyphenation,
}

impl<'a> ThemeHooks<'a> {
    /// The hooks of a language configured by `config`: its typography, its
    /// quotation marks and its hyphenation.
    pub fn for_config(theme: &'a Theme, ui: &'a Ui, config: &crate::config::Config) -> Self {
        Self {
            theme,
            ui,
            typography: config.typography,
            lang: config.lang.clone(),
            hyphenation: crate::hyphenate::Hyphenation::for_lang(&config.lang),
        }
    }
}

impl Hooks for ThemeHooks<'_> {
    fn is_block(&self, kind: &str) -> bool {
        blocks::is_block(kind)
    }

    fn block(&self, kind: &str, body: &str, site: &BlockSite<'_>) -> Result<String, Diagnostic> {
        let fix = |s: &str| {
            crate::typography::display(
                s,
                self.typography == Typography::Fr,
                Typography::french_quotes(&self.lang),
            )
        };
        let signers = [self.ui.get("mentor"), self.ui.get("mentee")];
        let narrow = |s: &str| self.hyphenation.apply(s);
        let view = blocks::parse(kind, body, site, &fix, &narrow, &signers)?;
        let mut ctx = Context::new();
        ctx.insert("block", &view);
        ctx.insert_value("t", self.ui.value.clone());
        let line = site.line;
        self.theme
            .render(&format!("components/{}.html", view.kind), &ctx)
            .map_err(|mut d| {
                d.message = format!(
                    "{} (rendering a `{}` block of {}:{line})",
                    d.message, view.kind, site.source
                );
                d
            })
    }

    fn label(&self, key: &str) -> String {
        self.ui.get(key)
    }
}
