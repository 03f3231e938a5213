//! Shared by the files-source tests: the simulator's tiny chain and its manifest.

use std::path::{Path, PathBuf};

use btcaddr_tests::sim::{cached_chain, CachedChain, Preset};

/// The simulator's tiny chain (made and cached on first use; never written to here).
pub fn tiny_chain() -> CachedChain {
    cached_chain(&Preset::Tiny.config(), false, &mut |line| {
        eprintln!("sim: {line}")
    })
    .unwrap_or_else(|e| {
        panic!("cannot make the tiny chain (scripts/install-node.sh installs the node): {e}")
    })
}

/// The tiny chain's blocks directory (read-only: copy it before changing anything).
pub fn tiny_blocks_dir() -> PathBuf {
    tiny_chain().datadir.join("regtest/blocks")
}

/// One row of the simulator's manifest.
#[derive(Debug)]
pub struct ManifestTx {
    pub height: u32,
    pub position: usize,
    pub txid: String,
    pub fee: u64,
    pub inputs: usize,
    pub outputs: usize,
}

/// The tiny chain's manifest: every transaction the simulator made, with its fee.
pub fn manifest() -> Vec<ManifestTx> {
    tiny_chain()
        .manifest()
        .expect("the tiny chain's manifest")
        .into_iter()
        .map(|r| ManifestTx {
            height: r.height,
            position: r.position as usize,
            txid: r.txid,
            fee: r.fee_sat,
            inputs: r.inputs as usize,
            outputs: r.outputs as usize,
        })
        .collect()
}

/// Copies a directory tree (regular files only).
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
