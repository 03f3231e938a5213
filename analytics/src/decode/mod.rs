//! Decoding a block's raw bytes into its [`BlockFees`] without building `bitcoin::Block`.
//!
//! [`block_fees`] walks the serialized block once with `bitcoin_slices`' zero-copy visitor: each
//! transaction's sizes and weight come from the lengths of its slices (nothing is
//! re-serialized), its fee from the values it spends (a [`SpentValues`] source walked in
//! lockstep) minus the values it creates, and its txid, only when asked for, from the
//! visitor's preimage slices. Nothing is allocated per transaction: the one allocation is the
//! block's vector of [`TxFee`].
//!
//! Where the spent values come from is the source's business: the node's
//! `/rest/spenttxouts` answer ([`RestSpentOutputs`]) or the undo records of its `rev*.dat`
//! files ([`UndoSpentValues`], with Core's [`varint`] and [`compress`] encodings). [`reference`] keeps the `bitcoin` crate's decoding, the yardstick this one is tested
//! and benchmarked against.
//!
//! # Examples
//!
//! ```
//! use btcaddr_analytics::decode::{block_fees, RestSpentOutputs, Txids};
//! use bitcoin::consensus::encode::serialize;
//! let genesis = bitcoin::blockdata::constants::genesis_block(bitcoin::Network::Regtest);
//! let bytes = serialize(&genesis);
//! // The coinbase spends nothing: one transaction, an empty list.
//! let spent = RestSpentOutputs::new(&[1, 0]);
//! let fees = block_fees(0, &genesis.block_hash(), &bytes, spent, Txids::Skip).unwrap();
//! assert_eq!((fees.tx_count, fees.txs.len(), fees.size), (1, 0, 285));
//! ```

pub mod compress;
pub mod reference;
mod rest_spent;
mod undo;
pub mod varint;

use std::ops::ControlFlow;

use bitcoin::hashes::{sha256d, Hash, HashEngine};
use bitcoin::{BlockHash, Txid};
use bitcoin_slices::{bsl, Visit, Visitor};

use crate::block::{BlockFees, TxFee};
use crate::payer::PayerFold;

pub use rest_spent::RestSpentOutputs;
pub use undo::{UndoError, UndoSpentValues};

/// Whether to compute each transaction's txid (a double SHA-256 of its non-witness bytes):
/// only per-transaction outputs need them, and they are most of the decoding's cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Txids {
    /// Compute them.
    Compute,
    /// Leave [`TxFee::txid`] empty.
    Skip,
}

/// The values a block's transactions spend, handed out in block order.
///
/// Implementations walk their own encoding (REST's spent outputs, undo records) one
/// transaction at a time, so that the block and its spent values are decoded in one pass
/// without collecting either.
pub trait SpentValues {
    /// Called once before the first transaction with the block's transaction count.
    fn begin(&mut self, tx_count: usize) -> Result<(), String>;
    /// Called for the coinbase (transaction 0), which spends nothing.
    fn coinbase(&mut self) -> Result<(), String>;
    /// The sum of the values spent by transaction `index`, which has `inputs` inputs; the type
    /// of each spent script goes to `payer`, in input order.
    fn spent(&mut self, index: usize, inputs: usize, payer: &mut PayerFold) -> Result<u64, String>;
    /// Called after the last transaction: anything left over is an error.
    fn finish(&mut self) -> Result<(), String>;
}

/// The fee facts of the serialized block `bytes` (which must be the block `hash`, at
/// `height`), with the values its transactions spend from `spent`.
///
/// Every inconsistency is an error, never a wrong figure: another block's bytes, a truncated
/// or over-long answer, spent values for another transaction or input count, outputs worth
/// more than the inputs.
pub fn block_fees<S: SpentValues>(
    height: u32,
    hash: &BlockHash,
    bytes: &[u8],
    spent: S,
    txids: Txids,
) -> Result<BlockFees, String> {
    let mut visitor = FeeVisitor {
        spent,
        txids,
        txs: Vec::new(),
        payer: PayerFold::default(),
        index: 0,
        inputs: 0,
        outputs_value: Some(0),
        block_base: 0,
        error: None,
    };
    let parsed = match bsl::Block::visit(bytes, &mut visitor) {
        Ok(parsed) => parsed,
        Err(e) => {
            return Err(match visitor.error.take() {
                Some(found) => found,
                None => format!(
                    "not a serialized block ({}) after {} of its transactions",
                    describe(&e),
                    visitor.index
                ),
            })
        }
    };
    if let Some(e) = visitor.error.take() {
        return Err(e);
    }
    if !parsed.remaining().is_empty() {
        return Err(format!(
            "{} bytes after the end of the block",
            parsed.remaining().len()
        ));
    }
    let block = parsed.parsed();
    let header = block.header();
    let found = BlockHash::from_raw_hash(sha256d::Hash::hash(header.block_hash_preimage()));
    if found != *hash {
        return Err(format!("the node sent block {found} instead"));
    }
    let mut prev = [0u8; 32];
    prev.copy_from_slice(header.prev_blockhash());
    visitor.spent.finish()?;
    let tx_count = block.total_transactions();
    let size = bytes.len() as u64;
    // BIP141: three times the size without witness data (header, transaction count and every
    // transaction's base size) plus the whole serialized size.
    let base = 80 + compact_size_len(tx_count as u64) + visitor.block_base;
    Ok(BlockFees {
        height,
        hash: *hash,
        prev_hash: BlockHash::from_byte_array(prev),
        time: header.time(),
        size,
        weight: 3 * base + size,
        tx_count: u32::try_from(tx_count).map_err(|_| "too many transactions")?,
        txs: visitor.txs,
    })
}

