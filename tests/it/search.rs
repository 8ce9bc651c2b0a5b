//! Offline search (issue 7): the index written at build time, and the search box
//! in a real headless Chromium, over HTTP and from `file://`.

use std::path::Path;
use std::time::Duration;

use serde_json::Value;

use crate::browser::{self, Browser};
use crate::static_server::StaticServer;
use crate::support::*;

/// The JSON object `search-index.js` assigns.
fn index_json(public: &Path) -> Value {
    let js = std::fs::read_to_string(public.join("search-index.js")).expect("search-index.js");
    let json = js
        .strip_prefix("window.MB_SEARCH_INDEX=")
        .and_then(|s| s.strip_suffix(";\n"))
        .expect("search-index.js assigns window.MB_SEARCH_INDEX");
    serde_json::from_str(json).expect("the index is JSON")
}

fn html_size(public: &Path) -> u64 {
    walkdir::WalkDir::new(public)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum()
}

#[test]
fn index_covers_every_page_and_its_links_resolve() {
    let site = Site::sample_french();
    // "Built 45 pages, 12 worksheets in …": the counts the index must match.
    let summary = site.build().stdout();
    let count = |after: &str| -> usize {
        summary
            .split(after)
            .next()
            .and_then(|s| s.split_whitespace().last())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no count before {after:?} in {summary:?}"))
    };
    let public = site.public();
    let index = index_json(&public);
    let pages = index["pages"].as_array().expect("pages");
    assert_eq!(pages.len(), count(" pages"), "every page is indexed");
    let worksheets = pages.iter().filter(|p| p[2] == 1).count();
    assert_eq!(worksheets, count(" worksheets"), "worksheets are flagged");
    assert!(worksheets > 0);
    let chunks: usize = pages
        .iter()
        .map(|p| 1 + p[3].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(index["text"].as_array().map(Vec::len), Some(chunks));
    for p in pages {
        let url = p[1].as_str().expect("url");
        let doc = site.html(url);
        for chunk in p[3].as_array().expect("chunks") {
            let anchor = chunk[0].as_str().expect("anchor");
            let found = select(&doc, "[id]")
                .iter()
                .any(|e| e.value().attr("id") == Some(anchor));
            assert!(found, "{url}#{anchor}: no such id in the page");
        }
    }
    let fr = &index["langs"]["fr"];
    let forms: Vec<&str> = fr["forms"]
        .as_array()
        .expect("forms")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(forms.windows(2).all(|w| w[0] < w[1]), "forms are sorted");
    for w in ["ecoute", "confidentialite", "mentorees", "coaching"] {
        assert!(forms.contains(&w), "{w} is indexed, folded");
    }
    assert!(!forms.contains(&"les"), "stop words are left out");
    let size = std::fs::metadata(public.join("search-index.js"))
        .expect("index")
        .len();
    assert!(
        size * 3 < html_size(&public),
        "index ({size} bytes) under a third of the HTML"
    );
}

#[test]
fn index_is_deterministic() {
    let site = Site::sample();
    site.build();
    let first = std::fs::read(site.public().join("search-index.js")).expect("index");
    site.build();
    let second = std::fs::read(site.public().join("search-index.js")).expect("index");
    assert!(first == second, "same input, same index bytes");
}

#[test]
fn search_false_writes_no_index_and_no_box() {
    let site = Site::new();
    site.write("mentorbook.yaml", "title: Test\nlang: fr\nsearch: false\n")
        .write("content/_index.md", "---\ntitle: Accueil\n---\nBonjour.\n");
    site.build();
    assert!(!site.public().join("search-index.js").exists());
    let doc = site.html("index.html");
    assert!(select(&doc, "#mb-search-input").is_empty(), "no search box");
    assert!(
        select(&doc, "script[src$='search.js']").is_empty(),
        "no search script"
    );
}

#[test]
fn a_content_file_named_like_the_index_is_an_error() {
    let site = Site::new();
    site.write("content/_index.md", "---\ntitle: Accueil\n---\nBonjour.\n")
        .write("content/search-index.js", "// mine\n");
    let run = site.run(&["build"]).code_is(1);
    let err = run.stderr();
    assert!(err.contains("content/search-index.js"), "{err}");
    assert!(err.contains("search index"), "{err}");
}

#[test]
fn empty_and_odd_pages_index_without_panic() {
    let site = Site::new();
    site.write("content/_index.md", "---\ntitle: Accueil\n---\n")
        .write("content/vide.md", "---\ntitle: \"\"\n---\n")
        .write(
            "content/bizarre.md",
            &format!(
                "---\ntitle: \"\u{feff}Ω 日本語 e\u{301}\"\n---\n## \u{200b}\n\n{}\n\n## {}\n",
                "mot ".repeat(20_000),
                "x".repeat(5000)
            ),
        );
    site.run(&["build"]).no_panic();
    if site.public().join("search-index.js").exists() {
        index_json(&site.public());
    }
}

// ---- In the browser ----

/// One search result as shown.
#[derive(Debug)]
struct Hit {
    title: String,
    heading: String,
    href: String,
    snippet: String,
    marks: Vec<String>,
    worksheet: bool,
}

const READ_RESULTS: &str = "return Array.from(document.querySelectorAll('#mb-search-results [role=option]')).map(function (a) {
  var t = function (sel) { var e = a.querySelector(sel); return e ? e.textContent : ''; };
  return {title: t('.result-title'), heading: t('.result-heading'), href: a.href, snippet: t('.result-snippet'),
    marks: Array.from(a.querySelectorAll('mark')).map(function (m) { return m.textContent; }),
    worksheet: !!a.querySelector('.result-worksheet')};
});";

