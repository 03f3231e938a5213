//! The ground-truth manifest: one CSV row per confirmed transaction.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use super::fees::FeeClass;

/// The CSV header, in column order.
pub const MANIFEST_HEADER: &str =
    "height,position,txid,fee_sat,size,vsize,weight,inputs,outputs,fee_class,class_value";

/// One confirmed transaction as the simulator made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestRow {
    /// Block height.
    pub height: u32,
    /// Index within the block (0 = coinbase).
    pub position: u32,
    /// Transaction id (hex, as RPC shows it).
    pub txid: String,
    /// Fee in sat (0 for coinbases).
    pub fee_sat: u64,
    /// Serialized size in bytes, witness included.
    pub size: u64,
    /// Virtual size in vbytes.
    pub vsize: u64,
    /// Weight units.
    pub weight: u64,
    /// Number of inputs.
    pub inputs: u32,
    /// Number of outputs.
    pub outputs: u32,
    /// Why it pays this fee.
    pub fee_class: FeeClass,
    /// The drawn parameter: round fee (sat), round rate or continuous rate (sat/vB); empty for coinbases.
    pub class_value: String,
}

/// A manifest file that cannot be read or written.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    /// File-system failure.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// A malformed line.
    #[error("{}:{line}: {message}", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// Writes rows as CSV (with header) to `path`, creating parent folders.
///
/// ```no_run
/// btcaddr_tests::sim::write_manifest("out/manifest.csv".as_ref(), &[]).unwrap();
/// ```
pub fn write_manifest(path: &Path, rows: &[ManifestRow]) -> Result<(), ManifestError> {
    let io_err = |source| ManifestError::Io {
        path: path.to_path_buf(),
        source,
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).map_err(io_err)?;
    }
    let tmp = path.with_extension("csv.partial");
    let file = fs::File::create(&tmp).map_err(io_err)?;
    let mut out = BufWriter::new(file);
    writeln!(out, "{MANIFEST_HEADER}").map_err(io_err)?;
    for r in rows {
        writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{}",
            r.height,
            r.position,
            r.txid,
            r.fee_sat,
            r.size,
            r.vsize,
            r.weight,
            r.inputs,
            r.outputs,
            r.fee_class,
            r.class_value
        )
        .map_err(io_err)?;
    }
    out.flush().map_err(io_err)?;
    drop(out);
    // Rename last, so a reader never sees half a manifest.
    fs::rename(&tmp, path).map_err(io_err)
}

/// Reads a manifest written by [`write_manifest`].
///
/// ```no_run
/// let rows = btcaddr_tests::sim::read_manifest(".cache/chains/tiny/manifest.csv".as_ref()).unwrap();
/// ```
pub fn read_manifest(path: &Path) -> Result<Vec<ManifestRow>, ManifestError> {
    let text = fs::read_to_string(path).map_err(|source| ManifestError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let parse_err = |line: usize, message: String| ManifestError::Parse {
        path: path.to_path_buf(),
        line,
        message,
    };
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, header)) if header.trim() == MANIFEST_HEADER => {}
        _ => return Err(parse_err(1, format!("expected header '{MANIFEST_HEADER}'"))),
    }
    let mut rows = Vec::new();
    for (index, line) in lines {
        let line_no = index + 1;
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split(',').collect();
        if fields.len() != 11 {
            return Err(parse_err(
                line_no,
                format!("expected 11 fields, found {}", fields.len()),
            ));
        }
        let num = |i: usize| -> Result<u64, ManifestError> {
            fields[i]
                .parse::<u64>()
                .map_err(|e| parse_err(line_no, format!("column {}: '{}': {e}", i + 1, fields[i])))
        };
        let small = |i: usize| -> Result<u32, ManifestError> {
            u32::try_from(num(i)?).map_err(|e| parse_err(line_no, format!("column {}: {e}", i + 1)))
        };
        rows.push(ManifestRow {
            height: small(0)?,
            position: small(1)?,
            txid: fields[2].to_string(),
            fee_sat: num(3)?,
            size: num(4)?,
            vsize: num(5)?,
            weight: num(6)?,
            inputs: small(7)?,
            outputs: small(8)?,
            fee_class: fields[9]
                .parse()
                .map_err(|e: super::fees::UnknownFeeClass| parse_err(line_no, e.to_string()))?,
            class_value: fields[10].to_string(),
        });
    }
    Ok(rows)
}
