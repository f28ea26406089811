//! How an import decides where an account goes (README "Importing › The rules"). The importer and the
//! "what will the next import do" prediction of Remove share these rules.

/// The outcome of the by-email step for one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmailMatch {
    /// No employee has the email (or the record has none): a new profile is created.
    None,
    /// Exactly one: the account is linked to it.
    One(i64),
    /// Exactly one, and it holds another account of the same system already: two
    /// accounts of one system that share an email are two people, so nothing is linked
    /// (a conflict of kind `same_system`).
    SameSystem(i64),
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

/// `by_email`, then "one system, one account per person": `holds_system` says whether
/// an employee holds an account of the importing system (asked of the one candidate
/// only).
pub fn decide<E>(
    candidates: &[i64],
    blocked: &[i64],
    holds_system: &mut dyn FnMut(i64) -> Result<bool, E>,
) -> Result<EmailMatch, E> {
    Ok(match by_email(candidates, blocked) {
        EmailMatch::One(id) if holds_system(id)? => EmailMatch::SameSystem(id),
        other => other,
    })
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

    #[test]
    fn one_candidate_with_an_account_of_the_system_is_not_linked() {
        let mut holds = |id: i64| Ok::<_, ()>(id == 3);
        assert_eq!(decide(&[3], &[], &mut holds), Ok(EmailMatch::SameSystem(3)));
        assert_eq!(decide(&[4], &[], &mut holds), Ok(EmailMatch::One(4)));
        // Several candidates stay a plain conflict, whoever holds what.
        assert_eq!(
            decide(&[3, 4], &[], &mut holds),
            Ok(EmailMatch::Many(vec![3, 4]))
        );
        // A blocked candidate is no candidate at all.
        assert_eq!(
            decide(&[3, 4], &[4], &mut holds),
            Ok(EmailMatch::SameSystem(3))
        );
    }
}
