use super::*;
use crate::domain::keys::EmailIndex;
use std::collections::HashMap;

/// The match keys of a small store, in memory.
struct MemKeys {
    conns: HashMap<String, (Known, Current)>,
    blocks: Vec<(String, i64)>,
    /// (email, employee) sources; the index is built from them on first use.
    sources: Vec<(String, i64)>,
    index: Option<EmailIndex>,
    /// How many times the rows behind a connection were read (`current`).
    reads: usize,
    /// Accounts ignored in the review inbox: (external ID, item, email then).
    ignored: Vec<(String, i64, Option<String>)>,
}

impl MemKeys {
    fn new() -> MemKeys {
        MemKeys {
            conns: HashMap::new(),
            blocks: Vec::new(),
            sources: Vec::new(),
            index: None,
            reads: 0,
            ignored: Vec::new(),
        }
    }

    /// An employee with an optional primary email.
    fn employee(&mut self, id: i64, email: Option<&str>) {
        if let Some(e) = email {
            self.sources.push((normalize_email(e), id));
        }
    }

    /// A connection of the importing system.
    fn conn(
        &mut self,
        conn_id: i64,
        ext: &str,
        employee_id: i64,
        manages: bool,
        account: AccountFields,
        profile: ProfileFields,
    ) {
        if let Some(e) = &account.email {
            self.sources.push((normalize_email(e), employee_id));
        }
        let managed = manages.then_some((profile.name.as_str(), profile.picture_url.as_deref()));
        let known = Known::new(conn_id, employee_id, &account, managed);
        self.conns
            .insert(ext.to_owned(), (known, Current { account, profile }));
    }
}

impl Keys for MemKeys {
    fn connection(&self, external_id: &str) -> Option<Known> {
        self.conns.get(external_id).map(|(k, _)| *k)
    }

    fn current(&mut self, known: &Known) -> Result<Current, Error> {
        self.reads += 1;
        Ok(self
            .conns
            .values()
            .find(|(k, _)| k.conn_id == known.conn_id)
            .map(|(_, c)| c.clone())
            .expect("known connection"))
    }

    fn blocked(&self, external_id: &str) -> Vec<i64> {
        self.blocks
            .iter()
            .filter(|(x, _)| x == external_id)
            .map(|(_, e)| *e)
            .collect()
    }

    fn emails(&mut self) -> Result<&mut EmailIndex, Error> {
        if self.index.is_none() {
            let mut ix = EmailIndex::default();
            for (e, id) in &self.sources {
                ix.add(e, *id);
            }
            self.index = Some(ix);
        }
        Ok(self.index.as_mut().unwrap())
    }

    fn holds_system(&mut self, employee_id: i64) -> Result<bool, Error> {
        Ok(self
            .conns
            .values()
            .any(|(k, _)| k.employee_id == employee_id))
    }

    fn ignored(&self, external_id: &str) -> Option<(i64, Option<String>)> {
        self.ignored
            .iter()
            .find(|(x, _, _)| x == external_id)
            .map(|(_, item, email)| (*item, email.clone()))
    }

    fn system_accounts(&mut self, employee_id: i64) -> Result<Vec<String>, Error> {
        let mut ids: Vec<String> = self
            .conns
            .iter()
            .filter(|(_, (k, _))| k.employee_id == employee_id)
            .map(|(x, _)| x.clone())
            .collect();
        ids.sort();
        Ok(ids)
    }
}

fn rec(row: u64, ext: &str, email: Option<&str>, name: Option<&str>) -> Record {
    let f = |v: Option<&str>| match v {
        Some(s) => Field::Value(s.to_owned()),
        None => Field::Empty,
    };
    Record {
        row,
        line: None,
        external_id: ext.into(),
        email: f(email),
        name: f(name),
        picture_url: Field::Absent,
        active: Field::Absent,
    }
}

fn acc(email: &str, name: &str) -> AccountFields {
    AccountFields {
        email: Some(email.into()),
        name: Some(name.into()),
        picture_url: None,
        active: None,
    }
}

fn prof(name: &str) -> ProfileFields {
    ProfileFields {
        name: name.into(),
        picture_url: None,
        status: Status::Active,
    }
}

