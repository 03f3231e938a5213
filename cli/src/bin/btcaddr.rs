//! `btcaddr`: generic Bitcoin addresses on the command line. The logic lives in
//! [`btcaddr_cli::address_cli`].

fn main() -> std::process::ExitCode {
    btcaddr_cli::address_cli::run()
}
