//! End-to-end test support for btcaddr: a real regtest node ([`node`]) and a chain simulator
//! that makes a realistic fee market on it ([`sim`]).

pub mod node;
pub mod sim;
