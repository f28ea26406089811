//! The items the Review view holds: a window of the inbox (newest first), read a step at
//! a time as the selection nears either end of it. Opening the view reads one step
//! however many items wait (a real import can raise thousands), `End` reads the oldest
//! step without the ones between, and the window never holds more than `KEPT` items: the
//! far side is let go and read again when the selection comes back.

use super::InboxView;
use crate::domain::review::{InboxItem, InboxPage};
use crate::error::Error;
use crate::service::Service;

/// Items read when the view opens or jumps to an end: two screens at 35 rows.
pub const FIRST: usize = 60;
/// Items read when the selection comes within a screen of the window's end.
pub const STEP: usize = 100;
/// The most the window holds.
pub const KEPT: usize = 1000;

/// Items kept above the selection when the window is read again.
const ABOVE: usize = STEP / 2;

/// Reads the window again in place (after a change, or another kind): from at most
/// `ABOVE` items above the selection to a step below it (at least `FIRST`), so that the
/// selection keeps its item and a change costs the same however deep the window went.
pub fn reread(view: &mut InboxView, svc: &mut Service) -> Result<Vec<InboxItem>, Error> {
    if view.cursor > ABOVE {
        let cut = view.cursor - ABOVE;
        let known = if view.newer.is_none() {
            Some(0)
        } else {
            view.above
        };
        view.newer = Some(view.items[cut - 1].key());
        view.above = known.map(|a| a + cut);
        view.items.drain(..cut);
        view.cursor -= cut;
    }
    let limit = view.items.len().min(view.cursor + STEP).clamp(FIRST, KEPT);
    let page = match &view.newer {
        Some(k) => InboxPage::After(k.clone()),
        None => InboxPage::First,
    };
    let mut items = svc.inbox(view.kind, &page, limit + 1)?;
    if items.is_empty() && view.newer.is_some() {
        // Everything from the window's start on was settled: start from the newest.
        view.newer = None;
        items = svc.inbox(view.kind, &InboxPage::First, limit + 1)?;
    }
    view.older = items.len() > limit;
    items.truncate(limit);
    Ok(items)
}

/// Reads more of the inbox when the selection is within `margin` items of either end of
/// the window and more lies that way.
pub fn follow(view: &mut InboxView, svc: &mut Service, margin: usize) -> Result<(), Error> {
    if view.older && view.cursor + margin >= view.items.len() {
        older(view, svc)?;
    }
    if view.newer.is_some() && view.cursor < margin {
        newer(view, svc)?;
    }
    Ok(())
}

/// `Home`: the newest items, read again when the window starts further down.
pub fn top(view: &mut InboxView, svc: &mut Service) -> Result<(), Error> {
    if view.newer.is_some() {
        view.newer = None;
        view.items.clear();
        view.items = reread(view, svc)?;
    }
    view.cursor = 0;
    Ok(())
}

/// `End`: the oldest items, without reading those between.
pub fn bottom(view: &mut InboxView, svc: &mut Service) -> Result<(), Error> {
    if view.older {
        let mut items = svc.inbox(view.kind, &InboxPage::Last, FIRST + 1)?;
        view.newer = None;
        view.above = None;
        if items.len() > FIRST {
            view.newer = Some(items.remove(0).key());
        }
        view.items = items;
        view.older = false;
    }
    view.cursor = view.items.len().saturating_sub(1);
    Ok(())
}

/// The selected item's place in the whole inbox of `total`, when the window knows it
/// (it starts at the newest, or ends at the oldest).
pub fn position(view: &InboxView, total: u64) -> Option<u64> {
    if view.items.is_empty() {
        return None;
    }
    if view.newer.is_none() {
        Some(view.cursor as u64 + 1)
    } else if let Some(above) = view.above {
        Some((above + view.cursor) as u64 + 1)
    } else if !view.older {
        Some(total.saturating_sub((view.items.len() - 1 - view.cursor) as u64))
    } else {
        None
    }
}

fn older(view: &mut InboxView, svc: &mut Service) -> Result<(), Error> {
    let Some(last) = view.items.last().map(InboxItem::key) else {
        return Ok(());
    };
    let mut items = svc.inbox(view.kind, &InboxPage::After(last), STEP + 1)?;
    view.older = items.len() > STEP;
    items.truncate(STEP);
    view.items.extend(items);
    let over = view.items.len().saturating_sub(KEPT);
    if over > 0 {
        let known = if view.newer.is_none() {
            Some(0)
        } else {
            view.above
        };
        view.above = known.map(|a| a + over);
        view.newer = Some(view.items[over - 1].key());
        view.items.drain(..over);
        view.cursor = view.cursor.saturating_sub(over);
    }
    Ok(())
}

fn newer(view: &mut InboxView, svc: &mut Service) -> Result<(), Error> {
    let Some(first) = view.items.first().map(InboxItem::key) else {
        return Ok(());
    };
    // One more than a step: the first of them, when read, is the new start's key.
    let mut items = svc.inbox(view.kind, &InboxPage::Before(first), STEP + 1)?;
    view.newer = if items.len() > STEP {
        Some(items.remove(0).key())
    } else {
        None
    };
    view.cursor += items.len();
    view.above = view.above.map(|a| a.saturating_sub(items.len()));
    items.append(&mut view.items);
    if items.len() > KEPT {
        items.truncate(KEPT);
        view.older = true;
    }
    view.items = items;
    Ok(())
}
