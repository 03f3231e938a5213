//! The block index in `blocks/index`: a LevelDB of `'b' ‖ block hash → CDiskBlockIndex`
//! (`src/chain.h`, `src/node/blockstorage.cpp`; not obfuscated, unlike the chainstate), and
//! the active chain built from it.
//!
//! # Why a snapshot
//!
//! A running node holds LevelDB's `LOCK` on the directory, so it cannot be opened in place;
//! and opening a LevelDB is never read-only: recovery replays the `*.log` into new files,
//! writes a new `MANIFEST` and deletes what it considers obsolete. Neither may happen in the
//! node's directory. So [`snapshot`] makes a private copy first, in a temporary folder:
//!
//! * `CURRENT`, the `MANIFEST-*` files and the `*.log` files are **copied** (the node appends
//!   to them);
//! * the `*.ldb`/`*.sst` tables are **hard-linked** (LevelDB never modifies a table once
//!   written), or copied where linking fails (another file system).
//!
//! `CURRENT` is read before and after; if it changed (the node rotated its manifest
//! meanwhile) or a file vanished (a compaction deleted it), the snapshot is taken again. A
//! log copied while the node appends may end inside a record, which LevelDB's recovery drops
//! as an incomplete write. The snapshot is then opened through [`SnapshotEnv`], which
//! refuses any write outside the snapshot folder and, before writing to a file that still
//! has other links (one of the node's tables), unlinks it first, so no byte of the node's
//! files can change whatever rusty-leveldb does on open.
//!
//! The index on disk lags the node's memory by up to a flush interval: the chain built here
//! is the chain as of the node's last flush.

use std::collections::HashMap;
use std::fs;
use std::io::{self, Read, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use bitcoin::block::Header;
use bitcoin::hashes::Hash;
use bitcoin::pow::{CompactTarget, Target};
use bitcoin::{BlockHash, Work};
use rusty_leveldb::env::{Env, FileLock, Logger, RandomAccess};
use rusty_leveldb::{LdbIterator, Options, PosixDiskEnv, Status, StatusCode, DB};

use super::error::FilesError;
use crate::decode::varint::{ReadError, Reader};

/// Key prefix of block index entries: `DB_BLOCK_INDEX{'b'}`.
pub const DB_BLOCK_INDEX: u8 = b'b';

/// `BlockStatus` flags (`src/chain.h`).
pub mod status {
    /// Mask of the validity level (0–5).
    pub const VALID_MASK: u32 = 7; // Core: RESERVED | TREE | TRANSACTIONS | CHAIN | SCRIPTS
    /// Validity level: transactions checked.
    pub const VALID_TRANSACTIONS: u32 = 3;
    /// Validity level: scripts checked (the block was connected).
    pub const VALID_SCRIPTS: u32 = 5;
    /// Full block available in `blk*.dat`.
    pub const HAVE_DATA: u32 = 8;
    /// Undo data available in `rev*.dat`.
    pub const HAVE_UNDO: u32 = 16;
    /// The block failed validation.
    pub const FAILED_VALID: u32 = 32;
    /// The block descends from a failed one.
    pub const FAILED_CHILD: u32 = 64;
    /// Either failure flag.
    pub const FAILED_MASK: u32 = FAILED_VALID | FAILED_CHILD;
}

/// One decoded `CDiskBlockIndex`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexEntry {
    /// The block's hash (the key; checked against the header).
    pub hash: BlockHash,
    /// Its height.
    pub height: u32,
    /// `BlockStatus` flags, see [`status`].
    pub status: u32,
    /// Transactions in the block.
    pub tx_count: u32,
    /// The `blk`/`rev` file number, when the block has data or undo.
    pub file: Option<u32>,
    /// Offset of the block in `blk{file}.dat`, with `HAVE_DATA`.
    pub data_pos: Option<u32>,
    /// Offset of the undo record in `rev{file}.dat`, with `HAVE_UNDO`.
    pub undo_pos: Option<u32>,
    /// The 80-byte header.
    pub header: Header,
}

impl IndexEntry {
    /// The parent's hash.
    pub fn prev(&self) -> BlockHash {
        self.header.prev_blockhash
    }

