//! Live reload in a real headless Chromium: an edit shows up by itself (and the
//! time it takes is printed), the scroll position is kept, a stylesheet edit is
//! swapped in without a reload, and a broken page shows the overlay until fixed.

use std::time::Duration;

use super::*;

const PAGE_SRC: &str = "content/02-relation/01-posture.md";
const PAGE_URL: &str = "/relation/posture.html";

fn append(site: &Site, rel: &str, text: &str) {
    let path = site.path().join(rel);
    let mut body = std::fs::read_to_string(&path).expect("read page");
    body.push_str(text);
    std::fs::write(&path, body).expect("write page");
}

fn median_ms(mut v: Vec<Duration>) -> u128 {
    v.sort();
    v[v.len() / 2].as_millis()
}

#[test]
fn edits_show_up_live_and_errors_show_an_overlay() {
    let site = Site::sample();
    // Not verified: this test measures latency (the sync tests verify).
    let mut server = Server::start_with(&site, &[], false);
    let Some(b) = browser::start("edits_show_up_live_and_errors_show_an_overlay") else {
        return;
    };
    b.goto(&server.url(PAGE_URL));
    assert!(
        b.wait_for(
            "document.querySelector('script[data-version]') !== null",
            Duration::from_secs(10)
        )
        .is_some()
    );

    // Edit → visible, ten times; the scroll position survives each reload.
    b.eval("window.scrollTo(0, 300); return null;");
    let mut latencies = Vec::new();
    for i in 0..10 {
        let token = format!("LIVE-EDIT-{i}");
        // Let the page settle and connect its event stream before editing.
        assert!(
            b.wait_for(
                "document.readyState === 'complete'",
                Duration::from_secs(10)
            )
            .is_some()
        );
        std::thread::sleep(Duration::from_millis(150));
        append(&site, PAGE_SRC, &format!("\nParagraphe ajouté {token}.\n"));
        let seen = b.wait_for(
            &format!("document.body && document.body.innerText.includes('{token}')"),
            Duration::from_secs(15),
        );
        let Some(t) = seen else {
            panic!("edit {i} never showed up:\n{}", server.log());
        };
        latencies.push(t);
    }
    println!(
        "serve: edit-to-visible in Chromium (debug build, sample handbook): median {} ms over {} edits, min {} ms, max {} ms",
        median_ms(latencies.clone()),
        latencies.len(),
        latencies.iter().min().map_or(0, Duration::as_millis),
        latencies.iter().max().map_or(0, Duration::as_millis),
    );
    let scroll = b.eval("return window.scrollY;").as_f64().unwrap_or(0.0);
    assert!(
        (scroll - 300.0).abs() < 40.0,
        "scroll position kept across reloads, got {scroll}"
    );

    // A stylesheet edit is swapped in without reloading the page.
    b.eval("window.__mbNoReload = 'still here'; return null;");
    append(
        &site,
        "themes/default/static/assets/style.css",
        "\nbody { outline: 3px solid rgb(1, 2, 3); }\n",
    );
    let swapped = b.wait_for(
        "getComputedStyle(document.body).outlineColor === 'rgb(1, 2, 3)'",
        Duration::from_secs(15),
    );
    assert!(
        swapped.is_some(),
        "stylesheet not applied:\n{}",
        server.log()
    );
    assert_eq!(
        b.eval("return window.__mbNoReload || null;"),
        "still here",
        "a stylesheet-only change must not reload the page"
    );

    // Broken front matter: the overlay names the file and line.
    let original = std::fs::read_to_string(site.path().join(PAGE_SRC)).expect("read");
    let broken = original.replacen("title: La posture du mentor", "title: [La posture", 1);
    assert_ne!(broken, original);
    std::fs::write(site.path().join(PAGE_SRC), &broken).expect("write");
    let shown = b.wait_for(
        "(function(){var o=document.getElementById('mentorbook-overlay');\
         return !!o && !!o.shadowRoot && o.shadowRoot.textContent.includes('content/02-relation/01-posture.md:2:');})()",
        Duration::from_secs(15),
    );
    assert!(shown.is_some(), "no overlay:\n{}", server.log());
    let main_text = b.eval("return document.querySelector('main').innerText;");
    assert!(
        main_text
            .as_str()
            .unwrap_or_default()
            .contains("LIVE-EDIT-9"),
        "the last good page stays under the overlay"
    );

    // Fixed: the overlay goes and the page shows the new text.
    std::fs::write(
        site.path().join(PAGE_SRC),
        format!("{original}\nCorrigé FIXED-TOKEN.\n"),
    )
    .expect("write");
    let fixed = b.wait_for(
        "!document.getElementById('mentorbook-overlay') && document.body.innerText.includes('FIXED-TOKEN')",
        Duration::from_secs(15),
    );
    assert!(fixed.is_some(), "overlay did not go:\n{}", server.log());
    assert!(server.alive(), "the server never exits on bad input");
}

const SHEET_SRC: &str = "content/05-fiches/02-seances/07-preparer-une-seance.md";
const SHEET_URL: &str = "/fiches/seances/preparer-une-seance.html";

