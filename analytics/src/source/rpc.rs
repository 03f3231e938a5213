//! [`RpcSource`]: blocks from `getblock <hash> 3`, whose transactions carry their `fee` and
//! each input's spent output (for the payer type).

use bitcoin::{BlockHash, ScriptBuf, Txid};
use serde::Deserialize;

use super::{BlockSource, SourceError};
use crate::block::{BlockFees, TxFee};
use crate::decode::Txids;
use crate::node::{NodeConfig, NodeError, RpcNode, RPC_INVALID_PARAMETER};
use crate::payer::PayerFold;

/// Reads blocks with `getblock <hash> 3` over JSON-RPC (slow on the node's side: it renders
/// every transaction as JSON). One RPC connection per calling thread.
///
/// # Examples
///
/// ```no_run
/// use btcaddr_analytics::node::{Chain, NodeConfig};
/// use btcaddr_analytics::source::{BlockSource, RpcSource};
/// let source = RpcSource::new(&NodeConfig::local(Chain::Regtest));
/// # let hash: bitcoin::BlockHash = "0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206".parse().unwrap();
/// let block = source.fetch(0, &hash)?;
/// # Ok::<(), btcaddr_analytics::source::SourceError>(())
/// ```
#[derive(Debug)]
pub struct RpcSource {
    config: NodeConfig,
}

impl RpcSource {
    /// A source calling the node of `config`.
    pub fn new(config: &NodeConfig) -> Self {
        RpcSource {
            config: config.clone(),
        }
    }
}

thread_local! {
    // One connection per worker thread: the HTTP transport serialises calls on its socket.
    static CONNECTION: std::cell::RefCell<Option<(String, RpcNode)>> = const { std::cell::RefCell::new(None) };
}

#[derive(Deserialize)]
struct RpcBlock {
    hash: BlockHash,
    height: u32,
    previousblockhash: Option<BlockHash>,
    time: u32,
    size: u64,
    weight: u64,
    #[serde(rename = "nTx")]
    n_tx: u32,
    tx: Vec<RpcTx>,
}

#[derive(Deserialize)]
struct RpcTx {
    txid: Txid,
    size: u32,
    vsize: u32,
    weight: u64,
    /// In BTC; absent for the coinbase (and when undo data is missing).
    fee: Option<f64>,
    vin: Vec<RpcInput>,
}

#[derive(Deserialize)]
struct RpcInput {
    /// Absent for the coinbase.
    #[serde(rename = "scriptSig")]
    script_sig: Option<RpcScript>,
    /// Verbosity 3's spent output; absent for the coinbase.
    prevout: Option<RpcPrevout>,
}

#[derive(Deserialize)]
struct RpcPrevout {
    #[serde(rename = "scriptPubKey")]
    script_pubkey: RpcScript,
}

#[derive(Deserialize)]
struct RpcScript {
    hex: ScriptBuf,
}

impl BlockSource for RpcSource {
    fn name(&self) -> &'static str {
        "RPC"
    }

    /// The node sends the txids anyway: kept whatever `_txids` says.
    fn fetch_with(
        &self,
        height: u32,
        hash: &BlockHash,
        _txids: Txids,
    ) -> Result<BlockFees, SourceError> {
        let answer: Result<RpcBlock, NodeError> = CONNECTION.with(|cell| {
            let mut slot = cell.borrow_mut();
            let fresh = match slot.as_ref() {
                Some((url, _)) => url != &self.config.rpc_url,
                None => true,
            };
            if fresh {
                *slot = Some((self.config.rpc_url.clone(), RpcNode::new(&self.config)));
            }
            match slot.as_ref() {
                Some((_, node)) => node.call_once("getblock", &[hash.to_string().into(), 3.into()]),
                None => Err(NodeError::Config("no RPC connection".into())),
            }
        });
        let block = match answer {
            Ok(b) => b,
            Err(NodeError::Rpc { message, .. }) if message.contains("pruned") => {
                return Err(SourceError::Pruned {
                    height,
                    hash: *hash,
                })
            }
            Err(NodeError::Rpc { code, message, .. })
                if code == -5 || code == RPC_INVALID_PARAMETER =>
            {
                return Err(SourceError::NotFound {
                    height,
                    hash: *hash,
                    detail: message,
                })
            }
            Err(e) => return Err(e.into()),
        };
        let bad = |detail: String| SourceError::Decode {
            height,
            hash: *hash,
            detail,
        };
        if block.hash != *hash {
            return Err(bad(format!("the node sent block {} instead", block.hash)));
        }
        if block.height != height {
            return Err(bad(format!(
                "the node places it at height {}",
                block.height
            )));
        }
        let mut txs = Vec::with_capacity(block.tx.len().saturating_sub(1));
        let mut payer = PayerFold::default();
        for (i, tx) in block.tx.iter().enumerate().skip(1) {
            payer.begin_tx();
            for input in &tx.vin {
                payer.script_sig(input.script_sig.as_ref().map_or(&[], |s| s.hex.as_bytes()));
            }
            for (n, input) in tx.vin.iter().enumerate() {
                let prevout = input.prevout.as_ref().ok_or_else(|| {
                    bad(format!(
                        "transaction {i} ({}) input {n} has no prevout (a node older than 23.0?)",
                        tx.txid
                    ))
                })?;
                payer.input(btcaddr::ScriptType::of(&prevout.script_pubkey.hex));
            }
            let fee = tx
                .fee
                .ok_or_else(|| bad(format!("transaction {i} ({}) has no fee field", tx.txid)))?;
            let sats = (fee * 100_000_000.0).round();
            if !(0.0..=2.1e15).contains(&sats) {
                return Err(bad(format!("transaction {i} has fee {fee} BTC")));
            }
            txs.push(TxFee {
                txid: Some(tx.txid),
                fee: sats as u64,
                size: tx.size,
                vsize: tx.vsize,
                weight: tx.weight,
                payer: payer.finish_tx(),
            });
        }
        Ok(BlockFees {
            height,
            hash: *hash,
            prev_hash: block
                .previousblockhash
                .unwrap_or_else(<BlockHash as bitcoin::hashes::Hash>::all_zeros),
            time: block.time,
            size: block.size,
            weight: block.weight,
            tx_count: block.n_tx,
            txs,
        })
    }
}
