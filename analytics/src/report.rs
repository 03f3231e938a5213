//! The fee report: a streaming builder that turns blocks into every output file.
//!
//! # API for the data path (the `fee-report` binary)
//!
//! ```no_run
//! use btcaddr_analytics::report::{FeeReportBuilder, ReportContext, ReportSettings};
//! # fn blocks() -> Vec<btcaddr_analytics::block::BlockFees> { vec![] }
//! # fn main() -> Result<(), btcaddr_analytics::report::ReportError> {
//! let settings = ReportSettings { per_tx: true, ..ReportSettings::default() };
//! let mut report = FeeReportBuilder::new(settings, "out")?; // creates out/
//! for block in blocks() {
//!     report.push(&block)?; // in height order, consecutive heights
//! }
//! let context = ReportContext::new("main", "rest", 415_296, 416_346);
//! let summary = report.finish(&context)?; // writes every file, returns the table
//! println!("{:?}", summary.table.round_fee_share);
//! # Ok(()) }
//! ```
//!
//! - [`FeeReportBuilder::new`] takes the output directory up front because `--per-tx` rows
//!   are streamed in chunks into the dataset `txs/period=<P>/part-0.parquet`, one part per
//!   retarget period committed as the period ends: memory stays bounded (per-block rows,
//!   ~250 bytes each, are kept; the fee histogram has fixed bins).
//! - [`FeeReportBuilder::push`] computes one block's metrics (O(n log n)) and returns them,
//!   e.g. for progress output. Heights must be consecutive and increasing.
//! - [`FeeReportBuilder::finish`] writes, each atomically (temporary file + rename):
//!   `blocks.parquet`, `blocks.csv`, the last `txs/` part (with `per_tx`), one `<chart>.png` and
//!   `<chart>.svg` per [`ChartKind`], `summary.json`, `summary.md`, `report.html`.
//!   It returns the [`FeeSummary`] also written to `summary.json`.
//! - [`ReportContext::extra_sections`] lets other analyses (bandwidth) add sections, with
//!   their own inline SVG charts, to `report.html`.
//!
//! Metric definitions (round classes, zero fees, percentiles, rate to get in) are in
//! [`crate::metrics`].

mod dataset;
mod html;
mod summary;

pub use dataset::{period_of, period_part, PERIOD_BLOCKS};
pub(crate) use html::escape;
pub use html::{render_html, HtmlChart, HtmlSection};
pub use summary::{render_markdown, FeeSummary, FiatFigures, Reference2016, SCHEMA_VERSION};

use crate::atomic::{self, Durability, FileError};
use crate::block::BlockFees;
use crate::charts::{self, ChartData, ChartError, ChartKind};
use crate::frames;
use crate::metrics::{BlockMetrics, FeeSettings, RangeAccumulator, TxMetrics};
use dataset::TxDatasetWriter;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::thread::JoinHandle;

use polars::error::PolarsError;

/// Something went wrong building or writing the report.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// A file or directory could not be written.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The path written.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Polars could not build or encode a frame.
    #[error("cannot encode {file}: {source}")]
    Frame {
        /// The output file.
        file: &'static str,
        /// The cause.
        source: polars::prelude::PolarsError,
    },
    /// A chart could not be drawn.
    #[error(transparent)]
    Chart(#[from] ChartError),
    /// summary.json could not be encoded.
    #[error("cannot encode summary.json: {0}")]
    Json(#[from] serde_json::Error),
    /// Blocks were not pushed at consecutive increasing heights.
    #[error("block at height {got} pushed after height {previous}: expected height {expected}")]
    OutOfOrder {
        /// The last height pushed.
        previous: u32,
        /// The height expected next.
        expected: u32,
        /// The height pushed.
        got: u32,
    },
}

impl From<FileError> for ReportError {
    fn from(FileError { path, source }: FileError) -> Self {
        ReportError::Io { path, source }
    }
}

/// Settings of the report: the round-number definitions and whether to write per-tx rows.
///
/// # Examples
///
/// ```
/// let s = btcaddr_analytics::report::ReportSettings::default();
/// assert_eq!((s.fees.round_fee, s.fees.round_rate, s.per_tx), (1000, 10, false));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportSettings {
    /// `--round-fee` and `--round-rate`.
    pub fees: FeeSettings,
    /// `--per-tx`: also write the per-transaction dataset `txs/`.
    pub per_tx: bool,
}

