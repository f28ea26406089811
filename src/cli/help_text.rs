//! Every command and every argument of the command line says what it is for in
//! `--help` (and so in the man page and the completions' descriptions).

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use crate::cli::args::Cli;

    /// The commands and arguments without help text, as "roster list --json".
    fn missing(cmd: &clap::Command, path: &str, out: &mut Vec<String>) {
        let here = format!("{path} {}", cmd.get_name()).trim().to_owned();
        if cmd
            .get_about()
            .is_none_or(|a| a.to_string().trim().is_empty())
        {
            out.push(format!("{here} (the command)"));
        }
        for arg in cmd.get_arguments() {
            let id = arg.get_id().as_str();
            // clap's own --help and --version say what they do.
            if id == "help" || id == "version" {
                continue;
            }
            let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
            if help.trim().is_empty() {
                let name = arg
                    .get_long()
                    .map(|l| format!("--{l}"))
                    .unwrap_or_else(|| id.to_uppercase());
                out.push(format!("{here} {name}"));
            }
        }
        for sub in cmd.get_subcommands() {
            if sub.get_name() == "help" {
                continue;
            }
            missing(sub, &here, out);
        }
    }

    #[test]
    fn every_command_and_argument_has_help_text() {
        let mut out = Vec::new();
        missing(&Cli::command(), "", &mut out);
        assert!(
            out.is_empty(),
            "these have no help text (a /// line above them in src/cli/args.rs):\n{}",
            out.join("\n")
        );
    }

    #[test]
    fn the_walk_sees_every_command() {
        // The walk must reach the subcommands for the test above to mean anything.
        let mut names = Vec::new();
        fn walk(cmd: &clap::Command, names: &mut Vec<String>) {
            for sub in cmd.get_subcommands() {
                names.push(sub.get_name().to_owned());
                walk(sub, names);
            }
        }
        walk(&Cli::command(), &mut names);
        for expected in ["list", "imports", "resolve", "review", "log", "undo"] {
            assert!(names.iter().any(|n| n == expected), "{expected}: {names:?}");
        }
    }
}
