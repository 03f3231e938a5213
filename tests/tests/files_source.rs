//! `--source files`' readers against the simulator's tiny chain: every block and undo record
//! read from the node's files (checked against the blocks and the manifest), every error on
//! damaged copies, and the undo records against the running node's `/rest/spenttxouts`.
//! Needs the node: `scripts/install-node.sh`.

#[path = "files_source/common.rs"]
mod common;
#[path = "files_source/errors.rs"]
mod errors;
#[path = "files_source/node_rest.rs"]
mod node_rest;
#[path = "files_source/tiny_chain.rs"]
mod tiny_chain;
