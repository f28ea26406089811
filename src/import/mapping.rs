//! From a preset (and `--map`) to the mapping a file is read with: which of the names a
//! reader collects feeds which field, the words of the active flags, the rows that are
//! not people; and the choice of that mapping for a file (docs/import.md "Presets").

use super::map::ColumnMap;
use super::preset::{Preset, Skip, Target, Wording, norm, or_list};
use super::{ReadOptions, id_shape::Shape};
use crate::domain::sanitize::escape_for_text;

/// Every name a reader collects from each record: the names of every preset (the
/// preset is chosen on the first record or the header, once its names are known) and
/// of the map. A name's index is its slot.
#[derive(Debug, Clone)]
pub struct NameSet {
    pub names: Vec<String>,
}

impl NameSet {
    pub fn new(map: Option<&ColumnMap>) -> NameSet {
        let mut names: Vec<String> = Vec::new();
        let mut add = |n: &str| {
            let n = norm(n);
            if !names.contains(&n) {
                names.push(n);
            }
        };
        for p in Preset::all() {
            p.all_names().for_each(&mut add);
        }
        if let Some(m) = map {
            for (_, mapped) in &m.entries {
                add(&mapped.column);
            }
        }
        NameSet { names }
    }

    /// The slot of a (normalised) name.
    pub fn slot(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    fn slot_of(&self, name: &str) -> usize {
        self.slot(&norm(name))
            .expect("every preset and mapped name is in the set")
    }
}

/// The words that mean a flag, owned (from a preset or from `--map`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlagWords {
    pub yes: Vec<String>,
    /// `None`: every other word means "not set".
    pub no: Option<Vec<String>>,
}

/// Where a field may come from: a slot, the name as the file or the admin spells it,
/// and for the active flags the words that mean them.
#[derive(Debug, Clone)]
pub struct Source {
    pub slot: usize,
    pub shown: String,
    pub words: Option<FlagWords>,
}

/// The mapping a file is read with.
#[derive(Debug, Clone)]
pub struct Columns {
    pub preset: Preset,
    sources: [Vec<Source>; 9],
    pub skips: Vec<(usize, Skip)>,
    /// Names given with `--map`: they must exist.
    required: Vec<(Target, String, usize)>,
    /// The shape the IDs must have: the importing system's, for a file read with a
    /// preset (its own export); anything for the generic columns and `--map` (see
    /// `choose`).
    pub id_shape: Shape,
}

impl Columns {
    pub fn new(preset: Preset, map: Option<&ColumnMap>, names: &NameSet) -> Columns {
        let mut sources: [Vec<Source>; 9] = Default::default();
        for t in Target::ALL {
            let words = preset.words_of(t).map(|w| FlagWords {
                yes: w.yes.iter().map(|s| s.to_string()).collect(),
                no: w.no.map(|no| no.iter().map(|s| s.to_string()).collect()),
            });
            sources[t.index()] = preset
                .names_of(t)
                .iter()
                .map(|n| Source {
                    slot: names.slot_of(n),
                    shown: n.to_string(),
                    words: words.clone(),
                })
                .collect();
        }
        let mut required = Vec::new();
        if let Some(map) = map {
            for (t, m) in &map.entries {
                let slot = names.slot_of(&m.column);
                sources[t.index()] = vec![Source {
                    slot,
                    shown: m.column.clone(),
                    words: m.values.as_ref().map(|v| FlagWords {
                        yes: v.clone(),
                        no: None,
                    }),
                }];
                required.push((*t, m.column.clone(), slot));
                // A mapped name replaces the preset's way of making it.
                match t {
                    Target::Name => {
                        sources[Target::FirstName.index()].clear();
                        sources[Target::LastName.index()].clear();
                    }
                    Target::Email => sources[Target::EmailFallback.index()].clear(),
                    _ => {}
                }
            }
            // One column with both lists: each list is the other's "no".
            if let (Some(a), Some(i)) = (map.get(Target::Active), map.get(Target::Inactive))
                && norm(&a.column) == norm(&i.column)
                && let (Some(av), Some(iv)) = (&a.values, &i.values)
            {
                let both = FlagWords {
                    yes: av.clone(),
                    no: Some(iv.clone()),
                };
                sources[Target::Active.index()][0].words = Some(both);
                sources[Target::Inactive.index()].clear();
            } else {
                // A mapped flag replaces the preset's other flag.
                if map.get(Target::Active).is_some() && map.get(Target::Inactive).is_none() {
                    sources[Target::Inactive.index()].clear();
                }
                if map.get(Target::Inactive).is_some() && map.get(Target::Active).is_none() {
                    sources[Target::Active.index()].clear();
                }
            }
        }
        let skips = preset
            .def()
            .skip
            .iter()
            .map(|s| (names.slot_of(s.name), *s))
            .collect();
        Columns {
            preset,
            sources,
            skips,
            required,
            id_shape: Shape::Any,
        }
    }

