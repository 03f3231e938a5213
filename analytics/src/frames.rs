//! Polars frames of the metrics, and their parquet / CSV encodings.
//!
//! Frames are built once from plain row vectors (never per block: polars has a per-call
//! overhead that would dominate small blocks). Per-transaction rows, which can be many, are
//! streamed in chunks by [`TxFrameWriter`]. Writers take any [`std::io::Write`]; atomic file
//! placement is the report's job.

use crate::metrics::{BlockMetrics, TxMetrics};
use bitcoin::hashes::Hash;
use bitcoin::hex::{buf_encoder::BufEncoder, Case};
use polars::io::parquet::write::BatchedWriter;
use polars::polars_utils::compression::ZstdLevel;
use polars::prelude::*;
use std::io::Write;

/// Column names of `blocks.parquet` / `blocks.csv`, in order.
pub const BLOCK_COLUMNS: [&str; 25] = [
    "height",
    "hash",
    "time",
    "size",
    "weight",
    "tx_count",
    "fee_txs",
    "fee_total",
    "fee_mean",
    "fee_median",
    "fee_rate_mean",
    "avg_fee_rate",
    "min_fee_rate",
    "max_fee_rate",
    "rate_p10",
    "rate_p25",
    "rate_p50",
    "rate_p75",
    "rate_p90",
    "rate_to_get_in",
    "zero_fee_txs",
    "round_fee_txs",
    "round_rate_txs",
    "round_fee_share",
    "round_rate_share",
];

/// Column names of the per-transaction rows (the `txs/` dataset's parts), in order.
pub const TX_COLUMNS: [&str; 9] = [
    "height", "txid", "fee", "size", "vsize", "weight", "fee_rate", "class", "payer",
];

/// Builds the per-block frame, one row per block, columns [`BLOCK_COLUMNS`].
///
/// # Examples
///
/// ```
/// let df = btcaddr_analytics::frames::blocks_frame(&[]).unwrap();
/// assert_eq!(df.height(), 0);
/// assert_eq!(df.width(), 25);
/// ```
pub fn blocks_frame(rows: &[BlockMetrics]) -> PolarsResult<DataFrame> {
    fn col<T, P>(name: &str, values: Vec<T>) -> Column
    where
        Series: NamedFrom<Vec<T>, P>,
        P: ?Sized,
    {
        Column::new(name.into(), values)
    }
    let u32s = |f: fn(&BlockMetrics) -> u32| rows.iter().map(f).collect::<Vec<u32>>();
    let u64s = |f: fn(&BlockMetrics) -> u64| rows.iter().map(f).collect::<Vec<u64>>();
    let f64s = |f: fn(&BlockMetrics) -> Option<f64>| rows.iter().map(f).collect::<Vec<_>>();
    let hashes: Vec<&str> = rows.iter().map(|r| r.hash.as_str()).collect();
    let columns = vec![
        col("height", u32s(|r| r.height)),
        col("hash", hashes),
        col("time", u32s(|r| r.time)),
        col("size", u64s(|r| r.size)),
        col("weight", u64s(|r| r.weight)),
        col("tx_count", u32s(|r| r.tx_count)),
        col("fee_txs", u32s(|r| r.fee_txs)),
        col("fee_total", u64s(|r| r.fee_total)),
        col("fee_mean", f64s(|r| r.fee_mean)),
        col("fee_median", u64s(|r| r.fee_median)),
        col("fee_rate_mean", f64s(|r| r.fee_rate_mean)),
        col("avg_fee_rate", u64s(|r| r.avg_fee_rate)),
        col("min_fee_rate", u64s(|r| r.min_fee_rate)),
        col("max_fee_rate", u64s(|r| r.max_fee_rate)),
        col("rate_p10", u64s(|r| r.rate_p10)),
        col("rate_p25", u64s(|r| r.rate_p25)),
        col("rate_p50", u64s(|r| r.rate_p50)),
        col("rate_p75", u64s(|r| r.rate_p75)),
        col("rate_p90", u64s(|r| r.rate_p90)),
        col("rate_to_get_in", f64s(|r| r.rate_to_get_in)),
        col("zero_fee_txs", u32s(|r| r.zero_fee_txs)),
        col("round_fee_txs", u32s(|r| r.round_fee_txs)),
        col("round_rate_txs", u32s(|r| r.round_rate_txs)),
        col("round_fee_share", f64s(|r| r.round_fee_share)),
        col("round_rate_share", f64s(|r| r.round_rate_share)),
    ];
    DataFrame::new(rows.len(), columns)
}

