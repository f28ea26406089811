//! What a preset is: the columns (or JSON key paths) of one system's export, the words
//! it uses for active and inactive, the rows that are not people, and the shape of its
//! IDs. The presets themselves are data, in `presets.rs`; this file gives them a type
//! and the handful of questions the readers ask them. Names are compared trimmed and
//! case-insensitively ("ID" = "Id" = "id"); a dotted name is a path into nested JSON
//! objects (`profile.email`).

use super::id_shape::Shape;
use super::presets::TABLE;

/// The fields an import reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    ExternalId,
    Email,
    Name,
    FirstName,
    LastName,
    Picture,
    Active,
    /// True means inactive (HubSpot's `archived`, Slack's `deleted`).
    Inactive,
    /// Taken as the email when the email is empty, if it is a plain address (Entra's
    /// `userPrincipalName`, never a guest's `…#EXT#@…` name). Presets only.
    EmailFallback,
}

impl Target {
    pub const ALL: [Target; 9] = [
        Target::ExternalId,
        Target::Email,
        Target::Name,
        Target::FirstName,
        Target::LastName,
        Target::Picture,
        Target::Active,
        Target::Inactive,
        Target::EmailFallback,
    ];

    /// The fields `--map` can name.
    pub const MAPPABLE: [Target; 8] = [
        Target::ExternalId,
        Target::Email,
        Target::Name,
        Target::FirstName,
        Target::LastName,
        Target::Picture,
        Target::Active,
        Target::Inactive,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    /// The name `--map` uses, and messages.
    pub fn map_name(self) -> &'static str {
        match self {
            Target::ExternalId => "external_id",
            Target::Email => "email",
            Target::Name => "name",
            Target::FirstName => "first_name",
            Target::LastName => "last_name",
            Target::Picture => "picture_url",
            Target::Active => "active",
            Target::Inactive => "inactive",
            Target::EmailFallback => "email",
        }
    }

    /// How an error message names the field.
    pub fn label(self) -> &'static str {
        match self {
            Target::ExternalId => "external ID",
            Target::Email | Target::EmailFallback => "email",
            Target::Name => "name",
            Target::FirstName => "first name",
            Target::LastName => "last name",
            Target::Picture => "picture URL",
            Target::Active => "active flag",
            Target::Inactive => "inactive flag",
        }
    }
}

/// The words of a status column: `yes` means the flag is set (active for `active`,
/// inactive for `inactive`), `no` means it is not; without `no`, every other word means
/// "not set". With both lists, a word in neither refuses the row (never guess).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Words {
    pub yes: &'static [&'static str],
    pub no: Option<&'static [&'static str]>,
}

/// When a row is not a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// The value is one of these (compared ignoring case).
    Is(&'static [&'static str]),
    /// The value is given and is none of these.
    IsNot(&'static [&'static str]),
    /// The value is true (`true`, `1`, `yes`).
    True,
    /// The value contains this text (compared ignoring case).
    Contains(&'static str),
}

/// A rule that skips rows the system itself marks as not people (bots, guests,
/// customers): the name read, when it applies, and the reason the report gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Skip {
    pub name: &'static str,
    pub when: When,
    pub reason: &'static str,
}

/// One preset: the export of one system, as data.
#[derive(Debug, PartialEq, Eq)]
pub struct Def {
    /// The name `--preset` takes.
    pub key: &'static str,
    /// The system keys that read their files with this preset by default.
    pub systems: &'static [&'static str],
    /// What a file of this shape is, for messages ("a Slack users.list answer").
    pub what: &'static str,
    /// The names of each field, in order of preference: the first one a record has is
    /// read.
    pub fields: &'static [(Target, &'static [&'static str])],
    /// The words of `active`/`inactive` when they are not yes/no values.
    pub words: &'static [(Target, Words)],
    /// Besides the ID, a file fits the preset when it has one of these.
    pub signature: &'static [&'static str],
    /// Names that only this system's files have: a file with the ID and one of these
    /// "looks like" this system's export (messages, and refusing another system's file).
    pub marks: &'static [&'static str],
    /// Rows that are not people.
    pub skip: &'static [Skip],
    /// The shape of the system's IDs, checked for its system keys.
    pub id_shape: Shape,
    /// Lines of a single cell after the data are the export's footer (Salesforce
    /// reports), not records.
    pub footer: bool,
}

