//! The command line (README "The command line"), as clap definitions. Scripts and tests depend on these
//! names: add, never rename.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

use crate::domain::listing::Tab;
use crate::domain::model::Review;
use crate::domain::review::{ItemId, Kind};
use crate::import::{Format, Preset};

#[derive(Debug, Parser)]
#[command(
    name = "roster",
    version = VERSION.as_str(),
    about = "Settings › Employees: profiles, their connections to data suppliers, imports and repairs.",
    after_help = "Without a command, roster opens the terminal app on the database."
)]
pub struct Cli {
    /// The database file (default: the config's db, else $XDG_DATA_HOME/roster/roster.db).
    #[arg(long, global = true, env = "ROSTER_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// The config file to read (also ROSTER_CONFIG; default
    /// $XDG_CONFIG_HOME/roster/roster.toml, then /etc/roster/roster.toml). With `setup`:
    /// the system config to write (default /etc/roster/roster.toml).
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Who acts, recorded in the audit log beside the OS user (default: the OS user).
    #[arg(long, global = true, value_name = "NAME")]
    pub actor: Option<String>,

    /// How long a command waits for another writer (a running import) before it gives
    /// up and changes nothing (default 600, at most 86400; the app waits half a second
    /// and says who is writing).
    #[arg(long, global = true, env = "ROSTER_WAIT", value_name = "SECONDS", value_parser = wait_seconds)]
    pub wait: Option<u64>,

    /// Open the app on a fresh demo database filled from assets/demo (a temporary file,
    /// removed on quit; --db and ROSTER_DB are not used).
    #[arg(long)]
    pub demo: bool,

    /// Let the app take the mouse: the wheel moves, a click selects, a click on the
    /// selected row opens it. Off by default, so the terminal's own text selection works.
    #[arg(long, env = "ROSTER_MOUSE", value_parser = clap::builder::FalseyValueParser::new())]
    pub mouse: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// `roster --version`: the version and the store schema it writes (a store written by a
/// newer schema is refused; an older one is brought up to this one at open).
pub static VERSION: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "{} (store schema {})",
        env!("CARGO_PKG_VERSION"),
        crate::store::schema::latest_version()
    )
});

/// `--wait` / `ROSTER_WAIT`: whole seconds up to `store::MAX_WAIT`.
fn wait_seconds(s: &str) -> Result<u64, String> {
    let max = crate::store::MAX_WAIT.as_secs();
    match s.trim().parse::<u64>() {
        Ok(n) if n <= max => Ok(n),
        _ => Err(format!(
            "the wait (--wait or ROSTER_WAIT) is whole seconds from 0 to {max} (a day)"
        )),
    }
}

/// `--system S`: any key (a new system's too), with the systems roster knows offered
/// to the shell's completion (`--system <Tab>`) but not listed in the help.
#[derive(Debug, Clone, Copy)]
pub struct SystemKey;

impl clap::builder::TypedValueParser for SystemKey {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(
            crate::domain::system::known_keys().map(clap::builder::PossibleValue::new),
        ))
    }
}

/// `roster export --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnOff {
    On,
    Off,
}

impl From<OnOff> for bool {
    fn from(v: OnOff) -> bool {
        v == OnOff::On
    }
}

