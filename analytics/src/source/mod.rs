//! Block sources: where [`BlockFees`] come from.
//!
//! [`RestSource`] decodes the node's binary REST answers (`/rest/block`, `/rest/spenttxouts`):
//! the fast path. [`RpcSource`] reads `getblock <hash> 2` and its per-transaction `fee`: the
//! fallback when REST is off. [`pick_source`] chooses between them for `--source auto`.
//! [`FilesSource`] reads the node's own block and undo files: no RPC at all.
//!
//! # Examples
//!
//! ```no_run
//! use btcaddr_analytics::node::{Chain, NodeConfig, RpcNode};
//! use btcaddr_analytics::source::{pick_source, SourceChoice};
//! let config = NodeConfig::local(Chain::Regtest);
//! let node = RpcNode::new(&config);
//! let hash = node.block_hash(1)?;
//! let picked = pick_source(&config, SourceChoice::Auto, 1, &hash, &Default::default())?;
//! let block = picked.source.fetch(1, &hash)?;
//! println!("{} via {}: {} transactions", block.height, picked.source.name(), block.txs.len());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod files;
mod rest;
mod rpc;

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use bitcoin::BlockHash;

use crate::block::BlockFees;
use crate::decode::Txids;
use crate::node::{NodeConfig, NodeError, Retryable, Transience};

pub use files::{FilesError, FilesSource};
pub use rest::RestSource;
pub use rpc::RpcSource;

/// Delivers the fee facts of one block.
///
/// Implementations are shared by the scan's worker threads.
pub trait BlockSource: Send + Sync {
    /// A short name for messages: `"REST"`, `"RPC"` or `"files"`.
    fn name(&self) -> &'static str;

    /// The hash of the active chain's block at `height`, for a source that knows the chain by
    /// itself (the node's files); `None` (the default) when the node is to be asked over RPC.
    fn chain_hash(&self, _height: u32) -> Option<Result<BlockHash, SourceError>> {
        None
    }

    /// Fetches the block `hash` (expected at `height`) once, without retrying, with every
    /// txid.
    fn fetch(&self, height: u32, hash: &BlockHash) -> Result<BlockFees, SourceError> {
        self.fetch_with(height, hash, Txids::Compute)
    }

    /// Like [`BlockSource::fetch`]; with [`Txids::Skip`] a source may leave the txids out
    /// (they cost a double SHA-256 per transaction, and only per-transaction outputs use them).
    fn fetch_with(
        &self,
        height: u32,
        hash: &BlockHash,
        txids: Txids,
    ) -> Result<BlockFees, SourceError>;
}

/// Which source to use, as given by `--source`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SourceChoice {
    /// REST when the node serves it, else RPC.
    #[default]
    Auto,
    /// REST only.
    Rest,
    /// RPC only.
    Rpc,
    /// The node's own block, undo and index files (no RPC needed; see [`FilesSource`]).
    Files,
}

impl FromStr for SourceChoice {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "auto" => Ok(SourceChoice::Auto),
            "rest" => Ok(SourceChoice::Rest),
            "rpc" => Ok(SourceChoice::Rpc),
            "files" => Ok(SourceChoice::Files),
            other => Err(format!(
                "unknown source '{other}' (expected auto, rest, rpc or files)"
            )),
        }
    }
}

impl fmt::Display for SourceChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SourceChoice::Auto => "auto",
            SourceChoice::Rest => "rest",
            SourceChoice::Rpc => "rpc",
            SourceChoice::Files => "files",
        })
    }
}

/// The source picked by [`pick_source`], and why REST was not used when it was not.
pub struct PickedSource {
    /// The source to fetch with.
    pub source: Box<dyn BlockSource>,
    /// Set when `auto` fell back to RPC: the reason REST could not be used.
    pub fallback_reason: Option<String>,
}

/// Picks the source for `choice`, probing REST with the block `hash` at `height`.
///
/// `auto` uses REST when the node answers `/rest/block` and `/rest/spenttxouts` for that block,
/// and RPC otherwise (with the reason in [`PickedSource::fallback_reason`]).
pub fn pick_source(
    config: &NodeConfig,
    choice: SourceChoice,
    height: u32,
    hash: &BlockHash,
    cancel: &std::sync::atomic::AtomicBool,
) -> Result<PickedSource, SourceError> {
    let rpc = || PickedSource {
        source: Box::new(RpcSource::new(config)),
        fallback_reason: None,
    };
    match choice {
        SourceChoice::Rpc => Ok(rpc()),
        SourceChoice::Files => Err(SourceError::Node(NodeError::Config(
            "--source files reads the node's folder: open it with source::files::NodeFiles".into(),
        ))),
        SourceChoice::Rest | SourceChoice::Auto => {
            let rest = RestSource::new(&config.rest_url, config.timeout);
            let probe = config
                .retry
                .run(cancel, |_| {}, || rest.probe(height, hash));
            match probe {
                Ok(()) => Ok(PickedSource {
                    source: Box::new(rest),
                    fallback_reason: None,
                }),
                Err(e) if choice == SourceChoice::Auto && e.rest_unusable() => Ok(PickedSource {
                    fallback_reason: Some(e.to_string()),
                    ..rpc()
                }),
                Err(e) => Err(e),
            }
        }
    }
}

/// Errors fetching one block.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// Talking to the node failed.
    #[error(transparent)]
    Node(#[from] NodeError),
    /// The node does not serve REST (started without `-rest=1`).
    #[error("the node does not serve REST at {url} (start it with -rest=1, or use --source rpc)")]
    RestDisabled {
        /// The URL tried.
        url: String,
    },
    /// The node serves REST but not `/rest/spenttxouts` (an older node).
    #[error("the node's REST server has no /rest/spenttxouts ({detail}); use --source rpc")]
    NoSpentTxouts {
        /// The node's answer.
        detail: String,
    },
    /// The block's data was pruned away.
    #[error("block {height} ({hash}) is pruned on this node: its data is no longer available")]
    Pruned {
        /// The height asked for.
        height: u32,
        /// The block hash.
        hash: BlockHash,
    },
    /// The node does not know the block.
    #[error("block {height} ({hash}) not found on the node: {detail}")]
    NotFound {
        /// The height asked for.
        height: u32,
        /// The block hash.
        hash: BlockHash,
        /// The node's answer.
        detail: String,
    },
    /// The node's files cannot be read (each error names the file, the offset and the height).
    #[error(transparent)]
    Files(#[from] FilesError),
    /// The node's answer cannot be decoded or is inconsistent.
    #[error("block {height} ({hash}): {detail}")]
    Decode {
        /// The height asked for.
        height: u32,
        /// The block hash.
        hash: BlockHash,
        /// What was wrong.
        detail: String,
    },
}

impl SourceError {
    /// Whether this error means REST cannot be used at all (so `auto` falls back to RPC).
    pub fn rest_unusable(&self) -> bool {
        matches!(
            self,
            SourceError::RestDisabled { .. } | SourceError::NoSpentTxouts { .. }
        )
    }
}

impl Retryable for SourceError {
    fn transience(&self) -> Option<Transience> {
        match self {
            SourceError::Node(e) => e.transience(),
            _ => None,
        }
    }

    fn gave_up(self, tries: u32, waited: Duration) -> Self {
        match self {
            SourceError::Node(e) => SourceError::Node(e.gave_up(tries, waited)),
            other => other,
        }
    }

    fn interrupted() -> Self {
        SourceError::Node(NodeError::Interrupted)
    }
}