/// A preset: a handle on one entry of the table.
#[derive(Clone, Copy)]
pub struct Preset(&'static Def);

impl PartialEq for Preset {
    fn eq(&self, other: &Preset) -> bool {
        self.0.key == other.0.key
    }
}

impl Eq for Preset {}

impl std::hash::Hash for Preset {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.0.key.hash(h)
    }
}

impl std::fmt::Debug for Preset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Preset({})", self.0.key)
    }
}

/// `--preset NAME`: the command line offers the names of the table.
impl clap::ValueEnum for Preset {
    fn value_variants<'a>() -> &'a [Preset] {
        static ALL: std::sync::LazyLock<Vec<Preset>> =
            std::sync::LazyLock::new(|| Preset::all().collect());
        &ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.as_str()))
    }
}

impl Preset {
    /// Every preset, in the order of the table (the generic columns first).
    pub fn all() -> impl Iterator<Item = Preset> {
        TABLE.iter().map(Preset)
    }

    /// The generic columns.
    pub fn generic() -> Preset {
        Preset::parse("generic").expect("the table has the generic columns")
    }

    pub fn def(self) -> &'static Def {
        self.0
    }

    pub fn as_str(self) -> &'static str {
        self.0.key
    }

    pub fn is_generic(self) -> bool {
        self.0.key == "generic"
    }

    pub fn parse(s: &str) -> Option<Preset> {
        Preset::all().find(|p| p.as_str() == s.trim().to_ascii_lowercase())
    }

    /// "generic, salesforce, hubspot, …": the preset names, for help and messages.
    pub fn names() -> Vec<&'static str> {
        Preset::all().map(Preset::as_str).collect()
    }

    /// The preset a system key picks by default, when the file fits it.
    pub fn of_system(system: &str) -> Option<Preset> {
        Preset::all().find(|p| p.0.systems.contains(&system))
    }

    /// The shape of a system's IDs, when roster knows it.
    pub fn id_shape_of(system: &str) -> Shape {
        Preset::of_system(system).map_or(Shape::Any, |p| p.0.id_shape)
    }

    /// What the file is, in the words of an error message.
    pub fn describe(self) -> &'static str {
        self.0.what
    }

    /// The column (or key) names of a field, in order of preference.
    pub fn names_of(self, target: Target) -> &'static [&'static str] {
        self.0
            .fields
            .iter()
            .find(|(t, _)| *t == target)
            .map_or(&[], |(_, names)| names)
    }

    pub fn words_of(self, target: Target) -> Option<Words> {
        self.0
            .words
            .iter()
            .find(|(t, _)| *t == target)
            .map(|(_, w)| *w)
    }

    /// "Id or User ID": the ID names, for messages.
    pub fn id_names(self) -> String {
        or_list(self.names_of(Target::ExternalId))
    }

    /// The system key to give for files of this preset.
    pub fn system(self) -> Option<&'static str> {
        self.0.systems.first().copied()
    }

    /// Every name the preset reads or looks for.
    pub fn all_names(self) -> impl Iterator<Item = &'static str> {
        let d = self.0;
        d.fields
            .iter()
            .flat_map(|(_, n)| n.iter().copied())
            .chain(d.signature.iter().copied())
            .chain(d.marks.iter().copied())
            .chain(d.skip.iter().map(|s| s.name))
    }
}

pub fn or_list(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// How the front that asked for an import names its choices, so that its messages
/// speak of what the user typed: the command line's options, the app's form fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wording {
    pub map: &'static str,
    pub preset: &'static str,
    /// How to say "this is the system I meant" and "this is a new system".
    pub system: &'static str,
    pub new_system: &'static str,
}

impl Wording {
    pub const CLI: Wording = Wording {
        map: "--map",
        preset: "--preset",
        system: "import again with --system",
        new_system: "add --new-system",
    };
    pub const FORM: Wording = Wording {
        map: "Columns",
        preset: "Preset",
        system: "make the System",
        new_system: "turn on New system (Space)",
    };
}