    pub fn sources(&self, t: Target) -> &[Source] {
        &self.sources[t.index()]
    }

    /// The first source of a field that the record (or file) has.
    pub fn source(&self, t: Target, has: &dyn Fn(usize) -> bool) -> Option<&Source> {
        self.sources[t.index()].iter().find(|s| has(s.slot))
    }

    /// Every slot this mapping reads.
    pub fn slots(&self) -> impl Iterator<Item = usize> + '_ {
        self.sources
            .iter()
            .flatten()
            .map(|s| s.slot)
            .chain(self.skips.iter().map(|(s, _)| *s))
    }

    /// Whether a file with these names can be read with this mapping: `Err` says, in a
    /// sentence, what is missing. `what` names the kind of names ("columns", "keys of
    /// the first record"), `present` lists them for the message.
    pub fn check(
        &self,
        names: &NameSet,
        has: &dyn Fn(usize) -> bool,
        what: &str,
        present: &[String],
        wording: Wording,
    ) -> Result<(), String> {
        let missing: Vec<&(Target, String, usize)> = self
            .required
            .iter()
            .filter(|(_, _, slot)| !has(*slot))
            .collect();
        if !missing.is_empty() {
            return Err(format!(
                "{} names {what} the file does not have ({}); the {what} are: {}",
                wording.map,
                missing
                    .iter()
                    .map(|(t, c, _)| format!("{}={}", t.map_name(), escape_for_text(c)))
                    .collect::<Vec<_>>()
                    .join(", "),
                shown(present)
            ));
        }
        let has_name = |n: &str| names.slot(n).is_some_and(has);
        let id_found = self.source(Target::ExternalId, has).is_some();
        let sig = self.preset.def().signature;
        let mapped = !self.required.is_empty();
        if !id_found {
            return Err(if self.preset.is_generic() && !mapped {
                format!(
                    "there is no {} among the {what} ({}); name the ID column with {} external_id=COLUMN, or choose a preset with {}",
                    self.preset.id_names(),
                    shown(present),
                    wording.map,
                    wording.preset
                )
            } else {
                format!(
                    "it does not look like {}: it has no {} among the {what} ({})",
                    self.preset.describe(),
                    self.id_names(),
                    shown(present)
                )
            });
        }
        if !mapped && !sig.is_empty() && !sig.iter().any(|n| has_name(n)) {
            return Err(format!(
                "it does not look like {}: besides {} it has none of {} among the {what} ({})",
                self.preset.describe(),
                self.preset.id_names(),
                or_list(sig),
                shown(present)
            ));
        }
        Ok(())
    }

    fn id_names(&self) -> String {
        let names: Vec<&str> = self
            .sources(Target::ExternalId)
            .iter()
            .map(|s| s.shown.as_str())
            .collect();
        or_list(&names)
    }
}

/// The names present, for a message: the first 30 and a count.
pub fn shown(present: &[String]) -> String {
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
}

