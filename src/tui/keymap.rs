//! The key table: every binding of the app, once. Key resolution, the footer hints and the
//! `?` help screen are all generated from `BINDINGS`, so they cannot drift apart.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::action::Action;

/// Where a binding applies. The current mode resolves keys through a chain of scopes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Anywhere, also while typing.
    Always,
    /// Wherever no text is being typed and no popup is open.
    App,
    /// Moving in the employees table, switching tabs, filtering.
    Nav,
    /// The employees table.
    Table,
    /// Picking the profile to fold in, during a merge.
    Pick,
    /// Typing a filter.
    Filter,
    /// The edit pane.
    Pane,
    /// The review inbox's list of open items.
    Review,
    /// One review item: its account, its candidates and the resolutions.
    ReviewItem,
    /// A menu.
    Menu,
    /// A dialog (confirmations, the merge preview, the import plan).
    Dialog,
    /// A form (edit fields, new employee, connect, import).
    Form,
    /// A list to read: the profile history, this help.
    Reader,
}

impl Scope {
    pub fn title(self) -> &'static str {
        match self {
            Scope::Always => "Anywhere",
            Scope::App => "Outside text fields and popups",
            Scope::Nav => "Moving in the table",
            Scope::Table => "Employees table",
            Scope::Pick => "Merge: picking the other profile",
            Scope::Filter => "Typing a filter",
            Scope::Pane => "Edit pane",
            Scope::Review => "Review inbox",
            Scope::ReviewItem => "Review inbox: one item",
            Scope::Menu => "Menus",
            Scope::Dialog => "Dialogs",
            Scope::Form => "Forms",
            Scope::Reader => "History and help",
        }
    }
}

/// A key as bound: a key code, with or without Ctrl.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

const fn ch(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: false,
    }
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: true,
    }
}

const fn k(code: KeyCode) -> Key {
    Key { code, ctrl: false }
}

const DOWN: Key = k(KeyCode::Down);
const UP: Key = k(KeyCode::Up);
const LEFT: Key = k(KeyCode::Left);
const RIGHT: Key = k(KeyCode::Right);
const ENTER: Key = k(KeyCode::Enter);
const ESC: Key = k(KeyCode::Esc);
const TAB: Key = k(KeyCode::Tab);
const BACKTAB: Key = k(KeyCode::BackTab);
const PGDN: Key = k(KeyCode::PageDown);
const PGUP: Key = k(KeyCode::PageUp);
const HOME: Key = k(KeyCode::Home);
const END: Key = k(KeyCode::End);

impl Key {
    /// Does a key event from the terminal press this key?
    pub fn matches(&self, ev: &KeyEvent) -> bool {
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl != self.ctrl || ev.modifiers.contains(KeyModifiers::ALT) {
            return false;
        }
        match (self.code, ev.code) {
            // Shift is part of the character ('G'); with Ctrl, terminals differ in case.
            (KeyCode::Char(a), KeyCode::Char(b)) if self.ctrl => a.eq_ignore_ascii_case(&b),
            (KeyCode::Char(a), KeyCode::Char(b)) => a == b,
            // Some terminals send Shift-Tab as Tab with Shift.
            (KeyCode::BackTab, KeyCode::Tab) => ev.modifiers.contains(KeyModifiers::SHIFT),
            (KeyCode::Tab, KeyCode::Tab) => !ev.modifiers.contains(KeyModifiers::SHIFT),
            (a, b) => a == b,
        }
    }

    /// How the key is written in the footer and the help screen.
    pub fn name(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_owned(),
            KeyCode::Char(c) if self.ctrl => c.to_ascii_uppercase().to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Down => "↓".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        };
        if self.ctrl {
            format!("Ctrl-{base}")
        } else {
            base
        }
    }
}

pub struct Binding {
    pub scope: Scope,
    pub keys: &'static [Key],
    pub action: Action,
    /// The footer's word for it; bindings in a row with the same hint share one entry
    /// ("j/k move").
    pub hint: &'static str,
    /// Shown in the footer.
    pub footer: bool,
    /// The help screen's sentence.
    pub help: &'static str,
}

