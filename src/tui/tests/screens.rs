//! Whole screens on ratatui's TestBackend, compared with the snapshots in `snapshots/`.
//! To accept a changed screen: `INSTA_UPDATE=always cargo test --lib tui`, then read the
//! diff of the .snap files before committing.

use crossterm::event::KeyCode;
use ratatui::style::{Color, Modifier};

use super::Harness;
use crate::tui::action::Action;

fn open_jane(h: &mut Harness) {
    h.select("Jane Doe");
    h.enter();
}

#[test]
fn main_screen() {
    let h = Harness::new(120, 35);
    insta::assert_snapshot!(h.screen());
}

#[test]
fn main_screen_80x24() {
    let h = Harness::new(80, 24);
    insta::assert_snapshot!(h.screen());
}

#[test]
fn filter_being_typed() {
    let mut h = Harness::new(100, 20);
    h.keys("/jane");
    insta::assert_snapshot!(h.screen());
}

#[test]
fn pane_with_banner() {
    let mut h = Harness::new(120, 35);
    open_jane(&mut h);
    h.keys("j");
    insta::assert_snapshot!(h.screen());
}

#[test]
fn pane_without_banner() {
    let mut h = Harness::new(120, 35);
    h.select("山田 太郎");
    h.enter();
    insta::assert_snapshot!(h.screen());
}

#[test]
fn pane_full_screen_at_80x24() {
    let mut h = Harness::new(80, 24);
    open_jane(&mut h);
    insta::assert_snapshot!(h.screen());
}

#[test]
fn edit_form_in_the_pane() {
    let mut h = Harness::new(100, 24);
    open_jane(&mut h);
    h.keys("e");
    insta::assert_snapshot!(h.screen());
}

#[test]
fn action_menu() {
    let mut h = Harness::new(100, 30);
    open_jane(&mut h);
    h.keys("j");
    h.enter();
    insta::assert_snapshot!(h.screen());
}

#[test]
fn confirm_remove_with_reconnect_warning() {
    let mut h = Harness::new(100, 30);
    open_jane(&mut h);
    h.enter();
    h.keys("r");
    insta::assert_snapshot!(h.screen());
}

#[test]
fn confirm_remove_and_block() {
    let mut h = Harness::new(100, 30);
    open_jane(&mut h);
    h.enter();
    h.keys("b");
    insta::assert_snapshot!(h.screen());
}

#[test]
fn confirm_move() {
    let mut h = Harness::new(100, 30);
    open_jane(&mut h);
    h.keys("j");
    h.enter();
    h.keys("v");
    insta::assert_snapshot!(h.screen());
}

#[test]
fn confirm_manage() {
    let mut h = Harness::new(100, 30);
    open_jane(&mut h);
    h.keys("j");
    h.enter();
    h.keys("m");
    insta::assert_snapshot!(h.screen());
}

#[test]
fn confirm_manage_manually() {
    let mut h = Harness::new(100, 30);
    open_jane(&mut h);
    h.enter();
    h.keys("m");
    insta::assert_snapshot!(h.screen());
}

#[test]
fn confirm_deactivate() {
    let mut h = Harness::new(100, 24);
    h.select("Bob 🎉 Party");
    h.keys("d");
    insta::assert_snapshot!(h.screen());
}

#[test]
fn confirm_discard() {
    let mut h = Harness::new(100, 24);
    h.keys("2x");
    insta::assert_snapshot!(h.screen());
}

#[test]
fn confirm_undo() {
    let mut h = Harness::new(100, 24);
    h.select("Bob 🎉 Party");
    h.keys("dy");
    h.keys("u");
    insta::assert_snapshot!(h.screen());
}

#[test]
fn merge_preview() {
    let mut h = Harness::new(120, 35);
    open_jane(&mut h);
    h.keys("m/502");
    h.enter();
    h.enter();
    insta::assert_snapshot!(h.screen());
}

#[test]
fn merge_preview_80x24() {
    let mut h = Harness::new(80, 24);
    open_jane(&mut h);
    h.keys("m/502");
    h.enter();
    h.enter();
    insta::assert_snapshot!(h.screen());
}

#[test]
fn new_employee_form() {
    let mut h = Harness::new(100, 24);
    h.keys("N");
    h.keys("Aaron");
    insta::assert_snapshot!(h.screen());
}

#[test]
fn connect_form() {
    let mut h = Harness::new(100, 24);
    h.keys("c");
    insta::assert_snapshot!(h.screen());
}

#[test]
fn history() {
    let mut h = Harness::new(100, 24);
    open_jane(&mut h);
    h.keys("l");
    insta::assert_snapshot!(h.screen());
}

#[test]
fn help() {
    let h = {
        let mut h = Harness::new(100, 40);
        h.keys("?");
        h
    };
    insta::assert_snapshot!(h.screen());
}

#[test]
fn help_80x24_scrolled() {
    let mut h = Harness::new(80, 24);
    h.keys("?");
    h.press(KeyCode::PageDown);
    insta::assert_snapshot!(h.screen());
}

