//! Per-block cache files, so an interrupted scan resumes without refetching finished blocks.
//!
//! One file per block, `<dir>/<height>.blk`, written atomically (temporary file, then rename):
//! a file is either complete or absent, whenever the program stops. The file holds the block's
//! hash, so a block replaced by a reorg is noticed and fetched again.
//!
//! The layout is versioned by the file's first eight bytes. Version 3 (`BAFEES03`) says whether
//! the file holds txids (a run without per-transaction output skips them, and a later run that
//! needs them fetches such blocks again) and keeps each transaction's payer type. Files of
//! versions 1 and 2 (`BAFEES01`, `BAFEES02`) have no payer types: like any other first bytes,
//! they make the file unreadable, so its block is fetched again, never misread.
//!
//! # Examples
//!
//! ```
//! use btcaddr_analytics::block::BlockFees;
//! use btcaddr_analytics::cache::BlockCache;
//! use bitcoin::hashes::Hash;
//! let dir = std::env::temp_dir().join(format!("cache-doc-{}", std::process::id()));
//! let cache = BlockCache::open(&dir)?;
//! let block = BlockFees { height: 7, hash: bitcoin::BlockHash::all_zeros(),
//!     prev_hash: bitcoin::BlockHash::all_zeros(), time: 1, size: 81, weight: 324, tx_count: 1, txs: vec![] };
//! cache.put(&block)?;
//! assert_eq!(cache.get(7, &block.hash)?, Some(block));
//! # std::fs::remove_dir_all(&dir).ok();
//! # Ok::<(), btcaddr_analytics::cache::CacheError>(())
//! ```

use std::fs;
use std::path::{Path, PathBuf};

use bitcoin::hashes::Hash;
use bitcoin::{BlockHash, Txid};

use crate::atomic::{self, Durability, FileError};
use crate::block::{BlockFees, TxFee};
use crate::payer::PayerType;

/// First bytes of every cache file written now; a new layout gets a new magic.
const MAGIC: &[u8; 8] = b"BAFEES03";
/// Magic, height, hash, previous hash, time, size, weight, transaction count, records, flags.
const HEADER_LEN: usize = 8 + 4 + 32 + 32 + 4 + 8 + 8 + 4 + 4 + 1;
/// Flags bit: every transaction record starts with its txid.
const FLAG_TXIDS: u8 = 1;
/// Fee, size, vsize, weight, payer type code.
const TX_LEN_NO_TXID: usize = 8 + 4 + 4 + 8 + 1;
const TX_LEN: usize = 32 + TX_LEN_NO_TXID;

/// Errors reading or writing the cache.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    /// A file operation failed.
    #[error("cache {}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

/// A folder of per-block cache files.
#[derive(Debug, Clone)]
pub struct BlockCache {
    dir: PathBuf,
}

impl BlockCache {
    /// Opens (creating if needed) the cache folder `dir`.
    pub fn open(dir: &Path) -> Result<Self, CacheError> {
        fs::create_dir_all(dir).map_err(|source| CacheError::Io {
            path: dir.into(),
            source,
        })?;
        Ok(BlockCache {
            dir: dir.to_owned(),
        })
    }