const fn b(
    scope: Scope,
    keys: &'static [Key],
    action: Action,
    hint: &'static str,
    footer: bool,
    help: &'static str,
) -> Binding {
    Binding {
        scope,
        keys,
        action,
        hint,
        footer,
        help,
    }
}

use Action as A;
use Scope as S;

#[rustfmt::skip]
pub const BINDINGS: &[Binding] = &[
    // Moving in the table.
    b(S::Nav, &[ch('j'), DOWN], A::Down, "move", true, "Next row"),
    b(S::Nav, &[ch('k'), UP], A::Up, "move", true, "Previous row"),
    b(S::Nav, &[PGDN, ctrl('f')], A::PageDown, "page", false, "Next page"),
    b(S::Nav, &[PGUP, ctrl('b')], A::PageUp, "page", false, "Previous page"),
    b(S::Nav, &[ch('g'), HOME], A::Top, "first", false, "First row"),
    b(S::Nav, &[ch('G'), END], A::Bottom, "last", false, "Last row"),
    b(S::Nav, &[ch('1')], A::Tab(0), "tabs", true, "Active tab"),
    b(S::Nav, &[ch('2')], A::Tab(1), "tabs", true, "Pending tab"),
    b(S::Nav, &[ch('3')], A::Tab(2), "tabs", true, "Deactivated tab"),
    b(S::Nav, &[ch('4')], A::Tab(3), "tabs", true, "Tracked tab (billed: active profiles with a connection)"),
    b(S::Nav, &[ch('0')], A::Tab(4), "tabs", false, "All tab: every profile, whatever its status"),
    b(S::Nav, &[ch('5')], A::Review, "tabs", true, "Review inbox: conflicts, shared emails, likely duplicates, pending profiles"),
    b(S::Nav, &[TAB], A::NextTab, "tab", false, "Next tab"),
    b(S::Nav, &[BACKTAB], A::PrevTab, "tab", false, "Previous tab"),
    b(S::Nav, &[ch('s')], A::Sort, "sort", false, "Sort by the next column (tabs up to 10,000 profiles; by name at any size)"),
    b(S::Nav, &[ch('/')], A::Filter, "filter", true, "Filter as you type, also by supplier: managed: status: login:; #11 Enter jumps"),
    // The employees table.
    b(S::Table, &[ENTER], A::Open, "open", true, "Open the edit pane of the selected employee"),
    b(S::Table, &[ESC], A::Back, "clear filter", false, "Clear the filter"),
    b(S::Table, &[ch('N')], A::New, "new", true, "New employee (n only ever cancels)"),
    b(S::Table, &[ch('e')], A::Edit, "edit", false, "Edit the selected employee's fields"),
    b(S::Table, &[ch('c')], A::Connect, "connect", false, "Connect the selected employee to an account by hand"),
    b(S::Table, &[ch('m')], A::Merge, "merge", true, "Merge another profile into the selected one (pick it next)"),
    b(S::Table, &[ch('a')], A::Activate, "activate", false, "Activate the selected employee"),
    b(S::Table, &[ch('d')], A::Deactivate, "deactivate", false, "Deactivate the selected employee (asks first)"),
    b(S::Table, &[ch('x')], A::Discard, "discard", false, "Discard the selected pending profile (asks first)"),
    b(S::Table, &[ch('u')], A::Undo, "undo", true, "Undo the most recent action (asks first, says what)"),
    b(S::Table, &[ch('l')], A::History, "history", false, "History of the selected employee, from the audit log"),
    b(S::Table, &[ch('i')], A::Import, "import", true, "Import a file: a dry run first, then its plan to confirm"),
    b(S::Table, &[ch(' ')], A::Mark, "mark", false, "Mark or unmark the row (a, d, x then act on every marked profile; Esc clears the marks)"),
    b(S::Table, &[ch('y')], A::Yank, "copy", false, "Copy the selected profile's ID to the clipboard (OSC 52; the status line shows it too)"),
    b(S::Table, &[ch('Y')], A::YankEmail, "copy email", false, "Copy the selected profile's email to the clipboard"),
    b(S::Table, &[ch('L')], A::AuditLog, "audit log", false, "The whole audit log, old → new, with undo of a chosen entry"),
    b(S::Table, &[ch('I')], A::ToggleIds, "IDs", false, "Show or hide the ID column (profile ids, as #11 jumps to them)"),
    b(S::Table, &[ch('p')], A::Pull, "pull", false, "Pull from a system: a dry run, then its plan to confirm"),
    // Merge: picking the profile to fold in.
    b(S::Pick, &[ENTER], A::Choose, "pick", true, "Fold the selected profile into the one you keep (preview first)"),
    b(S::Pick, &[ESC], A::Back, "cancel merge", true, "Cancel the merge"),
    // Typing a filter.
    b(S::Filter, &[ENTER], A::FilterKeep, "keep", true, "Keep the filter and go back to the table"),
    b(S::Filter, &[ESC], A::Back, "clear", true, "Clear the filter and go back to the table"),
    b(S::Filter, &[DOWN], A::Down, "move", true, "Next row, while typing"),
    b(S::Filter, &[UP], A::Up, "move", true, "Previous row, while typing"),
    // The edit pane.
    b(S::Pane, &[ch('j'), DOWN], A::Down, "select", true, "Next connection"),
    b(S::Pane, &[ch('k'), UP], A::Up, "select", true, "Previous connection"),
    b(S::Pane, &[ch('J')], A::NextProfile, "profile", false, "Next row of the table: the pane follows the selection"),
    b(S::Pane, &[ch('K')], A::PrevProfile, "profile", false, "Previous row of the table: the pane follows the selection"),
    b(S::Pane, &[ENTER], A::Open, "actions", true, "Actions on the selected connection"),
    b(S::Pane, &[ch('e')], A::Edit, "edit", true, "Edit name, email, picture and login access"),
    b(S::Pane, &[ch('c')], A::Connect, "connect", false, "Connect this employee to an account by hand"),
    b(S::Pane, &[ch('m')], A::Merge, "merge", false, "Merge another profile into this one (pick it next)"),
    b(S::Pane, &[ch('a')], A::Activate, "activate", false, "Activate this employee"),
    b(S::Pane, &[ch('d')], A::Deactivate, "deactivate", false, "Deactivate this employee (asks first)"),
    b(S::Pane, &[ch('x')], A::Discard, "discard", false, "Discard this pending profile (asks first)"),
    b(S::Pane, &[ch('u')], A::Undo, "undo", false, "Undo the most recent action (asks first, says what)"),
    b(S::Pane, &[ch('l')], A::History, "history", true, "History of this employee, from the audit log, old → new"),
    b(S::Pane, &[ch('b')], A::Unblock, "unblock", false, "Lift a block: imports may link that account here again (asks first)"),
    b(S::Pane, &[ch('y')], A::Yank, "copy", false, "Copy the selected connection's external ID to the clipboard (OSC 52)"),
    b(S::Pane, &[ch('Y')], A::YankEmail, "copy email", false, "Copy the selected connection's email to the clipboard"),
    b(S::Pane, &[ch('L')], A::AuditLog, "audit log", false, "The whole audit log, with undo of a chosen entry"),
    b(S::Pane, &[ESC], A::Back, "back", true, "Close the pane"),
    // The review inbox.
    b(S::Review, &[ch('j'), DOWN], A::Down, "move", true, "Next item"),
    b(S::Review, &[ch('k'), UP], A::Up, "move", true, "Previous item"),
    b(S::Review, &[PGDN, ctrl('f')], A::PageDown, "page", false, "Next page"),
    b(S::Review, &[PGUP, ctrl('b')], A::PageUp, "page", false, "Previous page"),
    b(S::Review, &[ch('g'), HOME], A::Top, "first", false, "Newest item"),
    b(S::Review, &[ch('G'), END], A::Bottom, "last", false, "Oldest item held"),
    b(S::Review, &[TAB], A::NextTab, "kind", true, "Next kind: all, conflicts, same system, duplicates, pending"),
    b(S::Review, &[BACKTAB], A::PrevTab, "kind", false, "Previous kind"),
    b(S::Review, &[ENTER], A::Open, "decide", true, "The item's account and candidates side by side, with its resolutions"),
    b(S::Review, &[ch('r')], A::Rescan, "rescan", true, "Look for duplicates over the whole store (in the background)"),
    b(S::Review, &[ch('u')], A::Undo, "undo", true, "Undo the most recent action (asks first, says what)"),
    b(S::Review, &[ESC], A::Back, "back", true, "Back to the employees table"),
    // One review item.
    b(S::ReviewItem, &[ch('j'), DOWN], A::Down, "move", true, "Next resolution"),
    b(S::ReviewItem, &[ch('k'), UP], A::Up, "move", true, "Previous resolution"),
    b(S::ReviewItem, &[ENTER], A::Choose, "choose", true, "Choose the resolution (asks first, Cancel selected; its digit chooses it too)"),
    b(S::ReviewItem, &[ESC], A::Back, "back", true, "Back to the inbox"),
    // Menus.
    b(S::Menu, &[ch('j'), DOWN], A::Down, "move", true, "Next entry"),
    b(S::Menu, &[ch('k'), UP], A::Up, "move", true, "Previous entry"),
    b(S::Menu, &[ENTER], A::Choose, "choose", true, "Choose the entry (the letter beside an entry chooses it too)"),
    b(S::Menu, &[ESC], A::Back, "back", true, "Close the menu"),
    // Dialogs.
    b(S::Dialog, &[LEFT, ch('h'), BACKTAB], A::Left, "button", true, "Previous button"),
    b(S::Dialog, &[RIGHT, ch('l'), TAB], A::Right, "button", true, "Next button"),
    b(S::Dialog, &[ENTER], A::Choose, "choose", true, "Press the selected button (Cancel is selected at first)"),
    b(S::Dialog, &[ch('y')], A::Confirm, "confirm", true, "Confirm: go ahead"),
    b(S::Dialog, &[ch('n'), ESC], A::Cancel, "cancel", true, "Cancel: change nothing"),
    b(S::Dialog, &[ch('v')], A::MoveInstead, "move instead", false, "Move to new employee instead (offered when removing)"),
    b(S::Dialog, &[ch('j'), DOWN], A::Down, "scroll", false, "Scroll the dialog down"),
    b(S::Dialog, &[ch('k'), UP], A::Up, "scroll", false, "Scroll the dialog up"),
    b(S::Dialog, &[PGDN], A::PageDown, "scroll", false, "Scroll the dialog down a page (an import's plan)"),
    b(S::Dialog, &[PGUP], A::PageUp, "scroll", false, "Scroll the dialog up a page"),
    // Forms.
    b(S::Form, &[TAB, DOWN], A::NextField, "field", true, "Next field"),
    b(S::Form, &[BACKTAB, UP], A::PrevField, "field", true, "Previous field"),
    b(S::Form, &[ch(' ')], A::Toggle, "toggle", false, "Switch an on/off field (types a space in text fields)"),
    b(S::Form, &[ENTER, ctrl('s')], A::Save, "save", true, "Save"),
    b(S::Form, &[ESC], A::Back, "cancel", true, "Cancel: change nothing"),
    // Reading: history and help.
    b(S::Reader, &[ch('j'), DOWN], A::Down, "scroll", true, "Scroll down"),
    b(S::Reader, &[ch('k'), UP], A::Up, "scroll", true, "Scroll up"),
    b(S::Reader, &[PGDN], A::PageDown, "page", false, "Page down"),
    b(S::Reader, &[PGUP], A::PageUp, "page", false, "Page up"),
    b(S::Reader, &[ch('u')], A::Undo, "undo entry", false, "In the audit log: undo the selected entry (asks first)"),
    b(S::Reader, &[ESC, ch('q'), ch('?')], A::Back, "close", true, "Close"),
    // Outside text fields and popups.
    b(S::App, &[ch('?')], A::Help, "help", true, "Show every key (this screen)"),
    b(S::App, &[ch('M')], A::Messages, "messages", false, "The last 50 status messages, in full"),
    b(S::App, &[ch('q')], A::Quit, "quit", true, "Quit"),
    // Anywhere.
    b(S::Always, &[ctrl('c')], A::Quit, "quit", false, "Quit, also while typing"),
    b(S::Always, &[ctrl('l')], A::Redraw, "redraw", false, "Redraw the screen and reload the rows"),
];

