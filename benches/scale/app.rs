//! The app's side of the benchmark: the real app (`roster::tui::App`, the event loop's
//! core) driven headless on a `TestBackend`, in a fresh process of this same binary so
//! that its peak memory is the app's alone. A keypress is what the screen's thread
//! spends: the key (`handle_key`), taking in answers, and drawing the frame. Keys are
//! timed twice: each after the worker finished what the one before asked (`settle`),
//! and in bursts where the next key comes at once, while the worker is still reading.

use std::path::Path;
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use roster::domain::listing::{Page, Tab, View};
use roster::service::{Service, actor};
use roster::store::{Store, counts};
use roster::tui::App;

use crate::child;
use crate::report::Line;

pub const PROBE_ENV: &str = "ROSTER_BENCH_APP_PROBE";
const FRAME_BUDGET_MS: f64 = 16.0;
/// Issue 17: any term's first screenful within this, at a million rows.
const RARE_TERM_MS: f64 = 150.0;

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
    let mut lines = vec![
        Line::limit(
            "app: first frame",
            answers["first_frame_ms"].as_f64().unwrap_or(f64::MAX),
            "ms",
            150.0,
        ),
        Line::check(
            "app: tab counts (kept) equal the rows",
            answers["counts_correct"].as_bool().unwrap_or(false),
            format!(
                "in after {:.1} ms",
                answers["counts_in_ms"].as_f64().unwrap_or(f64::NAN)
            ),
        ),
    ];
    for (key, what) in [
        ("move", "app: key j/k"),
        ("page", "app: PgDn/PgUp"),
        ("end", "app: End/Home"),
        ("tab", "app: tab switch 1-4"),
        ("pane", "app: open/close the pane"),
        ("filter_long", "app: filter keystroke, term of 3+"),
        ("filter_short", "app: filter keystroke, term of 1-2"),
        ("filtered_move", "app: moves in a filtered view"),
        ("burst_move", "app: j/k outrunning the worker"),
        ("burst_page", "app: PgDn/PgUp outrunning the worker"),
        ("burst_end", "app: End/Home outrunning the worker"),
        ("burst_tab", "app: tab switch outrunning the worker"),
        ("burst_filter", "app: filter typed outrunning the worker"),
        ("review_open", "app: open/close the Review view (5/Esc)"),
        ("review_move", "app: j/k in the Review view"),
        ("review_rescan_key", "app: r (rescan) in the Review view"),
        ("review_during_rescan", "app: j/k while the rescan runs"),
    ] {
        lines.push(Line::latency(what, &mut samples(key), FRAME_BUDGET_MS));
    }
    lines.push(Line::latency(
        "app: render one frame",
        &mut samples("render"),
        1.0,
    ));
    lines.push(Line::info(
        "app: filter, last key to all rows in",
        samples("filter_done")
            .iter()
            .zip(answers["filter_terms"].as_array().into_iter().flatten())
            .map(|(ms, term)| format!("{} {ms:.0} ms", term.as_str().unwrap_or("?")))
            .collect::<Vec<_>>()
            .join(", "),
    ));
    for (key, what) in [
        (
            "rare_one",
            "app: a term matching one row, last key to all rows in",
        ),
        (
            "rare_none",
            "app: a term matching no row, last key to all rows in",
        ),
    ] {
        let a = &answers[key];
        let mut line = Line::limit(
            what,
            a["ms"].as_f64().unwrap_or(f64::MAX),
            "ms",
            RARE_TERM_MS,
        );
        // The term must have found what it should, or the time says nothing.
        let expected = if key == "rare_one" { 1 } else { 0 };
        if a["found"].as_u64() != Some(expected) {
            line = Line::check(what, false, format!("found {} rows", a["found"]));
        }
        lines.push(line);
    }
    lines.push(Line::info(
        "app: search index current, waited before the rare terms",
        format!(
            "{:.0} ms after the rescan's change{}",
            answers["index_wait_ms"].as_f64().unwrap_or(f64::NAN),
            if answers["index_ready"].as_bool() == Some(true) {
                ""
            } else {
                " (NOT built: the terms were walked)"
            }
        ),
    ));
    let all_rows = answers["all_rows"].as_u64().unwrap_or(0);
    let mut all_open = samples("all_open");
    let worst = all_open.iter().copied().fold(f64::NAN, f64::max);
    lines.push(if all_open.is_empty() || all_rows == 0 {
        Line::check(
            "app: All view, 0 to its first frame",
            false,
            "nothing measured".into(),
        )
    } else {
        Line::limit(
            "app: All view, 0 to its first frame (slowest of 10)",
            worst,
            "ms",
            150.0,
        )
    });
    all_open.clear();
    lines.push(Line::latency(
        "app: All view, j/k PgDn/PgUp End/Home",
        &mut samples("all_keys"),
        FRAME_BUDGET_MS,
    ));
    let said = answers["sort_big_said"].as_str().unwrap_or("");
    let mut sort_big = samples("sort_big");
    lines.push(if said.starts_with("Only the name sorts") {
        Line::latency(
            "sort: s on a tab past the limit (stays by name, says why)",
            &mut sort_big,
            FRAME_BUDGET_MS,
        )
    } else {
        Line::check(
            "sort: s on a tab past the limit (stays by name, says why)",
            false,
            format!("it said {said:?}"),
        )
    });
    lines.push(Line::limit(
        "app: rescan in the background, r to its result",
        answers["review_rescan_s"].as_f64().unwrap_or(f64::MAX),
        "s",
        10.0,
    ));
    lines.push(Line::limit(
        "app: peak RSS while browsing",
        answers["browsing_kib"].as_f64().unwrap_or(f64::MAX) / 1024.0,
        "MiB",
        64.0,
    ));
    lines.push(Line::limit(
        "app: peak RSS with the rescan in the background",
        answers["with_rescan_kib"].as_f64().unwrap_or(f64::MAX) / 1024.0,
        "MiB",
        128.0,
    ));
    lines
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