    /// The cache folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, height: u32) -> PathBuf {
        self.dir.join(format!("{height:08}.blk"))
    }

    /// The cached block at `height` if it is the block `hash`; `None` when absent, another
    /// block (a reorg), or unreadable (then it is fetched again).
    pub fn get(&self, height: u32, hash: &BlockHash) -> Result<Option<BlockFees>, CacheError> {
        Ok(self.get_any(height)?.filter(|b| b.hash == *hash))
    }

    /// The cached block at `height`, whichever it is.
    pub fn get_any(&self, height: u32) -> Result<Option<BlockFees>, CacheError> {
        let path = self.path(height);
        match fs::read(&path) {
            Ok(bytes) => Ok(decode(&bytes).filter(|b| b.height == height)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(CacheError::Io { path, source }),
        }
    }

    /// Hash and previous hash of the cached block at `height`, reading only the file's header.
    pub fn link(&self, height: u32) -> Result<Option<(BlockHash, BlockHash)>, CacheError> {
        Ok(self.entry(height)?.map(|e| (e.hash, e.prev_hash)))
    }

    /// What the cache file at `height` holds, reading only its header.
    ///
    /// ```
    /// use btcaddr_analytics::block::BlockFees;
    /// use btcaddr_analytics::cache::BlockCache;
    /// use bitcoin::hashes::Hash;
    /// let dir = std::env::temp_dir().join(format!("cache-entry-doc-{}", std::process::id()));
    /// let cache = BlockCache::open(&dir)?;
    /// assert!(cache.entry(3)?.is_none());
    /// let block = BlockFees { height: 3, hash: bitcoin::BlockHash::all_zeros(),
    ///     prev_hash: bitcoin::BlockHash::all_zeros(), time: 1, size: 81, weight: 324, tx_count: 1, txs: vec![] };
    /// cache.put(&block)?;
    /// assert!(cache.entry(3)?.unwrap().has_txids);
    /// # std::fs::remove_dir_all(&dir).ok();
    /// # Ok::<(), btcaddr_analytics::cache::CacheError>(())
    /// ```
    pub fn entry(&self, height: u32) -> Result<Option<CacheEntry>, CacheError> {
        use std::io::Read;
        let path = self.path(height);
        let mut head = Vec::with_capacity(HEADER_LEN);
        let read =
            fs::File::open(&path).and_then(|f| f.take(HEADER_LEN as u64).read_to_end(&mut head));
        match read {
            Ok(_) => Ok(decode_header(&head)
                .filter(|h| h.height == height)
                .map(|h| CacheEntry {
                    hash: h.hash,
                    prev_hash: h.prev_hash,
                    has_txids: h.has_txids,
                })),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(CacheError::Io { path, source }),
        }
    }

    /// Stores `block`, replacing any block cached at its height. Atomic: temporary file, then
    /// rename.
    pub fn put(&self, block: &BlockFees) -> Result<(), CacheError> {
        atomic::write(&self.path(block.height), Durability::Os, &encode(block))
            .map_err(|FileError { path, source }| CacheError::Io { path, source })
    }

    /// Forgets the block at `height`.
    pub fn remove(&self, height: u32) -> Result<(), CacheError> {
        let path = self.path(height);
        match fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(source) => Err(CacheError::Io { path, source }),
        }
    }
}

/// The header of a cache file: which block it holds and whether it has the txids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheEntry {
    /// The block's hash.
    pub hash: BlockHash,
    /// Its previous block's hash.
    pub prev_hash: BlockHash,
    /// Whether every transaction's txid is stored.
    pub has_txids: bool,
}

fn encode(b: &BlockFees) -> Vec<u8> {
    // A block keeps its txids only if every transaction has one.
    let txids = b.has_txids();
    let tx_len = if txids { TX_LEN } else { TX_LEN_NO_TXID };
    let mut out = Vec::with_capacity(HEADER_LEN + tx_len * b.txs.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&b.height.to_le_bytes());
    out.extend_from_slice(b.hash.as_byte_array());
    out.extend_from_slice(b.prev_hash.as_byte_array());
    out.extend_from_slice(&b.time.to_le_bytes());
    out.extend_from_slice(&b.size.to_le_bytes());
    out.extend_from_slice(&b.weight.to_le_bytes());
    out.extend_from_slice(&b.tx_count.to_le_bytes());
    out.extend_from_slice(&(b.txs.len() as u32).to_le_bytes());
    out.push(if txids { FLAG_TXIDS } else { 0 });
    for t in &b.txs {
        if let (true, Some(txid)) = (txids, t.txid) {
            out.extend_from_slice(txid.as_byte_array());
        }
        out.extend_from_slice(&t.fee.to_le_bytes());
        out.extend_from_slice(&t.size.to_le_bytes());
        out.extend_from_slice(&t.vsize.to_le_bytes());
        out.extend_from_slice(&t.weight.to_le_bytes());
        out.push(t.payer.code());
    }
    out
}

// A little-endian reader over a slice whose length was checked beforehand.
struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> [u8; N] {
        let mut a = [0u8; N];
        a.copy_from_slice(&self.0[..N]);
        self.0 = &self.0[N..];
        a
    }
    fn u32(&mut self) -> u32 {
        u32::from_le_bytes(self.take())
    }
    fn u64(&mut self) -> u64 {
        u64::from_le_bytes(self.take())
    }
    fn u8(&mut self) -> u8 {
        let [b] = self.take();
        b
    }
}

