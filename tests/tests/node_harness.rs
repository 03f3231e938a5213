//! The regtest node harness starts real nodes and always cleans up after them.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use bitcoincore_rpc::bitcoin::{Address, Network};
use bitcoincore_rpc::RpcApi;
use btcaddr_tests::node::{Node, NodeBuilder, NodeError};

/// A regtest address to mine to (no wallet needed).
fn mining_address() -> Address {
    "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080"
        .parse::<Address<_>>()
        .expect("valid address")
        .require_network(Network::Regtest)
        .expect("regtest address")
}

fn process_alive(pid: u32) -> bool {
    // A reaped process has no /proc entry; a zombie would still show "Z".
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => !stat.contains(") Z "),
        Err(_) => false,
    }
}

/// The status code of a plain HTTP GET.
fn http_status(url: &str) -> u16 {
    let rest = url.strip_prefix("http://").expect("http url");
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let mut stream = TcpStream::connect(host).expect("connect");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .expect("send request");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read response");
    response
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .expect("status line")
}

#[test]
fn starts_answers_and_cleans_up_on_drop() {
    let node = Node::require();
    let pid = node.pid().expect("pid");
    let datadir = node.datadir().to_path_buf();
    assert!(process_alive(pid), "bitcoind {pid} should run");
    assert!(datadir.is_dir());
    assert_eq!(node.network_datadir(), datadir.join("regtest"));
    assert!(node.cookie_file().is_file(), "cookie auth");
    assert!(node.cookie_file().starts_with(&datadir));

    let client = node.client();
    assert_eq!(
        client.get_blockchain_info().unwrap().chain,
        Network::Regtest
    );
    assert_eq!(client.get_block_count().unwrap(), 0);
    assert_eq!(
        http_status(&format!("{}/chaininfo.json", node.rest_url())),
        200,
        "REST is on"
    );

    drop(node);
    assert!(
        !process_alive(pid),
        "bitcoind {pid} still running after drop"
    );
    assert!(!datadir.exists(), "{} left behind", datadir.display());
}

#[test]
fn two_nodes_run_at_once_independently() {
    let first = Node::require();
    let second = Node::require();
    assert_ne!(first.rpc_port(), second.rpc_port());
    assert_ne!(first.datadir(), second.datadir());

    first
        .client()
        .generate_to_address(3, &mining_address())
        .unwrap();
    assert_eq!(first.client().get_block_count().unwrap(), 3);
    assert_eq!(second.client().get_block_count().unwrap(), 0);

    let pids = [first.pid().unwrap(), second.pid().unwrap()];
    drop(first);
    drop(second);
    for pid in pids {
        assert!(!process_alive(pid));
    }
}

#[test]
fn a_panicking_test_still_cleans_up() {
    let seen: Mutex<Option<(u32, PathBuf)>> = Mutex::new(None);
    let outcome = std::panic::catch_unwind(|| {
        let node = Node::require();
        *seen.lock().unwrap() = Some((node.pid().unwrap(), node.datadir().to_path_buf()));
        panic!("test failure while the node runs");
    });
    assert!(outcome.is_err());
    let (pid, datadir) = seen.lock().unwrap().clone().expect("node started");
    assert!(!process_alive(pid), "bitcoind {pid} survived the panic");
    assert!(
        !datadir.exists(),
        "{} survived the panic",
        datadir.display()
    );
}

#[test]
fn stop_restart_and_kill_keep_the_datadir_and_ports() {
    let mut node = Node::require();
    let port = node.rpc_port();
    node.client()
        .generate_to_address(5, &mining_address())
        .unwrap();

    node.stop().unwrap();
    let old_pid = node.pid().unwrap();
    assert!(!node.is_running());
    assert!(!process_alive(old_pid));
    assert!(node.datadir().is_dir(), "stop keeps the datadir");

    node.restart().unwrap();
    assert_eq!(node.rpc_port(), port);
    assert_ne!(node.pid().unwrap(), old_pid);
    assert_eq!(node.client().get_block_count().unwrap(), 5);

    let crashed_pid = node.pid().unwrap();
    node.kill();
    assert!(!node.is_running());
    assert!(!process_alive(crashed_pid));
    assert!(node.try_client().is_err() || node.client().get_block_count().is_err());

    node.restart().unwrap();
    assert!(node.client().get_block_count().unwrap() <= 5);
    node.restart().unwrap(); // restart of a running node stops it first
    assert!(node.is_running());
}

#[test]
fn extra_args_reach_bitcoind() {
    let node = Node::start_with_args(&["-rest=0", "-blockmaxweight=40000", "-rpcthreads=2"])
        .unwrap_or_else(|e| panic!("{e}"));
    assert_ne!(
        http_status(&format!("{}/chaininfo.json", node.rest_url())),
        200,
        "-rest=0 overrides the default -rest=1"
    );
    assert_eq!(
        node.extra_args(),
        ["-rest=0", "-blockmaxweight=40000", "-rpcthreads=2"]
    );
    assert_eq!(node.client().get_block_count().unwrap(), 0, "RPC still on");
    let log = std::fs::read_to_string(node.network_datadir().join("debug.log")).unwrap();
    assert!(
        log.contains("blockmaxweight=\"40000\""),
        "arg not in the node's log"
    );
}

#[test]
fn starts_on_a_copy_of_an_existing_datadir() {
    let mut source = Node::require();
    source
        .client()
        .generate_to_address(4, &mining_address())
        .unwrap();
    let tip = source.client().get_best_block_hash().unwrap();
    source.stop().unwrap();
    let source_dir = source.datadir().to_path_buf();
    let files_before = tree_size(&source_dir);

    let copy = NodeBuilder::new()
        .copy_datadir_from(&source_dir)
        .start()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_ne!(copy.datadir(), source_dir.as_path());
    assert_eq!(copy.client().get_best_block_hash().unwrap(), tip);
    copy.client()
        .generate_to_address(1, &mining_address())
        .unwrap();
    let copy_dir = copy.datadir().to_path_buf();
    drop(copy);
    assert!(!copy_dir.exists());
    assert_eq!(tree_size(&source_dir), files_before, "source untouched");
}

#[test]
fn a_missing_node_fails_with_the_install_command() {
    let error = NodeBuilder::new()
        .bitcoind("/nonexistent/bitcoind")
        .start()
        .unwrap_err();
    assert!(matches!(error, NodeError::NotInstalled { .. }));
    assert!(
        error.to_string().contains("scripts/install-node.sh"),
        "{error}"
    );
}

fn tree_size(dir: &Path) -> u64 {
    let mut total = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let meta = entry.metadata().unwrap();
        total += if meta.is_dir() {
            tree_size(&entry.path())
        } else {
            meta.len()
        };
    }
    total
}
