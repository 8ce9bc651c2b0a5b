//! Unit tests of the Markdown stage: one page's text in, its `Doc` out.

use super::*;

struct TestHooks;

impl Hooks for TestHooks {
    fn is_block(&self, kind: &str) -> bool {
        kind == "field"
    }
    fn block(&self, _kind: &str, body: &str, site: &BlockSite<'_>) -> Result<String, Diagnostic> {
        if body.contains("bad") {
            Err(Diagnostic::error(site.source, site.line, 1, "bad block"))
        } else {
            Ok(format!(
                "<div class=\"blk\" id=\"{}-l{}\"></div>",
                site.anchor, site.line
            ))
        }
    }
    fn label(&self, key: &str) -> String {
        format!("[{key}]")
    }
}

/// Writes links as `<dest>` and ids with a `web-`/`p-` prefix, keeping mentor blocks.
struct Writer {
    print: bool,
    edition: Option<&'static str>,
}

impl SlotWriter for Writer {
    fn href(&self, _n: usize, link: &RawLink, out: &mut String) {
        out.push('@');
        out.push_str(&link.dest);
    }
    fn id(&self, id: &str, out: &mut String) {
        if self.print {
            out.push_str("p-x--");
        }
        out.push_str(id);
    }
    fn keeps(&self, a: Audiences) -> bool {
        self.edition.is_none_or(|e| a.contains(Audiences::named(e)))
    }
    fn link_end(&self, n: usize, see: bool, out: &mut String) {
        if self.print {
            out.push_str(&format!("[{n}:{see}]"));
        }
    }
}

const WEB: Writer = Writer {
    print: false,
    edition: None,
};

fn parse_with(text: &str, typography: Typography, title: bool) -> Doc {
    parse_full(text, typography, title, false, false)
}

/// `text` parsed as page `content/a.md` from line 4, with these options.
fn parse_full(
    text: &str,
    typography: Typography,
    title: bool,
    safe_html: bool,
    obsidian: bool,
) -> Doc {
    let src = Source {
        path: "content/a.md",
        text,
        first_line: 4,
        lines: None,
        anchor: "p-a",
        form: "a",
        title_from_body: title,
        mark_blocks: false,
    };
    let opts = Options {
        typography,
        french_quotes: typography == Typography::Fr,
        safe_html,
        collect_text: true,
        hyphenation: crate::hyphenate::Hyphenation::None,
        myst: false,
        zola: false,
        mdx: false,
        obsidian,
    };
    parse(&src, &opts, &TestHooks)
}

fn doc(text: &str) -> Doc {
    parse_with(text, Typography::Fr, false)
}

/// A worksheet's `Doc`: top-level blocks marked.
fn marked(text: &str, mark_blocks: bool) -> Doc {
    let src = Source {
        path: "content/a.md",
        text,
        first_line: 1,
        lines: None,
        anchor: "p-a",
        form: "a",
        title_from_body: false,
        mark_blocks,
    };
    let opts = Options {
        typography: Typography::Fr,
        french_quotes: true,
        safe_html: false,
        collect_text: false,
        hyphenation: crate::hyphenate::Hyphenation::French,
        myst: false,
        zola: false,
        mdx: false,
        obsidian: false,
    };
    parse(&src, &opts, &TestHooks)
}

#[test]
fn link_ends_are_slots_that_know_a_see_before_them() {
    let d = doc(
        "Voir [a](a.md). Puis [b](b.md#x), cf. [c](c.md) et *voir* [d](d.md) ; [e](https://e.org) ![i](i.png)\n",
    );
    let print = d
        .to_html(&Writer {
            print: true,
            edition: None,
        })
        .expect("html");
    for (n, see) in [(0, true), (1, false), (2, true), (3, true)] {
        assert!(print.contains(&format!("</a>[{n}:{see}]")), "{n}: {print}");
    }
    assert!(
        print.contains("e.org\">e</a> "),
        "external links get nothing: {print}"
    );
    assert!(!print.contains("[4:"), "images get nothing: {print}");
    assert!(
        !d.to_html(&WEB).expect("html").contains("[0:"),
        "the web writes nothing there"
    );
}