/// The name of the first key bound to `action` in `scope` ("u" for undo in the table):
/// for the sentences that tell the user which key to press, so that they follow the
/// table. "?" when nothing binds it (a test checks every key a message names).
pub fn key(scope: Scope, action: Action) -> String {
    BINDINGS
        .iter()
        .find(|b| b.scope == scope && b.action == action)
        .map_or_else(|| "?".to_owned(), |b| b.keys[0].name())
}

/// "j/k": the first keys of two actions (down and up, next and previous).
pub fn pair(scope: Scope, first: Action, second: Action) -> String {
    format!("{}/{}", key(scope, first), key(scope, second))
}

/// What receives keys the table does not bind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fallback {
    None,
    /// A text input: the key is typed.
    Type,
    /// A menu: a letter picks the entry with that hotkey.
    Hotkey,
}

/// Resolves a key event through `chain`; unbound keys go to the fallback.
pub fn resolve(chain: &[Scope], fallback: Fallback, ev: &KeyEvent) -> Option<Action> {
    if ev.kind == KeyEventKind::Release {
        return None;
    }
    for scope in chain {
        for binding in BINDINGS.iter().filter(|b| b.scope == *scope) {
            if binding.keys.iter().any(|k| k.matches(ev)) {
                return Some(binding.action);
            }
        }
    }
    let plain = !ev
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    match fallback {
        Fallback::None => None,
        Fallback::Type => Some(Action::Type(*ev)),
        Fallback::Hotkey => match ev.code {
            KeyCode::Char(c) if plain => Some(Action::Hotkey(c)),
            _ => None,
        },
    }
}

