//! The build-error overlay shown over served pages, the error page served when
//! no build has succeeded yet, and `POST /__mentorbook/open`, which opens a
//! file the overlay names.
//!
//! Each error reads as in the terminal: `path:line:col: error: message`, its
//! `help:` line, and the source line it points at, with a caret under the
//! column. The overlay lives in its own shadow root (declarative shadow DOM,
//! attached by a line of script where a browser lacks it) with its own styles,
//! so no theme can restyle it: light text on a dark red panel, readable over
//! any page, light or dark. The path of each error is a link: clicking it asks
//! the server to open the file (with `MENTORBOOK_EDITOR` when set, e.g.
//! `code --goto {file}:{line}:{col}`, else with the system's default program).

use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::text::escape_html;

/// The overlay's element id.
pub const OVERLAY_ID: &str = "mentorbook-overlay";

/// The path that opens a file named by the overlay.
pub const OPEN_PATH: &str = "/__mentorbook/open";

/// Files larger than this are not read for their source line.
const MAX_SOURCE: u64 = 4 << 20;
/// Errors shown with their source line (the rest are listed without).
const MAX_EXCERPTS: usize = 50;
/// Characters of a source line read.
const MAX_LINE: usize = 2000;
/// Characters of a source line shown around the column.
const WINDOW: usize = 90;

/// The overlay's styles: everything it shows is styled here, inside its shadow
/// root, so page styles never reach it. Colours meet WCAG AA on the panel.
const STYLE: &str = ":host{all:initial;position:fixed;z-index:2147483647;left:0;right:0;bottom:0;display:block}\
.panel{box-sizing:border-box;max-height:60vh;overflow:auto;padding:1em 1.25em;background:#2b0d0d;color:#fff;\
border-top:4px solid #ff6b6b;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,'Liberation Mono',monospace;\
color-scheme:dark;text-align:left}\
h2{font:inherit;font-weight:700;font-size:1.1em;margin:0 0 .25em;color:#fff}\
p{margin:0 0 .75em;color:#f4dede}\
.error{margin:0 0 1em;padding:0;list-style:none}\
.where{color:#fff;font-weight:700;word-break:break-all}\
a{color:#9fd3ff;text-decoration:underline;text-underline-offset:.15em}\
a:focus-visible,button:focus-visible{outline:3px solid #ffd166;outline-offset:2px}\
pre{margin:.35em 0 0;padding:.5em .75em;background:#160505;color:#ffe9e9;border-radius:4px;white-space:pre;overflow-x:auto;font:inherit}\
.caret{color:#ff8f8f}\
.help{color:#c6f0c2}\
.close{float:right;margin:0 0 .5em 1em;min-width:2.75em;min-height:2.75em;background:#2b0d0d;border:1px solid #fff;\
color:#fff;border-radius:4px;cursor:pointer;font:inherit;font-size:1.1em}\
.close:hover{background:#4a1414}\
.status{color:#ffd9a0;min-height:1.5em}\
ol{margin:0;padding:0;list-style:none}";

/// What the overlay needs to show sources and open files: the handbook's root
/// and the `../` prefix from the requested page to the server's root.
#[derive(Debug, Clone, Copy)]
pub struct Where<'a> {
    /// The handbook's root folder (canonical).
    pub root: &'a Path,
    /// The prefix from the page to the site root (`""`, `"../"`…).
    pub prefix: &'a str,
    /// Whether the page under the overlay is in French (its texts around the
    /// errors are then French; the errors read as in the terminal).
    pub french: bool,
}

/// Whether an HTML page says it is in French (`<html lang="fr…">` in its first bytes).
pub fn is_french(html: &[u8]) -> bool {
    let head = &html[..html.len().min(512)];
    head.windows(9)
        .any(|w| w[..8].eq_ignore_ascii_case(b"lang=\"fr") && matches!(w[8], b'"' | b'-' | b'_'))
}

