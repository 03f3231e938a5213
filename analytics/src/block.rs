//! One block's fee facts, as every block source delivers them.
//!
//! This is the hand-over point of the data flow: sources (REST, RPC, cache) produce
//! [`BlockFees`]; metrics, frames, charts and the report only ever read them.

use bitcoin::{BlockHash, Txid};
use serde::{Deserialize, Serialize};

use crate::payer::PayerType;

/// Fee facts of one non-coinbase transaction.
///
/// # Examples
///
/// ```
/// use btcaddr_analytics::block::TxFee;
/// use bitcoin::hashes::Hash;
/// let tx = TxFee { txid: Some(bitcoin::Txid::all_zeros()), fee: 5000, size: 250, vsize: 166, weight: 661, payer: btcaddr_analytics::payer::PayerType::P2wpkh };
/// assert_eq!(tx.fee_rate(), 5000.0 / 166.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TxFee {
    /// The transaction id; `None` when the run did not ask for txids (only per-transaction
    /// outputs need them, see [`crate::decode::Txids`]).
    pub txid: Option<Txid>,
    /// Fee in satoshi: inputs' spent values minus outputs.
    pub fee: u64,
    /// Serialized size in bytes, witness included.
    pub size: u32,
    /// Virtual size in vbytes (weight / 4, rounded up); equals `size` before segwit.
    pub vsize: u32,
    /// Weight in weight units.
    pub weight: u64,
    /// The type of the scripts its inputs spend.
    pub payer: PayerType,
}

impl TxFee {
    /// Fee rate in satoshi per virtual byte (per byte before segwit).
    pub fn fee_rate(&self) -> f64 {
        if self.vsize == 0 {
            0.0
        } else {
            self.fee as f64 / self.vsize as f64
        }
    }
}

/// Fee facts of one block: its header data and every non-coinbase transaction, in block order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockFees {
    /// Height in the chain.
    pub height: u32,
    /// The block's hash.
    pub hash: BlockHash,
    /// The previous block's hash, to check the hash chain (reorg detection).
    pub prev_hash: BlockHash,
    /// Header timestamp, seconds since the Unix epoch.
    pub time: u32,
    /// Serialized block size in bytes.
    pub size: u64,
    /// Block weight in weight units.
    pub weight: u64,
    /// Number of transactions including the coinbase.
    pub tx_count: u32,
    /// Non-coinbase transactions, in block order.
    pub txs: Vec<TxFee>,
}

impl BlockFees {
    /// Whether every transaction carries its txid.
    ///
    /// ```
    /// use btcaddr_analytics::block::{BlockFees, TxFee};
    /// use bitcoin::hashes::Hash;
    /// let tx = TxFee { txid: None, fee: 1, size: 100, vsize: 100, weight: 400, payer: btcaddr_analytics::payer::PayerType::P2wpkh };
    /// let block = BlockFees { height: 1, hash: bitcoin::BlockHash::all_zeros(),
    ///     prev_hash: bitcoin::BlockHash::all_zeros(), time: 0, size: 200, weight: 800,
    ///     tx_count: 2, txs: vec![tx] };
    /// assert!(!block.has_txids());
    /// ```
    pub fn has_txids(&self) -> bool {
        self.txs.iter().all(|t| t.txid.is_some())
    }
}
