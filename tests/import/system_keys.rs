//! A mistyped system key is not a new system (README "Importing"): a key that is neither
//! one roster knows nor one the store holds, within two edits of one of those, is
//! refused (exit 2, nothing written) naming the close one, unless `--new-system`.

use crate::common::Env;

fn owners(env: &Env) -> std::path::PathBuf {
    env.file(
        "owners.csv",
        "external_id,email,name\n101,ann@acme.io,Ann Lee\n102,bo@acme.io,Bo Chan\n",
    )
}

#[test]
fn a_key_two_edits_from_a_known_system_is_refused_naming_it() {
    let env = Env::new();
    env.ok(&["list"]);
    let before = env.tables();
    let file = owners(&env);
    for (typed, meant) in [
        ("hubsopt", "hubspot"),
        ("salesforse", "salesforce"),
        ("pipedrve", "pipedrive"),
        ("zendsk", "zendesk"),
    ] {
        for extra in [&[][..], &["--dry-run"][..]] {
            let mut args = vec!["import", Env::path_str(&file), "--system", typed];
            args.extend_from_slice(extra);
            let err = env.fails(&args, 2);
            assert!(err.contains(&format!("'{typed}'")), "{err}");
            assert!(
                err.contains(&format!(
                    "If you meant {meant}, import again with --system {meant}"
                )),
                "{err}"
            );
            assert!(err.contains("add --new-system"), "{err}");
            assert_eq!(err.lines().count(), 1, "one sentence: {err}");
        }
    }
    let err = env.fails(&["import", Env::path_str(&file), "--system", "hubsopt"], 2);
    assert!(err.contains("it is 1 edit from hubspot (HubSpot)"), "{err}");
    before.assert_same(&env.tables(), "a refused system key");
}

#[test]
fn new_system_says_the_key_is_meant_and_then_the_store_holds_it() {
    let env = Env::new();
    let file = owners(&env);
    let r = env.import(&file, "hubsopt", &["--new-system"]);
    assert_eq!(r["created"], 2, "{r}");
    assert_eq!(r["system"], "hubsopt");
    // Now the store holds it: no flag needed again.
    let again = env.import(&file, "hubsopt", &[]);
    assert_eq!(again["unchanged"], 2, "{again}");
}

#[test]
fn a_key_close_to_one_the_store_holds_is_refused_too() {
    let env = Env::new();
    let file = owners(&env);
    // Far from every system roster knows: no flag needed.
    env.import(&file, "workday", &[]);
    let before = env.tables();
    let err = env.fails(&["import", Env::path_str(&file), "--system", "wrokday"], 2);
    assert!(err.contains("If you meant workday"), "{err}");
    before.assert_same(&env.tables(), "a key close to one the store holds");
    // A key the store holds is never taken for a mistype of another.
    env.import(&file, "workday", &[]);
    // Keys three edits or more from every system, and the known ones, go through.
    env.import(&file, "bamboohr", &[]);
    env.import(&file, "podio", &[]);
}

/// The app asks through the same service: its form offers roster's systems, and its
/// New system switch is the command line's `--new-system`.
#[test]
fn the_app_form_offers_the_known_systems_and_a_new_system_switch() {
    use roster::service::{Service, actor};
    use roster::tui::form::{FieldId, FormField};
    let env = Env::new();
    let file = owners(&env);
    let mut state = roster::tui::state::State::new(100, 30, false);
    roster::tui::import::open_form(&mut state);
    let Some(roster::tui::state::Popup::Form(form)) = &mut state.popup else {
        panic!("no form")
    };
    let note = form.note.clone().unwrap_or_default();
    for key in roster::service::systems::known() {
        assert!(note.contains(key), "the form does not offer {key}: {note}");
    }
    assert!(!form.on(FieldId::NewSystem), "off when the form opens");
    for f in form.fields.iter_mut() {
        match f.id {
            FieldId::File => *f = FormField::text(FieldId::File, Env::path_str(&file)),
            FieldId::System => *f = FormField::text(FieldId::System, "hubsopt"),
            _ => {}
        }
    }
    let db = env.path("app.db");
    let mut svc = Service::new(
        roster::store::Store::open(&db).unwrap(),
        actor::current(Some("tester")),
    );
    let req = roster::tui::import::request(form).unwrap();
    let err = svc.import(&req, &mut |_| {}).unwrap_err().to_string();
    assert!(
        err.contains("If you meant hubspot, make the System hubspot")
            && err.contains("turn on New system"),
        "{err}"
    );
    for f in form.fields.iter_mut() {
        if f.id == FieldId::NewSystem {
            *f = FormField::toggle(FieldId::NewSystem, true);
        }
    }
    let req = roster::tui::import::request(form).unwrap();
    assert!(req.new_system && req.dry_run);
    let report = svc.import(&req, &mut |_| {}).unwrap();
    assert_eq!(report.tally.created, 2);
}
