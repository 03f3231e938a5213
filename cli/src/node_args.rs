//! Node options shared by `fee-report` and its subcommands: where the node is and how to log in.
//!
//! Credentials follow `bitcoin-cli`: the cookie file by default, or `rpcuser`/`rpcpassword` from
//! `--rpc-config FILE` or the environment (`BTCADDR_RPC_USER`, `BTCADDR_RPC_PASSWORD`). There
//! is deliberately no password option: command lines are visible to every user of the machine.
//!
//! # Examples
//!
//! ```
//! use btcaddr_cli::node_args::NodeArgs;
//! use clap::Parser;
//! #[derive(Parser)]
//! struct Cli {
//!     #[command(flatten)]
//!     node: NodeArgs,
//! }
//! let cli = Cli::parse_from(["x", "--regtest", "--datadir", "/tmp/d"]);
//! let config = cli.node.to_config().unwrap();
//! assert_eq!(config.rpc_url, "http://127.0.0.1:18443");
//! ```

use std::path::PathBuf;
use std::time::Duration;

use btcaddr_analytics::node::{
    cookie_path, default_datadir, Auth, Chain, NodeConfig, RetryPolicy, RpcConfigFile, Secret,
};
use clap::Args;

/// Environment variable holding the RPC user.
pub const ENV_USER: &str = "BTCADDR_RPC_USER";
/// Environment variable holding the RPC password.
pub const ENV_PASSWORD: &str = "BTCADDR_RPC_PASSWORD";

/// Where the node is and how to authenticate (clap arguments).
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Node")]
pub struct NodeArgs {
    /// The node's chain: main, test, testnet4, signet, regtest.
    #[arg(long, value_name = "CHAIN", default_value = "main")]
    pub chain: String,
    /// Same as --chain regtest.
    #[arg(long, conflicts_with_all = ["testnet", "testnet4", "signet"])]
    pub regtest: bool,
    /// Same as --chain test.
    #[arg(long, conflicts_with_all = ["testnet4", "signet"])]
    pub testnet: bool,
    /// Same as --chain testnet4.
    #[arg(long, conflicts_with = "signet")]
    pub testnet4: bool,
    /// Same as --chain signet.
    #[arg(long)]
    pub signet: bool,
    /// Full JSON-RPC URL (overrides --rpcconnect and --rpcport).
    #[arg(long, value_name = "URL")]
    pub rpc_url: Option<String>,
    /// RPC host [default: 127.0.0.1, or rpcconnect from --rpc-config].
    #[arg(long, value_name = "HOST")]
    pub rpcconnect: Option<String>,
    /// RPC port [default: the chain's, or rpcport from --rpc-config].
    #[arg(long, value_name = "PORT")]
    pub rpcport: Option<u16>,
    /// REST base URL [default: the RPC host and port].
    #[arg(long, value_name = "URL")]
    pub rest_url: Option<String>,
    /// The node's data directory, for its cookie file [default: ~/.bitcoin].
    #[arg(long, value_name = "DIR")]
    pub datadir: Option<PathBuf>,
    /// The cookie file [default: DATADIR/<chain>/.cookie].
    #[arg(long, value_name = "FILE")]
    pub rpccookiefile: Option<PathBuf>,
    /// A bitcoin.conf-style file with rpcuser=/rpcpassword= (and optionally rpcport=, rpcconnect=).
    #[arg(long, value_name = "FILE")]
    pub rpc_config: Option<PathBuf>,
    /// Give up on an unreachable node after this many seconds of retrying.
    #[arg(long, value_name = "SECS", default_value_t = 30.0)]
    pub retry_for: f64,
    /// Wait this many seconds at most for a node that is warming up.
    #[arg(long, value_name = "SECS", default_value_t = 600.0)]
    pub warmup_wait: f64,
    /// Timeout of one request, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 300.0)]
    pub timeout: f64,
}

