//! mdBook's `SUMMARY.md`: when `content/SUMMARY.md` exists, the order of its links
//! orders the pages (as if each had a `weight`), so mdBook books build unchanged.
//! The file is read with the Markdown parser, so links in code or comments do not count.

use std::collections::HashMap;

use pulldown_cmark::{Event, Parser, Tag};

/// The position of every `.md` file linked from a `SUMMARY.md` text, by path relative to `content/`.
pub fn parse(text: &str) -> HashMap<String, i64> {
    let mut order = HashMap::new();
    let mut n = 0i64;
    for ev in Parser::new(text) {
        let Event::Start(Tag::Link { dest_url, .. }) = ev else {
            continue;
        };
        let target = dest_url
            .trim()
            .split('#')
            .next()
            .unwrap_or("")
            .trim_start_matches("./");
        if target.ends_with(".md")
            && !crate::urls::is_external(target)
            && let Some(rel) = crate::urls::resolve("", &crate::urls::decode(target))
        {
            n += 1;
            order.entry(rel).or_insert(n);
        }
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_nested_links_in_order() {
        let o = parse(
            "# Summary\n\n[Intro](README.md)\n\n- [Un](chapitre/un.md)\n    - [Deux](./chapitre/deux.md#x)\n- [Web](https://x.org/a.md)\n\n```\n[Code](code.md)\n```\n<!-- [Commentaire](c.md) -->\n",
        );
        assert_eq!(o["README.md"], 1);
        assert_eq!(o["chapitre/un.md"], 2);
        assert_eq!(o["chapitre/deux.md"], 3);
        assert_eq!(o.len(), 3);
    }
}
