//! The fee metrics agree with the real node and with the simulator's ground truth.
//!
//! On the simulator's `tiny` chain (a 2016-style fee market on regtest, cached under
//! `.cache/chains/tiny`), read through the REST source:
//! - every block's figures equal the node's own `getblockstats` (total, mean and median fee,
//!   min/max/average rate, weight-weighted rate percentiles, tx count, sizes, weights),
//! - every transaction's fee, size, vsize, weight and class equal the manifest's,
//! - the range table's counts and round shares equal the manifest's.
//!
//! Needs the node (`scripts/install-node.sh`); without it the tests fail with that command.

#[path = "support/fee_report.rs"]
mod support;

use bitcoin::BlockHash;
use bitcoincore_rpc::RpcApi;
use btcaddr_analytics::block::BlockFees;
use btcaddr_analytics::metrics::{BlockMetrics, FeeClass, FeeSettings};
use btcaddr_analytics::report::{FeeReportBuilder, FeeSummary, ReportContext, ReportSettings};
use btcaddr_analytics::source::{BlockSource, RestSource, RpcSource};
use btcaddr_tests::node::Node;
use btcaddr_tests::sim::{self, cached_chain, ManifestRow, Preset};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::time::Duration;
use support::node_config;

/// The tiny chain on a fresh node, its manifest, and every block 1..=tip read by REST.
struct Fixture {
    node: Node,
    manifest: Vec<ManifestRow>,
    blocks: Vec<BlockFees>,
}

fn fixture() -> Fixture {
    let chain = cached_chain(&Preset::Tiny.config(), false, &mut |line| {
        eprintln!("{line}")
    })
    .unwrap_or_else(|e| {
        panic!("cannot make the tiny chain (node installed? run scripts/install-node.sh): {e}")
    });
    let node = chain
        .start_node()
        .unwrap_or_else(|e| panic!("cannot start the regtest node: {e}"));
    let manifest = chain.manifest().expect("read the manifest");
    let rpc = node.client();
    let tip = rpc.get_block_count().expect("getblockcount") as u32;
    let rest = RestSource::new(&node.rpc_url(), Duration::from_secs(60));
    let blocks = (1..=tip)
        .map(|h| {
            let hash = rpc.get_block_hash(u64::from(h)).expect("getblockhash");
            rest.fetch(h, &hash)
                .unwrap_or_else(|e| panic!("REST fetch of block {h}: {e}"))
        })
        .collect();
    Fixture {
        node,
        manifest,
        blocks,
    }
}

fn call(node: &Node, method: &str, args: &[Value]) -> Value {
    node.client()
        .call(method, args)
        .unwrap_or_else(|e| panic!("{method} {args:?}: {e}"))
}

fn u(v: &Value, key: &str) -> u64 {
    v[key]
        .as_u64()
        .unwrap_or_else(|| panic!("{key} missing or not an integer in {v}"))
}