#[test]
fn worksheet_blocks_carry_their_lines_inside_their_tags() {
    let text = "Intro.\n\n## Titre\n\n- a\n- b\n\n3. x\n\n```field\nlabel: Nom\n```\n\n| Complémentarités |\n|---|\n| c |\n\n> cité\n";
    let d = marked(text, true);
    let lines: Vec<usize> = d.marks.iter().map(|m| m.line).collect();
    assert_eq!(lines, [1, 3, 5, 8, 10, 14, 18]);
    assert_eq!(d.marks[0].what, "the paragraph “Intro.”");
    assert_eq!(d.marks[1].what, "the heading “Titre”");
    assert_eq!(d.marks[4].what, "the `field` block “Nom”");
    let html = d.to_html(&WEB).expect("html");
    for tag in [
        "<p data-mb-line=\"1\">",
        "<h2 data-mb-line=\"3\" id=\"titre\">",
        "<ul data-mb-line=\"5\">",
        "<ol data-mb-line=\"8\" start=\"3\">",
        "<div data-mb-line=\"10\" class=\"blk\"",
        "<div data-mb-line=\"14\" class=\"table-wrap\">",
        "<blockquote data-mb-line=\"18\">",
    ] {
        assert!(html.contains(tag), "{tag}: {html}");
    }
    // Without the marks, the same bytes as a page that is not marked.
    let mut plain = String::new();
    let mut rest = html.as_str();
    while let Some(i) = rest.find(" data-mb-line=\"") {
        plain.push_str(&rest[..i]);
        let after = &rest[i + " data-mb-line=\"".len()..];
        rest = &after[after.find('"').map_or(0, |e| e + 1)..];
    }
    plain.push_str(rest);
    assert_eq!(plain, marked(text, false).to_html(&WEB).expect("html"));
    // Table headings get soft hyphens; the search text (none here) is untouched.
    assert!(
        html.contains("Com\u{AD}plé\u{AD}men\u{AD}ta\u{AD}ri\u{AD}tés"),
        "{html}"
    );
}

#[test]
fn heading_ids_are_unique_and_explicit_ids_win() {
    let d = doc("## Écoute active\n## Notes\n## Notes\n## Autre {#mon-id}\n");
    let ids: Vec<_> = d.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["ecoute-active", "notes", "notes-1", "mon-id"]);
    let html = d.to_html(&WEB).expect("html");
    assert!(html.contains("<h2 id=\"ecoute-active\">"), "{html}");
    assert!(
        html.contains("href=\"#notes-1\""),
        "each heading has an anchor link"
    );
    let print = d
        .to_html(&Writer {
            print: true,
            edition: None,
        })
        .expect("html");
    assert!(print.contains("<h2 id=\"p-x--notes-1\">"), "{print}");
    assert!(print.contains("href=\"#p-x--notes-1\""));
}

#[test]
fn links_are_slots_with_their_location_and_externals_stay() {
    let d = doc(
        "[x](../autre.md#ecoute) [y](https://ex.org/a?b=1&c) <a@b.org>\n\n![img](p%201.png \"T\")\n",
    );
    assert_eq!(d.links.len(), 2);
    assert_eq!(d.links[0].dest, "../autre.md#ecoute");
    assert_eq!((d.links[0].line, d.links[0].col), (4, 1));
    assert!(d.links[1].image);
    assert_eq!(d.links[1].line, 6);
    let html = d.to_html(&WEB).expect("html");
    assert!(
        html.contains("<a href=\"@../autre.md#ecoute\">x</a>"),
        "{html}"
    );
    assert!(html.contains("<a href=\"https://ex.org/a?b=1&amp;c\">y</a>"));
    assert!(
        html.contains("<a href=\"mailto:a@b.org\">a@b.org</a>"),
        "{html}"
    );
    assert!(
        html.contains("<img src=\"@p%201.png\" alt=\"img\" title=\"T\" />"),
        "{html}"
    );
}

