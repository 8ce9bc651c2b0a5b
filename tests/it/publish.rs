//! Publishing forms: the single-file handbook (opened from `file://` and from a
//! server that holds nothing else), the zip, and the SCORM package under a real
//! third-party SCORM runtime (scorm-again) in headless Chromium.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::browser;
use crate::static_server::StaticServer;
use crate::support::*;

/// The names of the files in a zip, in order, and each one's bytes.
fn unzip(path: &Path) -> Vec<(String, Vec<u8>)> {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut zip = zip::ZipArchive::new(file).expect("a zip");
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).expect("entry");
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).expect("read entry");
            (f.name().expect("entry name").to_string(), bytes)
        })
        .collect()
}

fn sample_with_forms() -> Site {
    let site = Site::sample();
    site.run(&["build", "--single-file", "--zip", "--scorm"])
        .success();
    site
}

#[test]
fn zip_and_scorm_packages_are_byte_identical_and_list_every_file() {
    let site = sample_with_forms();
    let zip1 = std::fs::read(site.path().join("public.zip")).expect("public.zip");
    let scorm1 = std::fs::read(site.path().join("public-scorm.zip")).expect("public-scorm.zip");
    site.run(&["build", "--single-file", "--zip", "--scorm"])
        .success();
    assert!(
        zip1 == std::fs::read(site.path().join("public.zip")).expect("zip"),
        "zip bytes differ"
    );
    assert!(
        scorm1 == std::fs::read(site.path().join("public-scorm.zip")).expect("scorm"),
        "SCORM bytes differ"
    );
    // The zip is the output folder, file for file.
    let entries = unzip(&site.path().join("public.zip"));
    let in_zip: Vec<String> = entries.iter().map(|(n, _)| n.clone()).collect();
    let on_disk: Vec<String> = tree(&site.public()).into_keys().collect();
    assert_eq!(in_zip, on_disk);
    for (name, bytes) in &entries {
        assert!(
            *bytes == std::fs::read(site.public().join(name)).expect("file"),
            "{name} differs"
        );
    }
    // The manifest is well-formed and lists every file of the package.
    let pkg = unzip(&site.path().join("public-scorm.zip"));
    let manifest = pkg
        .iter()
        .find(|(n, _)| n == "imsmanifest.xml")
        .map(|(_, b)| String::from_utf8(b.clone()).expect("utf-8"))
        .expect("imsmanifest.xml");
    let doc = roxmltree::Document::parse(&manifest).expect("well-formed XML");
    let listed: BTreeSet<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("file"))
        .filter_map(|n| n.attribute("href"))
        .map(percent_decode)
        .collect();
    let packaged: BTreeSet<String> = pkg
        .iter()
        .map(|(n, _)| n.clone())
        .filter(|n| n != "imsmanifest.xml")
        .collect();
    assert_eq!(
        listed, packaged,
        "the manifest lists exactly the package's files"
    );
    let sco = doc
        .descendants()
        .find(|n| {
            n.attribute(("http://www.adlnet.org/xsd/adlcp_rootv1p2", "scormtype")) == Some("sco")
        })
        .expect("a SCO");
    assert_eq!(sco.attribute("href"), Some("scorm/sco-handbook.html"));
}

