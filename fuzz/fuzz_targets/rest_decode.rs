//! fee-report's zero-copy REST decoder on mutated pairs of `/rest/block` and
//! `/rest/spenttxouts` answers: it never panics, and it never gives a figure the `bitcoin`
//! crate's decoding of the same bytes would not (differential: whenever both decode, the
//! figures are identical; whenever only one does, that is a finding).
//!
//! Input: two little-endian bytes giving the block answer's length, the block answer, then the
//! spent-outputs answer.
#![no_main]

// The decoder's modules compiled straight into this target: depending on the analytics crate
// would build polars with coverage instrumentation for a module that needs only `bitcoin`.
#[path = "../../analytics/src/block.rs"]
mod block;
#[path = "../../analytics/src/decode/mod.rs"]
mod decode;
#[path = "../../analytics/src/payer.rs"]
mod payer;

use bitcoin::consensus::encode::deserialize;
use bitcoin::hashes::{sha256d, Hash};
use libfuzzer_sys::fuzz_target;

use decode::{block_fees, reference, RestSpentOutputs, Txids};

fuzz_target!(|data: &[u8]| {
    let Some((len, rest)) = data.split_first_chunk::<2>() else {
        return;
    };
    let split = usize::from(u16::from_le_bytes(*len)).min(rest.len());
    let (block_bytes, spent_bytes) = rest.split_at(split);
    // The hash the node would have asked for: that of the header, when there is one, so that
    // the decoders get past the hash check and exercise the rest.
    let hash = match block_bytes.get(..80) {
        Some(header) => bitcoin::BlockHash::from_raw_hash(sha256d::Hash::hash(header)),
        None => bitcoin::BlockHash::all_zeros(),
    };
    let ours = block_fees(7, &hash, block_bytes, RestSpentOutputs::new(spent_bytes), Txids::Compute);
    let without = block_fees(7, &hash, block_bytes, RestSpentOutputs::new(spent_bytes), Txids::Skip);
    assert_eq!(ours.is_ok(), without.is_ok());
    if let (Ok(with), Ok(mut without)) = (&ours, without) {
        assert!(without.txs.iter().all(|t| t.txid.is_none()));
        let mut blanked = with.clone();
        blanked.txs.iter_mut().for_each(|t| t.txid = None);
        without.txs.iter_mut().for_each(|t| t.txid = None);
        assert_eq!(blanked, without);
    }
    if let Err(e) = &ours {
        assert!(!e.is_empty() && !e.contains('\n'), "{e:?}");
    }
    let theirs = deserialize::<bitcoin::Block>(block_bytes).ok().and_then(|b| {
        let spent = reference::decode_spent_txouts(spent_bytes).ok()?;
        reference::block_fees(7, &hash, &b, block_bytes.len() as u64, &spent).ok()
    });
    match (&ours, &theirs) {
        (Ok(a), Some(b)) => assert_eq!(a, b, "the decoders disagree"),
        (Err(_), None) => {}
        (Ok(a), None) => panic!("only the zero-copy decoder accepted: {a:?}"),
        (Err(e), Some(_)) => panic!("only the bitcoin crate accepted; ours said: {e}"),
    }
});
