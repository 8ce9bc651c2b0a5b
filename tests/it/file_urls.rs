//! The built handbook works from `file://` in a real browser: pages load their
//! stylesheet and script, and navigation links lead to the right pages.

use std::time::Duration;

use crate::browser;
use crate::support::*;

#[test]
fn navigation_works_from_file_urls() {
    let site = Site::sample();
    site.build();
    let Some(b) = browser::start("navigation_works_from_file_urls") else {
        return;
    };
    let index = site.public().join("index.html");
    b.goto(&format!("file://{}", index.display()));
    assert_eq!(b.eval("return document.documentElement.lang;"), "fr");
    // The stylesheet loaded: the sidebar is laid out as a grid column.
    let display = b.eval("return getComputedStyle(document.querySelector('.layout')).display;");
    assert_eq!(display, "grid");
    b.eval(
        "document.querySelector('.nav-tree a[href$=\"ecoute-active.html\"]').click(); return null;",
    );
    let reached = b.wait_for("location.href.endsWith('relation/ecoute-active.html') && document.readyState === 'complete'", Duration::from_secs(10));
    assert!(
        reached.is_some(),
        "clicking the navigation link did not open the page"
    );
    assert_eq!(
        b.eval("return document.querySelector('main h1').textContent;"),
        "Écouter activement"
    );
    // Follow the "next" link, then the breadcrumb back home.
    b.eval("document.querySelector('a[rel=next]').click(); return null;");
    assert!(
        b.wait_for(
            "!location.href.endsWith('ecoute-active.html') && document.readyState === 'complete'",
            Duration::from_secs(10)
        )
        .is_some()
    );
    b.eval("document.querySelector('.breadcrumbs a').click(); return null;");
    assert!(
        b.wait_for(
            "location.href.endsWith('/index.html') && !!document.querySelector('.kind-home')",
            Duration::from_secs(10)
        )
        .is_some()
    );
}
