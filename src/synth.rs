//! `roster gen`: synthetic export files in the real shapes of each system, with
//! overlapping people, for tests and benchmarks. Deterministic: the same seed and size
//! write the same bytes. Streams: a million people take no memory to speak of.
//!
//! People are numbered; person `i` has the same name and email (up to letter case)
//! wherever it appears:
//! - `salesforce.csv`: a Data Loader export of the User object, people 0..N (18-character
//!   IDs, upper-cased quoted headers); about 4% inactive; every 500th person shares the
//!   mailbox of the one before (two Salesforce users, one email).
//! - `hr.csv`: an HR system's export in the generic columns, N rows: 70% are Salesforce
//!   people with the email in upper case, 30% are new people.
//! - `hubspot.json`: the CRM owners API answer, N/2 owners: 70% Salesforce people with
//!   the email capitalised differently, 30% people of their own; about 3% archived.
//! - `pipedrive.json`: the users API answer, N/4 users: half Salesforce people, 30%
//!   HubSpot-only people, 20% new.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};

use crate::domain::system::salesforce_18;
use crate::error::Error;

const FIRST: &[&str] = &[
    "Anna", "Ben", "Chloé", "David", "Emma", "Felix", "Grace", "Hiro", "Ines", "Jonas", "Kira",
    "Liam", "Maya", "Noah", "Olga", "Pablo", "Quinn", "Rosa", "Sam", "Tara", "Umar", "Vera", "Wei",
    "Xenia", "Yusuf", "Zoë", "Jürgen", "Aiko", "Björn", "Carmen", "Dmitri", "Elif", "Fatima",
    "Gustav", "Hannah", "Ivan", "Julia", "Kofi", "Lena", "Mateo", "Nora", "Oskar", "Priya",
    "Rafael", "Sofia", "Tomás", "Ulla", "Viktor", "Yara", "Zeynep",
];
const LAST: &[&str] = &[
    "Smith", "Müller", "García", "Rossi", "Dubois", "Nowak", "Kowalski", "Jensen", "Silva",
    "Tanaka", "Kim", "Nguyen", "Cohen", "Okafor", "Novak", "Horvat", "Larsen", "Berg", "Costa",
    "Fischer", "Weber", "Meyer", "Schmidt", "Wagner", "Becker", "Hoffmann", "Martin", "Bernard",
    "Lefebvre", "Moreau", "Fontaine", "O'Brien", "Murphy", "Walsh", "Byrne", "Ryan", "Lee", "Park",
    "Chen", "Wang", "Li", "Zhang", "Patel", "Shah", "Khan", "Ali", "Ahmed", "Haddad", "Yılmaz",
    "Demir",
];
const DOMAINS: &[&str] = &["acme.example", "acme-sales.example", "acme.co.example"];

fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

struct People {
    seed: u64,
}

struct Person {
    first: &'static str,
    last: &'static str,
    email: String,
}

impl People {
    fn roll(&self, i: u64, salt: u64) -> u64 {
        mix(self.seed ^ mix(i ^ salt.wrapping_mul(0x2545_f491_4f6c_dd1d)))
    }

    fn person(&self, i: u64) -> Person {
        let h = self.roll(i, 1);
        let first = FIRST[(h % FIRST.len() as u64) as usize];
        let last = LAST[((h >> 16) % LAST.len() as u64) as usize];
        let domain = DOMAINS[((h >> 32) % DOMAINS.len() as u64) as usize];
        let email = format!("{}.{}{}@{domain}", ascii_fold(first), ascii_fold(last), i);
        Person { first, last, email }
    }

    /// One chance in `n` for person `i` (with a salt per question).
    fn one_in(&self, i: u64, salt: u64, n: u64) -> bool {
        self.roll(i, salt).is_multiple_of(n)
    }
}

