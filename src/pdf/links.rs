//! What a printed page's links to other files become in its PDF.
//!
//! Pages print from a temporary folder, so Chromium would write their links to
//! other pages as `file:///tmp/.tmpXXXX/…`: dead once printing ends, and
//! showing the build machine's folders in files sent to mentoring pairs. Before
//! each print a script rewrites every link to a file of that folder: under
//! `base_url` when the handbook has one (where the site is published), else it
//! loses its address and stays as text. Links inside the printed file (its own
//! anchors, which become links within the PDF) and to other sites are kept.

/// The script (a JavaScript expression, run in the page before it prints) that
/// rewrites the page's links to files under `root` (the `file://` URL of the
/// built site's folder): to `base` and the same path when given, else to no
/// address. It returns how many links it rewrote.
pub(crate) fn script(root: &str, base: Option<&str>) -> String {
    let base = base.map(|b| {
        if b.ends_with('/') {
            b.to_string()
        } else {
            format!("{b}/")
        }
    });
    let js_string = |s: &str| serde_json::Value::String(s.to_string()).to_string();
    format!(
        "((root, base) => {{ root = new URL(root).href; let n = 0; \
for (const a of document.querySelectorAll('a[href]')) {{ \
let u; try {{ u = new URL(a.getAttribute('href'), location.href); }} catch (e) {{ continue; }} \
if (u.protocol !== 'file:') continue; \
if (u.pathname === location.pathname) continue; \
if (base && u.href.startsWith(root)) a.setAttribute('href', base + u.href.slice(root.length)); \
else a.removeAttribute('href'); \
n++; }} return n; }})({}, {})",
        js_string(root),
        base.as_deref().map_or("null".to_string(), js_string)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_names_the_folder_and_the_published_address() {
        let s = script(
            "file:///tmp/.tmpAb/",
            Some("https://intranet.example.org/guide"),
        );
        assert!(
            s.ends_with(r#"})("file:///tmp/.tmpAb/", "https://intranet.example.org/guide/")"#),
            "{s}"
        );
        let s = script("file:///tmp/x\"y/", None);
        assert!(
            s.ends_with(r#"})("file:///tmp/x\"y/", null)"#),
            "quoted: {s}"
        );
    }
}