fn run(keys: &mut MemKeys, review: Review, records: &[Record]) -> (Vec<Step>, Tally) {
    let mut p = Planner::new(review, 100);
    let mut tally = Tally::default();
    let steps = records
        .iter()
        .map(|r| {
            let s = p.plan(keys, r).unwrap();
            tally.add(r, &s);
            s
        })
        .collect();
    (steps, tally)
}

#[test]
fn new_records_create_managed_profiles_per_review_and_active() {
    let mut keys = MemKeys::new();
    let mut off = rec(2, "b", Some("b@x.io"), None);
    off.active = Field::Value(false);
    let (steps, tally) = run(
        &mut keys,
        Review::Manual,
        &[rec(1, "a", Some("A@x.io"), Some("Ann")), off],
    );
    let Step::Created {
        profile, account, ..
    } = &steps[0]
    else {
        panic!("{:?}", steps[0])
    };
    assert_eq!(profile.id, 100);
    assert_eq!(profile.name, "Ann");
    assert_eq!(profile.status, Status::Pending);
    assert!(account.manages);
    assert_eq!(account.origin, Origin::ImportNew);
    assert_eq!(account.matched_value, "a");
    let Step::Created { profile, .. } = &steps[1] else {
        panic!()
    };
    assert_eq!(profile.id, 101);
    assert_eq!(
        profile.name, "b",
        "the email's local part when there is no name"
    );
    assert_eq!(profile.status, Status::Deactivated);
    assert_eq!(tally.created, 2);
    assert!(matches!(
        steps[0],
        Step::Created {
            named_from: NamedFrom::Name,
            ..
        }
    ));
    assert!(matches!(
        steps[1],
        Step::Created {
            named_from: NamedFrom::Email,
            ..
        }
    ));
    assert_eq!(tally.named_from_email, vec![2]);
}

#[test]
fn a_new_profile_without_name_or_email_is_named_by_its_id_and_flagged() {
    let mut keys = MemKeys::new();
    let (steps, tally) = run(&mut keys, Review::Auto, &[rec(7, "0051", None, None)]);
    let Step::Created {
        profile,
        named_from,
        ..
    } = &steps[0]
    else {
        panic!("{:?}", steps[0])
    };
    assert_eq!(profile.name, "0051");
    assert_eq!(*named_from, NamedFrom::ExternalId);
    assert_eq!(tally.named_from_id, vec![7]);
    assert!(tally.named_from_email.is_empty());
}

/// HubSpot sends archived owners with `"firstName": ""`: the readers make that an
/// empty name, which keeps every name stored.
#[test]
fn a_blank_name_keeps_the_names_stored_and_is_reported() {
    let mut keys = MemKeys::new();
    keys.conn(
        10,
        "m",
        1,
        true,
        acc("kira@x.io", "Kira Müller"),
        prof("Kira Müller"),
    );
    keys.conn(
        11,
        "n",
        2,
        false,
        acc("ned@x.io", "Ned"),
        prof("Admin's Ned"),
    );
    // The same name, but the email changes: the row changes, the names do not.
    keys.conn(12, "o", 3, true, acc("olga@x.io", "Olga"), prof("Olga"));
    let mut archived = rec(1, "m", Some("kira@x.io"), None);
    archived.active = Field::Value(false);
    let (steps, tally) = run(
        &mut keys,
        Review::Auto,
        &[
            archived,
            rec(2, "n", Some("ned@x.io"), None),
            rec(3, "o", Some("olga.new@x.io"), None),
        ],
    );
    match &steps[0] {
        Step::Matched {
            profile: Some(p),
            account: Some(a),
            name_kept: true,
            ..
        } => {
            assert_eq!(p.name, "Kira Müller", "not kira, not blank");
            assert_eq!(p.status, Status::Deactivated);
            assert_eq!(a.name.as_deref(), Some("Kira Müller"));
            assert_eq!(a.active, Some(false));
        }
        s => panic!("{s:?}"),
    }
    assert_eq!(
        steps[1],
        Step::Unchanged {
            employee_id: 2,
            name_kept: true
        }
    );
    match &steps[2] {
        Step::Matched {
            profile: None,
            account: Some(a),
            name_kept: true,
            ..
        } => {
            assert_eq!(a.name.as_deref(), Some("Olga"));
            assert_eq!(a.email.as_deref(), Some("olga.new@x.io"));
        }
        s => panic!("{s:?}"),
    }
    assert_eq!(tally.names_kept, vec![1, 2, 3]);
}

