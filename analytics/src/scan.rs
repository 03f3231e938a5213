//! The scan: fetch a height range concurrently into the [`BlockCache`], resumably, and make sure
//! the cached blocks form the node's current chain (hash chain check, reorg refetch).
//!
//! Blocks already cached with the node's current hash are not fetched again, so a scan stopped
//! by Ctrl-C or a crash resumes where it was. After fetching, every block's `prev_hash` must be
//! the hash of the block below it, and the top block must still be the node's block at that
//! height; otherwise the chain changed under the scan (a reorg) and the changed blocks are
//! fetched again. Afterwards [`cached_blocks`] yields the blocks in height order.
//!
//! Memory stays bounded whatever the range: hashes are resolved in chunks and each worker
//! holds one block at a time.
//!
//! # Examples
//!
//! ```no_run
//! use btcaddr_analytics::cache::BlockCache;
//! use btcaddr_analytics::node::{Chain, NodeConfig};
//! use btcaddr_analytics::scan::{cached_blocks, Scanner};
//! use btcaddr_analytics::source::RestSource;
//! let config = NodeConfig::local(Chain::Regtest);
//! let source = RestSource::new(&config.rest_url, config.timeout);
//! let cache = BlockCache::open("out/.cache/blocks".as_ref())?;
//! let stats = Scanner::new(&config, &source, &cache, 4).run(1, 100, &mut |_| {})?;
//! for block in cached_blocks(&cache, 1, 100) {
//!     println!("{} has {} transactions", block?.height, stats.blocks);
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use bitcoin::BlockHash;

use crate::block::BlockFees;
use crate::cache::{BlockCache, CacheError};
use crate::decode::Txids;
use crate::node::{NodeConfig, NodeError, Retryable, RpcNode, Transience, RPC_INVALID_PARAMETER};
use crate::source::{BlockSource, SourceError};

/// Heights whose hashes are resolved (and then fetched) together.
const CHUNK: u32 = 1000;
/// Rounds of refetching after which a chain that keeps changing is an error.
const MAX_ROUNDS: u32 = 10;

/// What the scan reports while it runs (on the calling thread).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanEvent {
    /// A block is ready: fetched now (`cached == false`) or found in the cache.
    Block {
        /// Its height.
        height: u32,
        /// Whether it came from the cache.
        cached: bool,
    },
    /// The chain changed under the scan; these many blocks will be fetched again.
    Reorg {
        /// Lowest height found changed.
        from_height: u32,
        /// Number of blocks to refetch.
        blocks: u32,
    },
    /// A call failed in a way that may pass (node down, restarting, warming up); retrying.
    Waiting {
        /// The error being waited out.
        reason: String,
    },
}

/// Counts of a finished scan.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScanStats {
    /// Blocks in the range.
    pub blocks: u32,
    /// Blocks found in the cache (not fetched).
    pub from_cache: u32,
    /// Blocks fetched from the node (including refetches).
    pub fetched: u32,
    /// Blocks fetched again because the chain changed during the scan.
    pub reorg_refetched: u32,
    /// Non-coinbase transactions fetched.
    pub txs_fetched: u64,
    /// Wall time of the scan.
    pub elapsed: Duration,
}

/// Errors of a scan.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    /// Talking to the node failed.
    #[error(transparent)]
    Node(#[from] NodeError),
    /// Fetching a block failed.
    #[error("fetching block {height}: {source}")]
    Fetch {
        /// The block's height.
        height: u32,
        /// The cause.
        source: SourceError,
    },
    /// The cache could not be read or written.
    #[error(transparent)]
    Cache(#[from] CacheError),
    /// A height is above the node's tip.
    #[error("height {height} is beyond the node's tip ({tip})")]
    BeyondTip {
        /// The height asked for.
        height: u32,
        /// The node's tip height.
        tip: u32,
    },
    /// The chain kept changing.
    #[error(
        "the chain kept changing during the scan ({rounds} rounds of refetching); try again later"
    )]
    Unsettled {
        /// Rounds tried.
        rounds: u32,
    },
    /// Stopped by Ctrl-C; everything fetched so far is in the cache.
    #[error("interrupted; {done} blocks are cached and a re-run resumes from there")]
    Interrupted {
        /// Blocks cached in this run.
        done: u32,
    },
}