#[test]
fn a_wikilink_whose_name_is_a_defined_reference_is_a_reference_in_brackets() {
    let d = doc(
        "Vu en [[1]], en [[ Guide  complet ]] et en [[Autre]].\n\n[1]: https://ex.org/ref \"Réf\"\n[guide complet]: guide.md\n",
    );
    let html = d.to_html(&WEB).expect("html");
    assert!(
        html.contains("[<a href=\"https://ex.org/ref\" title=\"Réf\">1</a>]"),
        "{html}"
    );
    assert_eq!(d.links.len(), 2, "{:?}", d.links);
    assert_eq!(
        (d.links[0].dest.as_str(), d.links[0].wiki),
        ("guide.md", false)
    );
    assert!(
        html.contains("[<a href=\"@guide.md\"> Guide  complet </a>]")
            || html.contains("[<a href=\"@guide.md\">Guide complet</a>]"),
        "{html}"
    );
    assert_eq!((d.links[1].dest.as_str(), d.links[1].wiki), ("Autre", true));
}

#[test]
fn an_embedded_image_keeps_its_size_as_width_and_height() {
    let d = doc(
        "Voir ![[plan.png|400]], ![[img/photo de groupe.jpg|300x200]] et ![[plan.png|Le plan]].\n",
    );
    let html = d.to_html(&WEB).expect("html");
    assert!(
        html.contains("<img src=\"@plan.png\" alt=\"plan\" width=\"400\" />, "),
        "{html}"
    );
    assert!(
        html.contains(
            "<img src=\"@img/photo%20de%20groupe.jpg\" alt=\"photo de groupe\" width=\"300\" height=\"200\" /> et "
        ),
        "{html}"
    );
    assert!(
        html.contains("<img src=\"@plan.png\" alt=\"Le plan\" />."),
        "{html}"
    );
    assert_eq!(d.links.len(), 3);
    assert!(d.links.iter().all(|l| l.image && l.wiki));
}

#[test]
fn writer_puts_slots_where_destinations_go() {
    // Links at the start of a block, in a table cell, in a list, after a heading.
    let d = doc("[a](a.md)\n\n| h |\n|---|\n| [b](b.md) |\n\n- [c](c.md)\n\n## T [d](d.md)\n");
    let html = d.to_html(&WEB).expect("html");
    for x in ["a", "b", "c", "d"] {
        assert!(
            html.contains(&format!("<a href=\"@{x}.md\">{x}</a>")),
            "{x}: {html}"
        );
    }
}

#[test]
fn callouts_from_alerts_and_containers() {
    let d = doc("> [!TIP]\n> Astuce\n\n:::warning Mon titre\nCorps **gras**\n:::\n");
    let html = d.to_html(&WEB).expect("html");
    assert!(html.contains("callout callout-tip"));
    assert!(html.contains("<p class=\"callout-title\">[callout_tip]</p>"));
    assert!(html.contains("callout callout-warning"));
    assert!(html.contains("Mon titre"));
    assert!(html.contains("<strong>gras</strong>"));
    assert!(!html.contains(":::"), "{html}");
}

#[test]
fn an_info_container_is_titled_info_not_note() {
    // Docusaurus and MkDocs users write `info` for background information:
    // styled like a note, but titled as they wrote it.
    let d = doc(":::info\nÀ savoir\n:::\n\n!!! info\n    Aussi\n");
    let html = d.to_html(&WEB).expect("html");
    assert_eq!(html.matches("callout callout-info").count(), 2, "{html}");
    assert_eq!(
        html.matches("<p class=\"callout-title\">[callout_info]</p>")
            .count(),
        2,
        "{html}"
    );
    assert!(!html.contains("[callout_note]"), "{html}");
}

#[test]
fn containers_are_not_seen_in_code_or_raw_html() {
    let d = doc("```\n:::tip\n```\n\n<div>\n:::note\n</div>\n\n    :::warning\n");
    let html = d.to_html(&WEB).expect("html");
    assert!(!html.contains("callout"), "{html}");
    assert!(d.diagnostics.is_empty(), "{:?}", d.diagnostics);
}

