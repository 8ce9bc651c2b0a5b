//! The theme's side of the Markdown pass: UI strings and worksheet blocks.

use crate::content::Page;
use crate::diagnostic::Diagnostic;
use crate::markdown::Hooks;
use crate::render::Theme;

/// Implements [`Hooks`] with a loaded theme.
pub struct ThemeHooks<'a> {
    /// The theme.
    pub theme: &'a Theme,
}

impl Hooks for ThemeHooks<'_> {
    fn is_block(&self, _kind: &str) -> bool {
        false
    }

    fn block(
        &self,
        kind: &str,
        _body: &str,
        page: &Page,
        line: usize,
    ) -> Result<String, Diagnostic> {
        Err(Diagnostic::error(
            &page.source,
            line,
            1,
            format!("unknown block `{kind}`"),
        ))
    }

    fn label(&self, key: &str) -> String {
        self.theme.strings.get(key)
    }
}