/// Normalises a column or key name for comparison.
pub fn norm(name: &str) -> String {
    name.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// How messages name each field, and the name `--map` takes for it.
    #[test]
    fn fields_have_their_names_in_messages_and_in_the_map() {
        let named: Vec<(&str, &str)> = Target::ALL
            .iter()
            .map(|t| (t.map_name(), t.label()))
            .collect();
        assert_eq!(
            named,
            [
                ("external_id", "external ID"),
                ("email", "email"),
                ("name", "name"),
                ("first_name", "first name"),
                ("last_name", "last name"),
                ("picture_url", "picture URL"),
                ("active", "active flag"),
                ("inactive", "inactive flag"),
                ("email", "email"),
            ]
        );
        for (i, t) in Target::ALL.iter().enumerate() {
            assert_eq!(t.index(), i);
        }
    }

    /// The presets as the fronts offer them: the table's keys, in its order, each
    /// parsed back (any case, spaces around), each with its own description.
    #[test]
    fn presets_are_named_and_found_by_their_keys() {
        use clap::ValueEnum;
        let names = Preset::names();
        assert_eq!(names, TABLE.iter().map(|d| d.key).collect::<Vec<_>>());
        assert_eq!(names[0], "generic");
        assert!(
            names.len() > 5 && names.contains(&"salesforce"),
            "{names:?}"
        );
        let offered: Vec<String> = Preset::value_variants()
            .iter()
            .map(|p| p.to_possible_value().unwrap().get_name().to_owned())
            .collect();
        assert_eq!(offered, names);
        let mut seen = std::collections::HashSet::new();
        for p in Preset::all() {
            assert_eq!(
                Preset::parse(&format!(" {} ", p.as_str().to_uppercase())),
                Some(p)
            );
            assert_eq!(format!("{p:?}"), format!("Preset({})", p.as_str()));
            assert!(seen.insert(p), "{p:?} twice");
            assert_eq!(p.is_generic(), p.as_str() == "generic");
            assert_eq!(p == Preset::generic(), p.is_generic());
        }
        assert_eq!(Preset::parse("salesforc"), None);
        assert!(Preset::generic().is_generic());
        let hubspot = Preset::parse("hubspot").unwrap();
        assert_ne!(hubspot, Preset::generic());
        assert_eq!(hubspot.describe(), "a HubSpot owners answer");
        assert_eq!(hubspot.system(), Some("hubspot"));
        assert_eq!(hubspot.id_names(), "id or ownerid");
        assert_eq!(Preset::generic().system(), None);
        assert_eq!(Preset::of_system("hubspot"), Some(hubspot));
        assert_eq!(Preset::of_system("workday"), None);
        assert_eq!(Preset::id_shape_of("hubspot"), Shape::Decimal);
        assert_eq!(Preset::id_shape_of("workday"), Shape::Any);
    }

    /// A preset's names: each field's in order of preference, the words of its flags,
    /// and every name it looks for.
    #[test]
    fn a_presets_names_and_words() {
        let okta = Preset::parse("okta").unwrap();
        assert_eq!(okta.names_of(Target::Email), ["profile.email"]);
        assert_eq!(okta.names_of(Target::Name), [] as [&str; 0]);
        assert_eq!(
            okta.words_of(Target::Active).map(|w| w.yes[0]),
            Some("ACTIVE")
        );
        assert_eq!(okta.words_of(Target::Inactive), None);
        let salesforce = Preset::parse("salesforce").unwrap();
        assert_eq!(salesforce.names_of(Target::ExternalId), ["id", "user id"]);
        let all: Vec<&str> = salesforce.all_names().collect();
        for n in [
            "id",
            "user id",
            "fullphotourl",
            "username",
            "timezonesidkey",
            "usertype",
        ] {
            assert!(all.contains(&n), "{n}: {all:?}");
        }
        assert_eq!(or_list(&[]), "");
        assert_eq!(or_list(&["id"]), "id");
        assert_eq!(
            or_list(&["id", "user id", "ownerid"]),
            "id, user id or ownerid"
        );
        assert_eq!(norm("  User ID "), "user id");
    }
}