#[test]
fn french_spacing_outside_code_only() {
    let d = doc("Pourquoi ? `a : b` <code>c : d</code> <kbd>e ; f</kbd> g !\n\n```\nx ; y\n```\n");
    let html = d.to_html(&WEB).expect("html");
    assert!(html.contains("Pourquoi\u{202F}?"));
    assert!(html.contains("<code>a : b</code>"));
    assert!(html.contains("<code>c : d</code>"), "{html}");
    assert!(html.contains("<kbd>e ; f</kbd>"), "{html}");
    assert!(html.contains("g\u{202F}!"), "{html}");
    assert!(html.contains("x ; y"));
}

#[test]
fn worksheet_blocks_go_through_hooks_with_file_lines() {
    let d = doc("\n```field\nlabel: x\n```\n\n```field\nbad\n```\n");
    let html = d.to_html(&WEB).expect("html");
    assert!(html.contains("id=\"p-a-l6\""), "{html}");
    assert_eq!(d.diagnostics[0].line(), 10);
    assert!(html.contains("block-error"));
}

#[test]
fn footnotes_are_numbered_and_gathered() {
    let d = doc("Texte[^b] et[^a].\n\n[^a]: A.\n[^b]: B.\n");
    let html = d.to_html(&WEB).expect("html");
    let first = html.find("id=\"fn-b\"").expect("b defined");
    let second = html.find("id=\"fn-a\"").expect("a defined");
    assert!(first < second, "definitions follow reference order");
    assert!(d.ids.contains("fn-a"));
    let print = d
        .to_html(&Writer {
            print: true,
            edition: None,
        })
        .expect("html");
    assert!(print.contains("id=\"p-x--fn-a\""), "{print}");
    assert!(print.contains("href=\"#p-x--fnref-a-2\""), "{print}");
}

#[test]
fn only_blocks_are_kept_or_dropped_when_serialised() {
    let d = doc(
        ":::only mentor\nPour le mentor\n:::\n\nPour tous\n\n```only mentee\nPour la personne **mentorée**\n```\n",
    );
    let web = d.to_html(&WEB).expect("html");
    assert!(web.contains("Pour le mentor") && web.contains("mentorée"));
    assert!(web.contains("class=\"only-badge\">[only_mentor]</p>"));
    let mentee = d
        .to_html(&Writer {
            print: false,
            edition: Some("mentee"),
        })
        .expect("html");
    assert!(!mentee.contains("Pour le mentor"), "{mentee}");
    assert!(mentee.contains("Pour tous") && mentee.contains("<strong>mentorée</strong>"));
    assert!(d.audiences.contains(Audiences::named("mentor")));
}

#[test]
fn title_comes_from_the_first_top_level_heading() {
    let d = parse_with(
        "<!--\n# Brouillon\n-->\n\n# Le vrai titre\n\nTexte\n",
        Typography::Fr,
        true,
    );
    let t = d.title.as_ref().expect("title");
    assert_eq!(t.text, "Le vrai titre");
    assert!(!t.in_body, "a comment is not a block");
    assert!(!d.to_html(&WEB).expect("html").contains("<h1"));
    let d = parse_with("Intro\n\n# *Titre* ##\n", Typography::Fr, true);
    let t = d.title.as_ref().expect("title");
    assert_eq!((t.text.as_str(), t.in_body), ("Titre", true));
    assert!(d.to_html(&WEB).expect("html").contains("<h1"));
    let d = parse_with("> # Citation\n\n```\n# code\n```\n", Typography::Fr, true);
    assert_eq!(d.title, None);
    let d = parse_with("Titre\n=====\n\nx\n", Typography::None, true);
    assert_eq!(d.title.map(|t| t.text).as_deref(), Some("Titre"));
}

#[test]
fn search_text_is_split_by_heading() {
    let d = doc("Intro.\n\n## Écoute\n\nTexte `code`.\n\n```\nnon\n```\n");
    assert_eq!(d.chunks.len(), 2);
    assert_eq!(d.chunks[0].text, "Intro.");
    assert_eq!(d.chunks[1].id.as_deref(), Some("ecoute"));
    assert_eq!(d.chunks[1].heading, "Écoute");
    assert_eq!(d.chunks[1].text, "Texte code.");
}

