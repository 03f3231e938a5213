//! Starts the node on a copy of the tiny chain, opens its block index while the node holds
//! the LOCK, and checks the undo-derived values and payer types against the node's own
//! `/rest/spenttxouts/<hash>.bin`.

use super::common;

use std::path::Path;

use bitcoin::consensus::Decodable;
use bitcoin::{Block, Network, TxOut};
use bitcoincore_rpc::RpcApi;
use btcaddr::ScriptType;
use btcaddr_analytics::decode::SpentValues;
use btcaddr_analytics::payer::PayerFold;
use btcaddr_analytics::source::files::NodeFiles;

/// The REST binary format: CompactSize tx count, then per tx a CompactSize count and that
/// many serialized CTxOut (the coinbase's list is empty).
fn parse_spent_txouts(mut bytes: &[u8]) -> Vec<Vec<TxOut>> {
    let r = &mut bytes;
    let count = bitcoin::VarInt::consensus_decode(r).unwrap().0;
    let mut txs = Vec::new();
    for _ in 0..count {
        let n = bitcoin::VarInt::consensus_decode(r).unwrap().0;
        txs.push(
            (0..n)
                .map(|_| TxOut::consensus_decode(r).unwrap())
                .collect(),
        );
    }
    assert!(r.is_empty(), "bytes left over in the REST response");
    txs
}

fn listing(dir: &Path) -> Vec<(String, u64)> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().to_string(),
                e.metadata().unwrap().len(),
            )
        })
        .collect();
    v.sort();
    v
}

/// Whether some process holds a POSIX lock on `path` (LevelDB's `fcntl` lock), per
/// `/proc/locks` (`... POSIX ADVISORY WRITE <pid> <maj>:<min>:<inode> ...`).
fn lock_held(path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let inode = std::fs::metadata(path).unwrap().ino();
    let locks = std::fs::read_to_string("/proc/locks").unwrap();
    locks.lines().any(|line| {
        line.split_whitespace()
            .nth(5)
            .and_then(|dev| dev.rsplit(':').next())
            .is_some_and(|ino| ino == inode.to_string())
    })
}

#[test]
fn undo_values_equal_the_nodes_spenttxouts() {
    let chain = common::tiny_chain();
    let mut node = chain
        .start_node()
        .expect("start the node on the tiny chain");
    let blocks = node.network_datadir().join("blocks");
    let client = node.client();
    let tip = client.get_block_count().unwrap() as u32;

    // The node holds the index's LOCK now; the snapshot opens regardless, and leaves the
    // node's index directory as it was.
    assert!(
        lock_held(&blocks.join("index/LOCK")),
        "bitcoind holds no lock on index/LOCK"
    );
    let before = listing(&blocks.join("index"));
    let files = NodeFiles::open(&blocks, Network::Regtest).unwrap();
    assert_eq!(listing(&blocks.join("index")), before);
    assert_eq!(files.tip_height(), tip);
    for h in [0, 1, tip / 2, tip] {
        assert_eq!(
            client.get_block_hash(h.into()).unwrap(),
            files.entry(h).unwrap().hash
        );
    }

    let (mut block_buf, mut undo_buf) = (Vec::new(), Vec::new());
    let heights: Vec<u32> = (tip - 11..=tip).chain([1, tip / 2]).collect();
    let mut inputs_checked = 0;
    let rest_source = btcaddr_analytics::source::RestSource::new(
        &node.rpc_url(),
        std::time::Duration::from_secs(30),
    );
    for height in heights {
        let hash = files.entry(height).unwrap().hash;
        let mut body = Vec::new();
        let len = rest_source
            .get_into(
                &format!("/rest/spenttxouts/{hash}.bin"),
                height,
                &hash,
                &mut body,
            )
            .unwrap();
        let rest = parse_spent_txouts(&body[..len]);
        let block: Block =
            bitcoin::consensus::deserialize(files.block(height, &mut block_buf).unwrap()).unwrap();
        assert_eq!(rest.len(), block.txdata.len(), "height {height}");
        assert!(rest[0].is_empty());
        let mut spent = files.spent_values(height, &mut undo_buf).unwrap();
        spent.begin(block.txdata.len()).unwrap();
        spent.coinbase().unwrap();
        for (i, tx) in block.txdata.iter().enumerate().skip(1) {
            let mut payer = PayerFold::default();
            payer.begin_tx();
            let value = spent.spent(i, tx.input.len(), &mut payer).unwrap();
            let expected: u64 = rest[i].iter().map(|o| o.value.to_sat()).sum();
            assert_eq!(value, expected, "height {height} tx {i}");
            // The same fold over the node's scripts (no scriptSigs on either side).
            let mut theirs = PayerFold::default();
            theirs.begin_tx();
            for out in &rest[i] {
                theirs.input(ScriptType::of(&out.script_pubkey));
            }
            assert_eq!(payer.inputs(), tx.input.len(), "height {height} tx {i}");
            assert_eq!(
                payer.finish_tx(),
                theirs.finish_tx(),
                "height {height} tx {i}"
            );
            inputs_checked += rest[i].len();
        }
        spent.finish().unwrap();
    }
    assert!(inputs_checked > 100, "{inputs_checked}");
    drop(files);
    node.stop().expect("stop the node");
    assert!(!lock_held(&blocks.join("index/LOCK")));
}
