//! The theme's side of the Markdown pass: UI strings and worksheet blocks.

use tera::Context;

use crate::config::Typography;
use crate::content::Page;
use crate::diagnostic::Diagnostic;
use crate::markdown::Hooks;
use crate::render::{Theme, blocks};

/// Implements [`Hooks`] with a loaded theme.
pub struct ThemeHooks<'a> {
    /// The theme.
    pub theme: &'a Theme,
    /// Typography for text inside blocks.
    pub typography: Typography,
}

impl Hooks for ThemeHooks<'_> {
    fn is_block(&self, kind: &str) -> bool {
        blocks::is_block(kind)
    }

    fn block(
        &self,
        kind: &str,
        body: &str,
        page: &Page,
        line: usize,
    ) -> Result<String, Diagnostic> {
        let fix = |s: &str| match self.typography {
            Typography::Fr => crate::typography::FrenchSpacer::default()
                .apply(&crate::typography::curly_apostrophes(s)),
            Typography::None => crate::typography::curly_apostrophes(s),
        };
        let signers = [
            self.theme.strings.get("mentor"),
            self.theme.strings.get("mentee"),
        ];
        let view = blocks::parse(kind, body, page, line, &fix, &signers)?;
        let mut ctx = Context::new();
        ctx.insert("block", &view);
        ctx.insert_value("t", self.theme.strings_value.clone());
        self.theme
            .render(&format!("components/{}.html", view.kind), &ctx)
            .map_err(|mut d| {
                d.message = format!(
                    "{} (rendering a `{}` block of {}:{line})",
                    d.message, view.kind, page.source
                );
                d
            })
    }

    fn label(&self, key: &str) -> String {
        self.theme.strings.get(key)
    }
}
