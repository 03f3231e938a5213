//! [`RestSource`]: blocks and the outputs they spend from the node's binary REST interface.

use std::io::Read;
use std::time::Duration;

use bitcoin::BlockHash;

use super::{BlockSource, SourceError};
use crate::block::BlockFees;
use crate::decode::{self, CoinbaseOnly, RestSpentOutputs, Txids};
use crate::node::NodeError;

/// Largest answer accepted (a block with witness data is at most 4 MB; room for undo data).
const MAX_BODY: u64 = 64 * 1024 * 1024;

/// Reads `/rest/block/<hash>.bin` and `/rest/spenttxouts/<hash>.bin` and computes each
/// transaction's fee as the values it spends minus the values it creates, decoding both
/// answers in one zero-copy pass ([`crate::decode::block_fees`]).
///
/// # Examples
///
/// ```no_run
/// use btcaddr_analytics::source::{BlockSource, RestSource};
/// use std::time::Duration;
/// let rest = RestSource::new("http://127.0.0.1:18443", Duration::from_secs(60));
/// # let hash: bitcoin::BlockHash = "0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206".parse().unwrap();
/// let block = rest.fetch(0, &hash)?;
/// # Ok::<(), btcaddr_analytics::source::SourceError>(())
/// ```
#[derive(Debug, Clone)]
pub struct RestSource {
    base: String,
    agent: ureq::Agent,
}

impl RestSource {
    /// A source reading from the REST server at `base_url` (scheme, host and port).
    pub fn new(base_url: &str, timeout: Duration) -> Self {
        let agent = ureq::AgentBuilder::new()
            .timeout_connect(Duration::from_secs(10))
            // Per-read and per-write limits, set on the socket once. An overall deadline would
            // make ureq set both again before every read: two syscalls per 8 KiB of a block.
            .timeout_read(timeout)
            .timeout_write(timeout)
            .max_idle_connections_per_host(64)
            .build();
        RestSource {
            base: base_url.trim_end_matches('/').to_owned(),
            agent,
        }
    }

    // One GET into a fresh buffer (the rare requests: the probe).
    fn get(&self, path: &str, height: u32, hash: &BlockHash) -> Result<Vec<u8>, SourceError> {
        let mut body = Vec::new();
        let len = self.get_into(path, height, hash, &mut body)?;
        body.truncate(len);
        Ok(body)
    }

    /// GETs `path` (a request about block `hash` at `height`) into the front of `body`, which is
    /// reused from call to call, and returns the answer's length. The errors say what the
    /// node's answer means: REST off, pruned, not found, warming up, unreachable.
    ///
    /// The answer is read straight into the buffer, which only ever grows: no allocation, no
    /// zeroing and no page faults per block once it has its size.
    pub fn get_into(
        &self,
        path: &str,
        height: u32,
        hash: &BlockHash,
        body: &mut Vec<u8>,
    ) -> Result<usize, SourceError> {
        let url = format!("{}{}", self.base, path);
        let response = match self.agent.get(&url).call() {
            Ok(r) => r,
            Err(ureq::Error::Status(code, r)) => {
                let body = r.into_string().unwrap_or_default();
                let body = body.trim().to_owned();
                return Err(match code {
                    // An unregistered path gets an empty 404: REST (or this endpoint) is off.
                    404 if body.is_empty() && path.starts_with("/rest/block/") => {
                        SourceError::RestDisabled {
                            url: self.base.clone(),
                        }
                    }
                    404 if body.is_empty() => SourceError::NoSpentTxouts {
                        detail: format!("{url} answered 404"),
                    },
                    404 if body.contains("pruned") => SourceError::Pruned {
                        height,
                        hash: *hash,
                    },
                    404 => SourceError::NotFound {
                        height,
                        hash: *hash,
                        detail: body,
                    },
                    403 => SourceError::RestDisabled {
                        url: self.base.clone(),
                    },
                    503 if body.to_ascii_lowercase().contains("warm")
                        || body.contains("Loading")
                        || body.contains("Verifying")
                        || body.contains("starting") =>
                    {
                        SourceError::Node(NodeError::WarmingUp(body))
                    }
                    _ => SourceError::Node(NodeError::Unreachable {
                        url,
                        detail: format!("HTTP status {code}: {body}"),
                    }),
                });
            }
            Err(e) => {
                return Err(SourceError::Node(NodeError::Unreachable {
                    url: self.base.clone(),
                    detail: e.to_string(),
                }))
            }
        };
        let len = response
            .header("Content-Length")
            .and_then(|v| v.parse::<u64>().ok());
        let unreachable = |detail: String| {
            SourceError::Node(NodeError::Unreachable {
                url: url.clone(),
                detail,
            })
        };
        let mut reader = response.into_reader();
        match len {
            Some(len) if len > MAX_BODY => Err(unreachable(format!(
                "answer of {len} bytes, more than any block's"
            ))),
            Some(len) => {
                let len = len as usize;
                if body.len() < len {
                    body.resize(len, 0);
                }
                // One large read: ureq's 8 KiB buffer is bypassed for reads bigger than it.
                let mut filled = 0;
                while filled < len {
                    match reader.read(&mut body[filled..len]) {
                        Ok(0) => {
                            return Err(unreachable(format!(
                                "answer cut short: {filled} of {len} bytes"
                            )))
                        }
                        Ok(n) => filled += n,
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                        Err(e) => return Err(unreachable(e.to_string())),
                    }
                }
                // Reading on to the end hands the connection back to the agent's pool.
                match reader.read(&mut [0u8; 1]) {
                    Ok(0) => Ok(len),
                    Ok(_) => Err(unreachable(format!(
                        "answer longer than its Content-Length of {len} bytes"
                    ))),
                    Err(e) => Err(unreachable(e.to_string())),
                }
            }
            None => {
                // Chunked: read to the end, bounded.
                body.clear();
                reader
                    .take(MAX_BODY)
                    .read_to_end(body)
                    .map_err(|e| unreachable(e.to_string()))
            }
        }
    }
}

