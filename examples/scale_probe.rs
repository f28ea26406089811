use roster::store::Store;
use roster::store::listing::{self, Page, Tab, View};
use std::time::Instant;

fn main() {
    let path = std::path::PathBuf::from(std::env::args().nth(1).unwrap());
    let fresh = !path.exists();
    let mut store = Store::open(&path).unwrap();
    if fresh {
        let t = Instant::now();
        let db = store.conn_mut();
        if let Ok(c) = std::env::var("CACHE") {
            db.execute_batch(&format!("PRAGMA cache_size = -{c}"))
                .unwrap();
        }
        if std::env::var("NOIDX").is_ok() {
            db.execute_batch("DROP INDEX employees_by_tab_name; DROP INDEX employees_tracked; DROP INDEX employees_by_email; DROP INDEX connections_by_employee; DROP INDEX connections_by_email;").unwrap();
        }
        let tx = db.transaction().unwrap();
        {
            let mut e = tx.prepare("INSERT INTO employees (id, name, email, email_norm, status, suppliers, created_at, updated_at, login_access) VALUES (?1, ?2, ?3, ?3, ?4, ?5, 'x', 'x', 0)").unwrap();
            let mut c = tx.prepare("INSERT INTO connections (system, external_id, employee_id, email, email_norm, name, origin, created_by, created_at, manages) VALUES (?1, ?2, ?3, ?4, ?4, ?5, 'import-new', 'x', 'x', ?6)").unwrap();
            let first = [
                "Anna", "Bob", "Carla", "Dmitri", "Eve", "Farah", "Gus", "Hana", "Ivan", "Jia",
                "Kofi", "Lena", "Mateo", "Nia", "Omar", "Pia", "Quinn", "Rosa", "Sven", "Tara",
            ];
            let last = [
                "Smith", "Jones", "Garcia", "Müller", "Rossi", "Tanaka", "Kim", "Nguyen", "Silva",
                "Cohen", "Novak", "Berg", "Ali", "Dubois", "Kowalski", "Olsen",
            ];
            let mut x: u64 = 88172645463325252;
            for id in 1..=1_000_000i64 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let name = format!(
                    "{} {} {}",
                    first[(x % 20) as usize],
                    last[((x >> 8) % 16) as usize],
                    (x >> 20) % 100000
                );
                let email = format!(
                    "{}.{}@corp{}.example",
                    first[(x % 20) as usize].to_lowercase(),
                    id,
                    (x >> 40) % 50
                );
                let status = match (x >> 30) % 20 {
                    0 => "pending",
                    1 | 2 => "deactivated",
                    _ => "active",
                };
                let nconn = (x >> 33) % 10; // 0..9: 0 -> none, 1..3 -> 1, 4..9 -> 2
                let systems: &[&str] = if nconn == 0 {
                    &[]
                } else if nconn < 4 {
                    &["salesforce"]
                } else {
                    &["hubspot", "salesforce"]
                };
                e.execute(rusqlite::params![
                    id,
                    name,
                    email,
                    status,
                    systems.join(",")
                ])
                .unwrap();
                for (i, s) in systems.iter().enumerate() {
                    c.execute(rusqlite::params![
                        s,
                        format!("{}{:09}", &s[..2], id),
                        id,
                        email,
                        name,
                        i == 0
                    ])
                    .unwrap();
                }
            }
        }
        println!("inserted in {:?}", t.elapsed());
        if std::env::var("NOIDX").is_ok() {
            tx.execute_batch("CREATE INDEX employees_by_tab_name ON employees(status, name COLLATE NOCASE, id);
    
    CREATE INDEX employees_tracked ON employees(name COLLATE NOCASE, id) WHERE status = 'active' AND suppliers <> '';
    CREATE INDEX employees_by_email ON employees(email_norm) WHERE email_norm IS NOT NULL;
    CREATE INDEX connections_by_employee ON connections(employee_id);
    CREATE INDEX connections_by_email ON connections(email_norm) WHERE email_norm IS NOT NULL;").unwrap();
        }
        let c = roster::store::counts::recompute(&tx).unwrap();
        roster::store::counts::store(&tx, &c).unwrap();
        tx.commit().unwrap();
        println!("built in {:?}", t.elapsed());
    }
    let db = store.conn();
    let time = |label: &str, f: &mut dyn FnMut() -> usize| {
        let t = Instant::now();
        let n = f();
        println!(
            "{label:50} {:>10.3} ms  ({n})",
            t.elapsed().as_secs_f64() * 1000.0
        );
    };
    time("counts", &mut || {
        let c = listing::counts(db).unwrap();
        c.active as usize
    });
    let view = View::tab(Tab::Active);
    time("first page", &mut || {
        listing::page(db, &view, &Page::First, 60).unwrap().len()
    });
    time("last page", &mut || {
        listing::page(db, &view, &Page::Last, 60).unwrap().len()
    });
    let mid = listing::page(db, &view, &Page::First, 60)
        .unwrap()
        .last()
        .unwrap()
        .key();
    time("after page", &mut || {
        listing::page(db, &view, &Page::After(mid.clone()), 60)
            .unwrap()
            .len()
    });
    time("before page", &mut || {
        listing::page(db, &view, &Page::Before(mid.clone()), 60)
            .unwrap()
            .len()
    });
    let tracked = View::tab(Tab::Tracked);
    time("tracked first", &mut || {
        listing::page(db, &tracked, &Page::First, 60).unwrap().len()
    });
    time("tracked last", &mut || {
        listing::page(db, &tracked, &Page::Last, 60).unwrap().len()
    });
    for t in ["a", "an", "ann", "anna", "zzq", "sf000123", "müller 4"] {
        let v = View {
            tab: Tab::Active,
            supplier: None,
            text: Some(t.into()),
        };
        time(&format!("filter {t:?} first page"), &mut || {
            listing::page(db, &v, &Page::First, 60).unwrap().len()
        });
    }
    for q in [
        "EXPLAIN QUERY PLAN SELECT e.id FROM employees e WHERE e.status = 'active' AND (e.name COLLATE NOCASE, e.id) > ('x', 1) ORDER BY e.name COLLATE NOCASE, e.id LIMIT 60",
    ] {
        let mut s = db.prepare(q).unwrap();
        let rows: Vec<String> = s
            .query_map([], |r| r.get::<_, String>(3))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        println!("{rows:?}");
    }
}
