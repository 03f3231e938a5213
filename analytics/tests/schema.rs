//! The data layout is pinned: columns (with their parquet types) and JSON fields against a
//! fingerprint paired with `SCHEMA_VERSION`, and every one of them documented in docs/DATA.md.
//!
//! When a fingerprint test fails, the layout changed: bump `SCHEMA_VERSION`
//! (analytics/src/report/summary.rs), describe the change in docs/DATA.md, then update the
//! fingerprint below and `FINGERPRINT_VERSION` to match.

use std::collections::BTreeSet;
use std::io::Cursor;

use btcaddr_analytics::bandwidth::chain::{BlockSample, ChainGrowth};
use btcaddr_analytics::bandwidth::report::BandwidthReport;
use btcaddr_analytics::bandwidth::{BandwidthData, BandwidthGrowth};
use btcaddr_analytics::block::{BlockFees, TxFee};
use btcaddr_analytics::frames::{blocks_frame, txs_frame, write_csv, write_parquet};
use btcaddr_analytics::metrics::{BlockMetrics, RangeAccumulator};
use btcaddr_analytics::report::{FeeSummary, ReportContext, ReportSettings, SCHEMA_VERSION};
use polars::prelude::{DataFrame, ParquetReader, SerReader};

/// The `SCHEMA_VERSION` the fingerprint below describes.
const FINGERPRINT_VERSION: u32 = 2;

const BUMP: &str = "the data layout changed: bump SCHEMA_VERSION and update docs/DATA.md \
                    (then this test's fingerprint and FINGERPRINT_VERSION)";

/// `blocks.parquet` / `blocks.csv`: (column, type as read back from parquet).
const BLOCKS: &[(&str, &str)] = &[
    ("height", "UInt32"),
    ("hash", "String"),
    ("time", "UInt32"),
    ("size", "UInt64"),
    ("weight", "UInt64"),
    ("tx_count", "UInt32"),
    ("fee_txs", "UInt32"),
    ("fee_total", "UInt64"),
    ("fee_mean", "Float64"),
    ("fee_median", "UInt64"),
    ("fee_rate_mean", "Float64"),
    ("avg_fee_rate", "UInt64"),
    ("min_fee_rate", "UInt64"),
    ("max_fee_rate", "UInt64"),
    ("rate_p10", "UInt64"),
    ("rate_p25", "UInt64"),
    ("rate_p50", "UInt64"),
    ("rate_p75", "UInt64"),
    ("rate_p90", "UInt64"),
    ("rate_to_get_in", "Float64"),
    ("zero_fee_txs", "UInt32"),
    ("round_fee_txs", "UInt32"),
    ("round_rate_txs", "UInt32"),
    ("round_fee_share", "Float64"),
    ("round_rate_share", "Float64"),
];

/// The `txs/` dataset's parts: (column, type).
const TXS: &[(&str, &str)] = &[
    ("height", "UInt32"),
    ("txid", "String"),
    ("fee", "UInt64"),
    ("size", "UInt32"),
    ("vsize", "UInt32"),
    ("weight", "UInt64"),
    ("fee_rate", "Float64"),
    ("class", "String"),
    ("payer", "String"),
];

/// `summary.json` (with `--btc-usd`): (dotted path, JSON kind). Arrays add `[]` to the path.
const SUMMARY: &[(&str, &str)] = &[
    ("schema_version", "uint"),
    ("generator", "string"),
    ("chain", "string"),
    ("source", "string"),
    ("requested_first_height", "uint"),
    ("requested_last_height", "uint"),
    ("settings", "object"),
    ("settings.fees", "object"),
    ("settings.fees.round_fee", "uint"),
    ("settings.fees.round_rate", "uint"),
    ("settings.per_tx", "bool"),
    ("table", "object"),
    ("table.first_height", "uint"),
    ("table.last_height", "uint"),
    ("table.blocks", "uint"),
    ("table.median_block_size", "float"),
    ("table.mean_block_size", "float"),
    ("table.transactions", "uint"),
    ("table.zero_fee_transactions", "uint"),
    ("table.round_fee_transactions", "uint"),
    ("table.round_rate_transactions", "uint"),
    ("table.round_fee_share", "float"),
    ("table.round_rate_share", "float"),
    ("table.total_fee", "uint"),
    ("table.mean_fee", "float"),
    ("table.mean_fee_rate", "float"),
    ("table.mean_tx_vsize", "float"),
    ("table.mean_rate_to_get_in", "float"),
    ("table.blocks_without_rate_to_get_in", "uint"),
    ("by_payer", "array"),
    ("by_payer[]", "object"),
    ("by_payer[].payer", "string"),
    ("by_payer[].transactions", "uint"),
    ("by_payer[].round_fee_transactions", "uint"),
    ("by_payer[].round_rate_transactions", "uint"),
    ("by_payer[].round_fee_share", "float"),
    ("by_payer[].round_rate_share", "float"),
    ("by_payer[].mean_fee_rate", "float"),
    ("by_payer[].mean_rate_over_get_in", "float"),
    ("fiat", "object"),
    ("fiat.btc_usd", "float"),
    ("fiat.mean_fee_usd", "float"),
    ("fiat.total_fee_usd", "float"),
    ("fiat.rate_to_get_in_usd", "float"),
    ("reference_2016", "object"),
    ("reference_2016.first_height", "uint"),
    ("reference_2016.last_height", "uint"),
    ("reference_2016.median_block_size", "float"),
    ("reference_2016.mean_block_size", "float"),
    ("reference_2016.transactions", "uint"),
    ("reference_2016.round_fee_share", "float"),
    ("reference_2016.round_rate_share", "float"),
    ("reference_2016.mean_fee", "float"),
    ("reference_2016.mean_fee_usd", "float"),
    ("reference_2016.mean_fee_rate", "float"),
    ("reference_2016.mean_rate_to_get_in", "float"),
    ("reference_2016.rate_to_get_in_usd", "float"),
    ("files", "array"),
    ("files[]", "string"),
];

