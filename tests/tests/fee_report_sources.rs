//! The two block sources against the simulator's `tiny` chain on a real node: REST and RPC give
//! identical [`BlockFees`] for every block, and every transaction's fee, size, vsize and weight
//! agree with the simulator's ground-truth manifest. Needs the node: `scripts/install-node.sh`.

#[path = "support/fee_report.rs"]
mod support;

use std::collections::HashMap;

use bitcoincore_rpc::RpcApi;
use btcaddr_analytics::block::BlockFees;
use btcaddr_analytics::source::{BlockSource, RestSource, RpcSource};
use btcaddr_tests::sim::{cached_chain, Preset};
use support::{fee_report, node_config};

fn tiny_node() -> (
    btcaddr_tests::node::Node,
    Vec<btcaddr_tests::sim::ManifestRow>,
) {
    let chain = cached_chain(&Preset::Tiny.config(), false, &mut |line| {
        eprintln!("sim: {line}")
    })
    .unwrap_or_else(|e| {
        panic!("cannot make the tiny chain (scripts/install-node.sh installs the node): {e}")
    });
    let node = chain
        .start_node()
        .expect("cannot start the node on the tiny chain");
    // The manifest lists coinbases too (position 0); blocks' `txs` hold the others.
    let rows = chain.manifest().expect("manifest");
    (node, rows.into_iter().filter(|r| r.position > 0).collect())
}

#[test]
fn rest_and_rpc_agree_on_every_block_and_with_the_manifest() {
    let (node, manifest) = tiny_node();
    let config = node_config(&node);
    let rest = RestSource::new(&config.rest_url, config.timeout);
    let rpc = RpcSource::new(&config);
    let client = node.client();
    let tip = client.get_block_count().unwrap() as u32;
    let mut blocks: HashMap<u32, BlockFees> = HashMap::new();
    for height in 0..=tip {
        let hash = client.get_block_hash(height.into()).unwrap();
        let via_rest = rest
            .fetch(height, &hash)
            .unwrap_or_else(|e| panic!("REST {height}: {e}"));
        let via_rpc = rpc
            .fetch(height, &hash)
            .unwrap_or_else(|e| panic!("RPC {height}: {e}"));
        assert_eq!(via_rest, via_rpc, "height {height}");
        assert_eq!(via_rest.txs.len() + 1, via_rest.tx_count as usize);
        blocks.insert(height, via_rest);
    }
    assert!(!manifest.is_empty(), "empty manifest");
    let mut per_height: HashMap<u32, usize> = HashMap::new();
    for row in &manifest {
        *per_height.entry(row.height).or_default() += 1;
        let block = &blocks[&row.height];
        // Find by txid, then check the position (0 is the coinbase).
        let (index, tx) = block
            .txs
            .iter()
            .enumerate()
            .find(|(_, t)| t.txid.is_some_and(|id| id.to_string() == row.txid))
            .unwrap_or_else(|| panic!("{} not in block {}", row.txid, row.height));
        assert!(
            row.position as usize == index + 1 || row.position as usize == index,
            "{row:?}"
        );
        assert_eq!(tx.fee, row.fee_sat, "fee of {}", row.txid);
        assert_eq!(u64::from(tx.vsize), row.vsize, "vsize of {}", row.txid);
        assert_eq!(u64::from(tx.size), row.size, "size of {}", row.txid);
        assert_eq!(tx.weight, row.weight, "weight of {}", row.txid);
    }
    for (height, count) in per_height {
        assert_eq!(
            blocks[&height].txs.len(),
            count,
            "transactions in block {height} vs manifest"
        );
    }
}

#[test]
fn fee_report_via_rest_and_via_rpc_write_the_same_block_table() {
    let (node, manifest) = tiny_node();
    let from = manifest.iter().map(|r| r.height).min().unwrap();
    let to = manifest.iter().map(|r| r.height).max().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut csv = Vec::new();
    for source in ["rest", "rpc"] {
        let out = dir.path().join(source);
        let result = fee_report(&node, &out)
            .args([
                "--from".to_string(),
                from.to_string(),
                "--to".into(),
                to.to_string(),
            ])
            .arg("--per-tx")
            .args(["--source", source])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&result.stderr);
        assert!(result.status.success(), "{source}: {err}");
        assert!(
            err.contains(&format!("fetched via {}", source.to_uppercase())),
            "{err}"
        );
        for file in [
            "summary.json",
            "summary.md",
            "blocks.parquet",
            "txs/period=0/part-0.parquet",
            "report.html",
        ] {
            assert!(out.join(file).is_file(), "{source}: no {file}");
        }
        let summary: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
        assert_eq!(
            summary["table"]["transactions"].as_u64(),
            Some(manifest.len() as u64),
            "{source}: transactions in summary.json vs the manifest"
        );
        csv.push(std::fs::read(out.join("blocks.csv")).unwrap());
    }
    assert!(csv[0] == csv[1], "blocks.csv differs between REST and RPC");
}

