//! The fetch floor under fee-report's REST path: the same requests with the same concurrency,
//! the answers read in full and dropped. Nothing fee-report does can make its scan faster than
//! this, so its wall time is measured against it.
//!
//! ```text
//! fetch-floor BASE_URL HASHES_FILE JOBS
//! ```
//!
//! `HASHES_FILE` has one block hash per line (the range, in height order, as
//! `scripts/bench-fee-report.sh` writes it with `bitcoin-cli getblockhash`). Each of `JOBS`
//! threads takes the next block and GETs `/rest/block/<hash>.bin` then
//! `/rest/spenttxouts/<hash>.bin` through fee-report's own `RestSource` client (one reused
//! buffer per thread). Prints the requests, the bytes and the wall time.

use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use btcaddr_analytics::source::RestSource;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("fetch-floor: {e}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: fetch-floor BASE_URL HASHES_FILE JOBS";
    let base = args.next().ok_or(usage)?;
    let file = args.next().ok_or(usage)?;
    let jobs: usize = match args.next() {
        Some(j) => j
            .parse()
            .ok()
            .filter(|&j| j > 0)
            .ok_or(format!("JOBS '{j}' is not a positive number"))?,
        None => return Err(usage.into()),
    };
    let text = std::fs::read_to_string(&file).map_err(|e| format!("{file}: {e}"))?;
    let hashes: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if let Some((line, bad)) = hashes
        .iter()
        .enumerate()
        .find(|(_, h)| h.len() != 64 || !h.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        return Err(format!("{file}:{}: '{bad}' is not a block hash", line + 1));
    }
    let hashes: Vec<bitcoin::BlockHash> = hashes
        .iter()
        .map(|h| h.parse().map_err(|e| format!("{file}: '{h}': {e}")))
        .collect::<Result<_, String>>()?;
    // fee-report's own client: the same agent settings and the same reads into reused buffers,
    // so the floor differs from fee-report only by what fee-report does with the bytes.
    let source = RestSource::new(&base, Duration::from_secs(120));
    let next = AtomicUsize::new(0);
    let start = Instant::now();
    let results: Vec<Result<(u64, u64), String>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..jobs)
            .map(|_| {
                scope.spawn(|| {
                    let (mut requests, mut bytes) = (0u64, 0u64);
                    let mut body = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(hash) = hashes.get(i) else {
                            return Ok((requests, bytes));
                        };
                        for path in ["block", "spenttxouts"] {
                            let path = format!("/rest/{path}/{hash}.bin");
                            let len = source
                                .get_into(&path, i as u32, hash, &mut body)
                                .map_err(|e| format!("{path}: {e}"))?;
                            requests += 1;
                            bytes += len as u64;
                        }
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().unwrap_or_else(|_| Err("a worker panicked".into())))
            .collect()
    });
    let wall = start.elapsed();
    let (mut requests, mut bytes) = (0, 0);
    for r in results {
        let (n, b) = r?;
        requests += n;
        bytes += b;
    }
    println!(
        "fetch floor: {requests} requests, {:.1} MB, {jobs} concurrent: {:.3} s",
        bytes as f64 / 1e6,
        wall.as_secs_f64()
    );
    Ok(())
}
