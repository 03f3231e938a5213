//! A real `bitcoind -regtest` for tests: started on free ports with a fresh datadir and cookie
//! auth, stopped (and its datadir removed) when dropped — also when the test panics.
//!
//! The binary is `$BTCADDR_BITCOIND` if set, else `<workspace>/.cache/node/bin/bitcoind`, which
//! `scripts/install-node.sh` installs. A missing node is an error naming that command, never a skip.
//!
//! ```no_run
//! use btcaddr_tests::node::Node;
//! use bitcoincore_rpc::RpcApi;
//!
//! let node = Node::require(); // panics with "run scripts/install-node.sh" if missing
//! assert_eq!(node.client().get_block_count().unwrap(), 0);
//! println!("REST at {}", node.rest_url());
//! ```
//!
//! Fault tests: extra args ([`NodeBuilder::arg`]), [`Node::kill`] (a crash), [`Node::stop`],
//! [`Node::restart`] (same datadir and ports), and [`NodeBuilder::copy_datadir_from`] to start on
//! a copy of a cached chain.
//!
//! Do not keep a [`Node`] in a `static`: statics are never dropped, so the process would outlive
//! the tests.

use std::fs;
use std::io::{self, Read, Seek, SeekFrom};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use bitcoincore_rpc::jsonrpc;
use bitcoincore_rpc::jsonrpc::simple_http::SimpleHttpTransport;

/// The environment variable that overrides where `bitcoind` is found.
pub const BITCOIND_ENV: &str = "BTCADDR_BITCOIND";

/// The command that installs the node (printed when it is missing).
pub const INSTALL_COMMAND: &str = "scripts/install-node.sh";

/// Files of a datadir that belong to one running process and are not copied.
const PROCESS_FILES: &[&str] = &[".lock", ".cookie", "bitcoind.pid"];

/// Timeout of one RPC call made through [`Node::client`] (mining big blocks takes a while).
const RPC_TIMEOUT: Duration = Duration::from_secs(600);

/// Everything that can go wrong starting, talking to or stopping a node.
#[derive(Debug, thiserror::Error)]
pub enum NodeError {
    /// No `bitcoind` at the expected path.
    #[error(
        "bitcoind not found at {}: run {INSTALL_COMMAND} (or set {BITCOIND_ENV})",
        path.display()
    )]
    NotInstalled {
        /// Where it was looked for.
        path: PathBuf,
    },
    /// The process could not be spawned.
    #[error("cannot run {}: {source} (reinstall with {INSTALL_COMMAND} --force)", path.display())]
    Spawn {
        /// The binary.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// bitcoind exited before its RPC answered.
    #[error("bitcoind exited during start-up ({status}); last log lines:\n{log_tail}")]
    Exited {
        /// Its exit status.
        status: ExitStatus,
        /// The end of its stderr and debug.log.
        log_tail: String,
    },
    /// bitcoind did not answer RPC in time.
    #[error("bitcoind RPC did not answer within {secs} s; last log lines:\n{log_tail}")]
    StartTimeout {
        /// Seconds waited.
        secs: u64,
        /// The end of its stderr and debug.log.
        log_tail: String,
    },
    /// A file-system operation on the datadir failed.
    #[error("{what} {}: {source}", path.display())]
    Io {
        /// What was being done.
        what: &'static str,
        /// On which path.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// A signal could not be sent to the node.
    #[error("cannot send {signal} to bitcoind: {detail}")]
    Signal {
        /// The `kill` option, e.g. `-STOP`.
        signal: &'static str,
        /// Why.
        detail: String,
    },
    /// An RPC call failed.
    #[error("RPC {method} failed: {message}")]
    Rpc {
        /// The method called.
        method: String,
        /// The error the client or node gave.
        message: String,
    },
}

/// Returns the `bitcoind` to run: `$BTCADDR_BITCOIND`, else the one `scripts/install-node.sh`
/// installs under the workspace. Errs (naming the install command) when it does not exist.
///
/// ```no_run
/// let path = btcaddr_tests::node::locate_bitcoind().expect("node installed");
/// assert!(path.ends_with("bitcoind"));
/// ```
pub fn locate_bitcoind() -> Result<PathBuf, NodeError> {
    let path = match std::env::var_os(BITCOIND_ENV) {
        Some(path) if !path.is_empty() => PathBuf::from(path),
        _ => workspace_root().join(".cache/node/bin/bitcoind"),
    };
    if path.is_file() {
        Ok(path)
    } else {
        Err(NodeError::NotInstalled { path })
    }
}

/// The workspace root (the parent of this crate's folder).
///
/// ```
/// assert!(btcaddr_tests::node::workspace_root().join("Cargo.toml").is_file());
/// ```
pub fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}

