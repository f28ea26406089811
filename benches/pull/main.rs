//! The pull benchmark: `cargo bench --bench pull` (ROSTER_BENCH_N sets the size, default
//! 100,000 users, 100 a page). A stub of HubSpot's owners API on 127.0.0.1 (the tests'
//! stub, replaying the documented answer) serves the pages; the real `roster` pulls them
//! into an empty store. Printed: rows per second and the peak memory of the roster
//! process, beside an import of the same pages from one NDJSON file into another empty
//! store. The pull holds no page after it is planned when its peak is the file import's
//! (a pull that kept its pages would hold them all: their size is printed too).

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

fn main() {
    let n: u64 = std::env::var("ROSTER_BENCH_N")
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(100_000);
    let pages = n.div_ceil(PAGE);
    let dir = tempfile::tempdir().expect("bench folder");
    let people = std::sync::Arc::new(answers::people(0..n));
    let served = people.clone();
    let stub = stub::Stub::start(move |req| answers::hubspot(req, &served, &[]));
    let config = dir.path().join("roster.toml");
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
    let file = dir.path().join("owners.ndjson");
    let mut total_bytes = 0u64;
    {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&file).expect("file"));
        for chunk in people.chunks(PAGE as usize) {
            let results: Vec<serde_json::Value> =
                chunk.iter().map(answers::hubspot_owner).collect();
            let line = serde_json::json!({ "results": results }).to_string();
            total_bytes += line.len() as u64 + 1;
            out.write_all(line.as_bytes()).unwrap();
            out.write_all(b"\n").unwrap();
        }
        out.flush().unwrap();
    }

    let pull_db = dir.path().join("pull.db");
    let pulled = child::run(
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
    let report: serde_json::Value = serde_json::from_str(&pulled.stdout).expect("JSON report");
    assert_eq!(report["created"].as_u64(), Some(n), "{report}");
    assert_eq!(
        report["pages"].as_u64(),
        Some(pages + 1),
        "the archived owners' page too"
    );
    let asked = stub.requests().len();
    drop(stub);

    let file_db = dir.path().join("file.db");
    let imported = child::run(
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

    let mib = |kib: u64| kib as f64 / 1024.0;
    let rate = |secs: f64| n as f64 / secs;
    println!();
    println!(
        "{:<44} {:>12} {:>12} {:>14}",
        "", "seconds", "rows/s", "peak RSS MiB"
    );
    println!(
        "{:<44} {:>12.2} {:>12.0} {:>14.1}",
        format!("pull: {n} users, {asked} requests"),
        pulled.seconds,
        rate(pulled.seconds),
        mib(pulled.max_rss_kib)
    );
    println!(
        "{:<44} {:>12.2} {:>12.0} {:>14.1}",
        "import of the same pages from one file",
        imported.seconds,
        rate(imported.seconds),
        mib(imported.max_rss_kib)
    );
    let extra = pulled.max_rss_kib as f64 - imported.max_rss_kib as f64;
    let all_pages = total_bytes as f64 / 1024.0;
    println!(
        "memory: the pull's peak is {:+.1} MiB against the file import's; all its pages together are {:.1} MiB: {}",
        extra / 1024.0,
        all_pages / 1024.0,
        if extra < all_pages / 4.0 {
            "flat (no page kept after it is planned)"
        } else {
            "NOT FLAT: the pull holds pages"
        }
    );
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}
