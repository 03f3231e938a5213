//! The chain simulator: a realistic 2016-style fee market on a regtest node.
//!
//! It funds itself by mining, splits coinbases into many coins of four script types, then per
//! block submits somewhat more than a block's worth of locally signed transactions (1–3 inputs,
//! 1–3 outputs) whose fees come from a [`FeeMixture`] of round fees, round rates and log-normal
//! rates, and mines with the node's own block assembly under a small `-blockmaxweight`, so
//! blocks are full and low payers wait. Every confirmed transaction lands in a ground-truth
//! manifest ([`ManifestRow`]).
//!
//! ```no_run
//! use btcaddr_tests::node::NodeBuilder;
//! use btcaddr_tests::sim::{run, write_manifest, Preset};
//!
//! let config = Preset::Tiny.config();
//! let node = NodeBuilder::new().args(config.node_args()).start().unwrap();
//! let outcome = run(&node, &config, &mut |line| eprintln!("{line}")).unwrap();
//! write_manifest("out/tiny.csv".as_ref(), &outcome.manifest).unwrap();
//! ```

mod cache;
mod config;
mod fees;
mod keys;
mod manifest;
mod run;
mod tx;

pub use cache::{cached_chain, chains_dir, CachedChain};
pub use config::{Preset, SimConfig, UnknownPreset};
pub use fees::{
    is_round_fee, is_round_rate, FeeChoice, FeeClass, FeeMixture, FeeSampler, MixtureError,
    UnknownFeeClass,
};
pub use keys::{KeyRing, OutputKind, SimKey};
pub use manifest::{read_manifest, write_manifest, ManifestError, ManifestRow, MANIFEST_HEADER};
pub use run::{run, BlockStat, SimError, SimOutcome, SimReport};
pub use tx::{build_and_sign, BuildError, Coin, OutputSpec, SignedTx, MIN_OUTPUT_SAT};
