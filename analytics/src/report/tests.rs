use super::*;
use crate::block::TxFee;
use bitcoin::hashes::Hash;
use polars::prelude::{ParquetReader, SerReader};

fn tx(n: u64, fee: u64, vsize: u32) -> TxFee {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&n.to_le_bytes());
    TxFee {
        txid: Some(bitcoin::Txid::from_byte_array(bytes)),
        fee,
        size: vsize,
        vsize,
        weight: 4 * u64::from(vsize),
    }
}

fn block(height: u32, txs: Vec<TxFee>) -> BlockFees {
    BlockFees {
        height,
        hash: bitcoin::BlockHash::all_zeros(),
        prev_hash: bitcoin::BlockHash::all_zeros(),
        time: 1_466_000_000 + height * 600,
        size: 1000 + u64::from(height),
        weight: 4000 + 4 * u64::from(height),
        tx_count: txs.len() as u32 + 1,
        txs,
    }
}

fn sample_blocks() -> Vec<BlockFees> {
    vec![
        block(100, vec![tx(1, 1000, 100), tx(2, 2500, 250), tx(3, 0, 200)]),
        block(101, vec![tx(4, 777, 111)]),
        block(
            102,
            vec![tx(5, 3000, 100), tx(6, 600, 200), tx(7, 999, 100)],
        ),
    ]
}

#[test]
fn finish_writes_every_file_and_no_temporaries() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let settings = ReportSettings {
        per_tx: true,
        ..ReportSettings::default()
    };
    let mut report = FeeReportBuilder::new(settings, &out).unwrap();
    for b in sample_blocks() {
        report.push(&b).unwrap();
    }
    let mut ctx = ReportContext::new("regtest", "rest", 100, 102);
    ctx.btc_usd = Some(1000.0);
    ctx.extra_sections.push(HtmlSection {
        id: "bandwidth".into(),
        title: "Bandwidth <growth>".into(),
        html: "<p id=\"bw-text\">17%</p>".into(),
        charts: vec![HtmlChart {
            id: "bw".into(),
            title: "bw chart".into(),
            svg: "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"></svg>".into(),
        }],
    });
    let summary = report.finish(&ctx).unwrap();

    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    let mut expected = summary.files.clone();
    expected.sort();
    assert_eq!(names, expected, "exactly the listed files, no temporaries");
    assert_eq!(names.len(), 3 + 8 + 3);

    let t = &summary.table;
    assert_eq!((t.blocks, t.transactions), (3, 7));
    assert_eq!(
        (
            t.round_fee_transactions,
            t.round_rate_transactions,
            t.zero_fee_transactions
        ),
        (2, 1, 1)
    );
    let fiat = summary.fiat.unwrap();
    assert!((fiat.total_fee_usd - 8876.0 * 1000.0 / 1e8).abs() < 1e-12);

    // Compared as text: serde_json's default float parsing may differ in the last bit.
    let json = std::fs::read(out.join("summary.json")).unwrap();
    assert_eq!(json, serde_json::to_vec_pretty(&summary).unwrap());
    let parsed: FeeSummary = serde_json::from_slice(&json).unwrap();
    assert_eq!(parsed.table.transactions, 7);
    let value: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(value["schema_version"], SCHEMA_VERSION);
    let md = std::fs::read_to_string(out.join("summary.md")).unwrap();
    assert!(
        md.contains(&format!("Data schema version {SCHEMA_VERSION} (")),
        "{md}"
    );
    assert!(
        md.contains("chain regtest, source rest, heights 100–102"),
        "{md}"
    );
    assert!(
        md.contains("| non-coinbase transactions | 7 | 1,618,170 |"),
        "{md}"
    );
    assert!(
        md.contains("| share paying a round fee (multiple of 1,000 sat) | 28.6% | 48.0% |"),
        "{md}"
    );

    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    for kind in ChartKind::ALL {
        assert!(html.contains(&format!("id=\"chart-{}\"", kind.stem())));
    }
    assert!(html.contains("<h2>Bandwidth &lt;growth&gt;</h2>"));
    assert!(html.contains("<p id=\"bw-text\">17%</p>"));
    assert!(!html.contains("<?xml"));

    let blocks = ParquetReader::new(std::fs::File::open(out.join("blocks.parquet")).unwrap())
        .finish()
        .unwrap();
    assert_eq!(blocks.height(), 3);
    let txs = ParquetReader::new(std::fs::File::open(out.join("txs.parquet")).unwrap())
        .finish()
        .unwrap();
    assert_eq!(txs.height(), 7);
    let csv = std::fs::read_to_string(out.join("blocks.csv")).unwrap();
    assert_eq!(csv.lines().count(), 4);
}

#[test]
fn without_per_tx_no_txs_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut report = FeeReportBuilder::new(ReportSettings::default(), dir.path()).unwrap();
    report.push(&sample_blocks()[0]).unwrap();
    let summary = report
        .finish(&ReportContext::new("main", "rpc", 100, 100))
        .unwrap();
    assert!(!summary.files.iter().any(|f| f == files::TXS_PARQUET));
    assert!(!dir.path().join(files::TXS_PARQUET).exists());
    assert!(summary.fiat.is_none());
}

#[test]
fn empty_range_still_reports() {
    let dir = tempfile::tempdir().unwrap();
    let report = FeeReportBuilder::new(ReportSettings::default(), dir.path()).unwrap();
    let summary = report
        .finish(&ReportContext::new("main", "rpc", 5, 4))
        .unwrap();
    assert_eq!(summary.table.blocks, 0);
    assert!(dir.path().join("report.html").exists());
}

#[test]
fn out_of_order_heights_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut report = FeeReportBuilder::new(ReportSettings::default(), dir.path()).unwrap();
    report.push(&block(10, vec![])).unwrap();
    let err = report.push(&block(12, vec![])).unwrap_err();
    assert_eq!(
        err.to_string(),
        "block at height 12 pushed after height 10: expected height 11"
    );
    let err = report.push(&block(10, vec![])).unwrap_err();
    assert!(matches!(err, ReportError::OutOfOrder { got: 10, .. }));
}

#[test]
fn abandoned_report_leaves_nothing_half_written() {
    let dir = tempfile::tempdir().unwrap();
    let settings = ReportSettings {
        per_tx: true,
        ..ReportSettings::default()
    };
    let mut report = FeeReportBuilder::new(settings, dir.path()).unwrap();
    report.push(&sample_blocks()[0]).unwrap();
    drop(report);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn unwritable_directory_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-dir");
    std::fs::write(&file, b"x").unwrap();
    let err = FeeReportBuilder::new(ReportSettings::default(), &file)
        .err()
        .unwrap();
    assert!(err.to_string().starts_with("cannot write "), "{err}");
    assert!(err.to_string().contains("not-a-dir"), "{err}");
}
