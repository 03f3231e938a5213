//! The `bitcoin` crate's decoding of the same REST answers: `bitcoin::Block` and
//! `Vec<Vec<TxOut>>`. Not on fee-report's path any more; the yardstick the zero-copy
//! [`super::block_fees`] is tested against (identical figures) and benchmarked beside
//! (`decode-cost`).

use bitcoin::consensus::encode::{self, Decodable, VarInt};
use bitcoin::{Block, BlockHash, TxOut};

use crate::block::{BlockFees, TxFee};
use crate::payer::PayerFold;

/// Decodes the `/rest/spenttxouts/<hash>.bin` format: a CompactSize count of transactions, then
/// per transaction (the coinbase first, with an empty list) a CompactSize count of the outputs
/// its inputs spend, each a serialized `CTxOut` (value, script).
///
/// # Examples
///
/// ```
/// use btcaddr_analytics::decode::reference::decode_spent_txouts;
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
/// `i`, the coinbase's list empty). `size` is the serialized block size. Always computes the
/// txids.
///
/// ```
/// use btcaddr_analytics::decode::reference::block_fees;
/// let genesis = bitcoin::blockdata::constants::genesis_block(bitcoin::Network::Regtest);
/// let fees = block_fees(0, &genesis.block_hash(), &genesis, 285, &[vec![]]).unwrap();
/// assert_eq!(fees.weight, 4 * 285);
/// ```
pub fn block_fees(
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
    // The coinbase spends nothing: outputs listed for it are a malformed answer (found by the
    // rest_decode fuzz target, where the zero-copy decoder already said so).
    if let Some(listed) = spent.first().filter(|l| !l.is_empty()) {
        return Err(format!(
            "transaction 0: {} spent outputs for 0 inputs",
            listed.len()
        ));
    }
    let mut txs = Vec::with_capacity(block.txdata.len().saturating_sub(1));
    let mut payer = PayerFold::default();
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
        payer.begin_tx();
        for input in &tx.input {
            payer.script_sig(input.script_sig.as_bytes());
        }
        for prevout in prevouts {
            payer.input(btcaddr::ScriptType::of(&prevout.script_pubkey));
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
            txid: Some(tx.compute_txid()),
            fee,
            size: u32::try_from(total).map_err(|_| "transaction too large")?,
            vsize: u32::try_from(weight.div_ceil(4)).map_err(|_| "transaction too large")?,
            weight,
            payer: payer.finish_tx(),
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