/// "Chloé" → "chloe", "O'Brien" → "obrien": the local part of an email.
fn ascii_fold(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            'é' | 'è' | 'ë' => Some('e'),
            'á' | 'à' => Some('a'),
            'í' | 'ı' => Some('i'),
            'ó' | 'ö' => Some('o'),
            'ú' | 'ü' => Some('u'),
            'ç' => Some('c'),
            c if c.is_ascii_alphanumeric() => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

/// "anna.smith7@acme.example" → "Anna.Smith7@Acme.Example".
fn capitalised(email: &str) -> String {
    let mut out = String::with_capacity(email.len());
    let mut start = true;
    for c in email.chars() {
        out.push(if start { c.to_ascii_uppercase() } else { c });
        start = matches!(c, '.' | '@' | '-');
    }
    out
}

fn salesforce_id(i: u64) -> String {
    const B62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut tail = [b'0'; 10];
    let mut n = i;
    for slot in tail.iter_mut().rev() {
        *slot = B62[(n % 62) as usize];
        n /= 62;
    }
    let short = format!(
        "005Dn{}",
        std::str::from_utf8(&tail).unwrap_or("0000000000")
    );
    salesforce_18(&short).unwrap_or(short)
}

fn csv_field(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// A stamp for "last login" and "created" fields.
fn stamp(h: u64) -> String {
    format!(
        "2025-{:02}-{:02}T{:02}:{:02}:{:02}.000Z",
        1 + h % 12,
        1 + (h >> 8) % 28,
        (h >> 16) % 24,
        (h >> 24) % 60,
        (h >> 32) % 60
    )
}

/// The files written, with their row counts.
#[derive(Debug, Clone)]
pub struct Written {
    pub files: Vec<(PathBuf, u64, &'static str)>,
}

fn io(path: &Path, e: std::io::Error) -> Error {
    Error::Io(format!("Cannot write {}: {e}.", path.display()))
}

struct Out {
    path: PathBuf,
    w: BufWriter<File>,
}

/// The files `generate` writes, in that order.
pub const FILES: [&str; 4] = ["salesforce.csv", "hr.csv", "hubspot.json", "pipedrive.json"];

impl Out {
    /// A new file, owner-only like the store: never over an existing file, never
    /// through a symbolic link.
    fn create(dir: &Path, name: &str, created: &mut Vec<PathBuf>) -> Result<Out, Error> {
        let path = dir.join(name);
        let f = crate::files::create_new(&path, crate::files::Mode::OWNER_ONLY).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                exists(&path)
            } else {
                io(&path, e)
            }
        })?;
        created.push(path.clone());
        Ok(Out {
            w: BufWriter::with_capacity(1 << 20, f),
            path,
        })
    }

    fn put(&mut self, s: &str) -> Result<(), Error> {
        self.w
            .write_all(s.as_bytes())
            .map_err(|e| io(&self.path, e))
    }

    fn done(mut self) -> Result<PathBuf, Error> {
        self.w.flush().map_err(|e| io(&self.path, e))?;
        Ok(self.path)
    }
}

/// The sentence for a file `gen` will not replace.
fn exists(path: &Path) -> Error {
    Error::Invalid(format!(
        "Nothing was written: {} exists, and gen writes new files only; remove it or choose another --out.",
        crate::domain::sanitize::path(path)
    ))
}

/// Writes the four files (`FILES`) for `n` people into `dir`: new files only, all or
/// none (a file that exists is named before anything is written; one that fails half
/// way is removed with those written before it).
pub fn generate(n: u64, dir: &Path, seed: u64) -> Result<Written, Error> {
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| io(dir, e))?;
    if let Some(taken) = FILES
        .iter()
        .map(|f| dir.join(f))
        .find(|p| fs::symlink_metadata(p).is_ok())
    {
        return Err(exists(&taken));
    }
    let mut created = Vec::new();
    write_all(n, dir, seed, &mut created).inspect_err(|_| {
        for path in &created {
            let _ = fs::remove_file(path);
        }
    })
}