#[test]
fn single_file_handbook_works_alone_from_file_and_from_a_bare_server() {
    let site = sample_with_forms();
    let file = site.public().join("handbook.html");
    let bytes = std::fs::metadata(&file).expect("handbook.html").len();
    // A bare folder holding only the file: any other request would show up in the log.
    let bare = tempfile::tempdir().expect("tmp");
    std::fs::copy(&file, bare.path().join("handbook.html")).expect("copy");
    let Some(b) = browser::start("single_file_handbook_works_alone") else {
        return;
    };
    let server = StaticServer::start(bare.path());
    for url in [
        format!("file://{}", file.display()),
        format!("{}handbook.html", server.url()),
    ] {
        b.goto(&url);
        b.wait_for("window.mentorbookSingle", Duration::from_secs(10))
            .unwrap_or_else(|| panic!("{url}: no router"));
        // Every page of the navigation, and every internal link of every page.
        let report = b.eval(
            r#"
            var S = window.mentorbookSingle, problems = [], shown = 0;
            var nav = Array.prototype.map.call(document.querySelectorAll('#mb-sidebar a[href]'), function (a) { return a.getAttribute('href'); });
            nav.forEach(function (h) {
              if (h.indexOf('#/') !== 0) problems.push('nav link not a route: ' + h);
            });
            S.pages.forEach(function (p) {
              S.show(p, '');
              shown++;
              var main = document.getElementById('mb-main');
              if (!main.textContent.trim()) problems.push(p + ': empty');
              main.querySelectorAll('a[href]').forEach(function (a) {
                var h = a.getAttribute('href');
                if (/^[a-z][a-z0-9+.\-]*:/i.test(h)) return;
                if (h.indexOf('#/') !== 0) { problems.push(p + ': link not a route: ' + h); return; }
                var rest = h.slice(2), at = rest.indexOf('#');
                var path = decodeURIComponent(at >= 0 ? rest.slice(0, at) : rest);
                var frag = at >= 0 ? decodeURIComponent(rest.slice(at + 1)) : '';
                if (S.pages.indexOf(path) < 0) { problems.push(p + ': no page ' + path); return; }
                if (frag) {
                  S.show(path, frag);
                  if (!document.getElementById(frag)) problems.push(p + ': ' + h + ' lands on no #' + frag);
                  S.show(p, '');
                }
              });
              main.querySelectorAll('img[src]').forEach(function (i) {
                if (i.getAttribute('src').indexOf('data:') !== 0) problems.push(p + ': image ' + i.getAttribute('src'));
              });
            });
            var inNav = nav.map(function (h) { return decodeURIComponent(h.slice(2).split('#')[0]); });
            S.pages.filter(function (p) { return /\.html$/.test(p) && p.indexOf('/print.html') < 0 && p.indexOf('editions/') !== 0 && p.indexOf('kits/') !== 0; })
              .forEach(function (p) { if (inNav.indexOf(p) < 0 && p !== 'print.html' && p !== 'timeline.html' && p.indexOf('worksheets/') !== 0) problems.push('not in the navigation: ' + p); });
            return { shown: shown, problems: problems };
            "#,
        );
        let problems = report["problems"].as_array().cloned().unwrap_or_default();
        assert!(problems.is_empty(), "{url}: {problems:#?}");
        assert!(
            report["shown"].as_u64().unwrap_or(0) >= 45,
            "{url}: {report}"
        );
        // Search finds a French word typed without its accent, and its result opens the page.
        b.eval("window.mentorbookSingle.show('index.html', '');");
        b.eval("document.getElementById('mb-search-input').focus();");
        b.keys("ecoute");
        b.wait_for(
            "document.querySelectorAll('#mb-search-results a').length > 0",
            Duration::from_secs(10),
        )
        .unwrap_or_else(|| panic!("{url}: no search result for `ecoute`"));
        b.eval("document.querySelector('#mb-search-results a').click();");
        b.wait_for(
            "window.mentorbookSingle.current() !== 'index.html'",
            Duration::from_secs(5),
        )
        .unwrap_or_else(|| panic!("{url}: the search result did not open its page"));
        let landed = b.eval("return document.getElementById('mb-main').textContent;");
        assert!(
            landed
                .as_str()
                .unwrap_or("")
                .to_lowercase()
                .contains("écoute"),
            "{url}: landed on {landed}"
        );
        b.eval("document.getElementById('mb-search-input').value = '';");
    }
    assert_eq!(
        server.requests(),
        ["/handbook.html"],
        "nothing but the file itself is ever requested"
    );
    // A worksheet prints on its own sheet, without the rest of the handbook.
    b.goto(&format!(
        "file://{}#/fiches/seances/seance-1.html",
        file.display()
    ));
    b.wait_for("window.mentorbookSingle", Duration::from_secs(10));
    let pdf = b.print_pdf(21.0, 29.7);
    let dir = tempfile::tempdir().expect("tmp");
    let path: PathBuf = dir.path().join("sheet.pdf");
    std::fs::write(&path, pdf).expect("write pdf");
    let text = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    assert!(text.contains("Séance 1"), "{text}");
    assert!(
        !text.contains("Aller au contenu"),
        "no navigation on paper: {text}"
    );
    eprintln!("single file: {:.2} MB", bytes as f64 / 1_048_576.0);
    assert!(
        bytes < 10 * 1024 * 1024,
        "the sample stays under the warning size"
    );
}