/// How many times the page fetched a page of the site by script (the swaps).
const FETCHES: &str = "return performance.getEntriesByType('resource')\
    .filter(function (e) { return e.initiatorType === 'fetch'; }).length;";

#[test]
fn a_body_edit_swaps_the_page_content_in_place() {
    let site = Site::sample();
    let server = Server::start(&site, &[]);
    let Some(b) = browser::start("a_body_edit_swaps_the_page_content_in_place") else {
        return;
    };
    b.goto(&server.url(SHEET_URL));
    assert!(
        b.wait_for(
            "document.readyState === 'complete' && document.querySelector('script[data-page]') !== null",
            Duration::from_secs(10)
        )
        .is_some(),
        "the reload script names the page it serves"
    );
    // Let the event stream connect before editing.
    std::thread::sleep(Duration::from_millis(300));
    // The reader types into the first field, which keeps the focus, and scrolls.
    b.click("#mb-main textarea");
    b.keys("ce que j'ai tapé");
    b.eval(
        "window.scrollTo(0, 250); window.__mbSameDocument = 'yes';\
         window.__mbField = document.activeElement; return null;",
    );
    let scroll_before = b.eval("return window.scrollY;").as_f64().unwrap_or(0.0);
    assert!(
        scroll_before > 100.0,
        "the worksheet is long enough to scroll"
    );
    let field_id = b.eval("return document.activeElement.id;");
    assert!(
        field_id.as_str().is_some_and(|s| !s.is_empty()),
        "a field is focused: {field_id}"
    );

    // An edit to the body: the new text appears without a reload.
    append(&site, SHEET_SRC, "\nParagraphe ajouté SWAP-TOKEN-1.\n");
    let seen = b.wait_for(
        "document.getElementById('mb-main').innerText.includes('SWAP-TOKEN-1')",
        Duration::from_secs(15),
    );
    assert!(
        seen.is_some(),
        "the edit never showed up:\n{}",
        server.log()
    );
    assert_eq!(
        b.eval("return window.__mbSameDocument || null;"),
        "yes",
        "a body edit must not reload the page"
    );
    assert_eq!(
        b.eval("return document.activeElement.id;"),
        field_id,
        "the focus stays in the field"
    );
    assert_eq!(
        b.eval("return document.activeElement.value;"),
        "ce que j'ai tapé",
        "what the reader typed stays"
    );
    let scroll = b.eval("return window.scrollY;").as_f64().unwrap_or(0.0);
    assert!(
        (scroll - scroll_before).abs() < 2.0,
        "the scroll position stays: {scroll_before} then {scroll}"
    );
    assert_eq!(b.eval(FETCHES), 1, "one fetch of the page, for the swap");

    // A paragraph before the fields: they stay where they are, with what was typed.
    let text = std::fs::read_to_string(site.path().join(SHEET_SRC)).expect("read");
    let before = text.replacen(
        "\nÀ remplir seul·e",
        "\nAvant SWAP-TOKEN-2.\n\nÀ remplir seul·e",
        1,
    );
    assert_ne!(before, text);
    std::fs::write(site.path().join(SHEET_SRC), before).expect("write");
    let seen = b.wait_for(
        "document.getElementById('mb-main').innerText.includes('SWAP-TOKEN-2')",
        Duration::from_secs(15),
    );
    assert!(
        seen.is_some(),
        "the edit never showed up:\n{}",
        server.log()
    );
    assert_eq!(b.eval("return window.__mbSameDocument || null;"), "yes");
    // The field's id holds its source line, which moved: the element stays all the same.
    assert_eq!(
        b.eval("return document.activeElement === window.__mbField;"),
        true,
        "the focused field is the same element"
    );
    assert_ne!(b.eval("return document.activeElement.id;"), field_id);
    assert_eq!(
        b.eval("return document.activeElement.value;"),
        "ce que j'ai tapé"
    );
    let fetches = b.eval(FETCHES);
    assert_eq!(fetches, 2);

    // An edit to another page: this one does nothing at all.
    let v = server.version();
    append(&site, PAGE_SRC, "\nAilleurs OTHER-TOKEN.\n");
    server.wait_rebuilt(v);
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(
        b.eval(FETCHES),
        fetches,
        "another page's edit fetches nothing"
    );
    assert_eq!(b.eval("return window.__mbSameDocument || null;"), "yes");

    // A changed title changes the navigation of every page: a full reload.
    let text = std::fs::read_to_string(site.path().join(SHEET_SRC)).expect("read");
    let retitled = text.replacen(
        "title: Préparer ma séance",
        "title: Préparer ma séance TITLE-TOKEN",
        1,
    );
    assert_ne!(retitled, text);
    std::fs::write(site.path().join(SHEET_SRC), retitled).expect("write");
    let reloaded = b.wait_for(
        "!window.__mbSameDocument && document.title.includes('TITLE-TOKEN')",
        Duration::from_secs(15),
    );
    assert!(
        reloaded.is_some(),
        "a layout change reloads the page:\n{}",
        server.log()
    );
}
