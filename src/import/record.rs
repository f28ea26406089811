//! From the raw values of one record to a validated `Record`, a row that is not a person
//! (skipped, with the reason), or the row's problems.

use std::borrow::Cow;

use super::mapping::{Columns, FlagWords, Source};
use super::preset::{Skip, Target, When, Wording};
use crate::domain::planner::{Field, Record};
use crate::domain::sanitize::escape_for_text;
use crate::domain::system::normalize_external_id;
use crate::domain::validate::MAX_FIELD_BYTES;

/// A value as the file holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Raw<'a> {
    /// No such column or key.
    Missing,
    /// JSON `null`.
    Null,
    Text(Cow<'a, str>),
    Bool(bool),
    /// A JSON object or array where a single value belongs.
    Nested,
}

impl Raw<'_> {
    /// The same value, borrowing its text instead of copying it.
    pub fn borrowed(&self) -> Raw<'_> {
        match self {
            Raw::Missing => Raw::Missing,
            Raw::Null => Raw::Null,
            Raw::Text(t) => Raw::Text(Cow::Borrowed(t)),
            Raw::Bool(b) => Raw::Bool(*b),
            Raw::Nested => Raw::Nested,
        }
    }

    fn present(&self) -> bool {
        !matches!(self, Raw::Missing)
    }
}

/// A value for a message: sanitised, and cut when long.
pub fn quote(v: &str) -> String {
    const MAX: usize = 60;
    let mut s = escape_for_text(v);
    if s.chars().count() > MAX {
        s = s.chars().take(MAX).collect::<String>() + "…";
    }
    format!("'{s}'")
}

/// What one record turned out to be.
#[derive(Debug)]
pub enum Built {
    Record(Record),
    /// Not a person (a bot, a guest, a customer): not imported, counted with the reason.
    Skipped {
        external_id: String,
        reason: String,
    },
    Problems {
        /// The ID, when it could be read: a repeated ID is reported even for a row with
        /// other problems.
        external_id: Option<String>,
        /// Whether the ID does not fit the system's shape (the first such row refuses the
        /// whole file, saying what it looks like).
        misfit: Option<String>,
        problems: Vec<String>,
    },
}

fn text<'a>(
    label: &dyn std::fmt::Display,
    raw: &'a Raw<'_>,
    problems: &mut Vec<String>,
) -> Field<&'a str> {
    match raw {
        Raw::Missing => Field::Absent,
        Raw::Null => Field::Empty,
        Raw::Bool(b) => Field::Value(if *b { "true" } else { "false" }),
        Raw::Nested => {
            problems.push(format!(
                "the {label} is an object or a list, not a single value"
            ));
            Field::Empty
        }
        Raw::Text(s) => {
            if s.len() > MAX_FIELD_BYTES {
                problems.push(format!(
                    "the {label} is {} bytes long; the limit is {MAX_FIELD_BYTES} bytes ({})",
                    s.len(),
                    quote(s)
                ));
                return Field::Empty;
            }
            match s.trim() {
                "" => Field::Empty,
                v => Field::Value(v),
            }
        }
    }
}

fn yes_no(s: &str) -> Option<bool> {
    match s.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "y" | "t" => Some(true),
        "false" | "0" | "no" | "n" | "f" => Some(false),
        _ => None,
    }
}

fn one_of(list: &[String], v: &str) -> bool {
    list.iter().any(|w| w.eq_ignore_ascii_case(v))
}

/// "active flag (Status)": how a message names a flag and its column (made only when
/// there is a problem).
struct FlagLabel<'a>(Target, &'a str);

impl std::fmt::Display for FlagLabel<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.0.label(), escape_for_text(self.1))
    }
}

