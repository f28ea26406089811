//! Times the app's keypresses headless (state + TestBackend) on a store you name:
//! `ROSTER_TIMING_DB=/path/big.db cargo test --release --test tui_timing -- --ignored --nocapture`.
//! Not a pass/fail test; it prints one line per operation.

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use roster::service::Service;
use roster::store::Store;
use roster::store::audit::Actor;
use roster::tui::action::Action;
use roster::tui::state::State;
use roster::tui::update::{idle, start, update};
use roster::tui::view::view;
use roster::tui::worker::Worker;

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
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
    let mut svc = Service::new(
        store,
        Actor {
            name: "bench".into(),
            os_user: "bench".into(),
            ssh_client: None,
        },
    );
    let mut state = State::new(120, 35, true);
    let mut term = Terminal::new(TestBackend::new(120, 35)).unwrap();
    start(&mut state, &mut svc);
    term.draw(|f| view(&state, f)).unwrap();
    println!(
        "first frame (rows; counts follow from the worker): {}",
        ms(t0.elapsed())
    );
    idle(&mut state, &mut svc);
    println!("counts read: {}", ms(t0.elapsed()));
    let mut run = |name: &str, actions: &[Action], n: usize| {
        let mut times = Vec::new();
        for _ in 0..n {
            for a in actions {
                let t = Instant::now();
                update(&mut state, &mut svc, *a);
                idle(&mut state, &mut svc);
                term.draw(|f| view(&state, f)).unwrap();
                times.push(t.elapsed());
            }
        }
        times.sort();
        let p = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
        println!(
            "{name:<28} n={:<4} p50 {}  p99 {}  max {}",
            times.len(),
            ms(p(0.5)),
            ms(p(0.99)),
            ms(*times.last().unwrap())
        );
    };
    let key = |c: char| Action::Type(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    run("down", &[Action::Down], 200);
    run("page down", &[Action::PageDown], 50);
    run("end", &[Action::Bottom], 5);
    run("up at the end", &[Action::Up], 100);
    run("page up", &[Action::PageUp], 50);
    run("home", &[Action::Top], 5);
    run(
        "tab switch",
        &[
            Action::Tab(3),
            Action::Tab(2),
            Action::Tab(1),
            Action::Tab(0),
        ],
        3,
    );
    run("open pane", &[Action::Open, Action::Back], 10);
    // Filters go through the worker, as in the app: the time of the keypress on the
    // screen's thread, then the time until the rows arrive.
    let mut worker = Worker::start(std::path::Path::new(&path), svc.actor()).unwrap();
    for term_text in ["person 12345", "zzqx"] {
        update(&mut state, &mut svc, Action::Filter);
        let mut keypress = Vec::new();
        let started = Instant::now();
        for c in term_text.chars() {
            let t = Instant::now();
            update(&mut state, &mut svc, key(c));
            worker.dispatch(&mut state);
            worker.collect(&mut state);
            term.draw(|f| view(&state, f)).unwrap();
            keypress.push(t.elapsed());
            std::thread::sleep(Duration::from_millis(80)); // a fast typist
        }
        while worker.busy() {
            std::thread::sleep(Duration::from_millis(2));
            worker.collect(&mut state);
            worker.dispatch(&mut state);
        }
        term.draw(|f| view(&state, f)).unwrap();
        keypress.sort();
        println!(
            "filter {term_text:?}: slowest keypress {}, rows shown {} after the first key ({} rows)",
            ms(*keypress.last().unwrap()),
            ms(started.elapsed()),
            state.list.rows.len()
        );
        update(&mut state, &mut svc, Action::Back);
    }
}
