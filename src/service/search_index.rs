//! Finding a rare filter term among a million rows without looking at each of them
//! (docs/architecture.md, "A rare filter term"). The filter is a substring search, which
//! no SQLite index answers, so a bounded scan walks the tab: fine for a common term (a
//! screenful is found in the first rows), a full walk of the tab for a term that matches
//! one row or none.
//!
//! This is a compact summary of the search text held in memory by the app's worker: the
//! rows of each status tab, in the table's order, cut into blocks of `BLOCK` rows, each
//! block with a bit set of the byte n-grams (1, 2 and 3 bytes, never across two fields)
//! of its rows' search text. A row holds a term only if its block has every n-gram of
//! the term, so a scan looks only at the blocks whose bits allow the term and skips the
//! others without reading them: a rare term costs a handful of blocks instead of the
//! tab. A block may say yes wrongly (bits shared by chance), never no wrongly: the scan
//! of the blocks it keeps decides, as before.
//!
//! The index describes the snapshot it was built from, named by its stamp
//! (`store::listing::change_stamp`); a read whose snapshot has another stamp does not use
//! it (the scan walks the tab as before) until the worker has built it again. Imports
//! and actions do not maintain it: it costs them nothing.

use std::sync::{Arc, Mutex};

use crate::domain::listing::{SortKey, Tab};
use crate::domain::model::Status;
use crate::domain::search::normalize_term;

/// Rows per block.
pub const BLOCK: usize = 256;
/// Bits per block for the trigrams, the bigrams and the single bytes of its rows.
const TRI_BITS: usize = 1 << 14;
const BI_BITS: usize = 1 << 12;
const UNI_BITS: usize = 256;
const WORDS: usize = (TRI_BITS + BI_BITS + UNI_BITS) / 64;

/// Where each kind of n-gram's bits start in a block's words.
const BI_AT: usize = TRI_BITS;
const UNI_AT: usize = TRI_BITS + BI_BITS;

/// The bit of a trigram, a bigram or a byte.
fn tri_bit(a: u8, b: u8, c: u8) -> usize {
    let v = (u32::from(a) << 16) | (u32::from(b) << 8) | u32::from(c);
    (v.wrapping_mul(0x9E37_79B1) >> (32 - 14)) as usize
}

fn bi_bit(a: u8, b: u8) -> usize {
    let v = (u32::from(a) << 8) | u32::from(b);
    BI_AT + (v.wrapping_mul(0x85EB_CA6B) >> (32 - 12)) as usize
}

fn uni_bit(a: u8) -> usize {
    UNI_AT + usize::from(a)
}

/// The bits a text of one field sets: every byte, every pair, every triple.
fn each_bit(field: &[u8], mut set: impl FnMut(usize)) {
    for (i, &a) in field.iter().enumerate() {
        set(uni_bit(a));
        if let Some(&b) = field.get(i + 1) {
            set(bi_bit(a, b));
            if let Some(&c) = field.get(i + 2) {
                set(tri_bit(a, b, c));
            }
        }
    }
}

/// The bits a term needs in a block: its triples (which imply its pairs and bytes), or
/// for a shorter term its pair or its byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    bits: Vec<usize>,
}

impl Probe {
    /// The probe of a filter text; `None` when the index cannot answer for it (empty,
    /// or holding a line break: the search text's fields are lines, and a term across
    /// two of them is left to the plain scan).
    pub fn of(text: &str) -> Option<Probe> {
        let term = normalize_term(text);
        let t = term.as_bytes();
        if t.is_empty() || t.contains(&b'\n') {
            return None;
        }
        let mut bits: Vec<usize> = match t.len() {
            1 => vec![uni_bit(t[0])],
            2 => vec![bi_bit(t[0], t[1])],
            _ => t.windows(3).map(|w| tri_bit(w[0], w[1], w[2])).collect(),
        };
        bits.sort_unstable();
        bits.dedup();
        Some(Probe { bits })
    }
}

/// A run of `BLOCK` rows (fewer at a tab's end) of one status tab.
pub struct Block {
    /// The key of its first row: the block holds the rows from it up to the next
    /// block's first key (exclusive).
    pub first: SortKey,
    pub rows: u32,
    words: Box<[u64]>,
}

impl Block {
    /// The block may hold a row with the probe's term.
    pub fn may_hold(&self, probe: &Probe) -> bool {
        probe
            .bits
            .iter()
            .all(|&b| self.words[b / 64] & (1 << (b % 64)) != 0)
    }
}

/// The blocks of the three status tabs, for one snapshot of the store.
pub struct SearchIndex {
    stamp: (i64, i64),
    active: Vec<Block>,
    pending: Vec<Block>,
    deactivated: Vec<Block>,
}

impl SearchIndex {
    /// An index of the snapshot with `stamp`, built from its rows in the table's order.
    pub fn builder(stamp: (i64, i64)) -> Builder {
        Builder {
            index: SearchIndex {
                stamp,
                active: Vec::new(),
                pending: Vec::new(),
                deactivated: Vec::new(),
            },
        }
    }

