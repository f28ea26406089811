//! The scale benchmark of issue 6: `cargo bench` (ROSTER_BENCH_N sets the size,
//! default 1,000,000 people). It generates the files with `roster gen`, times each import
//! kind next to a baseline on the same file in the same run (the sqlite3 shell's `.import`
//! when it is installed, else an in-process raw INSERT of the same rows), drives the app
//! headless, and prints one table of times, ratios and peak memory.

mod app;
mod child;
mod report;
mod workload;

use std::path::{Path, PathBuf};
use std::time::Instant;

use report::{Line, Table};

const ROSTER: &str = env!("CARGO_BIN_EXE_roster");

fn main() {
    if let Some(db) = std::env::var_os(app::PROBE_ENV) {
        app::probe(Path::new(&db));
        return;
    }
    if let Some(db) = std::env::var_os(app::SORT_PROBE_ENV) {
        app::probe_sort(Path::new(&db));
        return;
    }
    let n: u64 = std::env::var("ROSTER_BENCH_N")
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(1_000_000);
    let work = std::env::var_os("ROSTER_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            std::env::temp_dir().join(format!("roster-bench-{}", std::process::id()))
        });
    std::fs::create_dir_all(&work).expect("bench folder");
    let files = work.join("files");
    // gen writes new files only: a reused ROSTER_BENCH_DIR holds the last run's.
    let _ = std::fs::remove_dir_all(&files);
    eprintln!("roster benchmark: {n} people in {}", work.display());

    let started = Instant::now();
    child::run(
        ROSTER,
        &["gen", "--employees", &n.to_string(), "--out", path(&files)],
        &[],
    )
    .expect("roster gen");
    eprintln!(
        "generated the files in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let mut table = Table::default();
    let db = work.join("bench.db");
    let _ = std::fs::remove_file(&db);
    let sf = files.join("salesforce.csv");
    let hr = files.join("hr.csv");

    let base_sf = baseline(&work, &sf);
    let base_hr = baseline(&work, &hr);
    table.note(format!("baseline: {}", base_sf.how));

    let import = |file: &Path, system: &str| {
        child::run(
            ROSTER,
            &[
                "--db",
                path(&db),
                "import",
                path(file),
                "--system",
                system,
                "--allow-mass-create",
                "--json",
            ],
            &[],
        )
        .unwrap_or_else(|e| panic!("import of {} failed: {e}", file.display()))
    };
    let undo = || {
        child::run(ROSTER, &["--db", path(&db), "undo", "--yes", "--json"], &[])
            .unwrap_or_else(|e| panic!("roster undo failed: {e}"))
    };
    // Each import's time stands only when its report shows the work it stands for; an
    // undo's, when its audit entry does.
    let report = |ran: &child::Ran| -> serde_json::Value {
        serde_json::from_str(&ran.stdout).unwrap_or(serde_json::Value::Null)
    };
    let last_entry = || -> serde_json::Value {
        child::run(
            ROSTER,
            &["--db", path(&db), "log", "--limit", "1", "--json"],
            &[],
        )
        .ok()
        .and_then(|r| serde_json::from_str::<serde_json::Value>(&r.stdout).ok())
        .map(|v| v[0].clone())
        .unwrap_or(serde_json::Value::Null)
    };
    let new_people = import(&sf, "salesforce");
    table.push(Line::import(
        "import: new people (salesforce.csv)",
        &new_people,
        &base_sf,
        0.25,
    ));
    table.push(workload::new_people(
        "import: new people did the work",
        &report(&new_people),
        n,
    ));
    // Taken back (every profile it created removed), then imported again for the rest.
    let undo_new = undo();
    table.push(Line::undo(
        "import undo: new people",
        &undo_new,
        &new_people,
    ));
    table.push(workload::undone(
        "import undo: new people all taken back",
        &last_entry(),
        &report(&new_people),
    ));
    let redo = import(&sf, "salesforce");
    table.push(workload::new_people(
        "import: new people again, after the undo",
        &report(&redo),
        n,
    ));
    let second = import(&hr, "hr");
    table.push(Line::import(
        "import: 2nd system, 70% by email (hr.csv)",
        &second,
        &base_hr,
        0.25,
    ));
    table.push(workload::second_system(&report(&second), n));
    let again = import(&sf, "salesforce");
    table.push(Line::import(
        "import: unchanged re-import",
        &again,
        &base_sf,
        0.5,
    ));
    table.push(workload::unchanged(&report(&again), n));
    let memory = [&new_people, &undo_new, &redo, &second, &again]
        .iter()
        .map(|r| r.max_rss_kib)
        .max()
        .unwrap_or(0);
    table.push(Line::limit(
        "import: peak RSS",
        memory as f64 / 1024.0,
        "MiB",
        512.0,
    ));

    let check = child::run(ROSTER, &["--db", path(&db), "check"], &[]);
    table.push(Line::check(
        "roster check after the imports",
        check.is_ok(),
        match &check {
            Ok(_) => "integrity, invariants and derived data agree".to_owned(),
            Err(e) => e.lines().next().unwrap_or_default().to_owned(),
        },
    ));

    // The review inbox's full duplicate scan over every profile (issue 14: under 10 s at
    // a million, in the background of the app; here the command does the same scan).
    let rescan = child::run(
        ROSTER,
        &[
            "--db",
            path(&db),
            "review",
            "--rescan",
            "--limit",
            "1",
            "--json",
        ],
        &[],
    )
    .expect("roster review --rescan");
    table.push(Line::limit(
        "review: full duplicate rescan",
        rescan.seconds,
        "s",
        10.0,
    ));
    table.push(Line::info(
        "review: rescan peak RSS",
        format!("{:.1} MiB", rescan.max_rss_kib as f64 / 1024.0),
    ));

    for line in app::measure(&db) {
        table.push(line);
    }
    for line in app::measure_sort(&work, ROSTER) {
        table.push(line);
    }

    // The latest import that changed something is the second system's: taken back
    // (its links removed, its new profiles removed, 70% of the profiles restored).
    let undo_second = undo();
    table.push(Line::undo("import undo: 2nd system", &undo_second, &second));
    table.push(workload::undone(
        "import undo: 2nd system all taken back",
        &last_entry(),
        &report(&second),
    ));
    table.push(Line::limit(
        "import undo: peak RSS",
        undo_new.max_rss_kib.max(undo_second.max_rss_kib) as f64 / 1024.0,
        "MiB",
        512.0,
    ));
    let check = child::run(ROSTER, &["--db", path(&db), "check"], &[]);
    table.push(Line::check(
        "roster check after the undo",
        check.is_ok(),
        match &check {
            Ok(_) => "integrity, invariants and derived data agree".to_owned(),
            Err(e) => e.lines().next().unwrap_or_default().to_owned(),
        },
    ));
    table.print(n);
    if std::env::var_os("ROSTER_BENCH_DIR").is_none() {
        let _ = std::fs::remove_dir_all(&work);
    }
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// How long the baseline took on one file, and which baseline it was.
pub struct Baseline {
    pub seconds: f64,
    pub how: String,
}

/// The sqlite3 shell's `.import` of `file` into a new table, or, without the shell, a raw
/// prepared INSERT of the same rows in one transaction, in-process.
fn baseline(work: &Path, file: &Path) -> Baseline {
    let db = work.join("baseline.db");
    let _ = std::fs::remove_file(&db);
    let shell = std::process::Command::new("sqlite3")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success());
    let started = Instant::now();
    let how = if shell {
        let out = child::run(
            "sqlite3",
            &[path(&db), &format!(".import --csv {} t", path(file))],
            &[],
        )
        .expect("sqlite3 .import");
        let _ = out;
        "the sqlite3 shell's .import --csv of the same file".to_owned()
    } else {
        raw_insert(&db, file);
        "an in-process raw INSERT of the same rows (no sqlite3 shell here)".to_owned()
    };
    let seconds = started.elapsed().as_secs_f64();
    let _ = std::fs::remove_file(&db);
    Baseline { seconds, how }
}

fn raw_insert(db: &Path, file: &Path) {
    let mut conn = rusqlite::Connection::open(db).expect("baseline db");
    let mut reader = csv::Reader::from_path(file).expect("csv");
    let headers = reader.headers().expect("header").clone();
    let cols: Vec<String> = (0..headers.len()).map(|i| format!("c{i}")).collect();
    conn.execute_batch(&format!("CREATE TABLE t ({})", cols.join(", ")))
        .expect("table");
    let tx = conn.transaction().expect("tx");
    {
        let marks: Vec<String> = (1..=cols.len()).map(|i| format!("?{i}")).collect();
        let mut stmt = tx
            .prepare(&format!("INSERT INTO t VALUES ({})", marks.join(", ")))
            .expect("insert");
        for rec in reader.records() {
            let rec = rec.expect("record");
            stmt.execute(rusqlite::params_from_iter(rec.iter()))
                .expect("row");
        }
    }
    tx.commit().expect("commit");
}
