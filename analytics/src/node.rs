//! Talking to the node over JSON-RPC: configuration, credentials, retries, chain navigation.
//!
//! Credentials are found the way `bitcoin-cli` finds them: the cookie file in the node's data
//! directory by default, or a user and password from the environment or a `bitcoin.conf`-style
//! file. A password is never taken from the command line and never printed ([`Secret`]).
//!
//! # Examples
//!
//! ```no_run
//! use btcaddr_analytics::node::{Chain, NodeConfig, RpcNode};
//! let config = NodeConfig::local(Chain::Regtest);
//! let node = RpcNode::new(&config);
//! let tip = node.chain_info()?.blocks;
//! println!("tip {tip}: {}", node.block_hash(tip)?);
//! # Ok::<(), btcaddr_analytics::node::NodeError>(())
//! ```

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bitcoin::BlockHash;
use bitcoincore_rpc::jsonrpc;
use bitcoincore_rpc::RpcApi;
use serde::de::DeserializeOwned;

/// RPC error code of a node that is still starting ("Loading block index…", "Verifying blocks…").
pub const RPC_IN_WARMUP: i32 = -28;
/// RPC error code for a height or parameter out of range.
pub const RPC_INVALID_PARAMETER: i32 = -8;

/// Which chain a node runs, named as `getblockchaininfo` names it.
///
/// # Examples
///
/// ```
/// use btcaddr_analytics::node::Chain;
/// let chain: Chain = "regtest".parse().unwrap();
/// assert_eq!(chain.default_rpc_port(), 18443);
/// assert_eq!(chain.to_string(), "regtest");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Chain {
    /// Mainnet (`main`).
    Main,
    /// Testnet3 (`test`).
    Test,
    /// Testnet4 (`testnet4`).
    Testnet4,
    /// Signet (`signet`).
    Signet,
    /// Regression test chain (`regtest`).
    Regtest,
}

impl Chain {
    /// The default RPC port, as the node uses it.
    pub fn default_rpc_port(self) -> u16 {
        match self {
            Chain::Main => 8332,
            Chain::Test => 18332,
            Chain::Testnet4 => 48332,
            Chain::Signet => 38332,
            Chain::Regtest => 18443,
        }
    }

    /// The `bitcoin` crate's network of this chain.
    ///
    /// ```
    /// use btcaddr_analytics::node::Chain;
    /// assert_eq!(Chain::Testnet4.network(), bitcoin::Network::Testnet4);
    /// ```
    pub fn network(self) -> bitcoin::Network {
        match self {
            Chain::Main => bitcoin::Network::Bitcoin,
            Chain::Test => bitcoin::Network::Testnet,
            Chain::Testnet4 => bitcoin::Network::Testnet4,
            Chain::Signet => bitcoin::Network::Signet,
            Chain::Regtest => bitcoin::Network::Regtest,
        }
    }

    /// The `blocks` folder of this chain under `dir`, a data directory or a `-blocksdir`
    /// (both take the chain's subdirectory, like the node).
    ///
    /// ```
    /// use btcaddr_analytics::node::Chain;
    /// use std::path::Path;
    /// assert_eq!(Chain::Regtest.blocks_dir(Path::new("/d")), Path::new("/d/regtest/blocks"));
    /// assert_eq!(Chain::Main.blocks_dir(Path::new("/d")), Path::new("/d/blocks"));
    /// ```
    pub fn blocks_dir(self, dir: &Path) -> PathBuf {
        dir.join(self.datadir_subdir()).join("blocks")
    }

    /// The subdirectory of the data directory this chain's files live in (empty for mainnet).
    pub fn datadir_subdir(self) -> &'static str {
        match self {
            Chain::Main => "",
            Chain::Test => "testnet3",
            Chain::Testnet4 => "testnet4",
            Chain::Signet => "signet",
            Chain::Regtest => "regtest",
        }
    }
}

impl fmt::Display for Chain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Chain::Main => "main",
            Chain::Test => "test",
            Chain::Testnet4 => "testnet4",
            Chain::Signet => "signet",
            Chain::Regtest => "regtest",
        })
    }
}

