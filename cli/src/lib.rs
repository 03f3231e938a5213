//! Library part of the command-line tools: pieces shared by the binaries.

pub mod address_cli;
pub mod node_args;
