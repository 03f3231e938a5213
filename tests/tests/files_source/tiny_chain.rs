//! Reads every block and undo record of the simulator's tiny regtest chain from its files
//! and checks them against the blocks themselves and against the simulator's manifest.

use super::common;

use std::collections::HashMap;

use bitcoin::{Block, Network};
use btcaddr_analytics::decode::SpentValues;
use btcaddr_analytics::payer::PayerFold;
use btcaddr_analytics::source::files::NodeFiles;

#[test]
fn active_chain_matches_the_blocks_and_the_manifest() {
    let dir = common::tiny_blocks_dir();
    let manifest = common::manifest();
    let node = NodeFiles::open(&dir, Network::Regtest).unwrap();
    let manifest_tip = manifest.iter().map(|t| t.height).max().unwrap();
    assert_eq!(node.tip_height(), manifest_tip);
    assert_eq!(node.tip_height(), 125);

    let by_tx: HashMap<(u32, usize), &common::ManifestTx> = manifest
        .iter()
        .map(|t| ((t.height, t.position), t))
        .collect();
    let (mut block_buf, mut undo_buf) = (Vec::new(), Vec::new());
    let mut checked_fees = 0;
    let mut prev = None;
    for height in 0..=node.tip_height() {
        let entry = node.entry(height).unwrap().clone();
        assert_eq!(entry.height, height);
        let block: Block =
            bitcoin::consensus::deserialize(node.block(height, &mut block_buf).unwrap()).unwrap();
        assert_eq!(block.block_hash(), entry.hash, "height {height}");
        assert_eq!(block.header, entry.header);
        assert_eq!(block.txdata.len(), entry.tx_count as usize);
        assert!(block.check_merkle_root(), "height {height}");
        if let Some(prev) = prev {
            assert_eq!(block.header.prev_blockhash, prev);
        }
        prev = Some(entry.hash);

        if height > 0 {
            // The checksum is verified inside.
            node.undo(height, &mut undo_buf).unwrap();
        } else {
            assert!(node.undo(0, &mut undo_buf).is_err());
        }
        let mut spent = node.spent_values(height, &mut undo_buf).unwrap();
        spent.begin(block.txdata.len()).unwrap();
        spent.coinbase().unwrap();
        for (i, tx) in block.txdata.iter().enumerate().skip(1) {
            let mut payer = PayerFold::default();
            payer.begin_tx();
            let value = spent.spent(i, tx.input.len(), &mut payer).unwrap();
            assert_eq!(payer.inputs(), tx.input.len());
            let out: u64 = tx.output.iter().map(|o| o.value.to_sat()).sum();
            assert!(
                value >= out,
                "height {height} tx {i}: spends {value} < outputs {out}"
            );
            let row = by_tx
                .get(&(height, i))
                .unwrap_or_else(|| panic!("no manifest row for {height}/{i}"));
            assert_eq!(row.txid, tx.compute_txid().to_string());
            assert_eq!((row.inputs, row.outputs), (tx.input.len(), tx.output.len()));
            assert_eq!(value - out, row.fee, "fee of {}", row.txid);
            checked_fees += 1;
        }
        spent.finish().unwrap();
    }
    let non_coinbase = manifest.iter().filter(|t| t.position > 0).count();
    assert_eq!(checked_fees, non_coinbase);
    assert!(checked_fees > 400, "{checked_fees}");
}

#[test]
fn tip_and_genesis() {
    let node = NodeFiles::open(&common::tiny_blocks_dir(), Network::Regtest).unwrap();
    let genesis = bitcoin::constants::genesis_block(Network::Regtest).block_hash();
    assert_eq!(node.entry(0).unwrap().hash, genesis);
    let tip = node.entry(node.tip_height()).unwrap().clone();
    // The tip is the simulator's last block: its coinbase is the manifest's (block hashes
    // differ between simulations, which stamp blocks with the time they ran).
    let block: Block =
        bitcoin::consensus::deserialize(node.block(tip.height, &mut Vec::new()).unwrap()).unwrap();
    assert_eq!(block.block_hash(), tip.hash);
    let coinbase = common::manifest()
        .into_iter()
        .find(|r| r.height == tip.height && r.position == 0)
        .expect("the tip's coinbase in the manifest");
    assert_eq!(block.txdata[0].compute_txid().to_string(), coinbase.txid);
    // Regtest work is 2 per block: 126 blocks.
    assert_eq!(
        node.chain().tip_work(),
        bitcoin::Work::from_be_bytes({
            let mut w = [0; 32];
            w[31] = 252;
            w
        })
    );
    let err = node.entry(126).unwrap_err().to_string();
    assert_eq!(
        err,
        "height 126 is past the tip of the block index's active chain (height 125)"
    );
    let err = node.block(126, &mut Vec::new()).unwrap_err();
    assert!(matches!(
        err,
        btcaddr_analytics::source::files::FilesError::PastTip {
            height: 126,
            tip: 125
        }
    ));
}

#[test]
fn wrong_network_is_refused() {
    let err = NodeFiles::open(&common::tiny_blocks_dir(), Network::Testnet).unwrap_err();
    assert!(err.to_string().contains("not testnet's genesis"), "{err}");
}

#[test]
fn reads_from_several_threads() {
    let node = NodeFiles::open(&common::tiny_blocks_dir(), Network::Regtest).unwrap();
    let tip = node.tip_height();
    std::thread::scope(|s| {
        for t in 0..4u32 {
            let node = &node;
            s.spawn(move || {
                let (mut b, mut u) = (Vec::new(), Vec::new());
                for h in (1 + t..=tip).step_by(4) {
                    node.block(h, &mut b).unwrap();
                    node.undo(h, &mut u).unwrap();
                }
            });
        }
    });
}