    pub fn stamp(&self) -> (i64, i64) {
        self.stamp
    }

    /// The blocks that hold the rows of `tab`, in order (Tracked: the Active tab's;
    /// `None` for All, which spans three lists).
    pub fn blocks(&self, tab: Tab) -> Option<&[Block]> {
        match tab {
            Tab::Active | Tab::Tracked => Some(&self.active),
            Tab::Pending => Some(&self.pending),
            Tab::Deactivated => Some(&self.deactivated),
            Tab::All => None,
        }
    }

    /// The memory the blocks take, in bytes (for the benchmark's notes).
    pub fn bytes(&self) -> usize {
        let n = self.active.len() + self.pending.len() + self.deactivated.len();
        n * (WORDS * 8 + std::mem::size_of::<Block>())
    }
}

/// Takes the rows in the table's order and cuts them into blocks.
pub struct Builder {
    index: SearchIndex,
}

impl Builder {
    /// The next row: its status, its key, its search text.
    pub fn add(&mut self, status: Status, key: SortKey, text: &str) {
        let blocks = match status {
            Status::Active => &mut self.index.active,
            Status::Pending => &mut self.index.pending,
            Status::Deactivated => &mut self.index.deactivated,
        };
        if blocks.last().is_none_or(|b| b.rows as usize >= BLOCK) {
            blocks.push(Block {
                first: key,
                rows: 0,
                words: vec![0u64; WORDS].into_boxed_slice(),
            });
        }
        let Some(block) = blocks.last_mut() else {
            return;
        };
        block.rows += 1;
        let words = &mut block.words;
        for field in text.as_bytes().split(|&c| c == b'\n') {
            each_bit(field, |b| words[b / 64] |= 1 << (b % 64));
        }
    }

    pub fn finish(self) -> SearchIndex {
        self.index
    }
}

/// Where the worker keeps the index it built, for the thread that scans: swapped whole,
/// never changed in place.
#[derive(Clone, Default)]
pub struct Slot(Arc<Mutex<Option<Arc<SearchIndex>>>>);

impl Slot {
    pub fn get(&self) -> Option<Arc<SearchIndex>> {
        self.0.lock().ok().and_then(|g| g.clone())
    }

    pub fn put(&self, index: Option<SearchIndex>) {
        if let Ok(mut g) = self.0.lock() {
            *g = index.map(Arc::new);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(i: i64) -> SortKey {
        SortKey {
            sort_name: format!("n{i:06}"),
            id: i,
        }
    }

    #[test]
    fn a_block_never_says_no_to_a_term_one_of_its_rows_holds() {
        let texts = [
            "anna schmidt\nanna@acme.io\nsalesforce\n005abc",
            "zoë müller\nzoe@x.io",
            "bob\nb@y.io\nhubspot\nhs-1",
        ];
        let mut b = SearchIndex::builder((1, 1));
        for (i, t) in texts.iter().enumerate() {
            b.add(Status::Active, key(i as i64), t);
        }
        let index = b.finish();
        let blocks = index.blocks(Tab::Active).unwrap();
        assert_eq!(blocks.len(), 1);
        for t in texts {
            for field in t.split('\n') {
                for start in 0..field.len() {
                    for end in start + 1..=field.len() {
                        let Some(sub) = field.get(start..end) else {
                            continue;
                        };
                        // Blank terms are no filter: the index is not asked.
                        let Some(p) = Probe::of(sub) else {
                            assert!(sub.trim().is_empty(), "{sub:?}");
                            continue;
                        };
                        assert!(blocks[0].may_hold(&p), "{sub:?}");
                    }
                }
            }
        }
        // A term no row holds is (almost always) ruled out; these ones are.
        for absent in ["zzqx", "qj", "ß"] {
            assert!(!blocks[0].may_hold(&Probe::of(absent).unwrap()), "{absent}");
        }
        // Across two fields the index does not answer.
        assert_eq!(Probe::of("a\nb"), None);
        assert_eq!(Probe::of("  "), None);
    }

    #[test]
    fn rows_go_to_their_status_in_blocks_of_block_rows() {
        let mut b = SearchIndex::builder((7, 3));
        for i in 0..(BLOCK as i64 * 2 + 5) {
            b.add(Status::Active, key(i), "x");
        }
        b.add(Status::Pending, key(1), "y");
        let index = b.finish();
        let active = index.blocks(Tab::Tracked).unwrap();
        assert_eq!(active.len(), 3);
        assert_eq!(active[1].first, key(BLOCK as i64));
        assert_eq!(active[2].rows, 5);
        assert_eq!(index.blocks(Tab::Pending).unwrap().len(), 1);
        assert!(index.blocks(Tab::Deactivated).unwrap().is_empty());
        assert!(index.blocks(Tab::All).is_none());
        assert_eq!(index.stamp(), (7, 3));
    }
}