/// Builds a per-transaction frame, columns [`TX_COLUMNS`].
///
/// # Examples
///
/// ```
/// let df = btcaddr_analytics::frames::txs_frame(&[]).unwrap();
/// assert_eq!(df.width(), 9);
/// ```
pub fn txs_frame(rows: &[TxMetrics]) -> PolarsResult<DataFrame> {
    // Hex through a stack buffer: `Display` per row was a tenth of a `--per-tx` report's time.
    let mut txids = StringChunkedBuilder::new("txid".into(), rows.len());
    for row in rows {
        let Some(txid) = row.txid else {
            txids.append_null();
            continue;
        };
        let mut bytes = txid.to_byte_array();
        bytes.reverse(); // txids display in reversed byte order
        let mut hex = BufEncoder::<64>::new();
        hex.put_bytes(bytes, Case::Lower);
        txids.append_value(hex.as_str());
    }
    let columns = vec![
        Column::new(
            "height".into(),
            rows.iter().map(|r| r.height).collect::<Vec<u32>>(),
        ),
        txids.finish().into_column(),
        Column::new(
            "fee".into(),
            rows.iter().map(|r| r.fee).collect::<Vec<u64>>(),
        ),
        Column::new(
            "size".into(),
            rows.iter().map(|r| r.size).collect::<Vec<u32>>(),
        ),
        Column::new(
            "vsize".into(),
            rows.iter().map(|r| r.vsize).collect::<Vec<u32>>(),
        ),
        Column::new(
            "weight".into(),
            rows.iter().map(|r| r.weight).collect::<Vec<u64>>(),
        ),
        Column::new(
            "fee_rate".into(),
            rows.iter().map(|r| r.fee_rate).collect::<Vec<f64>>(),
        ),
        Column::new(
            "class".into(),
            rows.iter().map(|r| r.class.as_str()).collect::<Vec<&str>>(),
        ),
        Column::new(
            "payer".into(),
            rows.iter().map(|r| r.payer.name()).collect::<Vec<&str>>(),
        ),
    ];
    DataFrame::new(rows.len(), columns)
}

/// The parquet codec of every file fee-report writes: zstd at level 1. On the mainnet preset's
/// 385,739 per-transaction rows (docs/BENCHMARKS.md, `parquet-cost`) it halves the file like
/// zstd's default level 3 (16.6 MB against 16.8 MB, 32.2 MB uncompressed) at half its CPU, while
/// snappy and lz4 save only 9 % (the hex txids are most of the bytes).
fn parquet_compression() -> PolarsResult<ParquetCompression> {
    Ok(ParquetCompression::Zstd(Some(ZstdLevel::try_new(1)?)))
}

/// Writes a frame as parquet (zstd-compressed) to `out`.
///
/// # Examples
///
/// ```
/// use btcaddr_analytics::frames::{blocks_frame, write_parquet};
/// let mut buf = Vec::new();
/// write_parquet(&mut blocks_frame(&[]).unwrap(), &mut buf).unwrap();
/// assert_eq!(&buf[..4], b"PAR1");
/// ```
pub fn write_parquet<W: Write>(df: &mut DataFrame, out: W) -> PolarsResult<()> {
    ParquetWriter::new(out)
        .with_compression(parquet_compression()?)
        .finish(df)?;
    Ok(())
}

/// Writes a frame as CSV with a header row to `out`; missing values are empty fields.
///
/// # Examples
///
/// ```
/// use btcaddr_analytics::frames::{blocks_frame, write_csv};
/// let mut buf = Vec::new();
/// write_csv(&mut blocks_frame(&[]).unwrap(), &mut buf).unwrap();
/// assert!(String::from_utf8(buf).unwrap().starts_with("height,hash,"));
/// ```
pub fn write_csv<W: Write>(df: &mut DataFrame, out: W) -> PolarsResult<()> {
    CsvWriter::new(out).include_header(true).finish(df)
}

/// Streams per-transaction rows into a parquet file in chunks, so memory stays bounded.
///
/// # Examples
///
/// ```
/// use bitcoin::hashes::Hash;
/// use btcaddr_analytics::block::TxFee;
/// use btcaddr_analytics::frames::TxFrameWriter;
/// use btcaddr_analytics::metrics::{FeeSettings, TxMetrics};
/// let mut buf = Vec::new();
/// let mut w = TxFrameWriter::new(&mut buf).unwrap();
/// let tx = TxFee { txid: Some(bitcoin::Txid::all_zeros()), fee: 1, size: 1, vsize: 1, weight: 4, payer: btcaddr_analytics::payer::PayerType::P2wpkh };
/// w.push(TxMetrics::new(1, &tx, &FeeSettings::default())).unwrap();
/// assert_eq!(w.finish().unwrap(), 1);
/// assert_eq!(&buf[..4], b"PAR1");
/// ```
pub struct TxFrameWriter<W: Write> {
    rows: Vec<TxMetrics>,
    writer: BatchedWriter<W>,
    written: u64,
}