/// The spent values of a block with no transaction but its coinbase (which has no undo data or
/// spent outputs to fetch: the genesis block has none at all).
pub struct CoinbaseOnly;

impl SpentValues for CoinbaseOnly {
    fn begin(&mut self, tx_count: usize) -> Result<(), String> {
        match tx_count {
            0 | 1 => Ok(()),
            n => Err(format!("{n} transactions where one was announced")),
        }
    }

    fn coinbase(&mut self) -> Result<(), String> {
        Ok(())
    }

    fn spent(
        &mut self,
        index: usize,
        _inputs: usize,
        _payer: &mut PayerFold,
    ) -> Result<u64, String> {
        Err(format!("transaction {index} in a coinbase-only block"))
    }

    fn finish(&mut self) -> Result<(), String> {
        Ok(())
    }
}

/// The visitor's state: the transaction being read and what was found so far.
struct FeeVisitor<S> {
    spent: S,
    txids: Txids,
    txs: Vec<TxFee>,
    /// The payer type of the transaction being read.
    payer: PayerFold,
    /// Index of the transaction being read.
    index: usize,
    /// Its input count.
    inputs: usize,
    /// The sum of its output values so far; `None` once it overflowed.
    outputs_value: Option<u64>,
    /// Sum of the transactions' sizes without witness data.
    block_base: u64,
    /// Why the visit was stopped.
    error: Option<String>,
}

impl<S: SpentValues> FeeVisitor<S> {
    fn stop(&mut self, error: String) -> ControlFlow<()> {
        self.error = Some(error);
        ControlFlow::Break(())
    }

    fn transaction(&mut self, tx: &bsl::Transaction) -> Result<(), String> {
        let index = self.index;
        let total = tx.as_ref().len() as u64;
        let weight = tx.weight();
        // weight = 3 · base + total for every transaction (base = total without witness).
        self.block_base += (weight - total) / 3;
        if index == 0 {
            return self.spent.coinbase();
        }
        let spent = self.spent.spent(index, self.inputs, &mut self.payer)?;
        if self.payer.inputs() != self.inputs {
            return Err(format!(
                "transaction {index}: {} spent script types for {} inputs",
                self.payer.inputs(),
                self.inputs
            ));
        }
        let fee = self
            .outputs_value
            .and_then(|outputs| spent.checked_sub(outputs))
            .ok_or_else(|| format!("transaction {index}: outputs exceed the spent values"))?;
        let txid = match self.txids {
            Txids::Compute => {
                let (version, body, locktime) = tx.txid_preimage();
                let mut engine = sha256d::Hash::engine();
                engine.input(version);
                engine.input(body);
                engine.input(locktime);
                Some(Txid::from_raw_hash(sha256d::Hash::from_engine(engine)))
            }
            Txids::Skip => None,
        };
        let too_large = || format!("transaction {index} too large");
        self.txs.push(TxFee {
            txid,
            fee,
            size: u32::try_from(total).map_err(|_| too_large())?,
            vsize: u32::try_from(weight.div_ceil(4)).map_err(|_| too_large())?,
            weight,
            payer: self.payer.finish_tx(),
        });
        Ok(())
    }
}

impl<S: SpentValues> Visitor for FeeVisitor<S> {
    fn visit_block_begin(&mut self, total_transactions: usize) {
        // Each transaction takes at least 60 bytes: a bound against absurd counts before the
        // one allocation.
        self.txs = Vec::with_capacity(total_transactions.saturating_sub(1).min(1 << 16));
        if let Err(e) = self.spent.begin(total_transactions) {
            // A visit cannot stop here; the first transaction reports it.
            self.error = Some(e);
        }
    }

    fn visit_tx_ins(&mut self, total_inputs: usize) {
        self.inputs = total_inputs;
        self.outputs_value = Some(0);
        self.payer.begin_tx();
    }

    fn visit_tx_in(&mut self, _vin: usize, tx_in: &bsl::TxIn) -> ControlFlow<()> {
        self.payer.script_sig(tx_in.script_sig());
        ControlFlow::Continue(())
    }

    fn visit_tx_out(&mut self, _vout: usize, tx_out: &bsl::TxOut) -> ControlFlow<()> {
        self.outputs_value = self
            .outputs_value
            .and_then(|sum| sum.checked_add(tx_out.value()));
        ControlFlow::Continue(())
    }

    fn visit_transaction(&mut self, tx: &bsl::Transaction) -> ControlFlow<()> {
        if let Some(e) = self.error.take() {
            return self.stop(e);
        }
        match self.transaction(tx) {
            Ok(()) => {
                self.index += 1;
                ControlFlow::Continue(())
            }
            Err(e) => self.stop(e),
        }
    }
}

/// The serialized length of a CompactSize integer.
fn compact_size_len(n: u64) -> u64 {
    match n {
        0..=0xfc => 1,
        0xfd..=0xffff => 3,
        0x1_0000..=0xffff_ffff => 5,
        _ => 9,
    }
}

/// `bitcoin_slices`' error in words (the crate has no `Display`).
pub(crate) fn describe(e: &bitcoin_slices::Error) -> &'static str {
    match e {
        bitcoin_slices::Error::MoreBytesNeeded => "truncated",
        bitcoin_slices::Error::UnknownSegwitFlag(_) => "unknown segwit flag",
        bitcoin_slices::Error::SegwitFlagWithoutWitnesses => "segwit flag without witnesses",
        bitcoin_slices::Error::TransactionTooLarge => "transaction too large",
        bitcoin_slices::Error::NonMinimalVarInt => "non-minimal CompactSize",
        bitcoin_slices::Error::VisitBreak => "stopped",
        _ => "malformed",
    }
}

#[cfg(test)]
mod tests;
