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
//! * `blocks+spent+txids`: and every transaction's txid (fee-report keeps them in its cache).

use std::hint::black_box;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use bitcoin::consensus::encode::{deserialize, Decodable, VarInt};
use bitcoin::{Block, TxOut};

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
    let mut args = std::env::args().skip(1);
    let dir = args.next().ok_or("usage: decode-cost DIR [REPS]")?;
    let reps: u32 = match args.next() {
        Some(r) => r
            .parse()
            .ok()
            .filter(|&r| r > 0)
            .ok_or(format!("REPS '{r}' is not a positive number"))?,
        None => 5,
    };
    let answers = read_answers(Path::new(&dir))?;
    if answers.is_empty() {
        return Err(format!("{dir}: no <height>.block files"));
    }
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
    for (name, spent, txids) in [
        ("blocks", false, false),
        ("blocks+spent", true, false),
        ("blocks+spent+txids", true, true),
    ] {
        let best = (0..reps)
            .map(|_| pass(&answers, spent, txids))
            .min()
            .unwrap_or_default();
        println!("{name:<20} {:.3} s", best.as_secs_f64());
    }
    Ok(())
}

/// (height, block bytes, spent-outputs bytes), by height.
type Answers = Vec<(u32, Vec<u8>, Vec<u8>)>;

fn read_answers(dir: &Path) -> Result<Answers, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut answers = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
        if path.extension().is_none_or(|x| x != "block") {
            continue;
        }
        let height = path
            .file_stem()
            .and_then(|s| s.to_str())
            .and_then(|s| s.parse().ok())
            .ok_or(format!("{}: not named <height>.block", path.display()))?;
        let read = |p: &Path| std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()));
        answers.push((height, read(&path)?, read(&path.with_extension("spent"))?));
    }
    answers.sort_by_key(|(height, _, _)| *height);
    Ok(answers)
}

fn decode_spent(bytes: &[u8]) -> Result<Vec<Vec<TxOut>>, bitcoin::consensus::encode::Error> {
    let mut r = bytes;
    let count = VarInt::consensus_decode(&mut r)?.0;
    (0..count)
        .map(|_| Vec::<TxOut>::consensus_decode(&mut r))
        .collect()
}

// One pass over every answer; decoding already succeeded once, so failures are not expected.
fn pass(answers: &Answers, spent: bool, txids: bool) -> Duration {
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