#[test]
fn a_blank_name_is_not_reported_where_no_name_was_stored() {
    let mut keys = MemKeys::new();
    let mut nameless = acc("ned@x.io", "");
    nameless.name = None;
    keys.conn(11, "n", 2, false, nameless, prof("Ned"));
    let (steps, tally) = run(
        &mut keys,
        Review::Auto,
        &[rec(1, "n", Some("ned@x.io"), None)],
    );
    assert_eq!(
        steps[0],
        Step::Unchanged {
            employee_id: 2,
            name_kept: false
        }
    );
    assert!(tally.names_kept.is_empty());
}

/// A managed profile's name follows only names the system gives: a record without a
/// name column, whose email changes, leaves it (it is never recomputed from the email).
#[test]
fn a_managed_name_is_never_recomputed_from_the_email() {
    let mut keys = MemKeys::new();
    let mut nameless = acc("jane@x.io", "");
    nameless.name = None;
    keys.conn(10, "m", 1, true, nameless, prof("jane"));
    let mut r = rec(1, "m", Some("jd@x.io"), None);
    r.name = Field::Absent;
    let (steps, tally) = run(&mut keys, Review::Auto, &[r]);
    match &steps[0] {
        Step::Matched {
            profile: None,
            account: Some(a),
            name_kept: false,
            ..
        } => assert_eq!(a.email.as_deref(), Some("jd@x.io")),
        s => panic!("{s:?}"),
    }
    assert_eq!(tally.profiles_updated, 0);
}

#[test]
fn email_links_case_insensitively_and_conflicts_never_guess() {
    let mut keys = MemKeys::new();
    keys.employee(1, Some("jane@acme.io"));
    keys.employee(2, Some("shared@acme.io"));
    keys.employee(3, Some("Shared@ACME.io"));
    let (steps, tally) = run(
        &mut keys,
        Review::Auto,
        &[
            rec(1, "h1", Some("  JANE@acme.IO "), None),
            rec(2, "h2", Some("shared@acme.io"), None),
        ],
    );
    assert!(matches!(&steps[0], Step::Linked { employee_id: 1, account }
        if account.origin == Origin::ImportEmail && !account.manages));
    assert_eq!(
        steps[1],
        Step::Conflict {
            email: "shared@acme.io".into(),
            candidates: vec![2, 3]
        }
    );
    assert_eq!(tally.conflicts[0].row, 2);
    assert_eq!(tally.linked_by_email, 1);
}

#[test]
fn blocked_employees_are_not_candidates() {
    let mut keys = MemKeys::new();
    keys.employee(1, Some("jo@x.io"));
    keys.blocks.push(("h1".into(), 1));
    let (steps, _) = run(
        &mut keys,
        Review::Auto,
        &[rec(1, "h1", Some("jo@x.io"), None)],
    );
    assert!(matches!(&steps[0], Step::Created { .. }));
}

#[test]
fn later_rows_see_earlier_rows() {
    let mut keys = MemKeys::new();
    keys.employee(1, Some("jo@x.io"));
    let (steps, _) = run(
        &mut keys,
        Review::Auto,
        &[
            rec(1, "a", Some("p@x.io"), Some("P")),
            // The account row 1 created holds p@: a second account of the system with
            // that email is another person.
            rec(2, "b", Some("P@X.IO"), Some("P two")),
            rec(3, "c", Some("jo@x.io"), None),
            // Row 3 linked #1 to an account of the system.
            rec(4, "d", Some("JO@x.io"), None),
        ],
    );
    assert_eq!(
        steps[1],
        Step::SameSystem {
            email: "P@X.IO".into(),
            candidate: 100,
            other_accounts: vec!["a".into()]
        }
    );
    assert_eq!(steps[2].outcome(), Outcome::LinkedByEmail);
    assert_eq!(
        steps[3],
        Step::SameSystem {
            email: "JO@x.io".into(),
            candidate: 1,
            other_accounts: vec!["c".into()]
        }
    );
}

