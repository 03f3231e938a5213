//! Per-block cache files, so an interrupted scan resumes without refetching finished blocks.
//!
//! One file per block, `<dir>/<height>.blk`, written atomically (temporary file, then rename):
//! a file is either complete or absent, whenever the program stops. The file holds the block's
//! hash, so a block replaced by a reorg is noticed and fetched again.
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

/// First bytes of every cache file; a new layout gets a new magic.
const MAGIC: &[u8; 8] = b"BAFEES01";
const HEADER_LEN: usize = 8 + 4 + 32 + 32 + 4 + 8 + 8 + 4 + 4;
const TX_LEN: usize = 32 + 8 + 4 + 4 + 8;

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
        use std::io::Read;
        let path = self.path(height);
        let mut head = [0u8; HEADER_LEN];
        let read = fs::File::open(&path).and_then(|mut f| f.read_exact(&mut head));
        match read {
            Ok(()) => Ok(decode_header(&head)
                .filter(|h| h.0 == height)
                .map(|h| (h.1, h.2))),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::NotFound | std::io::ErrorKind::UnexpectedEof
                ) =>
            {
                Ok(None)
            }
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

fn encode(b: &BlockFees) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER_LEN + TX_LEN * b.txs.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&b.height.to_le_bytes());
    out.extend_from_slice(b.hash.as_byte_array());
    out.extend_from_slice(b.prev_hash.as_byte_array());
    out.extend_from_slice(&b.time.to_le_bytes());
    out.extend_from_slice(&b.size.to_le_bytes());
    out.extend_from_slice(&b.weight.to_le_bytes());
    out.extend_from_slice(&b.tx_count.to_le_bytes());
    out.extend_from_slice(&(b.txs.len() as u32).to_le_bytes());
    for t in &b.txs {
        out.extend_from_slice(t.txid.as_byte_array());
        out.extend_from_slice(&t.fee.to_le_bytes());
        out.extend_from_slice(&t.size.to_le_bytes());
        out.extend_from_slice(&t.vsize.to_le_bytes());
        out.extend_from_slice(&t.weight.to_le_bytes());
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
}

type Header = (u32, BlockHash, BlockHash, u32, u64, u64, u32, u32);

fn decode_header(bytes: &[u8]) -> Option<Header> {
    if bytes.len() < HEADER_LEN || &bytes[..8] != MAGIC {
        return None;
    }
    let mut r = Reader(&bytes[8..HEADER_LEN]);
    Some((
        r.u32(),
        BlockHash::from_byte_array(r.take()),
        BlockHash::from_byte_array(r.take()),
        r.u32(),
        r.u64(),
        r.u64(),
        r.u32(),
        r.u32(),
    ))
}

fn decode(bytes: &[u8]) -> Option<BlockFees> {
    let (height, hash, prev_hash, time, size, weight, tx_count, n) = decode_header(bytes)?;
    if bytes.len() != HEADER_LEN + TX_LEN * n as usize {
        return None;
    }
    let mut r = Reader(&bytes[HEADER_LEN..]);
    let txs = (0..n)
        .map(|_| TxFee {
            txid: Txid::from_byte_array(r.take()),
            fee: r.u64(),
            size: r.u32(),
            vsize: r.u32(),
            weight: r.u64(),
        })
        .collect();
    Some(BlockFees {
        height,
        hash,
        prev_hash,
        time,
        size,
        weight,
        tx_count,
        txs,
    })
}
