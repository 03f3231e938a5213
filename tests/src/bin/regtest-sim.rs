//! `regtest-sim`: makes a regtest chain with a realistic fee market and writes its ground-truth
//! manifest. A thin front over `btcaddr_tests::sim`.

use std::path::PathBuf;
use std::process::ExitCode;

use btcaddr_tests::node::NodeBuilder;
use btcaddr_tests::sim::{cached_chain, run, write_manifest, Preset, SimReport};
use clap::Parser;

/// Make a regtest chain with a 2016-style fee market (round fees, round rates, log-normal rates,
/// full blocks, a backlog) and write the manifest of every confirmed transaction.
#[derive(Debug, Parser)]
#[command(name = "regtest-sim", version)]
struct Args {
    /// Preset: tiny (CI, seconds) or mainnet (100 blocks of ~1 MvB, benchmarks).
    #[arg(long, default_value = "tiny")]
    preset: Preset,
    /// Seed of every random draw (default: the preset's).
    #[arg(long)]
    seed: Option<u64>,
    /// Fee-market blocks (default: the preset's).
    #[arg(long)]
    blocks: Option<u32>,
    /// Block weight limit given to the node as -blockmaxweight (default: the preset's).
    #[arg(long)]
    block_max_weight: Option<u64>,
    /// How many keys own the coins (fewer keys = more address reuse; default: the preset's).
    #[arg(long)]
    keys: Option<u32>,
    /// Where to write the manifest CSV (default: out/regtest-sim-<preset>.csv; with --cache, the
    /// cached manifest is also copied here if given).
    #[arg(long, short)]
    out: Option<PathBuf>,
    /// Save the finished chain (datadir + manifest) under .cache/chains/<name>/ and reuse it
    /// when it already exists with the same parameters.
    #[arg(long)]
    cache: bool,
    /// With --cache: regenerate even if a saved chain exists.
    #[arg(long, requires = "cache")]
    force: bool,
    /// Print the report as JSON on stdout.
    #[arg(long)]
    json: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match real_main(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("regtest-sim: error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn real_main(args: Args) -> Result<(), String> {
    let mut config = args.preset.config();
    let mut custom = Vec::new();
    if let Some(seed) = args.seed {
        config.seed = seed;
        custom.push(format!("seed{seed}"));
    }
    if let Some(blocks) = args.blocks {
        config.blocks = blocks;
        custom.push(format!("blocks{blocks}"));
    }
    if let Some(weight) = args.block_max_weight {
        config.block_max_weight = weight;
        custom.push(format!("weight{weight}"));
    }
    if let Some(keys) = args.keys {
        config.keys = keys;
        custom.push(format!("keys{keys}"));
    }
    if !custom.is_empty() {
        // Non-default parameters get their own cache folder.
        config.name = format!("{}-{}", config.name, custom.join("-"));
    }
    let mut progress = |line: &str| eprintln!("regtest-sim: {line}");

    let report = if args.cache {
        let chain = cached_chain(&config, args.force, &mut progress).map_err(|e| e.to_string())?;
        if let Some(out) = &args.out {
            if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent)
                    .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
            }
            std::fs::copy(&chain.manifest_path, out)
                .map_err(|e| format!("cannot copy the manifest to {}: {e}", out.display()))?;
        }
        eprintln!("regtest-sim: datadir {}", chain.datadir.display());
        eprintln!("regtest-sim: manifest {}", chain.manifest_path.display());
        chain.report
    } else {
        let out = args
            .out
            .clone()
            .unwrap_or_else(|| PathBuf::from(format!("out/regtest-sim-{}.csv", config.name)));
        let node = NodeBuilder::new()
            .args(config.node_args())
            .start()
            .map_err(|e| e.to_string())?;
        let outcome = run(&node, &config, &mut progress).map_err(|e| e.to_string())?;
        write_manifest(&out, &outcome.manifest).map_err(|e| e.to_string())?;
        eprintln!("regtest-sim: manifest {}", out.display());
        outcome.report
    };
    print_summary(&report);
    if args.json {
        let json = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
        println!("{json}");
    }
    Ok(())
}

fn print_summary(report: &SimReport) {
    let blocks = report.market.len().max(1) as f64;
    let min_vsize = report.market.iter().map(|b| b.vsize).min().unwrap_or(0);
    let min_txs = report.market.iter().map(|b| b.txs).min().unwrap_or(0);
    let txs: u64 = report.market.iter().map(|b| u64::from(b.txs)).sum();
    eprintln!(
        "regtest-sim: {} market blocks after {} set-up blocks; {:.0} txs/block (min {min_txs}), min block {:.1} kvB",
        report.market.len(),
        report.setup_blocks,
        txs as f64 / blocks,
        min_vsize as f64 / 1000.0
    );
    eprintln!(
        "regtest-sim: submitted {} ({} rejected), confirmed {}, {} left in mempool; {:.0} tx/s submitted; {:.1} s submitting, {:.1} s mining, {:.1} s total",
        report.submitted,
        report.rejected,
        report.confirmed,
        report.mempool_end,
        report.submit_rate(),
        report.submit_secs,
        report.mine_secs,
        report.total_secs
    );
}