/// What a file looks like: the preset whose export it resembles, and why, as a phrase
/// ("numeric ids, firstName/lastName").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LookAlike {
    pub preset: Preset,
    pub evidence: String,
}

impl LookAlike {
    /// "this looks like a HubSpot owners answer: numeric ids, firstName/lastName; import
    /// it with --system hubspot"
    pub fn sentence(&self) -> String {
        match self.preset.system() {
            Some(s) => format!(
                "this looks like {}: {}; import it with --system {s}",
                self.preset.describe(),
                self.evidence
            ),
            None => format!(
                "this looks like {}: {}",
                self.preset.describe(),
                self.evidence
            ),
        }
    }
}

/// The preset (other than `except`) whose export the file resembles most: it has that
/// preset's ID, its first ID (when known) fits the preset's shape, and it has that
/// preset's marks (with `strong`) or at least one of its signature names. `None` when no
/// preset, or two equally, fit.
pub fn looks_like(
    names: &NameSet,
    has: &dyn Fn(usize) -> bool,
    present: &[String],
    first_id: Option<&str>,
    except: Option<Preset>,
    strong: bool,
) -> Option<LookAlike> {
    let has_name = |n: &str| names.slot(n).is_some_and(has);
    let mut best: Option<(u32, LookAlike)> = None;
    let mut tie = false;
    for p in Preset::all().filter(|p| !p.is_generic() && Some(*p) != except) {
        let d = p.def();
        if !p.names_of(Target::ExternalId).iter().any(|n| has_name(n)) {
            continue;
        }
        let shape_fits = first_id.is_some_and(|id| d.id_shape.fits(id.trim()));
        if first_id.is_some() && d.id_shape != Shape::Any && !shape_fits {
            continue;
        }
        let marks: Vec<&str> = d.marks.iter().copied().filter(|n| has_name(n)).collect();
        let sig: Vec<&str> = d
            .signature
            .iter()
            .copied()
            .filter(|n| has_name(n) && !marks.contains(n))
            .collect();
        if marks.is_empty() && (strong || sig.is_empty()) {
            continue;
        }
        let score = marks.len() as u32 * 2 + sig.len() as u32 + if shape_fits { 2 } else { 0 };
        let mut evidence: Vec<String> = Vec::new();
        if shape_fits {
            evidence.push(d.id_shape.describe().to_owned());
        }
        // The names found, in the file's order.
        let at = |n: &str| {
            present
                .iter()
                .position(|p| norm(p) == n)
                .unwrap_or(usize::MAX)
        };
        let mut found: Vec<&str> = marks.iter().chain(sig.iter()).copied().collect();
        found.sort_by_key(|n| at(n));
        let found: Vec<String> = found.iter().take(4).map(|n| spelled(n, present)).collect();
        evidence.push(found.join("/"));
        let candidate = LookAlike {
            preset: p,
            evidence: evidence.join(", "),
        };
        match &best {
            Some((s, _)) if *s > score => {}
            Some((s, _)) if *s == score => tie = true,
            _ => {
                tie = false;
                best = Some((score, candidate));
            }
        }
    }
    if tie { None } else { best.map(|(_, l)| l) }
}

/// A name as the file spells it.
fn spelled(name: &str, present: &[String]) -> String {
    present
        .iter()
        .find(|p| norm(p) == name)
        .map(|p| escape_for_text(p))
        .unwrap_or_else(|| name.to_owned())
}

/// The mapping to read a file with. `--preset` forces one; otherwise the system's
/// preset when the file fits it, else the generic columns; `--map` overrides single
/// fields of the forced preset, or of the generic columns. Another known system's
/// export is refused, saying so, instead of being read with the generic columns.
pub fn choose(
    opts: &ReadOptions<'_>,
    names: &NameSet,
    has: &dyn Fn(usize) -> bool,
    what: &str,
    present: &[String],
) -> Result<Columns, String> {
    let mut cols = choose_columns(opts, names, has, what, present)?;
    // The IDs of a system's own export (read with a preset) must be the system's; files
    // read with the generic columns or --map are the admin's own.
    if !cols.preset.is_generic() {
        cols.id_shape = Preset::id_shape_of(opts.system);
    }
    Ok(cols)
}

