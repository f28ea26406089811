//! Which column (CSV) or key (JSON) holds which field: the presets of SPEC §3 "Real
//! exports" for the files admins get out of Salesforce, HubSpot and Pipedrive, the
//! generic columns, and `--map` for any other export. Names are compared trimmed and
//! case-insensitively ("ID" = "Id" = "id").

use crate::domain::sanitize::escape_for_text;
use crate::error::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Preset {
    Generic,
    Salesforce,
    Hubspot,
    Pipedrive,
}

impl Preset {
    pub const ALL: [Preset; 4] = [
        Preset::Generic,
        Preset::Salesforce,
        Preset::Hubspot,
        Preset::Pipedrive,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Preset::Generic => "generic",
            Preset::Salesforce => "salesforce",
            Preset::Hubspot => "hubspot",
            Preset::Pipedrive => "pipedrive",
        }
    }

    pub fn parse(s: &str) -> Option<Preset> {
        Preset::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// The preset a system key picks by default, when the file fits it.
    pub fn of_system(system: &str) -> Option<Preset> {
        match system {
            "salesforce" => Some(Preset::Salesforce),
            "hubspot" => Some(Preset::Hubspot),
            "pipedrive" => Some(Preset::Pipedrive),
            _ => None,
        }
    }

    /// What the file is, in the words of an error message.
    pub fn describe(self) -> &'static str {
        match self {
            Preset::Generic => "a file with the generic columns",
            Preset::Salesforce => "a Salesforce User export",
            Preset::Hubspot => "a HubSpot owners export",
            Preset::Pipedrive => "a Pipedrive users export",
        }
    }

    /// The column (or key) names of each field, in order of preference.
    fn names(self, target: Target) -> &'static [&'static str] {
        use Target::*;
        match (self, target) {
            (Preset::Generic, ExternalId) => &["external_id"],
            (Preset::Generic, Email) => &["email"],
            (Preset::Generic, Name) => &["name"],
            (Preset::Generic, FirstName) => &["first_name"],
            (Preset::Generic, LastName) => &["last_name"],
            (Preset::Generic, Picture) => &["picture_url"],
            (Preset::Generic, Active) => &["active"],
            (Preset::Generic, Inactive) => &[],
            // REST API names (Data Loader writes them upper-cased) and report labels.
            (Preset::Salesforce, ExternalId) => &["id", "user id"],
            (Preset::Salesforce, Email) => &["email"],
            (Preset::Salesforce, Name) => &["name", "full name"],
            (Preset::Salesforce, FirstName) => &["firstname", "first name"],
            (Preset::Salesforce, LastName) => &["lastname", "last name"],
            (Preset::Salesforce, Picture) => &[
                "fullphotourl",
                "full photo url",
                "smallphotourl",
                "small photo url",
            ],
            (Preset::Salesforce, Active) => &["isactive", "active"],
            (Preset::Salesforce, Inactive) => &[],
            // CRM owners API (v3).
            (Preset::Hubspot, ExternalId) => &["id"],
            (Preset::Hubspot, Email) => &["email"],
            (Preset::Hubspot, FirstName) => &["firstname"],
            (Preset::Hubspot, LastName) => &["lastname"],
            (Preset::Hubspot, Inactive) => &["archived"],
            (Preset::Hubspot, Name | Picture | Active) => &[],
            // Users API (v1).
            (Preset::Pipedrive, ExternalId) => &["id"],
            (Preset::Pipedrive, Email) => &["email"],
            (Preset::Pipedrive, Name) => &["name"],
            (Preset::Pipedrive, Picture) => &["icon_url"],
            (Preset::Pipedrive, Active) => &["active_flag"],
            (Preset::Pipedrive, FirstName | LastName | Inactive) => &[],
        }
    }

    /// Besides the ID, a file fits the preset when it has one of these: names that
    /// tell this system's export apart from the others.
    pub(crate) fn signature(self) -> &'static [&'static str] {
        match self {
            Preset::Generic => &[],
            Preset::Salesforce => &[
                "email",
                "name",
                "full name",
                "firstname",
                "first name",
                "lastname",
                "last name",
                "username",
                "isactive",
                "active",
            ],
            Preset::Hubspot => &["firstname", "lastname", "archived", "userid"],
            Preset::Pipedrive => &["active_flag", "icon_url", "is_admin", "role_id"],
        }
    }

    /// "Id or User ID": the ID names, for messages.
    fn id_names(self) -> String {
        or_list(self.names(Target::ExternalId))
    }
}

