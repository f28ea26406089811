//! Importing from the app: the form, the dry run and its plan, the import itself, bad
//! files, all through the keys, checked in the store.

use crossterm::event::{KeyCode, KeyModifiers};

use super::Harness;
use crate::tui::state::{Body, ImportStage, Mode, Popup};

fn dialog(h: &Harness) -> (String, String, Vec<String>) {
    match &h.state.popup {
        Some(Popup::Dialog(d)) => match &d.body {
            Body::Text(t) | Body::Merge(_, t) => (
                d.title.clone(),
                t.join("\n"),
                d.buttons.iter().map(|b| b.label.clone()).collect(),
            ),
        },
        other => panic!("no dialog open: {other:?}"),
    }
}

/// `i`, the fields typed (Tab between them), Enter: the dry run runs.
fn import(h: &mut Harness, file: &str, system: &str) {
    h.fill_import_form(file, system);
    assert_eq!(h.state.mode(), Mode::Form);
    h.enter();
}

fn write(h: &Harness, name: &str, text: &str) -> String {
    let path = h.dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

const HUBSPOT_CSV: &str = "external_id,email,name\n\
    501,jane@acme.com,Jane D.\n\
    601,BOB@acme.com,Bob from HubSpot\n\
    602,new.person@acme.com,New Person\n\
    603,,Nameless Account\n";

#[test]
fn dry_run_then_import_through_the_keys() {
    let mut h = Harness::new(120, 35);
    let file = write(&h, "owners.csv", HUBSPOT_CSV);
    import(&mut h, &file, "hubspot");
    let (title, text, buttons) = dialog(&h);
    assert!(title.starts_with("Import "), "{title}");
    assert!(title.ends_with("into HubSpot?"), "{title}");
    assert!(text.contains("nothing has been written"), "{text}");
    for line in [
        "rows             4",
        "matched          1  found by external ID",
        "linked by email  1",
        "created          2  new profiles",
    ] {
        assert!(text.contains(line), "{line:?} in\n{text}");
    }
    assert!(text.contains("602"), "the plan lists the rows: {text}");
    assert_eq!(buttons, ["Cancel", "Import"]);
    assert!(
        h.status().contains("dry run wrote nothing"),
        "{}",
        h.status()
    );
    // Cancel is selected: Enter changes nothing.
    h.enter();
    assert!(h.status().contains("nothing was changed"));
    assert!(h.svc.resolve("hubspot:602").is_err());
    assert_eq!(h.state.import.as_ref().unwrap().stage, ImportStage::Over);
    // The form remembers the file and the system; y imports.
    h.keys("i");
    h.enter();
    h.keys("y");
    assert!(
        h.status().starts_with("Imported owners.csv into HubSpot: 4 rows; 2 new, 1 linked by email, 1 matched (0 unchanged), 1 profile updated."),
        "{}",
        h.status()
    );
    let new = h.svc.resolve("hubspot:602").unwrap();
    assert_eq!(h.svc.profile(new).unwrap().employee.name, "New Person");
    assert_eq!(h.svc.resolve("hubspot:601").unwrap(), 3, "Bob, by email");
    // The counts and the rows are read again.
    assert_eq!(h.state.counts.active, 7);
    h.keys("/new person");
    h.enter();
    assert_eq!(h.selected_name(), "New Person");
    assert!(h.state.progress.is_none());
}

#[test]
fn u_takes_the_latest_import_back() {
    let mut h = Harness::new(120, 35);
    let file = write(&h, "owners.csv", HUBSPOT_CSV);
    let before = h.state.counts;
    import(&mut h, &file, "hubspot");
    h.keys("y");
    assert!(h.svc.resolve("hubspot:602").is_ok());
    assert_ne!(h.state.counts, before);
    h.keys("u");
    let (_, text, _) = dialog(&h);
    assert!(text.contains("owners.csv from HubSpot: 4 rows"), "{text}");
    h.keys("y");
    assert!(h.status().starts_with("Undid: Imported "), "{}", h.status());
    // The profiles it created are gone, its links too, and the header is in step.
    assert!(h.svc.resolve("hubspot:602").is_err());
    assert!(h.svc.resolve("hubspot:601").is_err());
    assert_eq!(h.state.counts, before);
    assert!(h.svc.check(false).unwrap().is_empty());
}

#[test]
fn the_mass_create_safeguard_is_spelled_out_and_confirmed_in_the_dialog() {
    let mut h = Harness::new(120, 35);
    let mut csv = String::from("external_id,email,name\n");
    for i in 0..60 {
        csv.push_str(&format!("n{i},n{i}@new.example,New {i:02}\n"));
    }
    let file = write(&h, "many.csv", &csv);
    import(&mut h, &file, "hubspot");
    let (_, text, buttons) = dialog(&h);
    assert!(
        text.contains(
            "Warning: this import creates 60 new profiles, more than 20% of the 6 that exist"
        ),
        "{text}"
    );
    assert_eq!(buttons, ["Cancel", "Import, creating 60 profiles"]);
    assert!(text.contains("The plan, first 50 rows of 60:"), "{text}");
    h.keys("y");
    assert!(h.status().contains("60 new"), "{}", h.status());
    assert_eq!(h.state.counts.active, 65);
}

#[test]
fn a_bad_file_lists_its_problems_and_writes_nothing() {
    let mut h = Harness::new(120, 35);
    import(&mut h, "src/tui/tests/data/bad.csv", "hubspot");
    let (title, text, buttons) = dialog(&h);
    assert_eq!(title, "Nothing was imported");
    assert_eq!(buttons, ["Close"]);
    assert!(text.contains("has 3 problems"), "{text}");
    assert!(text.contains("row 2 (line 3)"), "{text}");
    assert!(text.contains("carl-at-acme.com"), "{text}");
    assert!(h.status().starts_with("Nothing was imported"));
    // y, which the footer offers, closes a notice as Enter does.
    h.keys("y");
    assert_eq!(h.state.mode(), Mode::Table);
    assert!(h.svc.resolve("hubspot:101").is_err());
    assert_eq!(h.state.counts.active, 5);
}

#[test]
fn a_missing_file_or_bad_fields_go_back_to_the_form() {
    let mut h = Harness::new(120, 35);
    // No system: refused in the form, which stays open.
    h.keys("i");
    h.keys("x.csv");
    h.enter();
    assert_eq!(h.state.mode(), Mode::Form);
    assert!(h.status().contains("Give the system"), "{}", h.status());
    h.press(KeyCode::Tab);
    h.keys("hubspot");
    h.press(KeyCode::Tab);
    h.keys("nosuch");
    h.enter();
    assert!(
        h.status().contains("There is no preset 'nosuch'"),
        "{}",
        h.status()
    );
    h.press_with(KeyCode::Char('u'), KeyModifiers::CONTROL);
    // The file does not exist: the dry run says so, and the form comes back filled.
    h.enter();
    assert_eq!(h.state.mode(), Mode::Form, "{}", h.status());
    assert!(h.status().contains("x.csv"), "{}", h.status());
    h.esc();
    assert_eq!(h.state.mode(), Mode::Table);
}

#[test]
fn other_changes_wait_while_an_import_is_applied() {
    let mut h = Harness::new(120, 35);
    let file = write(&h, "owners.csv", HUBSPOT_CSV);
    import(&mut h, &file, "hubspot");
    // Confirm, but do not let the app start the import yet.
    h.app
        .handle_key(crossterm::event::KeyEvent::from(KeyCode::Char('y')));
    assert!(h.state.import.as_ref().unwrap().applying());
    h.app
        .handle_key(crossterm::event::KeyEvent::from(KeyCode::Char('d')));
    h.app
        .handle_key(crossterm::event::KeyEvent::from(KeyCode::Char('y')));
    assert!(
        h.status().starts_with("An import is being applied"),
        "{}",
        h.status()
    );
    h.app.settle();
    assert!(h.status().starts_with("Imported "), "{}", h.status());
    assert_eq!(h.state.counts.deactivated, 0);
}

#[test]
fn errors_in_the_form_name_its_fields_not_the_command_line_options() {
    let mut h = Harness::new(120, 35);
    let file = write(&h, "owners.csv", HUBSPOT_CSV);
    h.fill_import_form(&file, "hubspot");
    // Preset, Format, then Columns.
    for _ in 0..3 {
        h.press(KeyCode::Tab);
    }
    h.keys("email");
    h.enter();
    assert_eq!(h.state.mode(), Mode::Form, "back to the form, to fix");
    let status = h.status();
    assert!(
        status.starts_with("Columns takes FIELD=COLUMN pairs"),
        "{status}"
    );
    assert!(!status.contains("--"), "{status}");
}

/// The plan lists the rows skipped as not people (issue 12), and says so when the
/// mapping gives no row an email or a name (issue 13).
#[test]
fn the_plan_lists_skipped_rows_and_a_mapping_without_names() {
    let mut h = Harness::new(120, 35);
    import(&mut h, "tests/fixtures/slack/users-list.json", "slack");
    let (_, text, _) = dialog(&h);
    assert!(text.contains("skipped          4  not people"), "{text}");
    assert!(
        text.contains("Skipped: Slack marks these accounts as not people"),
        "{text}"
    );
    assert!(
        text.contains("2 a guest (is_restricted): rows 6 (U04D5E6F7A8), 7 (U05E6F7A8B9)"),
        "{text}"
    );
    h.esc();
    h.fill_import_form("tests/fixtures/okta/users.json", "idp");
    for _ in 0..3 {
        h.press(KeyCode::Tab);
    }
    h.keys("external_id=id");
    h.enter();
    let (_, text, _) = dialog(&h);
    assert!(text.contains("Note: no row of"), "{text}");
    assert!(text.contains("has an email or a name"), "{text}");
}

/// The command line's `--preset` values and the app's import form come from the
/// table: a preset added here is offered everywhere.
#[test]
fn every_front_offers_the_presets_of_the_table() {
    use clap::CommandFactory;
    let cli = crate::cli::args::Cli::command();
    let import = cli.find_subcommand("import").unwrap();
    let preset = import
        .get_arguments()
        .find(|a| a.get_id() == "preset")
        .unwrap();
    let offered: Vec<String> = preset
        .get_possible_values()
        .iter()
        .map(|v| v.get_name().to_owned())
        .collect();
    assert_eq!(offered, crate::import::Preset::names());
    let mut state = crate::tui::state::State::new(100, 30, false);
    crate::tui::import::open_form(&mut state);
    let Some(crate::tui::state::Popup::Form(form)) = &state.popup else {
        panic!("no form")
    };
    let note = form.note.clone().unwrap_or_default();
    for d in crate::import::presets::TABLE {
        assert!(
            note.contains(d.key),
            "the import form does not offer {}",
            d.key
        );
    }
}