/// Salesforce orgs share `noreply@` between the Automated Process, integration and
/// guest users: each is its own user, none is glued to the first one's profile.
#[test]
fn accounts_of_one_system_sharing_an_email_are_never_linked_together() {
    let mut keys = MemKeys::new();
    // #1 holds the Salesforce account s1 (noreply@) in the store; #2 holds ann@ only.
    keys.conn(
        10,
        "s1",
        1,
        true,
        acc("noreply@acme.io", "Integration"),
        prof("Integration"),
    );
    keys.employee(2, Some("ann@acme.io"));
    let (steps, tally) = run(
        &mut keys,
        Review::Auto,
        &[
            rec(1, "s2", Some("noreply@acme.io"), Some("Automated Process")),
            rec(2, "s3", Some("noreply@acme.io"), Some("Guest")),
            rec(3, "s4", Some("ann@acme.io"), Some("Ann")),
            // A portal user carrying Ann's address: Ann's profile now holds s4.
            rec(4, "s5", Some("ann@acme.io"), Some("Portal User")),
        ],
    );
    for (i, others) in [(0, vec!["s1"]), (1, vec!["s1"])] {
        assert_eq!(
            steps[i],
            Step::SameSystem {
                email: "noreply@acme.io".into(),
                candidate: 1,
                other_accounts: others.into_iter().map(String::from).collect()
            }
        );
    }
    assert_eq!(steps[2].outcome(), Outcome::LinkedByEmail);
    assert_eq!(steps[3].outcome(), Outcome::SameSystem);
    assert_eq!((tally.created, tally.linked_by_email), (0, 1));
    let kinds: Vec<(u64, ConflictKind)> = tally.conflicts.iter().map(|c| (c.row, c.kind)).collect();
    assert_eq!(
        kinds,
        [
            (1, ConflictKind::SameSystem),
            (2, ConflictKind::SameSystem),
            (4, ConflictKind::SameSystem)
        ]
    );
    assert_eq!(tally.conflicts[2].candidates, vec![2]);
    assert_eq!(
        tally.conflicts[2].other_accounts,
        Some(vec!["s4".to_owned()])
    );
}

#[test]
fn several_candidates_stay_a_plain_conflict_and_blocks_still_count() {
    let mut keys = MemKeys::new();
    keys.conn(10, "s1", 1, true, acc("team@acme.io", "Team"), prof("Team"));
    keys.employee(2, Some("team@acme.io"));
    keys.blocks.push(("s3".into(), 1));
    let (steps, tally) = run(
        &mut keys,
        Review::Auto,
        &[
            rec(1, "s2", Some("team@acme.io"), None),
            // Blocked from #1: #2 is the only candidate, and it holds no account.
            rec(2, "s3", Some("team@acme.io"), None),
        ],
    );
    assert_eq!(
        steps[0],
        Step::Conflict {
            email: "team@acme.io".into(),
            candidates: vec![1, 2]
        }
    );
    assert_eq!(tally.conflicts[0].kind, ConflictKind::Conflict);
    assert_eq!(tally.conflicts[0].other_accounts, None);
    assert!(matches!(steps[1], Step::Linked { employee_id: 2, .. }));
}

#[test]
fn managing_connection_renames_and_others_do_not() {
    let mut keys = MemKeys::new();
    keys.conn(10, "m", 1, true, acc("m@x.io", "Old"), prof("Old"));
    keys.conn(
        11,
        "n",
        2,
        false,
        acc("n@x.io", "Old N"),
        prof("Admin's name"),
    );
    let (steps, tally) = run(
        &mut keys,
        Review::Auto,
        &[
            rec(1, "m", Some("m@x.io"), Some("New")),
            rec(2, "n", Some("n@x.io"), Some("New N")),
        ],
    );
    match &steps[0] {
        Step::Matched {
            conn_id: 10,
            profile: Some(p),
            account: Some(a),
            ..
        } => {
            assert_eq!(p.name, "New");
            assert_eq!(a.name.as_deref(), Some("New"));
        }
        s => panic!("{s:?}"),
    }
    match &steps[1] {
        Step::Matched {
            profile: None,
            account: Some(a),
            ..
        } => assert_eq!(a.name.as_deref(), Some("New N")),
        s => panic!("{s:?}"),
    }
    assert_eq!(
        (tally.matched, tally.profiles_updated, tally.unchanged),
        (2, 1, 0)
    );
}

