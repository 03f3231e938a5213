//! [`FilesSource`]: fees from the node's own files, with no RPC, no REST and no UTXO set.
//!
//! The node keeps every block's spent outputs in its undo files (`rev?????.dat`), so a block
//! (`blk?????.dat`) and its undo record are all it takes to compute every fee: no node CPU, and
//! no UTXO set to rebuild (which is what bitcoin-iterate, rusty-blockparser, blocks_iterator
//! and bitcoin-explorer spend their hours and gigabytes on).
//!
//! * [`blockfiles`]: the XOR key (`blocks/xor.dat`) and the framed records in `blk`/`rev` files,
//!   read with positioned reads (any number of threads at once);
//! * [`index`]: the LevelDB block index (`blocks/index`), read from a snapshot so the running
//!   node's lock and files are never touched, and its most-work chain;
//! * the undo records themselves are decoded by [`crate::decode::UndoSpentValues`], in lockstep
//!   with the block by [`crate::decode::block_fees`], like the REST answers.
//!
//! [`NodeFiles`] puts them together; [`FilesSource`] is the [`BlockSource`] over it.
//!
//! ```no_run
//! use btcaddr_analytics::source::files::{FilesSource, NodeFiles};
//! use btcaddr_analytics::source::BlockSource;
//! let node = NodeFiles::open("/home/me/.bitcoin/blocks".as_ref(), bitcoin::Network::Bitcoin)?;
//! let tip = node.tip_height();
//! let hash = node.entry(tip)?.hash;
//! let source = FilesSource::new(node);
//! let block = source.fetch(tip, &hash)?;
//! println!("{} transactions", block.tx_count);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod blockfiles;
mod error;
pub mod index;

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use bitcoin::{BlockHash, Network};

pub use error::FilesError;
pub use index::{ActiveChain, IndexEntry};

use super::{BlockSource, SourceError};
use crate::block::BlockFees;
use crate::decode::{self, Txids, UndoSpentValues};
use blockfiles::BlockFiles;
use index::status;

/// A node's blocks directory: its active chain (from the block index, as of opening) and
/// positioned reads of its block and undo records. `Send + Sync`: share it between threads,
/// each with its own buffers.
#[derive(Debug)]
pub struct NodeFiles {
    blocks_dir: PathBuf,
    network: Network,
    files: BlockFiles,
    chain: ActiveChain,
}

impl NodeFiles {
    /// Opens `blocks_dir` (the node's `<datadir>/<network>/blocks`, or `-blocksdir`): reads
    /// `xor.dat`, snapshots and reads `index/`, builds the active chain and checks its
    /// genesis block is `network`'s. Never writes into `blocks_dir`; works while the node runs.
    pub fn open(blocks_dir: &Path, network: Network) -> Result<Self, FilesError> {
        let files = BlockFiles::new(blocks_dir, network.magic())?;
        let chain = index::load(&blocks_dir.join("index"))?;
        let expected = bitcoin::constants::genesis_block(network).block_hash();
        let found = chain.get(0)?.hash;
        if found != expected {
            return Err(FilesError::WrongNetwork {
                found,
                network,
                expected,
            });
        }
        Ok(NodeFiles {
            blocks_dir: blocks_dir.to_path_buf(),
            network,
            files,
            chain,
        })
    }

    /// The blocks directory.
    pub fn blocks_dir(&self) -> &Path {
        &self.blocks_dir
    }

    /// The network.
    pub fn network(&self) -> Network {
        self.network
    }

    /// Height of the active chain's tip.
    pub fn tip_height(&self) -> u32 {
        self.chain.tip_height()
    }

    /// The active chain.
    pub fn chain(&self) -> &ActiveChain {
        &self.chain
    }

    /// The index entry at `height` (hash, parent, file, positions, status, tx count).
    pub fn entry(&self, height: u32) -> Result<&IndexEntry, FilesError> {
        self.chain.get(height)
    }