/// `bandwidth.json` (shipped data and a chain): dotted paths. Kinds are left out: some values
/// are null or not depending on the data, which is not a layout change.
const BANDWIDTH: &[&str] = &[
    "generator",
    "data",
    "rates",
    "rates[].series",
    "rates[].measure",
    "rates[].from",
    "rates[].to",
    "rates[].years",
    "rates[].rate",
    "rates[].doubling_years",
    "rates[].multiple_after_horizon",
    "growth",
    "growth.levels",
    "growth.levels[].series",
    "growth.levels[].unit",
    "growth.levels[].points",
    "growth.levels[].points[].date",
    "growth.levels[].points[].value",
    "growth.levels[].points[].source",
    "growth.levels[].intervals",
    "growth.levels[].intervals[].from",
    "growth.levels[].intervals[].to",
    "growth.levels[].intervals[].years",
    "growth.levels[].intervals[].from_value",
    "growth.levels[].intervals[].to_value",
    "growth.levels[].intervals[].rate",
    "growth.levels[].recent",
    "growth.levels[].recent.from",
    "growth.levels[].recent.to",
    "growth.levels[].recent.years",
    "growth.levels[].recent.from_value",
    "growth.levels[].recent.to_value",
    "growth.levels[].recent.rate",
    "growth.levels[].earlier",
    "growth.levels[].earlier.from",
    "growth.levels[].earlier.to",
    "growth.levels[].earlier.years",
    "growth.levels[].earlier.from_value",
    "growth.levels[].earlier.to_value",
    "growth.levels[].earlier.rate",
    "growth.levels[].whole",
    "growth.levels[].whole.from",
    "growth.levels[].whole.to",
    "growth.levels[].whole.years",
    "growth.levels[].whole.from_value",
    "growth.levels[].whole.to_value",
    "growth.levels[].whole.rate",
    "growth.levels[].fit",
    "growth.levels[].fit.intercept",
    "growth.levels[].fit.slope",
    "growth.levels[].fit.r_squared",
    "growth.levels[].fit.points",
    "growth.levels[].fit_rate",
    "growth.growth",
    "growth.growth[].series",
    "growth.growth[].figures",
    "growth.growth[].figures[].date",
    "growth.growth[].figures[].value",
    "growth.growth[].figures[].source",
    "growth.growth[].rate",
    "chain",
    "chain.first_height",
    "chain.last_height",
    "chain.every",
    "chain.samples",
    "chain.first_time",
    "chain.last_time",
    "chain.span_days",
    "chain.mean_bytes_per_day",
    "chain.mean_block_size",
    "chain.months",
    "chain.months[].month",
    "chain.months[].samples",
    "chain.months[].mean_block_size",
    "chain.months[].bytes_per_day",
    "chain.months[].blocks_per_day",
    "chain.bytes_per_day",
    "chain.bytes_per_day.points",
    "chain.bytes_per_day.fit",
    "chain.bytes_per_day.fit.intercept",
    "chain.bytes_per_day.fit.slope",
    "chain.bytes_per_day.fit.r_squared",
    "chain.bytes_per_day.fit.points",
    "chain.bytes_per_day.daily_rate",
    "chain.bytes_per_day.span_growth",
    "chain.bytes_per_day.annual_rate",
    "chain.bytes_per_day.endpoint_annual_rate",
    "chain.block_size",
    "chain.block_size.points",
    "chain.block_size.fit",
    "chain.block_size.fit.intercept",
    "chain.block_size.fit.slope",
    "chain.block_size.fit.r_squared",
    "chain.block_size.fit.points",
    "chain.block_size.daily_rate",
    "chain.block_size.span_growth",
    "chain.block_size.annual_rate",
    "chain.block_size.endpoint_annual_rate",
];

