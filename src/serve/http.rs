//! The HTTP side: an axum router serving the in-memory site.
//!
//! Steps for a request: refuse it with 403 unless its `Host` is one of the
//! server's names ([`host`](super::host); for the event stream and the status
//! document, its `Origin` too, when present), normalise the path
//! ([`paths::key`]; refused paths get 404), look the key up in the current
//! [`Snapshot`], read files copied from disk only if they lie inside the
//! handbook ([`confine`]), and inject the reload script (plus the error overlay
//! while the latest build is broken) into HTML responses. Every response says
//! `Cache-Control: no-store`.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRef, Query, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::serve::host::{HostRule, Refusal};
use crate::serve::reload::StreamSlots;
use crate::serve::state::{Shared, Snapshot};
use crate::serve::{confine, inject, mime, overlay, paths, reload};
use crate::site::OutFile;

/// Path of the status document (JSON: version, errors, served files), for tools and tests.
pub const STATUS_PATH: &str = "/__mentorbook/status";

/// What the handlers share.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The served site.
    pub shared: Arc<Shared>,
    /// The names the server answers to.
    pub hosts: Arc<HostRule>,
    /// Slots for live-reload event streams.
    pub streams: StreamSlots,
    /// The handbook's root folder (source lines and files the overlay opens).
    pub root: HandbookRoot,
    /// Whether a refused request was reported in the terminal (once is enough).
    warned: Arc<AtomicBool>,
}

/// The handbook's root folder, canonical.
#[derive(Debug, Clone)]
pub struct HandbookRoot(pub Arc<std::path::PathBuf>);

impl FromRef<AppState> for HandbookRoot {
    fn from_ref(app: &AppState) -> Self {
        app.root.clone()
    }
}

impl FromRef<AppState> for Arc<Shared> {
    fn from_ref(app: &AppState) -> Self {
        app.shared.clone()
    }
}

impl FromRef<AppState> for StreamSlots {
    fn from_ref(app: &AppState) -> Self {
        app.streams.clone()
    }
}

/// The router of the dev server for the handbook at `root`: answers only to the
/// names of `hosts`, and keeps at most `max_streams` live-reload streams open.
pub fn router(
    shared: Arc<Shared>,
    hosts: HostRule,
    max_streams: usize,
    root: std::path::PathBuf,
) -> Router {
    let app = AppState {
        shared,
        hosts: Arc::new(hosts),
        streams: StreamSlots::new(max_streams),
        root: HandbookRoot(Arc::new(root)),
        warned: Arc::new(AtomicBool::new(false)),
    };
    // What another site's scripts could read or trigger: the origin must be ours too.
    let guarded = Router::new()
        .route(reload::EVENTS_PATH, get(reload::events))
        .route(STATUS_PATH, get(status))
        .route(overlay::OPEN_PATH, post(open))
        .route_layer(middleware::from_fn_with_state(app.clone(), check_origin));
    Router::new()
        .merge(guarded)
        .route(reload::SCRIPT_PATH, get(reload::script))
        .fallback(serve_path)
        .layer(middleware::from_fn_with_state(app.clone(), check_host))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .with_state(app)
}

/// Every request: `Host` (and an absolute target's host) must be ours.
async fn check_host(State(app): State<AppState>, req: Request, next: Next) -> Response {
    let hosts = req.headers().get_all(header::HOST);
    let target = req.uri().authority().map(|a| a.as_str());
    match app
        .hosts
        .check_host(hosts.iter().map(HeaderValue::as_bytes), target)
    {
        Ok(()) => next.run(req).await,
        Err(refusal) => refused(&app, &refusal),
    }
}

/// The event stream and the status document: `Origin`, when sent, must be ours.
async fn check_origin(State(app): State<AppState>, req: Request, next: Next) -> Response {
    let origin = req.headers().get(header::ORIGIN).map(HeaderValue::as_bytes);
    match app.hosts.check_origin(origin) {
        Ok(()) => next.run(req).await,
        Err(refusal) => refused(&app, &refusal),
    }
}

