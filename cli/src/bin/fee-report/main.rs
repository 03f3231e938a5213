//! `fee-report`: the 2016 fee study for any height range, from your own node.
//! Thin binary over `btcaddr-analytics`: node → scan (concurrent, cached, resumable) → report.
//!
//! Exit codes: 0 done, 1 failed (node, data, files), 2 bad usage (options, height range),
//! 130 interrupted by Ctrl-C (a re-run resumes from the cache in the output folder).

mod bandwidth;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use btcaddr_analytics::block::BlockFees;
use btcaddr_analytics::cache::BlockCache;
use btcaddr_analytics::decode::Txids;
use btcaddr_analytics::metrics::FeeSettings;
use btcaddr_analytics::node::{NodeConfig, NodeError, RpcNode};
use btcaddr_analytics::report::{FeeReportBuilder, ReportContext, ReportSettings};
use btcaddr_analytics::scan::{cached_blocks, InOrder, ScanError, ScanEvent, Scanner};
use btcaddr_analytics::source::files::NodeFiles;
use btcaddr_analytics::source::{pick_source, BlockSource, FilesSource, SourceChoice};
use btcaddr_cli::node_args::NodeArgs;
use clap::{CommandFactory, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Blocks in a difficulty retarget period.
const PERIOD: u32 = 2016;

/// The fee study for a height range of your own node: summary, tables, charts, report.html.
#[derive(Debug, Parser)]
#[command(
    name = "fee-report",
    version,
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    report: ReportArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Bandwidth growth beside the chain's growth.
    Bandwidth(bandwidth::BandwidthArgs),
}

#[derive(Debug, clap::Args)]
struct ReportArgs {
    /// First height of the range (with --to).
    #[arg(long, value_name = "H1", requires = "to", conflicts_with_all = ["last", "period"])]
    from: Option<u32>,
    /// Last height of the range, inclusive (with --from).
    #[arg(long, value_name = "H2", requires = "from")]
    to: Option<u32>,
    /// The last N blocks up to the tip.
    #[arg(long, value_name = "N", conflicts_with = "period")]
    last: Option<u32>,
    /// Retarget period P: heights P*2016 ..= P*2016+2015.
    #[arg(long, value_name = "P")]
    period: Option<u32>,
    /// Output folder (created; holds the cache .cache/ that makes re-runs resume).
    #[arg(long, value_name = "DIR", required = true)]
    out: Option<PathBuf>,
    /// A fee that is a multiple of this many satoshi counts as round.
    #[arg(long, value_name = "SAT", default_value_t = 1000)]
    round_fee: u64,
    /// A fee rate that is a multiple of this many sat/vB counts as round.
    #[arg(long, value_name = "SAT_PER_VB", default_value_t = 10)]
    round_rate: u64,
    /// BTC price in US dollars, to state fees in dollars too.
    #[arg(long, value_name = "PRICE")]
    btc_usd: Option<f64>,
    /// Also write one row per transaction (the dataset txs/period=<P>/part-0.parquet).
    #[arg(long)]
    per_tx: bool,
    /// Where blocks come from: auto (REST when the node serves it, else RPC), rest, rpc, or
    /// files (the node's own blk/rev/index files under --datadir or --blocksdir; the node may
    /// be stopped).
    #[arg(long, value_name = "SOURCE", default_value = "auto")]
    source: SourceChoice,
    /// With --source files: the folder holding the chain's blocks/ folder when the node runs
    /// with -blocksdir (default: --datadir).
    #[arg(long, value_name = "DIR")]
    blocksdir: Option<PathBuf>,
    /// Blocks fetched concurrently (default 4: the node serves 4 RPC threads by default on
    /// older versions; with --source files, one per core).
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
    /// No progress bar.
    #[arg(long)]
    quiet: bool,
    #[command(flatten)]
    node: NodeArgs,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Bandwidth(args)) => bandwidth::run(args),
        None => match run(&cli.report) {
            Ok(()) => ExitCode::SUCCESS,
            // With the usage line, like clap's own errors.
            Err(Failure::Usage(msg)) => Cli::command()
                .error(clap::error::ErrorKind::ValueValidation, msg)
                .exit(),
            Err(failure) => failure.exit("fee-report"),
        },
    }
}

/// How a run ends when it does not succeed.
enum Failure {
    /// Bad options or range: exit 2 with usage.
    Usage(String),
    /// Ctrl-C: exit 130.
    Interrupted(String),
    /// Anything else: exit 1.
    Run(String),
}