#[test]
fn html_comments_are_left_out_with_or_without_safe_html() {
    let text = "Texte <!-- note inline --> suite.\n\n<!--\nBloc privé\n\nsur deux paragraphes\n-->\n\n<div class=\"x\">\n<!-- dans un div -->\n<p>Garde</p>\n</div>\n\n`<!-- code -->` reste.\n\n<script>\n<!-- texte d'un script -->\n</script>\n\n<!--\n!!! note \"N\"\n    admonition privée\n-->\n\n<!-- {% hint style=\"info\" %}\nindice privé\n{% endhint %} -->\n\n<div title=\"<!--\">garde aussi</div>\n";
    for safe_html in [false, true] {
        let doc = parse_full(text, Typography::None, false, safe_html, false);
        let html = doc.to_html(&WEB).expect("html");
        for gone in [
            "note inline",
            "Bloc privé",
            "paragraphes",
            "dans un div",
            "admonition privée",
            "indice privé",
            "callout",
        ] {
            assert!(!html.contains(gone), "{safe_html}: {gone}: {html}");
        }
        assert!(html.contains("Garde"), "{html}");
        assert!(
            html.contains("garde aussi"),
            "a `<!--` in an attribute is no comment: {html}"
        );
        assert!(html.contains("<code>&lt;!-- code --&gt;</code>"), "{html}");
        assert!(
            html.contains("texte d'un script") || html.contains("texte d’un script"),
            "a script keeps its text: {html}"
        );
    }
    let without = parse_full("<!-- seul -->\n", Typography::None, false, false, false)
        .to_html(&WEB)
        .expect("html");
    assert_eq!(without.trim(), "", "a page of one comment is empty");
}

#[test]
fn safe_html_escapes_raw_html() {
    let src = Source {
        path: "content/a.md",
        text: "<script>x</script>\n\nok <b>b</b>\n",
        first_line: 1,
        lines: None,
        anchor: "p-a",
        form: "a",
        title_from_body: false,
        mark_blocks: false,
    };
    let opts = Options {
        typography: Typography::None,
        french_quotes: false,
        safe_html: true,
        collect_text: false,
        hyphenation: crate::hyphenate::Hyphenation::None,
        myst: false,
        zola: false,
        mdx: false,
        obsidian: false,
    };
    let html = parse(&src, &opts, &TestHooks).to_html(&WEB).expect("html");
    assert!(!html.contains("<script>"));
    assert!(html.contains("&lt;b&gt;"));
}

#[test]
fn constructs_of_other_tools_in_any_mix_stay_bounded_and_located() {
    // Pieces of every dialect, mixed by a fixed pseudo-random sequence: no panic,
    // bounded output, and every diagnostic on a line of the page.
    const PIECES: &[&str] = &[
        "!!! note \"Tïtre\"\n",
        "    dedans é\n",
        "<!-- é ",
        "-->\n",
        "<div title=\"<!--é\">\n",
        "==é ",
        "é==\n",
        "%% é",
        "![[Note é#Titre]]\n",
        "??? tip\n",
        "\n",
        "=== \"Onglet\"\n",
        "        profond\n",
        "{% hint style=\"warning\" %}\n",
        "{% endhint %}\n",
        "{% tabs %}\n",
        "{% tab title=\"A\" %}\n",
        "{% endtab %}\n",
        "{% endtabs %}\n",
        "{% content-ref url=\"x.md\" %}\n",
        "[x.md](x.md)\n",
        "{% endcontent-ref %}\n",
        "{% embed url=\"https://e.org\" %}\n",
        "{% raw %}{{ a }}\n",
        "{% endraw %}\n",
        "```{note} Titre\n",
        "```{code-block} python\n",
        ":class: x\n",
        "```\n",
        ":::{warning}\n",
        ":::\n",
        "(label-é)=\n",
        "## Titre **gras** <a id=\"x\" href=\"#x\"></a>\n",
        "Voir {ref}`label-é` et {doc}`a/b` `{ref}`\n",
        "import X from 'y';\n",
        "export const Z = () => (\n",
        "<Tabs>\n",
        "<TabItem\n",
        "  value=\"v\">\n",
        "</TabItem>\n",
        "<div style={{a: 1}} className=\"c\">\n",
        "{/* note\n",
        "*/}\n",
        "<head>\n",
        "</head>\n",
        "{{< hint info >}}\n",
        "{{< /hint >}}\n",
        "<iframe src=\"//v.example/x\" title=\"vidéo\"></iframe>\n",
        "[js](javascript:alert(1)) <a href=\"x.md\">x</a>\n",
        "\u{a0}<b\u{a0}=é\n",
    ];
    let mut seed: u64 = 0x5eed;
    for _ in 0..400 {
        let mut text = String::new();
        for _ in 0..12 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            text.push_str(PIECES[(seed >> 33) as usize % PIECES.len()]);
        }
        // And as a page of an Obsidian vault (its `%%` comments read).
        let _ = parse_full(&text, Typography::Fr, false, false, true)
            .to_html(&WEB)
            .expect("html");
        let d = doc(&text);
        let html = d.to_html(&WEB).expect("html");
        assert!(
            html.len() < 40 * text.len() + 4096,
            "unbounded output for {text:?}"
        );
        let lines = text.lines().count() + 4 + 1;
        for diag in &d.diagnostics {
            assert!(
                diag.line() >= 4 && diag.line() <= lines,
                "{diag} is not on a line of {text:?}"
            );
        }
    }
}