type Term = Terminal<TestBackend>;

/// One key as the user sees it; the reads it put off are then let finish (untimed).
fn press(app: &mut App, term: &mut Term, code: KeyCode) -> f64 {
    let t = Instant::now();
    app.handle_key(KeyEvent::from(code));
    app.collect();
    term.draw(|f| app.render(f)).expect("draw");
    let d = ms(t.elapsed());
    app.settle();
    d
}

/// One key in a burst that outruns the worker, as the event loop sees keys that come
/// faster than the reads they ask for: the key, taking in whatever answers are there,
/// drawing (timed); then the reads are handed to the worker and the next key comes at
/// once, never waiting for them.
fn press_no_settle(app: &mut App, term: &mut Term, code: KeyCode) -> f64 {
    let t = Instant::now();
    app.handle_key(KeyEvent::from(code));
    app.collect();
    term.draw(|f| app.render(f)).expect("draw");
    let d = ms(t.elapsed());
    app.tick();
    d
}

fn burst(app: &mut App, term: &mut Term, keys: &[KeyCode], rounds: usize) -> Vec<f64> {
    let mut out = Vec::new();
    for _ in 0..rounds {
        for k in keys {
            out.push(press_no_settle(app, term, *k));
        }
    }
    app.settle();
    out
}

fn times(app: &mut App, term: &mut Term, keys: &[KeyCode], rounds: usize) -> Vec<f64> {
    let mut out = Vec::new();
    for _ in 0..rounds {
        for k in keys {
            out.push(press(app, term, *k));
        }
    }
    out
}

/// Opens the filter and types `text` at a fast typist's pace, each keystroke timed on the
/// screen's thread (into `long` from the third character on, else `short`); returns the
/// time from the last key until every row of the filtered view is in.
fn type_filter(
    app: &mut App,
    term: &mut Term,
    text: &str,
    long: &mut Vec<f64>,
    short: &mut Vec<f64>,
) -> f64 {
    app.handle_key(KeyEvent::from(KeyCode::Char('/')));
    let mut last_key = Instant::now();
    for (i, c) in text.chars().enumerate() {
        last_key = Instant::now();
        let t = Instant::now();
        app.handle_key(KeyEvent::from(KeyCode::Char(c)));
        app.tick();
        term.draw(|f| app.render(f)).expect("draw");
        let d = ms(t.elapsed());
        if i >= 2 {
            long.push(d);
        } else {
            short.push(d);
        }
        std::thread::sleep(Duration::from_millis(60));
        app.tick();
    }
    app.settle();
    ms(last_key.elapsed())
}

