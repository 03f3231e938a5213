//! fee-report against a real regtest node that misbehaves: not running, wrong credentials,
//! REST off, bad ranges, pruned blocks, killed and restarted mid-scan, Ctrl-C and resume, a
//! reorg during the scan. Needs the node: `scripts/install-node.sh`.

#[path = "support/fee_report.rs"]
mod support;

use std::fs;
use std::path::Path;
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bitcoincore_rpc::RpcApi;
use btcaddr_analytics::cache::BlockCache;
use btcaddr_analytics::decode::Txids;
use btcaddr_analytics::node::RpcNode;
use btcaddr_analytics::scan::{cached_blocks, ScanEvent, Scanner};
use btcaddr_analytics::source::{BlockSource, RestSource, RpcSource, SourceError};
use support::*;

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A `-rpcauth=` argument for `user` and `password` (HMAC-SHA256 keyed by the salt).
fn rpcauth(user: &str, password: &str) -> String {
    use bitcoin::hashes::{hmac, sha256, Hash, HashEngine};
    let salt = "5eed";
    let mut engine = hmac::HmacEngine::<sha256::Hash>::new(salt.as_bytes());
    engine.input(password.as_bytes());
    format!(
        "-rpcauth={user}:{salt}${}",
        hmac::Hmac::<sha256::Hash>::from_engine(engine)
    )
}

#[test]
fn node_not_running_retries_then_one_clear_error() {
    // A port nothing listens on; credentials from the environment (no cookie to wait for).
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let result = std::process::Command::new(fee_report_bin())
        .args(["--regtest", "--last", "5", "--retry-for", "2", "--rpcport"])
        .arg(port.to_string())
        .arg("--out")
        .arg(out.path())
        .env("BTCADDR_RPC_USER", "u")
        .env("BTCADDR_RPC_PASSWORD", "p")
        .output()
        .unwrap();
    let elapsed = started.elapsed();
    let err = stderr_of(&result);
    assert_eq!(result.status.code(), Some(1), "stderr: {err}");
    assert!(err.contains("cannot reach the node"), "stderr: {err}");
    assert!(err.contains("gave up after"), "stderr: {err}");
    assert_eq!(
        err.matches("error:").count(),
        1,
        "one error line, got: {err}"
    );
    assert!(
        elapsed >= Duration::from_millis(1500),
        "gave up without retrying: {elapsed:?}"
    );
    assert!(
        elapsed < Duration::from_secs(20),
        "retried far too long: {elapsed:?}"
    );
}

#[test]
fn wrong_credentials_fail_at_once_without_leaking_the_password() {
    let node = node_on_chain(&[&rpcauth("alice", "the-real-password")]);
    let out = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let result = fee_report(&node, out.path())
        .args(["--last", "5"])
        .env("BTCADDR_RPC_USER", "alice")
        .env("BTCADDR_RPC_PASSWORD", "not-the-password-xyzzy")
        .output()
        .unwrap();
    let err = stderr_of(&result);
    assert_eq!(result.status.code(), Some(1), "stderr: {err}");
    assert!(err.contains("rejected the credentials"), "stderr: {err}");
    assert!(err.contains("user 'alice'"), "stderr: {err}");
    assert!(!err.contains("xyzzy"), "the password leaked: {err}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "retried a rejected login"
    );
}

#[test]
fn credentials_from_a_config_file_work() {
    let node = node_on_chain(&[&rpcauth("bob", "secret-from-file")]);
    let dir = tempfile::tempdir().unwrap();
    let conf = dir.path().join("rpc.conf");
    fs::write(&conf, "# test\nrpcuser=bob\nrpcpassword=secret-from-file\n").unwrap();
    let result = fee_report(&node, &dir.path().join("out"))
        .args(["--last", "3", "--rpc-config"])
        .arg(&conf)
        .output()
        .unwrap();
    let err = stderr_of(&result);
    assert!(result.status.success(), "stderr: {err}");
    assert!(
        !err.contains("secret-from-file"),
        "the password leaked: {err}"
    );
}