/// One footer entry: keys and a word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    pub keys: String,
    pub hint: &'static str,
    /// What the (first) key does.
    pub action: Action,
}

/// The footer hints of a mode, in table order, neighbours with the same word merged.
pub fn footer(chain: &[Scope]) -> Vec<Hint> {
    let mut out: Vec<(Vec<String>, &'static str, Action)> = Vec::new();
    for scope in chain {
        for binding in BINDINGS.iter().filter(|b| b.scope == *scope && b.footer) {
            let key = binding.keys[0].name();
            match out.last_mut() {
                Some((keys, hint, _)) if *hint == binding.hint => keys.push(key),
                _ => out.push((vec![key], binding.hint, binding.action)),
            }
        }
    }
    out.into_iter()
        .map(|(keys, hint, action)| Hint {
            keys: join_keys(&keys),
            hint,
            action,
        })
        .collect()
}

/// "1-4" for a run of digits, else "j/k".
fn join_keys(keys: &[String]) -> String {
    let digits: Vec<u32> = keys
        .iter()
        .filter_map(|k| {
            let mut c = k.chars();
            match (c.next(), c.next()) {
                (Some(d), None) => d.to_digit(10),
                _ => None,
            }
        })
        .collect();
    if keys.len() > 2 && digits.len() == keys.len() && digits.windows(2).all(|w| w[1] == w[0] + 1) {
        return format!("{}-{}", digits[0], digits[digits.len() - 1]);
    }
    keys.join("/")
}

/// The help screen: one section per scope, each line the keys and the sentence.
pub fn help_sections() -> Vec<(&'static str, Vec<(String, &'static str)>)> {
    let order = [
        S::Nav,
        S::Table,
        S::Filter,
        S::Pane,
        S::Review,
        S::ReviewItem,
        S::Menu,
        S::Dialog,
        S::Form,
        S::Pick,
        S::Reader,
        S::App,
        S::Always,
    ];
    order
        .iter()
        .map(|scope| {
            let lines = BINDINGS
                .iter()
                .filter(|b| b.scope == *scope)
                .map(|b| {
                    let keys: Vec<String> = b.keys.iter().map(Key::name).collect();
                    (keys.join(" "), b.help)
                })
                .collect();
            (scope.title(), lines)
        })
        .collect()
}