/// An overlay listing `diags`, telling whether the page under it is the last good
/// version (`has_site`) or nothing could be built yet.
pub fn overlay(diags: &[Diagnostic], has_site: bool, at: Where<'_>) -> String {
    let errors = diags.iter().filter(|d| d.is_error()).count().max(1);
    let (heading, note, close) = if at.french {
        (
            format!(
                "mentorbook\u{a0}: la construction a échoué ({errors}\u{a0}erreur{})",
                if errors == 1 { "" } else { "s" }
            ),
            if has_site {
                "Cette page est la dernière version construite. Corrigez l’erreur et enregistrez\u{a0}: ce message disparaîtra de lui-même."
            } else {
                "Aucune version du guide n’a encore été construite. Corrigez l’erreur et enregistrez\u{a0}: la page se rechargera d’elle-même."
            },
            "Fermer",
        )
    } else {
        (
            format!(
                "mentorbook: the build failed with {errors} error{}",
                if errors == 1 { "" } else { "s" }
            ),
            if has_site {
                "This page is the last version that built. Fix the error and save: this message goes away by itself."
            } else {
                "No version of the handbook has built yet. Fix the error and save: the page reloads by itself."
            },
            "Close",
        )
    };
    let mut items = String::new();
    for (i, d) in diags.iter().enumerate() {
        items.push_str(&item(d, at, i < MAX_EXCERPTS));
    }
    let open = escape_html(&format!(
        "{}{}",
        at.prefix,
        OPEN_PATH.trim_start_matches('/')
    ));
    let (opened, unreachable) = if at.french {
        ("Ouvert\u{a0}: ", "Le serveur ne répond pas.")
    } else {
        ("Opened ", "The server cannot be reached.")
    };
    format!(
        "<mentorbook-overlay id=\"{OVERLAY_ID}\" data-open=\"{open}\" data-opened=\"{opened}\" data-unreachable=\"{unreachable}\"><template shadowrootmode=\"open\">\
<style>{STYLE}</style><section class=\"panel\" role=\"alert\" aria-labelledby=\"t\">\
<button type=\"button\" class=\"close\" aria-label=\"{close}\">×</button>\
<h2 id=\"t\">{heading}</h2><p>{note}</p><ol>{items}</ol><p class=\"status\" role=\"status\"></p></section>\
</template></mentorbook-overlay><script>{SCRIPT}</script>"
    )
}

/// Attaches the shadow root where the browser did not (no declarative shadow
/// DOM), then wires the close button and the links that open files.
const SCRIPT: &str = "(function(){var h=document.getElementById('mentorbook-overlay');if(!h)return;\
var t=h.querySelector('template');if(!h.shadowRoot&&t&&h.attachShadow){h.attachShadow({mode:'open'}).appendChild(t.content);}\
if(t&&t.parentNode===h)h.removeChild(t);var r=h.shadowRoot;if(!r)return;\
r.querySelector('.close').addEventListener('click',function(){h.remove();});\
var st=r.querySelector('.status');\
Array.prototype.forEach.call(r.querySelectorAll('a[data-path]'),function(a){a.addEventListener('click',function(e){\
e.preventDefault();var q=new URLSearchParams({path:a.dataset.path,line:a.dataset.line||'0',col:a.dataset.col||'0'});\
fetch(h.dataset.open+'?'+q.toString(),{method:'POST'}).then(function(res){return res.text().then(function(x){\
st.textContent=res.ok?h.dataset.opened+a.dataset.path:x;});}).catch(function(){st.textContent=h.dataset.unreachable;});});});})();";

/// One error: its location as a link, its message, its source line and help.
fn item(d: &Diagnostic, at: Where<'_>, with_source: bool) -> String {
    let sev = if d.is_error() { "error" } else { "warning" };
    let loc = match d.location {
        Some(l) => format!("{}:{}:{}", d.path, l.line, l.col),
        None => d.path.clone(),
    };
    let abs = at.root.join(&d.path);
    let href = file_url(&abs);
    let link = format!(
        "<a href=\"{}\" data-path=\"{}\" data-line=\"{}\" data-col=\"{}\" title=\"{} {}\">{}</a>",
        escape_html(&href),
        escape_html(&d.path),
        d.line(),
        d.col(),
        if at.french { "Ouvrir" } else { "Open" },
        escape_html(&abs.display().to_string()),
        escape_html(&loc)
    );
    let mut out = format!(
        "<li class=\"error\"><span class=\"where\">{link}: {sev}:</span> {}",
        escape_html(&d.message)
    );
    if with_source && let Some((n, text)) = source_line(at.root, d) {
        let (text, col) = window(&text, d.col().max(1));
        let width = n.to_string().len();
        let caret = format!("{}^", " ".repeat(col.saturating_sub(1)));
        // Focusable, so a line wider than the panel can be scrolled from the keyboard.
        out.push_str(&format!(
            "<pre tabindex=\"0\" aria-label=\"{} {n} {} {}\">{n} | {}\n{} | <span class=\"caret\">{}</span></pre>",
            if at.french { "ligne" } else { "line" },
            if at.french { "de" } else { "of" },
            escape_html(&d.path),
            escape_html(&text),
            " ".repeat(width),
            caret
        ));
    }
    if let Some(h) = &d.help {
        out.push_str(&format!(
            "<div class=\"help\">help: {}</div>",
            escape_html(h)
        ));
    }
    out.push_str("</li>");
    out
}

