//! The app's side of the benchmark, measured in a fresh process of this same binary
//! (so that its peak memory is the app's alone).

use std::path::Path;
use std::time::Instant;

use roster::service::{Service, actor};
use roster::store::Store;
use roster::store::listing::{self, Page, Tab, View};

use crate::child;
use crate::report::Line;

pub const PROBE_ENV: &str = "ROSTER_BENCH_APP_PROBE";

/// Runs the probe on `db` in a child process and turns its answers into lines.
pub fn measure(db: &Path) -> Vec<Line> {
    let me = std::env::current_exe().expect("own path");
    let ran = child::run(
        me.to_str().expect("utf-8"),
        &[],
        &[(PROBE_ENV, db.to_str().expect("utf-8"))],
    )
    .expect("app probe");
    let answers: serde_json::Value = serde_json::from_str(&ran.stdout).expect("probe answers");
    let samples = |k: &str| -> Vec<f64> {
        answers[k]
            .as_array()
            .map(|a| a.iter().filter_map(|v| v.as_f64()).collect())
            .unwrap_or_default()
    };
    let mut lines = vec![Line::limit(
        "app: first frame",
        answers["first_frame_ms"].as_f64().unwrap_or(f64::MAX),
        "ms",
        150.0,
    )];
    for (key, what) in [
        ("move", "app: move down"),
        ("page", "app: page down"),
        ("end", "app: End"),
        ("tab", "app: tab switch"),
        ("filter", "app: filter keystroke (3+ chars)"),
    ] {
        lines.push(Line::latency(what, &mut samples(key), 16.0));
    }
    lines.push(Line::limit(
        "app: peak RSS",
        ran.max_rss_kib as f64 / 1024.0,
        "MiB",
        64.0,
    ));
    lines
}

fn ms(started: Instant) -> f64 {
    started.elapsed().as_secs_f64() * 1000.0
}

/// The probe itself: opens the store as the app does and times the reads behind each
/// keypress. Prints its answers as JSON on stdout.
pub fn probe(db: &Path) {
    let started = Instant::now();
    let mut svc = Service::new(Store::open(db).expect("store"), actor::current(None));
    let counts = svc.counts().expect("counts");
    let view = View::tab(Tab::Active);
    let mut rows = svc.page(&view, &Page::First, 60).expect("first page");
    let first_frame_ms = ms(started);
    let _ = counts;

    let mut moves = Vec::new();
    let mut pages = Vec::new();
    for _ in 0..200 {
        let t = Instant::now();
        let last = rows.last().expect("rows").key();
        rows = svc.page(&view, &Page::After(last), 60).expect("page");
        pages.push(ms(t));
        let t = Instant::now();
        let _ = rows.get(1);
        moves.push(ms(t));
    }
    let mut ends = Vec::new();
    for _ in 0..50 {
        let t = Instant::now();
        let _ = svc.page(&view, &Page::Last, 60).expect("end");
        ends.push(ms(t));
    }
    let mut tabs = Vec::new();
    for i in 0..100 {
        let t = Instant::now();
        let tab = Tab::SCREEN[i % 4];
        let _ = svc.counts().expect("counts");
        let _ = svc.page(&View::tab(tab), &Page::First, 60).expect("tab");
        tabs.push(ms(t));
    }
    let mut filters = Vec::new();
    for term in ["anna", "müller", "acme", "zzq", "005", "sofia.k"] {
        for len in 3..=term.chars().count() {
            let t = Instant::now();
            let typed: String = term.chars().take(len).collect();
            let v = View {
                tab: Tab::Active,
                supplier: None,
                text: Some(typed),
            };
            let _ = listing::scan(svc.store().conn(), &v, None, 60, 20_000).expect("scan");
            filters.push(ms(t));
        }
    }
    println!(
        "{}",
        serde_json::json!({
            "first_frame_ms": first_frame_ms,
            "move": moves,
            "page": pages,
            "end": ends,
            "tab": tabs,
            "filter": filters,
        })
    );
}
