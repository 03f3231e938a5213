//! # btcaddr: the generic Bitcoin address format
//!
//! Any scriptPubKey becomes `prefix:` + z-base-32 of the script + at least 30 bits of
//! CRC-64/ECMA-182 (over the prefix and the script) + one Damm check letter, following Rusty
//! Russell's 2016 proposal with every open choice pinned (see `docs/FORMAT.md`).
//!
//! * [`encode`] / [`decode`] and [`GenericAddress`] (`Display` / `FromStr`);
//! * [`is_valid`], [`verify`], [`decode_to_slice`] and [`encode_to_slice`]: allocation-free, for
//!   hot loops and callers without an allocator;
//! * [`suggest()`]: explicit, verified correction candidates (decoding never corrects);
//! * [`ScriptType`]: what a script is; conversion to and from base58check, bech32 and bech32m
//!   ([`GenericAddress::to_standard`], [`GenericAddress::from_standard`]).
//!
//! Pure: no I/O. Builds without `std` (with `alloc`): `--no-default-features`.
//!
//! # Examples
//!
//! ```
//! use btcaddr::{GenericAddress, Network, ScriptType};
//!
//! let g = GenericAddress::from_standard("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", None)?;
//! assert_eq!(g.network(), Network::Btc);
//! assert_eq!(g.script_type(), ScriptType::P2wpkh);
//! let text = g.to_string();
//! assert_eq!(btcaddr::decode(&text)?, g);
//! assert_eq!(g.to_standard()?.to_string(), "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![cfg_attr(not(feature = "std"), no_std)]
#![warn(missing_docs)]

extern crate alloc;

mod address;
pub mod checksum;
mod codec;
mod convert;
pub mod damm;
mod error;
pub mod length;
mod network;
mod script_type;
pub mod suggest;
mod warning;
pub mod zbase32;

pub use crate::address::{
    decode, decode_to_slice, encode, encode_to_slice, is_valid, verify, GenericAddress,
};
pub use crate::error::{ConversionError, DecodeError, EncodeError, ShortText, UnknownPrefixError};
pub use crate::network::Network;
pub use crate::script_type::ScriptType;
pub use crate::suggest::{suggest, Edit, Suggestion};
pub use crate::warning::NonStandardWarning;
