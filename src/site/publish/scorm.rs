//! A SCORM 1.2 package for learning platforms (Moodle, Cornerstone, Workday
//! Learning, 360Learning…): the whole output in one zip, with `imsmanifest.xml`
//! listing every file, one SCO for the handbook or one per top-level section
//! (`scorm.sco`), and a launcher per SCO (`scorm/<sco>.html`) that shows the
//! pages in a frame and reports completion to the platform (`scorm.completion`:
//! when the reader reaches the SCO's last page, or on opening).

use std::path::Path;

use crate::config::{ScormCompletion, ScormSco};
use crate::content::{Content, Node};
use crate::error::Result;
use crate::site::Site;
use crate::site::publish::Files;
use crate::site::publish::zip::{self, Entry};
use crate::text::escape_html;
use crate::urls;

/// The launcher script, shared by every SCO.
const RUNTIME: &str = include_str!("scorm.js");
/// Where the launchers and their script go in the package.
const DIR: &str = "scorm";

/// One SCO: its id, title, first and last page (output paths).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sco {
    /// Identifier in the manifest.
    pub id: String,
    /// Title shown by the platform.
    pub title: String,
    /// The page it opens on.
    pub start: String,
    /// The page whose visit completes it.
    pub last: String,
}

/// The SCOs of the default language's `content`.
pub fn scos(content: &Content, title: &str, sco: ScormSco) -> Vec<Sco> {
    let whole = |id: &str, title: &str| Sco {
        id: id.to_string(),
        title: title.to_string(),
        start: content.home().out.to_string(),
        last: content.order.last().map_or_else(
            || content.home().out.to_string(),
            |&p| content.pages[p].out.to_string(),
        ),
    };
    if sco == ScormSco::Handbook {
        return vec![whole("sco-handbook", title)];
    }
    let mut v = Vec::new();
    for node in &content.sections[0].children {
        let Node::Section(sid) = *node else { continue };
        let index = &content.pages[content.sections[sid].index];
        let members = crate::site::plan::members(content, crate::site::PrintKind::Section(sid));
        let last = members.last().map_or(index.id, |&p| p);
        v.push(Sco {
            id: format!(
                "sco-{}",
                crate::text::slugify(&content.sections[sid].out_dir)
            ),
            title: index.title.clone(),
            start: index.out.to_string(),
            last: content.pages[last].out.to_string(),
        });
    }
    if v.is_empty() {
        v.push(whole("sco-handbook", title));
    }
    v
}

/// The launcher page of `sco`.
fn launcher(sco: &Sco, lang: &str, completion: ScormCompletion) -> String {
    let from = format!("{DIR}/{}.html", sco.id);
    let start = urls::relative(&from, &sco.start);
    let last = urls::relative(&from, &sco.last);
    let mode = match completion {
        ScormCompletion::LastPage => "last_page",
        ScormCompletion::Open => "open",
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n\
         <style>html,body{{margin:0;height:100%}}iframe{{display:block;width:100%;height:100%;border:0}}</style>\n\
         </head>\n<body>\n<iframe id=\"mb-sco\" src=\"{start}\" title=\"{title}\"></iframe>\n\
         <script src=\"mentorbook-scorm.js\" data-last=\"{last}\" data-completion=\"{mode}\"></script>\n</body>\n</html>\n",
        lang = escape_html(lang),
        title = escape_html(&sco.title),
        start = escape_html(&start),
        last = escape_html(&last),
    )
}

/// `imsmanifest.xml` for `scos` over the package's `files` (sorted names).
pub fn manifest(id: &str, title: &str, scos: &[Sco], files: &[String]) -> String {
    let mut x = String::new();
    x.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.push_str(&format!(
        "<manifest identifier=\"{}\" version=\"1\" xmlns=\"http://www.imsproject.org/xsd/imscp_rootv1p1p2\" \
         xmlns:adlcp=\"http://www.adlnet.org/xsd/adlcp_rootv1p2\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd \
         http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd \
         http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd\">\n",
        escape_html(id)
    ));
    x.push_str("  <metadata>\n    <schema>ADL SCORM</schema>\n    <schemaversion>1.2</schemaversion>\n  </metadata>\n");
    x.push_str("  <organizations default=\"org\">\n    <organization identifier=\"org\">\n");
    x.push_str(&format!("      <title>{}</title>\n", escape_html(title)));
    for s in scos {
        x.push_str(&format!(
            "      <item identifier=\"item-{id}\" identifierref=\"res-{id}\" isvisible=\"true\">\n        <title>{title}</title>\n      </item>\n",
            id = escape_html(&s.id),
            title = escape_html(&s.title)
        ));
    }
    x.push_str("    </organization>\n  </organizations>\n  <resources>\n");
    for s in scos {
        x.push_str(&format!(
            "    <resource identifier=\"res-{id}\" type=\"webcontent\" adlcp:scormtype=\"sco\" href=\"{DIR}/{id}.html\">\n      <file href=\"{DIR}/{id}.html\"/>\n      <dependency identifierref=\"res-files\"/>\n    </resource>\n",
            id = escape_html(&s.id)
        ));
    }
    x.push_str(
        "    <resource identifier=\"res-files\" type=\"webcontent\" adlcp:scormtype=\"asset\">\n",
    );
    for f in files {
        x.push_str(&format!(
            "      <file href=\"{}\"/>\n",
            escape_html(&urls::encode_path(f))
        ));
    }
    x.push_str("    </resource>\n  </resources>\n</manifest>\n");
    x
}

/// Writes the SCORM package of `site` (whose produced files `files` reads) to `dest`.
pub fn write(site: &Site, files: Files<'_>, dest: &Path) -> Result<()> {
    let Some(first) = site.langs.first() else {
        return Ok(());
    };
    let cfg = &site.config.scorm;
    let scos = scos(&first.content, &site.config.title, cfg.sco);
    let mut entries: Vec<(String, Entry)> = site
        .plan
        .jobs
        .keys()
        .map(|p| (p.to_string(), Entry::File(p.to_string())))
        .collect();
    entries.push((
        format!("{DIR}/mentorbook-scorm.js"),
        Entry::Bytes(RUNTIME.as_bytes().to_vec()),
    ));
    for s in &scos {
        entries.push((
            format!("{DIR}/{}.html", s.id),
            Entry::Bytes(launcher(s, &site.config.lang, cfg.completion).into_bytes()),
        ));
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    let names: Vec<String> = entries
        .iter()
        .map(|(n, _)| n.clone())
        .filter(|n| !n.starts_with(&format!("{DIR}/sco-")))
        .collect();
    let id = format!("mentorbook-{}", crate::text::slugify(&site.config.title));
    let xml = manifest(&id, &site.config.title, &scos, &names);
    entries.insert(
        0,
        (
            "imsmanifest.xml".to_string(),
            Entry::Bytes(xml.into_bytes()),
        ),
    );
    zip::write(&entries, files, dest)
}
