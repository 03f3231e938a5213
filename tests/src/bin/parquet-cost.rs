//! What writing (and reading back) fee-report's `txs.parquet` costs with each compression, so
//! the codec can be chosen from numbers: bytes on disk against CPU on the critical path.
//!
//! ```text
//! parquet-cost DIR [REPS]
//! ```
//!
//! `DIR` holds `<height>.block` (the bytes of `/rest/block/<hash>.bin`) and `<height>.spent`
//! (`/rest/spenttxouts/<hash>.bin`) for every block of a range, as `scripts/bench-fee-report.sh`
//! saves them. Every block is decoded with fee-report's own decoder (with txids) and every
//! transaction turned into its `TxMetrics` row; the frame is built once with
//! `frames::txs_frame`. None of that is timed. Then, for each codec, the frame is written as
//! parquet into memory `REPS` times (default 5) on this one thread, the way `TxFrameWriter`
//! streams it (row groups of `TxFrameWriter::CHUNK_ROWS` rows), and read back `REPS` times with
//! `ParquetReader`, single-threaded. The table gives the file's size and the best rep's CPU
//! time of this thread (`CLOCK_THREAD_CPUTIME_ID`, so other processes on a busy machine cost
//! it little); MB/s is the frame's in-memory size over that time. The line under the table
//! says how much CPU other threads of this process used meanwhile (polars' pool), which
//! should be about nothing: if it is not, thread CPU understates the cost.

use std::io::Cursor;
use std::process::ExitCode;

use btcaddr_analytics::decode::{block_fees, RestSpentOutputs, Txids};
use btcaddr_analytics::frames::{txs_frame, TxFrameWriter};
use btcaddr_analytics::metrics::{FeeSettings, TxMetrics};
use btcaddr_tests::answers::{block_hash, from_args};
use polars::polars_utils::compression::ZstdLevel;
use polars::prelude::*;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("parquet-cost: {e}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), String> {
    let (dir, answers, reps) = from_args("parquet-cost")?;
    let settings = FeeSettings::default();
    let mut rows = Vec::new();
    for (height, block, spent) in &answers {
        let hash = block_hash(block);
        let fees = block_fees(
            *height,
            &hash,
            block,
            RestSpentOutputs::new(spent),
            Txids::Compute,
        )
        .map_err(|e| format!("{dir}/{height}.block and .spent: {e}"))?;
        rows.extend(
            fees.txs
                .iter()
                .map(|tx| TxMetrics::new(*height, tx, &settings)),
        );
    }
    let df = txs_frame(&rows).map_err(|e| format!("building the frame: {e}"))?;
    let frame_mb = df.estimated_size() as f64 / 1e6;
    println!(
        "{} blocks, {} transactions, frame {frame_mb:.1} MB in memory; best of {reps} reps, \
         CPU of one thread:",
        answers.len(),
        df.height()
    );

    let codecs = codecs()?;
    // Uncompressed first: the ratio column is to its size.
    let mut baseline = None;
    let mut elsewhere = 0.0f64;
    println!(
        "{:<14} {:>12} {:>9} {:>6} {:>9} {:>10} {:>9} {:>9}",
        "codec", "bytes", "MB", "ratio", "write s", "write MB/s", "read s", "read MB/s"
    );
    for (name, codec) in codecs {
        // One write and read outside the timing: errors are reported, not timed, and what is
        // timed must give back the frame it was given.
        let file = write(&df, codec).map_err(|e| format!("{name}: writing: {e}"))?;
        let back = read(&file).map_err(|e| format!("{name}: reading back: {e}"))?;
        if !back.equals_missing(&df) {
            return Err(format!("{name}: the file read back differs from the frame"));
        }
        let mut best_write = f64::INFINITY;
        let mut best_read = f64::INFINITY;
        for _ in 0..reps {
            let (w, other) = cpu(|| write(&df, codec).map(|f| f.len()));
            best_write = best_write.min(w);
            elsewhere = elsewhere.max(other);
            let (r, other) = cpu(|| read(&file).map(|d| d.height()));
            best_read = best_read.min(r);
            elsewhere = elsewhere.max(other);
        }
        let base = *baseline.get_or_insert(file.len());
        println!(
            "{name:<14} {:>12} {:>9.3} {:>6.3} {best_write:>9.4} {:>10.1} {best_read:>9.4} {:>9.1}",
            file.len(),
            file.len() as f64 / 1e6,
            file.len() as f64 / base as f64,
            frame_mb / best_write,
            frame_mb / best_read,
        );
    }
    println!("CPU of other threads during a rep: at most {elsewhere:.4} s");
    Ok(())
}

/// The codecs compared, in table order (uncompressed first).
fn codecs() -> Result<Vec<(String, ParquetCompression)>, String> {
    let mut list = vec![
        ("uncompressed".to_string(), ParquetCompression::Uncompressed),
        ("snappy".to_string(), ParquetCompression::Snappy),
        ("lz4".to_string(), ParquetCompression::Lz4Raw),
    ];
    // Polars' `Zstd(None)` (what fee-report writes) is level 0, zstd's default: level 3.
    for level in [1, 3, 6, 9] {
        let zstd = ZstdLevel::try_new(level).map_err(|e| format!("zstd level {level}: {e}"))?;
        list.push((
            format!("zstd-{level}"),
            ParquetCompression::Zstd(Some(zstd)),
        ));
    }
    Ok(list)
}

/// The frame as a parquet file in memory, written as `TxFrameWriter` streams it but on this
/// thread only.
fn write(df: &DataFrame, codec: ParquetCompression) -> PolarsResult<Vec<u8>> {
    let mut out = Vec::new();
    let mut writer = ParquetWriter::new(&mut out)
        .with_compression(codec)
        .set_parallel(false)
        .batched(df.schema())?;
    let mut offset = 0;
    while offset < df.height() {
        let chunk = df.slice(offset as i64, TxFrameWriter::<Vec<u8>>::CHUNK_ROWS);
        writer.write_batch(&chunk)?;
        offset += chunk.height();
    }
    writer.finish()?;
    Ok(out)
}

/// A parquet file read back from memory, single-threaded.
fn read(file: &[u8]) -> PolarsResult<DataFrame> {
    ParquetReader::new(Cursor::new(file))
        .read_parallel(ParallelStrategy::None)
        .finish()
}

/// Runs `f` and returns (CPU seconds of this thread, CPU seconds of the process's other
/// threads). A failure (which the untimed run already excluded) costs nothing extra.
fn cpu<T>(f: impl FnOnce() -> PolarsResult<T>) -> (f64, f64) {
    let (thread0, process0) = (
        clock(libc::CLOCK_THREAD_CPUTIME_ID),
        clock(libc::CLOCK_PROCESS_CPUTIME_ID),
    );
    std::hint::black_box(f().ok());
    let thread = clock(libc::CLOCK_THREAD_CPUTIME_ID) - thread0;
    let process = clock(libc::CLOCK_PROCESS_CPUTIME_ID) - process0;
    (thread, (process - thread).max(0.0))
}

// A CPU-time clock in seconds.
fn clock(id: libc::clockid_t) -> f64 {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid, writable timespec; both clock ids exist on Linux.
    let rc = unsafe { libc::clock_gettime(id, &mut t) };
    if rc != 0 {
        return 0.0;
    }
    t.tv_sec as f64 + t.tv_nsec as f64 / 1e9
}
