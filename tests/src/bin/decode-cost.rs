//! What decoding a range's REST answers with the `bitcoin` crate costs, and nothing else: the
//! floor under fee-report's own CPU on its REST path, whatever the rest of the program does.
//!
//! ```text
//! decode-cost DIR [REPS]
//! ```
//!
//! `DIR` holds `<height>.block` (the bytes of `/rest/block/<hash>.bin`) and `<height>.spent`
//! (`/rest/spenttxouts/<hash>.bin`) for every block of a range, as `scripts/bench-fee-report.sh`
//! saves them. All files are read into memory first; then each of these passes over all of them
//! runs `REPS` times (default 5) on one thread and the best time is printed, in seconds:
//!
//! * `blocks`: `consensus::deserialize::<Block>` of every block;
//! * `blocks+spent`: and the spent outputs decoded as `Vec<TxOut>` per transaction;
//! * `blocks+spent+txids`: and every transaction's txid (fee-report keeps them in its cache);
//! * `slices: fees`: fee-report's own zero-copy decoder (`btcaddr_analytics::decode`, on
//!   `bitcoin_slices`) turning both answers into the block's fee facts, without txids;
//! * `slices: fees+txids`: the same with every txid (what `--per-tx` needs).

use std::hint::black_box;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use bitcoin::consensus::encode::{deserialize, Decodable, VarInt};
use bitcoin::{Block, TxOut};
use btcaddr_analytics::decode::{block_fees, RestSpentOutputs, Txids};
use btcaddr_tests::answers::{block_hash, from_args, Answers};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("decode-cost: {e}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), String> {
    let (dir, answers, reps) = from_args("decode-cost")?;
    // Decode once outside the timing: a bad file is an error, not a panic in the loop.
    for (height, block, spent) in &answers {
        deserialize::<Block>(block)
            .map_err(|e| format!("{dir}/{height}.block: not a block ({e})"))?;
        decode_spent(spent)
            .map_err(|e| format!("{dir}/{height}.spent: not spent outputs ({e})"))?;
    }
    let bytes: usize = answers.iter().map(|(_, b, s)| b.len() + s.len()).sum();
    println!(
        "{} blocks, {:.1} MB of REST answers, best of {reps} passes on one thread:",
        answers.len(),
        bytes as f64 / 1e6
    );
    // The zero-copy decoder must agree with the bitcoin crate's on every block before it is
    // timed: a decoder that fails fast would look cheap.
    for (height, block, spent) in &answers {
        let parsed: Block = deserialize(block).map_err(|e| format!("{height}: {e}"))?;
        let hash = parsed.block_hash();
        let spent_lists = decode_spent(spent).map_err(|e| format!("{height}: {e}"))?;
        let reference = btcaddr_analytics::decode::reference::block_fees(
            *height,
            &hash,
            &parsed,
            block.len() as u64,
            &spent_lists,
        )?;
        let ours = block_fees(
            *height,
            &hash,
            block,
            RestSpentOutputs::new(spent),
            Txids::Compute,
        )
        .map_err(|e| format!("{dir}/{height}: the zero-copy decoder failed: {e}"))?;
        if ours != reference {
            return Err(format!("{dir}/{height}: the two decoders disagree"));
        }
    }
    let passes: [(&str, Pass); 5] = [
        (
            "blocks",
            Pass::Crate {
                spent: false,
                txids: false,
            },
        ),
        (
            "blocks+spent",
            Pass::Crate {
                spent: true,
                txids: false,
            },
        ),
        (
            "blocks+spent+txids",
            Pass::Crate {
                spent: true,
                txids: true,
            },
        ),
        ("slices: fees", Pass::Slices(Txids::Skip)),
        ("slices: fees+txids", Pass::Slices(Txids::Compute)),
    ];
    for (name, what) in passes {
        let best = (0..reps)
            .map(|_| pass(&answers, what))
            .min()
            .unwrap_or_default();
        println!("{name:<20} {:.3} s", best.as_secs_f64());
    }
    Ok(())
}

fn decode_spent(bytes: &[u8]) -> Result<Vec<Vec<TxOut>>, bitcoin::consensus::encode::Error> {
    let mut r = bytes;
    let count = VarInt::consensus_decode(&mut r)?.0;
    (0..count)
        .map(|_| Vec::<TxOut>::consensus_decode(&mut r))
        .collect()
}

/// What one timed pass decodes.
#[derive(Clone, Copy)]
enum Pass {
    /// The `bitcoin` crate: the block, optionally the spent outputs and the txids.
    Crate { spent: bool, txids: bool },
    /// fee-report's zero-copy decoder, to fee facts.
    Slices(Txids),
}

// One pass over every answer; decoding already succeeded once, so failures are not expected.
fn pass(answers: &Answers, what: Pass) -> Duration {
    let (spent, txids) = match what {
        Pass::Crate { spent, txids } => (spent, txids),
        Pass::Slices(txids) => {
            let start = Instant::now();
            for (height, block, spent_bytes) in answers {
                // The hash check is part of the decoder's work: give it the real hash.
                let hash = block_hash(block);
                black_box(
                    block_fees(
                        *height,
                        &hash,
                        block,
                        RestSpentOutputs::new(spent_bytes),
                        txids,
                    )
                    .ok(),
                );
            }
            return start.elapsed();
        }
    };
    let start = Instant::now();
    for (_, block, spent_bytes) in answers {
        let Ok(block) = deserialize::<Block>(block) else {
            continue;
        };
        if spent {
            black_box(decode_spent(spent_bytes).ok());
        }
        if txids {
            for tx in &block.txdata {
                black_box(tx.compute_txid());
            }
        }
        black_box(block);
    }
    start.elapsed()
}