#[test]
fn code_titles_of_other_tools_are_kept() {
    // MkDocs and Docusaurus `title="…"`, and the attribute form `{.python …}`.
    let d = doc(
        "```python title=\"exemple.py\"\nprint(1)\n```\n\n```{.python title='demo.py' linenums=\"1\"}\nx = 2\n```\n\n```js\nplain\n```\n",
    );
    let html = d.to_html(&WEB).expect("html");
    assert!(
        html.contains("<p class=\"code-title\"><strong>exemple.py</strong></p>\n<pre><code class=\"language-python\">print(1)"),
        "{html}"
    );
    assert!(html.contains("<strong>demo.py</strong>"), "{html}");
    assert_eq!(
        html.matches("class=\"language-python\"").count(),
        2,
        "{html}"
    );
    assert!(!html.contains("language-{"), "{html}");
    assert!(
        html.contains("<pre><code class=\"language-js\">plain"),
        "{html}"
    );
    assert_eq!(d.converted.get("code title"), Some(&2));
}

#[test]
fn an_inline_comment_with_an_accent_after_its_opening_does_not_panic() {
    // `<!-- à revoir -->`: the bytes after `<` cut the `à` where a verbatim tag
    // name would end; the typography pass must not slice there.
    for text in [
        "Voir <!-- à revoir --> ici\n",
        "x <!--é--> y\n",
        "x <!--😀--> y\n",
    ] {
        let d = doc(text);
        let html = d.to_html(&WEB).expect("html");
        assert!(html.contains("ici") || html.contains('y'), "{html}");
    }
}

#[test]
fn obsidian_block_ids_anchor_their_block_and_leave_the_text() {
    let d = doc(
        "^debut\n\nUn paragraphe. ^p1\n\nDeux lignes\n^p2\n\n| a |\n|---|\n| 1 |\n\n^tab\n\n- un ^li\n\n```\ncode ^pas\n```\n\nE = mc ^2\n",
    );
    let html = d.to_html(&WEB).expect("html");
    for id in ["^debut", "^p1", "^p2", "^tab", "^li"] {
        assert!(d.ids.contains(id), "{id}: {:?}", d.ids);
        assert_eq!(
            html.matches(&format!("id=\"{id}\"")).count(),
            1,
            "{id}: {html}"
        );
    }
    assert!(!d.ids.contains("^pas") && !d.ids.contains("^2"));
    assert!(
        html.contains("code ^pas") && html.contains("E = mc ^2"),
        "{html}"
    );
    for gone in [
        "^debut<",
        ">^tab",
        "paragraphe. ^p1",
        "lignes\n^p2",
        "un ^li",
    ] {
        assert!(!html.contains(gone), "{gone}: {html}");
    }
    // The id alone after the table is before it, not a paragraph of its own.
    let tab = html.find("id=\"^tab\"").expect("tab");
    assert!(tab < html.find("<table").expect("table"), "{html}");
    assert!(!html.contains("<p></p>"), "{html}");
}
