//! The pull benchmark: `cargo bench --bench pull` (ROSTER_BENCH_N sets the size, default
//! 100,000 users, 100 a page). A stub of HubSpot's owners API on 127.0.0.1 (the tests'
//! stub, replaying the documented answer) serves the pages; the real `roster` pulls them
//! into an empty store. Printed: rows per second and the peak memory of the roster
//! process, beside an import of the same pages from one NDJSON file into another empty
//! store.
//!
//! The goal it judges: memory flat over the pages (no page kept after it is planned).
//! Both runs are made at a tenth of the pages and at all of them; what the file import's
//! peak grows by between the two is what the planner keeps per user. The pull's peak may
//! grow by that and by what it keeps per active HubSpot owner (an ID and two hashes, to
//! know an owner met in both lists), never by its pages: the goal is met when the pull's
//! growth beyond the file import's is under a quarter of what the added pages weigh (a
//! pull that kept its pages would grow by all of it). docs/benchmarks.md has the figures.

#[path = "../../tests/pull/answers.rs"]
mod answers;
#[path = "../scale/child.rs"]
mod child;
#[path = "../../tests/pull/stub.rs"]
mod stub;

use std::io::Write;
use std::path::Path;

const ROSTER: &str = env!("CARGO_BIN_EXE_roster");
const PAGE: u64 = 100;

struct Measured {
    pages: u64,
    asked: usize,
    page_bytes: u64,
    pull: child::Ran,
    file: child::Ran,
}

/// A pull of `n` users from the stub into an empty store, then an import of the same
/// pages from one file into another; both reports checked against the workload.
fn measure(dir: &Path, n: u64) -> Measured {
    let pages = n.div_ceil(PAGE);
    let people = std::sync::Arc::new(answers::people(0..n));
    let served = people.clone();
    let stub = stub::Stub::start(move |req| answers::hubspot(req, &served, &[]));
    let config = dir.join(format!("roster-{n}.toml"));
    std::fs::write(
        &config,
        format!(
            "[sources.hubspot]\nbase_url = \"{}\"\ntoken_env = \"ROSTER_BENCH_TOKEN\"\npage_size = {PAGE}\n",
            stub.url()
        ),
    )
    .expect("config");
    eprintln!("roster pull benchmark: {n} users over {pages} pages");

    // The same pages as one file, a page a line.
    let file = dir.join(format!("owners-{n}.ndjson"));
    let mut page_bytes = 0u64;
    {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&file).expect("file"));
        for chunk in people.chunks(PAGE as usize) {
            let results: Vec<serde_json::Value> =
                chunk.iter().map(answers::hubspot_owner).collect();
            let line = serde_json::json!({ "results": results }).to_string();
            page_bytes += line.len() as u64 + 1;
            out.write_all(line.as_bytes()).unwrap();
            out.write_all(b"\n").unwrap();
        }
        out.flush().unwrap();
    }

    let pull_db = dir.join(format!("pull-{n}.db"));
    let pull = child::run(
        ROSTER,
        &[
            "--db",
            path(&pull_db),
            "--config",
            path(&config),
            "pull",
            "hubspot",
            "--json",
        ],
        &[("ROSTER_BENCH_TOKEN", "pat-bench-token")],
    )
    .unwrap_or_else(|e| panic!("the pull failed: {e}"));
    let report: serde_json::Value = serde_json::from_str(&pull.stdout).expect("JSON report");
    check(&report, n, "the pull");
    assert_eq!(
        report["pages"].as_u64(),
        Some(pages + 1),
        "the archived owners' page too: {report}"
    );
    let asked = stub.requests().len();
    assert_eq!(
        asked as u64,
        pages + 1,
        "one request a page, none tried again"
    );
    drop(stub);

    let file_db = dir.join(format!("file-{n}.db"));
    let file_run = child::run(
        ROSTER,
        &[
            "--db",
            path(&file_db),
            "import",
            path(&file),
            "--system",
            "hubspot",
            "--json",
        ],
        &[],
    )
    .unwrap_or_else(|e| panic!("the file import failed: {e}"));
    let report: serde_json::Value = serde_json::from_str(&file_run.stdout).expect("JSON report");
    check(&report, n, "the file import");
    Measured {
        pages,
        asked,
        page_bytes,
        pull,
        file: file_run,
    }
}

/// The workload was the one meant: every user read and created, nothing else.
fn check(report: &serde_json::Value, n: u64, what: &str) {
    for (key, want) in [("rows", n), ("created", n), ("matched", 0), ("skipped", 0)] {
        assert_eq!(
            report[key].as_u64(),
            Some(want),
            "{what}: {key} in {report}"
        );
    }
    assert_eq!(
        report["conflicts"].as_array().map(Vec::len),
        Some(0),
        "{what}: {report}"
    );
}

fn main() {
    let n: u64 = std::env::var("ROSTER_BENCH_N")
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().expect("bench folder");
    let small = measure(dir.path(), (n / 10).max(PAGE));
    let full = measure(dir.path(), n);

    let mib = |kib: f64| kib / 1024.0;
    let rate = |secs: f64| n as f64 / secs;
    println!();
    println!(
        "{:<44} {:>12} {:>12} {:>14}",
        "", "seconds", "rows/s", "peak RSS MiB"
    );
    println!(
        "{:<44} {:>12.2} {:>12.0} {:>14.1}",
        format!("pull: {n} users, {} requests", full.asked),
        full.pull.seconds,
        rate(full.pull.seconds),
        mib(full.pull.max_rss_kib as f64)
    );
    println!(
        "{:<44} {:>12.2} {:>12.0} {:>14.1}",
        "import of the same pages from one file",
        full.file.seconds,
        rate(full.file.seconds),
        mib(full.file.max_rss_kib as f64)
    );
    let kib = |ran: &child::Ran| ran.max_rss_kib as f64;
    let pull_growth = kib(&full.pull) - kib(&small.pull);
    let file_growth = kib(&full.file) - kib(&small.file);
    let extra = pull_growth - file_growth;
    let added_pages = (full.page_bytes - small.page_bytes) as f64 / 1024.0;
    println!(
        "peak RSS at {} pages and at {} pages: the pull {:.1} -> {:.1} MiB, the file import {:.1} -> {:.1} MiB",
        small.pages,
        full.pages,
        mib(kib(&small.pull)),
        mib(kib(&full.pull)),
        mib(kib(&small.file)),
        mib(kib(&full.file)),
    );
    let met = extra < added_pages / 4.0;
    println!(
        "goal: memory flat over the pages (no page kept after it is planned): {} (the pull grew {:+.1} MiB beyond the file import over {} more pages, which weigh {:.1} MiB; the limit is a quarter of that)",
        if met { "met" } else { "MISSED" },
        mib(extra),
        full.pages - small.pages,
        mib(added_pages),
    );
    println!(
        "1 goal judged: {} met, {} MISSED",
        u8::from(met),
        u8::from(!met)
    );
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}