/// Names one connection of the employee: the system, and the external ID when the
/// employee holds more than one account of that system.
#[derive(Debug, Args)]
pub struct ConnArgs {
    /// The system key (salesforce, hubspot, …).
    #[arg(long, value_name = "S", value_parser = SystemKey, hide_possible_values = true)]
    pub system: String,
    /// The account's external ID in that system.
    #[arg(long = "external-id", value_name = "X")]
    pub external_id: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Set up one store shared by the admins of this box (run as root or as a member of
    /// the group): DIR setgid and the group's (2770), the store in it 0660, and the
    /// system config naming it, so that every user's plain `roster` opens it.
    Setup {
        /// The folder of the shared store (created when missing), e.g. /srv/roster.
        #[arg(long, value_name = "DIR")]
        shared: PathBuf,
        /// The group of the admins who may change the store: a name or a number.
        #[arg(long, value_name = "GROUP")]
        group: String,
    },
    /// Copy the database to PATH with SQLite's online backup (sessions keep working).
    Backup {
        /// Where to write the copy; an existing file is never overwritten.
        path: PathBuf,
    },
    /// Run the integrity check and verify roster's invariants (exit 1 on a problem).
    Check {
        /// Recompute derived data (suppliers column, tab counts) before checking.
        #[arg(long)]
        fix: bool,
        /// Print JSON instead of text (README "The command line" lists the fields).
        #[arg(long)]
        json: bool,
    },
    /// The employees table.
    List {
        /// Which tab's profiles (all: every profile).
        #[arg(long, value_enum, default_value = "active")]
        tab: Tab,
        /// Only employees with a connection to this system.
        #[arg(long, value_name = "S")]
        supplier: Option<String>,
        /// Only employees whose name, email, external ID or system contains TEXT.
        #[arg(long, value_name = "TEXT")]
        filter: Option<String>,
        /// At most this many rows (default: all).
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
        /// Print JSON instead of text (README "The command line" lists the fields).
        #[arg(long)]
        json: bool,
    },
    /// One profile with its connections.
    Show {
        /// Employee ID, email, or system:external_id.
        emp: String,
        /// Print JSON instead of text (README "The command line" lists the fields).
        #[arg(long)]
        json: bool,
    },
    /// Create an employee by hand.
    New {
        /// The profile's name.
        #[arg(long)]
        name: String,
        /// Its primary email (another profile may hold it too: roster names that one).
        #[arg(long)]
        email: Option<String>,
        /// Login access (default: off).
        #[arg(long, value_enum, default_value = "off")]
        login: OnOff,
        /// Print JSON instead of text (README "The command line" lists the fields).
        #[arg(long)]
        json: bool,
    },
    /// Link an employee to an account of a system by hand.
    Connect {
        /// The employee: ID, email, or system:external_id.
        emp: String,
        /// The system key (salesforce, hubspot, …).
        #[arg(long, value_name = "S", value_parser = SystemKey, hide_possible_values = true)]
        system: String,
        /// The account's external ID in that system (exact; refused when another
        /// profile holds it).
        #[arg(long = "external-id", value_name = "X")]
        external_id: String,
        /// The account's email in that system.
        #[arg(long)]
        email: Option<String>,
        /// The account's name in that system.
        #[arg(long)]
        name: Option<String>,
        /// Print JSON instead of text (README "The command line" lists the fields).
        #[arg(long)]
        json: bool,
    },
    /// Make one of the employee's connections manage the profile.
    Manage {
        /// The employee: ID, email, or system:external_id.
        emp: String,
        #[command(flatten)]
        conn: ConnArgs,
        /// Print JSON instead of text (README "The command line" lists the fields).
        #[arg(long)]
        json: bool,
    },
    /// Manage the profile manually: no system overwrites its name and picture.
    Unmanage {
        /// The employee: ID, email, or system:external_id.
        emp: String,
        /// Print JSON instead of text (README "The command line" lists the fields).
        #[arg(long)]
        json: bool,
    },
    /// Move a connection to a new employee.
    Move {
        /// The employee: ID, email, or system:external_id.
        emp: String,
        #[command(flatten)]
        conn: ConnArgs,
        /// Print JSON instead of text (README "The command line" lists the fields).
        #[arg(long)]
        json: bool,
    },
    /// Remove a connection (the next import may reconnect it by email).
    Remove {
        /// The employee: ID, email, or system:external_id.
        emp: String,
        #[command(flatten)]
        conn: ConnArgs,
        /// Also block the account from ever being linked to this employee again.
        #[arg(long)]
        block: bool,
        /// Print JSON instead of text (README "The command line" lists the fields).
        #[arg(long)]
        json: bool,
    },
    /// Merge OTHER into KEEP (without --yes: show what would happen, change nothing).
    #[command(
        after_help = "KEEP stays: it keeps its name, email, status and who manages it, and receives OTHER's connections. OTHER is folded: deactivated and marked merged into KEEP. Undoable (`roster undo`)."
    )]
    Merge {
        /// The profile that stays (employee ID, email, or system:external_id).
        keep: String,
        /// The profile folded into KEEP: its connections move to KEEP, it is deactivated.
        other: String,
        /// Merge. Without it, roster prints the side-by-side preview and changes nothing.
        #[arg(long)]
        yes: bool,
        /// Print JSON instead of text (README "The command line" lists the fields).
        #[arg(long)]
        json: bool,
    },
    /// Edit name, email, login access or picture.
    Edit {
        /// The employee: ID, email, or system:external_id.
        emp: String,
        /// The new name (refused while a system manages the profile).
        #[arg(long)]
        name: Option<String>,
        /// The primary email ("" clears it).
        #[arg(long)]
        email: Option<String>,
        /// Login access: on or off.
        #[arg(long, value_enum)]
        login: Option<OnOff>,
        /// The profile picture URL ("" clears it).
        #[arg(long = "picture-url", value_name = "URL")]
        picture_url: Option<String>,
        /// Print JSON instead of text (README "The command line" lists the fields).
        #[arg(long)]
        json: bool,
    },
    /// Activate a pending or deactivated profile. Several EMPs: each its own audited,
    /// undoable action, every selector checked before anything changes.
    Activate {
        /// Employee IDs, emails or system:external_id; - reads them from stdin (one or
        /// more a line).
        #[arg(required = true, num_args = 1..)]
        emp: Vec<String>,
        /// Print JSON instead of text (README "The command line" lists the fields).
        #[arg(long)]
        json: bool,
    },
    /// Deactivate a profile (profiles are never deleted). Several EMPs: each its own audited,
    /// undoable action, every selector checked before anything changes.
    Deactivate {
        /// Employee IDs, emails or system:external_id; - reads them from stdin (one or
        /// more a line).
        #[arg(required = true, num_args = 1..)]
        emp: Vec<String>,
        /// Print JSON instead of text (README "The command line" lists the fields).
        #[arg(long)]
        json: bool,
    },
    /// Discard a pending profile (it moves to Deactivated). Several EMPs: each its own audited,
    /// undoable action, every selector checked before anything changes.
    Discard {
        /// Employee IDs, emails or system:external_id; - reads them from stdin (one or
        /// more a line).
        #[arg(required = true, num_args = 1..)]
        emp: Vec<String>,
        /// Print JSON instead of text (README "The command line" lists the fields).
        #[arg(long)]
        json: bool,
    },
    /// Reverse the most recent action that can still be undone (or entry --id N): says
    /// what it will undo, whose action it is, and asks.
    Undo {
        /// Undo audit entry N (`roster log` lists them) rather than the most recent one;
        /// refused when something since changed the rows it wrote.
        #[arg(long, value_name = "N")]
        id: Option<i64>,
        /// Undo without asking. Without --id, it undoes only your own most recent action:
        /// another admin's is named, and taken back only with --id.
        #[arg(long)]
        yes: bool,
        /// Print JSON instead of text (README "The command line" lists the fields).
        #[arg(long)]
        json: bool,
    },
    /// Lift a block: imports may link the account to the employee again.
    Unblock {
        /// Employee ID, email, or system:external_id.
        emp: String,
        /// The blocked account's system.
        #[arg(long, value_name = "S", value_parser = SystemKey, hide_possible_values = true)]
        system: String,
        /// The blocked account's external ID (required when the profile has more than
        /// one block of that system).
        #[arg(long = "external-id", value_name = "X")]
        external_id: Option<String>,
        /// Print JSON instead of text (README "The command line" lists the fields).
        #[arg(long)]
        json: bool,
    },
    /// The audit log, newest first, with each field's old → new value.
    Log {
        /// Only the entries about this employee (ID, email, or system:external_id).
        emp: Option<String>,
        /// Only the entries by this admin (the name recorded as actor, or the OS user);
        /// not to be mixed up with the global --actor, who acts.
        #[arg(long, value_name = "USER")]
        by: Option<String>,
        /// Only the entries of this action (edit, remove, merge, import, undo, …).
        #[arg(long, value_name = "A")]
        action: Option<String>,
        /// Only the entries at or after T: a date (2026-03-01, UTC), a time
        /// (2026-03-01T09:30:00Z), or an age (30m, 2h, 7d).
        #[arg(long, value_name = "T")]
        since: Option<String>,
        /// At most this many entries.
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// Print JSON instead of text (README "The command line" lists the fields).
        #[arg(long)]
        json: bool,
    },
    /// The import runs, newest first (who, when, which file, the counts, whether undone);
    /// with N, what run N did, account by account: the profiles it created, the accounts
    /// it linked by email, the fields it changed (before → now), the review items it
    /// raised.
    Imports {
        /// The run's number, as `roster imports` lists it.
        #[arg(value_name = "N")]
        id: Option<i64>,
        /// At most this many runs in the list.
        #[arg(long, value_name = "N", default_value_t = crate::service::imports::RUNS_LISTED)]
        limit: usize,
        /// Print JSON: an array of runs, or the run and its `lines` (README "JSON").
        #[arg(long)]
        json: bool,
    },
    /// Import an export file of one system: link accounts by ID, then by email, else
    /// create profiles.
    Import {
        /// The export file (CSV, JSON or NDJSON); - reads stdin.
        file: PathBuf,
        /// The system the file comes from (salesforce, hubspot, pipedrive, entra, okta, google,
        /// slack, zendesk, podio, a key the store holds already, or a new key: see --new-system;
        /// roster restores a `roster export --connections` file into an empty store).
        #[arg(long, value_name = "S", value_parser = SystemKey, hide_possible_values = true)]
        system: String,
        /// The file format (default: from the file name, else from the content).
        #[arg(long, value_enum)]
        format: Option<Format>,
        /// How to read the columns (default: the system's preset when the file fits it,
        /// else the generic columns external_id, email, name, picture_url, active).
        #[arg(long, value_enum)]
        preset: Option<Preset>,
        /// Which column holds which field, e.g. external_id=EmpNo,email=Work Email,name=Name
        /// (fields: external_id, email, name, first_name, last_name, picture_url, active, inactive;
        /// a JSON key may be a dotted path, email=profile.email; active and inactive may name
        /// the values that mean them, active=Status:Active or inactive=status:SUSPENDED|DEPROVISIONED).
        #[arg(long, value_name = "FIELD=COLUMN,...")]
        map: Option<String>,
        /// Show what each row would do; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Go ahead when the safeguard stops the import: it stops one that would create more
        /// new profiles than 20% of the profiles that exist (any status), in a file of more
        /// than 50 rows (the usual sign of the wrong --system or the wrong file). The first
        /// import into an empty store never needs it.
        #[arg(long)]
        allow_mass_create: bool,
        /// The system is a new one: go ahead even though its key is within two edits of a
        /// system roster knows or this store holds (without it, `hubsopt` is refused as a
        /// mistype of hubspot).
        #[arg(long)]
        new_system: bool,
        /// Print JSON instead of text (README "The command line" lists the fields).
        #[arg(long)]
        json: bool,
        /// No progress bar (it is drawn on stderr only when stderr is a terminal, and
        /// never with --json).
        #[arg(long, short)]
        quiet: bool,
    },
    /// Pull users straight from a system's API, as configured in roster.toml
    /// ([sources.NAME]): the same rules, dry run, safeguard, report and undo as an import.
    /// Exit status 0 when every source was pulled, 2 when the config or a token is wrong
    /// (a source unknown or misconfigured, a token refused, a scope missing), 1 when a
    /// pull failed otherwise (the network, the system's answers); nothing of a failed
    /// source is written.
    Pull {
        /// The source's name in roster.toml (hubspot, pipedrive, salesforce or any name
        /// with a system = key).
        #[arg(
            value_name = "SOURCE",
            required_unless_present = "all",
            conflicts_with = "all"
        )]
        source: Option<String>,
        /// Pull every configured source, one transaction each (for a cron job or a
        /// systemd timer); exits non-zero when any failed, naming it.
        #[arg(long)]
        all: bool,
        /// Show what each record would do; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Go ahead when the safeguard stops the pull (as for `roster import`).
        #[arg(long)]
        allow_mass_create: bool,
        /// Print JSON instead of text (README "The command line" lists the fields).
        #[arg(long)]
        json: bool,
        /// No progress bar (as for `roster import`).
        #[arg(long, short)]
        quiet: bool,
    },
    /// Write synthetic export files (Salesforce, HubSpot, Pipedrive, an HR system) with
    /// overlapping people, for tests and benchmarks.
    Gen {
        /// How many people.
        #[arg(long, value_name = "N")]
        employees: u64,
        /// The folder to write the files into (created when missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// The seed: the same seed writes the same files.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// The review inbox: what imports could not decide, likely duplicates and pending
    /// profiles, newest first (`resolve` decides one).
    Review {
        #[command(subcommand)]
        action: Option<ReviewAction>,
        /// Only items of this kind.
        #[arg(long, value_enum)]
        kind: Option<Kind>,
        /// First look for duplicates over the whole store.
        #[arg(long)]
        rescan: bool,
        /// At most this many items (default 1000; 0: all).
        #[arg(long, value_name = "N", default_value_t = 1000)]
        limit: usize,
        /// Print JSON instead of text (README "The command line" lists the fields).
        #[arg(long)]
        json: bool,
    },
    /// Settings.
    Settings {
        #[command(subcommand)]
        setting: Setting,
    },
    /// Write the employees table, or one row per connection with its provenance, to
    /// stdout as CSV or JSON. CSV cells a spreadsheet would run as a formula (starting
    /// with =, +, -, @, tab or CR) and cells starting with ' get a ' in front.
    Export {
        /// Which profiles (default: all of them).
        #[arg(long, value_enum, default_value = "all")]
        tab: Tab,
        /// CSV (a header row) or JSON (an array of objects).
        #[arg(long, value_enum, default_value = "csv")]
        format: ExportFormat,
        /// One row per connection (a profile without any gets one row), with the profile
        /// and the connection's provenance: what `roster import FILE --system roster`
        /// restores into an empty store.
        #[arg(long)]
        connections: bool,
    },
    /// Print the completion script for SHELL: `roster completions bash >
    /// ~/.local/share/bash-completion/completions/roster` (README "Installing" has zsh and
    /// fish).
    Completions {
        /// The shell: bash, zsh, fish (also elvish, powershell).
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page of roster and every command (roff): `roster man | man -l -`.
    Man,
}

impl Command {
    /// Whether the command changes the store: a user who may only read it is refused
    /// before anything is read or resolved.
    pub fn changes(&self) -> bool {
        match self {
            Command::New { .. }
            | Command::Connect { .. }
            | Command::Manage { .. }
            | Command::Unmanage { .. }
            | Command::Move { .. }
            | Command::Remove { .. }
            | Command::Edit { .. }
            | Command::Activate { .. }
            | Command::Deactivate { .. }
            | Command::Discard { .. }
            | Command::Unblock { .. }
            | Command::Undo { .. } => true,
            Command::Merge { yes, .. } => *yes,
            Command::Import { dry_run, .. } | Command::Pull { dry_run, .. } => !dry_run,
            Command::Check { fix, .. } => *fix,
            // A rescan stores the suggestions it finds; a resolution is a change.
            Command::Review { action, rescan, .. } => *rescan || action.is_some(),
            Command::Settings {
                setting: Setting::Review { value },
            } => value.is_some(),
            Command::Setup { .. }
            | Command::Backup { .. }
            | Command::List { .. }
            | Command::Show { .. }
            | Command::Log { .. }
            | Command::Imports { .. }
            | Command::Gen { .. }
            | Command::Export { .. }
            | Command::Completions { .. }
            | Command::Man => false,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum ReviewAction {
    /// Decide one item: link its account, create a profile for it, ignore it, merge the
    /// profiles, or dismiss a duplicate suggestion (audited; `roster undo` takes it back).
    Resolve {
        /// The item's id as `roster review` shows it (12, or p17 for a pending profile).
        #[arg(value_parser = item_id)]
        id: ItemId,
        #[command(flatten)]
        how: Resolve,
        /// Print JSON instead of text (README "The command line" lists the fields).
        #[arg(long)]
        json: bool,
    },
}

fn item_id(s: &str) -> Result<ItemId, String> {
    s.parse()
}

/// One resolution (which apply to which kind: README "The review inbox").
#[derive(Debug, Args)]
#[group(id = "how", required = true, multiple = false)]
pub struct Resolve {
    /// Link the account to this employee (ID, email or system:external_id).
    #[arg(long, value_name = "EMP")]
    pub link: Option<String>,
    /// Create a new profile for the account; for a pending profile: activate it.
    #[arg(long)]
    pub create: bool,
    /// Leave the account alone: later imports skip it until its email changes; for a
    /// pending profile: discard it.
    #[arg(long)]
    pub ignore: bool,
    /// Keep this employee and merge the item's other profiles into it (a conflict's
    /// account is then linked to it; a pending profile is merged into it).
    #[arg(long, value_name = "KEEP")]
    pub merge: Option<String>,
    /// Not one person: dismiss the duplicate suggestion for good.
    #[arg(long)]
    pub dismiss: bool,
}

#[derive(Debug, Subcommand)]
pub enum Setting {
    /// Where new imported profiles land: auto (Active) or manual (Pending, for review).
    Review {
        /// auto (new imported profiles are active) or manual (they wait on the Pending
        /// tab); without it, prints the setting.
        #[arg(value_enum)]
        value: Option<Review>,
    },
}