/// The payer type the node's own `getblock <hash> 3` implies for a transaction: its prevouts'
/// `scriptPubKey.type`, P2SH refined by the scriptSig (a pushed v0 program is nested segwit).
fn node_payer(tx: &serde_json::Value) -> String {
    let mut found: Option<String> = None;
    for input in tx["vin"].as_array().expect("vin") {
        let kind = input["prevout"]["scriptPubKey"]["type"]
            .as_str()
            .expect("verbosity 3 prevout type");
        let script_sig = input["scriptSig"]["hex"].as_str().unwrap_or("");
        let this = match kind {
            "pubkey" => "p2pk",
            "pubkeyhash" => "p2pkh",
            "scripthash" if script_sig.len() == 46 && script_sig.starts_with("160014") => {
                "p2sh-p2wpkh"
            }
            "scripthash" if script_sig.len() == 70 && script_sig.starts_with("220020") => {
                "p2sh-p2wsh"
            }
            "scripthash" => "p2sh",
            "witness_v0_keyhash" => "p2wpkh",
            "witness_v0_scripthash" => "p2wsh",
            "witness_v1_taproot" => "p2tr",
            "anchor" => "p2a",
            "multisig" => "multisig",
            "witness_unknown" => "witness_unknown",
            _ => "nonstandard",
        };
        found = match found {
            None => Some(this.to_owned()),
            Some(t) if t == this => Some(t),
            Some(_) => Some("mixed".to_owned()),
        };
    }
    found.expect("a transaction with inputs")
}

#[test]
fn payer_types_match_the_nodes_own_script_types() {
    let (node, manifest) = tiny_node();
    let config = node_config(&node);
    let rest = RestSource::new(&config.rest_url, config.timeout);
    let client = node.client();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut heights: Vec<u32> = manifest.iter().map(|r| r.height).collect();
    heights.dedup();
    for height in heights {
        let hash = client.get_block_hash(height.into()).unwrap();
        let ours = rest.fetch(height, &hash).unwrap();
        let theirs: serde_json::Value = client
            .call("getblock", &[hash.to_string().into(), 3.into()])
            .unwrap();
        let txs = theirs["tx"].as_array().unwrap();
        assert_eq!(txs.len(), ours.txs.len() + 1, "height {height}");
        for (tx, node_tx) in ours.txs.iter().zip(&txs[1..]) {
            let expected = node_payer(node_tx);
            assert_eq!(
                tx.payer.name(),
                expected,
                "height {height} {}",
                node_tx["txid"]
            );
            *seen.entry(expected).or_default() += 1;
        }
    }
    // The simulator pays from P2PKH, nested P2WPKH, P2WPKH and P2TR coins, and mixes them.
    for kind in ["p2pkh", "p2sh-p2wpkh", "p2wpkh", "p2tr"] {
        assert!(
            seen.get(kind).is_some_and(|&n| n > 0),
            "no {kind} payer in {seen:?}"
        );
    }
}

/// Every file of a report, for comparing two runs: name → bytes, with the one difference two
/// sources may make (the source's name) taken out.
fn report_files(dir: &std::path::Path, source: &str) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let path = entry.path();
            let name = path
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if name.starts_with(".cache") {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let mut bytes = std::fs::read(&path).unwrap();
            if name.ends_with(".json") || name.ends_with(".md") || name.ends_with(".html") {
                let text = String::from_utf8(bytes).unwrap();
                bytes = text
                    .replace(&format!("\"source\": \"{source}\""), "\"source\": \"-\"")
                    .replace(&format!("source {source},"), "source -,")
                    .into_bytes();
            }
            files.push((name, bytes));
        }
    }
    files.sort();
    files
}