impl FromStr for Chain {
    type Err = NodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "main" | "mainnet" | "bitcoin" => Ok(Chain::Main),
            "test" | "testnet" | "testnet3" => Ok(Chain::Test),
            "testnet4" => Ok(Chain::Testnet4),
            "signet" => Ok(Chain::Signet),
            "regtest" => Ok(Chain::Regtest),
            other => Err(NodeError::Config(format!(
                "unknown chain '{other}' (expected main, test, testnet4, signet or regtest)"
            ))),
        }
    }
}

/// A password: kept out of `Debug` and `Display` so it cannot end up in a log line.
///
/// # Examples
///
/// ```
/// use btcaddr_analytics::node::Secret;
/// let s = Secret::new("hunter2");
/// assert_eq!(format!("{s:?}"), "Secret(***)");
/// assert_eq!(s.expose(), "hunter2");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a password.
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }

    /// The password itself, for the one place that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// How to authenticate to the node's RPC server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    /// The node's cookie file (`<datadir>/<chain>/.cookie`), re-read when the node restarts.
    Cookie(PathBuf),
    /// A fixed user and password (`rpcuser`/`rpcpassword`).
    UserPass {
        /// The RPC user.
        user: String,
        /// The RPC password.
        password: Secret,
    },
}

impl Auth {
    /// Where the credentials come from, for messages (never the password).
    pub fn describe(&self) -> String {
        match self {
            Auth::Cookie(path) => format!("cookie file {}", path.display()),
            Auth::UserPass { user, .. } => format!("user '{user}' and its password"),
        }
    }

    fn credentials(&self) -> Result<(String, String), NodeError> {
        match self {
            Auth::UserPass { user, password } => Ok((user.clone(), password.expose().to_owned())),
            Auth::Cookie(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| NodeError::Cookie {
                    path: path.clone(),
                    detail: e.to_string(),
                })?;
                let line = text.lines().next().unwrap_or("");
                match line.split_once(':') {
                    Some((user, pass)) => Ok((user.to_owned(), pass.to_owned())),
                    None => Err(NodeError::Cookie {
                        path: path.clone(),
                        detail: "not of the form user:password".into(),
                    }),
                }
            }
        }
    }
}

/// How long to keep trying when the node does not answer or is starting.
///
/// Waits double from `first_delay` up to `max_delay` between tries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Give up on an unreachable node (refused connection, dropped socket) after this long.
    pub unreachable_for: Duration,
    /// Keep waiting for a node in warm-up (RPC error -28) this long.
    pub warmup_for: Duration,
    /// First wait between tries.
    pub first_delay: Duration,
    /// Longest wait between tries.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            unreachable_for: Duration::from_secs(30),
            warmup_for: Duration::from_secs(600),
            first_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(3),
        }
    }
}

/// Why a failed call may succeed if tried again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transience {
    /// The node did not answer: it may be down, restarting or overloaded.
    Unreachable,
    /// The node answered that it is still starting.
    WarmingUp,
}

/// Errors that tell whether trying again may help.
pub trait Retryable {
    /// `Some` when the same call may succeed later.
    fn transience(&self) -> Option<Transience>;
    /// Wraps the last error after giving up.
    fn gave_up(self, tries: u32, waited: Duration) -> Self;
    /// The error for a stop requested by the user (Ctrl-C) while waiting.
    fn interrupted() -> Self;
}