/// A flag the first Ctrl-C sets, so the run can stop cleanly and keep what it has fetched; a
/// second Ctrl-C exits at once with 130.
fn cancel_on_ctrl_c() -> Result<Arc<AtomicBool>, Failure> {
    let cancel = Arc::new(AtomicBool::new(false));
    let sigint = signal_hook::consts::SIGINT;
    signal_hook::flag::register_conditional_shutdown(sigint, 130, cancel.clone())
        .and_then(|_| signal_hook::flag::register(sigint, cancel.clone()))
        .map_err(|e| Failure::Run(format!("cannot handle Ctrl-C: {e}")))?;
    Ok(cancel)
}

impl Failure {
    /// Prints the failure as one line from `program` and returns its exit code.
    fn exit(self, program: &str) -> ExitCode {
        match self {
            Failure::Usage(msg) => {
                eprintln!("{program}: error: {msg}");
                ExitCode::from(2)
            }
            Failure::Interrupted(msg) => {
                eprintln!("{program}: {msg}");
                ExitCode::from(130)
            }
            Failure::Run(msg) => {
                eprintln!("{program}: error: {msg}");
                ExitCode::FAILURE
            }
        }
    }
}

impl From<NodeError> for Failure {
    fn from(e: NodeError) -> Self {
        match e {
            NodeError::Interrupted => Failure::Interrupted("interrupted".into()),
            NodeError::Config(msg) => Failure::Usage(msg),
            e => Failure::Run(e.to_string()),
        }
    }
}

impl From<ScanError> for Failure {
    fn from(e: ScanError) -> Self {
        match e {
            ScanError::Interrupted { .. } => Failure::Interrupted(e.to_string()),
            ScanError::Node(e) => e.into(),
            e => Failure::Run(e.to_string()),
        }
    }
}

fn run(args: &ReportArgs) -> Result<(), Failure> {
    let out = args
        .out
        .clone()
        .ok_or_else(|| Failure::Usage("--out DIR is required".into()))?;
    if args.round_fee == 0 || args.round_rate == 0 {
        return Err(Failure::Usage(
            "--round-fee and --round-rate must be at least 1".into(),
        ));
    }
    if args.btc_usd.is_some_and(|p| !(p.is_finite() && p > 0.0)) {
        return Err(Failure::Usage("--btc-usd must be a positive price".into()));
    }
    let config = args.node.to_config().map_err(Failure::Usage)?;
    // First Ctrl-C: stop cleanly after the blocks in flight.
    let cancel = cancel_on_ctrl_c()?;
    let notices = Notices::default();
    let node = RpcNode::with_cancel(&config, cancel.clone());
    let opened = if args.source == SourceChoice::Files {
        open_files(args, &config, &node)?
    } else {
        open_node_source(args, &config, &node, &notices, &cancel)?
    };
    let Opened {
        chain,
        from,
        to,
        source,
        jobs,
    } = opened;
    let cache = BlockCache::open(&out.join(".cache").join("blocks"))
        .map_err(|e| Failure::Run(e.to_string()))?;
    if !args.quiet {
        eprintln!(
            "fee-report: {} blocks {from}..={to} of {} via {} ({} jobs) into {}",
            to - from + 1,
            chain,
            source.name(),
            jobs,
            out.display()
        );
    }

    let settings = ReportSettings {
        fees: FeeSettings {
            round_fee: args.round_fee,
            round_rate: args.round_rate,
        },
        per_tx: args.per_tx,
    };
    // The report is built while the scan runs, from the blocks cached so far in height order;
    // after a reorg (or a failure feeding it) it is rebuilt from the cache once the scan is done.
    let new_report =
        || FeeReportBuilder::new(settings, &out).map_err(|e| Failure::Run(e.to_string()));
    let mut report = Some(new_report()?);
    let mut order = InOrder::new(from, to);
    let feed = |order: &mut InOrder, report: &mut Option<FeeReportBuilder>| {
        while let Some(live) = report.as_mut() {
            let Some(block) = order.next_ready(&cache) else {
                break;
            };
            if push_block(live, block).is_err() {
                // Dropped here; the rebuild after the scan reports the error properly.
                *report = None;
            }
        }
    };

    let bar = progress_bar(u64::from(to - from + 1), args.quiet);
    // Only the per-transaction rows show txids; without them the hashing is skipped.
    let txids = if args.per_tx {
        Txids::Compute
    } else {
        Txids::Skip
    };
    let scanner = Scanner::new(&config, source.as_ref(), &cache, jobs)
        .with_cancel(cancel.clone())
        .with_txids(txids);
    let stats = scanner.run(from, to, &mut |event| {
        order.note(&event);
        match event {
            ScanEvent::Block { .. } => bar.inc(1),
            ScanEvent::Reorg { from_height, blocks } => bar.suspend(|| {
                eprintln!(
                    "fee-report: notice: the chain changed during the scan (reorg from height {from_height}); refetching {blocks} blocks"
                )
            }),
            ScanEvent::Waiting { reason } => notices.waiting(Some(&bar), &reason),
        }
        feed(&mut order, &mut report);
    });
    bar.finish_and_clear();
    let stats = stats?;
    if cancel.load(Ordering::Relaxed) {
        return Err(Failure::Interrupted(
            "interrupted; a re-run resumes from the cache".into(),
        ));
    }

    let started = Instant::now();
    let report = match report {
        Some(report) if order.is_complete() => report,
        stale => {
            // Its open txs/ part must go before a new one takes the same name.
            drop(stale);
            let mut report = new_report()?;
            for block in cached_blocks(&cache, from, to) {
                push_block(&mut report, block)?;
            }
            report
        }
    };
    let txs: u64 = report.blocks().iter().map(|b| u64::from(b.fee_txs)).sum();
    let mut context = ReportContext::new(&chain, &source.name().to_lowercase(), from, to);
    context.btc_usd = args.btc_usd;
    // A bandwidth report written earlier into the same folder joins report.html.
    if let Some(section) = btcaddr_analytics::bandwidth::report::html_section_from_dir(&out)
        .map_err(|e| Failure::Run(e.to_string()))?
    {
        context.extra_sections.push(section);
    }
    report
        .finish(&context)
        .map_err(|e| Failure::Run(e.to_string()))?;

    let secs = stats.elapsed.as_secs_f64().max(1e-9);
    eprintln!(
        "fee-report: {} blocks, {txs} transactions: {} from the cache, {} fetched via {}{} in {:.2} s ({:.1} blocks/s, {:.0} tx/s fetched); report written in {:.2} s",
        stats.blocks,
        stats.from_cache,
        stats.fetched,
        source.name(),
        if stats.reorg_refetched > 0 {
            format!(" ({} refetched after a reorg)", stats.reorg_refetched)
        } else {
            String::new()
        },
        secs,
        f64::from(stats.fetched) / secs,
        stats.txs_fetched as f64 / secs,
        started.elapsed().as_secs_f64(),
    );
    println!("{}", out.join("report.html").display());
    Ok(())
}

