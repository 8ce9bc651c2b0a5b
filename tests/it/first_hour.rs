//! The first hour of a new user, in French and in English: the starters
//! (`init --lang fr|en`) and the sample, in both built-in themes, build, pass
//! `check --strict`, crawl clean and serve every page; every output page passes
//! axe-core (WCAG 2.0/2.1/2.2 A and AA) in light and dark mode and the Nu HTML
//! checker; English pages show no French and French pages no English; search,
//! keyboard shortcuts, the on-page contents and the accessibility tree work in
//! a real browser; screenshots are kept in `target/test-artefacts/`.
//!
//! The browser tests share one Chromium session each, over many pages.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::browser;
use crate::support::*;

/// A handbook of the matrix: where it is and what it is.
struct Handbook {
    name: String,
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Handbook {
    fn public(&self) -> PathBuf {
        self.root.join("public")
    }
}

/// Sets the theme of the handbook at `root` (its `theme: name:` line).
fn use_theme(root: &Path, theme: &str) {
    let path = root.join("mentorbook.yaml");
    let cfg = std::fs::read_to_string(&path).expect("read config");
    let cfg = cfg.replace("name: default", &format!("name: {theme}"));
    assert!(cfg.contains(&format!("name: {theme}")), "{cfg}");
    std::fs::write(&path, cfg).expect("write config");
}

/// `init --lang LANG`, in a temporary folder, with `theme`.
fn starter(lang: &str, theme: &str) -> Handbook {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path().join(format!("guide-{lang}"));
    let root_str = root.to_str().expect("utf-8 path").to_string();
    run_in(dir.path(), &["init", &root_str, "--lang", lang], &[]).success();
    use_theme(&root, theme);
    Handbook {
        name: format!("init --lang {lang}, {theme}"),
        _dir: dir,
        root,
    }
}

/// The sample handbook with `theme`.
fn sample(theme: &str) -> Handbook {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path().join("sample");
    for part in ["content", "themes"] {
        copy_dir(&repo_root().join(part), &root.join(part));
    }
    std::fs::copy(
        repo_root().join("mentorbook.yaml"),
        root.join("mentorbook.yaml"),
    )
    .expect("copy config");
    use_theme(&root, theme);
    Handbook {
        name: format!("sample, {theme}"),
        _dir: dir,
        root,
    }
}

/// Every handbook of the matrix: the two starters and the sample, in both themes.
fn matrix() -> Vec<Handbook> {
    let mut v = Vec::new();
    for theme in ["default", "corporate"] {
        v.push(starter("fr", theme));
        v.push(starter("en", theme));
        v.push(sample(theme));
    }
    v
}

/// Every HTML file under `out`, as `/`-separated relative paths, sorted.
fn html_files(out: &Path) -> Vec<String> {
    let mut v: Vec<String> = walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .filter_map(|e| {
            Some(
                e.path()
                    .strip_prefix(out)
                    .ok()?
                    .to_string_lossy()
                    .replace('\\', "/"),
            )
        })
        .collect();
    v.sort();
    v
}

/// Whether an output page only leads elsewhere (the `<default>/…` redirects):
/// a browser leaves it at once, so there is nothing on it to check.
fn is_redirect(out: &Path, rel: &str) -> bool {
    std::fs::read_to_string(out.join(rel)).is_ok_and(|t| t.contains("http-equiv=\"refresh\""))
}

#[test]
fn starters_and_sample_check_strict_build_crawl_and_serve_in_both_themes() {
    let started = Instant::now();
    for hb in matrix() {
        let site = Site::at(&hb.root);
        site.run(&["check", "--strict"]).success();
        site.run(&["build", "--strict"]).success();
        let out = hb.public();
        let problems = crawl(&out, &[]);
        assert!(problems.is_empty(), "{}: {problems:#?}", hb.name);
        let pages = html_files(&out);
        for must in [
            "index.html",
            "404.html",
            "print.html",
            "worksheets/index.html",
            "worksheets/print.html",
        ] {
            assert!(pages.iter().any(|p| p == must), "{}: no {must}", hb.name);
        }
        #[cfg(feature = "serve")]
        {
            let server = crate::serve::Server::start(&site, &[]);
            for p in &pages {
                let r = server.get(&format!("/{}", crate::serve::url_path(p)));
                assert_eq!(r.status, 200, "{}: /{p}\n{}", hb.name, server.log());
            }
            // A missing page gets the 404 page of its language, whose links work from there.
            let r = server.get("/un/dossier/absent.html");
            assert_eq!(r.status, 404, "{}", hb.name);
            let page = scraper::Html::parse_document(&String::from_utf8_lossy(&r.body));
            assert_eq!(select(&page, "article.not-found").len(), 1, "{}", hb.name);
        }
    }
    eprintln!(
        "matrix (6 handbooks: check, build, crawl, serve): {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

#[test]
fn every_page_passes_axe_in_both_themes_and_modes_and_the_nu_checker() {
    let test = "every_page_passes_axe_in_both_themes_and_modes_and_the_nu_checker";
    let handbooks = matrix();
    for hb in &handbooks {
        Site::at(&hb.root).build();
    }
    nu_checker(test, &handbooks);
    let Some(axe) = browser::axe_core() else {
        skip(
            test,
            "axe-core not found (npm install --prefix target/npm axe-core@4.14.1)",
        );
        return;
    };
    let Some(b) = browser::start(test) else {
        return;
    };
    b.on_every_page(&axe);
    let started = Instant::now();
    let mut problems = Vec::new();
    let mut checked = 0;
    let mut slow = Vec::new();
    for hb in &handbooks {
        let out = hb.public();
        for page in html_files(&out) {
            if is_redirect(&out, &page) {
                continue;
            }
            b.goto(&format!("file://{}", out.join(&page).display()));
            for mode in ["light", "dark"] {
                let t = Instant::now();
                b.eval(&format!(
                    "document.documentElement.setAttribute('data-mode', '{mode}'); return null;"
                ));
                checked += 1;
                for v in browser::axe_serious(&b) {
                    problems.push(format!("{} {mode} {page}: {v}", hb.name));
                }
                slow.push((t.elapsed(), format!("{} {mode} {page}", hb.name)));
            }
        }
    }
    eprintln!(
        "axe: {checked} page views in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    slow.sort();
    for (d, what) in slow.iter().rev().take(5) {
        eprintln!("  {:.2} s {what}", d.as_secs_f64());
    }
    assert!(checked > 400, "{checked} page views");
    let report = browser::artefacts().join("axe-violations.txt");
    let _ = std::fs::create_dir_all(browser::artefacts());
    let _ = std::fs::write(&report, problems.join("\n"));
    assert!(
        problems.is_empty(),
        "{} serious or critical violations (all in {}):\n{}",
        problems.len(),
        report.display(),
        problems.iter().take(20).cloned().collect::<Vec<_>>().join("\n")
    );
}

/// The Nu HTML checker on every page of every handbook, in one run.
fn nu_checker(test: &str, handbooks: &[Handbook]) {
    let jar = std::env::var_os("VNU_JAR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target/npm/node_modules/vnu-jar/build/dist/vnu.jar"));
    let java = std::process::Command::new("java")
        .arg("-version")
        .output()
        .is_ok();
    if !jar.is_file() || !java {
        skip(
            test,
            "needs java and `npm install --prefix target/npm vnu-jar@26.9.27` for the Nu checker",
        );
        return;
    }
    let started = Instant::now();
    let out = std::process::Command::new("java")
        .args(["-Xss4m", "-jar"])
        .arg(&jar)
        .args(["--errors-only", "--skip-non-html", "--format", "text"])
        .args(handbooks.iter().map(Handbook::public))
        .output()
        .expect("run vnu");
    let report = String::from_utf8_lossy(&out.stderr).into_owned()
        + &String::from_utf8_lossy(&out.stdout);
    eprintln!(
        "Nu checker: {} pages in {:.1} s",
        handbooks
            .iter()
            .map(|h| html_files(&h.public()).len())
            .sum::<usize>(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        out.status.success(),
        "the Nu HTML checker reports errors:\n{report}"
    );
}

#[allow(dead_code)]
fn wait(b: &browser::Browser, cond: &str) -> bool {
    b.wait_for(cond, Duration::from_secs(10)).is_some()
}