impl RetryPolicy {
    /// Runs `op` until it succeeds, fails for good, the policy gives up, or `cancel` is set.
    ///
    /// `on_wait` is told about each wait (for a notice such as "node warming up, waiting").
    ///
    /// # Examples
    ///
    /// ```
    /// use btcaddr_analytics::node::{NodeError, RetryPolicy};
    /// use std::sync::atomic::AtomicBool;
    /// let mut calls = 0;
    /// let r: Result<u32, NodeError> = RetryPolicy::default().run(&AtomicBool::new(false), |_| {}, || {
    ///     calls += 1;
    ///     Ok(7)
    /// });
    /// assert_eq!((r.unwrap(), calls), (7, 1));
    /// ```
    pub fn run<T, E: Retryable>(
        &self,
        cancel: &AtomicBool,
        mut on_wait: impl FnMut(&E),
        mut op: impl FnMut() -> Result<T, E>,
    ) -> Result<T, E> {
        let start = Instant::now();
        let mut delay = self.first_delay;
        let mut tries = 0u32;
        loop {
            if cancel.load(Ordering::Relaxed) {
                return Err(E::interrupted());
            }
            tries += 1;
            let err = match op() {
                Ok(v) => return Ok(v),
                Err(e) => e,
            };
            let limit = match err.transience() {
                None => return Err(err),
                Some(Transience::Unreachable) => self.unreachable_for,
                Some(Transience::WarmingUp) => self.warmup_for,
            };
            let waited = start.elapsed();
            if waited + delay > limit {
                return Err(err.gave_up(tries, waited));
            }
            on_wait(&err);
            // Sleep in small steps so Ctrl-C is honoured promptly.
            let until = Instant::now() + delay;
            while Instant::now() < until {
                if cancel.load(Ordering::Relaxed) {
                    return Err(E::interrupted());
                }
                std::thread::sleep(Duration::from_millis(20).min(delay));
            }
            delay = (delay * 2).min(self.max_delay);
        }
    }
}

/// Everything needed to reach one node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeConfig {
    /// The chain the node must be on; checked against `getblockchaininfo`.
    pub chain: Chain,
    /// JSON-RPC URL, e.g. `http://127.0.0.1:18443`.
    pub rpc_url: String,
    /// REST base URL (usually the RPC host and port), e.g. `http://127.0.0.1:18443`.
    pub rest_url: String,
    /// RPC credentials.
    pub auth: Auth,
    /// Retry and wait policy for unreachable or starting nodes.
    pub retry: RetryPolicy,
    /// Timeout of a single request.
    pub timeout: Duration,
}

impl NodeConfig {
    /// A node on this machine with default port and cookie file in the default data directory.
    ///
    /// # Examples
    ///
    /// ```
    /// use btcaddr_analytics::node::{Chain, NodeConfig};
    /// let c = NodeConfig::local(Chain::Regtest);
    /// assert_eq!(c.rpc_url, "http://127.0.0.1:18443");
    /// ```
    pub fn local(chain: Chain) -> Self {
        let url = format!("http://127.0.0.1:{}", chain.default_rpc_port());
        let datadir = default_datadir().unwrap_or_else(|| PathBuf::from(".bitcoin"));
        NodeConfig {
            chain,
            rpc_url: url.clone(),
            rest_url: url,
            auth: Auth::Cookie(cookie_path(&datadir, chain)),
            retry: RetryPolicy::default(),
            timeout: Duration::from_secs(300),
        }
    }
}

/// The node's default data directory (`~/.bitcoin`), as `bitcoind` uses it on Linux.
pub fn default_datadir() -> Option<PathBuf> {
    std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".bitcoin"))
}

/// The cookie file of `chain` under `datadir`.
///
/// # Examples
///
/// ```
/// use btcaddr_analytics::node::{cookie_path, Chain};
/// use std::path::Path;
/// assert_eq!(cookie_path(Path::new("/d"), Chain::Regtest), Path::new("/d/regtest/.cookie"));
/// assert_eq!(cookie_path(Path::new("/d"), Chain::Main), Path::new("/d/.cookie"));
/// ```
pub fn cookie_path(datadir: &Path, chain: Chain) -> PathBuf {
    let sub = chain.datadir_subdir();
    if sub.is_empty() {
        datadir.join(".cookie")
    } else {
        datadir.join(sub).join(".cookie")
    }
}

/// Settings read from a `bitcoin.conf`-style file: `rpcuser`, `rpcpassword`, `rpcport`, `rpcconnect`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RpcConfigFile {
    /// `rpcuser=`
    pub user: Option<String>,
    /// `rpcpassword=`
    pub password: Option<Secret>,
    /// `rpcport=`
    pub port: Option<u16>,
    /// `rpcconnect=`
    pub connect: Option<String>,
}