#[test]
fn every_block_matches_getblockstats() {
    let f = fixture();
    let settings = FeeSettings::default();
    let mut with_txs = 0;
    let mut with_spread = 0;
    for block in &f.blocks {
        let m = BlockMetrics::new(block, &settings);
        let h = block.height;
        let stats = call(&f.node, "getblockstats", &[json!(h)]);
        let ctx = format!("block {h}: ours {m:?}\nnode {stats}");
        assert_eq!(stats["blockhash"].as_str(), Some(m.hash.as_str()), "{ctx}");
        assert_eq!(u(&stats, "time"), u64::from(m.time), "{ctx}");
        assert_eq!(u(&stats, "txs"), u64::from(m.tx_count), "{ctx}");
        assert_eq!(u(&stats, "totalfee"), m.fee_total, "{ctx}");
        let avgfee = if m.fee_txs > 0 {
            m.fee_total / u64::from(m.fee_txs)
        } else {
            0
        };
        assert_eq!(u(&stats, "avgfee"), avgfee, "{ctx}");
        if let Some(mean) = m.fee_mean {
            assert_eq!(mean.floor() as u64, avgfee, "{ctx}");
        }
        assert_eq!(u(&stats, "medianfee"), m.fee_median, "{ctx}");
        assert_eq!(u(&stats, "avgfeerate"), m.avg_fee_rate, "{ctx}");
        assert_eq!(u(&stats, "minfeerate"), m.min_fee_rate, "{ctx}");
        assert_eq!(u(&stats, "maxfeerate"), m.max_fee_rate, "{ctx}");
        let pct: Vec<u64> = stats["feerate_percentiles"]
            .as_array()
            .expect("feerate_percentiles")
            .iter()
            .map(|v| v.as_u64().expect("integer percentile"))
            .collect();
        assert_eq!(
            pct,
            vec![m.rate_p10, m.rate_p25, m.rate_p50, m.rate_p75, m.rate_p90],
            "{ctx}"
        );
        assert_eq!(u(&stats, "total_weight"), m.txs_weight, "{ctx}");
        let txs_size: u64 = block.txs.iter().map(|t| u64::from(t.size)).sum();
        assert_eq!(u(&stats, "total_size"), txs_size, "{ctx}");
        let header = call(&f.node, "getblock", &[json!(m.hash), json!(1)]);
        assert_eq!(u(&header, "size"), m.size, "{ctx}");
        assert_eq!(u(&header, "weight"), m.weight, "{ctx}");
        if m.fee_txs > 0 {
            with_txs += 1;
        }
        if m.rate_p10 != m.rate_p90 {
            with_spread += 1;
        }
    }
    // The comparison means something only if blocks carry a real fee market.
    assert!(with_txs >= 20, "only {with_txs} blocks with transactions");
    assert!(
        with_spread >= 10,
        "only {with_spread} blocks with a rate spread"
    );
}

#[test]
fn rpc_source_gives_the_same_blocks_as_rest() {
    let f = fixture();
    let rpc = RpcSource::new(&node_config(&f.node));
    for block in f.blocks.iter().rev().take(25) {
        let hash: BlockHash = block.hash;
        let via_rpc = rpc
            .fetch(block.height, &hash)
            .unwrap_or_else(|e| panic!("RPC fetch of block {}: {e}", block.height));
        assert_eq!(&via_rpc, block, "block {}", block.height);
    }
}

/// The class our rules give to a manifest row, computed with the simulator's own predicates.
fn expected_class(row: &ManifestRow) -> FeeClass {
    if row.fee_sat == 0 {
        FeeClass::Zero
    } else if sim::is_round_fee(row.fee_sat) {
        FeeClass::RoundFee
    } else if sim::is_round_rate(row.fee_sat, row.vsize) {
        FeeClass::RoundRate
    } else {
        FeeClass::Other
    }
}

#[test]
fn every_transaction_matches_the_manifest() {
    let f = fixture();
    let settings = FeeSettings::default();
    let ours: HashMap<String, (u32, _)> = f
        .blocks
        .iter()
        .flat_map(|b| {
            b.txs.iter().map(move |t| {
                (
                    t.txid.expect("fetch computes txids").to_string(),
                    (b.height, *t),
                )
            })
        })
        .collect();
    let rows: Vec<&ManifestRow> = f
        .manifest
        .iter()
        .filter(|r| r.fee_class != sim::FeeClass::Coinbase)
        .collect();
    assert_eq!(
        rows.len(),
        ours.len(),
        "manifest and chain hold different transactions"
    );
    let mut seen = HashMap::new();
    for row in rows {
        let (height, tx) = ours
            .get(&row.txid)
            .unwrap_or_else(|| panic!("manifest tx {} not in the chain", row.txid));
        let ctx = format!("{row:?} vs ours {tx:?} at {height}");
        assert_eq!(*height, row.height, "{ctx}");
        assert_eq!(tx.fee, row.fee_sat, "{ctx}");
        assert_eq!(u64::from(tx.size), row.size, "{ctx}");
        assert_eq!(u64::from(tx.vsize), row.vsize, "{ctx}");
        assert_eq!(tx.weight, row.weight, "{ctx}");
        let class = FeeClass::of(tx.fee, tx.vsize, &settings);
        assert_eq!(class, expected_class(row), "{ctx}");
        // How the simulator chose each fee maps onto our classes; a round rate that is
        // also a multiple of 1000 sat counts as a round fee (never twice).
        match row.fee_class {
            sim::FeeClass::RoundFee => assert_eq!(class, FeeClass::RoundFee, "{ctx}"),
            sim::FeeClass::RoundRate => assert!(
                class == FeeClass::RoundRate
                    || (class == FeeClass::RoundFee && row.fee_sat % 1000 == 0),
                "{ctx}"
            ),
            sim::FeeClass::Continuous => assert_eq!(class, FeeClass::Other, "{ctx}"),
            _ => {}
        }
        *seen.entry(row.fee_class.as_str()).or_insert(0u32) += 1;
    }
    for class in ["round_fee", "round_rate", "continuous"] {
        assert!(
            seen.get(class).copied().unwrap_or(0) >= 10,
            "few {class} txs: {seen:?}"
        );
    }
}

