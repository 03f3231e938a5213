//! `fee-report bandwidth`: bandwidth growth beside the chain's growth.

/// Placeholder arguments; the bandwidth subcommand lands with its issue (its owner replaces
/// this file; it may flatten `btcaddr_cli::node_args::NodeArgs` for the node options).
#[derive(Debug, clap::Args)]
pub struct BandwidthArgs {}

/// Placeholder; the bandwidth subcommand lands with its issue.
pub fn run(_args: BandwidthArgs) -> std::process::ExitCode {
    std::process::ExitCode::SUCCESS
}