#[test]
fn same_values_are_unchanged_without_reading_rows() {
    let mut keys = MemKeys::new();
    keys.conn(10, "m", 1, true, acc("m@x.io", "M"), prof("M"));
    let mut r = rec(1, "m", Some("m@x.io"), Some("M"));
    r.picture_url = Field::Absent;
    let (steps, tally) = run(&mut keys, Review::Auto, &[r]);
    assert_eq!(
        steps[0],
        Step::Unchanged {
            employee_id: 1,
            name_kept: false
        }
    );
    assert_eq!(tally.unchanged, 1);
    assert_eq!(keys.reads, 0, "the rows are not read");
    assert!(keys.index.is_none(), "the email index is never loaded");
}

#[test]
fn absent_fields_are_left_alone_and_empty_ones_cleared() {
    let mut keys = MemKeys::new();
    let mut a = acc("m@x.io", "M");
    a.picture_url = Some("https://p/1".into());
    let mut p = prof("M");
    p.picture_url = Some("https://p/1".into());
    keys.conn(10, "m", 1, true, a.clone(), p.clone());
    keys.conn(11, "k", 2, true, a, p);
    let mut absent = rec(1, "m", Some("m@x.io"), Some("M"));
    absent.picture_url = Field::Absent;
    let mut empty = rec(2, "k", Some("m@x.io"), Some("M"));
    empty.picture_url = Field::Empty;
    let (steps, _) = run(&mut keys, Review::Auto, &[absent, empty]);
    assert_eq!(
        steps[0],
        Step::Unchanged {
            employee_id: 1,
            name_kept: false
        }
    );
    match &steps[1] {
        Step::Matched {
            profile: Some(p),
            account: Some(a),
            ..
        } => {
            assert_eq!(p.picture_url, None);
            assert_eq!(a.picture_url, None);
        }
        s => panic!("{s:?}"),
    }
}

#[test]
fn status_follows_changes_of_the_systems_flag() {
    let mut keys = MemKeys::new();
    let mut a = acc("m@x.io", "M");
    a.active = Some(true);
    keys.conn(10, "m", 1, true, a.clone(), prof("M"));
    // The admin deactivated #2 by hand; the system still says active: it stays so.
    let mut p2 = prof("M");
    p2.status = Status::Deactivated;
    keys.conn(11, "k", 2, true, a.clone(), p2);
    // #3 is pending review; the system's flag turning true does not skip the review.
    let mut a3 = a.clone();
    a3.active = Some(false);
    let mut p3 = prof("M");
    p3.status = Status::Pending;
    keys.conn(12, "p", 3, true, a3, p3);
    let with = |row, ext: &str, on| {
        let mut r = rec(row, ext, Some("m@x.io"), Some("M"));
        r.active = Field::Value(on);
        r
    };
    let (steps, _) = run(
        &mut keys,
        Review::Auto,
        &[with(1, "m", false), with(2, "k", true), with(3, "p", true)],
    );
    match &steps[0] {
        Step::Matched {
            profile: Some(p), ..
        } => assert_eq!(p.status, Status::Deactivated),
        s => panic!("{s:?}"),
    }
    assert_eq!(
        steps[1],
        Step::Unchanged {
            employee_id: 2,
            name_kept: false
        }
    );
    match &steps[2] {
        Step::Matched {
            profile: None,
            account: Some(a),
            ..
        } => assert_eq!(a.active, Some(true)),
        s => panic!("{s:?}"),
    }
}