#[test]
fn range_table_matches_the_manifest() {
    let f = fixture();
    let dir = tempfile::tempdir().expect("temp dir");
    let settings = ReportSettings {
        per_tx: true,
        ..ReportSettings::default()
    };
    let mut report = FeeReportBuilder::new(settings, dir.path()).expect("report dir");
    for block in &f.blocks {
        report.push(block).expect("push");
    }
    let first = f.blocks[0].height;
    let last = f.blocks[f.blocks.len() - 1].height;
    let summary = report
        .finish(&ReportContext::new("regtest", "rest", first, last))
        .expect("finish");
    let t = &summary.table;

    let rows: Vec<&ManifestRow> = f
        .manifest
        .iter()
        .filter(|r| r.fee_class != sim::FeeClass::Coinbase)
        .collect();
    let count = |c: FeeClass| rows.iter().filter(|r| expected_class(r) == c).count() as u64;
    assert_eq!(t.blocks, f.blocks.len() as u64);
    assert_eq!(t.transactions, rows.len() as u64);
    assert_eq!(t.round_fee_transactions, count(FeeClass::RoundFee));
    assert_eq!(t.round_rate_transactions, count(FeeClass::RoundRate));
    assert_eq!(t.zero_fee_transactions, count(FeeClass::Zero));
    let n = rows.len() as f64;
    assert_eq!(
        t.round_fee_share,
        Some(count(FeeClass::RoundFee) as f64 / n)
    );
    assert_eq!(
        t.round_rate_share,
        Some(count(FeeClass::RoundRate) as f64 / n)
    );
    assert_eq!(t.total_fee, rows.iter().map(|r| r.fee_sat).sum::<u64>());
    let mean_rate = rows
        .iter()
        .map(|r| r.fee_sat as f64 / r.vsize as f64)
        .sum::<f64>()
        / n;
    let ours = t.mean_fee_rate.expect("mean fee rate");
    assert!(
        (ours - mean_rate).abs() < 1e-9 * mean_rate,
        "{ours} vs {mean_rate}"
    );

    // Rate to get in: per block, second-cheapest manifest rate; blocks with < 2 txs excluded.
    let mut per_block: HashMap<u32, Vec<f64>> = HashMap::new();
    for r in &rows {
        per_block
            .entry(r.height)
            .or_default()
            .push(r.fee_sat as f64 / r.vsize as f64);
    }
    let get_in: Vec<f64> = per_block
        .values_mut()
        .filter(|v| v.len() >= 2)
        .map(|v| {
            v.sort_by(f64::total_cmp);
            v[1]
        })
        .collect();
    let expected = get_in.iter().sum::<f64>() / get_in.len() as f64;
    let ours = t.mean_rate_to_get_in.expect("rate to get in");
    assert!(
        (ours - expected).abs() < 1e-9 * expected,
        "{ours} vs {expected}"
    );
    assert_eq!(
        t.blocks_without_rate_to_get_in,
        f.blocks.len() as u64 - get_in.len() as u64
    );

    // What was written agrees with what was returned.
    let json = std::fs::read(dir.path().join("summary.json")).expect("read summary.json");
    assert_eq!(
        json,
        serde_json::to_vec_pretty(&summary).expect("summary to JSON")
    );
    let parsed: FeeSummary = serde_json::from_slice(&json).expect("summary.json is a FeeSummary");
    assert_eq!(parsed.table.transactions, t.transactions);
    let parts: Vec<&String> = parsed
        .files
        .iter()
        .filter(|f| f.starts_with("txs/period="))
        .collect();
    assert!(!parts.is_empty(), "{:?}", parsed.files);
    for part in parts {
        assert!(dir.path().join(part).is_file(), "{part}");
    }
}