/// The probe itself. Prints its answers as JSON on stdout.
pub fn probe(db: &Path) {
    let started = Instant::now();
    let svc = Service::new(Store::open(db).expect("store"), actor::current(None));
    let mut app = App::open(svc, 120, 35);
    let mut term = Terminal::new(TestBackend::new(120, 35)).expect("backend");
    term.draw(|f| app.render(f)).expect("draw");
    let first_frame_ms = ms(started.elapsed());
    app.settle();
    let counts_in_ms = ms(started.elapsed());
    let truth = {
        let store = Store::open(db).expect("store");
        counts::recompute(store.conn()).expect("counts")
    };
    let counts_correct = app.state.counts_known && app.state.counts == truth;

    let move_ = times(&mut app, &mut term, &[KeyCode::Char('j')], 300);
    let mut page = times(&mut app, &mut term, &[KeyCode::PageDown], 100);
    let mut end = times(&mut app, &mut term, &[KeyCode::End], 10);
    let mut move_up = times(&mut app, &mut term, &[KeyCode::Char('k')], 100);
    page.extend(times(&mut app, &mut term, &[KeyCode::PageUp], 100));
    end.extend(times(&mut app, &mut term, &[KeyCode::Home], 10));
    let mut moves = move_;
    moves.append(&mut move_up);
    let tab = times(
        &mut app,
        &mut term,
        &[
            KeyCode::Char('4'),
            KeyCode::Char('3'),
            KeyCode::Char('2'),
            KeyCode::Char('1'),
        ],
        10,
    );
    let pane = times(&mut app, &mut term, &[KeyCode::Enter, KeyCode::Esc], 20);
    // The same keys again, each at once after the one before: the worker's reads (pages,
    // counts) are still under way when the next key comes.
    let mut burst_move = burst(&mut app, &mut term, &[KeyCode::Char('j')], 300);
    burst_move.extend(burst(&mut app, &mut term, &[KeyCode::Char('k')], 100));
    let burst_page = burst(
        &mut app,
        &mut term,
        &[KeyCode::PageDown, KeyCode::PageDown, KeyCode::PageUp],
        40,
    );
    let burst_end = burst(&mut app, &mut term, &[KeyCode::End, KeyCode::Home], 10);
    let burst_tab = burst(
        &mut app,
        &mut term,
        &[
            KeyCode::Char('4'),
            KeyCode::Char('3'),
            KeyCode::Char('2'),
            KeyCode::Char('1'),
        ],
        10,
    );
    let mut render = Vec::new();
    for _ in 0..300 {
        let t = Instant::now();
        term.draw(|f| app.render(f)).expect("draw");
        render.push(ms(t.elapsed()));
    }

    // Filters, typed at a fast typist's pace: each keystroke on the screen's thread
    // while the worker scans; then how long until the scan is over; then moves.
    let terms = ["müller", "anna.s", "acme-sales", "zzqx", "005"];
    let (mut long, mut short, mut done, mut filtered_move, mut burst_filter) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for text in terms {
        done.push(type_filter(
            &mut app, &mut term, text, &mut long, &mut short,
        ));
        app.handle_key(KeyEvent::from(KeyCode::Enter));
        app.settle();
        for k in [KeyCode::PageDown; 5]
            .into_iter()
            .chain([KeyCode::Char('j'); 10])
            .chain([KeyCode::End, KeyCode::Char('k'), KeyCode::Home])
        {
            filtered_move.push(press(&mut app, &mut term, k));
        }
        app.handle_key(KeyEvent::from(KeyCode::Esc));
        app.settle();
        // The same term typed with no pause at all: every keystroke starts a scan
        // while the one before is still walking the rows.
        app.handle_key(KeyEvent::from(KeyCode::Char('/')));
        for c in text.chars() {
            burst_filter.push(press_no_settle(&mut app, &mut term, KeyCode::Char(c)));
        }
        app.settle();
        app.handle_key(KeyEvent::from(KeyCode::Esc));
        app.settle();
    }
    // The review inbox: opening it (its first page and counts), moving, and the rescan of
    // the whole store asked with r, which runs on its own thread while keys go on.
    let review_open = times(&mut app, &mut term, &[KeyCode::Char('5'), KeyCode::Esc], 10);
    app.handle_key(KeyEvent::from(KeyCode::Char('5')));
    app.settle();
    let mut review_move = times(&mut app, &mut term, &[KeyCode::Char('j')], 50);
    review_move.extend(times(&mut app, &mut term, &[KeyCode::Char('k')], 50));
    // The rescan holds its tables of hashes (about 70 bytes a profile) on top of the app:
    // the app's own peak is read before it and again after it with the peak reset.
    let mut browsing_kib = peak_kib();
    let asked = Instant::now();
    let review_rescan_key = vec![press_no_settle(&mut app, &mut term, KeyCode::Char('r'))];
    let mut review_during_rescan = Vec::new();
    while app.busy() && asked.elapsed() < Duration::from_secs(120) {
        let key = if review_during_rescan.len() % 2 == 0 {
            KeyCode::Char('j')
        } else {
            KeyCode::Char('k')
        };
        review_during_rescan.push(press_no_settle(&mut app, &mut term, key));
        std::thread::sleep(Duration::from_millis(20));
    }
    let review_rescan_s = asked.elapsed().as_secs_f64();
    // The peak so far holds the rescan's; the kernel's own peak (and so wait4's) is reset
    // with it, so it is kept here.
    let with_rescan_kib = peak_kib();
    reset_peak();
    let rescanned = app
        .state
        .status
        .as_ref()
        .is_some_and(|s| s.text.starts_with("Looked for duplicates"));
    assert!(rescanned, "the rescan's result: {:?}", app.state.status);
    app.handle_key(KeyEvent::from(KeyCode::Esc));
    app.settle();

    // The All tab (0): its first frame is the key itself (three keyset pages merged),
    // then moves in it; back to Active with 1.
    let mut all_open = Vec::new();
    let mut all_keys = Vec::new();
    for _ in 0..10 {
        all_open.push(press(&mut app, &mut term, KeyCode::Char('0')));
        for k in [KeyCode::Char('j'); 10]
            .into_iter()
            .chain([KeyCode::PageDown, KeyCode::PageDown, KeyCode::PageUp])
            .chain([KeyCode::End, KeyCode::Char('k'), KeyCode::Home])
        {
            all_keys.push(press(&mut app, &mut term, k));
        }
        press(&mut app, &mut term, KeyCode::Char('1'));
    }
    let all_rows = app.state.counts.of(Tab::All);
    // s on the Active tab: past the sort limit it stays by name and says why, at once.
    let sort_big = times(&mut app, &mut term, &[KeyCode::Char('s')], 20);
    let sort_big_said = app
        .state
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default();

    // The search index is built on the worker's thread after the app opens and after
    // every change (the rescan above wrote its items): the rare terms are timed once it
    // describes the store; how long that took is noted.
    let waited = Instant::now();
    while !app.search_ready() && waited.elapsed() < Duration::from_secs(120) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let index_wait_ms = ms(waited.elapsed());
    let index_ready = app.search_ready();

    // Rare terms, the worst case of a substring filter: one that matches a single row
    // (the email of the Active tab's last row, so a walk must reach the tab's end) and
    // one that matches none. Each typed three times; the slowest counts.
    let one = app
        .svc
        .page(&View::tab(Tab::Active), &Page::Last, 1)
        .expect("last row")
        .pop()
        .and_then(|r| r.email)
        .unwrap_or_default()
        .to_lowercase();
    let mut rare = Vec::new();
    for text in [one.as_str(), "zzqx"] {
        let mut worst: f64 = 0.0;
        let mut found = 0;
        for _ in 0..3 {
            let (mut l, mut s) = (Vec::new(), Vec::new());
            worst = worst.max(type_filter(&mut app, &mut term, text, &mut l, &mut s));
            found = app.state.rows.list.rows.len();
            app.handle_key(KeyEvent::from(KeyCode::Esc));
            app.settle();
        }
        rare.push(serde_json::json!({ "ms": worst, "found": found }));
    }
    browsing_kib = browsing_kib.max(peak_kib());
    println!(
        "{}",
        serde_json::json!({
            "browsing_kib": browsing_kib,
            "with_rescan_kib": with_rescan_kib.max(browsing_kib),
            "review_open": review_open,
            "review_move": review_move,
            "review_rescan_key": review_rescan_key,
            "review_during_rescan": review_during_rescan,
            "review_rescan_s": review_rescan_s,
            "first_frame_ms": first_frame_ms,
            "counts_in_ms": counts_in_ms,
            "counts_correct": counts_correct,
            "move": moves,
            "page": page,
            "end": end,
            "tab": tab,
            "pane": pane,
            "render": render,
            "filter_long": long,
            "filter_short": short,
            "filter_done": done,
            "filter_terms": terms,
            "rare_one": rare[0],
            "rare_none": rare[1],
            "index_wait_ms": index_wait_ms,
            "index_ready": index_ready,
            "all_open": all_open,
            "all_keys": all_keys,
            "all_rows": all_rows,
            "sort_big": sort_big,
            "sort_big_said": sort_big_said,
            "filtered_move": filtered_move,
            "burst_move": burst_move,
            "burst_page": burst_page,
            "burst_end": burst_end,
            "burst_tab": burst_tab,
            "burst_filter": burst_filter,
        })
    );
}

