//! Everything the user can ask of the app. Keys resolve to these through the key table
//! (`keymap.rs`); `update` applies them to the state.

use crossterm::event::KeyEvent;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    Redraw,
    Help,
    /// Esc: clears, closes or cancels whatever is on top.
    Back,

    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    /// Switch to the tab at this index (0 Active … 3 Tracked).
    Tab(u8),
    /// `s`: sort by the next column.
    Sort,
    NextTab,
    PrevTab,

    Filter,
    /// Enter in the filter: keep it and return to the table.
    FilterKeep,

    /// Enter on the table: open the edit pane; in a menu or dialog: choose.
    Open,
    Choose,
    New,
    Edit,
    Connect,
    Merge,
    Activate,
    Deactivate,
    Discard,
    Undo,
    History,
    Import,
    /// Open the review inbox (`tui::review`).
    Review,
    /// Look for duplicates over the whole store, in the background.
    Rescan,
    /// Lift one of the profile's blocks (the pane).
    Unblock,
    /// The whole audit log, with undo of a chosen entry.
    AuditLog,
    /// The last status messages, in full.
    Messages,
    /// Copy the selected ID (a profile's, a connection's external ID) with OSC 52.
    Yank,
    /// Copy the selected email with OSC 52.
    YankEmail,
    /// Space: mark or unmark the selected row (activate / deactivate / discard then act
    /// on every marked profile).
    Mark,
    /// `p`: pull from a configured source (tui/pull.rs).
    Pull,
    /// `I`: show or hide the table's ID column.
    ToggleIds,
    /// `J` / `K` in the pane: the next or previous row of the table, the pane following.
    NextProfile,
    PrevProfile,

    /// Dialog buttons.
    Left,
    Right,
    Confirm,
    Cancel,
    /// "Move to new employee instead", offered by the Remove dialog.
    MoveInstead,

    /// Forms.
    NextField,
    PrevField,
    Toggle,
    Save,
    /// A key for the focused text input.
    Type(KeyEvent),
    /// A letter that picks a menu entry.
    Hotkey(char),

    /// The terminal changed size (columns, rows).
    Resize(u16, u16),
    /// The hidden debug key (only when `ROSTER_DEBUG_PANIC_KEY=1`).
    DebugPanic,
}