/// Runs fee-report over `from..=to` via REST (node running), via files with the node running,
/// then via files with the node stopped, and checks the last writes exactly what REST wrote;
/// returns the files run's summary.json.
fn files_equal_rest(mut node: btcaddr_tests::node::Node, from: u32, to: u32) -> serde_json::Value {
    let range = [
        "--from".to_string(),
        from.to_string(),
        "--to".into(),
        to.to_string(),
    ];
    let dir = tempfile::tempdir().unwrap();
    let run = |node: &btcaddr_tests::node::Node, source: &str| {
        let out = dir.path().join(source);
        let result = fee_report(node, &out)
            .args(&range)
            .args(["--per-tx", "--btc-usd", "665", "--source", source])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&result.stderr).into_owned();
        assert!(result.status.success(), "{source}: {err}");
        (out, err)
    };
    let (rest_out, _) = run(&node, "rest");
    // With the node up, the files run cross-checks the index against it, quietly.
    let (_, err) = run(&node, "files");
    assert!(err.contains("fetched via files"), "{err}");
    assert!(!err.contains("no node answers"), "{err}");
    node.stop().expect("stop the node");
    std::fs::remove_dir_all(dir.path().join("files")).unwrap();
    let (files_out, err) = run(&node, "files");
    assert!(err.contains("no node answers"), "{err}");
    assert!(
        err.contains(&format!("{} fetched via files", to - from + 1)),
        "{err}"
    );

    let rest = report_files(&rest_out, "rest");
    let files = report_files(&files_out, "files");
    let names = |list: &[(String, Vec<u8>)]| list.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(&rest), names(&files));
    assert!(names(&rest).iter().any(|n| n.starts_with("txs/period=")));
    for ((name, a), (_, b)) in rest.iter().zip(&files) {
        assert!(
            a == b,
            "{name} differs between --source rest and --source files"
        );
    }
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(files_out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["source"], "files");
    summary
}

#[test]
fn files_source_with_the_node_stopped_writes_what_rest_writes() {
    let (node, manifest) = tiny_node();
    let from = manifest.iter().map(|r| r.height).min().unwrap();
    let to = manifest.iter().map(|r| r.height).max().unwrap();
    let summary = files_equal_rest(node, from, to);
    assert_eq!(
        summary["table"]["transactions"].as_u64(),
        Some(manifest.len() as u64)
    );
}

#[test]
fn files_source_equals_rest_on_the_wallet_chain() {
    // The other test chain: a wallet's own transactions (and the coinbases' whole history).
    let node = support::node_on_chain(&[]);
    let summary = files_equal_rest(node, 1, support::tip());
    assert!(
        summary["table"]["transactions"].as_u64() > Some(100),
        "{summary}"
    );
}

#[test]
fn files_source_errors_name_what_and_where() {
    let (mut node, _) = tiny_node();
    let client = node.client();
    let tip = client.get_block_count().unwrap() as u32;
    node.stop().expect("stop the node");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    // Past the index's tip: a usage error naming the tip.
    let past = fee_report(&node, &out)
        .args(["--source", "files", "--from", "1", "--to"])
        .arg((tip + 5).to_string())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&past.stderr);
    assert_eq!(past.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!("beyond the node's tip ({tip})")),
        "{err}"
    );
    // A damaged undo record: exit 1, one line naming the file, the offset and the height.
    let blocks = node.network_datadir().join("blocks");
    let files =
        btcaddr_analytics::source::files::NodeFiles::open(&blocks, bitcoin::Network::Regtest)
            .expect("open the node's files");
    let entry = files.entry(tip).unwrap().clone();
    drop(files);
    let rev = blocks.join(format!("rev{:05}.dat", entry.file.unwrap()));
    let mut bytes = std::fs::read(&rev).unwrap();
    // A byte inside the tip's undo record (files are preallocated: the end is padding).
    bytes[entry.undo_pos.unwrap() as usize + 3] ^= 0x55;
    std::fs::write(&rev, &bytes).unwrap();
    let bad = fee_report(&node, &out)
        .args(["--source", "files", "--from"])
        .arg(tip.to_string())
        .arg("--to")
        .arg(tip.to_string())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&bad.stderr);
    assert_eq!(bad.status.code(), Some(1), "{err}");
    let errors: Vec<&str> = err.lines().filter(|l| l.contains("error")).collect();
    assert_eq!(errors.len(), 1, "{err}");
    assert!(errors[0].contains(&rev.display().to_string()), "{err}");
    assert!(errors[0].contains(&format!("height {tip}")), "{err}");
    assert!(errors[0].contains("offset"), "{err}");
    assert!(errors[0].contains("checksum mismatch"), "{err}");
    // A missing blocks folder.
    let none = fee_report(&node, &out)
        .args(["--source", "files", "--last", "1", "--blocksdir"])
        .arg(dir.path().join("nowhere"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&none.stderr);
    assert_eq!(none.status.code(), Some(1), "{err}");
    assert!(err.contains("nowhere"), "{err}");
}
