//! The one error type of the facade: what went wrong, in which file, at which offset, for
//! which height.

use std::io;
use std::path::PathBuf;

use bitcoin::BlockHash;
use thiserror::Error;

/// Why a node's files could not be read.
#[derive(Debug, Error)]
pub enum FilesError {
    /// An I/O error other than a missing file.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The error.
        source: io::Error,
    },
    /// A `blk`/`rev` file the index points at does not exist.
    #[error("{} is missing (needed for height {height})", path.display())]
    MissingFile {
        /// The file.
        path: PathBuf,
        /// The height whose record it holds.
        height: u32,
    },
    /// The record runs past the end of its file.
    #[error("{}: record for height {height} at offset {offset} needs {needed} bytes but the file ends at {file_len}", path.display())]
    Truncated {
        /// The file.
        path: PathBuf,
        /// Where the read started.
        offset: u64,
        /// The height.
        height: u32,
        /// How many bytes the read needed.
        needed: u64,
        /// The file's length.
        file_len: u64,
    },
    /// The 4 bytes before the record are not the chain's network magic.
    #[error("{}: offset {offset} (height {height}): magic {found} is not the expected {expected} (wrong network, wrong XOR key or wrong position)", path.display())]
    WrongMagic {
        /// The file.
        path: PathBuf,
        /// Offset of the magic.
        offset: u64,
        /// The height.
        height: u32,
        /// The bytes found, as hex.
        found: String,
        /// The network's magic, as hex.
        expected: String,
    },
    /// The record's size prefix is outside what Core can have written.
    #[error("{}: offset {offset} (height {height}): record size {size} outside {min}..={max}", path.display())]
    SizeOutOfRange {
        /// The file.
        path: PathBuf,
        /// Offset of the size field.
        offset: u64,
        /// The height.
        height: u32,
        /// The size read.
        size: u32,
        /// The smallest plausible size.
        min: u32,
        /// The largest (Core's `MAX_SIZE`).
        max: u32,
    },
    /// The undo record's checksum does not match SHA256d(previous block hash ‖ record).
    #[error("{}: undo record for height {height} at offset {offset}: checksum mismatch (stored {stored}, computed {computed})", path.display())]
    ChecksumMismatch {
        /// The `rev` file.
        path: PathBuf,
        /// Offset of the record.
        offset: u64,
        /// The height.
        height: u32,
        /// The checksum in the file, as hex.
        stored: String,
        /// The checksum of the bytes read, as hex.
        computed: String,
    },
    /// The position is too small to have the 8-byte prefix before it.
    #[error("{}: offset {offset} for height {height} leaves no room for the 8-byte prefix", path.display())]
    BadPosition {
        /// The file.
        path: PathBuf,
        /// The position from the index.
        offset: u64,
        /// The height.
        height: u32,
    },
    /// `xor.dat` is not 8 bytes long.
    #[error("{}: the XOR key must be 8 bytes, the file has {len}", path.display())]
    XorKey {
        /// The file.
        path: PathBuf,
        /// Its length.
        len: u64,
    },
    /// The LevelDB block index could not be copied or opened.
    #[error("block index {}: {message}", path.display())]
    Index {
        /// The index directory.
        path: PathBuf,
        /// What failed.
        message: String,
    },
    /// An entry of the block index does not decode or does not fit the others.
    #[error("block index entry {hash}: {reason}")]
    BrokenEntry {
        /// The key's block hash.
        hash: BlockHash,
        /// What is wrong.
        reason: String,
    },
    /// A height above the tip of the index's active chain.
    #[error("height {height} is past the tip of the block index's active chain (height {tip})")]
    PastTip {
        /// The height asked for.
        height: u32,
        /// The tip height.
        tip: u32,
    },
    /// The block's data is not stored (pruned).
    #[error("block {hash} at height {height} is pruned: the index has no block data for it")]
    Pruned {
        /// The block.
        hash: BlockHash,
        /// Its height.
        height: u32,
    },
    /// The block has no undo data (not connected yet, or pruned).
    #[error("block {hash} at height {height} has no undo data (not connected yet, or pruned)")]
    UndoMissing {
        /// The block.
        hash: BlockHash,
        /// Its height.
        height: u32,
    },
    /// Two different valid tips have the same, most, chain work; only the node knows which
    /// it received first (and made active).
    #[error("two valid tips with equal most work: {first} (height {first_height}) and {second} (height {second_height}); ask the node (getbestblockhash) which is active")]
    TipTie {
        /// One tip.
        first: BlockHash,
        /// Its height.
        first_height: u32,
        /// The other.
        second: BlockHash,
        /// Its height.
        second_height: u32,
    },
    /// No entry of the index is valid to `BLOCK_VALID_SCRIPTS`.
    #[error("block index {} holds no validated chain", path.display())]
    NoChain {
        /// The index directory.
        path: PathBuf,
    },
    /// The chain's genesis block is not the network's.
    #[error("the block index's genesis is {found}, not {network}'s genesis {expected}")]
    WrongNetwork {
        /// The genesis in the index.
        found: BlockHash,
        /// The network asked for.
        network: bitcoin::Network,
        /// That network's genesis.
        expected: BlockHash,
    },
}
