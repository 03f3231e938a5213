//! The command line of `btcaddr`, as clap definitions (also the source of the completions and
//! the man page).

use std::num::NonZeroUsize;

use btcaddr::Network;
use clap::{Args, Parser, Subcommand};
use clap_complete::Shell;

const AFTER_HELP: &str = "\
Inputs: with no ADDR/INPUT arguments every command reads whitespace-separated inputs from standard
input and writes one output line per valid input, in order. An invalid input does not stop the
batch: its error goes to standard error as `btcaddr: line N: INPUT: ERROR`.

Exit status: 0 every input valid, 1 some input invalid, 2 usage or I/O error.

Examples:
  btcaddr encode bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq
  btcaddr decode < generic.txt > scripts.txt
  btcaddr check btc:yykqtzabtt9dr5gnkx7ka91g3znth4nwftbgextefr8
  btcaddr completions bash > /etc/bash_completion.d/btcaddr";

/// Generic Bitcoin addresses: any scriptPubKey as `prefix:` + z-base-32 + CRC + a check letter.
///
/// Converts between generic addresses, standard addresses (base58check, bech32, bech32m) and
/// scriptPubKeys; checks addresses with a caret under the error and proposes corrections.
#[derive(Debug, Parser)]
#[command(name = "btcaddr", version, after_help = AFTER_HELP)]
pub struct Cli {
    /// Worker threads for batches read from standard input [default: the number of CPUs].
    #[arg(long, global = true, value_name = "N")]
    pub threads: Option<NonZeroUsize>,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Standard addresses (or, with --script, hex scriptPubKeys) to generic addresses.
    ///
    /// Prints one generic address per input. The network of a standard address comes from the
    /// address itself; --network picks among networks that share a form (testnet, signet and
    /// regtest share base58 versions; testnet and signet share `tb1`) and is checked.
    #[command(after_help = "\
Examples:
  $ btcaddr encode bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq
  btc:yykqtzabtt9dr5gnkx7ka91g3znth4nwftbgextefr8
  $ btcaddr encode --network signet tb1q...
  $ btcaddr encode --script 0014e8df018c7e326cc253faac7e46cdc51e68542c42
  $ btcaddr encode < standard.txt > generic.txt")]
    Encode(EncodeArgs),

    /// Generic addresses to `NETWORK SCRIPT_HEX TYPE` lines (or JSON with --json).
    ///
    /// TYPE is the library's classification: p2pk, p2pkh, p2sh, p2wpkh, p2wsh, p2tr, p2a,
    /// witness_vN, op_return, multisig or nonstandard. Uppercase input is accepted.
    #[command(after_help = "\
Examples:
  $ btcaddr decode btc:yykqtzabtt9dr5gnkx7ka91g3znth4nwftbgextefr8
  btc 0014e8df018c7e326cc253faac7e46cdc51e68542c42 p2wpkh
  $ btcaddr decode --json btc:yykqtzabtt9dr5gnkx7ka91g3znth4nwftbgextefr8
  {\"network\":\"btc\",\"script\":\"0014e8df018c7e326cc253faac7e46cdc51e68542c42\",\"type\":\"p2wpkh\",\"address\":\"btc:yykqtzabtt9dr5gnkx7ka91g3znth4nwftbgextefr8\"}")]
    Decode(DecodeArgs),

    /// Generic addresses to standard ones, and standard addresses to generic ones.
    ///
    /// An input with a `:` is read as a generic address and printed as its standard address
    /// (an error when its script has none, e.g. P2PK or OP_RETURN); any other input is read as
    /// a standard address and printed as its generic address.
    #[command(after_help = "\
Examples:
  $ btcaddr convert bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq
  btc:yykqtzabtt9dr5gnkx7ka91g3znth4nwftbgextefr8
  $ btcaddr convert btc:yykqtzabtt9dr5gnkx7ka91g3znth4nwftbgextefr8
  bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq")]
    Convert(ConvertArgs),

    /// Says whether addresses are valid; for an invalid one, names the error with a caret under
    /// the bad position and lists correction guesses.
    ///
    /// The guesses are strings one edit away that pass both checks. They are NOT verified:
    /// confirm the address with whoever gave it to you before paying. The report goes to
    /// standard output; the exit status is 1 when any input is invalid.
    #[command(after_help = "\
Examples:
  $ btcaddr check btc:yykqtzabtt9dr5gnkx7ka91g3znth4nwftbgextefr8
  btc:yykqtzabtt9dr5gnkx7ka91g3znth4nwftbgextefr8: valid btc p2wpkh address
  $ btcaddr check btc:yykqtz0btt9dr5gnkx7ka91g3znth4nwftbgextefr8
  btc:yykqtz0btt9dr5gnkx7ka91g3znth4nwftbgextefr8: invalid: invalid character '0' at position 10: ...
      btc:yykqtz0btt9dr5gnkx7ka91g3znth4nwftbgextefr8
                ^
    UNVERIFIED guesses, one edit away; confirm with the payee before using any:
      btc:yykqtzabtt9dr5gnkx7ka91g3znth4nwftbgextefr8  (position 10: '0' replaced by 'a')
  $ btcaddr check < addresses.txt")]
    Check(CheckArgs),

    /// Every detail of addresses (generic or standard): network, type, script hex and asm,
    /// witness version and program or hash, generic, standard and uppercase (QR) forms, lengths.
    #[command(after_help = "\