/// 403 with the reason in plain text; the first refusal is also reported in
/// the terminal, with the flag that would allow it.
fn refused(app: &AppState, refusal: &Refusal) -> Response {
    if !app.warned.swap(true, Ordering::Relaxed) {
        let help = refusal.name.as_ref().map_or(String::new(), |n| {
            format!("\n  help: if that name is yours, restart with `--allowed-host {n}`")
        });
        eprintln!(
            "warning: refused a request: {} (protection against DNS rebinding; further refusals are not shown){help}",
            refusal.reason
        );
    }
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        refusal.message(),
    )
        .into_response()
}

/// `GET /__mentorbook/status`.
async fn status(State(shared): State<Arc<Shared>>) -> Response {
    let snap = shared.current();
    let files: Vec<&crate::paths::OutPath> = snap
        .site
        .as_ref()
        .map(|s| s.files.keys().collect())
        .unwrap_or_default();
    let doc = serde_json::json!({
        "server": snap.signal.server,
        "version": snap.signal.version,
        "full": snap.signal.full,
        "ok": snap.errors.is_empty(),
        "errors": snap.errors,
        "files": files,
    });
    (
        [(header::CONTENT_TYPE, "application/json")],
        doc.to_string(),
    )
        .into_response()
}

/// What `POST /__mentorbook/open` takes: a file of the handbook and where in it.
#[derive(Debug, serde::Deserialize)]
struct OpenQuery {
    path: String,
    #[serde(default)]
    line: usize,
    #[serde(default)]
    col: usize,
}

/// `POST /__mentorbook/open?path=…&line=…&col=…`: opens a file of the handbook
/// (a link of the error overlay). Only from the server's own pages (an `Origin`
/// is required and must be ours), only files inside the handbook.
async fn open(
    State(root): State<HandbookRoot>,
    headers: axum::http::HeaderMap,
    Query(q): Query<OpenQuery>,
) -> Response {
    let text = |status: StatusCode, msg: String| {
        (
            status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            msg,
        )
            .into_response()
    };
    if !headers.contains_key(header::ORIGIN) {
        return text(
            StatusCode::FORBIDDEN,
            "opening a file needs a request from the server's own page\n".into(),
        );
    }
    let Some(path) = overlay::inside(&root.0, &q.path) else {
        return text(
            StatusCode::NOT_FOUND,
            format!("`{}` is not a file of the handbook\n", q.path),
        );
    };
    let shown = path.display().to_string();
    match tokio::task::spawn_blocking(move || overlay::open_file(&path, q.line, q.col)).await {
        Ok(Ok(())) => StatusCode::NO_CONTENT.into_response(),
        Ok(Err(e)) => text(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("{e}\nThe file is {shown}\n"),
        ),
        Err(_) => text(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("could not open the file; it is {shown}\n"),
        ),
    }
}

/// Every other path: a file of the site, a folder redirect, or 404.
async fn serve_path(
    State(shared): State<Arc<Shared>>,
    State(root): State<HandbookRoot>,
    method: Method,
    uri: Uri,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
            "method not allowed\n",
        )
            .into_response();
    }
    let raw = uri.path();
    let snap = shared.current();
    let Some(site) = snap.site.clone() else {
        return no_site(&snap, &root, raw);
    };
    let Some(key) = paths::key(raw) else {
        return not_found(&snap, &root, raw);
    };
    if let Some(file) = site.files.get(key.as_str()) {
        return match file_bytes(&snap, file).await {
            Some(bytes) => respond(&snap, &root, raw, &key, StatusCode::OK, bytes),
            None => not_found(&snap, &root, raw),
        };
    }
    if let Some((index, location)) = paths::folder_redirect(raw, &key)
        && site.files.contains_key(index.as_str())
    {
        return (
            StatusCode::MOVED_PERMANENTLY,
            [(header::LOCATION, location)],
        )
            .into_response();
    }
    not_found(&snap, &root, raw)
}