impl RestSource {
    /// Checks that the node serves REST and `/rest/spenttxouts` (asked for block `hash`).
    pub fn probe(&self, height: u32, hash: &BlockHash) -> Result<(), SourceError> {
        self.get(
            &format!("/rest/block/notxdetails/{hash}.json"),
            height,
            hash,
        )
        .map_err(|e| match e {
            SourceError::NoSpentTxouts { .. } => SourceError::RestDisabled {
                url: self.base.clone(),
            },
            e => e,
        })?;
        self.get(&format!("/rest/spenttxouts/{hash}.bin"), height, hash)
            .map(|_| ())
    }
}

impl BlockSource for RestSource {
    fn name(&self) -> &'static str {
        "REST"
    }

    fn fetch_with(
        &self,
        height: u32,
        hash: &BlockHash,
        txids: Txids,
    ) -> Result<BlockFees, SourceError> {
        ANSWERS.with(|answers| {
            let mut answers = answers.borrow_mut();
            let (block_buf, spent_buf) = &mut *answers;
            self.fetch_into(height, hash, txids, block_buf, spent_buf)
        })
    }
}

thread_local! {
    /// Each worker thread's buffers for the two answers, reused from block to block.
    static ANSWERS: std::cell::RefCell<(Vec<u8>, Vec<u8>)> =
        const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
}

impl RestSource {
    fn fetch_into(
        &self,
        height: u32,
        hash: &BlockHash,
        txids: Txids,
        block_buf: &mut Vec<u8>,
        spent_buf: &mut Vec<u8>,
    ) -> Result<BlockFees, SourceError> {
        let block_len =
            self.get_into(&format!("/rest/block/{hash}.bin"), height, hash, block_buf)?;
        let block_bytes = &block_buf[..block_len];
        let bad = |detail: String| SourceError::Decode {
            height,
            hash: *hash,
            detail,
        };
        // The transaction count follows the 80-byte header. A coinbase-only block spends
        // nothing, and the genesis block has no undo data at all: no second request for them.
        let mut consumed = 0;
        let tx_count = block_bytes
            .get(80..)
            .and_then(|rest| bitcoin_slices::bsl::scan_len(rest, &mut consumed).ok())
            .ok_or_else(|| bad("cannot decode /rest/block answer: no transaction count".into()))?;
        let fees = if tx_count <= 1 {
            decode::block_fees(height, hash, block_bytes, CoinbaseOnly, txids)
        } else {
            let spent_len = self.get_into(
                &format!("/rest/spenttxouts/{hash}.bin"),
                height,
                hash,
                spent_buf,
            )?;
            let spent = RestSpentOutputs::new(&spent_buf[..spent_len]);
            decode::block_fees(height, hash, block_bytes, spent, txids)
        };
        fees.map_err(|e| bad(format!("cannot decode the REST answers: {e}")))
    }
}