fn results(b: &Browser) -> Vec<Hit> {
    let v = b.eval(READ_RESULTS);
    let s = |h: &Value, k: &str| h[k].as_str().unwrap_or_default().to_string();
    v.as_array()
        .expect("results")
        .iter()
        .map(|h| Hit {
            title: s(h, "title"),
            heading: s(h, "heading"),
            href: s(h, "href"),
            snippet: s(h, "snippet"),
            marks: h["marks"]
                .as_array()
                .map(|m| {
                    m.iter()
                        .filter_map(|x| x.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default(),
            worksheet: h["worksheet"] == Value::Bool(true),
        })
        .collect()
}

fn query_param(q: &str) -> String {
    q.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

const OPEN: &str = "!document.getElementById('mb-search-results').hidden";

/// Opens `page` with `?q=query` and returns the results shown.
fn search(b: &Browser, page: &str, query: &str) -> Vec<Hit> {
    b.goto(&format!("{page}?q={}", query_param(query)));
    assert!(
        b.wait_for(OPEN, Duration::from_secs(15)).is_some(),
        "no results panel for {query:?} on {page}"
    );
    results(b)
}

fn path_of(href: &str) -> &str {
    href.split('#').next().unwrap_or(href)
}

/// Every acceptance query of issue 7, starting from a page one folder deep
/// (so the index and result links go through the relative root).
fn acceptance(b: &Browser, base: &str) {
    let page = format!("{base}relation/posture.html");

    let hits = search(b, &page, "ecoute");
    assert!(!hits.is_empty(), "ecoute: no results");
    assert!(
        path_of(&hits[0].href).ends_with("/relation/ecoute-active.html"),
        "ecoute: first is {hits:?}"
    );
    assert!(
        hits[0]
            .marks
            .iter()
            .any(|m| m.to_lowercase().starts_with("écout")),
        "ecoute: accented match highlighted: {:?}",
        hits[0]
    );

    let hits = search(b, &page, "mentores");
    let mentore = hits
        .iter()
        .position(|h| path_of(&h.href).ends_with("/relation/role-mentore.html"));
    assert!(
        mentore.is_some_and(|i| i < 5),
        "mentores: role-mentore not in the top 5: {hits:?}"
    );
    assert!(
        hits.iter()
            .flat_map(|h| &h.marks)
            .any(|m| m.to_lowercase().starts_with("mentoré")),
        "mentores: highlights mentoré…: {hits:?}"
    );

    let hits = search(b, &page, "confidentialite");
    assert!(
        path_of(&hits[0].href).ends_with("/relation/confidentialite.html"),
        "confidentialite: first is {:?}",
        hits.first()
    );
    assert_eq!(hits[0].title, "La confidentialité");

    let hits = search(b, &page, "coaching");
    assert!(
        path_of(&hits[0].href).ends_with("/comprendre/mentorat-coaching-formation.html"),
        "coaching: first is {:?}",
        hits.first()
    );

    let hits = search(b, &page, "faire connaissance");
    assert!(
        hits[0].worksheet && hits[0].title.contains("Faire connaissance"),
        "worksheet first and marked: {:?}",
        hits.first()
    );
    assert_eq!(
        b.eval(
            "return document.querySelector('#mb-search-results .result-worksheet').textContent;"
        ),
        "Fiche"
    );
    assert!(hits.iter().all(|h| !h.title.is_empty()));

    let hits = search(b, &page, "zzqxwv");
    assert!(hits.is_empty());
    let message =
        b.eval("return document.querySelector('#mb-search-results .no-results').textContent;");
    let message = message.as_str().unwrap_or_default();
    assert!(
        message.starts_with("Aucun résultat pour") && message.contains("zzqxwv"),
        "{message}"
    );
    assert_eq!(
        b.eval("return document.getElementById('mb-search-input').getAttribute('aria-expanded');"),
        "true"
    );
}

#[test]
fn acceptance_queries_over_http() {
    let site = Site::sample();
    site.build();
    let Some(b) = browser::start("search acceptance_queries_over_http") else {
        return;
    };
    let server = StaticServer::start(&site.public());
    acceptance(&b, &server.url());
}

#[test]
fn acceptance_queries_from_file_urls() {
    let site = Site::sample();
    site.build();
    let Some(b) = browser::start("search acceptance_queries_from_file_urls") else {
        return;
    };
    acceptance(&b, &format!("file://{}/", site.public().display()));
}

const ARROW_DOWN: &str = "\u{E015}";
const ARROW_UP: &str = "\u{E013}";
const ENTER: &str = "\u{E007}";
const ESCAPE: &str = "\u{E00C}";

fn type_query(b: &Browser, text: &str) {
    b.eval(
        "var i = document.getElementById('mb-search-input'); i.value = ''; i.focus(); return null;",
    );
    b.keys(text);
    assert!(
        b.wait_for(
            &format!(
                "{OPEN} && document.querySelectorAll('#mb-search-results [role=option]').length > 0"
            ),
            Duration::from_secs(15)
        )
        .is_some(),
        "typing {text:?} shows no results"
    );
}

#[test]
fn keyboard_navigation_opens_a_result() {
    let site = Site::sample();
    site.build();
    let Some(b) = browser::start("search keyboard_navigation_opens_a_result") else {
        return;
    };
    let server = StaticServer::start(&site.public());
    b.goto(&format!("{}index.html", server.url()));
    type_query(&b, "confidentialite");
    let selected = "Array.from(document.querySelectorAll('#mb-search-results [role=option]')).findIndex(function (a) { return a.getAttribute('aria-selected') === 'true'; })";
    b.keys(ARROW_DOWN);
    assert_eq!(b.eval(&format!("return {selected};")), 0);
    b.keys(ARROW_DOWN);
    assert_eq!(b.eval(&format!("return {selected};")), 1);
    b.keys(ARROW_UP);
    assert_eq!(b.eval(&format!("return {selected};")), 0);
    assert_eq!(
        b.eval("var i = document.getElementById('mb-search-input'); return document.activeElement === i && i.getAttribute('aria-activedescendant');"),
        "mb-search-option-0",
        "focus stays in the box, the option is its active descendant"
    );
    b.keys(ENTER);
    assert!(
        b.wait_for(
            "location.pathname.endsWith('/relation/confidentialite.html') && document.readyState === 'complete'",
            Duration::from_secs(10)
        )
        .is_some(),
        "Enter did not open the selected result"
    );

    // Escape closes the results and leaves the focus in the box.
    type_query(&b, "ecoute");
    b.keys(ESCAPE);
    assert_eq!(
        b.eval("var i = document.getElementById('mb-search-input'); return [document.getElementById('mb-search-results').hidden, i.getAttribute('aria-expanded'), document.activeElement === i];"),
        serde_json::json!([true, "false", true])
    );

    // Partial words match as they are typed.
    type_query(&b, "confid");
    let hits = results(&b);
    assert!(
        hits.iter()
            .any(|h| path_of(&h.href).ends_with("/relation/confidentialite.html")),
        "{hits:?}"
    );
}

#[test]
fn html_in_content_never_runs_from_results() {
    let site = Site::new();
    site.write("content/_index.md", "---\ntitle: Accueil\n---\nBienvenue.\n")
        .write(
            "content/piege.md",
            "---\ntitle: \"<img src=x onerror=window.__xss=1> Piège\"\n---\n\
             Du code `<img src=x onerror=window.__xss=2>` et du texte &lt;img src=x onerror=window.__xss=3&gt; xsspiege.\n\n\
             ## `<script>window.__xss=4</script>` Titre xsspiege {#piege}\n\n\
             <b onmouseover=\"window.__xss=5\">gras</b> xsspiege <img src=x onerror=\"window.__xss_page=1\">\n",
        );
    site.build();
    let Some(b) = browser::start("search html_in_content_never_runs_from_results") else {
        return;
    };
    let index = site.public().join("index.html");
    let hits = search(
        &b,
        &format!("file://{}", index.display()),
        "onerror xsspiege",
    );
    assert!(!hits.is_empty(), "the page is found");
    let hits = search(&b, &format!("file://{}", index.display()), "script");
    assert!(
        hits.iter().any(|h| h.heading.contains("<script>")),
        "the heading shows the code as text: {hits:?}"
    );
    let hits = search(&b, &format!("file://{}", index.display()), "onerror");
    assert!(
        hits.iter()
            .any(|h| h.title.starts_with("<img src=x onerror")),
        "the title shows the code as text: {hits:?}"
    );
    assert!(
        hits.iter()
            .any(|h| h.snippet.contains("<img src=x onerror=window.__xss=2>")),
        "the snippet shows the code as text: {hits:?}"
    );
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        b.eval("return [typeof window.__xss, document.querySelectorAll('#mb-search-results img, #mb-search-results script, #mb-search-results b').length];"),
        serde_json::json!(["undefined", 0]),
        "no element came from content text"
    );
}

/// Text exercising the tokenizer: every character of the fold table, upper and
/// lower case, decomposed accents, ligatures, other scripts, long words.
fn tricky_texts() -> Vec<String> {
    let table: String = mentorbook::search::tokenize::fold_table()
        .iter()
        .map(|(c, _)| format!("{c}{} a{c}b ", c.to_uppercase()))
        .collect();
    let mut texts = vec![
        table,
        "E\u{301}COUTE e\u{301}coute\u{300}s Ǆemal ǅemal ﬁnale ﬂeur İstanbul ΣΟΦΙΑΣ straße ŒUVRE"
            .into(),
        "mentoré·e·s l’écoute d'abord c'est-à-dire « citation » 1 2 10 2024 a b".into(),
        "Привет МИР 日本語のテキスト 😀 ½ ² Ⅻ ١٢٣ ½x".into(),
        format!("{} {}", "é".repeat(40), "ab".repeat(30)),
        "\u{0}\u{feff}\u{200b}\u{2028}\u{fffd} tab\tnl\ncr\r".into(),
    ];
    let inflections = "mentor mentors mentore mentores mentoree mentorees mentorat ecoute ecoutes \
        ecouter ecoutez ecoutent ecoutant ecouté confidentialite confidentialites confidentiel \
        confidentielle accompagnement accompagner actif active activement premier premiere seance \
        seances formation formateur formatrice reussir reussite heureux heureuse journaux bureaux \
        coach coaches coaching coached listen listening listened mentee mentees study studies actively";
    texts.push(inflections.into());
    texts
}

#[test]
fn browser_and_build_normalise_words_the_same_way() {
    let site = Site::sample();
    site.write(
        "content/99-english.md",
        "---\ntitle: Coaching and listening\nlang: en\n---\nThe mentees are listening to their coaches.\n",
    );
    site.build();
    let Some(b) = browser::start("search browser_and_build_normalise_words_the_same_way") else {
        return;
    };
    b.goto(&format!("file://{}/index.html", site.public().display()));
    b.eval("document.getElementById('mb-search-input').focus(); return null;");
    assert!(
        b.wait_for(
            "window.mbSearch && window.mbSearch.ready()",
            Duration::from_secs(15)
        )
        .is_some(),
        "the index did not load"
    );

    // Every Markdown file of the sample, plus tricky text.
    let mut texts = tricky_texts();
    for e in walkdir::WalkDir::new(site.path().join("content"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
    {
        texts.push(std::fs::read_to_string(e.path()).expect("read content"));
    }
    let js_words = b.eval(&format!(
        "return {}.map(function (t) {{ return window.mbSearch.words(t); }});",
        serde_json::to_string(&texts).expect("json")
    ));
    let mut vocabulary = std::collections::BTreeSet::new();
    for (text, js) in texts.iter().zip(js_words.as_array().expect("array")) {
        let rust = mentorbook::search::tokenize::words(text);
        let js: Vec<String> = serde_json::from_value(js.clone()).expect("words");
        if rust != js {
            let at = rust
                .iter()
                .zip(&js)
                .position(|(a, b)| a != b)
                .unwrap_or(rust.len().min(js.len()));
            panic!(
                "tokenizers differ at word {at}: rust {:?} / js {:?}\nin {:?}",
                rust.get(at.saturating_sub(2)..(at + 3).min(rust.len())),
                js.get(at.saturating_sub(2)..(at + 3).min(js.len())),
                text.chars().take(200).collect::<String>()
            );
        }
        vocabulary.extend(rust);
    }
    assert!(
        vocabulary.len() > 2000,
        "a large vocabulary: {}",
        vocabulary.len()
    );

    // Every word, its prefixes, and each with every suffix the rules know: this
    // reaches each rule on both sides of its length condition.
    let mut suffixes = std::collections::BTreeSet::new();
    for lang in [
        mentorbook::search::stem::FRENCH,
        mentorbook::search::stem::ENGLISH,
    ] {
        for step in lang.steps {
            suffixes.extend(step.iter().map(|r| r.0));
        }
    }
    let mut extended = std::collections::BTreeSet::new();
    for w in &vocabulary {
        let chars: Vec<char> = w.chars().collect();
        for n in 1..=chars.len() {
            extended.insert(chars[..n].iter().collect::<String>());
        }
        for s in &suffixes {
            extended.insert(format!("{w}{s}"));
        }
    }
    assert!(extended.len() > 50_000, "{}", extended.len());

    let words: Vec<&String> = extended.iter().collect();
    for (lang, rules) in [
        ("fr", mentorbook::search::stem::FRENCH),
        ("en", mentorbook::search::stem::ENGLISH),
    ] {
        let js = b.eval(&format!(
            "return {}.map(function (w) {{ return window.mbSearch.stem(w, '{lang}'); }});",
            serde_json::to_string(&words).expect("json")
        ));
        let js: Vec<String> = serde_json::from_value(js).expect("stems");
        let differ: Vec<String> = words
            .iter()
            .zip(&js)
            .filter(|(w, j)| rules.stem(w) != **j)
            .map(|(w, j)| format!("{w}: rust {} / js {j}", rules.stem(w)))
            .take(10)
            .collect();
        assert!(differ.is_empty(), "{lang} stems differ: {differ:?}");
    }
}

/// A handbook of `n` pages, page `i` holding the word `motunique<i>`, and the
/// word `zephyr` in the text of page 3 and in the title of page `n - 10`.
fn big_site(n: usize) -> Site {
    let site = Site::new();
    site.write("mentorbook.yaml", "title: Grand\nlang: fr\n");
    site.write(
        "content/_index.md",
        "---\ntitle: Accueil\n---\nBienvenue.\n",
    );
    for i in 0..n {
        let title = if i == n - 10 {
            format!("Zephyr {i}")
        } else {
            format!("Page {i}")
        };
        let extra = if i == 3 { " Un zephyr passe." } else { "" };
        site.write(
            &format!("content/s/p{i:04}.md"),
            &format!("---\ntitle: {title}\n---\nTexte commun motunique{i}.{extra}\n"),
        );
    }
    site
}

#[test]
fn a_big_index_is_written_in_parts() {
    let n = 2 * mentorbook::search::PART_PAGES + 40;
    let site = big_site(n);
    site.build();
    let public = site.public();
    let first = std::fs::read_to_string(public.join("search-index.js")).expect("first part");
    assert!(
        first.starts_with("window.MB_SEARCH_INDEX={\"v\":1,\"parts\":3,"),
        "{}",
        &first[..60]
    );
    for k in 1..3 {
        let part = std::fs::read_to_string(public.join(format!("search-index-{k}.js")))
            .expect("other part");
        let prefix = format!("(window.MB_SEARCH_PARTS=window.MB_SEARCH_PARTS||[])[{k}]=");
        let json = part
            .strip_prefix(&prefix)
            .and_then(|s| s.strip_suffix(";\n"))
            .expect("a part assigns its slot");
        let v: Value = serde_json::from_str(json).expect("JSON");
        let pages = v["pages"].as_array().expect("pages").len();
        // The home page and the section's index are pages too.
        let want = if k == 1 {
            mentorbook::search::PART_PAGES
        } else {
            n + 2 - 2 * mentorbook::search::PART_PAGES
        };
        assert_eq!(pages, want, "part {k}");
    }
    assert!(!public.join("search-index-3.js").exists());
}

/// Searches of a big handbook find pages in every part, ranked as one index.
fn big_queries(b: &Browser, base: &str, n: usize) {
    let page = format!("{base}s/p0001.html");
    for i in [2, mentorbook::search::PART_PAGES + 7, n - 1] {
        // A space after the word: a whole word, not a prefix.
        let hits = search(b, &page, &format!("motunique{i} "));
        assert_eq!(hits.len(), 1, "motunique{i}: {hits:?}");
        assert!(
            path_of(&hits[0].href).ends_with(&format!("/s/p{i:04}.html")),
            "{hits:?}"
        );
    }
    let hits = search(b, &page, "zephyr ");
    let paths: Vec<&str> = hits.iter().map(|h| path_of(&h.href)).collect();
    assert_eq!(paths.len(), 2, "{hits:?}");
    assert!(
        paths[0].ends_with(&format!("/s/p{:04}.html", n - 10)),
        "the title first: {paths:?}"
    );
    assert!(paths[1].ends_with("/s/p0003.html"), "{paths:?}");
}

#[test]
fn a_big_index_in_parts_is_searched_as_one_over_http_and_file_urls() {
    let n = 2 * mentorbook::search::PART_PAGES + 40;
    let site = big_site(n);
    site.build();
    let Some(b) = browser::start("search a_big_index_in_parts_is_searched_as_one") else {
        return;
    };
    let server = StaticServer::start(&site.public());
    big_queries(&b, &server.url(), n);
    big_queries(&b, &format!("file://{}/", site.public().display()), n);
}
