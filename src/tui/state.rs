//! Everything the screen shows, and nothing else: `view` draws it, `update` changes it.

use tui_input::Input;

use super::action::Action;
use super::connection::choice::{Change, Menu};
use super::form::Form;
use super::keymap::{Fallback, Scope};
use super::table::rows::Rows;
use crate::domain::audit::Entry;
use crate::domain::listing::{Counts, Found, SORT_LIMIT, SortBy, SortKey, Tab, View};
use crate::domain::model::{BlockInfo, Profile};
use crate::domain::search::{Filter, parse_filter};
use crate::service::import::ImportRequest;
use crate::service::{Here, MergePreview};

/// The layout's fixed lines: the tab header, the table's borders and header row, the
/// status line and the footer.
const CHROME_ROWS: u16 = 6;

/// At this width and above the edit pane sits beside the table; below, it fills the screen.
pub const SIDE_BY_SIDE_WIDTH: u16 = 110;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Table,
    Filter,
    Pick,
    Pane,
    Form,
    Menu,
    Dialog,
    Reader,
    /// The review inbox (`tui::review`), and one item of it.
    Review,
    ReviewItem,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Info,
    Success,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusLine {
    pub text: String,
    pub tone: Tone,
}

#[derive(Debug, Clone, Default)]
pub struct FilterState {
    pub input: Input,
    /// The filter line has the keyboard.
    pub editing: bool,
    /// The system keys `supplier:` and `managed:` may name (the store's, read when the
    /// filter line opens).
    pub systems: Vec<String>,
}

impl FilterState {
    pub fn text(&self) -> Option<String> {
        let t = self.input.value().trim();
        (!t.is_empty()).then(|| t.to_owned())
    }

    /// The filter's typed words and search text; an unknown typed value is the
    /// sentence that lists the known ones.
    pub fn parsed(&self) -> Result<Filter, String> {
        parse_filter(self.input.value(), &self.systems)
    }
}

/// The edit pane of one employee.
#[derive(Debug, Clone)]
pub struct Pane {
    pub profile: Profile,
    /// The selected connection.
    pub cursor: usize,
    /// The fields being edited (`e`).
    pub form: Option<Form>,
    /// The accounts blocked from this profile, who placed each and when.
    pub blocks: Vec<BlockInfo>,
    /// The import that created the profile, when one did (where a pending profile
    /// came from).
    pub origin: Option<crate::service::imports::ImportRun>,
}

impl Pane {
    pub fn new(profile: Profile) -> Pane {
        Pane {
            profile,
            cursor: 0,
            form: None,
            blocks: Vec::new(),
            origin: None,
        }
    }

    pub fn id(&self) -> i64 {
        self.profile.employee.id
    }

    pub fn selected(&self) -> Option<&crate::domain::model::Connection> {
        self.profile.connections.get(self.cursor)
    }
}

/// Merge, first step: the profile kept is chosen; the table picks the one to fold in.
#[derive(Debug, Clone)]
pub struct Pick {
    pub keep: Profile,
}

/// A change waiting for its confirmation, with the versions the user saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Intent {
    /// A change to one connection (`connection.rs`).
    Connection(Change),
    Merge {
        keep: (i64, i64),
        other: (i64, i64),
    },
    Activate {
        id: i64,
        version: i64,
    },
    Deactivate {
        id: i64,
        version: i64,
    },
    Discard {
        id: i64,
        version: i64,
    },
    Undo {
        audit_id: i64,
    },
    /// The same status change for each marked profile (id, version seen), each its own
    /// audited, undoable action.
    Marked {
        change: crate::domain::actions::StatusChange,
        targets: Vec<(i64, i64)>,
    },
    /// A new employee whose email another profile holds, confirmed.
    New(crate::domain::actions::NewEmployee),
    /// Undo of an entry chosen in the audit log (not necessarily the most recent).
    UndoEntry {
        audit_id: i64,
    },
    Unblock {
        id: i64,
        version: i64,
        system: String,
        external_id: String,
    },
    /// Apply the import whose dry run the dialog shows (`State::import`); `mass`: the
    /// user confirmed the mass-create safeguard.
    Import {
        mass: bool,
    },
    /// Resolve a review item as the admin saw it (`tui::review`).
    Review(Box<crate::tui::review::Decision>),
}

impl From<Change> for Intent {
    fn from(change: Change) -> Intent {
        Intent::Connection(change)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Button {
    pub label: String,
    pub press: Press,
    /// The dialog action that presses it besides Enter (Confirm for the confirming
    /// button, MoveInstead for Move); its key comes from the key table.
    pub action: Option<Action>,
}

/// What pressing a dialog button does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Press {
    /// Backs out of the action the dialog asked about.
    Cancel,
    /// Closes a notice; there was nothing to decide.
    Close,
    Do(Intent),
}

impl Button {
    pub fn cancel() -> Button {
        Button {
            label: "Cancel".into(),
            press: Press::Cancel,
            action: Some(Action::Cancel),
        }
    }

