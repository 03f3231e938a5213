//! `fee-report bandwidth`: bandwidth growth (the 2017 broadband analysis) beside the chain's growth.
//!
//! Exit codes: 0 done, 1 failed (data, node, files), 2 bad usage, 130 interrupted by Ctrl-C (a
//! re-run resumes the chain sampling from OUT/.cache/chain-samples.csv).

use std::path::PathBuf;
use std::process::ExitCode;

use btcaddr_analytics::bandwidth::chain::{sample_heights, ChainGrowth, DEFAULT_EVERY};
use btcaddr_analytics::bandwidth::report::{write_report, BandwidthReport};
use btcaddr_analytics::bandwidth::sampler::{sample_blocks, SampleCache, SampleError};
use btcaddr_analytics::bandwidth::{BandwidthData, BandwidthGrowth};
use btcaddr_analytics::node::RpcNode;
use btcaddr_cli::node_args::NodeArgs;

// The fee report's own failure kinds (usage, Ctrl-C, anything else); printed here with this
// subcommand's name.
use super::Failure;

/// Bandwidth growth rates from data files, charts, and (with --from/--to) the chain's growth.
#[derive(Debug, clap::Args)]
pub struct BandwidthArgs {
    /// Folder of bandwidth CSV files (format: notebooks-data/bandwidth/README.md)
    /// [default: the shipped data of notebooks-data/bandwidth, built in].
    #[arg(long, value_name = "DIR")]
    data: Option<PathBuf>,
    /// First height of the chain's growth (with --to; needs the node options).
    #[arg(long, value_name = "H1", requires = "to")]
    from: Option<u32>,
    /// Last height of the chain's growth, inclusive (with --from).
    #[arg(long, value_name = "H2", requires = "from")]
    to: Option<u32>,
    /// Sample one block in N for the chain's growth (144 is about one a day).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_EVERY)]
    every: u32,
    /// Output folder (created): bandwidth.md, bandwidth.json, charts; report.html is refreshed
    /// when the folder holds a fee report.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// No progress output.
    #[arg(long)]
    quiet: bool,
    #[command(flatten)]
    node: NodeArgs,
}

/// Runs the subcommand.
pub fn run(args: BandwidthArgs) -> ExitCode {
    match try_run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.exit("fee-report bandwidth"),
    }
}

fn try_run(args: &BandwidthArgs) -> Result<(), Failure> {
    if args.every == 0 {
        return Err(Failure::Usage("--every must be at least 1".into()));
    }
    let (data, described) = match &args.data {
        Some(dir) => (
            BandwidthData::from_dir(dir).map_err(|e| Failure::Run(e.to_string()))?,
            format!("{} (user files)", dir.display()),
        ),
        None => (
            BandwidthData::shipped(),
            "notebooks-data/bandwidth (shipped)".to_string(),
        ),
    };
    let growth = BandwidthGrowth::compute(&data).map_err(|e| Failure::Run(e.to_string()))?;
    let chain = match (args.from, args.to) {
        (Some(from), Some(to)) => Some(chain_growth(args, from, to)?),
        _ => None,
    };
    let report = BandwidthReport::new(&described, growth, chain);
    let written = write_report(&report, &args.out).map_err(|e| Failure::Run(e.to_string()))?;
    if !args.quiet {
        eprintln!(
            "fee-report bandwidth: wrote {} into {}",
            written.join(", "),
            args.out.display()
        );
    }
    println!("{}", args.out.join("bandwidth.md").display());
    Ok(())
}

fn chain_growth(args: &BandwidthArgs, from: u32, to: u32) -> Result<ChainGrowth, Failure> {
    if from >= to {
        return Err(Failure::Usage(format!(
            "--from {from} must be below --to {to}: chain growth needs at least two blocks"
        )));
    }
    let config = args.node.to_config().map_err(Failure::Usage)?;
    // First Ctrl-C: stop after the current sample (kept in the cache).
    let cancel = super::cancel_on_ctrl_c()?;
    let node = RpcNode::with_cancel(&config, cancel);
    // Through `From<NodeError>`: Ctrl-C while waiting exits 130, a config error 2.
    let info = node.chain_info()?;
    if to > info.blocks {
        return Err(Failure::Usage(format!(
            "height {to} is beyond the node's tip ({}); --to must be {} or lower",
            info.blocks, info.blocks
        )));
    }
    let heights = sample_heights(from, to, args.every);
    let cache_path = args.out.join(".cache").join("chain-samples.csv");
    let mut cache = SampleCache::open(&cache_path).map_err(|e| Failure::Run(e.to_string()))?;
    if !args.quiet {
        eprintln!(
            "fee-report bandwidth: sampling {} of blocks {from}..={to} (one in {}; {} cached)",
            heights.len(),
            args.every,
            cache.len()
        );
    }
    let samples = sample_blocks(&node, &heights, &mut cache, |_, _| {}).map_err(|e| match e {
        SampleError::Interrupted { .. } => Failure::Interrupted(e.to_string()),
        e => Failure::Run(e.to_string()),
    })?;
    ChainGrowth::from_samples(&samples, args.every).map_err(|e| Failure::Run(e.to_string()))
}
