//! The command line: clap definitions, dispatch, diagnostics printing and exit codes.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result};
use crate::progress::Progress;
use crate::site::BuildOptions;

/// Build printable, searchable mentoring-programme handbooks from Markdown.
#[derive(Debug, Parser)]
#[command(name = "mentorbook", version, about, max_term_width = 100)]
pub struct Cli {
    /// Root of the handbook (the folder holding mentorbook.yaml); default: found from the current folder.
    #[arg(short, long, global = true, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Print only errors.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Print more about what happens.
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new handbook in DIR (default: the current folder), which must be empty.
    Init(InitArgs),
    /// Make a handbook of an existing guide (Docusaurus, Jekyll, GitBook, mdBook, MkDocs,
    /// Hugo, Zola, Jupyter Book, or plain Markdown) by writing its mentorbook.yaml; no file of it changes.
    Import(ImportArgs),
    /// Build the handbook into the output folder.
    Build(BuildArgs),
    /// Check content, links, anchors and front matter without writing anything.
    Check(CheckArgs),
    /// Serve the handbook with live reload while you edit it (nothing is written to disk).
    #[cfg(feature = "serve")]
    Serve(ServeArgs),
    /// Create a new page or worksheet with its front matter.
    New(NewArgs),
    /// Print the handbook, its worksheets or one page to PDF (needs Chromium or Chrome).
    Pdf(PdfArgs),
    /// Make a pack for each mentoring pair of a CSV file: cover, agreement and session
    /// sheets with names and dates filled in, and a calendar (needs Chromium or Chrome).
    Pack(PackArgs),
    /// List the built-in themes, or copy one into the handbook for deep changes.
    #[command(subcommand)]
    Theme(ThemeCommand),
}

/// `theme` subcommands.
#[derive(Debug, Subcommand)]
pub enum ThemeCommand {
    /// List the handbook's own themes and the built-in ones, with their variables.
    List,
    /// Print the guide to themes (variables, templates and their blocks, the
    /// values every template can use, UI strings), as Markdown: it is built in,
    /// so it needs no network and matches this version of mentorbook.
    Docs,
    /// Copy a built-in theme into themes/NAME/ of the handbook, to change any file of it.
    Eject {
        /// The theme to copy (default: the handbook's theme).
        name: Option<String>,
        /// The name of the copy (the folder themes/NEW/); default: the theme's own name.
        #[arg(long = "as", value_name = "NEW")]
        as_name: Option<String>,
        /// Overwrite files that already exist.
        #[arg(long)]
        force: bool,
    },
}

/// Audiences with a print edition.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum EditionArg {
    /// Mentors.
    Mentor,
    /// Mentees.
    Mentee,
    /// Programme leads.
    Lead,
}

/// Arguments of `pdf`.
#[derive(Debug, Args)]
pub struct PdfArgs {
    /// One page to print: its output path (e.g. timeline.html, kits/session-1.html,
    /// en/guide/print.html) or its file in content/ (e.g. content/fiches/seance-1.md);
    /// with --lang, its translation.
    pub page: Option<String>,
    /// Print every worksheet (one PDF each) and worksheets.pdf with all of them.
    #[arg(long, conflicts_with_all = ["all", "page"])]
    pub worksheets: bool,
    /// Print the handbook, every section, every worksheet, the session kits, the
    /// audience editions and the timeline.
    #[arg(long, conflicts_with = "page")]
    pub all: bool,
    /// Print the edition for one audience: mentor, mentee or lead.
    #[arg(long, value_enum, conflicts_with_all = ["page", "all", "worksheets", "kit"])]
    pub edition: Option<EditionArg>,
    /// Print the kit of session N (agenda, worksheet, notes log).
    #[arg(long, value_name = "N", conflicts_with_all = ["page", "all", "worksheets"])]
    pub kit: Option<u32>,
    /// Folder for the PDFs (default: pdf/ in the handbook root).
    #[arg(short, long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Language to print, on a multilingual handbook (default: the default language,
    /// or the language of the page given); its PDFs go into a folder named CODE.
    #[arg(long, value_name = "CODE")]
    pub lang: Option<String>,
    /// No form fields: PDFs to fill in by hand only (by default every write-in
    /// line, box, tick box, scale and table cell is a field to fill in on screen).
    #[arg(long)]
    pub flat: bool,
}