/// Fetches a height range into a cache with several workers.
pub struct Scanner<'a> {
    config: &'a NodeConfig,
    source: &'a dyn BlockSource,
    cache: &'a BlockCache,
    jobs: usize,
    cancel: Arc<AtomicBool>,
    txids: Txids,
}

impl<'a> Scanner<'a> {
    /// A scanner fetching from `source` with `jobs` concurrent requests (at least 1).
    pub fn new(
        config: &'a NodeConfig,
        source: &'a dyn BlockSource,
        cache: &'a BlockCache,
        jobs: usize,
    ) -> Self {
        Scanner {
            config,
            source,
            cache,
            jobs: jobs.max(1),
            cancel: Arc::new(AtomicBool::new(false)),
            txids: Txids::Compute,
        }
    }

    /// Whether the blocks must carry their txids (the default: [`Txids::Compute`]). With
    /// [`Txids::Skip`] the source may leave them out; cached blocks without txids count as
    /// missing when they are needed, and are fetched again.
    pub fn with_txids(mut self, txids: Txids) -> Self {
        self.txids = txids;
        self
    }

    /// Stops the scan (between blocks, and during retry waits) when `cancel` is set.
    pub fn with_cancel(mut self, cancel: Arc<AtomicBool>) -> Self {
        self.cancel = cancel;
        self
    }

    /// Scans `from..=to`, telling `on_event` about progress.
    pub fn run(
        &self,
        from: u32,
        to: u32,
        on_event: &mut dyn FnMut(ScanEvent),
    ) -> Result<ScanStats, ScanError> {
        let start = Instant::now();
        let mut stats = ScanStats {
            blocks: to.saturating_sub(from) + 1,
            ..Default::default()
        };
        let node = RpcNode::with_cancel(self.config, self.cancel.clone());
        let mut round = 0;
        loop {
            let mut chunk_start = from;
            while chunk_start <= to {
                let chunk_end = to.min(chunk_start.saturating_add(CHUNK - 1));
                let hashes = self.resolve(chunk_start, chunk_end, on_event)?;
                let mut missing = Vec::new();
                for (i, hash) in hashes.iter().enumerate() {
                    let height = chunk_start + i as u32;
                    let needs_txids = self.txids == Txids::Compute;
                    match self.cache.entry(height)? {
                        Some(e) if e.hash == *hash && (e.has_txids || !needs_txids) => {
                            if round == 0 {
                                stats.from_cache += 1;
                                on_event(ScanEvent::Block {
                                    height,
                                    cached: true,
                                });
                            }
                        }
                        _ => missing.push((height, *hash)),
                    }
                }
                if round > 0 && !missing.is_empty() {
                    on_event(ScanEvent::Reorg {
                        from_height: missing[0].0,
                        blocks: missing.len() as u32,
                    });
                    stats.reorg_refetched += missing.len() as u32;
                }
                self.fetch_all(&missing, &mut stats, on_event)?;
                if chunk_end == to {
                    break;
                }
                chunk_start = chunk_end + 1;
            }
            if self.chain_is_whole(&node, from, to)? {
                stats.elapsed = start.elapsed();
                return Ok(stats);
            }
            round += 1;
            if round >= MAX_ROUNDS {
                return Err(ScanError::Unsettled { rounds: round });
            }
        }
    }

    // True when every cached block links to the one below and the top one is still the node's.
    fn chain_is_whole(&self, node: &RpcNode, from: u32, to: u32) -> Result<bool, ScanError> {
        let mut below: Option<BlockHash> = None;
        for height in from..=to {
            let Some((hash, prev)) = self.cache.link(height)? else {
                return Ok(false);
            };
            if below.is_some_and(|b| b != prev) {
                return Ok(false);
            }
            below = Some(hash);
        }
        let top = self.hash_at(node, to, &mut |_| {})?;
        Ok(below == Some(top))
    }

    // The active chain's hash at `height`: from the source when it knows the chain (the
    // node's files), else from the node over RPC.
    fn hash_at(
        &self,
        node: &RpcNode,
        height: u32,
        on_wait: &mut dyn FnMut(&NodeError),
    ) -> Result<BlockHash, ScanError> {
        match self.source.chain_hash(height) {
            Some(found) => found.map_err(|source| ScanError::Fetch { height, source }),
            None => resolve_one(node, self.config, height, on_wait),
        }
    }

