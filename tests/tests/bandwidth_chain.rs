//! `fee-report bandwidth` against the simulator's `tiny` chain on a real node: the chain's bytes
//! per day and mean block size by month, recomputed here from the node's own `getblock` answers,
//! and the report files. Needs the node: `scripts/install-node.sh`.

#[path = "support/fee_report.rs"]
mod support;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use bitcoincore_rpc::RpcApi;
use btcaddr_tests::sim::{cached_chain, Preset};
use serde_json::Value;
use support::fee_report_subcommand;

fn tiny_node() -> btcaddr_tests::node::Node {
    let chain = cached_chain(&Preset::Tiny.config(), false, &mut |line| {
        eprintln!("sim: {line}")
    })
    .unwrap_or_else(|e| {
        panic!("cannot make the tiny chain (scripts/install-node.sh installs the node): {e}")
    });
    chain
        .start_node()
        .expect("cannot start the node on the tiny chain (scripts/install-node.sh)")
}

fn bandwidth(node: &btcaddr_tests::node::Node, out: &Path) -> Command {
    fee_report_subcommand(&["bandwidth"], node, out)
}

fn run_ok(cmd: &mut Command) -> String {
    let output = cmd.output().expect("cannot run fee-report");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(
        output.status.success(),
        "fee-report bandwidth failed: {stderr}"
    );
    stderr
}

fn month(time: u64) -> String {
    btcaddr_analytics::bandwidth::CalendarDate::from_unix(time as i64).month_label()
}

#[test]
fn chain_growth_matches_the_node() {
    let node = tiny_node();
    let client = node.client();
    let tip = client.get_block_count().unwrap() as u32;
    assert!(tip > 40, "the tiny chain is too short: {tip}");
    let every = 10u32;
    let out = tempfile::tempdir().unwrap();
    run_ok(
        bandwidth(&node, out.path())
            .args(["--from", "1", "--to"])
            .arg(tip.to_string())
            .args(["--every", &every.to_string()]),
    );

    // The same samples, straight from the node.
    let mut heights: Vec<u32> = (1..=tip).step_by(every as usize).collect();
    if heights.last() != Some(&tip) {
        heights.push(tip);
    }
    let samples: Vec<(u32, u64, u64)> = heights
        .iter()
        .map(|&h| {
            let info = client
                .get_block_info(&client.get_block_hash(h.into()).unwrap())
                .unwrap();
            (h, info.time as u64, info.size as u64)
        })
        .collect();
    // By month of the interval's first sample: bytes = blocks × first sample's size.
    let mut by_month: BTreeMap<String, (f64, f64, usize, f64)> = BTreeMap::new();
    for s in &samples {
        let m = by_month.entry(month(s.1)).or_default();
        m.2 += 1;
        m.3 += s.2 as f64;
    }
    for w in samples.windows(2) {
        let m = by_month.get_mut(&month(w[0].1)).unwrap();
        m.0 += f64::from(w[1].0 - w[0].0) * w[0].2 as f64;
        m.1 += w[1].1 as f64 - w[0].1 as f64;
    }

    let json: Value =
        serde_json::from_slice(&std::fs::read(out.path().join("bandwidth.json")).unwrap()).unwrap();
    let chain = &json["chain"];
    assert_eq!(chain["first_height"], 1);
    assert_eq!(chain["last_height"], tip);
    assert_eq!(chain["samples"], samples.len());
    let months = chain["months"].as_array().unwrap();
    assert_eq!(months.len(), by_month.len());
    for (row, (label, (bytes, seconds, n, size_sum))) in months.iter().zip(&by_month) {
        assert_eq!(row["month"], label.as_str());
        assert_eq!(row["samples"], *n);
        let mean_size = row["mean_block_size"].as_f64().unwrap();
        assert!(
            (mean_size - size_sum / *n as f64).abs() < 1e-6,
            "{label}: {mean_size}"
        );
        let expected = (*seconds > 0.0).then(|| bytes / seconds * 86_400.0);
        match (row["bytes_per_day"].as_f64(), expected) {
            (Some(got), Some(want)) => {
                assert!((got - want).abs() / want < 1e-9, "{label}: {got} vs {want}")
            }
            (got, want) => assert_eq!(got, want, "{label}"),
        }
    }
    // The simulator's chain spans hours, not years: measured daily rates, no annual extrapolation.
    let span_days = chain["span_days"].as_f64().unwrap();
    let expected_span = (samples.last().unwrap().1 - samples[0].1) as f64 / 86_400.0;
    assert!((span_days - expected_span).abs() < 1e-9);
    assert!(span_days < 30.0, "tiny chain spans {span_days} days");
    assert!(chain["bytes_per_day"]["annual_rate"].is_null());
    // Full fee-market blocks come after small set-up blocks: block size grows.
    assert!(chain["block_size"]["daily_rate"].as_f64().unwrap() > 0.0);
    let md = std::fs::read_to_string(out.path().join("bandwidth.md")).unwrap();
    assert!(md.contains("not annualised"), "{md}");
    assert!(md.contains("## The chain"));
    for stem in ["bandwidth_levels", "bandwidth_rates", "bandwidth_vs_chain"] {
        let png = std::fs::read(out.path().join(format!("{stem}.png"))).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{stem}.png");
        let svg = std::fs::read_to_string(out.path().join(format!("{stem}.svg"))).unwrap();
        assert!(svg.starts_with("<svg"), "{stem}.svg");
    }

    // A re-run reuses every sample from the cache and gives the same numbers.
    run_ok(
        bandwidth(&node, out.path())
            .args(["--from", "1", "--to"])
            .arg(tip.to_string())
            .args(["--every", &every.to_string()]),
    );
    let again: Value =
        serde_json::from_slice(&std::fs::read(out.path().join("bandwidth.json")).unwrap()).unwrap();
    assert_eq!(again["chain"], json["chain"]);
}

#[test]
fn bandwidth_joins_a_fee_report_in_the_same_folder() {
    let node = tiny_node();
    let tip = node.client().get_block_count().unwrap() as u32;
    let out = tempfile::tempdir().unwrap();
    let from = tip - 5;
    let output = support::fee_report(&node, out.path())
        .args(["--from", &from.to_string(), "--to", &tip.to_string()])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "fee-report: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    run_ok(&mut bandwidth(&node, out.path()));
    let html = std::fs::read_to_string(out.path().join("report.html")).unwrap();
    assert!(html.contains("id=\"section-fees\""));
    assert!(
        html.contains("id=\"section-bandwidth\""),
        "no bandwidth section in report.html"
    );
    assert!(html.contains("Akamai global average"));
}

#[test]
fn range_beyond_tip_is_a_usage_error() {
    let node = tiny_node();
    let out = tempfile::tempdir().unwrap();
    let output = bandwidth(&node, out.path())
        .args(["--from", "1", "--to", "999999"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("beyond the node's tip"), "{stderr}");
}