impl NodeArgs {
    /// The chain selected by --chain or one of the chain flags.
    pub fn chain(&self) -> Result<Chain, String> {
        Ok(if self.regtest {
            Chain::Regtest
        } else if self.testnet {
            Chain::Test
        } else if self.testnet4 {
            Chain::Testnet4
        } else if self.signet {
            Chain::Signet
        } else {
            self.chain
                .parse()
                .map_err(|e: btcaddr_analytics::node::NodeError| e.to_string())?
        })
    }

    /// Resolves the options, the environment and the config file into a [`NodeConfig`].
    pub fn to_config(&self) -> Result<NodeConfig, String> {
        let chain = self.chain()?;
        let file = match &self.rpc_config {
            Some(path) => RpcConfigFile::read(path, chain).map_err(|e| e.to_string())?,
            None => RpcConfigFile::default(),
        };
        let env_user = std::env::var(ENV_USER).ok().filter(|s| !s.is_empty());
        let env_pass = std::env::var(ENV_PASSWORD).ok().filter(|s| !s.is_empty());
        let (user, password) = match (env_user, env_pass) {
            (u, Some(p)) => (u.or(file.user.clone()), Some(Secret::new(p))),
            (Some(u), None) => (Some(u), file.password.clone()),
            (None, None) => (file.user.clone(), file.password.clone()),
        };
        let auth = match (user, password) {
            (Some(user), Some(password)) => Auth::UserPass { user, password },
            (None, Some(_)) => {
                return Err(format!(
                    "an RPC password is set but no user: set {ENV_USER} or rpcuser= in --rpc-config"
                ))
            }
            (Some(user), None) => {
                return Err(format!(
                    "RPC user '{user}' given but no password: set {ENV_PASSWORD} or rpcpassword= in --rpc-config"
                ))
            }
            (None, None) => Auth::Cookie(match &self.rpccookiefile {
                Some(file) => file.clone(),
                None => {
                    let datadir = match &self.datadir {
                        Some(d) => d.clone(),
                        None => default_datadir()
                            .ok_or("no --datadir given and HOME is not set: cannot find the cookie file")?,
                    };
                    cookie_path(&datadir, chain)
                }
            }),
        };
        let host = self
            .rpcconnect
            .clone()
            .or(file.connect)
            .unwrap_or_else(|| "127.0.0.1".into());
        let port = self
            .rpcport
            .or(file.port)
            .unwrap_or(chain.default_rpc_port());
        let rpc_url = match &self.rpc_url {
            Some(url) if url.starts_with("http://") => url.trim_end_matches('/').to_owned(),
            Some(url) if url.contains("://") => {
                return Err(format!(
                    "--rpc-url '{url}': only http:// URLs are supported"
                ))
            }
            Some(url) => format!("http://{}", url.trim_end_matches('/')),
            None => format!("http://{host}:{port}"),
        };
        let rest_url = match &self.rest_url {
            Some(url) if url.starts_with("http://") => url.trim_end_matches('/').to_owned(),
            Some(url) => return Err(format!("--rest-url '{url}': expected an http:// URL")),
            None => base_of(&rpc_url),
        };
        let secs = |name: &str, v: f64| {
            if v.is_finite() && v >= 0.0 {
                Ok(Duration::from_secs_f64(v))
            } else {
                Err(format!("{name} must be a number of seconds, not {v}"))
            }
        };
        let retry = RetryPolicy {
            unreachable_for: secs("--retry-for", self.retry_for)?,
            warmup_for: secs("--warmup-wait", self.warmup_wait)?,
            ..RetryPolicy::default()
        };
        Ok(NodeConfig {
            chain,
            rpc_url,
            rest_url,
            auth,
            retry,
            timeout: secs("--timeout", self.timeout)?,
        })
    }
}

// `http://host:port/wallet/x` → `http://host:port`.
fn base_of(url: &str) -> String {
    let after = url.find("://").map(|i| i + 3).unwrap_or(0);
    match url[after..].find('/') {
        Some(slash) => url[..after + slash].to_owned(),
        None => url.to_owned(),
    }
}
