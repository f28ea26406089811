//! `--map F=COL,...` (the app's Columns field): which column or key holds which field.
//! A key may be a dotted path into nested objects (`email=profile.email`); `active` and
//! `inactive` may name the values that mean it (`active=Status:Active`,
//! `inactive=status:SUSPENDED|DEPROVISIONED`).

use super::preset::{Target, Wording};
use crate::domain::sanitize::escape_for_text;
use crate::error::Error;

/// One mapped field: the column (or key path) as the admin typed it, and for the active
/// flags the values that mean it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapped {
    pub column: String,
    pub values: Option<Vec<String>>,
}

/// The `--map` option, parsed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnMap {
    pub entries: Vec<(Target, Mapped)>,
}

impl ColumnMap {
    pub fn parse(spec: &str, wording: Wording) -> Result<ColumnMap, Error> {
        let map = wording.map;
        let mut entries: Vec<(Target, Mapped)> = Vec::new();
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let Some((field, column)) = part.split_once('=') else {
                return Err(Error::Invalid(format!(
                    "{map} takes FIELD=COLUMN pairs separated by commas; '{}' has no '='.",
                    escape_for_text(part)
                )));
            };
            let field = field.trim();
            let column = column.trim();
            let Some(target) = Target::MAPPABLE
                .into_iter()
                .find(|t| t.map_name() == field.to_ascii_lowercase())
            else {
                return Err(Error::Invalid(format!(
                    "{map} names the field '{}', which roster does not read; the fields are {}.",
                    escape_for_text(field),
                    Target::MAPPABLE
                        .iter()
                        .map(|t| t.map_name())
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            };
            let field = target.map_name();
            let flag = matches!(target, Target::Active | Target::Inactive);
            let (column, values) = match column.split_once(':') {
                Some((col, values)) if flag => {
                    let values: Vec<String> = values
                        .split('|')
                        .map(|v| v.trim().to_owned())
                        .filter(|v| !v.is_empty())
                        .collect();
                    if values.is_empty() {
                        return Err(Error::Invalid(format!(
                            "{map} gives no values after '{}:'; write {field}={}:VALUE|VALUE (the values that mean {field}).",
                            escape_for_text(col.trim()),
                            escape_for_text(col.trim())
                        )));
                    }
                    (col.trim(), Some(values))
                }
                _ => (column, None),
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
            entries.push((
                target,
                Mapped {
                    column: column.to_owned(),
                    values,
                },
            ));
        }
        if entries.is_empty() {
            return Err(Error::Invalid(format!(
                "{map} is empty; give at least external_id=COLUMN."
            )));
        }
        // The same value cannot mean both active and inactive in one column.
        if let (Some(a), Some(i)) = (
            entries.iter().find(|(t, _)| *t == Target::Active),
            entries.iter().find(|(t, _)| *t == Target::Inactive),
        ) && super::preset::norm(&a.1.column) == super::preset::norm(&i.1.column)
        {
            let (Some(av), Some(iv)) = (&a.1.values, &i.1.values) else {
                return Err(Error::Invalid(format!(
                    "{map} maps active and inactive to the same column '{}'; name the values of each (active={0}:VALUE|…,inactive={0}:VALUE|…) or map only one of them.",
                    escape_for_text(&a.1.column)
                )));
            };
            if let Some(both) = av
                .iter()
                .find(|v| iv.iter().any(|w| w.eq_ignore_ascii_case(v)))
            {
                return Err(Error::Invalid(format!(
                    "{map} lists '{}' as meaning both active and inactive.",
                    escape_for_text(both)
                )));
            }
        }
        Ok(ColumnMap { entries })
    }

    pub fn get(&self, target: Target) -> Option<&Mapped> {
        self.entries
            .iter()
            .find(|(t, _)| *t == target)
            .map(|(_, m)| m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_paths_and_value_lists() {
        let m = ColumnMap::parse(
            "external_id=id, email = profile.email,active=Status:Active| Pending ,inactive=Locked:yes",
            Wording::CLI,
        )
        .unwrap();
        assert_eq!(m.get(Target::Email).unwrap().column, "profile.email");
        let a = m.get(Target::Active).unwrap();
        assert_eq!(
            (a.column.as_str(), a.values.clone()),
            (
                "Status",
                Some(vec!["Active".to_owned(), "Pending".to_owned()])
            )
        );
        // A colon in another field's column is part of its name.
        let m = ColumnMap::parse("external_id=ID:Nr", Wording::CLI).unwrap();
        assert_eq!(m.get(Target::ExternalId).unwrap().column, "ID:Nr");
    }

    #[test]
    fn mistakes_are_named() {
        let e = |s: &str| ColumnMap::parse(s, Wording::CLI).unwrap_err().to_string();
        assert!(e("nope=x").contains("the field 'nope'"));
        assert!(e("email").contains("has no '='"));
        assert!(e("email=a,email=b").contains("email twice"));
        assert!(e("active=Status:").contains("no values after 'Status:'"));
        assert!(
            e("external_id=id,active=status,inactive=Status")
                .contains("active and inactive to the same column")
        );
        assert!(
            e("external_id=id,active=status:A|B,inactive=status:b").contains("'B' as meaning both")
        );
        assert!(
            ColumnMap::parse(
                "external_id=id,active=status:ACTIVE,inactive=status:SUSPENDED",
                Wording::CLI
            )
            .is_ok()
        );
        // Each front's own words: the app's form calls the map its Columns field.
        let e = ColumnMap::parse("email", Wording::FORM)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("Columns takes FIELD=COLUMN pairs"), "{e}");
    }
}