/// Arguments of `pack`.
#[derive(Debug, Args)]
pub struct PackArgs {
    /// The pairs: a CSV file whose header names the columns `mentor`, `mentee`,
    /// `language`, and optionally `date` (first session, YYYY-MM-DD) and `email`.
    #[arg(long, value_name = "FILE")]
    pub pairs: PathBuf,
    /// Folder for the packs (default: packs/ in the handbook root).
    #[arg(short, long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
}

/// Arguments of `init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder to create the handbook in.
    pub dir: Option<PathBuf>,
    /// Language of the starter content.
    #[arg(long, value_enum, default_value = "fr")]
    pub lang: Lang,
}

/// Arguments of `import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The folder of the existing guide (default: the current folder).
    pub dir: Option<PathBuf>,
    /// Print what would be mapped and the mentorbook.yaml that would be written, without writing it.
    #[arg(long)]
    pub dry_run: bool,
}

/// Starter-content languages.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Lang {
    /// French.
    Fr,
    /// English.
    En,
}

/// Arguments of `build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Output folder (default: public/ in the handbook root).
    #[arg(short, long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// How problems are printed.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Also write one self-contained handbook.html per language (for SharePoint, e-mail…).
    #[arg(long)]
    pub single_file: bool,
    /// Also write the output as one zip beside the output folder (public.zip).
    #[arg(long)]
    pub zip: bool,
    /// Also write a SCORM 1.2 package for learning platforms (public-scorm.zip).
    #[arg(long)]
    pub scorm: bool,
    /// Treat warnings as errors.
    #[arg(long)]
    pub strict: bool,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
}

/// Arguments of `serve`.
#[cfg(feature = "serve")]
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Port to listen on (exits with an error when it is taken; 0 picks a free one).
    #[arg(short, long, default_value_t = 1111)]
    pub port: u16,
    /// Address to listen on; anything but loopback lets other machines read the handbook.
    #[arg(short, long, default_value = "127.0.0.1", value_name = "ADDR")]
    pub bind: std::net::IpAddr,
    /// Open the handbook in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Poll for changes instead of using file-system events (network drives, some containers).
    #[arg(long)]
    pub poll: bool,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Also answer requests for this host name (repeatable); by default only the
    /// bound address, `localhost`, `127.0.0.1` and `[::1]` are answered (DNS rebinding).
    #[arg(long = "allowed-host", value_name = "NAME", value_parser = crate::serve::host::parse_allowed_host)]
    pub allowed_host: Vec<String>,
}

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// `path:line:col: error: message` lines.
    Text,
    /// One JSON document, for CI tools.
    Json,
}

/// Arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Treat warnings as errors.
    #[arg(long)]
    pub strict: bool,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Also lay out every worksheet with a `sheets:` limit in Chromium, as `pdf`
    /// prints it, and warn when one takes more sheets (slower; needs Chromium).
    #[arg(long)]
    pub layout: bool,
}

/// What `new` creates.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum NewKind {
    /// An ordinary page.
    Page,
    /// A printable session worksheet.
    Worksheet,
}

/// Arguments of `new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// `page` or `worksheet`.
    #[arg(value_enum)]
    pub kind: NewKind,
    /// Title of the new page.
    pub title: String,
    /// Section folder inside content/ (e.g. `02-posture`); created if missing.
    #[arg(short, long)]
    pub section: Option<String>,
    /// Session number (worksheets).
    #[arg(long)]
    pub session: Option<u32>,
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let printer = Printer::new(cli.quiet);
    match run(&cli, &printer) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            printer.error(&e);
            ExitCode::from(e.exit_code())
        }
    }
}

/// Prints diagnostics and messages, with colour on a terminal unless `NO_COLOR` is set.
#[derive(Debug, Clone, Copy)]
pub struct Printer {
    color: bool,
    quiet: bool,
}