    /// The serialized block at `height`, read into `buf`.
    pub fn block<'b>(&self, height: u32, buf: &'b mut Vec<u8>) -> Result<&'b [u8], FilesError> {
        let entry = self.chain.get(height)?;
        let (Some(file), Some(pos)) = (entry.file, entry.data_pos) else {
            return Err(FilesError::Pruned {
                hash: entry.hash,
                height,
            });
        };
        debug_assert!(entry.status & status::HAVE_DATA != 0);
        self.files.read_block(file, pos, height, buf)
    }

    /// The undo record of the block at `height` (checksum verified), read into `buf`. The
    /// genesis block has none: use [`NodeFiles::spent_values`].
    pub fn undo<'b>(&self, height: u32, buf: &'b mut Vec<u8>) -> Result<&'b [u8], FilesError> {
        let entry = self.chain.get(height)?;
        let (Some(file), Some(pos)) = (entry.file, entry.undo_pos) else {
            return Err(FilesError::UndoMissing {
                hash: entry.hash,
                height,
            });
        };
        self.files.read_undo(file, pos, height, &entry.prev(), buf)
    }

    /// Where the block at `height` and its undo record are, for messages: `blk00000.dat at
    /// offset 8, rev00000.dat at offset 8`.
    pub fn describe(&self, height: u32) -> String {
        let Ok(entry) = self.chain.get(height) else {
            return format!("height {height}");
        };
        let mut at = Vec::new();
        if let (Some(file), Some(pos)) = (entry.file, entry.data_pos) {
            at.push(format!("blk{file:05}.dat at offset {pos}"));
        }
        if let (Some(file), Some(pos)) = (entry.file, entry.undo_pos) {
            at.push(format!("rev{file:05}.dat at offset {pos}"));
        }
        format!("height {height} ({})", at.join(", "))
    }

    /// The spent values of the block at `height`: its undo record, or nothing for genesis.
    pub fn spent_values<'b>(
        &self,
        height: u32,
        buf: &'b mut Vec<u8>,
    ) -> Result<UndoSpentValues<'b>, FilesError> {
        if height == 0 {
            self.chain.get(0)?;
            return Ok(UndoSpentValues::genesis());
        }
        Ok(UndoSpentValues::new(self.undo(height, buf)?))
    }
}

/// Reads blocks and their undo records from a node's files ([`NodeFiles`]).
///
/// Block hashes come from the index snapshot taken when the [`NodeFiles`] was opened
/// ([`BlockSource::chain_hash`]), so a scan needs no node at all.
#[derive(Debug)]
pub struct FilesSource {
    files: NodeFiles,
}

impl FilesSource {
    /// A source over `files`.
    pub fn new(files: NodeFiles) -> Self {
        FilesSource { files }
    }

    /// The files read.
    pub fn files(&self) -> &NodeFiles {
        &self.files
    }
}

thread_local! {
    /// Each worker thread's buffers for a block and its undo record, reused from block to block.
    static RECORDS: RefCell<(Vec<u8>, Vec<u8>)> = const { RefCell::new((Vec::new(), Vec::new())) };
}

impl BlockSource for FilesSource {
    fn name(&self) -> &'static str {
        "files"
    }

    fn chain_hash(&self, height: u32) -> Option<Result<BlockHash, SourceError>> {
        Some(
            self.files
                .entry(height)
                .map(|e| e.hash)
                .map_err(SourceError::from),
        )
    }

    fn fetch_with(
        &self,
        height: u32,
        hash: &BlockHash,
        txids: Txids,
    ) -> Result<BlockFees, SourceError> {
        let entry = self.files.entry(height)?;
        if entry.hash != *hash {
            return Err(SourceError::NotFound {
                height,
                hash: *hash,
                detail: format!("the block index has {} at that height", entry.hash),
            });
        }
        RECORDS.with(|cell| {
            let mut buffers = cell.borrow_mut();
            let (block_buf, undo_buf) = &mut *buffers;
            let block = self.files.block(height, block_buf)?;
            let spent = self.files.spent_values(height, undo_buf)?;
            decode::block_fees(height, hash, block, spent, txids).map_err(|detail| {
                SourceError::Decode {
                    height,
                    hash: *hash,
                    detail: format!("{} record: {detail}", self.files.describe(height)),
                }
            })
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn node_files_and_its_source_are_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<super::NodeFiles>();
        check::<super::FilesSource>();
    }
}