#[test]
fn an_account_changing_its_email_stops_holding_the_old_one() {
    let mut keys = MemKeys::new();
    keys.employee(1, Some("ann@x.io"));
    keys.employee(2, None);
    keys.conn(10, "b", 2, false, acc("ann@x.io", "B"), prof("B"));
    let (steps, _) = run(
        &mut keys,
        Review::Auto,
        &[
            // Before: ann@ is held by #1 and #2 (through account b).
            rec(1, "b", Some("bob@x.io"), Some("B")),
            rec(2, "c", Some("ann@x.io"), None),
            rec(3, "d", Some("BOB@x.io"), None),
        ],
    );
    assert_eq!(steps[0].outcome(), Outcome::Matched);
    assert_eq!(steps[1].employee_id(), Some(1));
    assert_eq!(steps[1].outcome(), Outcome::LinkedByEmail);
    // bob@ is #2's now, through account b: a second account of the system is not
    // linked to it.
    assert_eq!(
        steps[2],
        Step::SameSystem {
            email: "BOB@x.io".into(),
            candidate: 2,
            other_accounts: vec!["b".into()]
        }
    );
}

/// A record that changes nothing is known to from the match keys alone (`Keys::current`
/// reads the rows: at a million unchanged rows that is the difference between seconds
/// and minutes). One record for each way a field can say "as it is".
#[test]
fn records_that_change_nothing_are_known_unchanged_without_reading_rows() {
    let mut keys = MemKeys::new();
    let mut full = acc("m@x.io", "M");
    full.picture_url = Some("https://p/1".into());
    full.active = Some(true);
    let mut synced = prof("M");
    synced.picture_url = Some("https://p/1".into());
    // Managed, name and picture in step with the account.
    keys.conn(10, "a", 1, true, full.clone(), synced.clone());
    // Managed, but the profile's name and picture are not the account's (renamed by
    // hand before it was managed): records that do not give them change nothing.
    keys.conn(11, "b", 2, true, full.clone(), prof("Other"));
    // Not managing: the profile's name does not matter.
    keys.conn(12, "c", 3, false, full.clone(), prof("Other"));
    // An account without email or picture.
    let bare = AccountFields {
        email: None,
        name: Some("N".into()),
        picture_url: None,
        active: None,
    };
    keys.conn(13, "d", 4, false, bare, prof("N"));
    let same = |row, ext: &str| {
        let mut r = rec(row, ext, Some("m@x.io"), Some("M"));
        r.picture_url = Field::Value("https://p/1".into());
        r.active = Field::Value(true);
        r
    };
    let absent = |row, ext: &str| {
        let mut r = rec(row, ext, None, None);
        r.email = Field::Absent;
        r.name = Field::Absent;
        r
    };
    let mut blank_name = same(3, "a");
    blank_name.name = Field::Empty;
    let mut no_picture = same(5, "b");
    no_picture.picture_url = Field::Absent;
    no_picture.name = Field::Empty;
    let mut empty_cells = rec(7, "d", None, Some("N"));
    empty_cells.picture_url = Field::Empty;
    let records = [
        same(1, "a"),
        absent(2, "a"),
        blank_name,
        absent(4, "b"),
        no_picture,
        same(6, "c"),
        empty_cells,
    ];
    let (steps, tally) = run(&mut keys, Review::Auto, &records);
    for (s, r) in steps.iter().zip(&records) {
        assert_eq!(s.outcome(), Outcome::Unchanged, "row {}: {s:?}", r.row);
    }
    assert_eq!(tally.unchanged, 7);
    assert_eq!(keys.reads, 0, "no row was read");
    // A record that does change something reads its rows, once.
    let mut other = same(8, "c");
    other.picture_url = Field::Value("https://p/2".into());
    let (steps, _) = run(&mut keys, Review::Auto, &[other]);
    assert_eq!(steps[0].outcome(), Outcome::Matched);
    assert_eq!(keys.reads, 1);
}

/// `search_changed` (the profile's search text must be computed again) is set exactly
/// when the account's email or the profile's name changes.
#[test]
fn the_search_text_is_redone_only_when_an_email_or_the_name_changes() {
    let mut keys = MemKeys::new();
    keys.conn(10, "a", 1, true, acc("m@x.io", "M"), prof("M"));
    keys.conn(11, "b", 2, true, acc("n@x.io", "N"), prof("N"));
    keys.conn(12, "c", 3, false, acc("o@x.io", "O"), prof("O"));
    keys.conn(13, "d", 4, false, acc("p@x.io", "P"), prof("P"));
    let mut picture = rec(1, "a", Some("m@x.io"), Some("M"));
    picture.picture_url = Field::Value("https://p/1".into());
    let records = [
        picture,
        rec(2, "b", Some("n@x.io"), Some("Nina")),
        rec(3, "c", Some("other@x.io"), Some("O")),
        // An account's name is not in the search text.
        rec(4, "d", Some("p@x.io"), Some("Pat")),
    ];
    let (steps, _) = run(&mut keys, Review::Auto, &records);
    let flags: Vec<bool> = steps
        .iter()
        .map(|s| match s {
            Step::Matched { search_changed, .. } => *search_changed,
            s => panic!("{s:?}"),
        })
        .collect();
    assert_eq!(flags, [false, true, true, false]);
}