    // The node's current hashes of `from..=to`, resolved with `jobs` connections.
    fn resolve(
        &self,
        from: u32,
        to: u32,
        on_event: &mut dyn FnMut(ScanEvent),
    ) -> Result<Vec<BlockHash>, ScanError> {
        let heights: Vec<u32> = (from..=to).collect();
        let results = self.parallel(
            &heights,
            |node, height, tx| {
                self.hash_at(node, *height, &mut |e| {
                    let _ = tx.send(Msg::Wait(e.to_string()));
                })
            },
            &mut |msg| {
                if let Msg::Wait(reason) = msg {
                    on_event(ScanEvent::Waiting { reason });
                }
            },
        )?;
        Ok(results)
    }

    // Fetches `missing` blocks into the cache.
    fn fetch_all(
        &self,
        missing: &[(u32, BlockHash)],
        stats: &mut ScanStats,
        on_event: &mut dyn FnMut(ScanEvent),
    ) -> Result<(), ScanError> {
        if missing.is_empty() {
            return Ok(());
        }
        let mut done = 0u32;
        let mut txs = 0u64;
        let result = self.parallel(
            missing,
            |_node, &(height, hash), tx| {
                let block = self
                    .config
                    .retry
                    .run(
                        &self.cancel,
                        |e: &SourceError| {
                            let _ = tx.send(Msg::Wait(e.to_string()));
                        },
                        || self.source.fetch_with(height, &hash, self.txids),
                    )
                    .map_err(|source| match source {
                        SourceError::Node(NodeError::Interrupted) => {
                            ScanError::Interrupted { done: 0 }
                        }
                        source => ScanError::Fetch { height, source },
                    })?;
                self.cache.put(&block)?;
                let _ = tx.send(Msg::Done(height, block.txs.len() as u64));
                Ok(())
            },
            &mut |msg| match msg {
                Msg::Wait(reason) => on_event(ScanEvent::Waiting { reason }),
                Msg::Done(height, n) => {
                    done += 1;
                    txs += n;
                    on_event(ScanEvent::Block {
                        height,
                        cached: false,
                    });
                }
            },
        );
        stats.fetched += done;
        stats.txs_fetched += txs;
        match result {
            Err(ScanError::Interrupted { .. }) => Err(ScanError::Interrupted {
                done: stats.fetched,
            }),
            other => other.map(|_| ()),
        }
    }

    // Runs `work` over `items` on `jobs` threads (each with its own RPC connection), in any
    // order; messages from the workers reach `on_msg` on this thread. Results keep item order.
    // The first error stops all workers.
    fn parallel<I: Sync, T: Send>(
        &self,
        items: &[I],
        work: impl Fn(&RpcNode, &I, &mpsc::Sender<Msg>) -> Result<T, ScanError> + Sync,
        on_msg: &mut dyn FnMut(Msg),
    ) -> Result<Vec<T>, ScanError> {
        let next = AtomicUsize::new(0);
        let failed = AtomicBool::new(false);
        let (tx, rx) = mpsc::channel::<Msg>();
        let threads = self.jobs.min(items.len()).max(1);
        let outcome: Vec<Result<Vec<(usize, T)>, ScanError>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads)
                .map(|_| {
                    let tx = tx.clone();
                    let (next, failed, work) = (&next, &failed, &work);
                    s.spawn(move || {
                        let node = RpcNode::with_cancel(self.config, self.cancel.clone());
                        let mut done = Vec::new();
                        loop {
                            if failed.load(Ordering::Relaxed) {
                                return Ok(done);
                            }
                            if self.cancel.load(Ordering::Relaxed) {
                                return Err(ScanError::Interrupted { done: 0 });
                            }
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some(item) = items.get(i) else {
                                return Ok(done);
                            };
                            match work(&node, item, &tx) {
                                Ok(v) => done.push((i, v)),
                                Err(e) => {
                                    failed.store(true, Ordering::Relaxed);
                                    return Err(e);
                                }
                            }
                        }
                    })
                })
                .collect();
            drop(tx);
            for msg in rx {
                on_msg(msg);
            }
            handles
                .into_iter()
                .map(|h| {
                    h.join().unwrap_or_else(|_| {
                        Err(ScanError::Node(NodeError::Config(
                            "a worker thread panicked".into(),
                        )))
                    })
                })
                .collect()
        });
        let mut all: Vec<(usize, T)> = Vec::with_capacity(items.len());
        let mut first_err = None;
        for r in outcome {
            match r {
                Ok(v) => all.extend(v),
                // Prefer a real error over the interruptions it caused elsewhere.
                Err(e) => match (&first_err, &e) {
                    (None, _) | (Some(ScanError::Interrupted { .. }), _) => first_err = Some(e),
                    _ => {}
                },
            }
        }
        if let Some(e) = first_err {
            return Err(e);
        }
        all.sort_by_key(|(i, _)| *i);
        Ok(all.into_iter().map(|(_, v)| v).collect())
    }
}

