//! `listing::scan` going the other way: the matching rows just before a position (or the
//! view's last ones), looking at no more than `budget` rows of the tab. The app uses it
//! to move up, and to jump to the end, in a filtered view of a big store without ever
//! waiting for a long scan.

use rusqlite::{Connection, ToSql};

use super::listing::{ROW_COLUMNS, Scan, SortKey, View, from_row, where_clause};
use crate::domain::search::normalize_term;
use crate::error::Error;

/// Up to `want` rows of `view` before `before` (from the end when `None`), in ascending
/// order, found among at most `budget` rows of the tab; `resume` is where to go on
/// from (rows before it), `None` once the scan reached the start of the tab.
pub fn scan_before(
    db: &Connection,
    view: &View,
    before: Option<&SortKey>,
    want: usize,
    budget: usize,
) -> Result<Scan, Error> {
    let unfiltered = View {
        text: None,
        ..view.clone()
    };
    let (mut cond, mut params) = where_clause(&unfiltered);
    if let Some(k) = before {
        params.push(Box::new(k.name.clone()));
        params.push(Box::new(k.id));
        let (a, b) = (params.len() - 1, params.len());
        cond.push_str(&format!(
            " AND e.name COLLATE NOCASE <= ?{a} AND (e.name COLLATE NOCASE < ?{a} OR e.id < ?{b})"
        ));
    }
    let term = view.text.as_deref().map(normalize_term).unwrap_or_default();
    params.push(Box::new(term));
    let t = params.len();
    params.push(Box::new(budget as i64));
    let sql = format!(
        "SELECT e.id, e.name, instr(e.search, ?{t}) > 0 FROM employees e WHERE {cond}
         ORDER BY e.name COLLATE NOCASE DESC, e.id DESC LIMIT ?{}",
        params.len()
    );
    let mut stmt = db.prepare_cached(&sql)?;
    let refs: Vec<&dyn ToSql> = params.iter().map(|p| p.as_ref()).collect();
    let mut q = stmt.query(refs.as_slice())?;
    let mut hits = Vec::new();
    let mut seen = 0;
    let mut last = None;
    while let Some(r) = q.next()? {
        seen += 1;
        let key = SortKey {
            id: r.get(0)?,
            name: r.get(1)?,
        };
        if r.get::<_, bool>(2)? {
            hits.push(key.id);
        }
        last = Some(key);
        if hits.len() == want {
            break;
        }
    }
    let reached_start = hits.len() < want && seen < budget;
    drop(q);
    let mut one = db.prepare_cached(&format!(
        "SELECT {ROW_COLUMNS} FROM employees e WHERE e.id = ?1"
    ))?;
    let mut rows = Vec::with_capacity(hits.len());
    for id in hits.into_iter().rev() {
        rows.push(one.query_row([id], from_row)?);
    }
    Ok(Scan {
        rows,
        resume: if reached_start { None } else { last },
    })
}