/// The source to scan with and what it says of the chain.
struct Opened {
    /// The chain's name as the node's getblockchaininfo says it (`main`, `regtest`…).
    chain: String,
    from: u32,
    to: u32,
    source: Box<dyn BlockSource>,
    jobs: usize,
}

/// REST or RPC: the node is asked for its chain, and REST is probed.
fn open_node_source(
    args: &ReportArgs,
    config: &NodeConfig,
    node: &RpcNode,
    notices: &Notices,
    cancel: &AtomicBool,
) -> Result<Opened, Failure> {
    let info: btcaddr_analytics::node::ChainInfo =
        node.call_noting("getblockchaininfo", &[], |e| {
            notices.waiting(None, &e.to_string())
        })?;
    node.check_chain(&info)?;
    let (from, to) = height_range(args, info.blocks)?;
    if info.pruned {
        if let Some(low) = info.pruneheight.filter(|&low| from < low) {
            return Err(Failure::Run(format!(
                "block {from} is pruned on this node (it keeps blocks from height {low} on); choose --from {low} or later"
            )));
        }
    }
    let first_hash = node.block_hash(from)?;
    let picked = pick_source(config, args.source, from, &first_hash, cancel)
        .map_err(|e| Failure::Run(format!("block {from}: {e}")))?;
    if let Some(reason) = &picked.fallback_reason {
        eprintln!("fee-report: notice: REST is not usable ({reason}); falling back to RPC getblock (slower)");
    }
    Ok(Opened {
        chain: info.chain,
        from,
        to,
        source: picked.source,
        jobs: args.jobs.unwrap_or(4),
    })
}