// Messages from workers to the scanning thread.
enum Msg {
    Wait(String),
    Done(u32, u64),
}

// `getblockhash` with waiting: a height just above the tip during a reorg (the chain shrank
// for a moment) is waited out like an unreachable node, then reported as beyond the tip.
fn resolve_one(
    node: &RpcNode,
    config: &NodeConfig,
    height: u32,
    on_wait: &mut dyn FnMut(&NodeError),
) -> Result<BlockHash, ScanError> {
    struct Resolve(NodeError, bool);
    impl Retryable for Resolve {
        fn transience(&self) -> Option<Transience> {
            if self.1 {
                Some(Transience::Unreachable)
            } else {
                self.0.transience()
            }
        }
        fn gave_up(self, tries: u32, waited: Duration) -> Self {
            Resolve(self.0.gave_up(tries, waited), self.1)
        }
        fn interrupted() -> Self {
            Resolve(NodeError::Interrupted, false)
        }
    }
    let r = config.retry.run(
        node.cancel_flag(),
        |e: &Resolve| on_wait(&e.0),
        || {
            node.block_hash_once(height).map_err(|e| {
                let beyond =
                    matches!(&e, NodeError::Rpc { code, .. } if *code == RPC_INVALID_PARAMETER);
                Resolve(e, beyond)
            })
        },
    );
    match r {
        Ok(h) => Ok(h),
        Err(Resolve(NodeError::Interrupted, _)) => Err(ScanError::Interrupted { done: 0 }),
        Err(Resolve(_, true)) => {
            let tip = node.call_once::<u32>("getblockcount", &[]).unwrap_or(0);
            Err(ScanError::BeyondTip { height, tip })
        }
        Err(Resolve(e, false)) => Err(e.into()),
    }
}

/// Hands scanned blocks over in height order while the scan is still running, so the report
/// is built alongside the fetching instead of after it.
///
/// Feed it every [`ScanEvent`]; [`InOrder::next_ready`] then yields the next consecutive block
/// (read back from the cache) as soon as it and all below it are cached. A reorg makes the
/// blocks handed over so far suspect: the hand-over stops ([`InOrder::is_complete`] stays
/// false) and the caller builds from [`cached_blocks`] after the scan instead.
///
/// # Examples
///
/// ```no_run
/// use btcaddr_analytics::cache::BlockCache;
/// use btcaddr_analytics::node::{Chain, NodeConfig};
/// use btcaddr_analytics::scan::{InOrder, Scanner};
/// use btcaddr_analytics::source::RestSource;
/// let config = NodeConfig::local(Chain::Regtest);
/// let source = RestSource::new(&config.rest_url, config.timeout);
/// let cache = BlockCache::open("out/.cache/blocks".as_ref())?;
/// let mut order = InOrder::new(1, 100);
/// Scanner::new(&config, &source, &cache, 4).run(1, 100, &mut |event| {
///     order.note(&event);
///     while let Some(block) = order.next_ready(&cache) {
///         println!("block {} is ready", block.map(|b| b.height).unwrap_or_default());
///     }
/// })?;
/// assert!(order.is_complete());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct InOrder {
    next: u32,
    to: u32,
    ready: std::collections::BTreeSet<u32>,
    broken: bool,
}

