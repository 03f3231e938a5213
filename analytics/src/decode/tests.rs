//! The zero-copy decoder against the `bitcoin` crate's, on blocks built here, and its errors.

use bitcoin::absolute::LockTime;
use bitcoin::consensus::encode::serialize;
use bitcoin::hashes::Hash;
use bitcoin::{
    transaction, Amount, Block, OutPoint, ScriptBuf, Sequence, Transaction, TxIn, TxOut, Txid,
    Witness,
};

use super::*;

fn tx(inputs: usize, outputs: &[u64], segwit: bool) -> Transaction {
    Transaction {
        version: transaction::Version::TWO,
        lock_time: LockTime::ZERO,
        input: (0..inputs)
            .map(|i| TxIn {
                previous_output: OutPoint::new(Txid::from_byte_array([i as u8 + 1; 32]), i as u32),
                script_sig: if segwit {
                    ScriptBuf::new()
                } else {
                    ScriptBuf::from_bytes(vec![0x51; 20 + i])
                },
                sequence: Sequence::MAX,
                witness: if segwit {
                    Witness::from_slice(&[vec![7u8; 72], vec![2u8; 33]])
                } else {
                    Witness::new()
                },
            })
            .collect(),
        output: outputs
            .iter()
            .map(|&v| TxOut {
                value: Amount::from_sat(v),
                script_pubkey: ScriptBuf::from_bytes(
                    vec![0x00, 0x14].into_iter().chain([3u8; 20]).collect(),
                ),
            })
            .collect(),
    }
}

/// A block with a coinbase, a legacy and a segwit transaction, and its spent outputs as REST
/// serializes them.
fn sample() -> (Block, Vec<u8>, Vec<Vec<TxOut>>) {
    let mut coinbase = tx(1, &[50_0000_0000], false);
    coinbase.input[0].previous_output = OutPoint::null();
    let txdata = vec![coinbase, tx(2, &[1000, 2000], false), tx(3, &[5000], true)];
    let mut block = Block {
        header: bitcoin::blockdata::constants::genesis_block(bitcoin::Network::Regtest).header,
        txdata,
    };
    block.header.merkle_root = block
        .compute_merkle_root()
        .unwrap_or(block.header.merkle_root);
    let spent: Vec<Vec<TxOut>> = block
        .txdata
        .iter()
        .enumerate()
        .map(|(i, t)| {
            if i == 0 {
                Vec::new()
            } else {
                (0..t.input.len())
                    .map(|k| TxOut {
                        value: Amount::from_sat(10_000 + 17 * k as u64),
                        script_pubkey: ScriptBuf::from_bytes(vec![0x51; k + 1]),
                    })
                    .collect()
            }
        })
        .collect();
    let mut rest = serialize(&bitcoin::VarInt(spent.len() as u64));
    for list in &spent {
        rest.extend(serialize(list));
    }
    (block, rest, spent)
}

#[test]
fn equals_the_bitcoin_crate() {
    let (block, rest, spent) = sample();
    let bytes = serialize(&block);
    let hash = block.block_hash();
    let expected = reference::block_fees(7, &hash, &block, bytes.len() as u64, &spent).unwrap();
    let with = block_fees(
        7,
        &hash,
        &bytes,
        RestSpentOutputs::new(&rest),
        Txids::Compute,
    )
    .unwrap();
    assert_eq!(with, expected);
    let without = block_fees(7, &hash, &bytes, RestSpentOutputs::new(&rest), Txids::Skip).unwrap();
    assert!(without.txs.iter().all(|t| t.txid.is_none()));
    let mut blanked = expected.clone();
    blanked.txs.iter_mut().for_each(|t| t.txid = None);
    assert_eq!(without, blanked);
    // The segwit transaction's weight is below four times its size.
    assert!(expected.txs[1].weight < 4 * u64::from(expected.txs[1].size));
}

