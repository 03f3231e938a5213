//! [`GenericAddress`]: a network and a scriptPubKey, with its string form.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use core::str::FromStr;

use bitcoin::{Script, ScriptBuf};

use crate::codec;
use crate::error::{DecodeError, EncodeError};
use crate::{Network, ScriptType};

/// A generic address: any scriptPubKey on one chain.
///
/// `Display` gives the canonical lowercase form; `FromStr` accepts it or the all-uppercase form.
///
/// # Examples
///
/// ```
/// use btcaddr::{GenericAddress, Network};
/// use bitcoin::ScriptBuf;
///
/// let script = ScriptBuf::from_hex("0014751e76e8199196d454941c45d1b3a323f1433bd6").unwrap();
/// let addr = GenericAddress::new(Network::Btc, script.clone()).unwrap();
/// let text = addr.to_string();
/// assert!(text.starts_with("btc:"));
/// assert_eq!(text.len(), "btc:".len() + 43);
/// let back: GenericAddress = text.to_uppercase().parse().unwrap();
/// assert_eq!(back.script(), script.as_script());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GenericAddress {
    network: Network,
    script: ScriptBuf,
}

impl GenericAddress {
    /// An address for `script` on `network`; fails for an empty script or one over 10,000 bytes.
    ///
    /// ```
    /// use btcaddr::{GenericAddress, Network};
    /// assert!(GenericAddress::new(Network::Btc, bitcoin::ScriptBuf::new()).is_err());
    /// ```
    pub fn new(network: Network, script: ScriptBuf) -> Result<GenericAddress, EncodeError> {
        codec::check_script(script.as_bytes())?;
        Ok(GenericAddress { network, script })
    }

    /// The chain.
    ///
    /// ```
    /// # use btcaddr::*;
    /// let a: GenericAddress = encode(Network::Signet, &[0x51]).unwrap().parse().unwrap();
    /// assert_eq!(a.network(), Network::Signet);
    /// ```
    pub fn network(&self) -> Network {
        self.network
    }

    /// The scriptPubKey.
    ///
    /// ```
    /// # use btcaddr::*;
    /// let a: GenericAddress = encode(Network::Btc, &[0x51]).unwrap().parse().unwrap();
    /// assert_eq!(a.script().as_bytes(), &[0x51]);
    /// ```
    pub fn script(&self) -> &Script {
        &self.script
    }

    /// Consumes the address, returning its script.
    ///
    /// ```
    /// # use btcaddr::*;
    /// let a: GenericAddress = encode(Network::Btc, &[0x51]).unwrap().parse().unwrap();
    /// assert_eq!(a.into_script().into_bytes(), vec![0x51]);
    /// ```
    pub fn into_script(self) -> ScriptBuf {
        self.script
    }

    /// What kind of script this is.
    ///
    /// ```
    /// # use btcaddr::*;
    /// let a: GenericAddress = encode(Network::Btc, &[0x6a]).unwrap().parse().unwrap();
    /// assert_eq!(a.script_type(), ScriptType::OpReturn);
    /// ```
    pub fn script_type(&self) -> ScriptType {
        ScriptType::of(&self.script)
    }

    /// Whether the script is a standard output ([`ScriptType::is_standard`]); a valid address
    /// whose script is not standard was probably mistyped, so show a warning beside it.
    ///
    /// ```
    /// # use btcaddr::*;
    /// let p2a: GenericAddress = encode(Network::Btc, &[0x51, 0x02, 0x4e, 0x73]).unwrap().parse().unwrap();
    /// assert!(p2a.is_standard());
    /// let odd: GenericAddress = encode(Network::Btc, &[0x00, 0x14, 0x01]).unwrap().parse().unwrap();
    /// assert!(!odd.is_standard());
    /// ```
    pub fn is_standard(&self) -> bool {
        self.script_type().is_standard()
    }

    /// The warning to show beside this valid address, if its script is not standard.
    ///
    /// ```
    /// # use btcaddr::*;
    /// let mut script = vec![0x00, 0x14];
    /// script.extend_from_slice(&[7u8; 20]);
    /// let p2wpkh: GenericAddress = encode(Network::Btc, &script).unwrap().parse().unwrap();
    /// assert_eq!(p2wpkh.script_type(), ScriptType::P2wpkh);
    /// assert_eq!(p2wpkh.warning(), None);
    /// ```
    pub fn warning(&self) -> Option<crate::NonStandardWarning> {
        crate::NonStandardWarning::of(self.script.as_bytes())
    }

    /// The all-uppercase form, for QR codes' alphanumeric mode.
    ///
    /// ```
    /// # use btcaddr::*;
    /// let a: GenericAddress = encode(Network::Btc, &[0x51]).unwrap().parse().unwrap();
    /// assert!(a.to_uppercase_string().starts_with("BTC:"));
    /// ```
    pub fn to_uppercase_string(&self) -> String {
        let mut s = alloc::string::ToString::to_string(self);
        s.make_ascii_uppercase();
        s
    }

    /// Letters after the colon, check letter included.
    ///
    /// ```
    /// # use btcaddr::*;
    /// let a: GenericAddress = encode(Network::Btc, &[0u8; 22]).unwrap().parse().unwrap();
    /// assert_eq!(a.letter_count(), 43);
    /// ```
    pub fn letter_count(&self) -> usize {
        crate::length::address_letters(self.script.len())
    }
}

