//! [`RestSource`]: blocks and the outputs they spend from the node's binary REST interface.

use std::io::Read;
use std::time::Duration;

use bitcoin::consensus::encode::{self, Decodable, VarInt};
use bitcoin::{Block, BlockHash, TxOut};

use super::{BlockSource, SourceError};
use crate::block::{BlockFees, TxFee};
use crate::node::NodeError;

/// Largest answer accepted (a block with witness data is at most 4 MB; room for undo data).
const MAX_BODY: u64 = 64 * 1024 * 1024;

/// Reads `/rest/block/<hash>.bin` and `/rest/spenttxouts/<hash>.bin` and computes each
/// transaction's fee as the values it spends minus the values it creates.
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
            .timeout(timeout)
            .max_idle_connections_per_host(64)
            .build();
        RestSource {
            base: base_url.trim_end_matches('/').to_owned(),
            agent,
        }
    }

    // One GET; maps the node's answers to the error cases the caller acts on.
    fn get(&self, path: &str, height: u32, hash: &BlockHash) -> Result<Vec<u8>, SourceError> {
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
            .and_then(|v| v.parse::<usize>().ok());
        let mut body = Vec::with_capacity(len.unwrap_or(1 << 20).min(MAX_BODY as usize));
        response
            .into_reader()
            .take(MAX_BODY)
            .read_to_end(&mut body)
            .map_err(|e| {
                SourceError::Node(NodeError::Unreachable {
                    url: url.clone(),
                    detail: e.to_string(),
                })
            })?;
        if let Some(len) = len {
            if body.len() != len {
                return Err(SourceError::Node(NodeError::Unreachable {
                    url,
                    detail: format!("answer cut short: {} of {len} bytes", body.len()),
                }));
            }
        }
        Ok(body)
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

    fn fetch(&self, height: u32, hash: &BlockHash) -> Result<BlockFees, SourceError> {
        let block_bytes = self.get(&format!("/rest/block/{hash}.bin"), height, hash)?;
        let bad = |detail: String| SourceError::Decode {
            height,
            hash: *hash,
            detail,
        };
        let block: Block = encode::deserialize(&block_bytes)
            .map_err(|e| bad(format!("cannot decode /rest/block answer: {e}")))?;
        // A coinbase-only block spends nothing (and the genesis block has no undo data at all).
        let spent = if block.txdata.len() <= 1 {
            vec![Vec::new(); block.txdata.len()]
        } else {
            let spent_bytes = self.get(&format!("/rest/spenttxouts/{hash}.bin"), height, hash)?;
            decode_spent_txouts(&spent_bytes)
                .map_err(|e| bad(format!("cannot decode /rest/spenttxouts answer: {e}")))?
        };
        block_fees(height, hash, &block, block_bytes.len() as u64, &spent).map_err(bad)
    }
}

/// Decodes the `/rest/spenttxouts/<hash>.bin` format: a CompactSize count of transactions, then
/// per transaction (the coinbase first, with an empty list) a CompactSize count of the outputs
/// its inputs spend, each a serialized `CTxOut` (value, script).
///
/// # Examples
///
/// ```
/// use btcaddr_analytics::source::decode_spent_txouts;
/// // Two transactions: the coinbase (no inputs spent) and one spending a 5000-sat empty script.
/// let bytes = [2, 0, 1, 0x88, 0x13, 0, 0, 0, 0, 0, 0, 0];
/// let spent = decode_spent_txouts(&bytes).unwrap();
/// assert_eq!(spent.len(), 2);
/// assert_eq!(spent[1][0].value.to_sat(), 5000);
/// ```
pub fn decode_spent_txouts(bytes: &[u8]) -> Result<Vec<Vec<TxOut>>, encode::Error> {
    let mut r = bytes;
    let count = VarInt::consensus_decode(&mut r)?.0;
    // Each entry takes at least one byte: a bound against absurd counts.
    if count > bytes.len() as u64 {
        return Err(encode::Error::ParseFailed(
            "transaction count larger than the answer",
        ));
    }
    let mut out = Vec::with_capacity(count as usize);
    for _ in 0..count {
        out.push(Vec::<TxOut>::consensus_decode(&mut r)?);
    }
    if !r.is_empty() {
        return Err(encode::Error::ParseFailed(
            "trailing bytes after the last transaction",
        ));
    }
    Ok(out)
}

/// Fee facts of `block` given the outputs each transaction spends (`spent[i]` for transaction
/// `i`, the coinbase's list empty). `size` is the serialized block size.
pub(crate) fn block_fees(
    height: u32,
    hash: &BlockHash,
    block: &Block,
    size: u64,
    spent: &[Vec<TxOut>],
) -> Result<BlockFees, String> {
    if block.block_hash() != *hash {
        return Err(format!(
            "the node sent block {} instead",
            block.block_hash()
        ));
    }
    if spent.len() != block.txdata.len() {
        return Err(format!(
            "spent outputs for {} transactions, but the block has {}",
            spent.len(),
            block.txdata.len()
        ));
    }
    let mut txs = Vec::with_capacity(block.txdata.len().saturating_sub(1));
    // The block's size without witness data, for its BIP141 weight: header, transaction count
    // and every transaction's base size (summed in the loop below).
    let mut block_base = 80
        + VarInt(block.txdata.len() as u64).size()
        + block
            .txdata
            .first()
            .map_or(0, |coinbase| coinbase.base_size());
    for (i, (tx, prevouts)) in block.txdata.iter().zip(spent).enumerate().skip(1) {
        if prevouts.len() != tx.input.len() {
            return Err(format!(
                "transaction {i}: {} spent outputs for {} inputs",
                prevouts.len(),
                tx.input.len()
            ));
        }
        let inputs = checked_sum(prevouts);
        let outputs = checked_sum(&tx.output);
        let fee = match (inputs, outputs) {
            (Some(i), Some(o)) if i >= o => i - o,
            _ => return Err(format!("transaction {i}: outputs exceed the spent values")),
        };
        // Each size walked once: the crate's weight() and vsize() each walk both again.
        let (base, total) = (tx.base_size(), tx.total_size());
        block_base += base;
        let weight = tx_weight(base, total);
        txs.push(TxFee {
            txid: tx.compute_txid(),
            fee,
            size: u32::try_from(total).map_err(|_| "transaction too large")?,
            vsize: u32::try_from(weight.div_ceil(4)).map_err(|_| "transaction too large")?,
            weight,
        });
    }
    Ok(BlockFees {
        height,
        hash: *hash,
        prev_hash: block.header.prev_blockhash,
        time: block.header.time,
        size,
        // `size` is the whole serialized block (decoding rejects trailing bytes).
        weight: 3 * block_base as u64 + size,
        tx_count: u32::try_from(block.txdata.len()).map_err(|_| "too many transactions")?,
        txs,
    })
}

// BIP141 weight from the sizes without and with witness data.
fn tx_weight(base: usize, total: usize) -> u64 {
    (base as u64) * 3 + total as u64
}

// Sum of output values; `None` on overflow (a corrupt answer).
fn checked_sum(outs: &[TxOut]) -> Option<u64> {
    outs.iter()
        .try_fold(0u64, |acc, o| acc.checked_add(o.value.to_sat()))
}