    /// Not failed, and validated to `BLOCK_VALID_SCRIPTS` (`IsValid(BLOCK_VALID_SCRIPTS)`).
    pub fn is_valid_scripts(&self) -> bool {
        self.status & status::FAILED_MASK == 0
            && self.status & status::VALID_MASK >= status::VALID_SCRIPTS
    }

    /// Decodes one value of the index (`CDiskBlockIndex::SERIALIZE_METHODS`):
    ///
    /// ```text
    /// VARINT client version (int, ignored)   VARINT height (int)
    /// VARINT status (uint32)                 VARINT tx count (unsigned int)
    /// VARINT file (int)      if HAVE_DATA or HAVE_UNDO
    /// VARINT data pos        if HAVE_DATA
    /// VARINT undo pos        if HAVE_UNDO
    /// 80-byte header: version, prev hash, merkle root, time, bits, nonce
    /// ```
    pub fn decode(hash: BlockHash, value: &[u8]) -> Result<Self, FilesError> {
        let broken = |reason: String| FilesError::BrokenEntry { hash, reason };
        let field = |name: &'static str| move |e: ReadError| broken_field(hash, name, e);
        let int_max = i32::MAX as u64;
        let mut r = Reader::new(value);
        r.varint(int_max).map_err(field("client version"))?;
        let height = r.varint(int_max).map_err(field("height"))? as u32;
        let status = r.varint_u32().map_err(field("status"))?;
        let tx_count = r.varint_u32().map_err(field("tx count"))?;
        let file = if status & (status::HAVE_DATA | status::HAVE_UNDO) != 0 {
            Some(r.varint(int_max).map_err(field("file number"))? as u32)
        } else {
            None
        };
        let data_pos = if status & status::HAVE_DATA != 0 {
            Some(r.varint_u32().map_err(field("data position"))?)
        } else {
            None
        };
        let undo_pos = if status & status::HAVE_UNDO != 0 {
            Some(r.varint_u32().map_err(field("undo position"))?)
        } else {
            None
        };
        let raw = r.take(80).map_err(field("header"))?;
        if !r.is_empty() {
            return Err(broken(format!(
                "{} byte(s) left over after the header at byte {}",
                r.remaining(),
                r.position()
            )));
        }
        let header: Header = bitcoin::consensus::deserialize(raw)
            .map_err(|e| broken(format!("header does not parse: {e}")))?;
        if header.block_hash() != hash {
            return Err(broken(format!(
                "header hashes to {}, not to its key",
                header.block_hash()
            )));
        }
        Ok(IndexEntry {
            hash,
            height,
            status,
            tx_count,
            file,
            data_pos,
            undo_pos,
            header,
        })
    }
}

fn broken_field(hash: BlockHash, name: &str, e: ReadError) -> FilesError {
    FilesError::BrokenEntry {
        hash,
        reason: format!("{name}: {e}"),
    }
}

/// Core's `GetBlockProof`: 2^256 / (target + 1), and 0 for a negative, overflowing or zero
/// compact target.
pub fn block_proof(bits: u32) -> Work {
    let zero = Work::from_be_bytes([0; 32]);
    let mantissa = bits & 0x007f_ffff;
    let exponent = bits >> 24;
    let negative = mantissa != 0 && bits & 0x0080_0000 != 0;
    let overflow = mantissa != 0
        && (exponent > 34
            || (mantissa > 0xff && exponent > 33)
            || (mantissa > 0xffff && exponent > 32));
    if negative || overflow || mantissa == 0 {
        return zero;
    }
    let target = Target::from_compact(CompactTarget::from_consensus(bits));
    if target == Target::ZERO {
        return zero;
    }
    target.to_work()
}

/// `a + b`, or `None` past 2^256 − 1.
fn checked_add(a: Work, b: Work) -> Option<Work> {
    let (a, b) = (a.to_be_bytes(), b.to_be_bytes());
    let mut sum = [0u8; 32];
    let mut carry = 0u16;
    for i in (0..32).rev() {
        let s = u16::from(a[i]) + u16::from(b[i]) + carry;
        sum[i] = s as u8;
        carry = s >> 8;
    }
    (carry == 0).then(|| Work::from_be_bytes(sum))
}

/// The active chain: the most-work chain of entries valid to `BLOCK_VALID_SCRIPTS` and not
/// failed, indexed by height.
#[derive(Debug, Clone)]
pub struct ActiveChain {
    entries: Vec<IndexEntry>,
    work: Work,
}