/// How to start a [`Node`]: extra arguments, datadir, timeout.
///
/// ```no_run
/// use btcaddr_tests::node::NodeBuilder;
/// let node = NodeBuilder::new().arg("-prune=550").arg("-rest=0").start().unwrap();
/// ```
#[derive(Debug, Clone)]
pub struct NodeBuilder {
    args: Vec<String>,
    copy_from: Option<PathBuf>,
    datadir: Option<PathBuf>,
    bitcoind: Option<PathBuf>,
    startup_timeout: Duration,
}

impl Default for NodeBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl NodeBuilder {
    /// A builder with no extra arguments, a fresh temporary datadir and a 120 s start-up timeout.
    ///
    /// ```
    /// let builder = btcaddr_tests::node::NodeBuilder::new();
    /// ```
    pub fn new() -> Self {
        NodeBuilder {
            args: Vec::new(),
            copy_from: None,
            datadir: None,
            bitcoind: None,
            startup_timeout: Duration::from_secs(120),
        }
    }

    /// Adds one bitcoind argument (e.g. `-blockmaxweight=400000`); it comes after the defaults,
    /// so it overrides them (`-rest=0`).
    ///
    /// ```
    /// let builder = btcaddr_tests::node::NodeBuilder::new().arg("-txindex=1");
    /// ```
    pub fn arg(mut self, arg: impl Into<String>) -> Self {
        self.args.push(arg.into());
        self
    }

    /// Adds several bitcoind arguments.
    ///
    /// ```
    /// let builder = btcaddr_tests::node::NodeBuilder::new().args(["-rpcthreads=8", "-prune=550"]);
    /// ```
    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    /// Starts on a fresh temporary copy of an existing datadir (the folder that holds `regtest/`),
    /// e.g. a cached chain; the source is never modified. The copy is removed on drop.
    ///
    /// ```no_run
    /// let builder = btcaddr_tests::node::NodeBuilder::new().copy_datadir_from(".cache/chains/tiny/datadir");
    /// ```
    pub fn copy_datadir_from(mut self, source: impl Into<PathBuf>) -> Self {
        self.copy_from = Some(source.into());
        self
    }

    /// Uses this datadir in place (created if missing) and keeps it on drop.
    ///
    /// ```
    /// let builder = btcaddr_tests::node::NodeBuilder::new().datadir("/tmp/my-chain");
    /// ```
    pub fn datadir(mut self, path: impl Into<PathBuf>) -> Self {
        self.datadir = Some(path.into());
        self
    }

    /// Runs this binary instead of [`locate_bitcoind`]'s.
    ///
    /// ```
    /// let builder = btcaddr_tests::node::NodeBuilder::new().bitcoind("/usr/local/bin/bitcoind");
    /// ```
    pub fn bitcoind(mut self, path: impl Into<PathBuf>) -> Self {
        self.bitcoind = Some(path.into());
        self
    }

    /// How long to wait for RPC to answer at start and restart.
    ///
    /// ```
    /// use std::time::Duration;
    /// let builder = btcaddr_tests::node::NodeBuilder::new().startup_timeout(Duration::from_secs(300));
    /// ```
    pub fn startup_timeout(mut self, timeout: Duration) -> Self {
        self.startup_timeout = timeout;
        self
    }