/// At most [`WINDOW`] characters of `line` around column `col`, with `…` where
/// it was cut, and the column in what is kept.
fn window(line: &str, col: usize) -> (String, usize) {
    let chars: Vec<char> = line.chars().collect();
    if chars.len() <= WINDOW {
        return (line.to_string(), col);
    }
    let start = col.saturating_sub(WINDOW / 2).min(chars.len() - WINDOW);
    let end = start + WINDOW;
    let mut out = String::new();
    let mut col = col - start;
    if start > 0 {
        out.push('…');
        col += 1;
    }
    out.extend(&chars[start..end]);
    if end < chars.len() {
        out.push('…');
    }
    (out, col)
}

/// A `file://` URL for `path` (what "copy link" gives; browsers will not open
/// it from a web page, so a click asks the server instead).
fn file_url(path: &Path) -> String {
    let text = crate::fs::slash_path(path);
    let encoded: Vec<String> = text.split('/').map(crate::urls::encode_segment).collect();
    let joined = encoded.join("/");
    if joined.starts_with('/') {
        format!("file://{joined}")
    } else {
        format!("file:///{joined}")
    }
}

/// The line a diagnostic points at, tabs shown as spaces and cut to a
/// readable length; only for files inside the handbook.
fn source_line(root: &Path, d: &Diagnostic) -> Option<(usize, String)> {
    let line = d.line();
    if line == 0 {
        return None;
    }
    let path = inside(root, &d.path)?;
    if std::fs::metadata(&path).ok()?.len() > MAX_SOURCE {
        return None;
    }
    let text = std::fs::read(&path).ok()?;
    let text = String::from_utf8_lossy(&text);
    let raw = text.lines().nth(line - 1)?;
    let shown: String = raw
        .trim_start_matches('\u{feff}')
        .replace('\t', "    ")
        .chars()
        .take(MAX_LINE)
        .collect();
    Some((line, shown))
}

/// The file at `rel` (relative to the handbook root) when it exists and its
/// real path lies inside the handbook.
pub fn inside(root: &Path, rel: &str) -> Option<PathBuf> {
    let rel = Path::new(rel);
    if rel.is_absolute()
        || rel
            .components()
            .any(|c| !matches!(c, std::path::Component::Normal(_)))
    {
        return None;
    }
    let real = root.join(rel).canonicalize().ok()?;
    let root = root.canonicalize().ok()?;
    real.starts_with(&root).then_some(real)
}

/// Opens the file `path` at `line:col`: with the command in `MENTORBOOK_EDITOR`
/// (its `{file}`, `{line}` and `{col}` replaced; the file appended when it has
/// no `{file}`), else with the system's default program for the file.
pub fn open_file(path: &Path, line: usize, col: usize) -> Result<(), String> {
    let file = path.display().to_string();
    match std::env::var("MENTORBOOK_EDITOR") {
        Ok(cmd) if !cmd.trim().is_empty() => {
            let mut words: Vec<String> = cmd
                .split_whitespace()
                .map(|w| {
                    w.replace("{file}", &file)
                        .replace("{line}", &line.max(1).to_string())
                        .replace("{col}", &col.max(1).to_string())
                })
                .collect();
            if !cmd.contains("{file}") {
                words.push(file.clone());
            }
            let (program, args) = words.split_first().ok_or("MENTORBOOK_EDITOR is empty")?;
            std::process::Command::new(program)
                .args(args)
                .stdin(std::process::Stdio::null())
                .spawn()
                .map(drop)
                .map_err(|e| format!("cannot run `{program}` (MENTORBOOK_EDITOR): {e}"))
        }
        _ => opener::open(path).map_err(|e| {
            format!("cannot open `{file}`: {e}; set MENTORBOOK_EDITOR, e.g. `code --goto {{file}}:{{line}}:{{col}}`")
        }),
    }
}

/// A whole page showing `diags`, for when no build has succeeded yet.
pub fn error_page(diags: &[Diagnostic], at: Where<'_>) -> String {
    let (lang, title, heading) = if at.french {
        (
            "fr",
            "Échec de la construction · mentorbook",
            "mentorbook\u{a0}: aucune version du guide n’a encore été construite",
        )
    } else {
        (
            "en",
            "Build failed · mentorbook",
            "mentorbook: no version of the handbook has built yet",
        )
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<title>{title}</title>\n</head>\n<body>\n<main><h1 style=\"font:600 1.2rem system-ui,sans-serif;margin:1rem\">{heading}</h1></main>\n{}\n</body>\n</html>\n",
        overlay(diags, false, at)
    )
}