impl InOrder {
    /// Hand-over of `from..=to`, nothing ready yet.
    pub fn new(from: u32, to: u32) -> Self {
        InOrder {
            next: from,
            to,
            ready: std::collections::BTreeSet::new(),
            broken: false,
        }
    }

    /// Takes note of a scan event: a cached block becomes ready; a reorg stops the hand-over.
    pub fn note(&mut self, event: &ScanEvent) {
        match event {
            ScanEvent::Block { height, .. } => {
                self.ready.insert(*height);
            }
            ScanEvent::Reorg { .. } => {
                self.broken = true;
                self.ready.clear();
            }
            ScanEvent::Waiting { .. } => {}
        }
    }

    /// The next block in height order if it is cached; `None` until then (or after a reorg,
    /// or once the range is done). A read error stops the hand-over.
    pub fn next_ready(&mut self, cache: &BlockCache) -> Option<Result<BlockFees, ScanError>> {
        if self.broken || self.next > self.to || !self.ready.remove(&self.next) {
            return None;
        }
        let block = cached_blocks(cache, self.next, self.next).next()?;
        match &block {
            Ok(_) => self.next += 1,
            Err(_) => self.broken = true,
        }
        Some(block)
    }

    /// True when every block of the range was handed over and no reorg was seen.
    pub fn is_complete(&self) -> bool {
        !self.broken && self.next > self.to
    }
}

/// The cached blocks `from..=to` in height order, read one at a time (bounded memory).
///
/// A missing block is an error: run a [`Scanner`] over the range first.
pub fn cached_blocks(
    cache: &BlockCache,
    from: u32,
    to: u32,
) -> impl Iterator<Item = Result<BlockFees, ScanError>> + '_ {
    (from..=to).map(move |height| match cache.get_any(height) {
        Ok(Some(b)) => Ok(b),
        Ok(None) => Err(ScanError::Cache(CacheError::Io {
            path: cache.dir().join(format!("{height:08}.blk")),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "block not cached"),
        })),
        Err(e) => Err(e.into()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use bitcoin::hashes::Hash;

    fn block(height: u32) -> BlockFees {
        BlockFees {
            height,
            hash: BlockHash::from_byte_array([height as u8; 32]),
            prev_hash: BlockHash::from_byte_array([height.wrapping_sub(1) as u8; 32]),
            time: 0,
            size: 100,
            weight: 400,
            tx_count: 1,
            txs: Vec::new(),
        }
    }

    fn ready(order: &mut InOrder, cache: &BlockCache) -> Vec<u32> {
        std::iter::from_fn(|| order.next_ready(cache))
            .map(|b| b.unwrap().height)
            .collect()
    }

    #[test]
    fn in_order_hands_over_consecutive_blocks_as_they_arrive() {
        let dir = tempfile::tempdir().unwrap();
        let cache = BlockCache::open(dir.path()).unwrap();
        let mut order = InOrder::new(5, 8);
        let arrived = |order: &mut InOrder, height| {
            cache.put(&block(height)).unwrap();
            order.note(&ScanEvent::Block {
                height,
                cached: false,
            });
        };
        arrived(&mut order, 6);
        assert_eq!(ready(&mut order, &cache), Vec::<u32>::new());
        arrived(&mut order, 5);
        assert_eq!(ready(&mut order, &cache), vec![5, 6]);
        arrived(&mut order, 8);
        assert!(!order.is_complete());
        arrived(&mut order, 7);
        assert_eq!(ready(&mut order, &cache), vec![7, 8]);
        assert!(order.is_complete());
    }

    #[test]
    fn in_order_stops_at_a_reorg() {
        let dir = tempfile::tempdir().unwrap();
        let cache = BlockCache::open(dir.path()).unwrap();
        let mut order = InOrder::new(1, 2);
        for height in 1..=2 {
            cache.put(&block(height)).unwrap();
            order.note(&ScanEvent::Block {
                height,
                cached: true,
            });
        }
        order.note(&ScanEvent::Reorg {
            from_height: 2,
            blocks: 1,
        });
        assert_eq!(ready(&mut order, &cache), Vec::<u32>::new());
        assert!(!order.is_complete());
    }
}
