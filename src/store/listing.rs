//! The employees table as pages: keyset pagination on (sort key, id), so that fetching the
//! rows around any position costs the same at row 10 as at row 1,000,000.

use rusqlite::{Connection, Row, ToSql};

use crate::domain::listing::{
    Found, ListRow, Managed, Page, SortBy, SortKey, Tab, Towards, View, merge_found,
};
use crate::domain::model::{ConnKey, Status};
use crate::domain::search::normalize_term;
use crate::domain::suppliers;
use crate::error::Error;

/// The rows of `tab`, as SQL over `employees e`.
fn condition(tab: Tab) -> &'static str {
    match tab {
        Tab::Active => "e.status = 'active'",
        Tab::Pending => "e.status = 'pending'",
        Tab::Deactivated => "e.status = 'deactivated'",
        Tab::Tracked => "e.status = 'active' AND e.suppliers <> ''",
        Tab::All => "1",
    }
}

/// What the rows of `sort` are ordered by (then by id): the sort key for the name, else
/// the column's value, then the sort key (unit separator between: it sorts before any
/// character a value holds). The ID order is the id alone.
fn order(sort: SortBy) -> &'static str {
    match sort {
        SortBy::Name => "e.sort_name",
        SortBy::Id => "''",
        SortBy::Email => "coalesce(e.email_norm, '') || char(31) || e.sort_name",
        SortBy::Login => "(1 - e.login_access) || char(31) || e.sort_name",
        SortBy::Status => "e.status || char(31) || e.sort_name",
        SortBy::Suppliers => "e.suppliers || char(31) || e.sort_name",
        SortBy::ManagedBy => {
            "coalesce((SELECT system FROM connections WHERE employee_id = e.id AND manages = 1), '')
             || char(31) || e.sort_name"
        }
    }
}

/// The row columns of a read in `sort`'s order (the last one is the row's sort value).
fn row_columns(sort: SortBy) -> String {
    format!("{ROW_COLUMNS_BUT_KEY}, {}", order(sort))
}

const ROW_COLUMNS_BUT_KEY: &str =
    "e.id, e.name, e.email, e.picture_url, e.login_access, e.status, e.suppliers, e.version,
    (SELECT system FROM connections WHERE employee_id = e.id AND manages = 1),
    (SELECT external_id FROM connections WHERE employee_id = e.id AND manages = 1)";

fn from_row(r: &Row<'_>) -> rusqlite::Result<ListRow> {
    let suppliers: String = r.get(6)?;
    let system: Option<String> = r.get(8)?;
    let external_id: Option<String> = r.get(9)?;
    Ok(ListRow {
        id: r.get(0)?,
        name: r.get(1)?,
        sort_name: r.get(10)?,
        email: r.get(2)?,
        picture_url: r.get(3)?,
        login_access: r.get(4)?,
        status: r.get(5)?,
        suppliers: suppliers::decode(&suppliers),
        managed_by: system.zip(external_id).map(|(s, x)| ConnKey::new(s, x)),
        version: r.get(7)?,
    })
}

/// The WHERE clause of `view` and its parameters.
fn where_clause(view: &View) -> (String, Vec<Box<dyn ToSql>>) {
    let mut sql = String::from(condition(view.tab));
    let mut params: Vec<Box<dyn ToSql>> = Vec::new();
    if let Some(s) = &view.supplier {
        params.push(Box::new(s.clone()));
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM connections c WHERE c.employee_id = e.id AND c.system = ?{})",
            params.len()
        ));
    }
    let n = &view.narrow;
    if let Some(status) = n.status {
        params.push(Box::new(status.as_str()));
        sql.push_str(&format!(" AND e.status = ?{}", params.len()));
    }
    if let Some(login) = n.login {
        params.push(Box::new(login));
        sql.push_str(&format!(" AND e.login_access = ?{}", params.len()));
    }
    match &n.managed {
        None => {}
        Some(Managed::Manual) => sql.push_str(
            " AND NOT EXISTS (SELECT 1 FROM connections m WHERE m.employee_id = e.id AND m.manages = 1)",
        ),
        Some(Managed::By(system)) => {
            params.push(Box::new(system.clone()));
            sql.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM connections m WHERE m.employee_id = e.id AND m.manages = 1 AND m.system = ?{})",
                params.len()
            ));
        }
    }
    if let Some(t) = view
        .text
        .as_deref()
        .map(normalize_term)
        .filter(|t| !t.is_empty())
    {
        params.push(Box::new(t));
        sql.push_str(&format!(" AND instr(e.search, ?{}) > 0", params.len()));
    }
    (sql, params)
}

