//! Typed paths and codes: where a handbook file is ([`SourcePath`]), where an
//! output file goes ([`OutPath`]), and a language ([`LangCode`]). Each is a
//! `/`-separated string underneath, readable as `&str`, so a source path is never
//! passed where an output path is expected.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;

use serde::Serialize;

macro_rules! string_newtype {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        ///
        /// Shared text: a copy (the output of `serve` is copied after every
        /// edit) costs no allocation.
        #[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(std::sync::Arc<str>);

        impl $name {
            /// The path or code as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The underlying string.
            pub fn into_string(self) -> String {
                self.0.to_string()
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                Self(s.into())
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.into())
            }
        }

        impl From<$name> for String {
            fn from(p: $name) -> String {
                p.0.to_string()
            }
        }

        impl From<&$name> for String {
            fn from(p: &$name) -> String {
                p.0.to_string()
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                &*self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                &*self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                *self.0 == **other
            }
        }
    };
}

string_newtype!(
    /// A file or folder of the handbook, relative to the site root
    /// (`content/guide/02-posture.md`): what diagnostics name.
    SourcePath
);

string_newtype!(
    /// A file of the output, relative to the output folder (`guide/posture.html`);
    /// a folder ends with `/` (`en/`), the root folder is empty.
    OutPath
);

string_newtype!(
    /// A language code (`fr`, `en`, `pt-BR`).
    LangCode
);

impl OutPath {
    /// `self` (a folder: empty or ending with `/`) followed by `name`.
    pub fn join(&self, name: &str) -> OutPath {
        OutPath(format!("{}{name}", self.0).into())
    }

    /// The folder holding this file, as a folder path (`guide/a.html` → `guide/`).
    pub fn parent(&self) -> OutPath {
        OutPath(
            self.0
                .rsplit_once('/')
                .map_or_else(String::new, |(d, _)| format!("{d}/"))
                .into(),
        )
    }

    /// The name of the page's form, the first part of its fillable fields' names:
    /// its file name without `.html` (a folder's index: the folder's name), with
    /// dots made dashes, as field names use dots between their parts
    /// (`fiches/seance-3.html` → `seance-3`).
    pub fn form_name(&self) -> String {
        let path = self.0.trim_end_matches('/');
        let (dir, file) = path.rsplit_once('/').unwrap_or(("", path));
        let stem = file.strip_suffix(".html").unwrap_or(file);
        let stem = if stem == "index" {
            dir.rsplit('/')
                .next()
                .filter(|d| !d.is_empty())
                .unwrap_or(stem)
        } else {
            stem
        };
        let name = crate::markdown::fields::key(stem, "page");
        if name.is_empty() { "page".into() } else { name }
    }

    /// The URL of `to` from the page at `self`, relative (works from `file://`).
    pub fn url_to(&self, to: &OutPath) -> String {
        crate::urls::relative(&self.0, &to.0)
    }
}

impl LangCode {
    /// The language without its region (`pt-BR` → `pt`).
    pub fn base(&self) -> &str {
        self.0.split(['-', '_']).next().unwrap_or(&self.0)
    }
}

/// The extensions of image files (case ignored), which a browser shows in an `<img>`.
const IMAGE_EXTENSIONS: [&str; 11] = [
    "png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "bmp", "ico", "tif", "tiff",
];

/// Whether the file `name` (a path's last part counts) is an image, by its
/// extension: `plan.png` is, `charte.pdf` and `Posture du mentor` are not.
pub fn is_image_file(name: &str) -> bool {
    let file = name.rsplit('/').next().unwrap_or(name);
    file.rsplit_once('.').is_some_and(|(_, ext)| {
        !ext.contains(' ') && IMAGE_EXTENSIONS.iter().any(|e| e.eq_ignore_ascii_case(ext))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_paths_join_and_relate() {
        let en = OutPath::from("en/");
        assert_eq!(en.join("print.html"), "en/print.html");
        assert_eq!(OutPath::from("").join("print.html"), "print.html");
        let page = OutPath::from("guide/a.html");
        assert_eq!(page.parent(), "guide/");
        assert_eq!(page.url_to(&OutPath::from("index.html")), "../index.html");
        assert_eq!(LangCode::from("pt-BR").base(), "pt");
        assert_eq!(
            OutPath::from("fiches/seance-3.html").form_name(),
            "seance-3"
        );
        assert_eq!(OutPath::from("en/guide/index.html").form_name(), "guide");
        assert_eq!(OutPath::from("index.html").form_name(), "index");
        assert_eq!(OutPath::from("a/v1.2.html").form_name(), "v1-2");
    }
}