/// Facts about the run that the report states but does not compute.
///
/// # Examples
///
/// ```
/// use btcaddr_analytics::report::ReportContext;
/// let mut ctx = ReportContext::new("regtest", "rest", 1, 200);
/// ctx.btc_usd = Some(665.0);
/// assert!(ctx.extra_sections.is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReportContext {
    /// The node's chain name as `getblockchaininfo` reports it (`main`, `test`, `regtest`…).
    pub chain: String,
    /// The block source used (`rest`, `rpc`, …).
    pub source: String,
    /// First height requested.
    pub first_height: u32,
    /// Last height requested (inclusive).
    pub last_height: u32,
    /// `--btc-usd`: adds fiat figures when set.
    pub btc_usd: Option<f64>,
    /// Further sections for report.html (e.g. bandwidth), after the fee sections.
    pub extra_sections: Vec<HtmlSection>,
}

impl ReportContext {
    /// A context without fiat price or extra sections.
    pub fn new(chain: &str, source: &str, first_height: u32, last_height: u32) -> Self {
        ReportContext {
            chain: chain.to_owned(),
            source: source.to_owned(),
            first_height,
            last_height,
            btc_usd: None,
            extra_sections: Vec::new(),
        }
    }
}

/// Streaming fee report: push blocks in height order, then [`finish`](Self::finish).
///
/// # Examples
///
/// ```
/// use bitcoin::hashes::Hash;
/// use btcaddr_analytics::block::{BlockFees, TxFee};
/// use btcaddr_analytics::report::{FeeReportBuilder, ReportContext, ReportSettings};
/// let dir = std::env::temp_dir().join(format!("fee-report-doc-{}", std::process::id()));
/// let mut report = FeeReportBuilder::new(ReportSettings::default(), &dir).unwrap();
/// let tx = TxFee { txid: Some(bitcoin::Txid::all_zeros()), fee: 5000, size: 250, vsize: 250, weight: 1000, payer: btcaddr_analytics::payer::PayerType::P2wpkh };
/// let block = BlockFees {
///     height: 7, hash: bitcoin::BlockHash::all_zeros(), prev_hash: bitcoin::BlockHash::all_zeros(),
///     time: 0, size: 600, weight: 2400, tx_count: 3, txs: vec![tx, tx],
/// };
/// report.push(&block).unwrap();
/// let summary = report.finish(&ReportContext::new("regtest", "rest", 7, 7)).unwrap();
/// assert_eq!(summary.table.round_fee_share, Some(1.0));
/// assert!(dir.join("report.html").exists());
/// # std::fs::remove_dir_all(&dir).unwrap();
/// ```
pub struct FeeReportBuilder {
    settings: ReportSettings,
    out_dir: PathBuf,
    blocks: Vec<BlockMetrics>,
    range: RangeAccumulator,
    txs: Option<TxStream>,
}

/// The `--per-tx` stream: rows go to the dataset's parts, written on a thread of its own
/// (encoding and compressing them costs as much as all the other metrics).
struct TxStream {
    /// `Some(block)` adds a block's rows; `None` finishes the dataset. A channel closed without
    /// `None` abandons it: finished parts stay, nothing else is touched.
    rows: Option<mpsc::SyncSender<Option<BlockRows>>>,
    /// The writer thread: what it wrote when finished, `None` when abandoned.
    writer: Option<JoinHandle<Result<Option<Written>, ReportError>>>,
}

/// A block's height and its transactions' rows.
type BlockRows = (u32, Vec<TxMetrics>);
/// The periods whose parts were written, and the row count.
type Written = (Vec<u32>, u64);