impl ActiveChain {
    /// Builds the active chain from every entry of an index.
    ///
    /// Each entry's parent must be present (except the genesis block's, all zero) and one
    /// height lower. The genesis block counts as valid when validated to
    /// `BLOCK_VALID_TRANSACTIONS`: Core's `ConnectBlock` returns early for it before raising
    /// its validity to `SCRIPTS`. Two different valid tips with equal most work are an error.
    pub fn build(entries: Vec<IndexEntry>, index_path: &Path) -> Result<Self, FilesError> {
        let position: HashMap<BlockHash, usize> = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.hash, i))
            .collect();
        let mut order: Vec<usize> = (0..entries.len()).collect();
        order.sort_by_key(|&i| entries[i].height);
        // Per entry: chain work, and whether it and all its ancestors are valid.
        let mut work: Vec<Option<(Work, bool)>> = vec![None; entries.len()];
        for &i in &order {
            let entry = &entries[i];
            let broken = |reason: String| FilesError::BrokenEntry {
                hash: entry.hash,
                reason,
            };
            let own = block_proof(entry.header.bits.to_consensus());
            let not_failed = entry.status & status::FAILED_MASK == 0;
            let (parent_work, parent_valid) = if entry.prev() == BlockHash::all_zeros() {
                if entry.height != 0 {
                    return Err(broken(format!(
                        "no parent but height {} (not 0)",
                        entry.height
                    )));
                }
                let valid =
                    not_failed && entry.status & status::VALID_MASK >= status::VALID_TRANSACTIONS;
                (Work::from_be_bytes([0; 32]), valid)
            } else {
                let &p = position.get(&entry.prev()).ok_or_else(|| {
                    broken(format!("parent {} is not in the index", entry.prev()))
                })?;
                if entries[p].height.checked_add(1) != Some(entry.height) {
                    return Err(broken(format!(
                        "height {} but parent's height {}",
                        entry.height, entries[p].height
                    )));
                }
                // Parents sort before children (lower height), so this is set.
                let (w, v) = work[p].ok_or_else(|| broken("parent not ordered first".into()))?;
                (w, v && entry.is_valid_scripts())
            };
            let total = checked_add(parent_work, own)
                .ok_or_else(|| broken("chain work overflows 2^256".into()))?;
            work[i] = Some((total, parent_valid));
        }
        let mut best: Option<usize> = None;
        let mut tie: Option<usize> = None;
        for (i, w) in work.iter().enumerate() {
            let Some((w, true)) = *w else { continue };
            match best {
                Some(b) if work[b].map(|x| x.0) > Some(w) => {}
                Some(b) if work[b].map(|x| x.0) == Some(w) => tie = Some(i),
                _ => {
                    best = Some(i);
                    tie = None;
                }
            }
        }
        let best = best.ok_or_else(|| FilesError::NoChain {
            path: index_path.to_path_buf(),
        })?;
        if let Some(t) = tie {
            return Err(FilesError::TipTie {
                first: entries[best].hash,
                first_height: entries[best].height,
                second: entries[t].hash,
                second_height: entries[t].height,
            });
        }
        let total = work[best]
            .map(|x| x.0)
            .unwrap_or(Work::from_be_bytes([0; 32]));
        // Walk back from the tip; every step was checked above.
        let mut chain_idx = Vec::with_capacity(entries[best].height as usize + 1);
        let mut at = Some(best);
        while let Some(i) = at {
            chain_idx.push(i);
            at = position.get(&entries[i].prev()).copied();
        }
        chain_idx.reverse();
        let mut slots: Vec<Option<IndexEntry>> = entries.into_iter().map(Some).collect();
        let chain: Vec<IndexEntry> = chain_idx.iter().filter_map(|&i| slots[i].take()).collect();
        Ok(ActiveChain {
            entries: chain,
            work: total,
        })
    }

    /// Height of the tip.
    pub fn tip_height(&self) -> u32 {
        // A chain has at least its genesis block.
        self.entries.len().saturating_sub(1) as u32
    }

    /// The tip's total chain work.
    pub fn tip_work(&self) -> Work {
        self.work
    }

    /// The entry at `height`.
    pub fn get(&self, height: u32) -> Result<&IndexEntry, FilesError> {
        self.entries
            .get(height as usize)
            .ok_or(FilesError::PastTip {
                height,
                tip: self.tip_height(),
            })
    }

    /// Every entry, by height.
    pub fn entries(&self) -> &[IndexEntry] {
        &self.entries
    }
}