/// Whether the handbook at `root` is in French, from its configuration's
/// `lang:` (French when it has none, as a build is): for the error page served
/// before anything built, when there is no page to ask.
pub fn handbook_is_french(root: &Path) -> bool {
    let file = root.join(crate::config::CONFIG_FILE);
    let small = std::fs::metadata(&file).is_ok_and(|m| m.len() <= 1 << 20);
    let Some(text) = small.then(|| std::fs::read_to_string(&file).ok()).flatten() else {
        return false;
    };
    text.lines()
        .find_map(|l| l.strip_prefix("lang:"))
        .map(|v| v.trim().trim_matches(['"', '\'']).to_ascii_lowercase())
        .is_none_or(|v| v == "fr" || v.starts_with("fr-") || v.starts_with("fr_"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn over_a_french_page_the_overlay_speaks_french() {
        assert!(is_french(b"<!DOCTYPE html>\n<html lang=\"fr\">"));
        assert!(is_french(b"<html lang=\"fr-CA\">"));
        assert!(!is_french(b"<html lang=\"en\">"));
        assert!(!is_french(b"<html lang=\"fra\">"));
        let dir = tempfile::tempdir().unwrap();
        let d = Diagnostic::error("content/a.md", 0, 0, "bad");
        let at = Where {
            root: dir.path(),
            prefix: "",
            french: true,
        };
        let html = overlay(&[d.clone(), d], true, at);
        assert!(
            html.contains("la construction a échoué (2\u{a0}erreurs)"),
            "{html}"
        );
        assert!(html.contains("aria-label=\"Fermer\""), "{html}");
        assert!(html.contains("title=\"Ouvrir "), "{html}");
        assert!(
            html.contains("data-opened=\"Ouvert\u{a0}: \"") && !html.contains("Opened"),
            "the script's messages too: {html}"
        );
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        std::fs::write(dir.path().join("content/a.md"), "---\ntitle: A\n---\n").unwrap();
        let d = Diagnostic::error("content/a.md", 2, 1, "bad");
        let html = overlay(&[d], true, at);
        assert!(
            html.contains("aria-label=\"ligne 2 de content/a.md\""),
            "{html}"
        );
    }

    #[test]
    fn overlay_shows_location_source_and_help_escaped() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        std::fs::write(
            dir.path().join("content/a.md"),
            "---\ntitle: A\n<bad> yaml: [\n---\n",
        )
        .unwrap();
        let d = Diagnostic::error("content/a.md", 3, 7, "bad <yaml>").with_help("close it");
        let at = Where {
            root: dir.path(),
            prefix: "../",
            french: false,
        };
        let html = overlay(&[d], true, at);
        assert!(
            html.contains("content/a.md:3:7</a>: error:</span> bad &lt;yaml&gt;"),
            "{html}"
        );
        assert!(html.contains("3 | &lt;bad&gt; yaml: ["), "{html}");
        assert!(
            html.contains("  | <span class=\"caret\">      ^</span>"),
            "{html}"
        );
        assert!(html.contains("help: close it"));
        assert!(html.contains("last version that built"));
        assert!(html.contains("shadowrootmode=\"open\""));
        assert!(html.contains("data-open=\"../__mentorbook/open\""));
        assert!(error_page(&[], at).contains(OVERLAY_ID));
    }

    #[test]
    fn long_lines_are_cut_around_the_column() {
        let line: String = (0..300)
            .map(|i| char::from(b'a' + (i % 26) as u8))
            .collect();
        let (shown, col) = window(&line, 200);
        assert!(shown.starts_with('…') && shown.ends_with('…'));
        assert_eq!(shown.chars().nth(col - 1), line.chars().nth(199));
        assert_eq!(window("court", 3), ("court".to_string(), 3));
    }

    #[test]
    fn only_files_inside_the_handbook_are_read_or_opened() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("mentorbook.yaml"), "title: T\n").unwrap();
        assert!(inside(dir.path(), "mentorbook.yaml").is_some());
        assert!(inside(dir.path(), "../etc/passwd").is_none());
        assert!(inside(dir.path(), "/etc/passwd").is_none());
        assert!(inside(dir.path(), "absent.md").is_none());
        let d = Diagnostic::error("../outside.md", 1, 1, "x");
        assert!(source_line(dir.path(), &d).is_none());
    }
}
