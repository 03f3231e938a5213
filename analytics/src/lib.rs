//! Fee and bandwidth analytics from a Bitcoin node.
//!
//! Data flows one way: a block source (REST or RPC) → decoding ([`decode`]) →
//! [`block::BlockFees`] → metrics → polars frames → charts and report.

mod atomic;
pub mod bandwidth;
pub mod block;
pub mod cache;
pub mod charts;
pub mod decode;
pub mod frames;
pub mod metrics;
pub mod node;
pub mod payer;
pub mod report;
pub mod scan;
pub mod source;