/// Copies a LevelDB directory into `into` (see the module docs); retries when the node
/// changed it meanwhile.
pub fn snapshot(index_dir: &Path, into: &Path) -> Result<(), FilesError> {
    let index_err = |message: String| FilesError::Index {
        path: index_dir.to_path_buf(),
        message,
    };
    let mut last = String::new();
    for _attempt in 0..5 {
        // Start from an empty folder each time.
        for entry in fs::read_dir(into).map_err(|e| index_err(format!("snapshot folder: {e}")))? {
            let entry = entry.map_err(|e| index_err(e.to_string()))?;
            fs::remove_file(entry.path()).map_err(|e| index_err(e.to_string()))?;
        }
        match snapshot_once(index_dir, into) {
            Ok(true) => return Ok(()),
            Ok(false) => last = "the node rotated its MANIFEST during the copy".into(),
            Err(e) if e.kind() == io::ErrorKind::NotFound => last = e.to_string(),
            Err(e) => return Err(index_err(e.to_string())),
        }
    }
    Err(index_err(format!(
        "no consistent snapshot after 5 attempts: {last}"
    )))
}

/// One attempt: `Ok(false)` when `CURRENT` changed meanwhile.
fn snapshot_once(index_dir: &Path, into: &Path) -> io::Result<bool> {
    let current = fs::read(index_dir.join("CURRENT"))?;
    for entry in fs::read_dir(index_dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let from = entry.path();
        let to = into.join(name);
        if name.ends_with(".ldb") || name.ends_with(".sst") {
            if fs::hard_link(&from, &to).is_err() {
                fs::copy(&from, &to)?;
            }
        } else if name == "CURRENT" || name.starts_with("MANIFEST-") || name.ends_with(".log") {
            fs::copy(&from, &to)?;
        }
        // LOCK, LOG, LOG.old: not part of the data.
    }
    fs::write(into.join("CURRENT"), &current)?;
    let manifest = String::from_utf8_lossy(&current).trim().to_string();
    if !into.join(&manifest).exists() {
        return Ok(false);
    }
    Ok(fs::read(index_dir.join("CURRENT"))? == current)
}

/// Reads every block index entry of the LevelDB in `index_dir` (via a snapshot) and builds
/// the active chain.
pub fn load(index_dir: &Path) -> Result<ActiveChain, FilesError> {
    let index_err = |message: String| FilesError::Index {
        path: index_dir.to_path_buf(),
        message,
    };
    if !index_dir.join("CURRENT").is_file() {
        return Err(index_err("no CURRENT file: not a LevelDB directory".into()));
    }
    let temp = tempfile::Builder::new()
        .prefix("block-index-snapshot-")
        .tempdir()
        .map_err(|e| index_err(format!("temporary folder: {e}")))?;
    snapshot(index_dir, temp.path())?;
    let entries = read_entries(temp.path()).map_err(|e| match e {
        ReadEntriesError::Db(s) => index_err(format!("LevelDB: {s}")),
        ReadEntriesError::Entry(e) => e,
    })?;
    ActiveChain::build(entries, index_dir)
}

enum ReadEntriesError {
    Db(Status),
    Entry(FilesError),
}

/// Opens a snapshot folder and decodes every `'b'` entry.
fn read_entries(dir: &Path) -> Result<Vec<IndexEntry>, ReadEntriesError> {
    let options = Options {
        create_if_missing: false,
        env: Rc::new(Box::new(SnapshotEnv::new(dir))),
        ..Options::default()
    };
    let mut db = DB::open(dir, options).map_err(ReadEntriesError::Db)?;
    let mut iter = db.new_iter().map_err(ReadEntriesError::Db)?;
    iter.seek(&[DB_BLOCK_INDEX]);
    let mut entries = Vec::new();
    while let Some((key, value)) = iter.current() {
        if key.first() != Some(&DB_BLOCK_INDEX) {
            break;
        }
        let Ok(raw) = <[u8; 32]>::try_from(&key[1..]) else {
            return Err(ReadEntriesError::Entry(FilesError::BrokenEntry {
                hash: BlockHash::all_zeros(),
                reason: format!("key of {} bytes, not 33", key.len()),
            }));
        };
        let entry = IndexEntry::decode(BlockHash::from_byte_array(raw), &value)
            .map_err(ReadEntriesError::Entry)?;
        entries.push(entry);
        if !iter.advance() {
            break;
        }
    }
    Ok(entries)
}