impl Printer {
    /// A printer for the current terminal.
    pub fn new(quiet: bool) -> Self {
        let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            && std::io::stderr().is_terminal();
        Self { color, quiet }
    }

    /// Prints diagnostics to stderr (warnings are hidden by `--quiet`).
    pub fn diagnostics(&self, ds: &[Diagnostic]) {
        for line in crate::report::text(ds, self.color, self.quiet) {
            eprintln!("{line}");
        }
    }

    /// Prints a failed command's error.
    pub fn error(&self, e: &Error) {
        let ds = crate::report::diagnostics_of(e);
        self.diagnostics(&ds);
        let n = ds.iter().filter(|d| d.is_error()).count();
        if matches!(e, Error::Config(_) | Error::Content(_)) && n > 0 {
            eprintln!(
                "{}",
                self.paint(&format!("error: {n} error{} found", plural(n)), "1;31")
            );
        }
    }

    /// Prints an informational line to stdout unless quiet.
    pub fn info(&self, msg: &str) {
        if !self.quiet {
            println!("{msg}");
        }
    }

    /// Whether colours are used.
    pub fn color(&self) -> bool {
        self.color
    }

    fn paint(&self, s: &str, code: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}

/// The progress line of a long build, on a terminal unless `--quiet`.
fn progress_line(cli: &Cli) -> (Progress, Option<crate::progress::Shown>) {
    if cli.quiet {
        return (Progress::silent(), None);
    }
    Progress::on_terminal()
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The lines `import` prints: what it found, mapped and could not map, and what next.
fn import_report(done: &crate::import::Imported) -> Vec<String> {
    let plan = &done.plan;
    let mut lines = Vec::new();
    let tool = plan
        .dialect
        .map_or("Markdown", crate::import::Dialect::name);
    lines.push(match &plan.evidence {
        Some(f) => format!("Found: a handbook made with {tool} ({f})."),
        None => format!("Found: a folder of {tool} files."),
    });
    let width = plan
        .mapped
        .iter()
        .chain(&plan.unmapped)
        .map(|(w, _)| w.chars().count())
        .max()
        .unwrap_or(0);
    lines.push("Mapped:".into());
    for (what, how) in &plan.mapped {
        lines.push(format!("  {what:<width$}  {how}"));
    }
    if !plan.unmapped.is_empty() {
        lines.push("Not mapped:".into());
        for (what, why) in &plan.unmapped {
            lines.push(format!("  {what:<width$}  {why}"));
        }
    }
    let (pages, sections, files) = done.counts;
    let found = format!(
        "{pages} page{}, {sections} section{}, {files} file{}",
        plural(pages),
        plural(sections),
        plural(files)
    );
    match &done.written {
        Some(_) => {
            lines.push(format!("Wrote {}: {found}.", crate::config::CONFIG_FILE));
            if let Some(h) = &done.ignore_hint {
                lines.push(format!("Tip: {h}."));
            }
            lines.push(format!(
                "Next: `mentorbook check` for a migration summary, `mentorbook build` (the site goes to {}/), or `mentorbook serve`.",
                crate::import::OUTPUT
            ));
        }
        None => {
            lines.push(format!(
                "Dry run: nothing was written ({found}). {} would be:",
                crate::config::CONFIG_FILE
            ));
            lines.push(String::new());
            lines.extend(done.config.lines().map(str::to_string));
        }
    }
    lines
}

/// Prints the JSON report of a run (`--format json`) on stdout, with the
/// migration summary of an imported handbook.
fn print_json(built: Option<&crate::site::Built>, err: Option<&Error>) {
    let (ok, diags) = match (built, err) {
        (Some(b), _) => (true, b.warnings.clone()),
        (None, Some(e)) => (false, crate::report::diagnostics_of(e)),
        (None, None) => (true, Vec::new()),
    };
    let mut doc = crate::report::json(ok, &diags);
    if let Some(m) = built.and_then(|b| b.migration.as_ref())
        && let Some(obj) = doc.as_object_mut()
    {
        obj.insert(
            "migration".into(),
            serde_json::to_value(m).unwrap_or_default(),
        );
    }
    println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
}

/// An error already printed (in the JSON report): only its exit code is left.
fn reported(e: Error) -> Error {
    if e.exit_code() == 1 {
        Error::Content(Vec::new())
    } else {
        Error::Config(Vec::new())
    }
}

fn load_config(cli: &Cli) -> Result<Config> {
    match &cli.root {
        Some(root) => {
            let root = root
                .canonicalize()
                .map_err(|e| Error::io("cannot open the handbook folder", root, e))?;
            Config::load(&root)
        }
        None => {
            let cwd = std::env::current_dir()
                .map_err(|e| Error::io("cannot read the current folder", ".".as_ref(), e))?;
            Config::discover(&cwd)
        }
    }
}

/// With errors in `mentorbook.yaml`, `check` and `build` still read the
/// content (with the default of every key whose value is wrong, nothing
/// written) so that one run lists the content's problems too; the run still
/// fails as a configuration error (exit code 2).
fn with_content_problems(cli: &Cli, err: Error, opts: &BuildOptions) -> Error {
    let Error::Config(mut diags) = err else {
        return err;
    };
    let root = match &cli.root {
        Some(r) => r.canonicalize().ok(),
        None => std::env::current_dir()
            .ok()
            .and_then(|c| crate::config::find_root(&c).ok()),
    };
    let Some((config, _)) = root.and_then(|r| Config::load_lenient(&r).ok()) else {
        return Error::Config(diags);
    };
    let found = match crate::site::check(&config, opts) {
        Ok(built) => built.warnings,
        Err(e) => e.diagnostics().to_vec(),
    };
    for d in found {
        if !diags.contains(&d) {
            diags.push(d);
        }
    }
    Error::Config(diags)
}

fn run(cli: &Cli, printer: &Printer) -> Result<()> {
    match &cli.command {
        Command::Init(a) => {
            let dir = match &a.dir {
                Some(d) => d.clone(),
                None => std::env::current_dir()
                    .map_err(|e| Error::io("cannot read the current folder", ".".as_ref(), e))?,
            };
            let lang = match a.lang {
                Lang::Fr => "fr",
                Lang::En => "en",
            };
            let n = crate::scaffold::init(&dir, lang)?;
            printer.info(&format!(
                "Created a handbook with {n} files in {}\nNext: cd {} && mentorbook serve",
                dir.display(),
                dir.display()
            ));
            Ok(())
        }
        Command::Import(a) => {
            let dir = match &a.dir {
                Some(d) => d.clone(),
                None => std::env::current_dir()
                    .map_err(|e| Error::io("cannot read the current folder", ".".as_ref(), e))?,
            };
            let done = crate::import::import(&dir, a.dry_run)?;
            for line in import_report(&done) {
                printer.info(&line);
            }
            Ok(())
        }
        Command::Build(a) => {
            let (progress, shown) = progress_line(cli);
            let opts = BuildOptions {
                out: a.out.clone(),
                drafts: a.drafts,
                strict: a.strict,
                zip: a.zip,
                scorm: a.scorm,
                memory_budget: None,
                progress,
            };
            let result = load_config(cli)
                .map_err(|e| with_content_problems(cli, e, &opts))
                .and_then(|mut config| {
                    config.single_file |= a.single_file;
                    crate::site::build(&config, &opts)
                });
            drop(shown);
            if a.format == Format::Json {
                print_json(result.as_ref().ok().map(|(b, _)| b), result.as_ref().err());
                return result.map(|_| ()).map_err(reported);
            }
            let (built, out_dir) = result?;
            printer.diagnostics(&built.warnings);
            if cli.verbose {
                eprintln!("timings: {}", built.timings.summary());
            }
            let shown = out_dir
                .strip_prefix(std::env::current_dir().unwrap_or_default())
                .map_or_else(
                    |_| out_dir.display().to_string(),
                    |p| p.display().to_string(),
                );
            printer.info(&format!(
                "Built {} page{}, {} worksheet{} in {} ms → {}/",
                built.pages,
                plural(built.pages),
                built.worksheets,
                plural(built.worksheets),
                built.elapsed.as_millis(),
                shown.trim_end_matches('/')
            ));
            Ok(())
        }
        Command::Check(a) => {
            let (progress, shown) = progress_line(cli);
            let opts = BuildOptions {
                drafts: a.drafts,
                strict: a.strict,
                progress,
                ..BuildOptions::default()
            };
            let result = load_config(cli)
                .map_err(|e| with_content_problems(cli, e, &opts))
                .and_then(|config| {
                    if a.layout {
                        crate::pdf::check_layout(&config, &opts)
                    } else {
                        crate::site::check(&config, &opts)
                    }
                });
            drop(shown);
            if a.format == Format::Json {
                print_json(result.as_ref().ok(), result.as_ref().err());
                return result.map(|_| ()).map_err(reported);
            }
            let built = result?;
            printer.diagnostics(&built.warnings);
            if cli.verbose {
                eprintln!("timings: {}", built.timings.summary());
            }
            if let Some(m) = &built.migration {
                for line in crate::site::migration::lines(m) {
                    printer.info(&line);
                }
            }
            printer.info(&format!(
                "Checked {} page{}, {} worksheet{}: no errors{}",
                built.pages,
                plural(built.pages),
                built.worksheets,
                plural(built.worksheets),
                match built.warnings.len() {
                    0 => String::new(),
                    n => format!(", {n} warning{}", plural(n)),
                }
            ));
            Ok(())
        }
        #[cfg(feature = "serve")]
        Command::Serve(a) => {
            let root = match &cli.root {
                // As for the other commands, `--root` must be the folder holding the config.
                Some(r) => crate::config::find_root(r)
                    .ok()
                    .filter(|found| r.canonicalize().is_ok_and(|r| &r == found))
                    .ok_or_else(|| {
                        Error::Usage(format!(
                            "`{}` does not hold `{}`\n  help: pass the folder of the handbook to `--root`",
                            r.display(),
                            crate::config::CONFIG_FILE
                        ))
                    })?,
                None => crate::config::find_root(
                    &std::env::current_dir().map_err(|e| {
                        Error::io("cannot read the current folder", ".".as_ref(), e)
                    })?,
                )?,
            };
            let opts = crate::serve::ServeOptions {
                bind: a.bind,
                port: a.port,
                open: a.open,
                poll: a.poll,
                drafts: a.drafts,
                color: printer.color(),
                quiet: cli.quiet,
                allowed_hosts: a.allowed_host.clone(),
            };
            crate::serve::serve(&root, &opts)
        }
        Command::Pdf(a) => {
            let config = load_config(cli)?;
            let target = match (&a.page, a.worksheets, a.all) {
                _ if a.kit.is_some() => crate::pdf::PdfTarget::Kit(a.kit.unwrap_or(1)),
                _ if a.edition.is_some() => crate::pdf::PdfTarget::Edition(match a.edition {
                    Some(EditionArg::Mentor) => crate::content::Audience::Mentor,
                    Some(EditionArg::Lead) => crate::content::Audience::Lead,
                    _ => crate::content::Audience::Mentee,
                }),
                (Some(p), _, _) => crate::pdf::PdfTarget::Page(p.clone()),
                (None, true, _) => crate::pdf::PdfTarget::Worksheets,
                (None, _, true) => crate::pdf::PdfTarget::All,
                _ => crate::pdf::PdfTarget::Handbook,
            };
            let start = std::time::Instant::now();
            let opts = crate::pdf::PdfOptions {
                target,
                out: a.out.clone(),
                drafts: a.drafts,
                progress: !cli.quiet && std::io::stderr().is_terminal(),
                lang: a.lang.clone(),
                flat: a.flat,
                ..Default::default()
            };
            let report = crate::pdf::run(&config, &opts)?;
            printer.diagnostics(&report.warnings);
            let files = &report.files;
            for (f, passes) in files.iter().zip(&report.passes) {
                if cli.verbose {
                    let times: Vec<String> = passes
                        .iter()
                        .map(|d| format!("{:.2} s", d.as_secs_f64()))
                        .collect();
                    printer.info(&format!(
                        "  {} ({} pass{}: {})",
                        f.display(),
                        passes.len(),
                        if passes.len() == 1 { "" } else { "es" },
                        times.join(", ")
                    ));
                }
            }
            // The folder that holds them all (English PDFs go to `pdf/en/`).
            let mut dir = opts.out.clone().unwrap_or_else(|| config.root.join("pdf"));
            if let Some(first) = files.first().and_then(|f| f.parent()) {
                let mut common = first.to_path_buf();
                while !files.iter().all(|f| f.starts_with(&common)) && common.pop() {}
                if common.starts_with(&dir) {
                    dir = common;
                }
            }
            let warnings = match report.warnings.len() {
                0 => String::new(),
                n => format!(", {n} warning{}", plural(n)),
            };
            printer.info(&format!(
                "Printed {} PDF{} in {:.1} s{warnings} → {}/",
                files.len(),
                plural(files.len()),
                start.elapsed().as_secs_f64(),
                dir.display().to_string().trim_end_matches('/')
            ));
            Ok(())
        }
        Command::Pack(a) => {
            let config = load_config(cli)?;
            let start = std::time::Instant::now();
            let opts = crate::pack::PackOptions {
                shown: crate::pack::shown(&a.pairs),
                pairs: a.pairs.clone(),
                out: a.out.clone(),
                drafts: a.drafts,
            };
            let report = crate::pack::run(&config, &opts)?;
            printer.diagnostics(&report.warnings);
            let n = report.packs.len();
            let shown = report
                .out
                .strip_prefix(std::env::current_dir().unwrap_or_default())
                .map_or_else(
                    |_| report.out.display().to_string(),
                    |p| p.display().to_string(),
                );
            printer.info(&format!(
                "Packed {n} pair{} in {:.1} s → {}/",
                plural(n),
                start.elapsed().as_secs_f64(),
                shown.trim_end_matches('/')
            ));
            Ok(())
        }
        Command::Theme(ThemeCommand::Docs) => {
            print!("{}", crate::render::theme::guide());
            Ok(())
        }
        Command::Theme(ThemeCommand::List) => {
            // Outside a handbook only the built-in themes are listed.
            let root = match &cli.root {
                Some(r) => crate::config::find_root(r).ok(),
                None => std::env::current_dir()
                    .ok()
                    .and_then(|d| crate::config::find_root(&d).ok()),
            };
            let active = root
                .as_deref()
                .and_then(|r| Config::load(r).ok())
                .map(|c| c.theme.name);
            println!(
                "{}",
                crate::render::theme::describe(root.as_deref(), active.as_deref()).trim_end()
            );
            Ok(())
        }
        Command::Theme(ThemeCommand::Eject {
            name,
            as_name,
            force,
        }) => {
            let config = load_config(cli)?;
            let name = name.clone().unwrap_or_else(|| config.theme.name.clone());
            let to = as_name.clone().unwrap_or_else(|| name.clone());
            let (dir, n) = crate::render::theme::eject(&config.root, &name, &to, *force)?;
            let next = if to == config.theme.name {
                format!("keep `theme: {{ name: {to} }}` in mentorbook.yaml")
            } else {
                format!("set `theme: {{ name: {to} }}` in mentorbook.yaml to use it")
            };
            printer.info(&format!(
                "Copied the `{name}` theme ({n} files) to {}\nIts files now take precedence over the built-in ones; {next}.",
                dir.display()
            ));
            Ok(())
        }
        Command::New(a) => {
            let config = load_config(cli)?;
            let written = crate::scaffold::new_file(
                &config,
                a.kind == NewKind::Worksheet,
                &a.title,
                a.section.as_deref(),
                a.session,
            )?;
            // The page comes last: the line scripts read.
            for path in written {
                printer.info(&format!("Created {}", path.display()));
            }
            Ok(())
        }
    }
}