    /// The button that does `intent`, pressed by `action`'s key too.
    pub fn doing(label: impl Into<String>, intent: impl Into<Intent>, action: Action) -> Button {
        Button {
            label: label.into(),
            press: Press::Do(intent.into()),
            action: Some(action),
        }
    }
}

#[derive(Debug, Clone)]
pub enum Body {
    /// Paragraphs.
    Text(Vec<String>),
    /// The merge preview: keep, other, result side by side, then paragraphs.
    Merge(Box<MergePreview>, Vec<String>),
}

#[derive(Debug, Clone)]
pub struct Dialog {
    pub title: String,
    pub body: Body,
    pub buttons: Vec<Button>,
    /// Starts on Cancel.
    pub selected: usize,
    pub scroll: u16,
}

impl Dialog {
    /// How far the text may scroll: its lines as wrapped in a narrow dialog (the view
    /// stops at the real last line; this keeps `k` working at once after many `j`).
    pub fn max_scroll(&self) -> u16 {
        let texts = match &self.body {
            Body::Text(t) | Body::Merge(_, t) => t,
        };
        let lines: usize = texts
            .iter()
            .map(|t| {
                1 + t
                    .split('\n')
                    .map(|l| crate::tui::text::wrap(l, 60).len())
                    .sum::<usize>()
            })
            .sum();
        lines.min(u16::MAX as usize) as u16
    }

    /// A confirmation: Cancel (selected) and one button that does `intent`.
    pub fn confirm(
        title: impl Into<String>,
        body: Vec<String>,
        label: &str,
        intent: impl Into<Intent>,
    ) -> Dialog {
        Dialog::with_buttons(
            title,
            Body::Text(body),
            vec![
                Button::cancel(),
                Button::doing(label, intent, Action::Confirm),
            ],
        )
    }

    /// Something to read, with Close.
    pub fn notice(title: impl Into<String>, body: Vec<String>) -> Dialog {
        let close = Button {
            label: "Close".into(),
            press: Press::Close,
            action: Some(Action::Cancel),
        };
        Dialog::with_buttons(title, Body::Text(body), vec![close])
    }

    /// The first button is selected (Cancel, where there is one).
    pub fn with_buttons(title: impl Into<String>, body: Body, buttons: Vec<Button>) -> Dialog {
        Dialog {
            title: title.into(),
            body,
            buttons,
            selected: 0,
            scroll: 0,
        }
    }
}

#[derive(Debug, Clone)]
pub struct History {
    pub title: String,
    pub entries: Vec<Entry>,
    pub scroll: u16,
    /// The audit log (`L`): an entry is selected, and can be undone.
    pub selected: Option<usize>,
}

#[derive(Debug, Clone)]
pub enum Popup {
    Menu(Menu),
    Dialog(Dialog),
    Form(Form),
    History(History),
    /// The last status messages, in full, newest first; the scroll offset.
    Messages(u16),
}

/// How many status messages the message history keeps.
pub const MESSAGES_KEPT: usize = 50;

#[derive(Debug, Clone)]
pub struct State {
    pub width: u16,
    pub height: u16,
    /// False under NO_COLOR: reverse and bold instead of colours.
    pub color: bool,
    pub tab: Tab,
    /// The tab counts; None until first read.
    pub counts_known: bool,
    pub counts: Counts,
    pub filter: FilterState,
    /// The tab counts are to be read again.
    pub counts_dirty: bool,
    /// The column `s` chose to sort by (a tab too big for it is read by name).
    pub sort: SortBy,
    /// While a filter is on: how many rows of each tab it lets through (`None` while
    /// they are counted, on the worker), for the header.
    pub matches: Option<Counts>,
    /// The filter those counts are of (its tab set to All: they do not depend on it).
    pub matches_for: Option<View>,
    /// A row whose position is to be counted (after a cleared filter or a jump), in
    /// the view it was placed in: on the worker, as the position may be deep.
    pub rank_wanted: Option<(View, SortKey)>,
    /// The rows of the view held, and the reads that bring more (see `search.rs`).
    pub rows: Rows,
    pub pane: Option<Pane>,
    pub pick: Option<Pick>,
    pub popup: Option<Popup>,
    /// The help screen, with its scroll offset.
    pub help: Option<u16>,
    pub status: Option<StatusLine>,
    pub quit: bool,
    /// Ctrl-L: clear the terminal before the next frame.
    pub clear: bool,
    /// The store's data version when the rows were last read.
    pub data_version: i64,
    /// The hidden panic key is enabled (reliability tests).
    pub debug_panic: bool,
    /// The app has the mouse (`--mouse`); the help screen says so.
    pub mouse: bool,
    /// An import running in the app: its progress line.
    pub progress: Option<String>,
    /// The import being planned or applied in the app, as last asked.
    pub import: Option<ImportFlow>,
    /// Why this user may not change the store ("read-only: …"): the header says so and
    /// every change is refused with it.
    pub read_only: Option<String>,
    /// Who has the store open in the app (this session's user and the others), when
    /// this session told the others it is here.
    pub here: Option<Here>,
    /// The review inbox: its count for the header, its view when open, its rescan.
    pub inbox: crate::tui::review::Inbox,
    /// The last status messages (at most `MESSAGES_KEPT`), oldest first.
    pub messages: std::collections::VecDeque<StatusLine>,
    /// A value to copy to the terminal's clipboard (OSC 52) with the next frame.
    pub clipboard: Option<String>,
    /// The rows marked with Space, by id, as they were when marked.
    pub marks: std::collections::BTreeMap<i64, crate::domain::listing::ListRow>,
    /// The table shows an ID column (`I`).
    pub show_ids: bool,
    /// The profiles each import created (id ranges), for the Pending tab's origin.
    pub created_spans: Vec<crate::service::imports::CreatedSpan>,
}

/// An import started from the app (`i`): its request, and where it is.
#[derive(Debug, Clone)]
pub struct ImportFlow {
    pub request: ImportRequest,
    pub stage: ImportStage,
    /// A pull (`p`) from this source of roster.toml, not a file.
    pub source: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportStage {
    /// Asked for; the app starts it on a thread of its own when the keyboard is idle.
    Asked,
    /// Running on its thread (a dry run, or the import itself).
    Running,
    /// The dry run's plan is shown; the import waits for the user's word.
    Planned,
    /// Done, failed or cancelled: the form starts from this request next time.
    Over,
}

impl ImportFlow {
    /// The import itself (not its dry run) is asked for or running: the app refuses
    /// other changes meanwhile.
    pub fn applying(&self) -> bool {
        !self.request.dry_run && matches!(self.stage, ImportStage::Asked | ImportStage::Running)
    }

