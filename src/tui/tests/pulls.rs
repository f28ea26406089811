//! Pulling from the app (`p`): the source named in a form, the dry run's plan, the pull
//! once confirmed; against the pull tests' stub of HubSpot on 127.0.0.1.

use std::os::unix::fs::PermissionsExt;

use super::Harness;
use crate::config::SourceConfig;
use crate::tui::state::{ImportStage, Popup};

#[path = "../../../tests/pull/stub.rs"]
mod stub;

const OWNERS: &str = r#"{"results":[{"id":"41629001","email":"ann@acme.example","type":"PERSON","firstName":"Ann","lastName":"Lee","userId":9586001,"userIdIncludingInactive":9586001,"createdAt":"2019-12-25T13:01:35.228Z","updatedAt":"2023-08-22T13:40:26.790Z","archived":false,"teams":[]},{"id":"41629002","email":"bob@acme.com","type":"PERSON","firstName":"Bob","lastName":"B.","userId":9586002,"userIdIncludingInactive":9586002,"createdAt":"2019-12-25T13:01:35.228Z","updatedAt":"2023-08-22T13:40:26.790Z","archived":false,"teams":[]}]}"#;

fn hubspot() -> stub::Stub {
    stub::Stub::start(|req| {
        if req.param("archived") == Some("true") {
            stub::Reply::json(200, r#"{"results":[]}"#)
        } else {
            stub::Reply::json(200, OWNERS)
        }
    })
}

fn configure(h: &mut Harness, url: &str) {
    let token = h.dir.path().join("hubspot.token");
    std::fs::write(&token, "pat-na1-app-test\n").unwrap();
    std::fs::set_permissions(&token, std::fs::Permissions::from_mode(0o600)).unwrap();
    let source = SourceConfig {
        base_url: Some(url.to_owned()),
        token_file: Some(token),
        ..SourceConfig::default()
    };
    h.app
        .svc
        .set_sources([("hubspot".to_owned(), source)].into());
}

fn dialog_text(h: &Harness) -> (String, String) {
    match &h.state.popup {
        Some(Popup::Dialog(d)) => (d.title.clone(), h.dialog_text()),
        other => panic!("no dialog open: {other:?}"),
    }
}

#[test]
fn p_asks_for_the_source_shows_the_plan_and_pulls_once_confirmed() {
    let stub = hubspot();
    let mut h = Harness::new(120, 35);
    configure(&mut h, &stub.url());
    h.keys("p");
    h.enter();
    let (title, text) = dialog_text(&h);
    assert_eq!(title, "Pull the source hubspot into HubSpot?");
    assert!(
        text.contains("/crm/v3/owners: nothing has been written"),
        "{text}"
    );
    assert!(text.contains("This is what the pull will do"), "{text}");
    assert!(text.contains("created          1  new profiles"), "{text}");
    assert!(text.contains("linked by email  1"), "{text}");
    assert!(
        h.svc.resolve("hubspot:41629001").is_err(),
        "the dry run wrote nothing"
    );
    h.keys("y");
    assert!(
        h.status().starts_with(
            "Pulled the source hubspot (HubSpot): 2 accounts; 1 new, 1 linked by email."
        ),
        "{}",
        h.status()
    );
    let ann = h.svc.resolve("hubspot:41629001").unwrap();
    assert_eq!(h.svc.profile(ann).unwrap().employee.name, "Ann Lee");
    assert_eq!(h.state.import.as_ref().unwrap().stage, ImportStage::Over);
    // Four requests: the dry run's two pages, then the pull's.
    assert_eq!(stub.requests().len(), 4);
}

#[test]
fn p_without_sources_or_with_an_unknown_one_says_so() {
    let mut h = Harness::new(120, 35);
    h.keys("p");
    assert!(
        h.status().contains("No source to pull from"),
        "{}",
        h.status()
    );
    assert!(h.state.popup.is_none());
    let stub = hubspot();
    configure(&mut h, &stub.url());
    h.keys("p");
    h.press_with(
        crossterm::event::KeyCode::Char('u'),
        crossterm::event::KeyModifiers::CONTROL,
    );
    h.keys("salesforce");
    h.enter();
    assert!(
        h.status()
            .contains("No source salesforce is configured; roster.toml has hubspot."),
        "{}",
        h.status()
    );
    assert!(stub.requests().is_empty());
}