    /// Starts the node and waits until its RPC answers.
    ///
    /// ```no_run
    /// let node = btcaddr_tests::node::NodeBuilder::new().start().unwrap();
    /// ```
    pub fn start(self) -> Result<Node, NodeError> {
        let bitcoind = match self.bitcoind {
            Some(path) if path.is_file() => path,
            Some(path) => return Err(NodeError::NotInstalled { path }),
            None => locate_bitcoind()?,
        };
        let (datadir, temp) = match self.datadir {
            Some(dir) => {
                fs::create_dir_all(&dir).map_err(|source| NodeError::Io {
                    what: "cannot create datadir",
                    path: dir.clone(),
                    source,
                })?;
                (dir, None)
            }
            None => {
                let temp = tempfile::Builder::new()
                    .prefix("btcaddr-regtest-")
                    .tempdir()
                    .map_err(|source| NodeError::Io {
                        what: "cannot create a temporary datadir in",
                        path: std::env::temp_dir(),
                        source,
                    })?;
                (temp.path().to_path_buf(), Some(temp))
            }
        };
        if let Some(source) = &self.copy_from {
            copy_datadir(source, &datadir)?;
        }
        let mut node = Node {
            bitcoind,
            datadir,
            _temp: temp,
            args: self.args,
            rpc_port: 0,
            p2p_port: 0,
            child: None,
            pid: None,
            startup_timeout: self.startup_timeout,
        };
        // Free ports are picked by binding port 0 and releasing it; another process may grab one
        // in between, so a bind failure is retried with new ports.
        let mut attempt = 0;
        loop {
            attempt += 1;
            node.rpc_port = free_port()?;
            node.p2p_port = free_port()?;
            match node.spawn_and_wait() {
                Ok(()) => return Ok(node),
                Err(NodeError::Exited { log_tail, .. })
                    if attempt < 5 && log_tail.contains("Unable to bind") =>
                {
                    continue
                }
                Err(e) => return Err(e),
            }
        }
    }
}

/// A running (or stopped) regtest `bitcoind` that is shut down and cleaned up on drop.
#[derive(Debug)]
pub struct Node {
    bitcoind: PathBuf,
    datadir: PathBuf,
    /// Owns the temporary datadir; removes it when the node is dropped.
    _temp: Option<tempfile::TempDir>,
    args: Vec<String>,
    rpc_port: u16,
    p2p_port: u16,
    child: Option<Child>,
    pid: Option<u32>,
    startup_timeout: Duration,
}

impl Node {
    /// Starts a node with the default arguments (`-regtest -rest=1`, cookie auth, free ports).
    ///
    /// ```no_run
    /// let node = btcaddr_tests::node::Node::start().unwrap();
    /// ```
    pub fn start() -> Result<Node, NodeError> {
        NodeBuilder::new().start()
    }

    /// Starts a node with extra bitcoind arguments.
    ///
    /// ```no_run
    /// let node = btcaddr_tests::node::Node::start_with_args(&["-blockmaxweight=40000"]).unwrap();
    /// ```
    pub fn start_with_args(args: &[&str]) -> Result<Node, NodeError> {
        NodeBuilder::new().args(args.iter().copied()).start()
    }

    /// Starts a node for a test, panicking with the reason (and the install command when the
    /// node is missing): the test fails, it never skips.
    ///
    /// ```no_run
    /// let node = btcaddr_tests::node::Node::require();
    /// ```
    pub fn require() -> Node {
        Node::start().unwrap_or_else(|e| panic!("cannot start the regtest node: {e}"))
    }

    /// A builder for extra arguments, datadir copies and timeouts.
    ///
    /// ```no_run
    /// let node = btcaddr_tests::node::Node::builder().arg("-rpcthreads=2").start().unwrap();
    /// ```
    pub fn builder() -> NodeBuilder {
        NodeBuilder::new()
    }

