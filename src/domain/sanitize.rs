//! Data strings come from outside (imports, other admins). Before any of them reaches a
//! terminal, characters that could drive it or hide text are replaced by visible
//! substitutes: C0 controls and DEL by their Unicode control pictures (ESC shows as ␛),
//! C1 controls, bidi overrides, zero-width and other invisible format characters by
//! `<U+XXXX>`. The stored value is never changed; only what is shown.

use std::borrow::Cow;

fn is_invisible_format(c: char) -> bool {
    matches!(c,
        '\u{80}'..='\u{9F}'            // C1 controls
        | '\u{AD}'                     // soft hyphen
        | '\u{34F}'                    // combining grapheme joiner
        | '\u{61C}'                    // Arabic letter mark
        | '\u{115F}' | '\u{1160}'      // Hangul fillers
        | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}'      // Mongolian selectors and vowel separator
        | '\u{200B}'..='\u{200F}'      // zero-width space/joiners, LRM, RLM
        | '\u{2028}'..='\u{202E}'      // line/paragraph separators, bidi embeddings/overrides
        | '\u{2060}'..='\u{206F}'      // word joiner, invisible operators, bidi isolates
        | '\u{3164}'                   // Hangul filler
        | '\u{FE00}'..='\u{FE0F}'      // variation selectors
        | '\u{FEFF}'                   // zero-width no-break space / BOM
        | '\u{FFA0}'
        | '\u{FFF9}'..='\u{FFFB}'      // interlinear annotation
        | '\u{E0000}'..='\u{E007F}'    // tags
    )
}

/// Whether `c` is shown as a substitute: a control character, or an invisible one that
/// could hide or reorder text.
pub fn needs_substitute(c: char) -> bool {
    c.is_control() || is_invisible_format(c)
}

/// The string as it may be shown on a terminal.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_substitute) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\u{0}'..='\u{1F}' => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('?')),
            '\u{7F}' => out.push('\u{2421}'),
            c if needs_substitute(c) => out.push_str(&format!("<U+{:04X}>", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// The same substitution, for messages and the human command-line output.
pub fn escape_for_text(s: &str) -> String {
    sanitize(s).into_owned()
}

/// A file path as messages show it.
pub fn path(p: &std::path::Path) -> String {
    escape_for_text(&p.display().to_string())
}

/// A message of one or more lines: each line sanitised, the line breaks kept.
pub fn sanitize_lines(s: &str) -> String {
    s.split('\n').map(sanitize).collect::<Vec<_>>().join("\n")
}

/// "a@x" / "a@x or b@y" / "one of a@x, b@y, c@z", each escaped for the terminal.
pub fn email_list(emails: &[String]) -> String {
    let shown: Vec<String> = emails.iter().map(|e| sanitize(e).into_owned()).collect();
    match shown.as_slice() {
        [one] => one.clone(),
        [a, b] => format!("{a} or {b}"),
        more => format!("one of {}", more.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        assert!(matches!(sanitize("Zoë 山田 🎉"), Cow::Borrowed(_)));
    }

    #[test]
    fn escape_sequences_become_visible() {
        let s = sanitize("a\u{1b}]0;pwned\u{7}b\u{1b}[2J");
        assert_eq!(s, "a␛]0;pwned␇b␛[2J");
        assert!(!s.chars().any(|c| c.is_control()));
    }

    #[test]
    fn c1_bidi_and_zero_width_are_named() {
        assert_eq!(sanitize("x\u{9b}y"), "x<U+009B>y");
        assert_eq!(sanitize("evil\u{202E}txt"), "evil<U+202E>txt");
        assert_eq!(sanitize("a\u{200B}b\u{FEFF}"), "a<U+200B>b<U+FEFF>");
        assert_eq!(sanitize("\u{0}\u{7f}\n"), "␀␡␊");
    }

    #[test]
    fn lines_keep_their_breaks() {
        assert_eq!(
            sanitize_lines("a\u{1b}b\n  c\u{9b}\n"),
            "a␛b\n  c<U+009B>\n"
        );
    }

    #[test]
    fn email_lists_and_paths_are_shown_made_harmless() {
        let list = |v: &[&str]| email_list(&v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>());
        assert_eq!(list(&["a@x"]), "a@x");
        assert_eq!(list(&["a@x", "b\u{1b}@y"]), "a@x or b\u{241b}@y");
        assert_eq!(list(&["a@x", "b@y", "c@z"]), "one of a@x, b@y, c@z");
        assert_eq!(
            path(std::path::Path::new("/tmp/a\u{7}b.csv")),
            "/tmp/a\u{2407}b.csv"
        );
        assert_eq!(escape_for_text("x\u{202e}y"), "x<U+202E>y");
    }
}
