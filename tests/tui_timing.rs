//! Times the app's keypresses headless (`roster::tui::App` + `TestBackend`, as the
//! benchmark drives it) on a store you name:
//! `ROSTER_TIMING_DB=/path/big.db cargo test --release --test tui_timing -- --ignored --nocapture`.
//! Not a pass/fail test; it prints one line per operation. Each time is what the screen's
//! thread spends on a key plus drawing the frame; for filters also the time until the
//! worker's rows are on screen.

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use roster::service::Service;
use roster::store::Store;
use roster::store::audit::Actor;
use roster::tui::App;

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn key(c: KeyCode) -> KeyEvent {
    KeyEvent::from(c)
}

fn line(name: &str, mut times: Vec<Duration>) {
    times.sort();
    let p = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
    println!(
        "{name:<34} n={:<4} p50 {}  p99 {}  max {}",
        times.len(),
        ms(p(0.5)),
        ms(p(0.99)),
        ms(*times.last().unwrap())
    );
}

#[test]
#[ignore]
fn timing() {
    let Some(path) = std::env::var_os("ROSTER_TIMING_DB") else {
        eprintln!("set ROSTER_TIMING_DB to a store to time");
        return;
    };
    let t0 = Instant::now();
    let store = Store::open(std::path::Path::new(&path)).unwrap();
    let svc = Service::new(
        store,
        Actor {
            name: "bench".into(),
            os_user: "bench".into(),
            ssh_client: None,
        },
    );
    let mut app = App::open(svc, 120, 35);
    let mut term = Terminal::new(TestBackend::new(120, 35)).unwrap();
    term.draw(|f| app.render(f)).unwrap();
    println!("first frame: {}", ms(t0.elapsed()));
    app.settle();
    println!("counts in: {}", ms(t0.elapsed()));

    // A key on the screen's thread and its frame; then the answers it asked for.
    let mut press = |app: &mut App, k: KeyEvent| -> Duration {
        let t = Instant::now();
        app.handle_key(k);
        app.collect();
        term.draw(|f| app.render(f)).unwrap();
        let d = t.elapsed();
        app.settle();
        d
    };
    let mut run = |app: &mut App, name: &str, keys: &[KeyCode], n: usize| {
        let mut times = Vec::new();
        for _ in 0..n {
            for k in keys {
                times.push(press(app, key(*k)));
            }
        }
        line(name, times);
    };
    run(&mut app, "down", &[KeyCode::Down], 200);
    run(&mut app, "page down", &[KeyCode::PageDown], 50);
    run(&mut app, "end", &[KeyCode::End], 5);
    run(&mut app, "up at the end", &[KeyCode::Up], 100);
    run(&mut app, "page up", &[KeyCode::PageUp], 50);
    run(&mut app, "home", &[KeyCode::Home], 5);
    run(
        &mut app,
        "tab switch",
        &[
            KeyCode::Char('4'),
            KeyCode::Char('3'),
            KeyCode::Char('2'),
            KeyCode::Char('1'),
        ],
        3,
    );
    run(&mut app, "open pane", &[KeyCode::Enter, KeyCode::Esc], 10);
    {
        let mut times = Vec::new();
        let mut term = Terminal::new(TestBackend::new(120, 35)).unwrap();
        for _ in 0..200 {
            let t = Instant::now();
            term.draw(|f| app.render(f)).unwrap();
            times.push(t.elapsed());
        }
        line("render", times);
    }

    // Filters: each keystroke on the screen's thread (the worker scans meanwhile), then
    // the time until the first screen of rows is in, then moves in the filtered view.
    for text in ["a", "an", "ahmed", "person 12345", "zzqx"] {
        app.handle_key(key(KeyCode::Char('/')));
        let mut keypress = Vec::new();
        let started = Instant::now();
        for c in text.chars() {
            let t = Instant::now();
            app.handle_key(key(KeyCode::Char(c)));
            app.tick();
            term.draw(|f| app.render(f)).unwrap();
            keypress.push(t.elapsed());
            std::thread::sleep(Duration::from_millis(80)); // a fast typist
            app.tick();
        }
        let typed = started.elapsed();
        app.settle();
        let shown = started.elapsed();
        term.draw(|f| app.render(f)).unwrap();
        keypress.sort();
        println!(
            "filter {text:?}: slowest keypress {}, all rows in {} after the first key ({} of them; typing took {})",
            ms(*keypress.last().unwrap()),
            ms(shown),
            app.state.list.rows.len(),
            ms(typed)
        );
        app.handle_key(key(KeyCode::Enter));
        app.settle();
        let mut moves = Vec::new();
        let mut waited = Vec::new();
        for k in [KeyCode::PageDown; 10]
            .into_iter()
            .chain([KeyCode::Down; 20])
            .chain([KeyCode::End, KeyCode::Up, KeyCode::PageUp, KeyCode::Home])
        {
            let t = Instant::now();
            app.handle_key(key(k));
            app.collect();
            term.draw(|f| app.render(f)).unwrap();
            moves.push(t.elapsed());
            let t = Instant::now();
            app.settle();
            waited.push(t.elapsed());
        }
        line(&format!("  moves in {text:?} (keypress)"), moves);
        line(&format!("  moves in {text:?} (rows in)"), waited);
        app.handle_key(key(KeyCode::Esc));
        app.settle();
    }
}