/// The bytes of an output file; files copied from disk are read now, and only
/// when they lie inside the handbook.
async fn file_bytes(snap: &Snapshot, file: &OutFile) -> Option<Bytes> {
    match file {
        OutFile::Bytes(b) => Some(Bytes::from(b.clone())),
        OutFile::Shared(b) => Some(Bytes::from_owner(b.clone())),
        OutFile::Static(b) => Some(Bytes::from_static(b)),
        OutFile::Parts(_) | OutFile::Pieces(_) => {
            file.bytes().ok().map(|b| Bytes::from(b.into_owned()))
        }
        OutFile::Copy(path) => {
            let path = path.clone();
            let allowed = snap.allowed.clone();
            tokio::task::spawn_blocking(move || {
                if allowed.is_some_and(|rule| confine::is_allowed(&path, &rule)) {
                    std::fs::read(&path).ok()
                } else {
                    None
                }
            })
            .await
            .ok()
            .flatten()
            .map(Bytes::from)
        }
    }
}

/// A response for `key`, with the serve-only snippet injected into HTML.
fn respond(
    snap: &Snapshot,
    root: &HandbookRoot,
    raw: &str,
    key: &str,
    status: StatusCode,
    body: Bytes,
) -> Response {
    let ct = mime::content_type(key).into_owned();
    if !mime::is_html(&ct) {
        return (status, [(header::CONTENT_TYPE, ct)], body).into_response();
    }
    let own = (status == StatusCode::OK).then_some(key);
    let french = overlay::is_french(&body);
    let page = inject::inject(&body, &snippet(snap, root, raw, own, french));
    (status, [(header::CONTENT_TYPE, ct)], page).into_response()
}

/// The reload script, plus the overlay while the latest build has errors;
/// `page` is the output path of the page served (`None` for an error page).
fn snippet(
    snap: &Snapshot,
    root: &HandbookRoot,
    raw: &str,
    page: Option<&str>,
    french: bool,
) -> String {
    let mut s = String::new();
    if !snap.errors.is_empty() {
        let prefix = paths::root_prefix(raw);
        let at = overlay::Where {
            root: &root.0,
            prefix: &prefix,
            french,
        };
        s.push_str(&overlay::overlay(&snap.errors, snap.site.is_some(), at));
    }
    s.push_str(&reload::script_tag(
        &paths::root_prefix(raw),
        &snap.signal,
        page,
    ));
    s
}

/// 404: the site's `404.html` when it has one — the language's (`en/404.html`)
/// for a path in a language's folder.
fn not_found(snap: &Snapshot, root: &HandbookRoot, raw: &str) -> Response {
    let key = paths::key(raw).unwrap_or_default();
    let own = key
        .split_once('/')
        .map(|(first, _)| format!("{first}/404.html"));
    let files = snap.site.as_ref().map(|s| &s.files);
    let found = own
        .iter()
        .map(String::as_str)
        .chain(["404.html"])
        .find_map(|k| Some((k, files?.get(k)?)));
    let page = match found {
        Some((k, OutFile::Bytes(b))) => Some((k, Bytes::from(b.clone()))),
        Some((k, OutFile::Shared(b))) => Some((k, Bytes::from_owner(b.clone()))),
        _ => None,
    };
    if let Some((k, page)) = page {
        return respond(snap, root, raw, k, StatusCode::NOT_FOUND, page);
    }
    let page = b"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Not found</title></head><body><h1>Not found</h1></body></html>\n";
    respond(
        snap,
        root,
        raw,
        "404.html",
        StatusCode::NOT_FOUND,
        Bytes::from_static(page),
    )
}

/// Before any build succeeded: an error page for pages, 404 for anything else.
fn no_site(snap: &Snapshot, root: &HandbookRoot, raw: &str) -> Response {
    let key = paths::key(raw).unwrap_or_default();
    let wants_page = mime::is_html(&mime::content_type(&key)) || !key.contains('.');
    if !wants_page {
        return (StatusCode::NOT_FOUND, "not found\n").into_response();
    }
    let prefix = paths::root_prefix(raw);
    let page = overlay::error_page(
        &snap.errors,
        overlay::Where {
            root: &root.0,
            prefix: &prefix,
            french: overlay::handbook_is_french(&root.0),
        },
    );
    let page = inject::inject(
        page.as_bytes(),
        &reload::script_tag(&paths::root_prefix(raw), &snap.signal, None),
    );
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        page,
    )
        .into_response()
}