fn choose_columns(
    opts: &ReadOptions<'_>,
    names: &NameSet,
    has: &dyn Fn(usize) -> bool,
    what: &str,
    present: &[String],
) -> Result<Columns, String> {
    let (system, forced, map, wording) = (opts.system, opts.preset, opts.map, opts.wording);
    if let Some(p) = forced {
        let cols = Columns::new(p, map, names);
        cols.check(names, has, what, present, wording)?;
        return Ok(cols);
    }
    let own = Preset::of_system(system);
    if map.is_none()
        && let Some(p) = own
    {
        let cols = Columns::new(p, None, names);
        if cols.check(names, has, what, present, wording).is_ok() {
            return Ok(cols);
        }
        if let Some(other) = looks_like(names, has, present, None, Some(p), true) {
            return Err(format!(
                "it does not look like {} but like {} ({}); import it with --system {}, or read it as {} anyway with {} generic or {}",
                p.describe(),
                other.preset.describe(),
                other.evidence,
                other.preset.system().unwrap_or(other.preset.as_str()),
                crate::domain::system::display_name(system),
                wording.preset,
                wording.map
            ));
        }
    }
    let cols = Columns::new(Preset::generic(), map, names);
    match cols.check(names, has, what, present, wording) {
        Ok(()) => Ok(cols),
        Err(mut e) => {
            if map.is_none()
                && let Some(p) = own
            {
                e.push_str(&format!(
                    "; nor does it look like {} (no {} column or key)",
                    p.describe(),
                    p.id_names()
                ));
            }
            if let Some(other) = looks_like(names, has, present, None, own, false) {
                e.push_str(&format!(
                    "; it looks like {} ({}): try {} {}",
                    other.preset.describe(),
                    other.evidence,
                    wording.preset,
                    other.preset.as_str()
                ));
            }
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pick(system: &str, forced: Option<&str>, cols: &[&str]) -> Result<Preset, String> {
        pick_map(system, forced, None, cols).map(|c| c.preset)
    }

    fn pick_map(
        system: &str,
        forced: Option<&str>,
        map: Option<&ColumnMap>,
        cols: &[&str],
    ) -> Result<Columns, String> {
        let names = NameSet::new(map);
        let present: Vec<String> = cols.iter().map(|c| c.to_string()).collect();
        let normalized: Vec<String> = cols.iter().map(|c| norm(c)).collect();
        let has = |slot: usize| normalized.contains(&names.names[slot]);
        let opts = ReadOptions {
            system,
            format: None,
            preset: forced.map(|f| Preset::parse(f).unwrap()),
            map,
            file: "f.csv",
            wording: Wording::CLI,
        };
        choose(&opts, &names, &has, "columns", &present)
    }

    #[test]
    fn the_system_preset_is_taken_when_the_file_fits() {
        let p = |s| Preset::parse(s).unwrap();
        assert_eq!(
            pick("salesforce", None, &["ID", "USERNAME", "EMAIL"]),
            Ok(p("salesforce"))
        );
        assert_eq!(
            pick("salesforce", None, &["User ID", "Full Name"]),
            Ok(p("salesforce"))
        );
        assert_eq!(
            pick("salesforce", None, &["external_id", "email"]),
            Ok(Preset::generic())
        );
        assert_eq!(
            pick("hubspot", None, &["id", "email", "firstName"]),
            Ok(p("hubspot"))
        );
        assert_eq!(
            pick(
                "google",
                None,
                &["First Name [Required]", "Email Address [Required]"]
            ),
            Ok(p("google"))
        );
        assert_eq!(
            pick("workday", None, &["external_id"]),
            Ok(Preset::generic())
        );
        // Generic reading takes `id` when there is no external_id.
        assert_eq!(
            pick("workday", None, &["id", "email"]),
            Ok(Preset::generic())
        );
    }

    #[test]
    fn a_forced_preset_that_does_not_fit_names_what_is_missing() {
        let e = pick("x", Some("hubspot"), &["id", "name", "active_flag"]).unwrap_err();
        assert!(e.contains("HubSpot owners answer"), "{e}");
        assert!(e.contains("firstname, lastname, archived or userid"), "{e}");
        let e = pick("x", Some("salesforce"), &["external_id", "email"]).unwrap_err();
        assert!(e.contains("no id or user id"), "{e}");
        let e = pick("salesforce", None, &["Email"]).unwrap_err();
        assert!(e.contains("no external_id or id"), "{e}");
        assert!(e.contains("Salesforce User export"), "{e}");
    }

    #[test]
    fn another_systems_file_is_named_not_read_with_the_generic_columns() {
        // A Pipedrive answer given as HubSpot's: not "no id column".
        let e = pick(
            "hubspot",
            None,
            &["id", "name", "email", "active_flag", "icon_url", "role_id"],
        )
        .unwrap_err();
        assert!(
            e.contains("does not look like a HubSpot owners answer but like a Pipedrive users answer (active_flag/icon_url/role_id)"),
            "{e}"
        );
        assert!(e.contains("--system pipedrive"), "{e}");
        assert!(!e.contains("no id"), "{e}");
        // Forced, it is read as asked.
        assert_eq!(
            pick("hubspot", Some("generic"), &["id", "name", "active_flag"]),
            Ok(Preset::generic())
        );
        // A file without an ID says what it looks like.
        let e = pick("personio", None, &["userPrincipalName", "mail"]).unwrap_err();
        assert!(e.contains("no external_id or id"), "{e}");
    }

    #[test]
    fn map_overrides_and_requires_its_columns() {
        let map = ColumnMap::parse(
            "external_id=Personalnummer, email = E-Mail,name=Name",
            Wording::CLI,
        )
        .unwrap();
        let e = pick_map("x", None, Some(&map), &["personalnummer"]).unwrap_err();
        assert!(e.contains("email=E-Mail, name=Name"), "{e}");
        assert!(pick_map("x", None, Some(&map), &["Personalnummer", "e-mail", "name"]).is_ok());
        // A mapped flag with values, the other flag of the preset dropped.
        let map =
            ColumnMap::parse("inactive=status:SUSPENDED|DEPROVISIONED", Wording::CLI).unwrap();
        let c = pick_map(
            "okta",
            Some("okta"),
            Some(&map),
            &["id", "status", "profile.email"],
        )
        .unwrap();
        assert!(c.sources(Target::Active).is_empty());
        let w = c.sources(Target::Inactive)[0].words.clone().unwrap();
        assert_eq!(w.yes, ["SUSPENDED", "DEPROVISIONED"]);
        assert_eq!(w.no, None);
    }

    /// What a file with these names (and this first ID) looks like.
    fn looks(names: &[&str], first_id: Option<&str>, strong: bool) -> Option<(String, String)> {
        let set = NameSet::new(None);
        let present: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let normalized: Vec<String> = names.iter().map(|n| norm(n)).collect();
        let has = |slot: usize| normalized.contains(&set.names[slot]);
        looks_like(&set, &has, &present, first_id, None, strong)
            .map(|l| (l.preset.as_str().to_owned(), l.evidence))
    }

    /// The preset a file resembles most: two points for each name only its system has,
    /// one for each other name it is known by, two for an ID of its shape; a tie is no
    /// answer (never guess).
    #[test]
    fn a_file_looks_like_the_preset_it_resembles_most() {
        let some = |p: &str, e: &str| Some((p.to_owned(), e.to_owned()));
        // One Pipedrive mark (2) beats one name a Salesforce export has too (1).
        assert_eq!(
            looks(&["id", "email", "is_you"], None, false),
            some("pipedrive", "is_you")
        );
        // An ID of the system's shape counts (Zendesk: role, and a numeric id: 3) over
        // one mark of Google's (2), whose IDs may be anything.
        assert_eq!(
            looks(
                &["id", "Role", "First Name [Required]"],
                Some("381234567890"),
                false
            ),
            some("zendesk", "numeric ids, Role")
        );
        // An ID of another shape rules a preset out.
        assert_eq!(
            looks(&["id", "Role", "First Name [Required]"], Some("w-1"), false),
            some("google", "First Name [Required]")
        );
        // The best first in the table's order, a lesser one after it.
        assert_eq!(
            looks(&["id", "is_you", "role"], None, false),
            some("pipedrive", "is_you")
        );
        // A tie: Salesforce's email, Zendesk's role.
        assert_eq!(looks(&["id", "email", "role"], None, false), None);
        // Strong: marks only.
        assert_eq!(
            looks(&["id", "email", "role", "is_you"], None, true),
            some("pipedrive", "is_you")
        );
        assert_eq!(looks(&["id", "email"], None, true), None);
        assert_eq!(
            looks(&["id", "email"], None, false),
            some("salesforce", "email")
        );
        // No ID of the preset's, no answer.
        assert_eq!(
            looks(&["email", "is_you", "active_flag"], None, false),
            None
        );
        // The names found, in the file's order and spelling, four at most.
        assert_eq!(
            looks(
                &[
                    "ID",
                    "Role_ID",
                    "is_you",
                    "Icon_URL",
                    "has_created_company",
                    "active_flag"
                ],
                Some("12345"),
                false
            ),
            some(
                "pipedrive",
                "numeric ids, Role_ID/is_you/Icon_URL/has_created_company"
            )
        );
        let l = LookAlike {
            preset: Preset::parse("pipedrive").unwrap(),
            evidence: "numeric ids, role_id".into(),
        };
        assert_eq!(
            l.sentence(),
            "this looks like a Pipedrive users answer: numeric ids, role_id; import it with --system pipedrive"
        );
    }

    /// Without an ID column: the generic columns say how to name it; a preset, or a map
    /// that names other columns, says what the file does not look like.
    #[test]
    fn a_file_without_an_id_is_told_what_it_lacks() {
        assert_eq!(
            pick("x", Some("salesforce"), &["external_id", "email"]).unwrap_err(),
            "it does not look like a Salesforce User export: it has no id or user id among the columns (external_id, email)"
        );
        let map = ColumnMap::parse("email=Mail", Wording::CLI).unwrap();
        assert_eq!(
            pick_map("x", None, Some(&map), &["Mail"]).unwrap_err(),
            "it does not look like a file with the generic columns: it has no external_id or id among the columns (Mail)"
        );
        assert_eq!(
            pick("x", None, &["Mail"]).unwrap_err(),
            "there is no external_id or id among the columns (Mail); name the ID column with --map external_id=COLUMN, or choose a preset with --preset"
        );
    }

    /// A file that fails its system's preset is never said to look like that preset.
    #[test]
    fn a_file_is_not_said_to_look_like_the_preset_it_failed() {
        let e = pick("hubspot", None, &["ownerId", "portalId", "email"]).unwrap_err();
        assert!(!e.contains("but like"), "{e}");
        assert!(
            e.starts_with("there is no external_id or id among the columns"),
            "{e}"
        );
    }

    /// The names a message lists: thirty at most, then how many there are.
    #[test]
    fn names_in_messages_are_listed_up_to_thirty() {
        assert_eq!(shown(&[]), "none");
        let names: Vec<String> = (1..=31).map(|i| format!("c{i}")).collect();
        let thirty = names[..30].join(", ");
        assert_eq!(shown(&names[..30]), thirty);
        assert_eq!(shown(&names), format!("{thirty}, … (31 in all)"));
        assert_eq!(shown(&["a\u{1b}[2J".to_owned()]), "a\u{241b}[2J");
    }
}
