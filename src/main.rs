//! Parses the arguments and dispatches; everything else lives in the library.

use clap::Parser;
use clap::error::ErrorKind;
use std::io::IsTerminal;
use std::io::Write;
use std::process::ExitCode;

use roster::cli::{
    self,
    args::{Cli, Command},
};
use roster::config::{Configs, Named};
use roster::domain::sanitize::sanitize_lines;
use roster::error::Error;
use roster::service::{Service, actor};
use roster::store::{self, Store};
use roster::tui;

fn main() -> ExitCode {
    let args = match Cli::try_parse() {
        Ok(args) => args,
        Err(e) => return usage_error(e),
    };
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // Every message escapes the data it names; this is the last guard. Written
            // without eprintln!, which panics when stderr is gone (a hung-up terminal).
            let _ = writeln!(
                std::io::stderr(),
                "roster: {}",
                sanitize_lines(&e.to_string())
            );
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

fn run(args: Cli) -> Result<(), Error> {
    // Generated from the clap definitions; no store is opened.
    match &args.command {
        Some(Command::Completions { shell }) => {
            return cli::Output::Bytes(cli::docs_gen::completions(*shell)).print();
        }
        Some(Command::Man) => {
            let page = cli::docs_gen::man_page()
                .map_err(|e| Error::Io(format!("Cannot write the man page: {e}.")))?;
            return cli::Output::Bytes(page).print();
        }
        _ => {}
    }
    if let Some(Command::Gen {
        employees,
        out,
        seed,
    }) = &args.command
    {
        return cli::gen_cmd::run(*employees, out, *seed)?.print();
    }
    let actor = actor::current(args.actor.as_deref());
    if let Some(Command::Setup { shared, group }) = &args.command {
        return cli::setup(shared, group, args.config.as_deref(), actor)?.print();
    }
    if args.demo {
        return demo(actor, args.mouse);
    }
    let configs = Configs::load(args.config.as_deref())?;
    let path = match (&args.db, configs.db()) {
        (Some(p), _) => p.clone(),
        (None, Some((Named::User(p), _))) => p,
        (None, Some((Named::System(p), file))) => {
            store::require_shared(&p, file)?;
            p
        }
        (None, None) => store::default_path()?,
    };
    let wait = args
        .wait
        .map(std::time::Duration::from_secs)
        .unwrap_or(store::CLI_WAIT);
    let mut svc = Service::open(&path, wait, actor)?;
    svc.set_sources(configs.sources());
    let store = svc.store_mut();
    if args.command.is_none() {
        // The app never waits long on the screen's connection: it says who is writing.
        store.set_wait(store::APP_WAIT)?;
    } else if std::io::stderr().is_terminal() {
        store.on_wait(Box::new(|holder| match holder {
            Some(h) => eprintln!(
                "roster: waiting for {} to finish…",
                roster::domain::sanitize::escape_for_text(&h.describe(chrono::Utc::now()))
            ),
            None => eprintln!("roster: waiting for another roster session to finish writing…"),
        }));
    }
    let Some(command) = args.command else {
        return exit(tui::run(
            svc,
            tui::Options {
                intro: None,
                mouse: args.mouse,
            },
        )?);
    };
    cli::run(&mut svc, command)?.print()
}

fn exit(how: tui::Exit) -> Result<(), Error> {
    match how {
        tui::Exit::Quit => Ok(()),
        tui::Exit::Signal(sig) => std::process::exit(128 + sig),
    }
}

/// `roster --demo`: builds the demo database in a temporary folder and opens the app on
/// it, removing the folder when the app ends. Without a terminal it says what it built
/// and where, and leaves it for the commands.
fn demo(actor: roster::domain::audit::Actor, mouse: bool) -> Result<(), Error> {
    use std::io::IsTerminal;
    let demo = roster::demo::create_with_reports()?;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return cli::demo_summary(&demo).print();
    }
    let intro = format!("Demo, removed on quit: {}", demo.path.display());
    let svc = Service::new(Store::open(&demo.path)?, actor);
    let result = tui::run(
        svc,
        tui::Options {
            intro: Some(intro),
            mouse,
        },
    );
    if let Some(dir) = demo.path.parent() {
        let _ = std::fs::remove_dir_all(dir);
    }
    exit(result?)
}

/// Help and version go to stdout as clap writes them; a usage mistake becomes one line
/// on stderr with exit status 2.
fn usage_error(e: clap::Error) -> ExitCode {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            ExitCode::SUCCESS
        }
        // `roster settings` (with a global option before it, clap shows the help
        // instead of saying that the subcommand is missing): a usage mistake too.
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let text = e.render().to_string();
            let usage = text
                .lines()
                .find_map(|l| l.trim().strip_prefix("Usage: "))
                .unwrap_or("roster COMMAND");
            eprintln!(
                "roster: the command is incomplete (usage: {}); see `roster --help`.",
                sanitize_lines(usage)
            );
            ExitCode::from(2)
        }
        _ => {
            let text = e.render().to_string();
            let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
            let mut first = lines
                .next()
                .unwrap_or("bad usage")
                .trim_start_matches("error: ")
                .to_owned();
            // "the following required arguments were not provided:" names them next.
            if first.ends_with(':') {
                let named: Vec<&str> = lines
                    .clone()
                    .take_while(|l| l.starts_with('<') || l.starts_with("--"))
                    .collect();
                first = format!("{} {}", first, named.join(", "));
            }
            // "[possible values: a, b]" for a value out of a list.
            let choices = lines
                .clone()
                .find_map(|l| l.strip_prefix("[possible values: "))
                .and_then(|l| l.strip_suffix(']'))
                .map(|v| format!(" (one of: {v})"))
                .unwrap_or_default();
            first.push_str(&choices);
            let tip = lines
                .find(|l| l.starts_with("tip:"))
                .map(|t| format!(" ({t})"))
                .unwrap_or_default();
            // clap quotes the arguments as given: escape them.
            eprintln!(
                "roster: {}; see `roster --help`.",
                sanitize_lines(&format!("{first}{tip}"))
            );
            ExitCode::from(2)
        }
    }
}
