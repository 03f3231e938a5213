//! Simulation parameters and the named presets.

use std::fmt;
use std::str::FromStr;

use super::fees::FeeMixture;

/// Everything that determines a simulated chain.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SimConfig {
    /// Preset name (also the cache folder name).
    pub name: String,
    /// Seed of every random draw (keys, shapes, fees, block intervals).
    pub seed: u64,
    /// Fee-market blocks to mine after the set-up phase.
    pub blocks: u32,
    /// The node's `-blockmaxweight`: small enough that the mempool stays over-full.
    pub block_max_weight: u64,
    /// Matured coinbases split into coins during set-up.
    pub fanout_coinbases: u32,
    /// Outputs of each set-up split transaction.
    pub fanout_outputs: u32,
    /// How many keys own the coins.
    pub keys: u32,
    /// Mean vbytes submitted per block, as a multiple of block capacity (> 1 keeps a backlog).
    pub overfill: f64,
    /// Amplitude of the slow wave in the arrival rate (backlogs build and clear, like weekdays).
    pub wave_amplitude: f64,
    /// Period of that wave, in blocks.
    pub wave_period: f64,
    /// Extra blocks' worth submitted before the first market block (the starting backlog).
    pub initial_backlog: f64,
    /// Mean seconds between blocks (block times are exponential, via `setmocktime`).
    pub block_interval_secs: f64,
    /// Transactions per batched `sendrawtransaction` request.
    pub batch_size: usize,
    /// How fees are drawn.
    pub fees: FeeMixture,
}

impl SimConfig {
    /// Block capacity in vbytes for transactions (block weight less the node's default
    /// `-blockreservedweight` of 8000 for header and coinbase).
    ///
    /// ```
    /// let config = btcaddr_tests::sim::Preset::Mainnet.config();
    /// assert!(config.capacity_vbytes() > 990_000);
    /// ```
    pub fn capacity_vbytes(&self) -> u64 {
        self.block_max_weight.saturating_sub(8_000) / 4
    }

    /// The bitcoind arguments this chain needs.
    ///
    /// ```
    /// let args = btcaddr_tests::sim::Preset::Tiny.config().node_args();
    /// assert!(args.iter().any(|a| a.starts_with("-blockmaxweight=")));
    /// ```
    pub fn node_args(&self) -> Vec<String> {
        vec![
            format!("-blockmaxweight={}", self.block_max_weight),
            // Knots also caps blocks at 300 kB serialized and reserves 100 kB for coin-age
            // priority by default; the 2016 market is weight-limited and fee-only.
            format!("-blockmaxsize={}", self.block_max_weight),
            "-blockprioritysize=0".to_string(),
            // Regtest checks the whole mempool after every transaction and the block index after
            // every block: O(mempool) per submission, far too slow for a full mempool.
            "-checkmempool=0".to_string(),
            "-checkblockindex=0".to_string(),
            // A big mempool so nothing is evicted: the simulator tracks every coin itself.
            "-maxmempool=2000".to_string(),
            "-persistmempool=1".to_string(),
        ]
    }
}

/// The named configurations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    /// For CI: 20 small full blocks, a few hundred transactions, seconds.
    Tiny,
    /// For benchmarks: 100 full 1 MvB blocks of ~3,500 transactions each.
    Mainnet,
}

impl Preset {
    /// The preset's parameters.
    ///
    /// ```
    /// use btcaddr_tests::sim::Preset;
    /// assert_eq!(Preset::Tiny.config().blocks, 20);
    /// ```
    pub fn config(self) -> SimConfig {
        match self {
            Preset::Tiny => SimConfig {
                name: "tiny".into(),
                seed: 2016,
                blocks: 20,
                block_max_weight: 32_000,
                fanout_coinbases: 4,
                fanout_outputs: 400,
                keys: 16,
                overfill: 1.05,
                wave_amplitude: 0.3,
                wave_period: 12.0,
                initial_backlog: 2.0,
                block_interval_secs: 600.0,
                batch_size: 100,
                fees: FeeMixture::default(),
            },
            Preset::Mainnet => SimConfig {
                name: "mainnet".into(),
                seed: 2016,
                blocks: 100,
                block_max_weight: 4_000_000,
                fanout_coinbases: 40,
                fanout_outputs: 1_500,
                keys: 256,
                overfill: 1.05,
                wave_amplitude: 0.3,
                wave_period: 24.0,
                initial_backlog: 2.5,
                block_interval_secs: 600.0,
                batch_size: 500,
                fees: FeeMixture::default(),
            },
        }
    }

    /// The preset's name.
    ///
    /// ```
    /// assert_eq!(btcaddr_tests::sim::Preset::Mainnet.name(), "mainnet");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Preset::Tiny => "tiny",
            Preset::Mainnet => "mainnet",
        }
    }
}

impl fmt::Display for Preset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A preset name that does not exist.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown preset '{0}' (expected tiny or mainnet)")]
pub struct UnknownPreset(pub String);

impl FromStr for Preset {
    type Err = UnknownPreset;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "tiny" => Ok(Preset::Tiny),
            "mainnet" => Ok(Preset::Mainnet),
            other => Err(UnknownPreset(other.to_string())),
        }
    }
}
