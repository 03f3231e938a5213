use super::*;
use crate::block::TxFee;
use bitcoin::hashes::Hash;
use polars::prelude::{DataFrame, ParquetReader, SerReader};

fn tx(n: u64, fee: u64, vsize: u32) -> TxFee {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&n.to_le_bytes());
    TxFee {
        txid: Some(bitcoin::Txid::from_byte_array(bytes)),
        fee,
        size: vsize,
        vsize,
        weight: 4 * u64::from(vsize),
        payer: crate::payer::PayerType::P2wpkh,
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
        .map(|n| match n.as_str() {
            "txs" => "txs/period=0/part-0.parquet".to_owned(),
            _ => n,
        })
        .collect();
    names.sort();
    assert!(temporaries(&out).is_empty());
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
    let txs = ParquetReader::new(std::fs::File::open(out.join(period_part(0))).unwrap())
        .finish()
        .unwrap();
    assert_eq!(txs.height(), 7);
    assert_eq!(summary.files[0], "txs/period=0/part-0.parquet");
    // Every transaction above spends P2WPKH: one row in the table by payer type.
    assert_eq!(summary.by_payer.len(), 1);
    assert_eq!(summary.by_payer[0].transactions, 7);
    assert!(md.contains("## Who pays round fees"), "{md}");
    assert!(md.contains("| p2wpkh | 7 | 28.6% |"), "{md}");
    assert!(html.contains("id=\"payer-table\""));
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
    assert!(!summary
        .files
        .iter()
        .any(|f| f.starts_with(files::TXS_DATASET)));
    assert!(!dir.path().join(files::TXS_DATASET).exists());
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

fn read_rows(path: &std::path::Path) -> DataFrame {
    ParquetReader::new(std::fs::File::open(path).unwrap())
        .finish()
        .unwrap()
}

fn per_tx() -> ReportSettings {
    ReportSettings {
        per_tx: true,
        ..ReportSettings::default()
    }
}

/// Names in `dir` (recursively) that are not part of the dataset or the report's files.
fn temporaries(dir: &std::path::Path) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_dir() {
            found.extend(temporaries(&entry.path()));
        } else if name.starts_with('.') || name.contains(".tmp") {
            found.push(name);
        }
    }
    found
}

#[test]
fn dataset_has_one_part_per_retarget_period() {
    let dir = tempfile::tempdir().unwrap();
    let mut report = FeeReportBuilder::new(per_tx(), dir.path()).unwrap();
    // Heights 2014–2017: two in period 0, two in period 1 (one with only its coinbase).
    let blocks = [
        block(2014, vec![tx(1, 1000, 100), tx(2, 555, 100)]),
        block(2015, vec![tx(3, 2000, 100)]),
        block(2016, vec![]),
        block(2017, vec![tx(4, 3000, 150)]),
    ];
    for b in &blocks {
        report.push(b).unwrap();
    }
    let summary = report
        .finish(&ReportContext::new("regtest", "rest", 2014, 2017))
        .unwrap();
    assert_eq!(
        summary.files[..2],
        ["txs/period=0/part-0.parquet", "txs/period=1/part-0.parquet"]
    );
    let zero = read_rows(&dir.path().join(period_part(0)));
    let one = read_rows(&dir.path().join(period_part(1)));
    assert_eq!((zero.height(), one.height()), (3, 1));
    // The partition column comes from the folder name, not the file.
    assert_eq!(zero.get_column_names(), frames::TX_COLUMNS);
    let heights = one.column("height").unwrap().u32().unwrap().get(0);
    assert_eq!(heights, Some(2017));
    assert!(temporaries(dir.path()).is_empty());
}

#[test]
fn dataset_drops_what_an_earlier_range_left() {
    let dir = tempfile::tempdir().unwrap();
    let mut first = FeeReportBuilder::new(per_tx(), dir.path()).unwrap();
    first.push(&block(4040, vec![tx(1, 1000, 100)])).unwrap();
    first
        .finish(&ReportContext::new("regtest", "rest", 4040, 4040))
        .unwrap();
    assert!(dir.path().join(period_part(2)).exists());
    std::fs::write(dir.path().join("txs.parquet"), b"schema version 1").unwrap();
    let mut second = FeeReportBuilder::new(per_tx(), dir.path()).unwrap();
    second.push(&block(100, vec![tx(1, 1000, 100)])).unwrap();
    second
        .finish(&ReportContext::new("regtest", "rest", 100, 100))
        .unwrap();
    assert!(dir.path().join(period_part(0)).exists());
    assert!(!dir.path().join("txs/period=2").exists());
    assert!(!dir.path().join("txs.parquet").exists());
}

#[test]
fn abandoned_report_keeps_finished_periods_only() {
    let dir = tempfile::tempdir().unwrap();
    // An earlier run's part of a period this run will not reach stays untouched.
    let earlier = dir.path().join(period_part(5));
    std::fs::create_dir_all(earlier.parent().unwrap()).unwrap();
    std::fs::write(&earlier, b"earlier").unwrap();
    let mut report = FeeReportBuilder::new(per_tx(), dir.path()).unwrap();
    report.push(&block(2015, vec![tx(1, 1000, 100)])).unwrap();
    report.push(&block(2016, vec![tx(2, 1000, 100)])).unwrap();
    drop(report);
    // Period 0 ended when block 2016 arrived: committed. Period 1 was open: nothing of it.
    assert_eq!(read_rows(&dir.path().join(period_part(0))).height(), 1);
    assert!(!dir.path().join("txs/period=1").exists());
    assert_eq!(std::fs::read(&earlier).unwrap(), b"earlier");
    assert!(temporaries(dir.path()).is_empty());
}

#[test]
fn payer_table_counts_each_type() {
    use crate::payer::PayerType;
    let typed = |n, fee, payer| TxFee {
        payer,
        ..tx(n, fee, 100)
    };
    let dir = tempfile::tempdir().unwrap();
    let mut report = FeeReportBuilder::new(ReportSettings::default(), dir.path()).unwrap();
    report
        .push(&block(
            100,
            vec![
                typed(1, 1000, PayerType::P2pkh),
                typed(2, 1234, PayerType::P2pkh),
                typed(3, 5000, PayerType::P2shP2wpkh),
                typed(4, 2000, PayerType::P2pkh),
                typed(5, 1500, PayerType::Mixed),
            ],
        ))
        .unwrap();
    let summary = report
        .finish(&ReportContext::new("regtest", "rest", 100, 100))
        .unwrap();
    let rows: Vec<(PayerType, u64, u64)> = summary
        .by_payer
        .iter()
        .map(|r| (r.payer, r.transactions, r.round_fee_transactions))
        .collect();
    assert_eq!(
        rows,
        [
            (PayerType::P2pkh, 3, 2),
            (PayerType::P2shP2wpkh, 1, 1),
            (PayerType::Mixed, 1, 0)
        ]
    );
    let p2pkh = &summary.by_payer[0];
    // Rates 10, 12.34 and 20 sat/vB; the block's rate to get in is the second lowest, 12.34.
    assert!((p2pkh.mean_fee_rate.unwrap() - 42.34 / 3.0).abs() < 1e-9);
    let over = (10.0 - 12.34) + 0.0 + (20.0 - 12.34);
    assert!((p2pkh.mean_rate_over_get_in.unwrap() - over / 3.0).abs() < 1e-9);
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("summary.json")).unwrap()).unwrap();
    assert_eq!(json["by_payer"][1]["payer"], "p2sh-p2wpkh");
}
