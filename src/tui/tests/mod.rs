//! Tests of the app without a terminal: actions against the state (like atuin's), and
//! snapshots of whole screens drawn on ratatui's `TestBackend`.

mod admin_day;
mod details;
mod finding;
mod imports;
mod mouse;
mod pulls;
mod readme;
mod scans;
mod screens;
mod states;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tempfile::TempDir;

use super::action::Action;
use super::app::App;
use super::update::start;
use super::view::view;
use crate::domain::actions::{ManualConnection, NewEmployee};
use crate::domain::audit::Actor;
use crate::service::Service;
use crate::store::Store;

pub fn actor() -> Actor {
    Actor {
        name: "admin".into(),
        os_user: "admin".into(),
        ssh_client: None,
    }
}

pub struct Harness {
    pub dir: TempDir,
    pub app: App,
}

impl std::ops::Deref for Harness {
    type Target = App;
    fn deref(&self) -> &App {
        &self.app
    }
}

impl std::ops::DerefMut for Harness {
    fn deref_mut(&mut self) -> &mut App {
        &mut self.app
    }
}

fn conn(system: &str, id: &str, email: &str, name: Option<&str>) -> ManualConnection {
    ManualConnection {
        system: system.into(),
        external_id: id.into(),
        email: Some(email.into()),
        name: name.map(str::to_owned),
    }
}
/// The store the tests start from:
/// 1 Jane Doe, managed by HubSpot 501, also Salesforce 0055000000AbCdEAAZ;
/// 2 山田 太郎 with Pipedrive 77; 3 Bob 🎉 Party; 4 a name full of escape sequences;
/// 5 Jane Doe (a second profile, HubSpot 502); 6 Pat Pending (pending).
pub fn fill(svc: &mut Service) {
    let new = |svc: &mut Service, name: &str, email: &str, login: bool| {
        svc.new_employee(&NewEmployee {
            name: name.into(),
            email: Some(email.into()),
            login_access: login,
        })
        .unwrap()
        .0
    };
    let jane = new(svc, "Jane Doe", "jane@acme.com", true);
    svc.connect(
        jane,
        &conn("hubspot", "501", "jane@acme.com", Some("Jane D.")),
        None,
    )
    .unwrap();
    svc.connect(
        jane,
        &conn(
            "salesforce",
            "0055000000AbCdEAAZ",
            "jane.doe@acme.com",
            Some("Jane Doe"),
        ),
        None,
    )
    .unwrap();
    let key = svc.connection_key(jane, "hubspot", None).unwrap();
    svc.manage(jane, &key, None).unwrap();
    let yamada = new(svc, "山田 太郎", "yamada@acme.jp", false);
    svc.connect(
        yamada,
        &conn("pipedrive", "77", "yamada@acme.jp", None),
        None,
    )
    .unwrap();
    new(svc, "Bob 🎉 Party", "bob@acme.com", false);
    new(
        svc,
        "Evil\u{1b}[2J\u{1b}]0;pwned\u{7} Name\u{202e}",
        "evil@x.com",
        false,
    );
    let jane2 = new(svc, "Jane Doe", "jane.d@acme.com", false);
    svc.connect(
        jane2,
        &conn("hubspot", "502", "jane.d@acme.com", None),
        None,
    )
    .unwrap();
    let pat = new(svc, "Pat Pending", "pat@acme.com", false);
    // Pending profiles come from imports under manual review; set one directly.
    let db = svc.store().conn();
    db.execute(
        "UPDATE employees SET status = 'pending' WHERE id = ?1",
        [pat],
    )
    .unwrap();
    // Fixed timestamps, so screens are the same on every run.
    db.execute_batch(
        "UPDATE connections SET created_at = '2024-05-01T09:30:00.000Z', created_by = 'admin';
         UPDATE employees SET created_at = '2024-05-01T09:30:00.000Z', updated_at = '2024-05-01T09:30:00.000Z';",
    )
    .unwrap();
    // The direct edits above bypass the store's bookkeeping: recompute the tab counts.
    crate::store::check::fix_derived(db).unwrap();
}

impl Harness {
    /// A filled store, the app started at `width` × `height`, in colour.
    pub fn new(width: u16, height: u16) -> Harness {
        let mut h = Harness::empty(width, height);
        fill(&mut h.app.svc);
        h.start();
        h
    }