/// The LevelDB environment for a snapshot: the disk, but writes stay inside the snapshot
/// folder and never go through a hard link into the node's files.
pub struct SnapshotEnv {
    disk: PosixDiskEnv,
    root: PathBuf,
}

impl SnapshotEnv {
    /// An environment confined to `root`.
    pub fn new(root: &Path) -> Self {
        SnapshotEnv {
            disk: PosixDiskEnv::new(),
            root: root.to_path_buf(),
        }
    }

    fn inside(&self, p: &Path) -> rusty_leveldb::Result<()> {
        if p.parent() == Some(self.root.as_path()) {
            Ok(())
        } else {
            Err(Status::new(
                StatusCode::PermissionDenied,
                &format!("{} is outside the snapshot", p.display()),
            ))
        }
    }

    /// Before writing to `p`: if other links to it exist, replace it by a private copy.
    fn unshare(&self, p: &Path, keep_contents: bool) -> rusty_leveldb::Result<()> {
        self.inside(p)?;
        match fs::metadata(p) {
            Ok(m) if m.nlink() > 1 => {
                let tmp = p.with_extension("unshare");
                if keep_contents {
                    fs::copy(p, &tmp)?;
                } else {
                    fs::File::create(&tmp)?;
                }
                fs::rename(&tmp, p)?;
                Ok(())
            }
            _ => Ok(()),
        }
    }
}

impl Env for SnapshotEnv {
    fn open_sequential_file(&self, p: &Path) -> rusty_leveldb::Result<Box<dyn Read>> {
        self.disk.open_sequential_file(p)
    }
    fn open_random_access_file(&self, p: &Path) -> rusty_leveldb::Result<Box<dyn RandomAccess>> {
        self.disk.open_random_access_file(p)
    }
    fn open_writable_file(&self, p: &Path) -> rusty_leveldb::Result<Box<dyn Write>> {
        self.unshare(p, false)?;
        self.disk.open_writable_file(p)
    }
    fn open_appendable_file(&self, p: &Path) -> rusty_leveldb::Result<Box<dyn Write>> {
        self.unshare(p, true)?;
        self.disk.open_appendable_file(p)
    }
    fn exists(&self, p: &Path) -> rusty_leveldb::Result<bool> {
        self.disk.exists(p)
    }
    fn children(&self, p: &Path) -> rusty_leveldb::Result<Vec<PathBuf>> {
        self.disk.children(p)
    }
    fn size_of(&self, p: &Path) -> rusty_leveldb::Result<usize> {
        self.disk.size_of(p)
    }
    fn delete(&self, p: &Path) -> rusty_leveldb::Result<()> {
        // Unlinking a hard link inside the snapshot leaves the node's file alone.
        self.inside(p)?;
        self.disk.delete(p)
    }
    fn mkdir(&self, p: &Path) -> rusty_leveldb::Result<()> {
        self.disk.mkdir(p)
    }
    fn rmdir(&self, p: &Path) -> rusty_leveldb::Result<()> {
        self.inside(p)?;
        self.disk.rmdir(p)
    }
    fn rename(&self, from: &Path, to: &Path) -> rusty_leveldb::Result<()> {
        self.inside(from)?;
        self.inside(to)?;
        self.disk.rename(from, to)
    }
    fn lock(&self, p: &Path) -> rusty_leveldb::Result<FileLock> {
        self.inside(p)?;
        self.disk.lock(p)
    }
    fn unlock(&self, l: FileLock) -> rusty_leveldb::Result<()> {
        self.disk.unlock(l)
    }
    fn new_logger(&self, p: &Path) -> rusty_leveldb::Result<Logger> {
        self.inside(p)?;
        self.disk.new_logger(p)
    }
    fn micros(&self) -> u64 {
        self.disk.micros()
    }
    fn sleep_for(&self, micros: u32) {
        self.disk.sleep_for(micros)
    }
}