fn write_all(n: u64, dir: &Path, seed: u64, created: &mut Vec<PathBuf>) -> Result<Written, Error> {
    let people = People { seed };
    let mut files = Vec::new();

    // Salesforce: a Data Loader export of User.
    let mut out = Out::create(dir, "salesforce.csv", created)?;
    out.put("\"ID\",\"USERNAME\",\"LASTNAME\",\"FIRSTNAME\",\"NAME\",\"EMAIL\",\"ISACTIVE\",\"FULLPHOTOURL\",\"SMALLPHOTOURL\",\"USERROLEID\",\"PROFILEID\",\"TIMEZONESIDKEY\",\"LASTLOGINDATE\"\n")?;
    for i in 0..n {
        let p = people.person(i);
        // Every 500th person shares the mailbox of the one before.
        let email = if i % 500 == 499 {
            people.person(i - 1).email
        } else {
            p.email.clone()
        };
        let id = salesforce_id(i);
        let active = !people.one_in(i, 2, 25);
        let photo = format!("https://acme.my.salesforce.com/profilephoto/729Dn{:010}", i);
        let line = [
            csv_field(&id),
            csv_field(&format!("{}.sf", p.email)),
            csv_field(p.last),
            csv_field(p.first),
            csv_field(&format!("{} {}", p.first, p.last)),
            csv_field(&email),
            csv_field(if active { "true" } else { "false" }),
            csv_field(&format!("{photo}/F")),
            csv_field(&format!("{photo}/T")),
            csv_field("00EDn000001AbCdMAK"),
            csv_field("00eDn000000XyZaIAK"),
            csv_field("Europe/Berlin"),
            csv_field(&stamp(people.roll(i, 3))),
        ]
        .join(",");
        out.put(&line)?;
        out.put("\n")?;
    }
    files.push((out.done()?, n, "salesforce"));

    // An HR system in the generic columns: 70% Salesforce people (upper-case email), 30% new.
    let mut out = Out::create(dir, "hr.csv", created)?;
    out.put("external_id,email,name,active,department,cost_center\n")?;
    for j in 0..n {
        let (who, upper) = if j % 10 < 7 {
            ((j / 10) * 7 + j % 10, true)
        } else {
            (n + j, false)
        };
        let p = people.person(who);
        let email = if upper {
            p.email.to_uppercase()
        } else {
            p.email.clone()
        };
        out.put(&format!(
            "HR-{:07},{email},{} {},{},Sales,CC-{}\n",
            j,
            csv_text(p.first),
            csv_text(p.last),
            if people.one_in(who, 4, 30) { 0 } else { 1 },
            100 + j % 37
        ))?;
    }
    files.push((out.done()?, n, "hr"));

    // HubSpot owners: 70% Salesforce people (capitalised email), 30% their own people.
    let m = n / 2;
    let mut out = Out::create(dir, "hubspot.json", created)?;
    out.put("{\n  \"results\": [\n")?;
    for j in 0..m {
        let (who, capital) = if j % 10 < 7 {
            ((j * 2).min(n.saturating_sub(1)), true)
        } else {
            (2 * n + j, false)
        };
        let p = people.person(who);
        let email = if capital {
            capitalised(&p.email)
        } else {
            p.email.clone()
        };
        let h = people.roll(who, 5);
        out.put(&format!(
            "    {{\"id\": \"{}\", \"email\": {}, \"type\": \"PERSON\", \"firstName\": {}, \"lastName\": {}, \"userId\": {}, \"userIdIncludingInactive\": {}, \"createdAt\": \"{}\", \"updatedAt\": \"{}\", \"archived\": {}, \"teams\": [{{\"id\": \"{}\", \"name\": \"Sales {}\", \"primary\": true}}]}}{}\n",
            100_000_000 + j,
            json_str(&email),
            json_str(p.first),
            json_str(p.last),
            9_000_000 + j,
            9_000_000 + j,
            stamp(h),
            stamp(h >> 7),
            people.one_in(who, 6, 33),
            7000 + j % 12,
            ["EMEA", "APAC", "Americas"][(j % 3) as usize],
            if j + 1 < m { "," } else { "" }
        ))?;
    }
    out.put("  ]\n}\n")?;
    files.push((out.done()?, m, "hubspot"));

    // Pipedrive users: half Salesforce people, 30% HubSpot's own, 20% new.
    let k = n / 4;
    let mut out = Out::create(dir, "pipedrive.json", created)?;
    out.put("{\"success\":true,\"data\":[\n")?;
    for j in 0..k {
        let who = match j % 10 {
            0..=4 => (j * 4 + 1).min(n.saturating_sub(1)),
            5..=7 => 2 * n + (j * 10 / 3).min(m.saturating_sub(1)),
            _ => 3 * n + j,
        };
        let p = people.person(who);
        let h = people.roll(who, 7);
        let icon = if h.is_multiple_of(3) {
            "null".to_owned()
        } else {
            json_str(&format!(
                "https://avatars.pipedrive.example/{:x}.png",
                h >> 20
            ))
        };
        out.put(&format!(
            "{{\"id\":{},\"name\":{},\"default_currency\":\"EUR\",\"locale\":\"en_US\",\"lang\":1,\"email\":{},\"phone\":null,\"activated\":true,\"last_login\":\"{}\",\"created\":\"{}\",\"modified\":\"{}\",\"has_created_company\":false,\"access\":[{{\"app\":\"sales\",\"admin\":false,\"permission_set_id\":\"{:x}\"}}],\"active_flag\":{},\"timezone_name\":\"Europe/Berlin\",\"timezone_offset\":\"+01:00\",\"role_id\":1,\"icon_url\":{},\"is_you\":false,\"is_admin\":0}}{}\n",
            10_000 + j,
            json_str(&format!("{} {}", p.first, p.last)),
            json_str(&p.email),
            stamp(h),
            stamp(h >> 5),
            stamp(h >> 9),
            h >> 40,
            !people.one_in(who, 8, 20),
            icon,
            if j + 1 < k { "," } else { "" }
        ))?;
    }
    out.put(&format!(
        "],\"additional_data\":{{\"pagination\":{{\"start\":0,\"limit\":{},\"more_items_in_collection\":false}}}}}}\n",
        k.max(1)
    ))?;
    files.push((out.done()?, k, "pipedrive"));

    Ok(Written { files })
}

fn csv_text(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        csv_field(s)
    } else {
        s.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_emails_and_case() {
        let id = salesforce_id(61);
        assert_eq!(id.len(), 18);
        assert!(id.starts_with("005Dn000000000z"));
        assert_eq!(
            capitalised("anna.smith7@acme.example"),
            "Anna.Smith7@Acme.Example"
        );
        assert_eq!(ascii_fold("O'Brien"), "obrien");
        let p = People { seed: 1 };
        assert_eq!(p.person(5).email, p.person(5).email);
        assert_ne!(p.person(5).email, p.person(6).email);
    }
}
