//! Errors: one precise variant per way an input can fail.

use core::fmt;

/// A short copy of the text the user gave, kept inline so that building an error never allocates.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct ShortText {
    bytes: [u8; ShortText::CAPACITY],
    len: u8,
    truncated: bool,
}

impl ShortText {
    const CAPACITY: usize = 16;

    /// Copies up to 16 bytes of `s`, cut at a character boundary.
    pub fn new(s: &str) -> ShortText {
        let mut end = s.len().min(Self::CAPACITY);
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        let mut bytes = [0u8; Self::CAPACITY];
        bytes[..end].copy_from_slice(&s.as_bytes()[..end]);
        ShortText {
            bytes,
            len: end as u8,
            truncated: end < s.len(),
        }
    }

    /// The kept text (without the ellipsis a truncated text displays with).
    pub fn as_str(&self) -> &str {
        // The bytes were copied from a `&str` and cut at a char boundary.
        core::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or("")
    }
}

impl fmt::Display for ShortText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())?;
        if self.truncated {
            f.write_str("…")?;
        }
        Ok(())
    }
}

impl fmt::Debug for ShortText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

/// A chain prefix that is not `btc`, `testnet`, `signet` or `regtest`.
///
/// ```
/// let err = "bct".parse::<btcaddr::Network>().unwrap_err();
/// assert_eq!(err.to_string(), "unknown prefix \"bct\": expected btc, testnet, signet or regtest");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("unknown prefix \"{prefix}\": expected btc, testnet, signet or regtest")]
pub struct UnknownPrefixError {
    /// The prefix as given (first 16 bytes).
    pub prefix: ShortText,
}

impl UnknownPrefixError {
    pub(crate) fn new(prefix: &str) -> Self {
        UnknownPrefixError {
            prefix: ShortText::new(prefix),
        }
    }
}

/// Why a string is not a valid generic address.
///
/// Positions are 0-based character indexes into the whole string (prefix and colon included), so
/// a caret can be put under the offending character.
///
/// ```
/// use btcaddr::{decode, DecodeError};
/// assert_eq!(decode("btc"), Err(DecodeError::MissingColon));
/// assert!(matches!(decode("btc:ybndr0"), Err(DecodeError::InvalidChar { ch: '0', index: 9 })));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// No `:` separates the prefix from the data.
    #[error("missing ':' between the chain prefix and the address letters")]
    MissingColon,
    /// A second `:` was found.
    #[error("repeated ':' at position {index}: an address has exactly one colon")]
    RepeatedColon {
        /// Position of the second colon.
        index: usize,
    },
    /// Upper and lower case letters are mixed; only all-lowercase or all-uppercase is accepted.
    #[error("mixed upper and lower case: write the address all in lowercase or all in uppercase")]
    MixedCase,
    /// The prefix names no known chain.
    #[error(transparent)]
    UnknownPrefix(#[from] UnknownPrefixError),
    /// A character after the colon is not in the z-base-32 alphabet.
    #[error("invalid character {ch:?} at position {index}: not in the z-base-32 alphabet ybndrfg8ejkmcpqxot1uwisza345h769")]
    InvalidChar {
        /// The character found.
        ch: char,
        /// Its position.
        index: usize,
    },
    /// No script length gives this many letters (a letter was added or dropped).
    #[error("invalid length: {letters} letters after the colon fit no script length (a letter missing or extra?)")]
    InvalidLength {
        /// Letters after the colon, check letter included.
        letters: usize,
    },
    /// The script would be longer than the consensus limit of 10,000 bytes.
    #[error("script too long: {len} bytes, the limit is 10000")]
    ScriptTooLong {
        /// The script length the letter count implies.
        len: usize,
    },
    /// The Damm check letter does not match: a letter is wrong or two letters are swapped.
    #[error("check letter mismatch: a letter is mistyped or two letters are swapped")]
    DammMismatch,
    /// The letters pass the Damm check but the CRC does not match the script and prefix.
    #[error("checksum mismatch: the address is corrupted or belongs to another chain")]
    CrcMismatch,
}

