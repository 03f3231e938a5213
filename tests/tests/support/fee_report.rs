//! Shared by the fee-report tests: the built `fee-report` binary, and a regtest chain with a
//! few hundred blocks and wallet transactions (made once per test process, copied per test).

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use bitcoincore_rpc::RpcApi;
use btcaddr_analytics::node::{Auth, Chain, NodeConfig, RetryPolicy};
use btcaddr_tests::node::{Node, NodeBuilder};
use serde_json::json;

/// Blocks mined before the first transactions (coinbases mature after 100).
pub const MATURE: u64 = 101;
/// Blocks carrying wallet transactions, after `MATURE`.
pub const TX_BLOCKS: u64 = 60;
/// Empty blocks on top (so pruning has blocks deep enough to remove).
pub const EMPTY_ON_TOP: u64 = 400;

/// The `fee-report` binary of this workspace, built once (same profile as the tests).
pub fn fee_report_bin() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let root = btcaddr_tests::node::workspace_root();
        // The same package and target selection as `cargo test --workspace` (scripts/test.sh):
        // the same feature unification, so this finds that run's fee-report fresh instead of
        // building polars a second time with other features (minutes on a CI machine).
        let status = Command::new(cargo)
            .current_dir(&root)
            .args(["build", "-q", "--workspace", "--tests"])
            .status()
            .expect("cannot run cargo to build fee-report");
        assert!(status.success(), "cargo build --workspace --tests failed");
        // target/<profile>/deps/<this test> → target/<profile>/fee-report
        let exe = std::env::current_exe().expect("no current_exe");
        let profile_dir = exe
            .parent()
            .and_then(Path::parent)
            .expect("unexpected test binary path");
        let bin = profile_dir.join("fee-report");
        assert!(
            bin.is_file(),
            "{} not found after building it",
            bin.display()
        );
        bin
    })
    .clone()
}

/// A datadir (node stopped) holding the test chain; made once per test process.
pub fn chain_template() -> &'static Path {
    static TEMPLATE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &TEMPLATE
        .get_or_init(|| {
            let dir = tempfile::Builder::new().prefix("fee-report-chain-").tempdir().unwrap();
            let datadir = dir.path().join("node");
            let mut node = NodeBuilder::new().datadir(&datadir).start().unwrap_or_else(|e| {
                panic!("cannot start the regtest node (install it with scripts/install-node.sh): {e}")
            });
            make_chain(&node);
            node.stop().expect("cannot stop the template node");
            (dir, datadir)
        })
        .1
}

/// A running node on a copy of the test chain, with `args` added.
pub fn node_on_chain(args: &[&str]) -> Node {
    NodeBuilder::new()
        .copy_datadir_from(chain_template())
        .args(args.iter().copied())
        .start()
        .unwrap_or_else(|e| panic!("cannot start the regtest node: {e}"))
}

fn make_chain(node: &Node) {
    let rpc = node.client();
    let _: serde_json::Value = rpc
        .call("createwallet", &[json!("w")])
        .expect("createwallet");
    let wallet = bitcoincore_rpc::Client::new(
        &format!("{}/wallet/w", node.rpc_url()),
        bitcoincore_rpc::Auth::CookieFile(node.cookie_file()),
    )
    .expect("wallet client");
    let mine = wallet.get_new_address(None, None).unwrap().assume_checked();
    wallet.generate_to_address(MATURE, &mine).expect("generate");
    for b in 0..TX_BLOCKS {
        for i in 0..(b % 7 + 1) {
            let to = wallet.get_new_address(None, None).unwrap().assume_checked();
            // Some round fee rates (10, 20 sat/vB) and some odd ones.
            let rate = if i % 3 == 0 {
                10 * (i % 4 + 1)
            } else {
                3 + 7 * i + b
            } as f64
                + 0.0;
            let amount = 0.01 + 0.001 * ((b * 13 + i) % 50) as f64;
            let _: serde_json::Value = wallet
                .call(
                    "sendtoaddress",
                    &[
                        json!(to.to_string()),
                        json!((amount * 1e8).round() / 1e8),
                        json!(""),
                        json!(""),
                        json!(false),
                        json!(true),
                        json!(null),
                        json!("unset"),
                        json!(false),
                        json!(rate),
                    ],
                )
                .expect("sendtoaddress");
        }
        wallet.generate_to_address(1, &mine).expect("generate");
    }
    wallet
        .generate_to_address(EMPTY_ON_TOP, &mine)
        .expect("generate");
}

/// The tip height of the test chain.
pub fn tip() -> u32 {
    (MATURE + TX_BLOCKS + EMPTY_ON_TOP) as u32
}

/// First and last heights of the blocks with transactions.
pub fn tx_range() -> (u32, u32) {
    (MATURE as u32 + 1, (MATURE + TX_BLOCKS) as u32)
}

/// A `fee-report` command pointed at `node` (cookie auth), writing to `out`.
pub fn fee_report(node: &Node, out: &Path) -> Command {
    fee_report_subcommand(&[], node, out)
}

/// `fee-report SUBCOMMAND…` pointed at `node` (cookie auth), writing to `out`.
pub fn fee_report_subcommand(subcommand: &[&str], node: &Node, out: &Path) -> Command {
    let mut cmd = Command::new(fee_report_bin());
    cmd.args(subcommand)
        .args(["--regtest", "--quiet", "--rpcport"])
        .arg(node.rpc_port().to_string())
        .arg("--datadir")
        .arg(node.datadir())
        .arg("--out")
        .arg(out)
        .env_remove("BTCADDR_RPC_USER")
        .env_remove("BTCADDR_RPC_PASSWORD");
    cmd
}

/// The library's node configuration for `node`.
pub fn node_config(node: &Node) -> NodeConfig {
    NodeConfig {
        chain: Chain::Regtest,
        rpc_url: node.rpc_url(),
        rest_url: node.rpc_url(),
        auth: Auth::Cookie(node.cookie_file()),
        retry: RetryPolicy::default(),
        timeout: std::time::Duration::from_secs(60),
    }
}

/// Parses "N from the cache, M fetched" out of fee-report's closing line.
pub fn cache_counts(stderr: &str) -> (u32, u32) {
    let line = stderr
        .lines()
        .find(|l| l.contains("from the cache"))
        .unwrap_or_else(|| panic!("no closing line in stderr:\n{stderr}"));
    let num_before = |marker: &str| -> u32 {
        let head = &line[..line.find(marker).expect(marker)];
        head.rsplit(|c: char| !c.is_ascii_digit())
            .find(|s| !s.is_empty())
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no number before '{marker}' in: {line}"))
    };
    (num_before(" from the cache"), num_before(" fetched via"))
}