    /// The app without a worker: every read is done by `settle` on this thread.
    pub fn empty(width: u16, height: u16) -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("roster.db")).unwrap();
        let svc = Service::new(store, actor());
        let mut app = App::inline(svc, width, height);
        app.state.color = true;
        Harness { dir, app }
    }

    /// Another session on the same database (another admin, an import).
    pub fn other_session(&self) -> Service {
        let store = Store::open(&self.dir.path().join("roster.db")).unwrap();
        Service::new(store, actor())
    }

    /// The first screen, with the reads put off done.
    pub fn start(&mut self) {
        start(&mut self.app.state, &mut self.app.svc);
        self.app.settle();
    }

    pub fn act(&mut self, action: Action) {
        self.app.act(action);
        self.app.settle();
    }

    /// Presses a key through the key table, as the terminal would deliver it.
    pub fn press(&mut self, code: KeyCode) {
        let mods = match code {
            KeyCode::Char(c) if c.is_ascii_uppercase() => KeyModifiers::SHIFT,
            KeyCode::BackTab => KeyModifiers::SHIFT,
            _ => KeyModifiers::NONE,
        };
        self.press_with(code, mods);
    }

    pub fn press_with(&mut self, code: KeyCode, mods: KeyModifiers) {
        self.app.handle_key(KeyEvent::new(code, mods));
        self.app.settle();
    }

    /// Presses each character as a key.
    pub fn keys(&mut self, text: &str) {
        for c in text.chars() {
            self.press(KeyCode::Char(c));
        }
    }

    /// `i`, then the file and the system typed into the import form (each field cleared
    /// first: the form offers the last import's).
    pub fn fill_import_form(&mut self, file: &str, system: &str) {
        self.keys("i");
        self.press_with(KeyCode::Char('u'), KeyModifiers::CONTROL);
        self.keys(file);
        self.press(KeyCode::Tab);
        self.press_with(KeyCode::Char('u'), KeyModifiers::CONTROL);
        self.keys(system);
    }

    pub fn enter(&mut self) {
        self.press(KeyCode::Enter);
    }

    pub fn esc(&mut self) {
        self.press(KeyCode::Esc);
    }

    pub fn selected_name(&self) -> String {
        self.state
            .rows
            .list
            .selected()
            .map(|r| r.name.clone())
            .unwrap_or_default()
    }

    /// Moves the table's selection to the first row named `name`.
    pub fn select(&mut self, name: &str) {
        self.keys("g");
        for _ in 0..100 {
            if self.selected_name() == name {
                return;
            }
            self.keys("j");
        }
        panic!("no row named {name}");
    }

    /// The screen as text.
    pub fn screen(&self) -> String {
        let mut term =
            Terminal::new(TestBackend::new(self.state.width, self.state.height)).unwrap();
        term.draw(|f| view(&self.state, f)).unwrap();
        normalize_times(&term.backend().to_string())
    }

    pub fn terminal(&self) -> Terminal<TestBackend> {
        let mut term =
            Terminal::new(TestBackend::new(self.state.width, self.state.height)).unwrap();
        term.draw(|f| view(&self.state, f)).unwrap();
        term
    }

    /// The open dialog's paragraphs, one a line (a test fails when none is open).
    pub fn dialog_text(&self) -> String {
        match &self.state.popup {
            Some(crate::tui::state::Popup::Dialog(d)) => match &d.body {
                crate::tui::state::Body::Text(t) | crate::tui::state::Body::Merge(_, t) => {
                    t.join("\n")
                }
            },
            other => panic!("no dialog open: {other:?}"),
        }
    }

    pub fn status(&self) -> String {
        self.state
            .status
            .as_ref()
            .map(|s| s.text.clone())
            .unwrap_or_default()
    }
}

/// Replaces "2024-05-01 09:30"-shaped times, which the actions stamp with the clock.
pub fn normalize_times(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let shape = "dddd-dd-dd dd:dd";
    let pat: Vec<char> = shape.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let fits = i + pat.len() <= chars.len()
            && pat.iter().zip(&chars[i..]).all(|(p, c)| match p {
                'd' => c.is_ascii_digit(),
                p => p == c,
            });
        let fixed =
            fits && chars[i..i + pat.len()].iter().collect::<String>() == "2024-05-01 09:30";
        if fits && !fixed {
            out.push_str("YYYY-MM-DD hh:mm");
            i += pat.len();
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}