/// docs/DATA.md, read at run time so an edit needs no rebuild.
fn data_md() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/DATA.md");
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

/// The section of docs/DATA.md whose heading names `file` in backticks: from that heading to the
/// next heading of the same or a higher level.
fn section<'a>(doc: &'a str, file: &str) -> &'a str {
    let needle = format!("`{file}`");
    let level = |line: &str| line.bytes().take_while(|&b| b == b'#').count();
    let mut start = None;
    let mut offset = 0;
    for line in doc.split_inclusive('\n') {
        let depth = level(line);
        if let Some((at, own)) = start {
            if depth > 0 && depth <= own {
                return &doc[at..offset];
            }
        } else if depth > 0 && line.contains(&needle) {
            start = Some((offset, depth));
        }
        offset += line.len();
    }
    match start {
        Some((at, _)) => &doc[at..],
        None => panic!("docs/DATA.md has no heading naming {needle}"),
    }
}

fn parquet_columns(df: &mut DataFrame) -> Vec<(String, String)> {
    let mut bytes = Vec::new();
    write_parquet(df, &mut bytes).expect("parquet encodes");
    let back = ParquetReader::new(Cursor::new(bytes))
        .finish()
        .expect("parquet decodes");
    back.columns()
        .iter()
        .map(|c| (c.name().to_string(), format!("{:?}", c.dtype())))
        .collect()
}

fn owned(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

fn json_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "bool",
        serde_json::Value::Number(n) if n.is_u64() || n.is_i64() => "uint",
        serde_json::Value::Number(_) => "float",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Array(_) => "array",
        serde_json::Value::Object(_) => "object",
    }
}

/// Every key path in `v` with its kind; arrays add `[]`, their elements' paths are merged
/// (first kind seen wins).
fn json_paths(v: &serde_json::Value, prefix: &str, out: &mut Vec<(String, String)>) {
    let mut visit = |path: String, child: &serde_json::Value| {
        if !out.iter().any(|(p, _)| *p == path) {
            out.push((path.clone(), json_kind(child).to_string()));
        }
        json_paths(child, &path, out);
    };
    match v {
        serde_json::Value::Object(map) => {
            for (key, child) in map {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                visit(path, child);
            }
        }
        serde_json::Value::Array(items) => {
            for child in items {
                visit(format!("{prefix}[]"), child);
            }
        }
        _ => {}
    }
}

fn sample_block() -> BlockFees {
    use bitcoin::hashes::Hash;
    let tx = |fee, vsize: u32| TxFee {
        txid: Some(bitcoin::Txid::all_zeros()),
        fee,
        size: vsize,
        vsize,
        weight: 4 * u64::from(vsize),
        payer: btcaddr_analytics::payer::PayerType::P2wpkh,
    };
    BlockFees {
        height: 100,
        hash: bitcoin::BlockHash::all_zeros(),
        prev_hash: bitcoin::BlockHash::all_zeros(),
        time: 1_466_000_000,
        size: 1000,
        weight: 4000,
        tx_count: 4,
        txs: vec![tx(1000, 100), tx(2500, 250), tx(777, 111)],
    }
}

/// A summary with every optional figure present (fiat given, a non-empty range).
fn sample_summary() -> serde_json::Value {
    let settings = ReportSettings::default();
    let block = sample_block();
    let metrics = BlockMetrics::new(&block, &settings.fees);
    let mut acc = RangeAccumulator::new(settings.fees);
    acc.add(&block, &metrics);
    let mut ctx = ReportContext::new("regtest", "rest", 100, 100);
    ctx.btc_usd = Some(1000.0);
    let files = vec!["blocks.parquet".to_string()];
    let summary = FeeSummary::new(
        &settings,
        &ctx,
        acc.table(&[metrics]),
        acc.by_payer(),
        files,
    );
    serde_json::to_value(&summary).expect("summary encodes")
}

/// The bandwidth report of the shipped data with a 60-day chain sample.
fn sample_bandwidth() -> serde_json::Value {
    let samples: Vec<BlockSample> = (0..60u32)
        .map(|d| BlockSample {
            height: d * 144,
            time: 1_600_000_000 + d * 86_400,
            size: 1000 + u64::from(d) * 10,
        })
        .collect();
    let chain = ChainGrowth::from_samples(&samples, 144).expect("chain growth");
    let growth = BandwidthGrowth::compute(&BandwidthData::shipped()).expect("shipped data");
    let report = BandwidthReport::new("shipped", growth, Some(chain));
    serde_json::to_value(&report).expect("bandwidth report encodes")
}

