//! `--source files`' record decoders on mutated inputs: a block record (`blk?????.dat`) read
//! in lockstep with its undo record (`rev?????.dat`: Core's VARINTs, compressed amounts and
//! scripts), and the same bytes as a block index value (`CDiskBlockIndex`).
//!
//! Properties: nothing panics; every error is one line; with and without txids the figures are
//! the same; whatever the undo path accepts, the `bitcoin` crate parses as the same block (same
//! transaction count, sizes and weights), every fee is the spent values minus the outputs the
//! `bitcoin` crate reads, and every payer type has one input type per input.
//!
//! Input: two little-endian bytes giving the block record's length, the block record, then the
//! undo record.
#![no_main]

// The decoder's modules compiled straight into this target (as in rest_decode): the analytics
// crate would build polars with coverage instrumentation.
#[path = "../../analytics/src/block.rs"]
mod block;
#[path = "../../analytics/src/decode/mod.rs"]
mod decode;
#[path = "../../analytics/src/source/files/error.rs"]
mod error;
#[path = "../../analytics/src/source/files/index.rs"]
mod index;
#[path = "../../analytics/src/payer.rs"]
mod payer;

use bitcoin::consensus::encode::deserialize;
use bitcoin::hashes::{sha256d, Hash};
use libfuzzer_sys::fuzz_target;

use decode::{block_fees, Txids, UndoSpentValues};

fuzz_target!(|data: &[u8]| {
    let Some((len, rest)) = data.split_first_chunk::<2>() else {
        return;
    };
    let split = usize::from(u16::from_le_bytes(*len)).min(rest.len());
    let (block_bytes, undo_bytes) = rest.split_at(split);
    let hash = match block_bytes.get(..80) {
        Some(header) => bitcoin::BlockHash::from_raw_hash(sha256d::Hash::hash(header)),
        None => bitcoin::BlockHash::all_zeros(),
    };
    let ours = block_fees(7, &hash, block_bytes, UndoSpentValues::new(undo_bytes), Txids::Compute);
    let without = block_fees(7, &hash, block_bytes, UndoSpentValues::new(undo_bytes), Txids::Skip);
    assert_eq!(ours.is_ok(), without.is_ok());
    match &ours {
        Err(e) => assert!(!e.is_empty() && !e.contains('\n'), "{e:?}"),
        Ok(fees) => {
            let parsed: bitcoin::Block =
                deserialize(block_bytes).expect("the undo path accepted a block the bitcoin crate rejects");
            assert_eq!(fees.tx_count as usize, parsed.txdata.len());
            assert_eq!(fees.weight, parsed.weight().to_wu());
            for (tx, theirs) in fees.txs.iter().zip(parsed.txdata.iter().skip(1)) {
                assert_eq!(u64::from(tx.size), theirs.total_size() as u64);
                assert_eq!(tx.weight, theirs.weight().to_wu());
                assert_eq!(tx.txid, Some(theirs.compute_txid()));
            }
            let mut blanked = fees.clone();
            blanked.txs.iter_mut().for_each(|t| t.txid = None);
            let mut skipped = without.expect("both accepted");
            skipped.txs.iter_mut().for_each(|t| t.txid = None);
            assert_eq!(blanked, skipped);
        }
    }
    // The same bytes as a block index entry: decoded or refused, never a panic.
    if let Err(e) = index::IndexEntry::decode(hash, undo_bytes) {
        assert!(!e.to_string().contains('\n'), "{e}");
    }
});