    /// The RPC URL, `http://127.0.0.1:<port>`.
    ///
    /// ```no_run
    /// let node = btcaddr_tests::node::Node::require();
    /// assert!(node.rpc_url().starts_with("http://127.0.0.1:"));
    /// ```
    pub fn rpc_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.rpc_port)
    }

    /// The RPC (and REST) port.
    ///
    /// ```no_run
    /// let node = btcaddr_tests::node::Node::require();
    /// assert!(node.rpc_port() > 0);
    /// ```
    pub fn rpc_port(&self) -> u16 {
        self.rpc_port
    }

    /// The P2P port passed as `-port` (the node does not listen: `-listen=0`).
    ///
    /// ```no_run
    /// let node = btcaddr_tests::node::Node::require();
    /// assert_ne!(node.p2p_port(), node.rpc_port());
    /// ```
    pub fn p2p_port(&self) -> u16 {
        self.p2p_port
    }

    /// The REST base URL, `http://127.0.0.1:<port>/rest` (append `/block/<hash>.bin`).
    ///
    /// ```no_run
    /// let node = btcaddr_tests::node::Node::require();
    /// assert!(node.rest_url().ends_with("/rest"));
    /// ```
    pub fn rest_url(&self) -> String {
        format!("http://127.0.0.1:{}/rest", self.rpc_port)
    }

    /// The cookie file (`<network datadir>/.cookie`), `__cookie__:<password>`; present while running.
    ///
    /// ```no_run
    /// let node = btcaddr_tests::node::Node::require();
    /// assert!(node.cookie_file().is_file());
    /// ```
    pub fn cookie_file(&self) -> PathBuf {
        self.network_datadir().join(".cookie")
    }

    /// The datadir given as `-datadir`.
    ///
    /// ```no_run
    /// let node = btcaddr_tests::node::Node::require();
    /// assert!(node.datadir().is_dir());
    /// ```
    pub fn datadir(&self) -> &Path {
        &self.datadir
    }

    /// The network datadir, `<datadir>/regtest` (blocks/, chainstate/, debug.log).
    ///
    /// ```no_run
    /// let node = btcaddr_tests::node::Node::require();
    /// assert!(node.network_datadir().join("blocks").is_dir());
    /// ```
    pub fn network_datadir(&self) -> PathBuf {
        self.datadir.join("regtest")
    }

    /// The process id while the node runs (the last one after a stop or kill).
    ///
    /// ```no_run
    /// let node = btcaddr_tests::node::Node::require();
    /// assert!(node.pid().is_some());
    /// ```
    pub fn pid(&self) -> Option<u32> {
        self.pid
    }

    /// The extra arguments it was started with.
    ///
    /// ```no_run
    /// let node = btcaddr_tests::node::Node::start_with_args(&["-txindex=1"]).unwrap();
    /// assert_eq!(node.extra_args(), ["-txindex=1"]);
    /// ```
    pub fn extra_args(&self) -> &[String] {
        &self.args
    }

    /// Whether the process is still alive.
    ///
    /// ```no_run
    /// let mut node = btcaddr_tests::node::Node::require();
    /// assert!(node.is_running());
    /// ```
    pub fn is_running(&mut self) -> bool {
        match &mut self.child {
            Some(child) => matches!(child.try_wait(), Ok(None)),
            None => false,
        }
    }

    /// An RPC client with cookie auth (and a long timeout, for mining big blocks).
    ///
    /// # Panics
    /// When the cookie cannot be read, i.e. the node is not running; see [`Node::try_client`].
    ///
    /// ```no_run
    /// use bitcoincore_rpc::RpcApi;
    /// let node = btcaddr_tests::node::Node::require();
    /// let height = node.client().get_block_count().unwrap();
    /// ```
    pub fn client(&self) -> bitcoincore_rpc::Client {
        self.try_client().unwrap_or_else(|e| panic!("{e}"))
    }

    /// An RPC client with cookie auth, or why none can be made.
    ///
    /// ```no_run
    /// let node = btcaddr_tests::node::Node::require();
    /// let client = node.try_client().unwrap();
    /// ```
    pub fn try_client(&self) -> Result<bitcoincore_rpc::Client, NodeError> {
        Ok(bitcoincore_rpc::Client::from_jsonrpc(
            self.jsonrpc_client()?,
        ))
    }

    /// The plain JSON-RPC client (for batches: `send_batch`), cookie auth, long timeout.
    ///
    /// ```no_run
    /// let node = btcaddr_tests::node::Node::require();
    /// let raw = node.jsonrpc_client().unwrap();
    /// ```
    pub fn jsonrpc_client(&self) -> Result<jsonrpc::Client, NodeError> {
        let cookie_file = self.cookie_file();
        let cookie = fs::read_to_string(&cookie_file).map_err(|source| NodeError::Io {
            what: "cannot read the RPC cookie (is the node running?)",
            path: cookie_file,
            source,
        })?;
        let transport = SimpleHttpTransport::builder()
            .url(&self.rpc_url())
            .map_err(|e| NodeError::Rpc {
                method: "connect".into(),
                message: e.to_string(),
            })?
            .timeout(RPC_TIMEOUT)
            .cookie_auth(cookie.trim())
            .build();
        Ok(jsonrpc::Client::with_transport(transport))
    }

    /// A `bitcoin-cli` command (from beside `bitcoind`) already pointed at this node.
    ///
    /// ```no_run
    /// let node = btcaddr_tests::node::Node::require();
    /// let out = node.cli_command().arg("getblockcount").output().unwrap();
    /// ```
    pub fn cli_command(&self) -> Command {
        let cli = self.bitcoind.with_file_name("bitcoin-cli");
        let mut command = Command::new(cli);
        command
            .arg("-regtest")
            .arg(format!("-datadir={}", self.datadir.display()))
            .arg(format!("-rpcport={}", self.rpc_port));
        command
    }

    /// Kills the process with SIGKILL (a crash: no flush, no clean shutdown). The datadir stays,
    /// so [`Node::restart`] can recover from it.
    ///
    /// ```no_run
    /// let mut node = btcaddr_tests::node::Node::require();
    /// node.kill();
    /// assert!(!node.is_running());
    /// ```
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            // Errors mean it already exited; wait() reaps it either way.
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Stops the node cleanly (RPC `stop`, then waits for the process to exit; SIGKILL after 60 s).
    /// The datadir stays until drop.
    ///
    /// ```no_run
    /// let mut node = btcaddr_tests::node::Node::require();
    /// node.stop().unwrap();
    /// ```
    pub fn stop(&mut self) -> Result<(), NodeError> {
        self.stop_within(Duration::from_secs(60))
    }

    /// Stops (if running) and starts again on the same datadir, ports and arguments.
    ///
    /// ```no_run
    /// let mut node = btcaddr_tests::node::Node::require();
    /// node.restart().unwrap();
    /// ```
    pub fn restart(&mut self) -> Result<(), NodeError> {
        self.stop_or_reap()?;
        self.spawn_and_wait()
    }

    /// Like [`Node::restart`], but returns as soon as the process is started, without waiting
    /// for RPC: the caller sees the node's start-up (RPC error -28 while it warms up).
    ///
    /// ```no_run
    /// let mut node = btcaddr_tests::node::Node::require();
    /// node.restart_without_waiting().unwrap();
    /// ```
    pub fn restart_without_waiting(&mut self) -> Result<(), NodeError> {
        self.stop_or_reap()?;
        self.spawn()
    }

    fn stop_or_reap(&mut self) -> Result<(), NodeError> {
        if self.is_running() {
            self.stop()
        } else {
            self.kill(); // reaps an exited process
            Ok(())
        }
    }

    /// Freezes the process (SIGSTOP): connections are still accepted by the kernel but nothing
    /// is answered until [`Node::resume`].
    ///
    /// ```no_run
    /// let mut node = btcaddr_tests::node::Node::require();
    /// node.pause().unwrap();
    /// node.resume().unwrap();
    /// ```
    pub fn pause(&self) -> Result<(), NodeError> {
        self.signal("-STOP")
    }

    /// Lets a process frozen by [`Node::pause`] run again (SIGCONT).
    ///
    /// ```no_run
    /// let mut node = btcaddr_tests::node::Node::require();
    /// node.pause().unwrap();
    /// node.resume().unwrap();
    /// ```
    pub fn resume(&self) -> Result<(), NodeError> {
        self.signal("-CONT")
    }

    // Sends a signal with kill(1): std can only send SIGKILL.
    fn signal(&self, signal: &'static str) -> Result<(), NodeError> {
        let pid = self
            .child
            .as_ref()
            .map(Child::id)
            .ok_or(NodeError::Signal {
                signal,
                detail: "the node is not running".into(),
            })?;
        let status = Command::new("kill")
            .arg(signal)
            .arg(pid.to_string())
            .status()
            .map_err(|e| NodeError::Signal {
                signal,
                detail: e.to_string(),
            })?;
        if status.success() {
            Ok(())
        } else {
            Err(NodeError::Signal {
                signal,
                detail: format!("kill exited with {status}"),
            })
        }
    }

    fn stop_within(&mut self, timeout: Duration) -> Result<(), NodeError> {
        let Some(mut child) = self.child.take() else {
            return Ok(());
        };
        if matches!(child.try_wait(), Ok(Some(_))) {
            return Ok(());
        }
        let rpc_result = self
            .jsonrpc_client()
            .and_then(|client| call_raw(&client, "stop", &[]));
        let deadline = Instant::now() + timeout;
        loop {
            match child.try_wait() {
                Ok(Some(_)) => return Ok(()),
                Ok(None) if rpc_result.is_ok() && Instant::now() < deadline => {
                    thread::sleep(Duration::from_millis(20))
                }
                _ => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return rpc_result.map(|_| ());
                }
            }
        }
    }

    fn spawn_and_wait(&mut self) -> Result<(), NodeError> {
        self.spawn()?;
        match self.wait_for_rpc() {
            Ok(()) => Ok(()),
            Err(e) => {
                self.kill();
                Err(e)
            }
        }
    }

    fn spawn(&mut self) -> Result<(), NodeError> {
        let stderr_path = self.datadir.join("bitcoind.stderr.log");
        let stderr = fs::File::create(&stderr_path).map_err(|source| NodeError::Io {
            what: "cannot create",
            path: stderr_path.clone(),
            source,
        })?;
        // A stale cookie from a killed run must not be mistaken for the new one.
        let _ = fs::remove_file(self.cookie_file());
        let mut command = Command::new(&self.bitcoind);
        command
            .arg("-regtest")
            .arg(format!("-datadir={}", self.datadir.display()))
            .arg(format!("-rpcport={}", self.rpc_port))
            .arg(format!("-port={}", self.p2p_port))
            .args([
                "-server=1",
                "-rest=1",
                "-listen=0",
                "-dnsseed=0",
                "-fixedseeds=0",
                "-rpcbind=127.0.0.1",
                "-rpcallowip=127.0.0.1",
                "-printtoconsole=0",
                "-fallbackfee=0.0001",
            ])
            .args(&self.args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(stderr);
        let child = command.spawn().map_err(|source| NodeError::Spawn {
            path: self.bitcoind.clone(),
            source,
        })?;
        self.pid = Some(child.id());
        self.child = Some(child);
        Ok(())
    }

    fn wait_for_rpc(&mut self) -> Result<(), NodeError> {
        let started = Instant::now();
        loop {
            if let Some(child) = &mut self.child {
                if let Ok(Some(status)) = child.try_wait() {
                    self.child = None;
                    return Err(NodeError::Exited {
                        status,
                        log_tail: self.log_tail(),
                    });
                }
            }
            if self.cookie_file().is_file() {
                if let Ok(client) = self.jsonrpc_client() {
                    // -28 (warming up) and connection errors just mean "not yet".
                    if call_raw(&client, "getblockchaininfo", &[]).is_ok() {
                        return Ok(());
                    }
                }
            }
            if started.elapsed() > self.startup_timeout {
                return Err(NodeError::StartTimeout {
                    secs: self.startup_timeout.as_secs(),
                    log_tail: self.log_tail(),
                });
            }
            thread::sleep(Duration::from_millis(25));
        }
    }

    /// The last lines of stderr and debug.log, for error messages.
    fn log_tail(&self) -> String {
        let mut tail = String::new();
        for path in [
            self.datadir.join("bitcoind.stderr.log"),
            self.network_datadir().join("debug.log"),
        ] {
            let text = read_tail(&path, 2000);
            if !text.trim().is_empty() {
                tail.push_str(&format!("--- {}\n{}\n", path.display(), text.trim_end()));
            }
        }
        tail
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        // A clean stop keeps a kept datadir consistent; a temporary one is removed by `_temp`.
        let _ = self.stop_within(Duration::from_secs(20));
    }
}