fn or_list(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

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
    /// True means inactive (HubSpot's `archived`).
    Inactive,
}

impl Target {
    pub const ALL: [Target; 8] = [
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
        }
    }

    /// How an error message names the field.
    pub fn label(self) -> &'static str {
        match self {
            Target::ExternalId => "external ID",
            Target::Email => "email",
            Target::Name => "name",
            Target::FirstName => "first name",
            Target::LastName => "last name",
            Target::Picture => "picture URL",
            Target::Active | Target::Inactive => "active flag",
        }
    }
}

/// How the front that asked for an import names its choices, so that its messages
/// speak of what the user typed: the command line's options, the app's form fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wording {
    pub map: &'static str,
    pub preset: &'static str,
}

impl Wording {
    pub const CLI: Wording = Wording {
        map: "--map",
        preset: "--preset",
    };
    pub const FORM: Wording = Wording {
        map: "Columns",
        preset: "Preset",
    };
}

/// The `--map F=COL,...` option, parsed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnMap {
    pub entries: Vec<(Target, String)>,
}

impl ColumnMap {
    pub fn parse(spec: &str, wording: Wording) -> Result<ColumnMap, Error> {
        let map = wording.map;
        let mut entries: Vec<(Target, String)> = Vec::new();
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let Some((field, column)) = part.split_once('=') else {
                return Err(Error::Invalid(format!(
                    "{map} takes FIELD=COLUMN pairs separated by commas; '{}' has no '='.",
                    escape_for_text(part)
                )));
            };
            let field = field.trim();
            let column = column.trim();
            let Some(target) = Target::ALL
                .into_iter()
                .find(|t| t.map_name() == field.to_ascii_lowercase())
            else {
                return Err(Error::Invalid(format!(
                    "{map} names the field '{}', which roster does not read; the fields are {}.",
                    escape_for_text(field),
                    Target::ALL
                        .iter()
                        .map(|t| t.map_name())
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            };
            if column.is_empty() {
                return Err(Error::Invalid(format!(
                    "{map} gives no column for {field}; write {field}=COLUMN."
                )));
            }
            if entries.iter().any(|(t, _)| *t == target) {
                return Err(Error::Invalid(format!(
                    "{map} names the field {field} twice."
                )));
            }
            entries.push((target, column.to_owned()));
        }
        if entries.is_empty() {
            return Err(Error::Invalid(format!(
                "{map} is empty; give at least external_id=COLUMN."
            )));
        }
        Ok(ColumnMap { entries })
    }
}

/// Normalises a column or key name for comparison.
pub fn norm(name: &str) -> String {
    name.trim().to_lowercase()
}

/// The names to look for, for each field: a preset, possibly overridden by `--map`.
#[derive(Debug, Clone)]
pub struct Columns {
    pub preset: Preset,
    names: [Vec<String>; 8],
    /// Names given with `--map`: they must exist.
    required: Vec<(Target, String)>,
}

impl Columns {
    pub fn new(preset: Preset, map: Option<&ColumnMap>) -> Columns {
        let mut names: [Vec<String>; 8] = Default::default();
        for t in Target::ALL {
            names[t.index()] = preset.names(t).iter().map(|n| n.to_string()).collect();
        }
        let mut required = Vec::new();
        if let Some(map) = map {
            for (t, col) in &map.entries {
                names[t.index()] = vec![norm(col)];
                required.push((*t, col.clone()));
                // A mapped name replaces the preset's way of making it.
                if *t == Target::Name {
                    names[Target::FirstName.index()].clear();
                    names[Target::LastName.index()].clear();
                }
                if *t == Target::Active {
                    names[Target::Inactive.index()].clear();
                }
                if *t == Target::Inactive {
                    names[Target::Active.index()].clear();
                }
            }
        }
        Columns {
            preset,
            names,
            required,
        }
    }

    pub fn names(&self, t: Target) -> &[String] {
        &self.names[t.index()]
    }

    /// Every name this mapping reads.
    pub fn all_names(&self) -> impl Iterator<Item = &str> {
        self.names.iter().flatten().map(String::as_str)
    }

    /// For each field, the first of its names that `has` finds.
    pub fn resolve(&self, has: impl Fn(&str) -> bool) -> [Option<&str>; 8] {
        let mut out = [None; 8];
        for t in Target::ALL {
            out[t.index()] = self.names[t.index()]
                .iter()
                .find(|n| has(n))
                .map(String::as_str);
        }
        out
    }

    /// Whether a file with these (normalised) names can be read with this mapping:
    /// `Err` says, in a sentence, what is missing. `what` names the kind of names
    /// ("columns", "keys of the first record"), `present` lists them for the message.
    pub fn check(
        &self,
        has: &dyn Fn(&str) -> bool,
        what: &str,
        present: &[String],
        wording: Wording,
    ) -> Result<(), String> {
        let shown = || {
            let mut list: Vec<String> = present
                .iter()
                .take(30)
                .map(|p| escape_for_text(p))
                .collect();
            if present.len() > 30 {
                list.push(format!("… ({} in all)", present.len()));
            }
            if list.is_empty() {
                "none".to_owned()
            } else {
                list.join(", ")
            }
        };
        let missing: Vec<&(Target, String)> = self
            .required
            .iter()
            .filter(|(_, c)| !has(&norm(c)))
            .collect();
        if !missing.is_empty() {
            return Err(format!(
                "{} names {what} the file does not have ({}); the {what} are: {}",
                wording.map,
                missing
                    .iter()
                    .map(|(t, c)| format!("{}={}", t.map_name(), escape_for_text(c)))
                    .collect::<Vec<_>>()
                    .join(", "),
                shown()
            ));
        }
        let id_found = self.names(Target::ExternalId).iter().any(|n| has(n));
        let sig = self.preset.signature();
        let mapped = !self.required.is_empty();
        if !id_found {
            return Err(match self.preset {
                Preset::Generic if !mapped => format!(
                    "there is no external_id among the {what} ({}); name the ID column with {} external_id=COLUMN, or choose a preset with {}",
                    shown(),
                    wording.map,
                    wording.preset
                ),
                _ => format!(
                    "it does not look like {}: it has no {} among the {what} ({})",
                    self.preset.describe(),
                    self.preset.id_names(),
                    shown()
                ),
            });
        }
        if !mapped && !sig.is_empty() && !sig.iter().any(|n| has(n)) {
            return Err(format!(
                "it does not look like {}: besides {} it has none of {} among the {what} ({})",
                self.preset.describe(),
                self.preset.id_names(),
                or_list(sig),
                shown()
            ));
        }
        Ok(())
    }
}

/// The columns to read a file with. `forced` is `--preset`; otherwise the system's
/// preset when the file fits it, else the generic columns. `--map` overrides single
/// fields of the forced preset, or of the generic columns.
pub fn choose(
    opts: &super::ReadOptions<'_>,
    has: &dyn Fn(&str) -> bool,
    what: &str,
    present: &[String],
) -> Result<Columns, String> {
    let (system, forced, map, wording) = (opts.system, opts.preset, opts.map, opts.wording);
    if let Some(p) = forced {
        let cols = Columns::new(p, map);
        cols.check(has, what, present, wording)?;
        return Ok(cols);
    }
    if map.is_none()
        && let Some(p) = Preset::of_system(system)
    {
        let cols = Columns::new(p, None);
        if cols.check(has, what, present, wording).is_ok() {
            return Ok(cols);
        }
    }
    let cols = Columns::new(Preset::Generic, map);
    match cols.check(has, what, present, wording) {
        Ok(()) => Ok(cols),
        Err(e) => match (map, Preset::of_system(system)) {
            (None, Some(p)) => Err(format!(
                "{e}; nor does it look like {} (no {} column or key)",
                p.describe(),
                p.id_names()
            )),
            _ => Err(e),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has(cols: &[&str]) -> impl Fn(&str) -> bool {
        let v: Vec<String> = cols.iter().map(|c| norm(c)).collect();
        move |n: &str| v.iter().any(|c| c == n)
    }

    fn pick(system: &str, forced: Option<Preset>, cols: &[&str]) -> Result<Preset, String> {
        let present: Vec<String> = cols.iter().map(|c| c.to_string()).collect();
        let opts = super::super::ReadOptions {
            system,
            format: None,
            preset: forced,
            map: None,
            file: "f.csv",
            wording: Wording::CLI,
        };
        choose(&opts, &has(cols), "columns", &present).map(|c| c.preset)
    }

    #[test]
    fn the_system_preset_is_taken_when_the_file_fits() {
        assert_eq!(
            pick("salesforce", None, &["ID", "USERNAME", "EMAIL"]),
            Ok(Preset::Salesforce)
        );
        assert_eq!(
            pick("salesforce", None, &["User ID", "Full Name"]),
            Ok(Preset::Salesforce)
        );
        assert_eq!(
            pick("salesforce", None, &["external_id", "email"]),
            Ok(Preset::Generic)
        );
        assert_eq!(
            pick("hubspot", None, &["id", "email", "firstName"]),
            Ok(Preset::Hubspot)
        );
        assert_eq!(pick("workday", None, &["external_id"]), Ok(Preset::Generic));
    }

    #[test]
    fn a_forced_preset_that_does_not_fit_names_what_is_missing() {
        let e = pick("x", Some(Preset::Hubspot), &["id", "name", "active_flag"]).unwrap_err();
        assert!(e.contains("HubSpot owners export"), "{e}");
        assert!(e.contains("firstname, lastname, archived or userid"), "{e}");
        let e = pick("x", Some(Preset::Salesforce), &["external_id", "email"]).unwrap_err();
        assert!(e.contains("no id or user id"), "{e}");
        let e = pick("salesforce", None, &["Email"]).unwrap_err();
        assert!(e.contains("no external_id"), "{e}");
        assert!(e.contains("Salesforce User export"), "{e}");
    }

    #[test]
    fn map_overrides_and_requires_its_columns() {
        let map = ColumnMap::parse(
            "external_id=Personalnummer, email = E-Mail,name=Name",
            Wording::CLI,
        )
        .unwrap();
        let cols = Columns::new(Preset::Generic, Some(&map));
        let present = vec!["Personalnummer".to_string()];
        let e = cols
            .check(&has(&["personalnummer"]), "columns", &present, Wording::CLI)
            .unwrap_err();
        assert!(e.contains("email=E-Mail, name=Name"), "{e}");
        assert!(
            cols.check(
                &has(&["Personalnummer", "e-mail", "name"]),
                "columns",
                &present,
                Wording::CLI
            )
            .is_ok()
        );
        assert!(ColumnMap::parse("nope=x", Wording::CLI).is_err());
        assert!(ColumnMap::parse("email", Wording::CLI).is_err());
        assert!(ColumnMap::parse("email=a,email=b", Wording::CLI).is_err());
        // Each front's own words: the app's form calls the map its Columns field.
        let e = ColumnMap::parse("email", Wording::FORM)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("Columns takes FIELD=COLUMN pairs"), "{e}");
    }
}
