//! Why one input of a batch failed.

use btcaddr::{ConversionError, DecodeError, EncodeError, Network};

/// Why one input could not be processed; printed after the input and its line number.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// Not a valid generic address.
    #[error("{0}")]
    Decode(#[from] DecodeError),
    /// A generic address given where a standard address or script was expected.
    #[error("this is a generic address already (use `btcaddr decode` or `btcaddr convert`)")]
    AlreadyGeneric,
    /// A standard address given where a generic address was expected.
    #[error(
        "this is a standard address, not a generic one (use `btcaddr encode` or `btcaddr convert`)"
    )]
    StandardGiven,
    /// Not a valid standard address, or no standard form.
    #[error("{0}")]
    Conversion(#[from] ConversionError),
    /// The script cannot be a generic address.
    #[error("{0}")]
    Encode(#[from] EncodeError),
    /// `--script` input that is not hex.
    #[error("invalid hex: {0}")]
    Hex(HexError),
    /// A generic address on another network than `--network`.
    #[error("the address is on {found}, not on {expected}")]
    NetworkMismatch {
        /// The address's network.
        found: Network,
        /// The one asked for.
        expected: Network,
    },
    /// A batch input that is not UTF-8 text.
    #[error("not UTF-8 text")]
    NotUtf8,
}

/// Why a hex string is not a script.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum HexError {
    /// An odd number of digits.
    #[error("odd number of digits ({0})")]
    OddLength(usize),
    /// A character that is not a hex digit.
    #[error("{ch:?} at position {index} is not a hex digit")]
    InvalidChar {
        /// The character.
        ch: char,
        /// Its character index.
        index: usize,
    },
}