impl fmt::Display for GenericAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        codec::write_address(f, self.network, self.script.as_bytes())
    }
}

impl FromStr for GenericAddress {
    type Err = DecodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        decode(s)
    }
}

/// Encodes `script` on `network` as a canonical (lowercase) generic address.
///
/// ```
/// use btcaddr::{encode, Network};
/// let p2wpkh = bitcoin::ScriptBuf::from_hex("0014751e76e8199196d454941c45d1b3a323f1433bd6").unwrap();
/// let s = encode(Network::Btc, p2wpkh.as_bytes()).unwrap();
/// assert_eq!(btcaddr::decode(&s).unwrap().script(), p2wpkh.as_script());
/// ```
pub fn encode(network: Network, script: &[u8]) -> Result<String, EncodeError> {
    codec::check_script(script)?;
    Ok(codec::encode_string(network, script))
}

/// Encodes `script` on `network` into the front of `buf` without allocating, and returns the
/// address (a prefix of `buf`). Fails with [`EncodeError::BufferTooSmall`], which says how many
/// bytes are needed, when `buf` is too short: `prefix:` plus
/// [`length::address_letters`](crate::length::address_letters) of the script length.
///
/// ```
/// use btcaddr::{encode, encode_to_slice, EncodeError, Network};
/// let script = [0x51, 0x02, 0x4e, 0x73];
/// let mut buf = [0u8; 64];
/// let text = encode_to_slice(Network::Btc, &script, &mut buf).unwrap();
/// assert_eq!(text, encode(Network::Btc, &script).unwrap());
/// assert_eq!(
///     encode_to_slice(Network::Btc, &script, &mut [0u8; 8]),
///     Err(EncodeError::BufferTooSmall { needed: text.len() })
/// );
/// ```
pub fn encode_to_slice<'b>(
    network: Network,
    script: &[u8],
    buf: &'b mut [u8],
) -> Result<&'b str, EncodeError> {
    codec::encode_into(network, script, buf)
}

/// Decodes and fully verifies a generic address (Damm letter and CRC). Never corrects: see
/// [`crate::suggest`] for that.
///
/// ```
/// use btcaddr::{decode, DecodeError};
/// assert!(matches!(decode("bitcoin:ybndrfg8"), Err(DecodeError::UnknownPrefix(_))));
/// assert_eq!(decode("btc:ybndrfg8"), Err(DecodeError::InvalidLength { letters: 8 }));
/// ```
pub fn decode(s: &str) -> Result<GenericAddress, DecodeError> {
    let parsed = codec::parse(s)?;
    let mut script = Vec::with_capacity(parsed.script_len);
    codec::verify_crc(&parsed, |bytes| script.extend_from_slice(bytes))?;
    Ok(GenericAddress {
        network: parsed.network,
        script: ScriptBuf::from_bytes(script),
    })
}

/// Whether `s` is a valid generic address; allocates nothing, for hot loops.
///
/// ```
/// let s = btcaddr::encode(btcaddr::Network::Btc, &[0x51, 0x02, 0x4e, 0x73]).unwrap();
/// assert!(btcaddr::is_valid(&s));
/// assert!(!btcaddr::is_valid(&s[..s.len() - 1]));
/// ```
pub fn is_valid(s: &str) -> bool {
    verify(s).is_ok()
}

/// Verifies `s` without allocating, returning its network and script length or the error.
///
/// ```
/// let s = btcaddr::encode(btcaddr::Network::Regtest, &[0u8; 34]).unwrap();
/// assert_eq!(btcaddr::verify(&s), Ok((btcaddr::Network::Regtest, 34)));
/// ```
pub fn verify(s: &str) -> Result<(Network, usize), DecodeError> {
    let parsed = codec::parse(s)?;
    codec::verify_crc(&parsed, |_| {})?;
    Ok((parsed.network, parsed.script_len))
}

/// Decodes into a caller's buffer without allocating; returns the network and the script, a
/// prefix of `buf`. Fails with [`DecodeError::ScriptTooLong`] when the buffer is too small
/// (10,000 bytes always suffice).
///
/// ```
/// let s = btcaddr::encode(btcaddr::Network::Btc, &[0x51]).unwrap();
/// let mut buf = [0u8; 10_000];
/// let (network, script) = btcaddr::decode_to_slice(&s, &mut buf).unwrap();
/// assert_eq!((network, script), (btcaddr::Network::Btc, &[0x51][..]));
/// ```
pub fn decode_to_slice<'b>(s: &str, buf: &'b mut [u8]) -> Result<(Network, &'b [u8]), DecodeError> {
    let parsed = codec::parse(s)?;
    if parsed.script_len > buf.len() {
        return Err(DecodeError::ScriptTooLong {
            len: parsed.script_len,
        });
    }
    let mut filled = 0;
    codec::verify_crc(&parsed, |bytes| {
        buf[filled..filled + bytes.len()].copy_from_slice(bytes);
        filled += bytes.len();
    })?;
    Ok((parsed.network, &buf[..filled]))
}