Examples:
  $ btcaddr inspect bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297
  $ btcaddr inspect --json btc:yykqtzabtt9dr5gnkx7ka91g3znth4nwftbgextefr8")]
    Inspect(InspectArgs),

    /// A QR code of an address: its generic form in uppercase (QR's compact alphanumeric mode).
    ///
    /// Prints the code to the terminal by default; --svg and --png write image files instead.
    /// A standard address is shown as its generic form. The address is checked first: an
    /// invalid one gets its error and no code.
    #[command(after_help = "\
Examples:
  $ btcaddr qr btc:yykqtzabtt9dr5gnkx7ka91g3znth4nwftbgextefr8
  $ btcaddr qr --svg pay.svg btc:yykqtzabtt9dr5gnkx7ka91g3znth4nwftbgextefr8
  $ btcaddr qr --png pay.png bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq")]
    Qr(QrArgs),

    /// Prints a shell completion script.
    #[command(after_help = "\
Examples:
  $ btcaddr completions bash > ~/.local/share/bash-completion/completions/btcaddr
  $ btcaddr completions zsh > ~/.zfunc/_btcaddr")]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: Shell,
    },

    /// Prints the man page (roff), or writes one page per command into a directory.
    #[command(after_help = "\
Examples:
  $ btcaddr man > /usr/local/share/man/man1/btcaddr.1
  $ btcaddr man --out-dir /usr/local/share/man/man1   # btcaddr.1, btcaddr-encode.1, ...")]
    Man {
        /// Write btcaddr.1 and a btcaddr-COMMAND.1 page per command into this directory.
        #[arg(long, value_name = "DIR")]
        out_dir: Option<std::path::PathBuf>,
    },

    /// Writes N lines of pseudo-random mainnet inputs for benchmarks (P2WPKH, P2TR, P2PKH in
    /// turn): standard addresses, generic addresses or hex scripts.
    #[command(hide = true)]
    BenchInput(BenchInputArgs),
}

/// Arguments of `encode`.
#[derive(Debug, Args)]
pub struct EncodeArgs {
    /// Network of the generic address: btc, testnet, signet, regtest (default: from the
    /// standard address; `btc` for --script).
    #[arg(long, short = 'n', value_name = "NET")]
    pub network: Option<Network>,

    /// Read the inputs as scriptPubKeys in hex instead of standard addresses.
    #[arg(long)]
    pub script: bool,

    /// Standard addresses, or hex scripts with --script (default: standard input).
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<String>,
}

/// Arguments of `decode`.
#[derive(Debug, Args)]
pub struct DecodeArgs {
    /// One JSON object per line: {"network","script","type","address"}.
    #[arg(long)]
    pub json: bool,

    /// Generic addresses (default: standard input).
    #[arg(value_name = "ADDR")]
    pub inputs: Vec<String>,
}

/// Arguments of `convert`.
#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// Network for standard inputs whose form several networks share (checked); generic inputs
    /// must be on it.
    #[arg(long, short = 'n', value_name = "NET")]
    pub network: Option<Network>,

    /// Generic or standard addresses (default: standard input).
    #[arg(value_name = "ADDR")]
    pub inputs: Vec<String>,
}

/// Arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Generic addresses (standard ones are accepted too) (default: standard input).
    #[arg(value_name = "ADDR")]
    pub inputs: Vec<String>,
}

/// Arguments of `qr`.
#[derive(Debug, Args)]
pub struct QrArgs {
    /// Write the code as an SVG image to FILE instead of printing it.
    #[arg(long, value_name = "FILE")]
    pub svg: Option<std::path::PathBuf>,

    /// Write the code as a PNG image to FILE instead of printing it.
    #[arg(long, value_name = "FILE")]
    pub png: Option<std::path::PathBuf>,

    /// Network for a standard address whose form several networks share (checked).
    #[arg(long, short = 'n', value_name = "NET")]
    pub network: Option<Network>,

    /// A generic or standard address.
    #[arg(value_name = "ADDR")]
    pub address: String,
}

/// Arguments of `inspect`.
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// One JSON object per input instead of the labelled text.
    #[arg(long)]
    pub json: bool,

    /// Network for standard inputs whose form several networks share (checked).
    #[arg(long, short = 'n', value_name = "NET")]
    pub network: Option<Network>,

    /// Generic or standard addresses (default: standard input).
    #[arg(value_name = "ADDR")]
    pub inputs: Vec<String>,
}

/// Arguments of the hidden `bench-input`.
#[derive(Debug, Args)]
pub struct BenchInputArgs {
    /// How many lines.
    pub count: u64,

    /// Which form to write.
    #[arg(long, value_enum, default_value = "standard")]
    pub form: BenchForm,

    /// Seed of the pseudo-random scripts.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

/// The forms `bench-input` writes.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum BenchForm {
    /// Base58check and bech32/bech32m addresses.
    Standard,
    /// Generic addresses.
    Generic,
    /// scriptPubKeys in hex.
    Script,
}