#[test]
fn scorm_package_initialises_completes_and_terminates_under_scorm_again() {
    let runtime = repo_root().join("target/npm/node_modules/scorm-again/dist/scorm12.js");
    if !runtime.is_file() {
        skip(
            "scorm_package_initialises_completes_and_terminates_under_scorm_again",
            "scorm-again not found (npm install --prefix target/npm scorm-again@3.4.3)",
        );
        return;
    }
    let site = Site::sample();
    site.run(&["build", "--scorm"]).success();
    let lms = tempfile::tempdir().expect("tmp");
    for (name, bytes) in unzip(&site.path().join("public-scorm.zip")) {
        let p = lms.path().join(&name);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, bytes).expect("write");
    }
    std::fs::copy(&runtime, lms.path().join("scorm12.js")).expect("copy runtime");
    std::fs::write(
        lms.path().join("lms.html"),
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>LMS</title>
<script src="scorm12.js"></script>
<script>
window.calls = [];
window.API = new Scorm12API({ autocommit: false, logLevel: 5 });
["LMSInitialize", "LMSFinish", "LMSCommit", "LMSSetValue"].forEach(function (n) {
  window.API.on(n, function (a, b) { window.calls.push([n, a === undefined ? null : String(a), b === undefined ? null : String(b)]); });
});
</script></head>
<body><iframe id="sco" src="scorm/sco-handbook.html" style="width:1000px;height:700px"></iframe></body></html>"#,
    )
    .expect("harness");
    let Some(b) = browser::start("scorm_package_under_scorm_again") else {
        return;
    };
    let server = StaticServer::start(lms.path());
    b.goto(&format!("{}lms.html", server.url()));
    b.wait_for(
        "window.calls.some(function (c) { return c[0] === 'LMSInitialize'; })",
        Duration::from_secs(10),
    )
    .expect("the package calls LMSInitialize");
    assert_eq!(
        b.eval("return window.API.cmi.core.lesson_status;"),
        "incomplete",
        "opened, not finished"
    );
    // The reader reaches the last page: the package reports completion.
    let last = b.eval(
        "var f = document.getElementById('sco').contentWindow.document.getElementById('mb-sco');\
         var s = document.getElementById('sco').contentWindow.document.querySelector('script[data-last]');\
         f.src = s.getAttribute('data-last'); return s.getAttribute('data-last');",
    );
    b.wait_for(
        "window.API.cmi.core.lesson_status === 'completed'",
        Duration::from_secs(10),
    )
    .unwrap_or_else(|| panic!("no completion after reaching {last}"));
    // Leaving the package terminates the session.
    b.eval("document.getElementById('sco').src = 'about:blank';");
    b.wait_for(
        "window.calls.some(function (c) { return c[0] === 'LMSFinish'; })",
        Duration::from_secs(10),
    )
    .expect("the package calls LMSFinish when left");
    let calls = b.eval("return window.calls;");
    let names: Vec<String> = calls
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c[0].as_str().map(str::to_string))
        .collect();
    assert_eq!(
        names.first().map(String::as_str),
        Some("LMSInitialize"),
        "{calls}"
    );
    assert!(
        calls
            .as_array()
            .into_iter()
            .flatten()
            .any(|c| c[1] == "cmi.core.lesson_status" && c[2] == "completed"),
        "{calls}"
    );
    assert!(names.contains(&"LMSCommit".to_string()), "{calls}");
}

/// The CI files the README's Publishing section points at: valid YAML that
/// builds the handbook strictly and publishes `public/`.
#[test]
fn the_publishing_ci_files_build_and_deploy_the_handbook() {
    let sample = Site::sample();
    for name in ["github-pages.yml", "gitlab-ci.yml"] {
        let path = repo_root().join("scripts/publish").join(name);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let doc: serde_json::Value =
            serde_json::to_value(serde_yaml_doc(&text)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let steps: Vec<String> = match name {
            "github-pages.yml" => doc["jobs"]["build"]["steps"]
                .as_array()
                .expect("build steps")
                .iter()
                .filter_map(|s| s["run"].as_str().map(str::to_string))
                .collect(),
            _ => doc["pages"]["script"]
                .as_array()
                .expect("pages script")
                .iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect(),
        };
        assert!(
            steps
                .iter()
                .any(|s| s.starts_with("mentorbook build --strict")),
            "{name}: {steps:?}"
        );
        let publishes = match name {
            "github-pages.yml" => {
                doc["jobs"]["build"]["steps"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|s| s["with"]["path"] == "public")
                    && doc["jobs"]["deploy"]["needs"] == "build"
            }
            _ => doc["pages"]["artifacts"]["paths"][0] == "public",
        };
        assert!(publishes, "{name} publishes public/");
        let built = run_in(sample.path(), &["build", "--strict", "--single-file"], &[]);
        assert_eq!(
            built.code(),
            0,
            "{name}: its build command works on the sample: {}",
            built.stderr()
        );
    }
}

/// A YAML document as a JSON value (the YAML crate the tool uses for its config).
fn serde_yaml_doc(text: &str) -> serde_json::Value {
    let v: serde_yaml::Value = serde_yaml::from_str(text).expect("valid YAML");
    serde_json::to_value(v).expect("as JSON")
}

/// `single_file: true` under `serve`: the single file is made again after every
/// change, and served as `build` writes it.
#[cfg(feature = "serve")]
#[test]
fn serve_keeps_the_single_file_in_step() {
    let site = Site::fixture("serve/basic");
    let cfg = std::fs::read_to_string(site.path().join("mentorbook.yaml")).expect("config");
    site.write("mentorbook.yaml", &format!("{cfg}\nsingle_file: true\n"));
    let server = crate::serve::Server::start(&site, &[]);
    crate::serve::assert_matches_build(&site, &server, "start");
    let v = server.version();
    let page = site.path().join("content/01-guide/01-premiere.md");
    let text = std::fs::read_to_string(&page).expect("page");
    std::fs::write(&page, text + "\nUn mot nouveau : hippocampe.\n").expect("edit");
    server.wait_rebuilt(v);
    crate::serve::assert_matches_build(&site, &server, "after an edit");
    let single = server.get("/handbook.html").text();
    assert!(
        single.contains("hippocampe"),
        "the single file follows the edit"
    );
}