/// Calls one RPC method on a plain JSON-RPC client and returns the JSON result.
///
/// ```no_run
/// let node = btcaddr_tests::node::Node::require();
/// let client = node.jsonrpc_client().unwrap();
/// let count = btcaddr_tests::node::call_raw(&client, "getblockcount", &[]).unwrap();
/// assert_eq!(count, serde_json::json!(0));
/// ```
pub fn call_raw(
    client: &jsonrpc::Client,
    method: &str,
    params: &[serde_json::Value],
) -> Result<serde_json::Value, NodeError> {
    let rpc_error = |message: String| NodeError::Rpc {
        method: method.to_string(),
        message,
    };
    let raw = serde_json::value::to_raw_value(params).map_err(|e| rpc_error(e.to_string()))?;
    let response = client
        .send_request(client.build_request(method, Some(&raw)))
        .map_err(|e| rpc_error(e.to_string()))?;
    response
        .result::<serde_json::Value>()
        .map_err(|e| rpc_error(e.to_string()))
}

/// Copies a datadir tree (skipping one process's lock, cookie and pid files).
///
/// ```no_run
/// btcaddr_tests::node::copy_datadir("/tmp/a".as_ref(), "/tmp/b".as_ref()).unwrap();
/// ```
pub fn copy_datadir(source: &Path, destination: &Path) -> Result<(), NodeError> {
    let io_err = |what: &'static str, path: &Path| {
        let path = path.to_path_buf();
        move |source| NodeError::Io { what, path, source }
    };
    if !source.is_dir() {
        return Err(NodeError::Io {
            what: "datadir to copy is not a directory:",
            path: source.to_path_buf(),
            source: io::Error::from(io::ErrorKind::NotFound),
        });
    }
    fs::create_dir_all(destination).map_err(io_err("cannot create", destination))?;
    for entry in fs::read_dir(source).map_err(io_err("cannot read", source))? {
        let entry = entry.map_err(io_err("cannot read", source))?;
        let name = entry.file_name();
        if PROCESS_FILES.iter().any(|skip| name == *skip) {
            continue;
        }
        let from = entry.path();
        let to = destination.join(&name);
        let kind = entry.file_type().map_err(io_err("cannot stat", &from))?;
        if kind.is_dir() {
            copy_datadir(&from, &to)?;
        } else {
            fs::copy(&from, &to).map_err(io_err("cannot copy", &from))?;
        }
    }
    Ok(())
}

fn free_port() -> Result<u16, NodeError> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|source| NodeError::Io {
        what: "cannot bind a free port on",
        path: PathBuf::from("127.0.0.1"),
        source,
    })?;
    listener
        .local_addr()
        .map(|addr| addr.port())
        .map_err(|source| NodeError::Io {
            what: "cannot read the bound port of",
            path: PathBuf::from("127.0.0.1"),
            source,
        })
}

fn read_tail(path: &Path, max_bytes: u64) -> String {
    let Ok(mut file) = fs::File::open(path) else {
        return String::new();
    };
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let _ = file.seek(SeekFrom::Start(len.saturating_sub(max_bytes)));
    let mut bytes = Vec::new();
    let _ = file.read_to_end(&mut bytes);
    String::from_utf8_lossy(&bytes).into_owned()
}