/// The key map as Markdown, for the README (a test keeps the README in step).
pub fn markdown() -> String {
    let mut out = String::new();
    for (title, lines) in help_sections() {
        out.push_str(&format!("**{title}**\n\n| Key | Does |\n|---|---|\n"));
        for (keys, help) in lines {
            let keys: Vec<String> = keys.split(' ').map(|k| format!("`{k}`")).collect();
            out.push_str(&format!("| {} | {help} |\n", keys.join(" ")));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyEventState;

    fn ev(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent {
            code,
            modifiers,
            kind: KeyEventKind::Press,
            state: KeyEventState::NONE,
        }
    }

    #[test]
    fn shifted_letters_and_ctrl_keys() {
        let chain = [S::Nav, S::Table, S::App, S::Always];
        let shift_g = ev(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(resolve(&chain, Fallback::None, &shift_g), Some(A::Bottom));
        let ctrl_c = ev(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(resolve(&chain, Fallback::None, &ctrl_c), Some(A::Quit));
        let c = ev(KeyCode::Char('c'), KeyModifiers::NONE);
        assert_eq!(resolve(&chain, Fallback::None, &c), Some(A::Connect));
        let shift_tab = ev(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(
            resolve(&chain, Fallback::None, &shift_tab),
            Some(A::PrevTab)
        );
    }

    #[test]
    fn typing_takes_unbound_keys_but_not_ctrl_c() {
        let chain = [S::Filter, S::Always];
        let q = ev(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(resolve(&chain, Fallback::Type, &q), Some(A::Type(q)));
        let ctrl_c = ev(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(resolve(&chain, Fallback::Type, &ctrl_c), Some(A::Quit));
    }

    #[test]
    fn no_key_is_bound_twice_in_one_chain() {
        let chains: &[&[Scope]] = &[
            &[S::Nav, S::Table, S::App, S::Always],
            &[S::Pick, S::Nav, S::App, S::Always],
            &[S::Filter, S::Always],
            &[S::Pane, S::App, S::Always],
            &[S::Review, S::App, S::Always],
            &[S::ReviewItem, S::Always],
            &[S::Menu, S::Always],
            &[S::Dialog, S::Always],
            &[S::Form, S::Always],
            &[S::Reader, S::Always],
        ];
        for chain in chains {
            let mut seen: Vec<Key> = Vec::new();
            for b in BINDINGS.iter().filter(|b| chain.contains(&b.scope)) {
                for key in b.keys {
                    // A key shadowed by an earlier scope of the chain is a deliberate
                    // override only when it is the same scope pair Pick/Table; none here.
                    assert!(
                        !seen.contains(key),
                        "{} bound twice in {chain:?}",
                        key.name()
                    );
                    seen.push(*key);
                }
            }
        }
    }

    #[test]
    fn the_readme_key_map_is_the_key_table() {
        let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
            .expect("README.md");
        let map = markdown();
        assert!(
            readme.contains(&map),
            "README.md's key map differs from the key table; replace it with:\n\n{map}"
        );
    }

    #[test]
    fn the_keys_that_messages_name_are_bound() {
        let named = [
            (S::Pane, A::Connect, "c"),
            (S::Pane, A::Open, "Enter"),
            (S::Nav, A::Filter, "/"),
            (S::Pick, A::Choose, "Enter"),
            (S::Pick, A::Back, "Esc"),
            (S::Table, A::Activate, "a"),
            (S::Table, A::Undo, "u"),
            (S::Table, A::Deactivate, "d"),
            (S::Table, A::Import, "i"),
            (S::Table, A::Connect, "c"),
            (S::Table, A::Back, "Esc"),
            (S::Dialog, A::Cancel, "n"),
            (S::Dialog, A::Confirm, "y"),
            (S::Dialog, A::MoveInstead, "v"),
            (S::Reader, A::Back, "Esc"),
            (S::Form, A::Save, "Enter"),
            (S::Form, A::Back, "Esc"),
            (S::Form, A::NextField, "Tab"),
            (S::Form, A::Toggle, "Space"),
        ];
        for (scope, action, name) in named {
            assert_eq!(key(scope, action), name, "{scope:?} {action:?}");
        }
        assert_eq!(pair(S::Dialog, A::Down, A::Up), "j/k");
        assert_eq!(pair(S::Reader, A::Down, A::Up), "j/k");
        assert_eq!(key(S::Menu, A::Import), "?", "nothing binds it there");
    }

    #[test]
    fn footer_merges_neighbours() {
        let hints = footer(&[S::Nav]);
        assert_eq!(hints[0].keys, "j/k");
        assert_eq!(hints[0].hint, "move");
        assert_eq!(hints[1].keys, "1-5");
    }
}