/// A flag (`active` or `inactive`: true means that) from its source.
fn flag(
    t: Target,
    src: &Source,
    raw: &Raw<'_>,
    wording: Wording,
    problems: &mut Vec<String>,
) -> Field<bool> {
    let name = t.map_name();
    let v = match raw {
        // A JSON boolean says yes or no itself, even in a column mapped with words
        // (`--map active=Enabled:Y`): compared as the word "true", it would read as no.
        Raw::Bool(b) => return Field::Value(*b),
        other => text(&FlagLabel(t, &src.shown), other, problems),
    };
    let shown = || escape_for_text(&src.shown);
    let v = match v {
        Field::Value(v) => v,
        Field::Absent => return Field::Absent,
        Field::Empty => return Field::Empty,
    };
    match &src.words {
        None => match yes_no(v) {
            Some(b) => Field::Value(b),
            None => {
                let shown = shown();
                problems.push(format!(
                    "{} in {shown} is not a yes/no value for {name} (use true/false, 1/0 or yes/no, or name the values that mean {name}: {} {name}={shown}:VALUE|VALUE)",
                    quote(v),
                    wording.map
                ));
                Field::Empty
            }
        },
        Some(FlagWords { yes, no }) => {
            if one_of(yes, v) {
                Field::Value(true)
            } else if no.as_ref().is_none_or(|no| one_of(no, v)) {
                Field::Value(false)
            } else {
                let shown = shown();
                let (on, off) = match t {
                    Target::Inactive => ("inactive", "active"),
                    _ => ("active", "inactive"),
                };
                problems.push(format!(
                    "{} in {shown} is neither an {on} value ({}) nor an {off} one ({}); to read it as {on}, give {} {name}={shown}:{}|{}",
                    quote(v),
                    yes.join(", "),
                    no.as_deref().unwrap_or_default().join(", "),
                    wording.map,
                    yes.join("|"),
                    escape_for_text(v)
                ));
                Field::Empty
            }
        }
    }
}

fn owned(f: Field<&str>) -> Field<String> {
    match f {
        Field::Absent => Field::Absent,
        Field::Empty => Field::Empty,
        Field::Value(v) => Field::Value(v.to_owned()),
    }
}

/// The reason a row is skipped, when a rule of the preset says it is not a person.
fn skipped<'r>(rules: &[(usize, Skip)], get: &dyn Fn(usize) -> Raw<'r>) -> Option<String> {
    rules.iter().find_map(|(slot, rule)| {
        let raw = get(*slot);
        let value: Cow<'_, str> = match &raw {
            Raw::Text(t) => Cow::Borrowed(t.trim()),
            Raw::Bool(b) => Cow::Owned(b.to_string()),
            _ => return None,
        };
        let applies = match rule.when {
            When::Is(list) => list.iter().any(|w| w.eq_ignore_ascii_case(&value)),
            When::IsNot(list) => {
                !value.is_empty() && !list.iter().any(|w| w.eq_ignore_ascii_case(&value))
            }
            When::True => yes_no(&value) == Some(true),
            When::Contains(part) => value
                .to_ascii_lowercase()
                .contains(&part.to_ascii_lowercase()),
        };
        applies.then(|| rule.reason.replace("{}", &escape_for_text(&value)))
    })
}

/// A plain address: what an email fallback (a sign-in name) may give.
fn plain_address(v: &str) -> bool {
    v.contains('@') && !v.to_ascii_uppercase().contains("#EXT#")
}