impl RpcConfigFile {
    /// Reads and parses `path`. Lines are `key=value`; `#` starts a comment; `[section]` headers
    /// select a chain's section, whose values win for `chain` (as in `bitcoin.conf`).
    ///
    /// # Examples
    ///
    /// ```
    /// use btcaddr_analytics::node::{Chain, RpcConfigFile};
    /// let c = RpcConfigFile::parse("rpcuser=alice\n[regtest]\nrpcport=1234\n", Chain::Regtest).unwrap();
    /// assert_eq!((c.user.as_deref(), c.port), (Some("alice"), Some(1234)));
    /// ```
    pub fn read(path: &Path, chain: Chain) -> Result<Self, NodeError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            NodeError::Config(format!("cannot read --rpc-config {}: {e}", path.display()))
        })?;
        Self::parse(&text, chain).map_err(|e| NodeError::Config(format!("{}: {e}", path.display())))
    }

    /// Parses the text of a config file for `chain` (see [`RpcConfigFile::read`]).
    pub fn parse(text: &str, chain: Chain) -> Result<Self, String> {
        let mut out = RpcConfigFile::default();
        let mut section: Option<String> = None;
        for (n, raw) in text.lines().enumerate() {
            let line = raw.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                section = Some(name.trim().to_owned());
                continue;
            }
            let Some((key, value)) = line.split_once('=') else {
                return Err(format!("line {}: expected key=value", n + 1));
            };
            if let Some(s) = &section {
                let matches = s.parse::<Chain>().map(|c| c == chain).unwrap_or(false);
                if !matches {
                    continue;
                }
            }
            let value = value.trim().to_owned();
            match key.trim() {
                "rpcuser" => out.user = Some(value),
                "rpcpassword" => out.password = Some(Secret::new(value)),
                "rpcport" => {
                    out.port = Some(value.parse().map_err(|_| {
                        format!("line {}: rpcport '{value}' is not a port number", n + 1)
                    })?)
                }
                "rpcconnect" => out.connect = Some(value),
                _ => {}
            }
        }
        Ok(out)
    }
}

/// The part of `getblockchaininfo` this crate needs.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct ChainInfo {
    /// Chain name: main, test, testnet4, signet, regtest.
    pub chain: String,
    /// Height of the tip.
    pub blocks: u32,
    /// Hash of the tip.
    pub bestblockhash: BlockHash,
    /// Whether the node prunes old blocks.
    #[serde(default)]
    pub pruned: bool,
    /// Lowest height with block data, when pruned.
    #[serde(default)]
    pub pruneheight: Option<u32>,
}

/// Errors talking to the node.
#[derive(Debug, thiserror::Error)]
pub enum NodeError {
    /// Bad configuration (URL, chain name, config file).
    #[error("{0}")]
    Config(String),
    /// Nothing answers at the URL, or the connection broke.
    #[error("cannot reach the node at {url}: {detail}")]
    Unreachable {
        /// The URL tried.
        url: String,
        /// What went wrong.
        detail: String,
    },
    /// The cookie file cannot be read (the node is not running, or another data directory).
    #[error("cannot read the node's cookie file {}: {detail} (is bitcoind running with this --datadir and chain? or give credentials with --rpc-config FILE or BTCADDR_RPC_USER/BTCADDR_RPC_PASSWORD)", path.display())]
    Cookie {
        /// The cookie file.
        path: PathBuf,
        /// What went wrong.
        detail: String,
    },
    /// The node refused the credentials.
    #[error("the node at {url} rejected the credentials ({how}): check rpcuser/rpcpassword or the cookie file")]
    Auth {
        /// The URL tried.
        url: String,
        /// Which credentials were used (never the password).
        how: String,
    },
    /// The node is still starting (RPC error -28).
    #[error("the node is warming up: {0}")]
    WarmingUp(String),
    /// The node answered a call with an error.
    #[error("the node answered {method} with error {code}: {message}")]
    Rpc {
        /// The RPC method.
        method: String,
        /// JSON-RPC error code.
        code: i32,
        /// The node's message.
        message: String,
    },
    /// The node's answer was not what this program expects.
    #[error("unexpected answer to {method}: {detail}")]
    BadAnswer {
        /// The RPC method.
        method: String,
        /// What was wrong.
        detail: String,
    },
    /// The node runs another chain than asked for.
    #[error("the node runs chain '{actual}', not '{expected}' (use --chain {actual}, or another --rpcport)")]
    WrongChain {
        /// The chain asked for.
        expected: Chain,
        /// The chain the node reports.
        actual: String,
    },
    /// Gave up retrying.
    #[error("{last} (gave up after {tries} tries over {secs:.1} s)")]
    GaveUp {
        /// The last error.
        last: Box<NodeError>,
        /// Number of tries.
        tries: u32,
        /// Seconds spent.
        secs: f64,
    },
    /// Stopped by the user (Ctrl-C).
    #[error("interrupted")]
    Interrupted,
}