impl TxStream {
    /// Blocks' rows queued for the writer thread before `push` waits for it.
    const QUEUE_BLOCKS: usize = 16;

    fn start(out_dir: &Path) -> Self {
        let mut dataset = TxDatasetWriter::new(out_dir);
        let (sender, receiver) = mpsc::sync_channel(Self::QUEUE_BLOCKS);
        let thread = std::thread::spawn(move || {
            for message in receiver {
                match message {
                    Some((height, rows)) => dataset.push(height, rows)?,
                    None => return dataset.finish().map(Some),
                }
            }
            Ok(None)
        });
        TxStream {
            rows: Some(sender),
            writer: Some(thread),
        }
    }

    fn push(&mut self, height: u32, rows: Vec<TxMetrics>) -> Result<(), ReportError> {
        let sent = match &self.rows {
            Some(sender) => sender.send(Some((height, rows))).is_ok(),
            None => false,
        };
        if sent {
            Ok(())
        } else {
            // The writer stopped early: its error says why.
            self.join()?;
            Err(Self::stopped("the txs/ writer stopped early"))
        }
    }

    fn stopped(why: &str) -> ReportError {
        ReportError::Frame {
            file: files::TXS_DATASET,
            source: PolarsError::ComputeError(why.to_owned().into()),
        }
    }

    /// Finishes the dataset; the periods written and the number of rows.
    fn finish(&mut self) -> Result<Written, ReportError> {
        let sent = self
            .rows
            .take()
            .is_some_and(|sender| sender.send(None).is_ok());
        match self.join()? {
            Some(done) if sent => Ok(done),
            _ => Err(Self::stopped("the txs/ writer stopped early")),
        }
    }

    /// Closes the channel and waits for the writer thread.
    fn join(&mut self) -> Result<Option<Written>, ReportError> {
        self.rows = None;
        match self.writer.take().map(JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(Self::stopped("the txs/ writer thread panicked")),
            None => Err(Self::stopped("the txs/ writer already stopped")),
        }
    }
}

/// Output file names, relative to the output directory.
pub mod files {
    /// Per-block rows, parquet.
    pub const BLOCKS_PARQUET: &str = "blocks.parquet";
    /// Per-block rows, CSV.
    pub const BLOCKS_CSV: &str = "blocks.csv";
    /// Per-transaction rows (`--per-tx`): the folder of the hive-partitioned parquet dataset
    /// (`txs/period=<P>/part-0.parquet`, see [`super::period_part`]).
    pub const TXS_DATASET: &str = "txs";
    /// The range table and settings, JSON.
    pub const SUMMARY_JSON: &str = "summary.json";
    /// The range table and settings, Markdown.
    pub const SUMMARY_MD: &str = "summary.md";
    /// The self-contained HTML page.
    pub const REPORT_HTML: &str = "report.html";
}

impl FeeReportBuilder {
    /// Starts a report writing into `out_dir` (created if missing).
    pub fn new(settings: ReportSettings, out_dir: impl AsRef<Path>) -> Result<Self, ReportError> {
        let out_dir = out_dir.as_ref().to_path_buf();
        std::fs::create_dir_all(&out_dir).map_err(|source| ReportError::Io {
            path: out_dir.clone(),
            source,
        })?;
        let txs = settings.per_tx.then(|| TxStream::start(&out_dir));
        Ok(FeeReportBuilder {
            settings,
            out_dir,
            blocks: Vec::new(),
            range: RangeAccumulator::new(settings.fees),
            txs,
        })
    }

    /// Adds the next block (height one more than the previous one) and returns its metrics.
    pub fn push(&mut self, block: &BlockFees) -> Result<&BlockMetrics, ReportError> {
        if let Some(last) = self.blocks.last() {
            let expected = last.height.wrapping_add(1);
            if block.height != expected {
                return Err(ReportError::OutOfOrder {
                    previous: last.height,
                    expected,
                    got: block.height,
                });
            }
        }
        let metrics = BlockMetrics::new(block, &self.settings.fees);
        self.range.add(block, &metrics);
        if let Some(stream) = self.txs.as_mut() {
            let fees = &self.settings.fees;
            stream.push(
                block.height,
                block
                    .txs
                    .iter()
                    .map(|tx| TxMetrics::new(block.height, tx, fees))
                    .collect(),
            )?;
        }
        self.blocks.push(metrics);
        Ok(&self.blocks[self.blocks.len() - 1])
    }

