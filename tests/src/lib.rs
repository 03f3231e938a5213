//! End-to-end test support for btcaddr: a real regtest node ([`node`]), a chain simulator
//! that makes a realistic fee market on it ([`sim`]), and saved REST answers for the
//! benchmark binaries ([`answers`]).

pub mod answers;
pub mod node;
pub mod sim;