/// The node's files: the block index gives the chain; the node, when it runs, must agree.
fn open_files(args: &ReportArgs, config: &NodeConfig, node: &RpcNode) -> Result<Opened, Failure> {
    let base = args
        .blocksdir
        .clone()
        .or_else(|| args.node.datadir.clone())
        .or_else(btcaddr_analytics::node::default_datadir)
        .ok_or_else(|| Failure::Usage("--source files needs --datadir (HOME is not set)".into()))?;
    let blocks_dir = config.chain.blocks_dir(&base);
    let files = NodeFiles::open(&blocks_dir, config.chain.network())
        .map_err(|e| Failure::Run(e.to_string()))?;
    let (from, to) = height_range(args, files.tip_height())?;
    // One quick question, no waiting: a stopped node is the normal case here.
    match node.call_once::<btcaddr_analytics::node::ChainInfo>("getblockchaininfo", &[]) {
        Ok(info) => {
            node.check_chain(&info)?;
            // The index on disk lags the node's memory until it flushes; it must not disagree.
            let height = to.min(info.blocks);
            let ours = files
                .entry(height)
                .map_err(|e| Failure::Run(e.to_string()))?
                .hash;
            let theirs = node.block_hash(height)?;
            if ours != theirs {
                return Err(Failure::Run(format!(
                    "the block index in {} has {ours} at height {height} but the running node has {theirs}: the node has not written its index yet (try again later, or stop the node)",
                    blocks_dir.display()
                )));
            }
        }
        Err(NodeError::Interrupted) => return Err(NodeError::Interrupted.into()),
        Err(_) => eprintln!(
            "fee-report: notice: no node answers at {}; reading {} alone",
            config.rpc_url,
            blocks_dir.display()
        ),
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    Ok(Opened {
        chain: config.chain.to_string(),
        from,
        to,
        source: Box::new(FilesSource::new(files)),
        jobs: args.jobs.unwrap_or(cores),
    })
}

// Adds one block read back from the cache to the report.
fn push_block(
    report: &mut FeeReportBuilder,
    block: Result<BlockFees, ScanError>,
) -> Result<(), Failure> {
    let block = block.map_err(|e| Failure::Run(e.to_string()))?;
    report
        .push(&block)
        .map(|_| ())
        .map_err(|e| Failure::Run(e.to_string()))
}

// The inclusive height range the options ask for, checked against the tip.
fn height_range(args: &ReportArgs, tip: u32) -> Result<(u32, u32), Failure> {
    let (from, to) = match (args.from, args.to, args.last, args.period) {
        (Some(from), Some(to), None, None) => (from, to),
        (None, None, Some(n), None) => {
            if n == 0 {
                return Err(Failure::Usage("--last must be at least 1".into()));
            }
            if n > tip + 1 {
                return Err(Failure::Usage(format!(
                    "--last {n}: the node's chain has only {} blocks (tip {tip})",
                    u64::from(tip) + 1
                )));
            }
            (tip + 1 - n, tip)
        }
        (None, None, None, Some(p)) => {
            let from = p
                .checked_mul(PERIOD)
                .ok_or_else(|| Failure::Usage(format!("--period {p} is beyond any chain")))?;
            (from, from.saturating_add(PERIOD - 1))
        }
        _ => {
            return Err(Failure::Usage(
                "give the range as --from H1 --to H2, --last N or --period P".into(),
            ))
        }
    };
    if from > to {
        return Err(Failure::Usage(format!(
            "--from {from} is above --to {to}: the range is reversed"
        )));
    }
    if to > tip {
        return Err(Failure::Usage(format!(
            "height {to} is beyond the node's tip ({tip}); the range {from}..={to} must end at {tip} or lower"
        )));
    }
    Ok((from, to))
}

fn progress_bar(len: u64, quiet: bool) -> ProgressBar {
    // Drawn only when stderr is a terminal (indicatif hides it otherwise).
    let target = if quiet {
        ProgressDrawTarget::hidden()
    } else {
        ProgressDrawTarget::stderr()
    };
    let bar = ProgressBar::with_draw_target(Some(len), target);
    if let Ok(style) = ProgressStyle::with_template(
        "{bar:40.cyan/blue} {pos}/{len} blocks  {per_sec}  elapsed {elapsed}  ETA {eta}",
    ) {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(250));
    bar
}

/// Prints "waiting" notices once per kind of trouble, not once per retry.
#[derive(Default)]
struct Notices {
    last: std::sync::Mutex<Option<String>>,
}

impl Notices {
    fn waiting(&self, bar: Option<&ProgressBar>, reason: &str) {
        let kind = if reason.contains("warming up") {
            "the node is warming up; waiting".to_owned()
        } else {
            format!("{reason}; retrying")
        };
        let mut last = self.last.lock().unwrap_or_else(|p| p.into_inner());
        if last.as_deref() == Some(kind.as_str()) {
            return;
        }
        let line = format!("fee-report: notice: {kind}");
        match bar {
            Some(bar) => bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
        *last = Some(kind);
    }
}