    pub fn busy(&self) -> bool {
        matches!(self.stage, ImportStage::Asked | ImportStage::Running)
    }
}

impl State {
    pub fn new(width: u16, height: u16, color: bool) -> State {
        State {
            width,
            height,
            color,
            tab: Tab::Active,
            counts_known: false,
            counts: Counts::default(),
            filter: FilterState::default(),
            counts_dirty: false,
            sort: SortBy::Name,
            matches: None,
            matches_for: None,
            rank_wanted: None,
            rows: Rows::default(),
            pane: None,
            pick: None,
            popup: None,
            help: None,
            status: None,
            quit: false,
            clear: false,
            data_version: 0,
            debug_panic: false,
            mouse: false,
            progress: None,
            import: None,
            read_only: None,
            here: None,
            inbox: Default::default(),
            messages: std::collections::VecDeque::new(),
            clipboard: None,
            marks: Default::default(),
            show_ids: false,
            created_spans: Vec::new(),
        }
    }

    pub fn view(&self) -> View {
        let sort = self.sort_of(self.tab);
        match self.filter.parsed() {
            Ok(f) => View {
                tab: self.tab,
                supplier: f.supplier,
                text: f.text,
                narrow: f.narrow,
                sort,
            },
            // A typed word with an unknown value: the text as typed, which no row holds
            // (the table says why).
            Err(_) => View {
                text: self.filter.text(),
                sort,
                ..View::tab(self.tab)
            },
        }
    }

    /// The order `tab` is read in: the chosen column's when the tab is small enough
    /// for it (`SORT_LIMIT`), else by name.
    pub fn sort_of(&self, tab: Tab) -> SortBy {
        if self.sort == SortBy::Name || self.counts_known && self.counts.of(tab) <= SORT_LIMIT {
            self.sort
        } else {
            SortBy::Name
        }
    }

    /// A filtered (or sorted by a column other than the name) view is on screen: its
    /// rows come from scans.
    pub fn filtered(&self) -> bool {
        self.view().filtered()
    }

    /// The filter whose match counts are to be asked for now, if any: a new filter, or
    /// the same `again` after a change. Without a filter the counts go.
    pub fn matches_to_ask(&mut self, again: bool) -> Option<View> {
        let view = self.view();
        if self.filter.text().is_none() {
            self.matches = None;
            self.matches_for = None;
            return None;
        }
        let view = view.on(Tab::All);
        if !again && self.matches_for.as_ref() == Some(&view) {
            return None;
        }
        self.matches = None;
        self.matches_for = Some(view.clone());
        Some(view)
    }

