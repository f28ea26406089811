//! `roster log [EMP] [--by USER] [--action A] [--since T]`: the audit log's filters,
//! checked so that a typo is an error naming the known values, not an empty answer.

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::audit::ACTIONS;
use crate::error::Error;

/// `--since`: a date (UTC midnight), an RFC 3339 time, or an age before `now` (30m,
/// 2h, 7d), as the store writes times.
pub fn since(text: &str, now: DateTime<Utc>) -> Result<String, Error> {
    let t = text.trim();
    let at = if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        d.and_hms_opt(0, 0, 0).map(|d| d.and_utc())
    } else if let Ok(d) = DateTime::parse_from_rfc3339(t) {
        Some(d.with_timezone(&Utc))
    } else {
        age(t).and_then(|a| now.checked_sub_signed(a))
    };
    match at {
        Some(at) => Ok(at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)),
        None => Err(Error::Invalid(format!(
            "--since {}: give a date (2026-03-01), a time (2026-03-01T09:30:00Z) or an age (30m, 2h, 7d).",
            crate::domain::sanitize::sanitize(t)
        ))),
    }
}

fn age(t: &str) -> Option<chrono::Duration> {
    let unit = t.chars().last()?;
    let n: i64 = t[..t.len() - unit.len_utf8()].parse().ok()?;
    match unit {
        'm' => chrono::Duration::try_minutes(n),
        'h' => chrono::Duration::try_hours(n),
        'd' => chrono::Duration::try_days(n),
        _ => None,
    }
}

/// `--action`: one of roster's actions, or one the log holds.
pub fn action(a: &str, in_log: &[String]) -> Result<String, Error> {
    let a = a.trim().to_lowercase();
    if ACTIONS.contains(&a.as_str()) || in_log.contains(&a) {
        return Ok(a);
    }
    let mut known: Vec<String> = ACTIONS.iter().map(|s| (*s).to_owned()).collect();
    known.extend(in_log.iter().cloned());
    known.sort();
    known.dedup();
    Err(Error::Invalid(format!(
        "--action {}: no such action. The actions are: {}.",
        crate::domain::sanitize::sanitize(&a),
        known.join(", ")
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_takes_a_date_a_time_or_an_age() {
        let now = DateTime::parse_from_rfc3339("2026-03-10T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            since("2026-03-01", now).unwrap(),
            "2026-03-01T00:00:00.000Z"
        );
        assert_eq!(
            since("2026-03-01T09:30:00+01:00", now).unwrap(),
            "2026-03-01T08:30:00.000Z"
        );
        assert_eq!(since("2h", now).unwrap(), "2026-03-10T10:00:00.000Z");
        assert_eq!(since("7d", now).unwrap(), "2026-03-03T12:00:00.000Z");
        assert!(since("yesterday", now).is_err());
        assert!(since("5y", now).is_err());
    }

    #[test]
    fn an_unknown_action_lists_the_known() {
        assert_eq!(action("Edit", &[]).unwrap(), "edit");
        let e = action("edti", &["review-close".into()])
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("edit, import") && e.contains("review-close"),
            "{e}"
        );
    }
}