#[test]
fn rest_disabled_falls_back_to_rpc_with_a_notice() {
    let node = node_on_chain(&["-rest=0"]);
    let dir = tempfile::tempdir().unwrap();
    let (from, to) = tx_range();
    let result = fee_report(&node, &dir.path().join("auto"))
        .args([
            "--from".to_string(),
            from.to_string(),
            "--to".into(),
            (from + 5).to_string(),
        ])
        .output()
        .unwrap();
    let err = stderr_of(&result);
    assert!(result.status.success(), "stderr: {err}");
    assert!(err.contains("falling back to RPC"), "stderr: {err}");
    assert!(err.contains("fetched via RPC"), "stderr: {err}");
    let _ = to;
    let forced = fee_report(&node, &dir.path().join("rest"))
        .args(["--last", "3", "--source", "rest"])
        .output()
        .unwrap();
    let err = stderr_of(&forced);
    assert_eq!(forced.status.code(), Some(1), "stderr: {err}");
    assert!(err.contains("does not serve REST"), "stderr: {err}");
}

#[test]
fn bad_height_ranges_are_usage_errors() {
    let node = node_on_chain(&[]);
    let dir = tempfile::tempdir().unwrap();
    let tip = tip();
    for (args, expect) in [
        (
            vec![
                "--from".to_string(),
                "10".into(),
                "--to".into(),
                (tip + 1).to_string(),
            ],
            "beyond the node's tip",
        ),
        (
            vec!["--from".into(), "20".into(), "--to".into(), "10".into()],
            "reversed",
        ),
        (vec!["--last".into(), "0".into()], "at least 1"),
        (vec!["--period".into(), "5".into()], "beyond the node's tip"),
        (vec!["--from".into(), "10".into()], "--to"),
    ] {
        let result = fee_report(&node, dir.path()).args(&args).output().unwrap();
        let err = stderr_of(&result);
        assert_eq!(result.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains(expect),
            "{args:?}: expected '{expect}' in: {err}"
        );
    }
}

#[test]
fn pruned_block_is_an_error_naming_its_height() {
    let node = node_on_chain(&["-prune=1", "-fastprune"]);
    let rpc = node.client();
    // The copied chain sits in one block file written without -fastprune; blocks mined now go
    // to small files, so pruning below them removes that first file (heights 0..tip()).
    for _ in 0..10 {
        let _: serde_json::Value = rpc
            .call(
                "generatetodescriptor",
                &[serde_json::json!(100), serde_json::json!("raw(51)")],
            )
            .unwrap();
    }
    let pruned_to: i64 = rpc
        .call("pruneblockchain", &[serde_json::json!(tip() + 700)])
        .unwrap();
    assert!(
        pruned_to > 20,
        "nothing was pruned (pruneblockchain returned {pruned_to})"
    );
    let dir = tempfile::tempdir().unwrap();
    let result = fee_report(&node, dir.path())
        .args(["--from", "5", "--to", "15"])
        .output()
        .unwrap();
    let err = stderr_of(&result);
    assert_eq!(result.status.code(), Some(1), "stderr: {err}");
    assert!(err.contains("block 5 is pruned"), "stderr: {err}");
    // Both sources name the height of a pruned block they are asked for.
    let config = node_config(&node);
    let hash = rpc.get_block_hash(5).unwrap();
    for source in [
        Box::new(RestSource::new(&config.rest_url, config.timeout)) as Box<dyn BlockSource>,
        Box::new(RpcSource::new(&config)),
    ] {
        match source.fetch(5, &hash) {
            Err(e @ SourceError::Pruned { height: 5, .. }) => {
                assert!(e.to_string().contains("block 5"), "{e}")
            }
            other => panic!(
                "{}: expected a pruned-block error, got {other:?}",
                source.name()
            ),
        }
    }
}

