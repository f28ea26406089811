//! Text for the screen. Every string that comes from data passes through `clean` (control,
//! bidi and zero-width characters become visible substitutes) before it reaches a buffer;
//! widths are display columns, so CJK and emoji keep columns aligned.

use std::borrow::Cow;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::domain::sanitize::sanitize;

pub fn clean(s: &str) -> Cow<'_, str> {
    sanitize(s)
}

/// Display width in terminal columns.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// `s` cleaned and cut to at most `max` columns, ending in "…" when cut.
pub fn fit(s: &str, max: usize) -> String {
    let s = clean(s);
    if width(&s) <= max {
        return s.into_owned();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// `s` cleaned and cut to `max` columns in the middle: "005Hp0…AbCdEAAZ". For IDs,
/// whose ends tell them apart (Salesforce IDs share their first characters).
pub fn fit_middle(s: &str, max: usize) -> String {
    let s = clean(s);
    if width(&s) <= max || max < 5 {
        return fit(&s, max);
    }
    let chars: Vec<char> = s.chars().collect();
    let tail_room = (max - 1) / 2 + (max - 1) % 2;
    let head_room = max - 1 - tail_room;
    let mut head = String::new();
    let mut used = 0;
    for c in &chars {
        let w = UnicodeWidthChar::width(*c).unwrap_or(0);
        if used + w > head_room {
            break;
        }
        used += w;
        head.push(*c);
    }
    let mut tail = Vec::new();
    let mut used = 0;
    for c in chars.iter().rev() {
        let w = UnicodeWidthChar::width(*c).unwrap_or(0);
        if used + w > tail_room {
            break;
        }
        used += w;
        tail.push(*c);
    }
    let tail: String = tail.into_iter().rev().collect();
    format!("{head}…{tail}")
}

/// `s` cleaned and wrapped at word boundaries into lines of at most `max` columns
/// (words longer than a line are cut).
pub fn wrap(s: &str, max: usize) -> Vec<String> {
    let s = clean(s);
    let max = max.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in s.split(' ') {
        let mut word = word.to_owned();
        loop {
            let w = width(&word);
            let gap = usize::from(used > 0);
            if used + gap + w <= max {
                if gap == 1 {
                    line.push(' ');
                }
                line.push_str(&word);
                used += gap + w;
                break;
            }
            if used > 0 {
                lines.push(std::mem::take(&mut line));
                used = 0;
                continue;
            }
            // A word wider than the line: cut it.
            let mut head = String::new();
            let mut hw = 0;
            let mut rest = String::new();
            for (i, c) in word.char_indices() {
                let cw = UnicodeWidthChar::width(c).unwrap_or(0);
                if hw + cw > max {
                    rest = word[i..].to_owned();
                    break;
                }
                hw += cw;
                head.push(c);
            }
            if head.is_empty() {
                // Not even one character fits; drop it rather than loop.
                let mut chars = word.chars();
                chars.next();
                word = chars.collect();
                continue;
            }
            lines.push(head);
            word = rest;
            if word.is_empty() {
                break;
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// "1,234,567".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "2024-05-01 12:00" from an RFC 3339 timestamp (as stored), else the text as it is.
pub fn when(at: &str) -> String {
    let at = clean(at);
    if at.len() >= 16 && at.is_char_boundary(16) && at.as_bytes().get(10) == Some(&b'T') {
        format!("{} {}", &at[..10], &at[11..16])
    } else {
        at.into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_cuts_by_columns_with_an_ellipsis() {
        assert_eq!(fit("Jane Doe", 10), "Jane Doe");
        assert_eq!(fit("Jane Doe", 5), "Jane…");
        // Wide characters count two columns; a half-fitting one is left out.
        assert_eq!(fit("山田太郎さん", 5), "山田…");
        assert_eq!(width(&fit("山田太郎さん", 6)), 5);
        assert_eq!(fit("🎉🎉🎉🎉", 4), "🎉…");
        assert_eq!(fit("abc", 0), "");
    }

    #[test]
    fn fit_middle_keeps_both_ends_of_an_id() {
        assert_eq!(fit_middle("0055000000AbCdEAAZ", 20), "0055000000AbCdEAAZ");
        let a = fit_middle("005Hp00000AbCdEAAZ", 11);
        let b = fit_middle("005Hp00000XyZwQAAB", 11);
        assert_eq!(a, "005Hp…dEAAZ");
        assert_ne!(a, b, "the ends tell them apart");
        assert!((5..=7).contains(&width(&fit_middle("山田太郎さん山田", 7))));
        assert!(width(&fit_middle("🎉🎉🎉🎉🎉🎉", 6)) <= 6);
        assert_eq!(fit_middle("abcdefgh", 3), "ab…");
    }

    #[test]
    fn fit_and_wrap_clean_control_characters() {
        let evil = "a\u{1b}[2Jb\u{202e}c";
        assert!(
            !fit(evil, 40)
                .chars()
                .any(|c| c.is_control() || c == '\u{202e}')
        );
        for line in wrap(evil, 5) {
            assert!(!line.chars().any(|c| c.is_control()));
        }
    }

    #[test]
    fn wrap_breaks_at_words_and_cuts_long_ones() {
        assert_eq!(
            wrap("the next import will", 10),
            vec!["the next", "import", "will"]
        );
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 4), vec![""]);
        for line in wrap("山田太郎さん 山田", 5) {
            assert!(width(&line) <= 5);
        }
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
