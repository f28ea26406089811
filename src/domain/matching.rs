//! How an import decides where an account goes (SPEC §3). The importer and the
//! "what will the next import do" prediction of Remove share these rules.

/// The outcome of the by-email step for one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmailMatch {
    /// No employee has the email (or the record has none): a new profile is created.
    None,
    /// Exactly one: the account is linked to it.
    One(i64),
    /// More than one: a conflict; nothing is created, nobody is guessed.
    Many(Vec<i64>),
}

/// Decides from the employees that hold the email, leaving out those the account is
/// blocked from.
pub fn by_email(candidates: &[i64], blocked: &[i64]) -> EmailMatch {
    let mut ids: Vec<i64> = candidates
        .iter()
        .copied()
        .filter(|id| !blocked.contains(id))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    match ids.as_slice() {
        [] => EmailMatch::None,
        [one] => EmailMatch::One(*one),
        _ => EmailMatch::Many(ids),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocked_candidates_do_not_count() {
        assert_eq!(by_email(&[], &[]), EmailMatch::None);
        assert_eq!(by_email(&[3, 3], &[]), EmailMatch::One(3));
        assert_eq!(by_email(&[3, 5], &[]), EmailMatch::Many(vec![3, 5]));
        assert_eq!(by_email(&[3, 5], &[5]), EmailMatch::One(3));
        assert_eq!(by_email(&[3], &[3]), EmailMatch::None);
    }
}