/// An account an admin ignored in the review inbox stays alone while the file gives it
/// the email it had then (compared as emails are), or none when it had none, or says
/// nothing of its email; another email plans it as any account.
#[test]
fn an_ignored_account_stays_alone_while_its_email_is_the_same() {
    let mut keys = MemKeys::new();
    keys.employee(1, Some("ann@x.io"));
    keys.ignored.push(("a".into(), 7, Some("ann@x.io".into())));
    keys.ignored.push(("b".into(), 8, None));
    let mut absent = rec(3, "a", None, None);
    absent.email = Field::Absent;
    let (steps, _) = run(
        &mut keys,
        Review::Auto,
        &[
            rec(1, "a", Some(" ANN@x.io"), None),
            rec(2, "b", None, None),
            absent,
        ],
    );
    assert_eq!(steps[0], Step::Ignored { item: 7 });
    assert_eq!(steps[1], Step::Ignored { item: 8 });
    assert_eq!(steps[2], Step::Ignored { item: 7 });
    let (steps, _) = run(
        &mut keys,
        Review::Auto,
        &[
            rec(1, "a", Some("bob@x.io"), None),
            rec(2, "b", Some("ann@x.io"), None),
        ],
    );
    assert_eq!(steps[0].outcome(), Outcome::New);
    assert_eq!(steps[1].outcome(), Outcome::LinkedByEmail);
    // An empty email cell where it had one is a change too.
    let (steps, _) = run(&mut keys, Review::Auto, &[rec(1, "a", None, None)]);
    assert_eq!(steps[0].outcome(), Outcome::New);
}

/// A managed profile out of step with its account (handed to the system after an admin
/// named it, or before the account had a picture) takes the name and the picture that a
/// record gives, even when the account itself does not change: each of the two, alone
/// out of step, is a change (README "Importing › The rules": the managing system sets
/// the profile's name and picture).
#[test]
fn a_managed_profile_out_of_step_takes_what_the_record_gives() {
    let mut keys = MemKeys::new();
    let mut pictured = acc("m@x.io", "M");
    pictured.picture_url = Some("https://p/1".into());
    // Name in step, picture not.
    keys.conn(10, "a", 1, true, pictured.clone(), prof("M"));
    // Picture in step, name not.
    let mut renamed = prof("Other");
    renamed.picture_url = Some("https://p/1".into());
    keys.conn(11, "b", 2, true, pictured, renamed);
    let same = |row, ext: &str| {
        let mut r = rec(row, ext, Some("m@x.io"), Some("M"));
        r.picture_url = Field::Value("https://p/1".into());
        r
    };
    let (steps, tally) = run(&mut keys, Review::Auto, &[same(1, "a"), same(2, "b")]);
    match &steps[0] {
        Step::Matched {
            account: None,
            profile: Some(p),
            ..
        } => {
            assert_eq!(p.picture_url.as_deref(), Some("https://p/1"));
            assert_eq!(p.name, "M");
        }
        s => panic!("row 1: {s:?}"),
    }
    match &steps[1] {
        Step::Matched {
            account: None,
            profile: Some(p),
            ..
        } => assert_eq!(p.name, "M"),
        s => panic!("row 2: {s:?}"),
    }
    assert_eq!(tally.profiles_updated, 2);
}