#[test]
fn node_killed_and_restarted_mid_scan_the_scan_completes() {
    let mut node = node_on_chain(&[]);
    let config = node_config(&node);
    let dir = tempfile::tempdir().unwrap();
    let cache = BlockCache::open(dir.path()).unwrap();
    let source = RpcSource::new(&config);
    let (from, to) = (1, tip());
    let mut done = 0;
    let mut restarted = false;
    let mut waits = 0;
    let stats = Scanner::new(&config, &source, &cache, 2)
        .run(from, to, &mut |event| match event {
            ScanEvent::Block { .. } => {
                done += 1;
                if done == 50 && !restarted {
                    restarted = true;
                    // Flush the chain state so the crash loses no blocks, then crash.
                    let _: serde_json::Value = node
                        .client()
                        .call("gettxoutsetinfo", &[serde_json::json!("none")])
                        .unwrap();
                    node.kill();
                    std::thread::sleep(Duration::from_millis(1500));
                    node.restart().expect("restart");
                }
            }
            ScanEvent::Waiting { .. } => waits += 1,
            ScanEvent::Reorg { .. } => {}
        })
        .expect("the scan survives a node restart");
    assert!(restarted);
    assert!(
        waits > 0,
        "the workers never had to wait: the kill did not hit the scan"
    );
    assert_eq!(stats.blocks, to - from + 1);
    let rpc = node.client();
    for block in cached_blocks(&cache, from, to) {
        let block = block.unwrap();
        assert_eq!(block.hash, rpc.get_block_hash(block.height.into()).unwrap());
    }
}

#[test]
fn node_restarting_is_waited_for() {
    let mut node = node_on_chain(&[]);
    let config = node_config(&node);
    node.kill();
    let restarter = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(800));
        node.restart().expect("restart");
        node
    });
    let rpc = RpcNode::new(&config);
    let mut waited = Vec::new();
    let info: btcaddr_analytics::node::ChainInfo = rpc
        .call_noting("getblockchaininfo", &[], |e| waited.push(e.to_string()))
        .expect("waits for the node");
    assert_eq!(info.blocks, tip());
    assert!(!waited.is_empty(), "never waited");
    let _node = restarter.join().unwrap();
}

/// The node's answer to `getblockcount` right now: `Ok(height)`, or `Err(code)` of an RPC error
/// (`None` when it did not answer at all).
fn block_count_or_code(node: &btcaddr_tests::node::Node) -> Result<u64, Option<i32>> {
    let client = node.jsonrpc_client().map_err(|_| None)?;
    let response = client
        .send_request(client.build_request("getblockcount", None))
        .map_err(|_| None)?;
    match response.error {
        Some(e) => Err(Some(e.code)),
        None => response.result::<u64>().map_err(|_| None),
    }
}

#[test]
fn node_warming_up_is_waited_for_then_the_report_completes() {
    // Verifying every block at the deepest level keeps the node in its warm-up longer.
    let mut node = node_on_chain(&["-checkblocks=0", "-checklevel=4"]);
    node.restart_without_waiting().expect("restart");
    // Catch the node inside its warm-up: our own call gets RPC error -28.
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        match block_count_or_code(&node) {
            Err(Some(-28)) => break,
            Ok(height) => panic!(
                "the node answered getblockcount ({height}) before its warm-up was seen; \
                 no -28 to test against"
            ),
            Err(_) => {}
        }
        assert!(Instant::now() < deadline, "the node never answered RPC");
        std::thread::sleep(Duration::from_millis(1));
    }
    // Freeze it there: fee-report's first request waits in the socket and, after the resume,
    // is answered while the warm-up is still running.
    node.pause().expect("SIGSTOP");
    let out = tempfile::tempdir().unwrap();
    let child = fee_report(&node, out.path())
        .args(["--last", "10", "--source", "rest"])
        .stderr(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    node.resume().expect("SIGCONT");
    let output = child.wait_with_output().unwrap();
    let stderr = stderr_of(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("the node is warming up; waiting"),
        "no warm-up notice: {stderr}"
    );
    let summary: serde_json::Value =
        serde_json::from_slice(&file_bytes(out.path(), "summary.json")).unwrap();
    assert_eq!(summary["table"]["blocks"], 10, "{summary}");
}