/// The sort probe's environment variable: the store of `SORT_LIMIT` people it runs on.
pub const SORT_PROBE_ENV: &str = "ROSTER_BENCH_SORT_PROBE";

/// Sorting by a column other than the name is offered up to `SORT_LIMIT` profiles in a
/// tab (each read sorts the tab): timed at that limit, on a store of its own, in a child
/// process: `s` to the first frame in each order, and moves in each.
pub fn measure_sort(work: &Path, roster: &str) -> Vec<Line> {
    let files = work.join("sort-files");
    let db = work.join("sort.db");
    let _ = std::fs::remove_dir_all(&files);
    let _ = std::fs::remove_file(&db);
    let n = roster::domain::listing::SORT_LIMIT.to_string();
    let p = |p: &Path| p.to_str().expect("utf-8").to_owned();
    child::run(
        roster,
        &["gen", "--employees", &n, "--out", &p(&files)],
        &[],
    )
    .expect("gen");
    let csv = p(&files.join("salesforce.csv"));
    child::run(
        roster,
        &[
            "--db",
            &p(&db),
            "import",
            &csv,
            "--system",
            "salesforce",
            "--json",
        ],
        &[],
    )
    .expect("import for the sort probe");
    let me = std::env::current_exe().expect("own path");
    let ran = child::run(
        me.to_str().expect("utf-8"),
        &[],
        &[(SORT_PROBE_ENV, &p(&db))],
    )
    .expect("sort probe");
    let answers: serde_json::Value = serde_json::from_str(&ran.stdout).expect("sort answers");
    let samples = |k: &str| -> Vec<f64> {
        answers[k]
            .as_array()
            .map(|a| a.iter().filter_map(|v| v.as_f64()).collect())
            .unwrap_or_default()
    };
    let rows = answers["rows"].as_u64().unwrap_or(0);
    let first = samples("first");
    let worst = first.iter().copied().fold(f64::NAN, f64::max);
    let what = format!("sort: s to its rows in the new order, a tab of {rows} (slowest)");
    vec![
        if answers["sorted"].as_bool() == Some(true) && !first.is_empty() {
            Line::limit(&what, worst, "ms", 150.0)
        } else {
            Line::check(&what, false, "the tab was not sorted".into())
        },
        Line::latency(
            "sort: s, j/k PgDn/PgUp End/Home in each order",
            &mut samples("keys"),
            FRAME_BUDGET_MS,
        ),
    ]
}

