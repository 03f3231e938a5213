//! The chain simulator's `tiny` preset against the real node: every manifest row matches what
//! the node reports, round fees are really round, blocks are full and low payers wait; and the
//! benchmark helper binaries.

use std::collections::{BTreeMap, HashSet};

use assert_cmd::Command;
use btcaddr_tests::node::{call_raw, Node, NodeBuilder};
use btcaddr_tests::sim::{
    cached_chain, is_round_fee, read_manifest, run, write_manifest, FeeChoice, FeeClass,
    ManifestRow, Preset, SimConfig, SimOutcome,
};
use serde_json::{json, Value};

fn start_node(config: &SimConfig) -> Node {
    NodeBuilder::new()
        .args(config.node_args())
        .start()
        .unwrap_or_else(|e| panic!("cannot start the regtest node: {e}"))
}

fn simulate(node: &Node, config: &SimConfig) -> SimOutcome {
    run(node, config, &mut |line| eprintln!("{line}")).unwrap_or_else(|e| panic!("{e}"))
}

fn rpc(node: &Node, method: &str, params: &[Value]) -> Value {
    let client = node.jsonrpc_client().unwrap();
    call_raw(&client, method, params).unwrap_or_else(|e| panic!("{e}"))
}

fn sat(btc: &Value) -> u64 {
    (btc.as_f64().expect("BTC amount") * 1e8).round() as u64
}

#[test]
fn tiny_manifest_matches_the_node_exactly() {
    let config = Preset::Tiny.config();
    let node = start_node(&config);
    let outcome = simulate(&node, &config);

    // The manifest round-trips through its CSV file.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tiny.csv");
    write_manifest(&path, &outcome.manifest).unwrap();
    assert_eq!(read_manifest(&path).unwrap(), outcome.manifest);

    let mut by_height: BTreeMap<u32, Vec<&ManifestRow>> = BTreeMap::new();
    for row in &outcome.manifest {
        by_height.entry(row.height).or_default().push(row);
    }
    let tip = rpc(&node, "getblockcount", &[]).as_u64().unwrap() as u32;
    assert_eq!(tip, outcome.report.tip_height);
    assert_eq!(
        by_height.keys().copied().collect::<Vec<_>>(),
        (1..=tip).collect::<Vec<_>>(),
        "every block is in the manifest"
    );

    let mut script_types = HashSet::new();
    for (height, rows) in &by_height {
        let hash = rpc(&node, "getblockhash", &[json!(height)]);
        let block = rpc(&node, "getblock", &[hash, json!(2)]);
        let txs = block["tx"].as_array().unwrap();
        assert_eq!(
            txs.len(),
            rows.len(),
            "block {height}: every tx is in the manifest"
        );
        for (position, (tx, row)) in txs.iter().zip(rows).enumerate() {
            assert_eq!(tx["txid"].as_str().unwrap(), row.txid, "block {height}");
            assert_eq!(row.position as usize, position, "{}", row.txid);
            assert_eq!(tx["vsize"].as_u64().unwrap(), row.vsize, "{}", row.txid);
            assert_eq!(tx["weight"].as_u64().unwrap(), row.weight, "{}", row.txid);
            assert_eq!(tx["size"].as_u64().unwrap(), row.size, "{}", row.txid);
            assert_eq!(tx["vin"].as_array().unwrap().len() as u32, row.inputs);
            assert_eq!(tx["vout"].as_array().unwrap().len() as u32, row.outputs);
            if row.fee_class == FeeClass::Coinbase {
                assert_eq!(row.position, 0);
                assert!(tx.get("fee").is_none());
            } else {
                assert_eq!(sat(&tx["fee"]), row.fee_sat, "fee of {}", row.txid);
            }
            for output in tx["vout"].as_array().unwrap() {
                script_types.insert(output["scriptPubKey"]["type"].as_str().unwrap().to_string());
            }
        }
    }
    for kind in [
        "pubkeyhash",
        "scripthash",
        "witness_v0_keyhash",
        "witness_v1_taproot",
    ] {
        assert!(
            script_types.contains(kind),
            "no {kind} outputs: {script_types:?}"
        );
    }
}

