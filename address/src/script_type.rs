//! What kind of scriptPubKey an address carries.

use core::fmt;

use bitcoin::Script;

/// The kind of a scriptPubKey, as wallets and explorers name them.
///
/// # Examples
///
/// ```
/// use btcaddr::ScriptType;
/// let p2tr = bitcoin::ScriptBuf::from_hex(
///     "512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798").unwrap();
/// assert_eq!(ScriptType::of(&p2tr), ScriptType::P2tr);
/// assert_eq!(ScriptType::P2tr.to_string(), "p2tr");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScriptType {
    /// Pay to public key: `<pubkey> OP_CHECKSIG`.
    P2pk,
    /// Pay to public key hash (base58 `1…`).
    P2pkh,
    /// Pay to script hash (base58 `3…`).
    P2sh,
    /// Witness v0 key hash (bech32 `bc1q…`, 20 bytes).
    P2wpkh,
    /// Witness v0 script hash (bech32 `bc1q…`, 32 bytes).
    P2wsh,
    /// Witness v1 taproot output (bech32m `bc1p…`, 32 bytes).
    P2tr,
    /// Pay to anchor: `OP_1 <0x4e73>` (bech32m `bc1pfeessrawgf`).
    P2a,
    /// A witness program of a version or length not assigned yet (v1 of other lengths, v2–16).
    WitnessUnknown {
        /// The witness version, 1 to 16.
        version: u8,
    },
    /// A provably unspendable `OP_RETURN` output.
    OpReturn,
    /// Bare multisig: `m <pubkeys…> n OP_CHECKMULTISIG`.
    Multisig,
    /// Anything else.
    NonStandard,
}

impl ScriptType {
    /// Classifies a scriptPubKey.
    ///
    /// ```
    /// use btcaddr::ScriptType;
    /// let anchor = bitcoin::ScriptBuf::from_hex("51024e73").unwrap();
    /// assert_eq!(ScriptType::of(&anchor), ScriptType::P2a);
    /// let v2 = bitcoin::ScriptBuf::from_hex("5210751e76e8199196d454941c45d1b3a323").unwrap();
    /// assert_eq!(ScriptType::of(&v2), ScriptType::WitnessUnknown { version: 2 });
    /// ```
    pub fn of(script: &Script) -> ScriptType {
        const P2A: [u8; 4] = [0x51, 0x02, 0x4e, 0x73];
        if script.as_bytes() == P2A {
            ScriptType::P2a
        } else if script.is_p2pkh() {
            ScriptType::P2pkh
        } else if script.is_p2sh() {
            ScriptType::P2sh
        } else if script.is_p2wpkh() {
            ScriptType::P2wpkh
        } else if script.is_p2wsh() {
            ScriptType::P2wsh
        } else if script.is_p2tr() {
            ScriptType::P2tr
        } else if let Some(version) = script.witness_version().filter(|v| v.to_num() > 0) {
            // A v0 program that is neither 20 nor 32 bytes is unspendable, not a future version.
            ScriptType::WitnessUnknown {
                version: version.to_num(),
            }
        } else if script.is_op_return() {
            ScriptType::OpReturn
        } else if script.is_p2pk() {
            ScriptType::P2pk
        } else if script.is_multisig() {
            ScriptType::Multisig
        } else {
            ScriptType::NonStandard
        }
    }

    /// Whether scripts of this kind have a base58/bech32/bech32m address.
    ///
    /// ```
    /// assert!(btcaddr::ScriptType::P2wpkh.has_standard_address());
    /// assert!(!btcaddr::ScriptType::P2pk.has_standard_address());
    /// ```
    pub fn has_standard_address(self) -> bool {
        // One list of the kinds with a standard form: the encodings' in `convert`.
        self.standard_encoding().is_some()
    }

    /// Whether scripts of this kind are standard outputs (relayed by Bitcoin Core's policy):
    /// everything but [`ScriptType::NonStandard`].
    ///
    /// A valid generic address whose script is not standard was most likely mistyped: an
    /// inserted or appended letter can land on another script length that the checks accept,
    /// and the script then decodes to bytes no wallet would pay to.
    ///
    /// ```
    /// use btcaddr::ScriptType;
    /// assert!(ScriptType::P2wpkh.is_standard());
    /// assert!(ScriptType::OpReturn.is_standard());
    /// assert!(!ScriptType::NonStandard.is_standard());
    /// ```
    pub fn is_standard(self) -> bool {
        self != ScriptType::NonStandard
    }
}

impl fmt::Display for ScriptType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScriptType::P2pk => f.write_str("p2pk"),
            ScriptType::P2pkh => f.write_str("p2pkh"),
            ScriptType::P2sh => f.write_str("p2sh"),
            ScriptType::P2wpkh => f.write_str("p2wpkh"),
            ScriptType::P2wsh => f.write_str("p2wsh"),
            ScriptType::P2tr => f.write_str("p2tr"),
            ScriptType::P2a => f.write_str("p2a"),
            ScriptType::WitnessUnknown { version } => write!(f, "witness_v{version}"),
            ScriptType::OpReturn => f.write_str("op_return"),
            ScriptType::Multisig => f.write_str("multisig"),
            ScriptType::NonStandard => f.write_str("nonstandard"),
        }
    }
}