/// Narrows `cond` to the rows after `key` (`op` ">") or before it ("<") in (sort key, id)
/// order. Written as a range on the sort key plus a tie-break, not as a row value,
/// because SQLite turns only this form into an index range (a row value made it scan
/// from the start of the tab: 100 ms deep in 1M rows).
fn beyond(cond: &mut String, params: &mut Vec<Box<dyn ToSql>>, key: &SortKey, op: &str) {
    beyond_in(cond, params, key, op, SortBy::Name);
}

/// `beyond` in the order of `sort`.
fn beyond_in(
    cond: &mut String,
    params: &mut Vec<Box<dyn ToSql>>,
    key: &SortKey,
    op: &str,
    sort: SortBy,
) {
    params.push(Box::new(key.sort_name.clone()));
    params.push(Box::new(key.id));
    let (a, b) = (params.len() - 1, params.len());
    let v = order(sort);
    cond.push_str(&format!(
        " AND ({v}) {op}= ?{a} AND (({v}) {op} ?{a} OR e.id {op} ?{b})"
    ));
}

/// Up to `limit` rows of `view` at `page`, always in ascending (sort key, id) order.
/// All is read as its three status tabs, each a keyset page of its own index, merged.
pub fn page(
    db: &Connection,
    view: &View,
    page: &Page,
    limit: usize,
) -> Result<Vec<ListRow>, Error> {
    if view.tab != Tab::All {
        return tab_page(db, view, page, limit);
    }
    let mut rows = Vec::new();
    for tab in Tab::STATUSES {
        rows.extend(tab_page(db, &view.on(tab), page, limit)?);
    }
    rows.sort_by_key(ListRow::key);
    if matches!(page, Page::Before(_) | Page::Last) {
        Ok(rows.split_off(rows.len().saturating_sub(limit)))
    } else {
        rows.truncate(limit);
        Ok(rows)
    }
}

fn tab_page(
    db: &Connection,
    view: &View,
    page: &Page,
    limit: usize,
) -> Result<Vec<ListRow>, Error> {
    let (mut cond, mut params) = where_clause(view);
    let descending = matches!(page, Page::Before(_) | Page::Last);
    match page {
        Page::After(k) | Page::Before(k) => beyond_in(
            &mut cond,
            &mut params,
            k,
            if descending { "<" } else { ">" },
            view.sort,
        ),
        Page::First | Page::Last => {}
    }
    let dir = if descending { "DESC" } else { "ASC" };
    params.push(Box::new(limit as i64));
    let sql = format!(
        "SELECT {} FROM employees e WHERE {cond}
         ORDER BY {} {dir}, e.id {dir} LIMIT ?{}",
        row_columns(view.sort),
        order(view.sort),
        params.len()
    );
    let mut stmt = db.prepare_cached(&sql)?;
    let refs: Vec<&dyn ToSql> = params.iter().map(|p| p.as_ref()).collect();
    let mut rows = stmt
        .query_map(refs.as_slice(), from_row)?
        .collect::<Result<Vec<_>, _>>()?;
    if descending {
        rows.reverse();
    }
    Ok(rows)
}