/// Builds the record of `row` from `get` (the raw value in each slot).
pub fn build<'r>(
    system: &str,
    row: u64,
    line: Option<u64>,
    cols: &Columns,
    wording: Wording,
    get: &dyn Fn(usize) -> Raw<'r>,
) -> Built {
    let raw = |t: Target| -> (Option<&Source>, Raw<'r>) {
        for s in cols.sources(t) {
            let v = get(s.slot);
            if v.present() {
                return (Some(s), v);
            }
        }
        (None, Raw::Missing)
    };
    let mut problems = Vec::new();
    let (_, id_raw) = raw(Target::ExternalId);
    let id_text = text(&Target::ExternalId.label(), &id_raw, &mut problems);
    if let Some(reason) = skipped(&cols.skips, get) {
        return Built::Skipped {
            external_id: id_text.value().map(|s| s.to_string()).unwrap_or_default(),
            reason,
        };
    }
    let mut misfit = None;
    let external_id = match id_text {
        Field::Value(id) => {
            // The IDs of a system's own export (read with a preset) must be the
            // system's; files read with the generic columns or --map are the admin's.
            if let Err(why) = cols.id_shape.check(id) {
                let p = format!("the external ID {} {why}", quote(id));
                misfit = Some(p.clone());
                problems.push(p);
            }
            Some(normalize_external_id(system, id))
        }
        _ if problems.is_empty() => {
            problems.push("the external ID is empty".to_owned());
            None
        }
        _ => None,
    };
    let (_, email_raw) = raw(Target::Email);
    let mut email = text(&"email", &email_raw, &mut problems);
    let (_, fallback_raw) = raw(Target::EmailFallback);
    if !matches!(email, Field::Value(_))
        && let Field::Value(alt) = text(&"email", &fallback_raw, &mut problems)
        && plain_address(alt)
    {
        email = Field::Value(alt);
    }
    if let Field::Value(e) = email
        && !e.contains('@')
    {
        problems.push(format!("the email {} has no '@'", quote(e)));
    }
    let (_, name_raw) = raw(Target::Name);
    let (_, first_raw) = raw(Target::FirstName);
    let (_, last_raw) = raw(Target::LastName);
    let name = text(&"name", &name_raw, &mut problems);
    let first = text(&"first name", &first_raw, &mut problems);
    let last = text(&"last name", &last_raw, &mut problems);
    let name = match name {
        Field::Value(n) => Field::Value(n.to_owned()),
        other => {
            let parts: Vec<&str> = [first.value(), last.value()]
                .into_iter()
                .flatten()
                .copied()
                .collect();
            if !parts.is_empty() {
                Field::Value(parts.join(" "))
            } else if other.given() || first.given() || last.given() {
                Field::Empty
            } else {
                Field::Absent
            }
        }
    };
    let (_, picture_raw) = raw(Target::Picture);
    let picture_url = owned(text(&"picture URL", &picture_raw, &mut problems));
    let flag_of = |t: Target, problems: &mut Vec<String>| match raw(t) {
        (Some(src), v) => flag(t, src, &v, wording, problems),
        (None, _) => Field::Absent,
    };
    let active = flag_of(Target::Active, &mut problems);
    let inactive = flag_of(Target::Inactive, &mut problems);
    // Active unless either flag says otherwise (Zendesk: `active` and `suspended`).
    let active = match (active.value(), inactive.value()) {
        (None, None) if active.given() || inactive.given() => Field::Empty,
        (None, None) => Field::Absent,
        (a, i) => Field::Value(*a.unwrap_or(&true) && !*i.unwrap_or(&false)),
    };
    match external_id {
        Some(external_id) if problems.is_empty() => Built::Record(Record {
            row,
            line,
            external_id,
            email: owned(email),
            name,
            picture_url,
            active,
        }),
        external_id => Built::Problems {
            external_id,
            misfit,
            problems,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::map::ColumnMap;
    use crate::import::mapping::NameSet;

    /// A value in a message is shown whole up to 60 characters (an email, an ID), cut
    /// with "…" past that; characters, not bytes, are counted.
    #[test]
    fn values_in_messages_are_cut_past_sixty_characters() {
        let sixty = "é".repeat(60);
        assert_eq!(quote(&sixty), format!("'{sixty}'"));
        let more = "é".repeat(61);
        assert_eq!(quote(&more), format!("'{sixty}…'"));
    }
    use crate::import::preset::Preset;

    /// Builds a record of `system` read with `preset` (and `map`) from name/value pairs.
    fn rec_with(
        system: &str,
        preset: &str,
        map: Option<&str>,
        pairs: &[(&str, Raw<'static>)],
    ) -> Built {
        let map = map.map(|m| ColumnMap::parse(m, Wording::CLI).unwrap());
        let names = NameSet::new(map.as_ref());
        let preset = Preset::parse(preset).unwrap();
        let mut cols = Columns::new(preset, map.as_ref(), &names);
        if !preset.is_generic() {
            cols.id_shape = Preset::id_shape_of(system);
        }
        let pairs: Vec<(String, Raw<'static>)> = pairs
            .iter()
            .map(|(k, v)| (crate::import::preset::norm(k), v.clone()))
            .collect();
        build(system, 1, None, &cols, Wording::CLI, &|slot| {
            pairs
                .iter()
                .find(|(k, _)| *k == names.names[slot])
                .map(|(_, v)| v.clone())
                .unwrap_or(Raw::Missing)
        })
    }

    fn rec(pairs: &[(&str, Raw<'static>)]) -> Record {
        match rec_with("salesforce", "salesforce", None, pairs) {
            Built::Record(r) => r,
            other => panic!("{other:?}"),
        }
    }

    fn problems(b: Built) -> Vec<String> {
        match b {
            Built::Problems { problems, .. } => problems,
            other => panic!("{other:?}"),
        }
    }

    fn t(s: &'static str) -> Raw<'static> {
        Raw::Text(Cow::Borrowed(s))
    }

    #[test]
    fn fields_are_trimmed_joined_and_converted() {
        let r = rec(&[
            ("Id", t(" 0055g00000ABcdE ")),
            ("Email", t(" Jo@X.io ")),
            ("Name", t("")),
            ("FirstName", t("Jo")),
            ("LastName", t("Doe")),
            ("IsActive", t("0")),
        ]);
        assert_eq!(r.external_id, "0055g00000ABcdEAAT");
        assert_eq!(r.email, Field::Value("Jo@X.io".into()));
        assert_eq!(r.name, Field::Value("Jo Doe".into()));
        assert_eq!(r.picture_url, Field::Absent);
        assert_eq!(r.active, Field::Value(false));
    }

    #[test]
    fn inactive_flags_are_inverted_and_combined() {
        let b = rec_with(
            "hubspot",
            "hubspot",
            None,
            &[("id", t("1")), ("archived", Raw::Bool(true))],
        );
        let Built::Record(r) = b else { panic!("{b:?}") };
        assert_eq!(r.active, Field::Value(false));
        assert_eq!(r.name, Field::Absent);
        // Zendesk: active, and not suspended.
        let z = |active, suspended| match rec_with(
            "zendesk",
            "zendesk",
            None,
            &[("id", t("1")), ("active", active), ("suspended", suspended)],
        ) {
            Built::Record(r) => r.active,
            other => panic!("{other:?}"),
        };
        assert_eq!(z(Raw::Bool(true), Raw::Bool(false)), Field::Value(true));
        assert_eq!(z(Raw::Bool(true), Raw::Bool(true)), Field::Value(false));
        assert_eq!(z(Raw::Bool(false), Raw::Null), Field::Value(false));
        assert_eq!(z(Raw::Null, Raw::Null), Field::Empty);
    }

    #[test]
    fn status_words() {
        let okta = |status| match rec_with(
            "okta",
            "okta",
            None,
            &[("id", t("00ub0oNGTSWTBKOLGLNR")), ("status", t(status))],
        ) {
            Built::Record(r) => Ok(r.active),
            Built::Problems { problems, .. } => Err(problems.join("; ")),
            other => panic!("{other:?}"),
        };
        assert_eq!(okta("LOCKED_OUT"), Ok(Field::Value(true)));
        assert_eq!(okta("staged"), Ok(Field::Value(false)));
        let e = okta("ON_HOLD").unwrap_err();
        assert!(
            e.contains("'ON_HOLD' in status is neither an active value (ACTIVE, PASSWORD_EXPIRED, LOCKED_OUT, RECOVERY) nor an inactive one (STAGED"),
            "{e}"
        );
        assert!(
            e.contains("--map active=status:ACTIVE|PASSWORD_EXPIRED|LOCKED_OUT|RECOVERY|ON_HOLD"),
            "{e}"
        );
        // --map: one list; every other word is the opposite.
        let m = |map, v| match rec_with(
            "x",
            "generic",
            Some(map),
            &[("id", t("1")), ("Status", t(v))],
        ) {
            Built::Record(r) => r.active,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            m("external_id=id,active=Status:Active", "active"),
            Field::Value(true)
        );
        assert_eq!(
            m("external_id=id,active=Status:Active", "Gone"),
            Field::Value(false)
        );
        assert_eq!(
            m("external_id=id,inactive=Status:Gone|Left", "left"),
            Field::Value(false)
        );
        assert_eq!(
            m("external_id=id,inactive=Status:Gone|Left", "Here"),
            Field::Value(true)
        );
        assert_eq!(m("external_id=id,inactive=Status:Gone", ""), Field::Empty);
        // A JSON boolean in a column mapped with words is taken as it is.
        let b = |map, v| match rec_with("x", "generic", Some(map), &[("id", t("1")), ("Status", v)])
        {
            Built::Record(r) => r.active,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            b("external_id=id,active=Status:Y", Raw::Bool(true)),
            Field::Value(true)
        );
        assert_eq!(
            b("external_id=id,active=Status:Y", Raw::Bool(false)),
            Field::Value(false)
        );
        assert_eq!(
            b("external_id=id,inactive=Status:Y", Raw::Bool(true)),
            Field::Value(false)
        );
    }

    #[test]
    fn the_flag_error_names_the_field_the_admin_mapped() {
        let e = problems(rec_with(
            "x",
            "generic",
            Some("external_id=id,inactive=Locked"),
            &[("id", t("1")), ("Locked", t("maybe"))],
        ));
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            e[0].contains("'maybe' in Locked is not a yes/no value for inactive"),
            "{e:?}"
        );
        assert!(e[0].contains("--map inactive=Locked:VALUE|VALUE"), "{e:?}");
    }

    #[test]
    fn rows_that_are_not_people_are_skipped_with_the_reason() {
        let b = rec_with(
            "salesforce",
            "salesforce",
            None,
            &[
                ("Id", t("0055g00000XyZ12")),
                ("UserType", t("AutomatedProcess")),
                ("Email", t("noreply@00d5g000004abcd.example")),
            ],
        );
        let Built::Skipped {
            external_id,
            reason,
        } = b
        else {
            panic!("{b:?}")
        };
        assert_eq!(external_id, "0055g00000XyZ12");
        assert_eq!(reason, "not a Standard user (UserType AutomatedProcess)");
        let b = rec_with(
            "salesforce",
            "salesforce",
            None,
            &[("Id", t("0055g00000XyZ12")), ("UserType", t("Standard"))],
        );
        assert!(matches!(b, Built::Record(_)), "{b:?}");
        let b = rec_with(
            "slack",
            "slack",
            None,
            &[("id", t("USLACKBOT")), ("is_bot", Raw::Bool(false))],
        );
        assert!(
            matches!(b, Built::Skipped { ref reason, .. } if reason == "Slackbot"),
            "{b:?}"
        );
    }

    #[test]
    fn entra_takes_the_sign_in_name_when_there_is_no_mail() {
        let email = |mail: Raw<'static>, upn| match rec_with(
            "entra",
            "entra",
            None,
            &[
                ("id", t("87d349ed-44d7-43e1-9a83-5f2406dee5bd")),
                ("mail", mail),
                ("userPrincipalName", t(upn)),
            ],
        ) {
            Built::Record(r) => r.email,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            email(Raw::Null, "AdeleV@contoso.example"),
            Field::Value("AdeleV@contoso.example".into())
        );
        assert_eq!(
            email(t("adele.vance@contoso.example"), "AdeleV@contoso.example"),
            Field::Value("adele.vance@contoso.example".into())
        );
        assert_eq!(email(Raw::Null, "svc-scanner"), Field::Empty);
    }

    #[test]
    fn ids_of_known_systems_must_fit() {
        let Built::Problems {
            external_id,
            misfit,
            problems,
        } = rec_with(
            "salesforce",
            "salesforce",
            None,
            &[("Id", t("41629779")), ("Email", t("bad"))],
        )
        else {
            panic!()
        };
        assert_eq!(external_id.as_deref(), Some("41629779"));
        assert!(misfit.unwrap().contains("a Salesforce User ID is 15 or 18"));
        assert_eq!(problems.len(), 2, "{problems:?}");
        // Other systems take any ID, and so do files read with the generic columns.
        assert!(matches!(
            rec_with("workday", "generic", None, &[("id", t("w-1"))]),
            Built::Record(_)
        ));
        assert!(matches!(
            rec_with("hubspot", "generic", None, &[("id", t("h-1"))]),
            Built::Record(_)
        ));
    }

    #[test]
    fn every_problem_of_a_row_is_named() {
        let long: &'static str = Box::leak("x".repeat(1025).into_boxed_str());
        let e = problems(rec_with(
            "workday",
            "generic",
            None,
            &[
                ("external_id", t("  ")),
                ("email", t("nobody")),
                ("name", t(long)),
                ("active", t("maybe")),
            ],
        ));
        assert_eq!(e.len(), 4, "{e:?}");
        assert!(e[0].contains("external ID is empty"));
        assert!(e[1].contains("'nobody' has no '@'"));
        assert!(e[2].contains("1025 bytes"));
        assert!(e[3].contains("'maybe'"));
        // An ID that is an object is that problem only, not also an empty ID.
        assert_eq!(
            problems(rec_with(
                "workday",
                "generic",
                None,
                &[("external_id", Raw::Nested)]
            )),
            ["the external ID is an object or a list, not a single value"]
        );
    }

    /// The words of a yes/no column, each way round, in any case; a value of exactly
    /// the longest length is taken, one byte more is a problem.
    #[test]
    fn yes_no_words_and_the_longest_value() {
        let active = |v: Raw<'static>| match rec_with(
            "workday",
            "generic",
            None,
            &[("external_id", t("w-1")), ("active", v)],
        ) {
            Built::Record(r) => r.active,
            other => panic!("{other:?}"),
        };
        for w in ["true", "1", "Yes", "y", "T"] {
            assert_eq!(active(t(w)), Field::Value(true), "{w}");
        }
        for w in ["FALSE", "0", "no", "N", "f"] {
            assert_eq!(active(t(w)), Field::Value(false), "{w}");
        }
        assert_eq!(active(Raw::Bool(false)), Field::Value(false));
        assert_eq!(active(Raw::Bool(true)), Field::Value(true));
        assert_eq!(active(t(" ")), Field::Empty);
        assert_eq!(active(Raw::Null), Field::Empty);
        let longest: &'static str = Box::leak("é".repeat(MAX_FIELD_BYTES / 2).into_boxed_str());
        let b = rec_with(
            "workday",
            "generic",
            None,
            &[("external_id", t("w-1")), ("name", t(longest))],
        );
        let Built::Record(r) = b else { panic!("{b:?}") };
        assert_eq!(r.name, Field::Value(longest.to_owned()));
        let over: &'static str = Box::leak(format!("{longest}x").into_boxed_str());
        let e = problems(rec_with(
            "workday",
            "generic",
            None,
            &[("external_id", t("w-1")), ("name", t(over))],
        ));
        assert_eq!(e.len(), 1);
        assert!(
            e[0].starts_with("the name is 1025 bytes long; the limit is 1024 bytes ('éé"),
            "{e:?}"
        );
        // A boolean where text belongs is its word.
        let b = rec_with(
            "workday",
            "generic",
            None,
            &[("external_id", t("w-1")), ("name", Raw::Bool(true))],
        );
        let Built::Record(r) = b else { panic!("{b:?}") };
        assert_eq!(r.name, Field::Value("true".into()));
    }

    /// A flag with words: a word of neither list is refused, naming both lists and
    /// the flag as the message names it; a boolean is not one of the words.
    #[test]
    fn a_flag_with_words_names_both_lists() {
        let b = rec_with(
            "x",
            "generic",
            Some("external_id=id,active=State:Active|On leave,inactive=State:Left"),
            &[("id", t("1")), ("State", t("Gone"))],
        );
        assert_eq!(
            problems(b),
            [
                "'Gone' in State is neither an active value (Active, On leave) nor an inactive one (Left); to read it as active, give --map active=State:Active|On leave|Gone"
            ]
        );
        let state = |v: Raw<'static>| match rec_with(
            "x",
            "generic",
            Some("external_id=id,active=State:Active|On leave,inactive=State:Left"),
            &[("id", t("1")), ("State", v)],
        ) {
            Built::Record(r) => r.active,
            other => panic!("{other:?}"),
        };
        assert_eq!(state(t("on LEAVE")), Field::Value(true));
        assert_eq!(state(t("left")), Field::Value(false));
        assert_eq!(state(t("")), Field::Empty);
        let e = problems(rec_with(
            "x",
            "generic",
            Some("external_id=id,active=State:Active|On leave,inactive=State:Left"),
            &[("id", t("1")), ("State", Raw::Nested)],
        ));
        assert_eq!(
            e,
            ["the active flag (State) is an object or a list, not a single value"]
        );
        // Google's words: a status the preset does not know is refused.
        let e = problems(rec_with(
            "google",
            "google",
            None,
            &[
                ("Email Address [Required]", t("a@acme.com")),
                ("First Name [Required]", t("A")),
                ("Status [READ ONLY]", t("Pending")),
            ],
        ));
        assert_eq!(
            e,
            [
                "'Pending' in status [read only] is neither an active value (Active) nor an inactive one (Suspended, Archived); to read it as active, give --map active=status [read only]:Active|Pending"
            ]
        );
    }

    /// The name: given, or made of the first and last names; empty when the file has
    /// a name column with nothing in it; absent when it has none.
    #[test]
    fn a_name_is_given_or_made_or_cleared_or_left_alone() {
        let name = |pairs: &[(&str, Raw<'static>)]| {
            let mut all = vec![("Id", t("0055g00000ABcdE"))];
            all.extend_from_slice(pairs);
            rec(&all).name
        };
        assert_eq!(name(&[("FirstName", t("Jo"))]), Field::Value("Jo".into()));
        assert_eq!(name(&[("LastName", t("Doe"))]), Field::Value("Doe".into()));
        assert_eq!(
            name(&[("Name", t("Jo Doe")), ("FirstName", t("J"))]),
            Field::Value("Jo Doe".into())
        );
        assert_eq!(name(&[("Name", Raw::Null)]), Field::Empty);
        assert_eq!(name(&[("FirstName", t(" "))]), Field::Empty);
        assert_eq!(name(&[("LastName", Raw::Null)]), Field::Empty);
        assert_eq!(name(&[]), Field::Absent);
    }

    /// Rows that are not people, by each kind of rule: a value that is not the
    /// expected one (an empty one is not a reason), a true flag, a part of a value.
    #[test]
    fn each_kind_of_skip_rule() {
        let skipped = |system: &str, pairs: &[(&str, Raw<'static>)]| match rec_with(
            system, system, None, pairs,
        ) {
            Built::Skipped { reason, .. } => Some(reason),
            Built::Record(_) => None,
            other => panic!("{other:?}"),
        };
        let sf = |user_type| {
            skipped(
                "salesforce",
                &[("Id", t("0055g00000ABcdE")), ("UserType", user_type)],
            )
        };
        assert_eq!(sf(t("standard")), None);
        assert_eq!(sf(t(" ")), None);
        assert_eq!(sf(Raw::Null), None);
        assert_eq!(
            sf(t("Guest")).as_deref(),
            Some("not a Standard user (UserType Guest)")
        );
        let slack = |flag: &str, v| {
            skipped(
                "slack",
                &[
                    ("id", t("U0G9QF9C6")),
                    ("profile.email", t("a@acme.com")),
                    (flag, v),
                ],
            )
        };
        assert_eq!(
            slack("is_bot", Raw::Bool(true)).as_deref(),
            Some("a bot (is_bot)")
        );
        assert_eq!(slack("is_bot", t("1")).as_deref(), Some("a bot (is_bot)"));
        assert_eq!(slack("is_bot", Raw::Bool(false)), None);
        assert_eq!(slack("is_bot", t("no")), None);
        assert_eq!(
            slack("is_ultra_restricted", Raw::Bool(true)).as_deref(),
            Some("a single-channel guest (is_ultra_restricted)")
        );
        let entra = |upn| {
            skipped(
                "entra",
                &[
                    ("id", t("87d349ed-44d7-43e1-9a83-5f2406dee5bd")),
                    ("userType", t("Member")),
                    ("userPrincipalName", t(upn)),
                ],
            )
        };
        assert_eq!(
            entra("lars.berg_fabrikam.example#ext#@acme.onmicrosoft.com").as_deref(),
            Some("an external account (#EXT# in userPrincipalName)")
        );
        assert_eq!(entra("lars.berg@acme.example"), None);
        // The reason quotes the value, made harmless.
        assert_eq!(
            sf(t("Power\u{1b}Partner")).as_deref(),
            Some("not a Standard user (UserType Power\u{241b}Partner)")
        );
    }

    /// Active unless either flag says otherwise; empty when the file has the flags but
    /// says nothing; absent when it has none.
    #[test]
    fn the_two_flags_make_one_status() {
        let z = |active: Option<Raw<'static>>, suspended: Option<Raw<'static>>| {
            let mut pairs = vec![("id", t("1"))];
            pairs.extend(active.map(|a| ("active", a)));
            pairs.extend(suspended.map(|s| ("suspended", s)));
            match rec_with("zendesk", "zendesk", None, &pairs) {
                Built::Record(r) => r.active,
                other => panic!("{other:?}"),
            }
        };
        let b = |v| Some(Raw::Bool(v));
        assert_eq!(z(None, None), Field::Absent);
        assert_eq!(z(Some(Raw::Null), None), Field::Empty);
        assert_eq!(z(None, Some(Raw::Null)), Field::Empty);
        assert_eq!(z(None, b(true)), Field::Value(false));
        assert_eq!(z(None, b(false)), Field::Value(true));
        assert_eq!(z(b(true), None), Field::Value(true));
        assert_eq!(z(b(false), b(false)), Field::Value(false));
        assert_eq!(z(Some(Raw::Null), b(false)), Field::Value(true));
    }
}
