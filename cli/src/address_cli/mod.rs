//! The `btcaddr` command: generic Bitcoin addresses on the command line.
//!
//! [`run`] parses the arguments and runs one command over its inputs through [`batch`]; each
//! command is a [`batch::Processor`] in its own module.

pub mod args;
pub mod batch;
mod bench_input;
pub mod check;
pub mod convert;
pub mod decode;
pub mod encode;
pub mod error;
pub mod hex;
pub mod inspect;
pub mod qr;

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use self::args::{Cli, Command};
use self::batch::{Processor, Summary};

/// Runs `btcaddr` with the process's arguments; returns 0, 1 (some input invalid) or 2 (usage
/// or I/O error).
pub fn run() -> ExitCode {
    // clap exits with 2 on usage errors and 0 for --help/--version.
    let cli = Cli::parse();
    match execute(cli) {
        Ok(summary) if summary.failed == 0 => ExitCode::SUCCESS,
        Ok(_) => ExitCode::from(1),
        // `btcaddr ... | head`: the reader left; nothing to report.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("btcaddr: {e}");
            ExitCode::from(2)
        }
    }
}

/// Runs a parsed command line, writing to standard output and standard error.
pub fn execute(cli: Cli) -> io::Result<Summary> {
    let threads = cli
        .threads
        .map(usize::from)
        .or_else(|| std::thread::available_parallelism().ok().map(usize::from))
        .unwrap_or(1);
    match cli.command {
        Command::Encode(a) => {
            let p = encode::Encode {
                network: a.network,
                script: a.script,
            };
            run_batch(&p, &a.inputs, threads)
        }
        Command::Decode(a) => run_batch(&decode::Decode { json: a.json }, &a.inputs, threads),
        Command::Convert(a) => {
            run_batch(&convert::Convert { network: a.network }, &a.inputs, threads)
        }
        Command::Check(a) => run_batch(&check::Check, &a.inputs, threads),
        Command::Inspect(a) => run_batch(
            &inspect::Inspect {
                json: a.json,
                network: a.network,
            },
            &a.inputs,
            threads,
        ),
        Command::Qr(a) => qr::run(&a),
        Command::Completions { shell } => {
            let mut out = io::stdout().lock();
            clap_complete::generate(shell, &mut Cli::command(), "btcaddr", &mut out);
            out.flush()?;
            Ok(Summary::default())
        }
        Command::Man { out_dir: Some(dir) } => {
            clap_mangen::generate_to(Cli::command(), &dir).map_err(|e| {
                io::Error::new(
                    e.kind(),
                    format!("writing man pages to {}: {e}", dir.display()),
                )
            })?;
            Ok(Summary::default())
        }
        Command::Man { out_dir: None } => {
            let mut out = io::stdout().lock();
            clap_mangen::Man::new(Cli::command()).render(&mut out)?;
            out.flush()?;
            Ok(Summary::default())
        }
        Command::BenchInput(a) => {
            let mut out = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
            bench_input::write(a.count, a.form, a.seed, &mut out)?;
            Ok(Summary::default())
        }
    }
}

/// Runs `p` over `inputs`, or over standard input when there are none.
fn run_batch<P: Processor>(p: &P, inputs: &[String], threads: usize) -> io::Result<Summary> {
    let mut out = io::stdout().lock();
    let mut err = io::stderr().lock();
    if inputs.is_empty() {
        if io::stdin().is_terminal() {
            // Otherwise a user who forgot the argument sees a silent, hanging command.
            eprintln!(
                "btcaddr: reading inputs from the terminal, one or more per line; Ctrl-D ends"
            );
        }
        batch::run_reader(p, io::stdin(), threads, &mut out, &mut err)
    } else {
        batch::run_args(p, inputs, &mut out, &mut err)
    }
}