impl Retryable for NodeError {
    fn transience(&self) -> Option<Transience> {
        match self {
            NodeError::Unreachable { .. } | NodeError::Cookie { .. } => {
                Some(Transience::Unreachable)
            }
            NodeError::WarmingUp(_) => Some(Transience::WarmingUp),
            _ => None,
        }
    }

    fn gave_up(self, tries: u32, waited: Duration) -> Self {
        NodeError::GaveUp {
            last: Box::new(self),
            tries,
            secs: waited.as_secs_f64(),
        }
    }

    fn interrupted() -> Self {
        NodeError::Interrupted
    }
}

impl NodeError {
    /// The innermost error (unwrapping [`NodeError::GaveUp`]).
    pub fn root(&self) -> &NodeError {
        match self {
            NodeError::GaveUp { last, .. } => last.root(),
            other => other,
        }
    }
}

/// One connection to the node's RPC server, with credentials re-read when a cookie changes.
///
/// Cheap to create; each worker thread uses its own (the underlying HTTP transport serialises
/// calls on one socket).
pub struct RpcNode {
    config: NodeConfig,
    cancel: Arc<AtomicBool>,
    client: Mutex<Option<(bitcoincore_rpc::Client, String)>>,
}

impl fmt::Debug for RpcNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RpcNode")
            .field("rpc_url", &self.config.rpc_url)
            .finish()
    }
}

impl RpcNode {
    /// A connection to the node of `config` (connects lazily, on the first call).
    pub fn new(config: &NodeConfig) -> Self {
        Self::with_cancel(config, Arc::new(AtomicBool::new(false)))
    }

    /// Like [`RpcNode::new`], with a flag that stops retry waits (set on Ctrl-C).
    pub fn with_cancel(config: &NodeConfig, cancel: Arc<AtomicBool>) -> Self {
        RpcNode {
            config: config.clone(),
            cancel,
            client: Mutex::new(None),
        }
    }

    /// The configuration this connection uses.
    pub fn config(&self) -> &NodeConfig {
        &self.config
    }

    /// The stop flag shared with the caller.
    pub fn cancel_flag(&self) -> &Arc<AtomicBool> {
        &self.cancel
    }

    /// Calls `method` once, without retrying.
    pub fn call_once<T: DeserializeOwned>(
        &self,
        method: &str,
        params: &[serde_json::Value],
    ) -> Result<T, NodeError> {
        let mut guard = self.client.lock().unwrap_or_else(|p| p.into_inner());
        if guard.is_none() {
            *guard = Some(self.build_client()?);
        }
        let Some((client, _)) = guard.as_ref() else {
            return Err(NodeError::Config("no RPC client".into()));
        };
        match client.call::<T>(method, params) {
            Ok(v) => Ok(v),
            Err(e) => {
                let err = classify(&self.config, method, e);
                if !matches!(err, NodeError::Auth { .. } | NodeError::Unreachable { .. }) {
                    return Err(err); // the connection itself is fine: keep it
                }
                let used = guard.take().map(|(_, fingerprint)| fingerprint);
                if let (NodeError::Auth { .. }, Auth::Cookie(_)) = (&err, &self.config.auth) {
                    // A restarted node writes a new cookie: only a changed cookie is worth
                    // another try, so wrong credentials fail at once (no retry storm).
                    let now = self
                        .config
                        .auth
                        .credentials()
                        .ok()
                        .map(|(u, p)| format!("{u}:{p}"));
                    if now.is_some() && now != used {
                        return Err(NodeError::Unreachable {
                            url: self.config.rpc_url.clone(),
                            detail: "the cookie changed (node restarted)".into(),
                        });
                    }
                }
                Err(err)
            }
        }
    }

    /// Calls `method`, retrying while the node is unreachable or warming up (see [`RetryPolicy`]).
    pub fn call<T: DeserializeOwned>(
        &self,
        method: &str,
        params: &[serde_json::Value],
    ) -> Result<T, NodeError> {
        self.call_noting(method, params, |_| {})
    }