/// The statement of one scan step: (id, name, matches) of up to `budget` rows, from
/// `from` (exclusive) and, when given, not beyond `until` (exclusive).
fn scan_sql(
    view: &View,
    from: Option<&SortKey>,
    until: Option<&SortKey>,
    budget: usize,
    towards: Towards,
) -> (String, Vec<Box<dyn ToSql>>) {
    let unsearched = View {
        text: None,
        ..view.clone()
    };
    let (mut cond, mut params) = where_clause(&unsearched);
    let (op, dir) = match towards {
        Towards::End => (">", "ASC"),
        Towards::Start => ("<", "DESC"),
    };
    if let Some(k) = from {
        beyond_in(&mut cond, &mut params, k, op, view.sort);
    }
    if let Some(k) = until {
        let back = if op == ">" { "<" } else { ">" };
        beyond_in(&mut cond, &mut params, k, back, view.sort);
    }
    let term = view.text.as_deref().map(normalize_term).unwrap_or_default();
    params.push(Box::new(term));
    let t = params.len();
    params.push(Box::new(budget as i64));
    // The tab index holds everything this reads (but the typed filters other than the
    // supplier): the walk never touches the table. All is read by tabs (`scan_range`).
    let index = if view.tab == Tab::All {
        ""
    } else {
        "INDEXED BY employees_by_tab_name"
    };
    let v = order(view.sort);
    let sql = format!(
        "SELECT e.id, {v}, instr(e.search, ?{t}) > 0 FROM employees e {index} WHERE {cond}
         ORDER BY {v} {dir}, e.id {dir} LIMIT ?{}",
        params.len()
    );
    (sql, params)
}

/// Filters without ever taking long: looks at no more than `budget` rows of the tab,
/// walking `towards` its end or its start from `from` (exclusive; the edge when none),
/// stopping early once `want` matches are found. A rare term in a million rows is
/// answered over several calls (the app shows what it found so far), a common one in
/// the first. The rows come in ascending order; `next` is where the next call goes on
/// from, `None` once the walk reached the edge of the tab.
pub fn scan(
    db: &Connection,
    view: &View,
    towards: Towards,
    from: Option<&SortKey>,
    want: usize,
    budget: usize,
) -> Result<Found, Error> {
    scan_range(db, view, towards, (from, None), want, budget)
}

/// `scan` between two keys, both exclusive: `from` where it starts, `until` where it
/// stops (`next` is then `None`, as at the edge of the tab).
pub fn scan_range(
    db: &Connection,
    view: &View,
    towards: Towards,
    (from, until): (Option<&SortKey>, Option<&SortKey>),
    want: usize,
    budget: usize,
) -> Result<Found, Error> {
    if view.tab == Tab::All {
        let mut arms = Vec::new();
        for tab in Tab::STATUSES {
            arms.push(scan_range(
                db,
                &view.on(tab),
                towards,
                (from, until),
                want,
                budget,
            )?);
        }
        return Ok(merge_found(towards, want, arms));
    }
    let (sql, params) = scan_sql(view, from, until, budget, towards);
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
            sort_name: r.get(1)?,
        };
        if r.get::<_, bool>(2)? {
            hits.push(key.id);
        }
        last = Some(key);
        if hits.len() == want {
            break;
        }
    }
    let reached_the_edge = hits.len() < want && seen < budget;
    drop(q);
    if towards == Towards::Start {
        hits.reverse();
    }
    let mut one = db.prepare_cached(&format!(
        "SELECT {} FROM employees e WHERE e.id = ?1",
        row_columns(view.sort)
    ))?;
    let rows = hits
        .into_iter()
        .map(|id| one.query_row([id], from_row))
        .collect::<Result<_, _>>()?;
    Ok(Found {
        rows,
        next: if reached_the_edge { None } else { last },
    })
}