#[test]
fn tiny_fee_classes_are_really_round_and_the_market_is_full() {
    let config = Preset::Tiny.config();
    let node = start_node(&config);
    let outcome = simulate(&node, &config);
    let market: Vec<&ManifestRow> = outcome
        .manifest
        .iter()
        .filter(|r| r.height > outcome.report.setup_blocks)
        .filter(|r| r.fee_class != FeeClass::Coinbase)
        .collect();
    assert!(
        market.len() >= 200,
        "a few hundred transactions, got {}",
        market.len()
    );

    let mut counts = BTreeMap::new();
    for row in &market {
        *counts.entry(row.fee_class).or_insert(0) += 1;
        assert!((1..=3).contains(&row.inputs) && (1..=3).contains(&row.outputs));
        let value: f64 = row.class_value.parse().unwrap();
        match row.fee_class {
            FeeClass::RoundFee => {
                assert_eq!(row.fee_sat, value as u64, "{}", row.txid);
                assert!(is_round_fee(row.fee_sat), "{}", row.txid);
            }
            FeeClass::RoundRate => {
                let rate = value as u64;
                assert_eq!(rate % 10, 0);
                assert_eq!(row.fee_sat, rate * row.vsize, "{}", row.txid);
            }
            FeeClass::Continuous => {
                assert!(
                    !is_round_fee(row.fee_sat),
                    "{} accidentally round",
                    row.txid
                );
                assert_ne!(row.fee_sat % row.vsize, 0, "{} integer rate", row.txid);
                let rate = row.fee_sat as f64 / row.vsize as f64;
                assert!(
                    (rate - value).abs() < 1.0,
                    "{}: {rate} vs {value}",
                    row.txid
                );
            }
            other => panic!("{other} in the market phase"),
        }
    }
    for class in [
        FeeClass::RoundFee,
        FeeClass::RoundRate,
        FeeClass::Continuous,
    ] {
        assert!(
            counts.get(&class).copied().unwrap_or(0) >= 20,
            "{class}: {counts:?}"
        );
    }

    // Full blocks: every market block is within a few transactions of its weight limit.
    let capacity = config.capacity_vbytes();
    assert_eq!(outcome.report.market.len(), config.blocks as usize);
    for block in &outcome.report.market {
        assert!(
            block.vsize * 100 >= capacity * 80,
            "block {} only {} of {capacity} vB",
            block.height,
            block.vsize
        );
    }

    // Low payers wait: what is left in the mempool pays less than what got mined.
    let mempool = rpc(&node, "getrawmempool", &[json!(true)]);
    let waiting: Vec<f64> = mempool
        .as_object()
        .unwrap()
        .values()
        .map(|e| sat(&e["fees"]["base"]) as f64 / e["vsize"].as_f64().unwrap())
        .collect();
    assert!(waiting.len() as u64 == outcome.report.mempool_end && waiting.len() > 20);
    let mut mined: Vec<f64> = market
        .iter()
        .map(|r| r.fee_sat as f64 / r.vsize as f64)
        .collect();
    mined.sort_by(f64::total_cmp);
    let mut waiting = waiting;
    waiting.sort_by(f64::total_cmp);
    let median = |v: &[f64]| v[v.len() / 2];
    assert!(
        median(&waiting) < median(&mined),
        "waiting median {} vs mined median {}",
        median(&waiting),
        median(&mined)
    );
}

