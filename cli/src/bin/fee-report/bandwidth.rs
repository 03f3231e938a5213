//! `fee-report bandwidth`: bandwidth growth beside the chain's growth.

/// Placeholder; the bandwidth subcommand lands with its issue.
pub fn run() -> std::process::ExitCode {
    std::process::ExitCode::SUCCESS
}