    /// Like [`RpcNode::call`], telling `on_wait` about each wait.
    pub fn call_noting<T: DeserializeOwned>(
        &self,
        method: &str,
        params: &[serde_json::Value],
        on_wait: impl FnMut(&NodeError),
    ) -> Result<T, NodeError> {
        self.config
            .retry
            .run(&self.cancel, on_wait, || self.call_once(method, params))
    }

    /// `getblockchaininfo`, checked against the configured chain.
    pub fn chain_info(&self) -> Result<ChainInfo, NodeError> {
        let info: ChainInfo = self.call("getblockchaininfo", &[])?;
        self.check_chain(&info)?;
        Ok(info)
    }

    /// Fails with [`NodeError::WrongChain`] when `info` is not the configured chain.
    pub fn check_chain(&self, info: &ChainInfo) -> Result<(), NodeError> {
        match info.chain.parse::<Chain>() {
            Ok(c) if c == self.config.chain => Ok(()),
            _ => Err(NodeError::WrongChain {
                expected: self.config.chain,
                actual: info.chain.clone(),
            }),
        }
    }

    /// The hash of the main-chain block at `height` (`getblockhash`).
    pub fn block_hash(&self, height: u32) -> Result<BlockHash, NodeError> {
        self.call("getblockhash", &[height.into()])
    }

    /// The hash of the main-chain block at `height`, once, without retrying.
    pub fn block_hash_once(&self, height: u32) -> Result<BlockHash, NodeError> {
        self.call_once("getblockhash", &[height.into()])
    }

    fn build_client(&self) -> Result<(bitcoincore_rpc::Client, String), NodeError> {
        let (user, pass) = self.config.auth.credentials()?;
        // Remembered only to notice a changed cookie; never printed.
        let fingerprint = format!("{user}:{pass}");
        let transport = jsonrpc::simple_http::Builder::new()
            .url(&self.config.rpc_url)
            .map_err(|e| NodeError::Config(format!("bad RPC URL '{}': {e}", self.config.rpc_url)))?
            .auth(user, Some(pass))
            .timeout(self.config.timeout)
            .build();
        let client =
            bitcoincore_rpc::Client::from_jsonrpc(jsonrpc::Client::with_transport(transport));
        Ok((client, fingerprint))
    }
}

// Maps a bitcoincore-rpc error onto the cases the caller acts on.
fn classify(config: &NodeConfig, method: &str, e: bitcoincore_rpc::Error) -> NodeError {
    use bitcoincore_rpc::Error as E;
    let url = config.rpc_url.clone();
    match e {
        E::JsonRpc(jsonrpc::Error::Rpc(rpc)) if rpc.code == RPC_IN_WARMUP => {
            NodeError::WarmingUp(rpc.message)
        }
        E::JsonRpc(jsonrpc::Error::Rpc(rpc)) => NodeError::Rpc {
            method: method.to_owned(),
            code: rpc.code,
            message: rpc.message,
        },
        E::JsonRpc(jsonrpc::Error::Transport(t)) => {
            match t.downcast_ref::<jsonrpc::simple_http::Error>() {
                Some(jsonrpc::simple_http::Error::HttpErrorCode(401 | 403)) => NodeError::Auth {
                    url,
                    how: config.auth.describe(),
                },
                Some(jsonrpc::simple_http::Error::InvalidUrl { .. }) => {
                    NodeError::Config(format!("bad RPC URL '{url}': {t}"))
                }
                Some(jsonrpc::simple_http::Error::HttpErrorCode(code)) => NodeError::Unreachable {
                    url,
                    detail: format!("HTTP status {code} to {method}"),
                },
                _ => NodeError::Unreachable {
                    url,
                    detail: t.to_string(),
                },
            }
        }
        E::JsonRpc(jsonrpc::Error::Json(j)) | E::Json(j) => NodeError::BadAnswer {
            method: method.to_owned(),
            detail: j.to_string(),
        },
        E::Io(io) => NodeError::Unreachable {
            url,
            detail: io.to_string(),
        },
        other => NodeError::BadAnswer {
            method: method.to_owned(),
            detail: other.to_string(),
        },
    }
}