/// A decoded file header.
struct Header {
    height: u32,
    hash: BlockHash,
    prev_hash: BlockHash,
    time: u32,
    size: u64,
    weight: u64,
    tx_count: u32,
    /// Transaction records that follow.
    records: u32,
    has_txids: bool,
}

fn decode_header(bytes: &[u8]) -> Option<Header> {
    if bytes.get(..8)? != MAGIC {
        return None;
    }
    let mut r = Reader(bytes.get(8..HEADER_LEN)?);
    let mut header = Header {
        height: r.u32(),
        hash: BlockHash::from_byte_array(r.take()),
        prev_hash: BlockHash::from_byte_array(r.take()),
        time: r.u32(),
        size: r.u64(),
        weight: r.u64(),
        tx_count: r.u32(),
        records: r.u32(),
        has_txids: true,
    };
    let flags = r.u8();
    if flags & !FLAG_TXIDS != 0 {
        // Flags this version does not know: a newer layout, not to be misread.
        return None;
    }
    header.has_txids = flags & FLAG_TXIDS != 0;
    Some(header)
}

fn decode(bytes: &[u8]) -> Option<BlockFees> {
    let h = decode_header(bytes)?;
    let tx_len = if h.has_txids { TX_LEN } else { TX_LEN_NO_TXID };
    if bytes.len() != HEADER_LEN + tx_len * h.records as usize {
        return None;
    }
    let mut r = Reader(&bytes[HEADER_LEN..]);
    let txs = (0..h.records)
        .map(|_| {
            Some(TxFee {
                txid: h.has_txids.then(|| Txid::from_byte_array(r.take())),
                fee: r.u64(),
                size: r.u32(),
                vsize: r.u32(),
                weight: r.u64(),
                payer: PayerType::from_code(r.u8())?,
            })
        })
        .collect::<Option<_>>()?;
    Some(BlockFees {
        height: h.height,
        hash: h.hash,
        prev_hash: h.prev_hash,
        time: h.time,
        size: h.size,
        weight: h.weight,
        tx_count: h.tx_count,
        txs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(txids: bool) -> BlockFees {
        let tx = |n: u8| TxFee {
            txid: txids.then(|| Txid::from_byte_array([n; 32])),
            fee: 1000 + u64::from(n),
            size: 200,
            vsize: 150,
            weight: 600,
            payer: crate::payer::PayerType::P2wpkh,
        };
        BlockFees {
            height: 9,
            hash: BlockHash::from_byte_array([9; 32]),
            prev_hash: BlockHash::from_byte_array([8; 32]),
            time: 1_700_000_000,
            size: 1000,
            weight: 4000,
            tx_count: 3,
            txs: vec![tx(1), tx(2)],
        }
    }

    #[test]
    fn round_trips_with_and_without_txids() {
        for txids in [true, false] {
            let b = block(txids);
            let bytes = encode(&b);
            assert_eq!(decode(&bytes), Some(b.clone()));
            assert_eq!(decode_header(&bytes).map(|h| h.has_txids), Some(txids));
        }
        // Without txids the file is 32 bytes a transaction smaller.
        assert_eq!(encode(&block(true)).len() - encode(&block(false)).len(), 64);
    }

    #[test]
    fn files_without_payer_types_are_fetched_again() {
        // A version 2 file: the same header, transactions without their payer byte.
        let b = block(true);
        let mut v2 = encode(&b);
        v2[..8].copy_from_slice(b"BAFEES02");
        let records = v2.split_off(HEADER_LEN);
        for record in records.chunks(TX_LEN) {
            v2.extend_from_slice(&record[..TX_LEN - 1]);
        }
        assert_eq!(decode(&v2), None);
    }

    #[test]
    fn unknown_layouts_are_never_misread() {
        let mut other = encode(&block(true));
        other[7] = b'9';
        assert_eq!(decode(&other), None);
        let mut flags = encode(&block(false));
        flags[HEADER_LEN - 1] = 0x80;
        assert_eq!(decode(&flags), None);
        // A payer code no type has.
        let mut flags = encode(&block(false));
        let last = flags.len() - 1;
        flags[last] = 200;
        assert_eq!(decode(&flags), None);
        let short = encode(&block(true));
        assert_eq!(decode(&short[..short.len() - 1]), None);
        assert!(decode_header(&short[..HEADER_LEN - 1]).is_none());
    }
}