impl DecodeError {
    /// A stable snake_case name for the variant, the same in every language binding and in
    /// `tests/data/vectors.json`.
    ///
    /// ```
    /// assert_eq!(btcaddr::decode("btc").unwrap_err().kind(), "missing_colon");
    /// ```
    pub fn kind(&self) -> &'static str {
        match self {
            DecodeError::MissingColon => "missing_colon",
            DecodeError::RepeatedColon { .. } => "repeated_colon",
            DecodeError::MixedCase => "mixed_case",
            DecodeError::UnknownPrefix(_) => "unknown_prefix",
            DecodeError::InvalidChar { .. } => "invalid_char",
            DecodeError::InvalidLength { .. } => "invalid_length",
            DecodeError::ScriptTooLong { .. } => "script_too_long",
            DecodeError::DammMismatch => "damm_mismatch",
            DecodeError::CrcMismatch => "crc_mismatch",
        }
    }

    /// The 0-based character index into the whole string that the error blames, if it blames
    /// one character (an invalid character, a repeated colon).
    ///
    /// ```
    /// assert_eq!(btcaddr::decode("btc:ybn0").unwrap_err().position(), Some(7));
    /// assert_eq!(btcaddr::decode("btc").unwrap_err().position(), None);
    /// ```
    pub fn position(&self) -> Option<usize> {
        match *self {
            DecodeError::RepeatedColon { index } | DecodeError::InvalidChar { index, .. } => {
                Some(index)
            }
            _ => None,
        }
    }
}

/// Why a script cannot be encoded as a generic address.
///
/// ```
/// use btcaddr::{encode, EncodeError, Network};
/// assert_eq!(encode(Network::Btc, &[]), Err(EncodeError::EmptyScript));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    /// An empty script has no address.
    #[error("an empty script has no address")]
    EmptyScript,
    /// Longer than the consensus limit.
    #[error("script too long: {len} bytes, the limit is 10000")]
    ScriptTooLong {
        /// The script's length.
        len: usize,
    },
    /// The caller's buffer ([`crate::encode_to_slice`]) cannot hold the address.
    #[error("buffer too small: the address needs {needed} bytes")]
    BufferTooSmall {
        /// Bytes the address takes.
        needed: usize,
    },
}

impl EncodeError {
    /// A stable snake_case name for the variant, the same in every language binding.
    ///
    /// ```
    /// assert_eq!(btcaddr::encode(btcaddr::Network::Btc, &[]).unwrap_err().kind(), "empty_script");
    /// ```
    pub fn kind(&self) -> &'static str {
        match self {
            EncodeError::EmptyScript => "empty_script",
            EncodeError::ScriptTooLong { .. } => "script_too_long",
            EncodeError::BufferTooSmall { .. } => "buffer_too_small",
        }
    }
}

/// Why a conversion between a generic address and a standard address string failed.
///
/// ```
/// use btcaddr::{ConversionError, GenericAddress, Network};
/// let op_return = GenericAddress::new(Network::Btc, bitcoin::ScriptBuf::from_hex("6a0474657374").unwrap()).unwrap();
/// assert!(matches!(op_return.to_standard(), Err(ConversionError::NoStandardAddress { .. })));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConversionError {
    /// The script has no base58/bech32/bech32m form (P2PK, bare multisig, OP_RETURN, …).
    #[error(
        "{} {script_type} script has no standard address: only P2PKH, P2SH and witness programs do",
        article(*script_type)
    )]
    NoStandardAddress {
        /// What the script is.
        script_type: crate::ScriptType,
    },
    /// The string is not a valid base58check, bech32 or bech32m address.
    #[error("not a standard address: {0}")]
    InvalidStandard(bitcoin::address::ParseError),
    /// The standard address is not valid on the requested network.
    #[error("the address is not valid on {network}")]
    WrongNetwork {
        /// The network asked for.
        network: crate::Network,
    },
    /// The script of the standard address cannot be encoded.
    #[error(transparent)]
    Encode(#[from] EncodeError),
}

impl ConversionError {
    /// A stable snake_case name for the variant, the same in every language binding.
    ///
    /// ```
    /// let err = btcaddr::GenericAddress::from_standard("bc1q", None).unwrap_err();
    /// assert_eq!(err.kind(), "invalid_standard");
    /// ```
    pub fn kind(&self) -> &'static str {
        match self {
            ConversionError::NoStandardAddress { .. } => "no_standard_address",
            ConversionError::InvalidStandard(_) => "invalid_standard",
            ConversionError::WrongNetwork { .. } => "wrong_network",
            ConversionError::Encode(_) => "encode",
        }
    }
}

/// "an" before a script type name that starts with a vowel (`op_return`), else "a".
fn article(script_type: crate::ScriptType) -> &'static str {
    match script_type {
        crate::ScriptType::OpReturn => "an",
        _ => "a",
    }
}