/// The words of a plan's rows and conflicts are the ones the JSON report uses (README
/// glossary: one word for each idea in the app, the commands and their JSON).
#[test]
fn outcome_and_conflict_words_are_the_json_words() {
    let json = |v: serde_json::Value| v.as_str().unwrap().to_owned();
    for o in [
        Outcome::Matched,
        Outcome::Unchanged,
        Outcome::LinkedByEmail,
        Outcome::New,
        Outcome::Conflict,
        Outcome::SameSystem,
        Outcome::Ignored,
    ] {
        assert_eq!(o.as_str(), json(serde_json::to_value(o).unwrap()));
    }
    for k in [ConflictKind::Conflict, ConflictKind::SameSystem] {
        assert_eq!(k.as_str(), json(serde_json::to_value(k).unwrap()));
    }
}

/// Each row's step names the profile it ends on: the one found by ID, the one linked by
/// email, the one created; none for a row left to review.
#[test]
fn each_step_names_the_profile_it_ends_on() {
    let mut keys = MemKeys::new();
    keys.conn(10, "a", 3, false, acc("a@x.io", "A"), prof("A"));
    keys.conn(11, "b", 4, false, acc("b@x.io", "B"), prof("B"));
    keys.employee(7, Some("seven@x.io"));
    keys.employee(8, Some("both@x.io"));
    keys.employee(9, Some("both@x.io"));
    let (steps, _) = run(
        &mut keys,
        Review::Auto,
        &[
            rec(1, "a", Some("a@x.io"), Some("A")),
            rec(2, "a2", Some("seven@x.io"), None),
            rec(3, "a3", Some("new@x.io"), None),
            rec(4, "a4", Some("both@x.io"), None),
            rec(5, "b", Some("b@x.io"), Some("Renamed")),
        ],
    );
    let ends: Vec<(Outcome, Option<i64>)> = steps
        .iter()
        .map(|s| (s.outcome(), s.employee_id()))
        .collect();
    assert_eq!(
        ends,
        [
            (Outcome::Unchanged, Some(3)),
            (Outcome::LinkedByEmail, Some(7)),
            (Outcome::New, Some(100)),
            (Outcome::Conflict, None),
            (Outcome::Matched, Some(4)),
        ]
    );
}

/// The report's lines (README "Importing › The report", as the command line and the app
/// show them): every count under its name, with the tally's value; the ignored and the
/// skipped rows a line only when there are some.
#[test]
fn the_report_lines_give_every_count_under_its_name() {
    let mut keys = MemKeys::new();
    keys.conn(10, "same", 3, true, acc("s@x.io", "S"), prof("S"));
    keys.conn(11, "renamed", 4, true, acc("r@x.io", "R"), prof("R"));
    keys.employee(7, Some("seven@x.io"));
    keys.employee(8, Some("both@x.io"));
    keys.employee(9, Some("both@x.io"));
    keys.ignored
        .push(("left".into(), 5, Some("left@x.io".into())));
    let records = [
        rec(1, "same", Some("s@x.io"), Some("S")),
        rec(2, "renamed", Some("r@x.io"), Some("Rita")),
        rec(3, "by-email", Some("seven@x.io"), None),
        rec(4, "new-1", Some("n1@x.io"), None),
        rec(5, "new-2", Some("n2@x.io"), None),
        rec(6, "two", Some("both@x.io"), None),
        rec(7, "left", Some("left@x.io"), None),
    ];
    let (_, mut tally) = run(&mut keys, Review::Auto, &records);
    let counts = |t: &Tally| -> Vec<(&'static str, u64)> {
        t.report_lines().iter().map(|(l, n, _)| (*l, *n)).collect()
    };
    assert_eq!(
        counts(&tally),
        [
            ("rows", 7),
            ("matched", 2),
            ("unchanged", 1),
            ("profiles updated", 1),
            ("linked by email", 1),
            ("created", 2),
            ("conflicts", 1),
            ("ignored", 1),
        ]
    );
    assert!(
        tally
            .report_lines()
            .iter()
            .skip(1)
            .all(|(_, _, m)| !m.is_empty()),
        "every count but the rows says what it means"
    );
    // Skipped rows are a line of their own; no ignored line without ignored rows.
    tally.ignored.clear();
    tally.skipped.add(crate::domain::skipped::SkippedRow {
        row: 8,
        external_id: "bot".into(),
        reason: "a bot".into(),
    });
    let lines = counts(&tally);
    assert_eq!(lines.last(), Some(&("skipped", 1)));
    assert!(!lines.iter().any(|(l, _)| *l == "ignored"), "{lines:?}");
}