#[test]
fn fee_choices_are_exact_for_every_vsize() {
    for vsize in 60..2_000 {
        assert_eq!(FeeChoice::RoundRate(20).fee_for(vsize), 20 * vsize);
        assert_eq!(FeeChoice::RoundFee(5_000).fee_for(vsize), 5_000);
        for rate in [1.5, 9.99, 10.0, 33.3, 100.0] {
            let fee = FeeChoice::Continuous(rate).fee_for(vsize);
            assert!(
                !is_round_fee(fee) && !fee.is_multiple_of(vsize),
                "{rate} × {vsize} → {fee}"
            );
        }
    }
}

#[test]
fn a_saved_chain_is_reused_and_starts_on_a_copy() {
    let mut config = Preset::Tiny.config();
    config.name = "test-cache-reuse".into();
    config.blocks = 3;
    let first = cached_chain(&config, true, &mut |_| {}).unwrap_or_else(|e| panic!("{e}"));
    let manifest = first.manifest().unwrap();
    assert!(first.datadir.join("regtest/blocks").is_dir());

    let mut lines = Vec::new();
    let second = cached_chain(&config, false, &mut |l| lines.push(l.to_string())).unwrap();
    assert!(lines.iter().any(|l| l.contains("reusing")), "{lines:?}");
    assert_eq!(second.report.tip_hash, first.report.tip_hash);

    let node = second.start_node().unwrap_or_else(|e| panic!("{e}"));
    assert_ne!(node.datadir(), second.datadir.as_path());
    let tip = rpc(&node, "getbestblockhash", &[]);
    assert_eq!(tip.as_str().unwrap(), first.report.tip_hash);
    let last = manifest.last().unwrap();
    assert_eq!(
        rpc(&node, "getblockcount", &[]).as_u64().unwrap(),
        u64::from(last.height)
    );
    drop(node);
    let _ = std::fs::remove_dir_all(&first.dir);
}

#[test]
fn the_binary_writes_a_manifest_and_rejects_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("m.csv");
    Command::cargo_bin("regtest-sim")
        .unwrap()
        .args(["--preset", "tiny", "--blocks", "2", "--out"])
        .arg(&out)
        .assert()
        .success();
    let rows = read_manifest(&out).unwrap();
    assert!(rows.iter().any(|r| r.fee_class != FeeClass::Coinbase));

    let failure = Command::cargo_bin("regtest-sim")
        .unwrap()
        .args(["--preset", "huge"])
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&failure.get_output().stderr).to_string();
    assert!(stderr.contains("unknown preset 'huge'"), "{stderr}");
}

/// The benchmark's `decode-cost` helper times real decoding of the files it is given and names
/// a bad file instead of panicking.
#[test]
fn decode_cost_times_saved_rest_answers_and_names_a_bad_file() {
    use bitcoin::consensus::serialize;
    let dir = tempfile::tempdir().unwrap();
    let genesis = bitcoin::blockdata::constants::genesis_block(bitcoin::Network::Regtest);
    std::fs::write(dir.path().join("0.block"), serialize(&genesis)).unwrap();
    // The coinbase spends nothing: one transaction, an empty list.
    std::fs::write(dir.path().join("0.spent"), [1u8, 0]).unwrap();
    let ok = Command::cargo_bin("decode-cost")
        .unwrap()
        .arg(dir.path())
        .arg("2")
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&ok.get_output().stdout).to_string();
    assert!(stdout.starts_with("1 blocks, "), "{stdout}");
    for pass in [
        "blocks ",
        "blocks+spent ",
        "blocks+spent+txids ",
        "slices: fees ",
        "slices: fees+txids ",
    ] {
        assert!(
            stdout
                .lines()
                .any(|l| l.starts_with(pass) && l.ends_with(" s")),
            "{pass}: {stdout}"
        );
    }

    std::fs::write(dir.path().join("1.block"), b"not a block").unwrap();
    std::fs::write(dir.path().join("1.spent"), [0u8]).unwrap();
    let bad = Command::cargo_bin("decode-cost")
        .unwrap()
        .arg(dir.path())
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&bad.get_output().stderr).to_string();
    assert!(stderr.contains("1.block"), "{stderr}");
}