impl<W: Write> TxFrameWriter<W> {
    /// Rows buffered before a chunk (one parquet row group) is written.
    pub const CHUNK_ROWS: usize = 1 << 16;

    /// Starts a parquet stream on `out`.
    pub fn new(out: W) -> PolarsResult<Self> {
        let schema = txs_frame(&[])?.schema().as_ref().clone();
        let writer = ParquetWriter::new(out)
            .with_compression(parquet_compression()?)
            .batched(&schema)?;
        Ok(TxFrameWriter {
            rows: Vec::with_capacity(Self::CHUNK_ROWS),
            writer,
            written: 0,
        })
    }

    /// Adds a row, writing a chunk when the buffer is full.
    pub fn push(&mut self, row: TxMetrics) -> PolarsResult<()> {
        self.rows.push(row);
        if self.rows.len() >= Self::CHUNK_ROWS {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> PolarsResult<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let df = txs_frame(&self.rows)?;
        self.writer.write_batch(&df)?;
        self.written += self.rows.len() as u64;
        self.rows.clear();
        Ok(())
    }

    /// Writes the remaining rows and the parquet footer; returns the number of rows written.
    pub fn finish(mut self) -> PolarsResult<u64> {
        self.flush()?;
        self.writer.finish()?;
        Ok(self.written)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::block::{BlockFees, TxFee};
    use crate::metrics::FeeSettings;
    use bitcoin::hashes::Hash;

    fn sample() -> Vec<BlockMetrics> {
        let tx = |fee, vsize| TxFee {
            txid: Some(bitcoin::Txid::all_zeros()),
            fee,
            size: vsize,
            vsize,
            weight: 4 * u64::from(vsize),
            payer: crate::payer::PayerType::P2wpkh,
        };
        let blocks = [(5, vec![tx(1000, 100), tx(2000, 100)]), (6, vec![])];
        blocks
            .into_iter()
            .map(|(h, txs)| {
                let b = BlockFees {
                    height: h,
                    hash: bitcoin::BlockHash::all_zeros(),
                    prev_hash: bitcoin::BlockHash::all_zeros(),
                    time: 7,
                    size: 300,
                    weight: 1200,
                    tx_count: txs.len() as u32 + 1,
                    txs,
                };
                BlockMetrics::new(&b, &FeeSettings::default())
            })
            .collect()
    }

    #[test]
    fn blocks_frame_round_trips_through_csv_and_parquet() {
        let mut df = blocks_frame(&sample()).unwrap();
        assert_eq!(
            df.get_column_names()
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>(),
            BLOCK_COLUMNS.to_vec()
        );
        let mut csv = Vec::new();
        write_csv(&mut df, &mut csv).unwrap();
        let text = String::from_utf8(csv).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[1].starts_with("5,0000"), "{}", lines[1]);
        // Block 6 has no transactions: its mean fee is missing, not zero.
        assert!(lines[2].contains(",,"), "{}", lines[2]);

        let mut pq = Vec::new();
        write_parquet(&mut df, &mut pq).unwrap();
        let back = ParquetReader::new(std::io::Cursor::new(pq))
            .finish()
            .unwrap();
        assert!(back.equals_missing(&df));
    }

    #[test]
    fn txid_column_is_the_displayed_txid() {
        let txid: bitcoin::Txid =
            "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b"
                .parse()
                .unwrap();
        let tx = TxFee {
            txid: Some(txid),
            fee: 1,
            size: 1,
            vsize: 1,
            weight: 4,
            payer: crate::payer::PayerType::P2wpkh,
        };
        let df = txs_frame(&[TxMetrics::new(1, &tx, &FeeSettings::default())]).unwrap();
        let column = df.column("txid").unwrap().str().unwrap().clone();
        assert_eq!(column.get(0), Some(txid.to_string().as_str()));
    }

    #[test]
    fn tx_writer_streams_more_than_one_chunk() {
        let settings = FeeSettings::default();
        let mut buf = Vec::new();
        let mut w = TxFrameWriter::new(&mut buf).unwrap();
        let n = TxFrameWriter::<Vec<u8>>::CHUNK_ROWS + 10;
        for i in 0..n {
            let tx = TxFee {
                txid: Some(bitcoin::Txid::all_zeros()),
                fee: i as u64,
                size: 100,
                vsize: 100,
                weight: 400,
                payer: crate::payer::PayerType::P2wpkh,
            };
            w.push(TxMetrics::new(1, &tx, &settings)).unwrap();
        }
        assert_eq!(w.finish().unwrap(), n as u64);
        let back = ParquetReader::new(std::io::Cursor::new(buf))
            .finish()
            .unwrap();
        assert_eq!(back.height(), n);
        assert_eq!(
            back.get_column_names()
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>(),
            TX_COLUMNS.to_vec()
        );
    }
}