fn file_bytes(dir: &Path, name: &str) -> Vec<u8> {
    fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{}: {e}", dir.join(name).display()))
}

#[test]
fn ctrl_c_mid_scan_then_rerun_resumes_and_equals_an_uninterrupted_run() {
    let node = node_on_chain(&[]);
    let dir = tempfile::tempdir().unwrap();
    let (resumed, whole) = (dir.path().join("resumed"), dir.path().join("whole"));
    let to = tip().to_string();
    let range = ["--from", "1", "--to", to.as_str()];
    let child = fee_report(&node, &resumed)
        .args(range)
        .args(["--source", "rpc", "--jobs", "1"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let cache_dir = resumed.join(".cache").join("blocks");
    let count = |d: &Path| {
        fs::read_dir(d)
            .map(|r| {
                r.filter_map(Result::ok)
                    .filter(|e| e.path().extension().is_some_and(|x| x == "blk"))
                    .count()
            })
            .unwrap_or(0)
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    while count(&cache_dir) < 20 {
        assert!(Instant::now() < deadline, "the scan never started");
        std::thread::sleep(Duration::from_millis(2));
    }
    // `kill -INT` sends the signal Ctrl-C sends.
    let status = std::process::Command::new("kill")
        .arg("-INT")
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(status.success());
    let result = child.wait_with_output().unwrap();
    let err = stderr_of(&result);
    assert_eq!(
        result.status.code(),
        Some(130),
        "not interrupted mid-scan: {err}"
    );
    assert!(err.contains("interrupted"), "stderr: {err}");
    let cached = count(&cache_dir) as u32;
    assert!(cached >= 20 && cached < tip(), "{cached} blocks cached");
    // No half-written files: every temporary was renamed or never created, so the cache holds
    // block files (`<8-digit height>.blk`) and nothing else.
    let leftovers: Vec<_> = fs::read_dir(&cache_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| {
            let height = name.strip_suffix(".blk").unwrap_or("");
            height.len() != 8 || !height.bytes().all(|b| b.is_ascii_digit())
        })
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");

    let rerun = fee_report(&node, &resumed).args(range).output().unwrap();
    let err = stderr_of(&rerun);
    assert!(rerun.status.success(), "stderr: {err}");
    let (from_cache, fetched) = cache_counts(&err);
    assert!(
        from_cache >= cached,
        "refetched finished blocks: {from_cache} from the cache, {cached} were cached\n{err}"
    );
    assert_eq!(from_cache + fetched, tip(), "{err}");

    let uninterrupted = fee_report(&node, &whole).args(range).output().unwrap();
    assert!(
        uninterrupted.status.success(),
        "stderr: {}",
        stderr_of(&uninterrupted)
    );
    for name in ["blocks.csv", "summary.json", "summary.md"] {
        assert!(
            file_bytes(&resumed, name) == file_bytes(&whole, name),
            "{name} differs after resuming"
        );
    }
}

#[test]
fn reorg_during_the_scan_is_detected_and_refetched() {
    let node = node_on_chain(&[]);
    let config = node_config(&node);
    let rpc = node.client();
    let (from, to) = (1, tip());
    let old_top = rpc.get_block_hash(to.into()).unwrap();
    let fork_at = to - 3;
    let dir = tempfile::tempdir().unwrap();
    let cache = BlockCache::open(&dir.path().join("a")).unwrap();
    let source = RestSource::new(&config.rest_url, config.timeout);
    let mut seen = 0;
    let mut reorgs = Vec::new();
    let stats = Scanner::new(&config, &source, &cache, 2)
        .run(from, to, &mut |event| match event {
            ScanEvent::Block { .. } => {
                seen += 1;
                if seen == 10 {
                    // Replace the top 4 blocks by 5 others (more work wins), then make the old
                    // branch valid again: it stays a side branch.
                    let fork_hash = rpc.get_block_hash(fork_at.into()).unwrap();
                    rpc.invalidate_block(&fork_hash).unwrap();
                    let _: serde_json::Value = rpc
                        .call(
                            "generatetodescriptor",
                            &[serde_json::json!(5), serde_json::json!("raw(51)")],
                        )
                        .unwrap();
                    rpc.reconsider_block(&fork_hash).unwrap();
                }
            }
            ScanEvent::Reorg {
                from_height,
                blocks,
            } => reorgs.push((from_height, blocks)),
            ScanEvent::Waiting { .. } => {}
        })
        .expect("scan");
    assert_ne!(
        rpc.get_block_hash(to.into()).unwrap(),
        old_top,
        "the test made no reorg"
    );
    assert_eq!(reorgs, vec![(fork_at, 4)], "stats: {stats:?}");
    assert_eq!(stats.reorg_refetched, 4);
    // The cache now holds the node's current chain, linked block to block.
    let mut prev = None;
    for block in cached_blocks(&cache, from, to) {
        let block = block.unwrap();
        assert_eq!(
            block.hash,
            rpc.get_block_hash(block.height.into()).unwrap(),
            "height {}",
            block.height
        );
        if let Some(p) = prev {
            assert_eq!(block.prev_hash, p);
        }
        prev = Some(block.hash);
    }
    let flag = Arc::new(AtomicBool::new(false));
    let fresh = BlockCache::open(&dir.path().join("b")).unwrap();
    Scanner::new(&config, &source, &fresh, 2)
        .with_cancel(flag.clone())
        .run(from, to, &mut |_| {})
        .unwrap();
    assert!(!flag.load(Ordering::Relaxed));
    for (a, b) in cached_blocks(&cache, from, to).zip(cached_blocks(&fresh, from, to)) {
        assert_eq!(a.unwrap(), b.unwrap());
    }
}

#[test]
fn a_cache_without_txids_is_completed_when_a_per_tx_run_needs_them() {
    let node = node_on_chain(&[]);
    let config = node_config(&node);
    let (from, to) = (1, tip());
    let dir = tempfile::tempdir().unwrap();
    let cache = BlockCache::open(dir.path()).unwrap();
    let source = RestSource::new(&config.rest_url, config.timeout);
    let blocks = to - from + 1;

    // Without per-transaction output: no txids hashed or stored.
    let first = Scanner::new(&config, &source, &cache, 2)
        .with_txids(Txids::Skip)
        .run(from, to, &mut |_| {})
        .unwrap();
    assert_eq!(first.fetched, blocks);
    let mut without = Vec::new();
    for height in from..=to {
        assert!(
            !cache.entry(height).unwrap().unwrap().has_txids || {
                // Coinbase-only blocks have no transaction to lack a txid.
                cache.get_any(height).unwrap().unwrap().txs.is_empty()
            }
        );
        without.push(cache.get_any(height).unwrap().unwrap());
    }
    assert!(
        without.iter().any(|b| !b.txs.is_empty()),
        "the chain has transactions"
    );

    // A skipping run finds them all cached; a --per-tx run fetches those lacking txids again.
    let again = Scanner::new(&config, &source, &cache, 2)
        .with_txids(Txids::Skip)
        .run(from, to, &mut |_| {})
        .unwrap();
    assert_eq!((again.fetched, again.from_cache), (0, blocks));
    let with_txs = without.iter().filter(|b| !b.txs.is_empty()).count() as u32;
    let per_tx = Scanner::new(&config, &source, &cache, 2)
        .with_txids(Txids::Compute)
        .run(from, to, &mut |_| {})
        .unwrap();
    assert_eq!(per_tx.fetched, with_txs, "{per_tx:?}");
    for (height, before) in (from..=to).zip(&without) {
        let after = cache.get_any(height).unwrap().unwrap();
        assert!(after.has_txids(), "height {height}");
        // The same figures, now with the txids the node reports.
        let mut blanked = after.clone();
        blanked.txs.iter_mut().for_each(|t| t.txid = None);
        assert_eq!(&blanked, before, "height {height}");
        let rpc = RpcSource::new(&config).fetch(height, &after.hash).unwrap();
        assert_eq!(after, rpc, "height {height}");
    }
}