/// The sort probe itself (see `measure_sort`).
pub fn probe_sort(db: &Path) {
    let svc = Service::new(Store::open(db).expect("store"), actor::current(None));
    let mut app = App::open(svc, 120, 35);
    let mut term = Terminal::new(TestBackend::new(120, 35)).expect("backend");
    app.settle();
    let rows = app.state.counts.of(Tab::Active);
    let (mut first, mut keys, mut sorted) = (Vec::new(), Vec::new(), true);
    for _ in 0..3 {
        // Every column in turn, and back to the name.
        for _ in 0..roster::domain::listing::SortBy::ALL.len() {
            // The key on the screen's thread, then its rows from the worker's scan.
            let t = Instant::now();
            app.handle_key(KeyEvent::from(KeyCode::Char('s')));
            app.collect();
            term.draw(|f| app.render(f)).expect("draw");
            keys.push(ms(t.elapsed()));
            app.settle();
            term.draw(|f| app.render(f)).expect("draw");
            first.push(ms(t.elapsed()));
            sorted &= app
                .state
                .status
                .as_ref()
                .is_some_and(|s| s.text.starts_with("Sorted by"));
            for k in [KeyCode::Char('j'); 5]
                .into_iter()
                .chain([KeyCode::PageDown, KeyCode::PageDown, KeyCode::PageUp])
                .chain([KeyCode::End, KeyCode::Char('k'), KeyCode::Home])
            {
                keys.push(press(&mut app, &mut term, k));
            }
        }
    }
    println!(
        "{}",
        serde_json::json!({ "rows": rows, "first": first, "keys": keys, "sorted": sorted })
    );
}

/// This process's peak resident memory so far, in KiB (Linux's `VmHWM`).
fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(u64::MAX)
}

/// Starts the peak over from what is resident now (Linux: 5 into `clear_refs`).
fn reset_peak() {
    std::fs::write("/proc/self/clear_refs", "5").expect("reset the peak RSS");
}
