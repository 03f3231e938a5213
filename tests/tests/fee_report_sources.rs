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
            "txs.parquet",
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
