//! `y` / `Y`: copy the selected ID or email to the terminal's clipboard with OSC 52,
//! which works over SSH (the terminal, not the ops box, holds the clipboard). Whether
//! the terminal took it cannot be known, so the status line shows the full value too.

use base64::Engine;

use crate::tui::state::State;

/// The escape sequence that puts `value` on the clipboard ("c").
pub fn osc52(value: &str) -> String {
    format!(
        "\x1b]52;c;{}\x07",
        base64::engine::general_purpose::STANDARD.encode(value)
    )
}

/// Asks the next frame to copy `value`, and says what it copied, in full.
pub fn copy(state: &mut State, what: &str, value: String) {
    state.info(format!(
        "Copied {what} to the clipboard (OSC 52): {}",
        crate::domain::sanitize::sanitize(&value)
    ));
    state.clipboard = Some(value);
}

#[cfg(test)]
mod tests {
    #[test]
    fn osc52_is_base64_in_the_clipboard_sequence() {
        assert_eq!(super::osc52("005Hp"), "\x1b]52;c;MDA1SHA=\x07");
    }
}
