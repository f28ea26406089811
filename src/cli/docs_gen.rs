//! `roster completions SHELL` and `roster man`: generated from the clap definitions
//! (`args.rs`) by the crates made for it, so they can never drift from the commands.

use clap::CommandFactory;

use super::args::Cli;

/// The completion script for `shell`.
pub fn completions(shell: clap_complete::Shell) -> Vec<u8> {
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "roster", &mut out);
    out
}

/// The global options, described once at the top of the page, not again under every
/// command.
const GLOBAL: &[&str] = &["db", "config", "actor", "wait"];

/// roster(1): the name, synopsis, description and global options of `roster`, then a
/// COMMANDS section with each command's (and subcommand's) synopsis, description and
/// options: one page for everything, as `man roster` should be.
pub fn man_page() -> std::io::Result<Vec<u8>> {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let man = clap_mangen::Man::new(cmd.clone()).source(format!(
        "roster {} (store schema {})",
        env!("CARGO_PKG_VERSION"),
        crate::store::schema::latest_version()
    ));
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    man.render_options_section(&mut out)?;
    out.extend_from_slice(b".SH COMMANDS\n");
    for sub in commands(&cmd) {
        out.extend_from_slice(&command_section(sub)?);
    }
    man.render_extra_section(&mut out)?;
    man.render_version_section(&mut out)?;
    Ok(drawable(&String::from_utf8_lossy(&out)).into_bytes())
}

/// groff has no glyph for an ellipsis: on an ASCII terminal (LANG=C, common over SSH)
/// `man` warns and leaves a blank. The help's "…" is three dots on the page.
fn drawable(roff: &str) -> String {
    roff.replace('…', "...")
}

/// Every command, depth first (`settings`, then `settings review`).
fn commands(cmd: &clap::Command) -> Vec<clap::Command> {
    let mut all = Vec::new();
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        all.push(sub.clone());
        all.extend(commands(sub));
    }
    all
}

/// One command as a subsection: its synopsis, its description and its options (the
/// global ones left to the top of the page).
fn command_section(mut sub: clap::Command) -> std::io::Result<Vec<u8>> {
    for id in GLOBAL {
        if sub.get_arguments().any(|a| a.get_id() == id) {
            sub = sub.mut_arg(*id, |a| a.hide(true));
        }
    }
    let title = sub
        .get_bin_name()
        .unwrap_or_else(|| sub.get_name())
        .to_owned();
    let man = clap_mangen::Man::new(sub.clone());
    let mut body = Vec::new();
    man.render_synopsis_section(&mut body)?;
    man.render_description_section(&mut body)?;
    if sub.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(&mut body)?;
    }
    // The sections of a command's own page become paragraphs of its subsection.
    let body = String::from_utf8_lossy(&body)
        .lines()
        .map(|l| match l {
            ".SH SYNOPSIS" => ".PP".to_owned(),
            ".SH DESCRIPTION" => ".PP".to_owned(),
            ".SH OPTIONS" => ".PP\nOptions:".to_owned(),
            l => l.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    Ok(format!(".SS \"{title}\"\n{body}\n").into_bytes())
}