#[test]
fn result_on_the_status_line() {
    let mut h = Harness::new(80, 24);
    h.select("Bob 🎉 Party");
    h.keys("dy");
    insta::assert_snapshot!(h.screen());
}

#[test]
fn narrow_terminal_still_draws() {
    let mut h = Harness::new(120, 35);
    open_jane(&mut h);
    for (w, hh) in [(40, 12), (20, 6), (1, 1)] {
        h.act(Action::Resize(w, hh));
        let _ = h.screen();
    }
}

#[test]
fn no_data_reaches_the_buffer_raw() {
    let mut h = Harness::new(120, 35);
    h.select("Evil\u{1b}[2J\u{1b}]0;pwned\u{7} Name\u{202e}");
    let mut screens = vec![h.screen()];
    h.enter();
    screens.push(h.screen());
    h.keys("l");
    screens.push(h.screen());
    for screen in screens {
        assert!(screen.contains("Evil␛[2J␛]0;pwned␇"), "{screen}");
        assert!(
            !screen
                .chars()
                .any(|c| c.is_control() && c != '\n' || ('\u{202a}'..='\u{202e}').contains(&c)),
            "{screen}"
        );
    }
}

#[test]
fn wide_characters_keep_columns_aligned() {
    let h = Harness::new(120, 35);
    let term = h.terminal();
    let buf = term.backend().buffer();
    // The Email column starts at the same x on every row, CJK and emoji rows included.
    let email_x: Vec<u16> = (3..8)
        .map(|y| {
            (0..buf.area.width)
                .find(|&x| buf[(x, y)].symbol().contains('@') || buf[(x, y)].symbol() == "@")
                .map(|x| {
                    // Walk back to the start of the email.
                    let mut s = x;
                    while s > 0 && buf[(s - 1, y)].symbol() != " " {
                        s -= 1;
                    }
                    s
                })
                .unwrap_or(0)
        })
        .collect();
    assert!(email_x.windows(2).all(|w| w[0] == w[1]), "{email_x:?}");
}

#[test]
fn banner_is_blue_and_plain_under_no_color() {
    let mut h = Harness::new(120, 35);
    open_jane(&mut h);
    let term = h.terminal();
    let buf = term.backend().buffer();
    let row = (0..buf.area.height)
        .find(|&y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
                .contains("Managed by HubSpot")
        })
        .expect("banner");
    let x = buf.area.width - 10;
    assert_eq!(buf[(x, row)].bg, Color::Blue);
    h.state.color = false;
    let term = h.terminal();
    let buf = term.backend().buffer();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            let c = &buf[(x, y)];
            assert!(
                c.fg == Color::Reset && c.bg == Color::Reset,
                "colour at {x},{y}"
            );
        }
    }
    assert!(buf[(x, row)].modifier.contains(Modifier::REVERSED));
}

#[test]
fn only_named_colours() {
    let mut h = Harness::new(120, 35);
    open_jane(&mut h);
    h.enter();
    h.keys("r");
    let term = h.terminal();
    for c in term.backend().buffer().content() {
        for color in [c.fg, c.bg] {
            assert!(
                !matches!(color, Color::Rgb(..) | Color::Indexed(16..)),
                "{color:?}"
            );
        }
    }
}

#[test]
fn import_form() {
    let mut h = Harness::new(100, 30);
    h.fill_import_form("assets/demo/pipedrive.json", "pipedrive");
    insta::assert_snapshot!(h.screen());
}

#[test]
fn import_plan_dialog() {
    let mut h = Harness::new(100, 30);
    h.fill_import_form("assets/demo/pipedrive.json", "pipedrive");
    h.enter();
    insta::assert_snapshot!(h.screen());
}

#[test]
fn import_plan_dialog_scrolled_80x24() {
    let mut h = Harness::new(80, 24);
    h.fill_import_form("assets/demo/hubspot.json", "hubspot");
    h.enter();
    for _ in 0..12 {
        h.keys("j");
    }
    insta::assert_snapshot!(h.screen());
}

#[test]
fn import_refused_with_its_problems() {
    let mut h = Harness::new(100, 30);
    h.fill_import_form("src/tui/tests/data/bad.csv", "hubspot");
    h.enter();
    insta::assert_snapshot!(h.screen());
}

#[test]
fn filtered_view_searching() {
    let mut h = Harness::new(100, 20);
    h.set_scan_budget(2);
    h.app.act(Action::Filter);
    for c in "jane".chars() {
        h.app.act(Action::Type(crossterm::event::KeyEvent::from(
            KeyCode::Char(c),
        )));
    }
    h.app.state.rows.filter_dirty = false;
    h.app.state.scan_first();
    crate::tui::update::scan_step(&mut h.app.state, &mut h.app.svc);
    crate::tui::update::scan_step(&mut h.app.state, &mut h.app.svc);
    insta::assert_snapshot!(h.screen());
}
