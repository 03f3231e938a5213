//! The `--per-tx` rows as a hive-partitioned Parquet dataset: `txs/period=<P>/part-0.parquet`,
//! P the retarget period (`height / 2016`), one part per period.
//!
//! polars' `scan_parquet`, DuckDB's `read_parquet('txs/**/*.parquet', hive_partitioning =
//! true)` and Spark read such a folder lazily, so a whole-chain dataset (hundreds of millions of
//! rows) is queried without loading it. Each part is written to a temporary file outside
//! `txs/` (so no reader ever globs a half-written part) and renamed into place as soon as its
//! period's last block of the range has been pushed: an interrupted run leaves every finished
//! period readable, and a re-run replaces them one by one.

use std::fs::{self, File};
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use crate::atomic::{self, Durability};
use crate::frames::TxFrameWriter;
use crate::metrics::TxMetrics;

use super::{files, ReportError};

/// Blocks per partition: Bitcoin's difficulty retarget period.
pub const PERIOD_BLOCKS: u32 = 2016;

/// The partition of the block at `height`.
///
/// ```
/// use btcaddr_analytics::report::period_of;
/// assert_eq!((period_of(2015), period_of(2016), period_of(415_296)), (0, 1, 206));
/// ```
pub fn period_of(height: u32) -> u32 {
    height / PERIOD_BLOCKS
}

/// The part file of `period`, relative to the output directory.
///
/// ```
/// use btcaddr_analytics::report::period_part;
/// assert_eq!(period_part(206), std::path::Path::new("txs/period=206/part-0.parquet"));
/// ```
pub fn period_part(period: u32) -> PathBuf {
    Path::new(files::TXS_DATASET)
        .join(format!("period={period}"))
        .join("part-0.parquet")
}

/// The part being written.
struct OpenPart {
    period: u32,
    writer: TxFrameWriter<BufWriter<File>>,
    tmp: PathBuf,
}

/// Writes blocks' rows, in height order, into the dataset under an output directory.
pub(super) struct TxDatasetWriter {
    out_dir: PathBuf,
    open: Option<OpenPart>,
    /// Periods committed by this run, in order.
    periods: Vec<u32>,
    rows: u64,
}

impl TxDatasetWriter {
    pub(super) fn new(out_dir: &Path) -> Self {
        TxDatasetWriter {
            out_dir: out_dir.to_owned(),
            open: None,
            periods: Vec::new(),
            rows: 0,
        }
    }

    fn frame_err(source: polars::error::PolarsError) -> ReportError {
        ReportError::Frame {
            file: files::TXS_DATASET,
            source,
        }
    }

    /// Adds the rows of the block at `height` (possibly none: the period's part still exists).
    pub(super) fn push(&mut self, height: u32, rows: Vec<TxMetrics>) -> Result<(), ReportError> {
        let period = period_of(height);
        if self.open.as_ref().is_some_and(|p| p.period != period) {
            self.commit()?;
        }
        let part = match &mut self.open {
            Some(part) => part,
            None => self.open.insert(self.start(period)?),
        };
        self.rows += rows.len() as u64;
        for row in rows {
            part.writer.push(row).map_err(Self::frame_err)?;
        }
        Ok(())
    }

    fn start(&self, period: u32) -> Result<OpenPart, ReportError> {
        // Beside txs/, not in it, and not named *.parquet: readers glob the dataset at any time.
        let tmp = self
            .out_dir
            .join(format!(".txs-period={period}.tmp-{}", std::process::id()));
        let file = File::create(&tmp).map_err(|source| ReportError::Io {
            path: tmp.clone(),
            source,
        })?;
        let writer = TxFrameWriter::new(BufWriter::new(file)).map_err(Self::frame_err)?;
        Ok(OpenPart {
            period,
            writer,
            tmp,
        })
    }

    /// Finishes the open part and renames it into place.
    fn commit(&mut self) -> Result<(), ReportError> {
        let Some(part) = self.open.take() else {
            return Ok(());
        };
        let tmp = part.tmp.clone();
        let result = self.place(part);
        if result.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        result
    }

    fn place(&mut self, part: OpenPart) -> Result<(), ReportError> {
        part.writer.finish().map_err(Self::frame_err)?;
        let path = self.out_dir.join(period_part(part.period));
        if let Some(folder) = path.parent() {
            fs::create_dir_all(folder).map_err(|source| ReportError::Io {
                path: folder.to_owned(),
                source,
            })?;
        }
        atomic::commit(&part.tmp, &path, Durability::Disk)?;
        self.periods.push(part.period);
        Ok(())
    }

    /// Commits the last part, removes what earlier runs left that this one did not write
    /// (other periods' folders, the single `txs.parquet` of earlier versions), and returns the
    /// periods written and the row count.
    pub(super) fn finish(&mut self) -> Result<(Vec<u32>, u64), ReportError> {
        self.commit()?;
        let dataset = self.out_dir.join(files::TXS_DATASET);
        let entries = match fs::read_dir(&dataset) {
            Ok(entries) => entries.flatten().collect(),
            // No block pushed: no part, nothing stale to find.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(source) => {
                return Err(ReportError::Io {
                    path: dataset,
                    source,
                })
            }
        };
        for entry in entries {
            let name = entry.file_name();
            let stale = name
                .to_str()
                .and_then(|n| n.strip_prefix("period="))
                .and_then(|p| p.parse::<u32>().ok())
                .is_some_and(|p| !self.periods.contains(&p));
            if stale {
                fs::remove_dir_all(entry.path()).map_err(|source| ReportError::Io {
                    path: entry.path(),
                    source,
                })?;
            }
        }
        let old_single_file = self.out_dir.join("txs.parquet");
        if old_single_file.exists() {
            fs::remove_file(&old_single_file).map_err(|source| ReportError::Io {
                path: old_single_file,
                source,
            })?;
        }
        Ok((std::mem::take(&mut self.periods), self.rows))
    }
}

impl Drop for TxDatasetWriter {
    fn drop(&mut self) {
        // An abandoned part leaves no temporary file behind; committed parts stay.
        if let Some(part) = self.open.take() {
            let _ = fs::remove_file(&part.tmp);
        }
    }
}