    /// The metrics of every block pushed so far.
    pub fn blocks(&self) -> &[BlockMetrics] {
        &self.blocks
    }

    /// The output directory.
    pub fn out_dir(&self) -> &Path {
        &self.out_dir
    }

    /// Writes every output file and returns the summary.
    pub fn finish(mut self, context: &ReportContext) -> Result<FeeSummary, ReportError> {
        let dir = self.out_dir.clone();
        let mut written = Vec::new();
        // The last txs/ part is still being written on its thread: joined after the charts.
        let txs = self.txs.take();

        let frame_err = |file| move |source| ReportError::Frame { file, source };
        let mut df =
            frames::blocks_frame(&self.blocks).map_err(frame_err(files::BLOCKS_PARQUET))?;
        atomic::write_with(&dir.join(files::BLOCKS_PARQUET), Durability::Disk, |w| {
            frames::write_parquet(&mut df, w).map_err(frame_err(files::BLOCKS_PARQUET))
        })?;
        atomic::write_with(&dir.join(files::BLOCKS_CSV), Durability::Disk, |w| {
            frames::write_csv(&mut df, w).map_err(frame_err(files::BLOCKS_CSV))
        })?;
        drop(df);
        written.push(files::BLOCKS_PARQUET.to_owned());
        written.push(files::BLOCKS_CSV.to_owned());

        let data = ChartData {
            blocks: &self.blocks,
            histogram: self.range.histogram(),
        };
        let mut charts = Vec::new();
        for kind in ChartKind::ALL {
            let svg = charts::render_svg(kind, &data)?;
            let svg_name = format!("{}.svg", kind.stem());
            atomic::write(&dir.join(&svg_name), Durability::Disk, svg.as_bytes())?;
            let png_name = format!("{}.png", kind.stem());
            atomic::write_through(&dir.join(&png_name), Durability::Disk, |tmp| {
                charts::render_png(kind, &data, tmp).map_err(ReportError::from)
            })?;
            written.push(svg_name);
            written.push(png_name);
            charts.push(HtmlChart {
                id: kind.stem().to_owned(),
                title: kind.title().to_owned(),
                svg,
            });
        }

        if let Some(mut stream) = txs {
            let (periods, _rows) = stream.finish()?;
            let parts = periods
                .into_iter()
                .map(|p| period_part(p).to_string_lossy().into_owned());
            written.splice(0..0, parts);
        }

        written.push(files::SUMMARY_JSON.to_owned());
        written.push(files::SUMMARY_MD.to_owned());
        written.push(files::REPORT_HTML.to_owned());
        let table = self.range.table(&self.blocks);
        let summary = FeeSummary::new(
            &self.settings,
            context,
            table,
            self.range.by_payer(),
            written,
        );

        let json = serde_json::to_vec_pretty(&summary)?;
        atomic::write(&dir.join(files::SUMMARY_JSON), Durability::Disk, &json)?;
        let md = render_markdown(&summary);
        atomic::write(
            &dir.join(files::SUMMARY_MD),
            Durability::Disk,
            md.as_bytes(),
        )?;
        let page = render_html(&summary, &charts, &context.extra_sections);
        atomic::write(
            &dir.join(files::REPORT_HTML),
            Durability::Disk,
            page.as_bytes(),
        )?;
        Ok(summary)
    }
}

impl Drop for TxStream {
    fn drop(&mut self) {
        // An abandoned report keeps the parts it committed and leaves no temporary file (the
        // dataset writer's drop removes the open part's).
        if self.writer.is_some() {
            let _ = self.join();
        }
    }
}

#[cfg(test)]
mod tests;
