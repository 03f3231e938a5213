//! `fee-report`: the 2016 fee study for any height range, from your own node.
//! Thin binary over `btcaddr-analytics`.

mod bandwidth;

fn main() -> std::process::ExitCode {
    // Placeholder until the fee-report command lands; `bandwidth` is wired here as a subcommand.
    let _ = bandwidth::run;
    std::process::ExitCode::SUCCESS
}