#[test]
fn fingerprint_is_of_the_current_schema_version() {
    assert_eq!(
        SCHEMA_VERSION, FINGERPRINT_VERSION,
        "SCHEMA_VERSION changed: update this test's fingerprint and FINGERPRINT_VERSION to the \
         new layout, and docs/DATA.md"
    );
}

#[test]
fn blocks_columns_match_the_fingerprint() {
    let mut df = blocks_frame(&[]).expect("blocks frame");
    assert_eq!(
        parquet_columns(&mut df),
        owned(BLOCKS),
        "blocks.parquet: {BUMP}"
    );
    let mut csv = Vec::new();
    write_csv(&mut df, &mut csv).expect("csv encodes");
    let header = String::from_utf8(csv).expect("utf-8");
    let names: Vec<&str> = BLOCKS.iter().map(|c| c.0).collect();
    assert_eq!(header.trim_end(), names.join(","), "blocks.csv: {BUMP}");
}

#[test]
fn txs_columns_match_the_fingerprint() {
    let mut df = txs_frame(&[]).expect("txs frame");
    assert_eq!(parquet_columns(&mut df), owned(TXS), "txs/ dataset: {BUMP}");
}

#[test]
fn summary_json_fields_match_the_fingerprint() {
    let mut paths = Vec::new();
    json_paths(&sample_summary(), "", &mut paths);
    // serde_json's `Value` sorts keys; the order of JSON fields carries no meaning anyway.
    paths.sort();
    let mut expected = owned(SUMMARY);
    expected.sort();
    assert_eq!(paths, expected, "summary.json: {BUMP}");
}

#[test]
fn bandwidth_json_fields_match_the_fingerprint() {
    let mut paths = Vec::new();
    json_paths(&sample_bandwidth(), "", &mut paths);
    // Array elements here are objects, described by their fields' paths.
    let paths: BTreeSet<&str> = paths
        .iter()
        .map(|(p, _)| p.as_str())
        .filter(|p| !p.ends_with("[]"))
        .collect();
    let expected: BTreeSet<&str> = BANDWIDTH.iter().copied().collect();
    let added: Vec<_> = paths.difference(&expected).collect();
    let removed: Vec<_> = expected.difference(&paths).collect();
    assert!(
        added.is_empty() && removed.is_empty(),
        "bandwidth.json: {BUMP}; new fields {added:?}, gone {removed:?}"
    );
}

#[test]
fn data_md_documents_every_column_and_field() {
    let doc = data_md();
    let mut missing = Vec::new();
    let mut check = |file: &str, names: &mut dyn Iterator<Item = String>| {
        let text = section(&doc, file);
        for name in names {
            if !text.contains(&format!("`{name}`")) {
                missing.push(format!("{file}: `{name}`"));
            }
        }
    };
    check(
        "blocks.parquet",
        &mut BLOCKS.iter().map(|c| c.0.to_string()),
    );
    check("txs/", &mut TXS.iter().map(|c| c.0.to_string()));
    // summary.json by full path (array element paths are covered by their array).
    check(
        "summary.json",
        &mut SUMMARY
            .iter()
            .filter(|c| !c.0.ends_with("[]"))
            .map(|c| c.0.to_string()),
    );
    // bandwidth.json repeats a few object shapes (interval, fit, point): by field name.
    let leaves: BTreeSet<String> = BANDWIDTH
        .iter()
        .map(|p| p.rsplit('.').next().unwrap_or(p).trim_end_matches("[]"))
        .map(str::to_string)
        .collect();
    check("bandwidth.json", &mut leaves.into_iter());
    assert!(
        missing.is_empty(),
        "docs/DATA.md does not document (in backticks, in the file's section): {missing:?}"
    );
}

#[test]
fn data_md_states_the_schema_version_and_its_rule() {
    let doc = data_md();
    let line = format!("Current schema version: **{SCHEMA_VERSION}**");
    assert!(
        doc.contains(&line),
        "docs/DATA.md must say \"{line}\" (SCHEMA_VERSION changed without the doc)"
    );
    assert!(
        doc.contains(
            "bumped whenever a column or field is added, removed, renamed or changes meaning"
        ),
        "docs/DATA.md must state the schema_version rule"
    );
    // Each output file has a section of its own (`section` panics naming a missing one).
    for file in [
        "blocks.csv",
        "summary.md",
        "report.html",
        "bandwidth.md",
        "bandwidth-section.html",
    ] {
        assert!(!section(&doc, file).is_empty());
    }
}