/// How many rows of a status tab's `view` lie between two keys (both exclusive; the
/// tab's edge when none), and how many of those are tracked (have a supplier): a walk of
/// the tab index over that range. The header's counts while a filter is on.
pub fn count_range(
    db: &Connection,
    view: &View,
    (from, until): (Option<&SortKey>, Option<&SortKey>),
) -> Result<(u64, u64), Error> {
    let (mut cond, mut params) = where_clause(view);
    if let Some(k) = from {
        beyond(&mut cond, &mut params, k, ">");
    }
    if let Some(k) = until {
        beyond(&mut cond, &mut params, k, "<");
    }
    let sql = format!(
        "SELECT count(*), coalesce(sum(e.suppliers <> ''), 0)
         FROM employees e INDEXED BY employees_by_tab_name WHERE {cond}"
    );
    let refs: Vec<&dyn ToSql> = params.iter().map(|p| p.as_ref()).collect();
    let (n, tracked): (i64, i64) = db
        .prepare_cached(&sql)?
        .query_row(&refs[..], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok((n as u64, tracked as u64))
}

/// The table's row of employee `id`, whatever its tab (a jump to `#id`).
pub fn row(db: &Connection, id: i64, sort: SortBy) -> Result<Option<ListRow>, Error> {
    use rusqlite::OptionalExtension;
    Ok(db
        .prepare_cached(&format!(
            "SELECT {} FROM employees e WHERE e.id = ?1",
            row_columns(sort)
        ))?
        .query_row([id], from_row)
        .optional()?)
}

/// How many rows of `view` come before `key`, when fewer than `cap` do (`None` beyond:
/// counting deeper would walk the index for too long on a keypress).
pub fn rank(db: &Connection, view: &View, key: &SortKey, cap: u64) -> Result<Option<u64>, Error> {
    if view.tab == Tab::All {
        let mut sum = 0;
        for tab in Tab::STATUSES {
            match rank(db, &view.on(tab), key, cap)? {
                Some(n) => sum += n,
                None => return Ok(None),
            }
        }
        return Ok((sum < cap).then_some(sum));
    }
    let (mut cond, mut params) = where_clause(view);
    beyond_in(&mut cond, &mut params, key, "<", view.sort);
    params.push(Box::new(cap as i64));
    let sql = format!(
        "SELECT count(*) FROM (SELECT 1 FROM employees e WHERE {cond} LIMIT ?{})",
        params.len()
    );
    let refs: Vec<&dyn ToSql> = params.iter().map(|p| p.as_ref()).collect();
    let n: i64 = db
        .prepare_cached(&sql)?
        .query_row(&refs[..], |r| r.get(0))?;
    Ok(((n as u64) < cap).then_some(n as u64))
}

/// Every row of the three status tabs in the table's order (status, sort key, id), with
/// its search text: what the in-memory search index is built from
/// (`service::search_index`). Walks the tab index alone.
pub fn each_search_text(
    db: &Connection,
    mut f: impl FnMut(Status, SortKey, &str),
) -> Result<(), Error> {
    let mut stmt = db.prepare(
        "SELECT status, sort_name, id, search FROM employees INDEXED BY employees_by_tab_name
         ORDER BY status, sort_name, id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let key = SortKey {
            sort_name: r.get(1)?,
            id: r.get(2)?,
        };
        let text = r.get_ref(3)?.as_str().map_err(rusqlite::Error::from)?;
        f(r.get(0)?, key, text);
    }
    Ok(())
}

/// A number that moves on with every change of the rows the filter looks at, the same
/// from every connection: the newest audit entry (every action, import, undo and repair
/// writes one, in its transaction) and the schema version (a migration). A search index
/// built from a snapshot with this stamp describes any snapshot with the same stamp.
pub fn change_stamp(db: &Connection) -> Result<(i64, i64), Error> {
    let audit: Option<i64> = db.query_row("SELECT max(id) FROM audit", [], |r| r.get(0))?;
    let schema: i64 = db.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    Ok((audit.unwrap_or(0), schema))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_filter_scan_walks_the_tab_index_alone() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open(&dir.path().join("r.db")).unwrap();
        for tab in Tab::SCREEN {
            let view = View {
                tab,
                supplier: None,
                text: Some("ann".into()),
                narrow: Default::default(),
                sort: Default::default(),
            };
            let key = SortKey {
                sort_name: "m".into(),
                id: 5,
            };
            for (from, towards) in [
                (None, Towards::End),
                (Some(&key), Towards::End),
                (None, Towards::Start),
                (Some(&key), Towards::Start),
            ] {
                let (sql, params) = scan_sql(&view, from, None, 100, towards);
                let refs: Vec<&dyn ToSql> = params.iter().map(|p| p.as_ref()).collect();
                let plan: Vec<String> = store
                    .conn()
                    .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                    .unwrap()
                    .query_map(refs.as_slice(), |r| r.get(3))
                    .unwrap()
                    .collect::<Result<_, _>>()
                    .unwrap();
                let plan = plan.join("; ");
                assert!(
                    plan.contains("COVERING INDEX employees_by_tab_name"),
                    "{tab:?}: {plan}"
                );
                assert!(!plan.contains("TEMP B-TREE"), "{tab:?} sorts: {plan}");
                if from.is_some() {
                    let range = if towards == Towards::End {
                        "(status=? AND sort_name>?)"
                    } else {
                        "(status=? AND sort_name<?)"
                    };
                    assert!(plan.contains(range), "{tab:?} starts at the key: {plan}");
                }
            }
        }
    }
}