    /// Counts are wanted that the worker was not asked for yet.
    pub fn counts_waiting(&self) -> bool {
        self.counts_dirty
            || self.rank_wanted.is_some()
            || (self.filter.text().is_some() && self.matches_for != Some(self.view().on(Tab::All)))
    }

    /// Takes in the match counts of `view` (those of an older filter are dropped).
    pub fn take_matches(&mut self, view: &View, counts: Counts) {
        if self.matches_for.as_ref() == Some(view) {
            self.matches = Some(counts);
        }
    }

    /// Takes in the position of the row `key` placed in `view`: the rows held are
    /// numbered from it, when they still hold it in that view.
    pub fn take_rank(&mut self, view: &View, key: &SortKey, before: Option<u64>) {
        if self.view() != *view {
            return;
        }
        let list = &mut self.rows.list;
        if let (Some(before), Some(i)) = (before, list.rows.iter().position(|r| r.id == key.id)) {
            list.first_pos = before.checked_sub(i as u64);
        }
    }

    /// Asks for more rows when fewer than a screen are held beyond the screen.
    pub fn want_rows(&mut self) {
        let (view, height) = (self.view(), self.table_height());
        self.rows.want_rows(&view, height);
    }

    /// The first rows of the filtered view are to be scanned for.
    pub fn scan_first(&mut self) {
        let (view, height) = (self.view(), self.table_height());
        self.rows.scan_first(&view, height);
    }

    /// A scan is running and the screen waits for it.
    pub fn searching(&self) -> bool {
        self.rows.searching(self.table_height())
    }

    /// Takes in one step's finds for the scan `id`.
    pub fn take_found(&mut self, id: u64, found: Found) {
        let (view, height) = (self.view(), self.table_height());
        self.rows.take_found(id, found, &view, height);
    }

    /// Data rows the table shows at the current size.
    pub fn table_height(&self) -> usize {
        self.height.saturating_sub(CHROME_ROWS).max(1) as usize
    }

    /// The pane beside the table (wide terminals) or over it (narrow ones).
    pub fn side_by_side(&self) -> bool {
        self.width >= SIDE_BY_SIDE_WIDTH
    }

    pub fn mode(&self) -> Mode {
        if self.help.is_some() {
            return Mode::Reader;
        }
        match &self.popup {
            Some(Popup::Menu(_)) => return Mode::Menu,
            Some(Popup::Dialog(_)) => return Mode::Dialog,
            Some(Popup::Form(_)) => return Mode::Form,
            Some(Popup::History(_) | Popup::Messages(_)) => return Mode::Reader,
            None => {}
        }
        if let Some(view) = &self.inbox.view {
            return if view.detail.is_some() {
                Mode::ReviewItem
            } else {
                Mode::Review
            };
        }
        if let Some(pane) = &self.pane {
            return if pane.form.is_some() {
                Mode::Form
            } else {
                Mode::Pane
            };
        }
        if self.filter.editing {
            Mode::Filter
        } else if self.pick.is_some() {
            Mode::Pick
        } else {
            Mode::Table
        }
    }

    /// The scopes that resolve keys in the current mode, in footer order.
    pub fn chain(&self) -> &'static [Scope] {
        match self.mode() {
            Mode::Table => &[Scope::Nav, Scope::Table, Scope::App, Scope::Always],
            Mode::Pick => &[Scope::Nav, Scope::Pick, Scope::App, Scope::Always],
            Mode::Filter => &[Scope::Filter, Scope::Always],
            Mode::Pane => &[Scope::Pane, Scope::App, Scope::Always],
            Mode::Form => &[Scope::Form, Scope::Always],
            Mode::Menu => &[Scope::Menu, Scope::Always],
            Mode::Dialog => &[Scope::Dialog, Scope::Always],
            Mode::Reader => &[Scope::Reader, Scope::Always],
            Mode::Review => &[Scope::Review, Scope::App, Scope::Always],
            Mode::ReviewItem => &[Scope::ReviewItem, Scope::Always],
        }
    }

    pub fn fallback(&self) -> Fallback {
        match self.mode() {
            Mode::Filter | Mode::Form => Fallback::Type,
            Mode::Menu | Mode::ReviewItem => Fallback::Hotkey,
            _ => Fallback::None,
        }
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.say(text.into(), Tone::Info);
    }

    pub fn success(&mut self, text: impl Into<String>) {
        self.say(text.into(), Tone::Success);
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.say(text.into(), Tone::Error);
    }

    /// The status line, kept in the message history too (a long one is cut on screen).
    fn say(&mut self, text: String, tone: Tone) {
        let line = StatusLine { text, tone };
        if self.messages.back() != Some(&line) {
            if self.messages.len() == MESSAGES_KEPT {
                self.messages.pop_front();
            }
            self.messages.push_back(line.clone());
        }
        self.status = Some(line);
    }
}