#[test]
fn malformed_answers_are_errors_naming_what() {
    let (block, rest, _) = sample();
    let bytes = serialize(&block);
    let hash = block.block_hash();
    let run = |b: &[u8], r: &[u8]| block_fees(7, &hash, b, RestSpentOutputs::new(r), Txids::Skip);
    let err = |b: &[u8], r: &[u8]| run(b, r).expect_err("must fail");

    assert!(err(&bytes[..bytes.len() - 1], &rest).contains("truncated"));
    let mut long = bytes.clone();
    long.push(0);
    assert!(err(&long, &rest).contains("1 bytes after the end of the block"));
    assert!(err(&bytes, &rest[..rest.len() - 1]).contains("truncated"));
    let mut rest_long = rest.clone();
    rest_long.push(0);
    assert!(err(&bytes, &rest_long).contains("bytes after the last transaction"));
    // Spent outputs for a block with another transaction count.
    let mut other_count = rest.clone();
    other_count[0] = 4;
    assert!(err(&bytes, &other_count).contains("spent outputs for 4 transactions"));
    // Another input count for transaction 1 (its list count byte follows the coinbase's 0).
    let mut other_inputs = rest.clone();
    other_inputs[2] = 1;
    assert!(err(&bytes, &other_inputs).contains("transaction 1: 1 spent outputs for 2 inputs"));
    // Outputs listed for the coinbase (found by fuzzing: the bitcoin crate's path ignored them).
    let mut coinbase_spends = vec![3u8, 1];
    coinbase_spends.extend(serialize(&TxOut {
        value: Amount::from_sat(1),
        script_pubkey: ScriptBuf::new(),
    }));
    coinbase_spends.extend_from_slice(&rest[2..]);
    assert!(err(&bytes, &coinbase_spends).contains("transaction 0: 1 spent outputs for 0 inputs"));
    let mut lists = reference::decode_spent_txouts(&coinbase_spends).unwrap();
    assert!(reference::block_fees(7, &hash, &block, bytes.len() as u64, &lists).is_err());
    lists[0].clear();
    assert!(reference::block_fees(7, &hash, &block, bytes.len() as u64, &lists).is_ok());
    // Another block's hash.
    let other = BlockHash::from_byte_array([1; 32]);
    let e = block_fees(7, &other, &bytes, RestSpentOutputs::new(&rest), Txids::Skip).unwrap_err();
    assert!(e.contains("sent block"), "{e}");
}

#[test]
fn outputs_above_the_spent_values_are_an_error() {
    let (block, _, mut spent) = sample();
    spent[2][0].value = Amount::from_sat(1);
    spent[2][1].value = Amount::from_sat(1);
    spent[2][2].value = Amount::from_sat(1);
    let mut rest = serialize(&bitcoin::VarInt(spent.len() as u64));
    for list in &spent {
        rest.extend(serialize(list));
    }
    let bytes = serialize(&block);
    let e = block_fees(
        7,
        &block.block_hash(),
        &bytes,
        RestSpentOutputs::new(&rest),
        Txids::Skip,
    )
    .unwrap_err();
    assert_eq!(e, "transaction 2: outputs exceed the spent values");
}

#[test]
fn every_truncation_and_byte_flip_is_an_error_or_the_same_figures() {
    // Never a panic, and never different figures from a decode that succeeds on the original.
    let (block, rest, _) = sample();
    let bytes = serialize(&block);
    let hash = block.block_hash();
    let good = block_fees(
        7,
        &hash,
        &bytes,
        RestSpentOutputs::new(&rest),
        Txids::Compute,
    )
    .unwrap();
    for cut in 0..bytes.len() {
        assert!(block_fees(
            7,
            &hash,
            &bytes[..cut],
            RestSpentOutputs::new(&rest),
            Txids::Skip
        )
        .is_err());
    }
    for cut in 0..rest.len() {
        assert!(block_fees(
            7,
            &hash,
            &bytes,
            RestSpentOutputs::new(&rest[..cut]),
            Txids::Skip
        )
        .is_err());
    }
    for i in 0..rest.len() {
        let mut flipped = rest.clone();
        flipped[i] ^= 0x01;
        if let Ok(f) = block_fees(
            7,
            &hash,
            &bytes,
            RestSpentOutputs::new(&flipped),
            Txids::Compute,
        ) {
            // A flipped value bit changes one fee, nothing else.
            assert_eq!(f.txs.len(), good.txs.len());
            assert_eq!((f.size, f.weight), (good.size, good.weight));
        }
    }
}
