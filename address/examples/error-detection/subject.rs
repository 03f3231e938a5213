//! One address string in one format: which characters may be corrupted, with which alphabet,
//! and the format's full decoder as the judge of validity.

use std::str::FromStr;

use bitcoin::address::NetworkUnchecked;
use bitcoin::{Address, Network as BtcNetwork, Script};
use btcaddr::Network;

use crate::syndrome::{self, Syndromes, BECH32_CHARSET};

/// base58's alphabet (no 0, O, I, l).
const BASE58: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/// Which format a string is in.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Format {
    /// `btc:` + z-base-32 (this crate).
    Generic,
    /// bech32 or bech32m segwit address.
    Bech32,
    /// base58check P2PKH/P2SH address.
    Base58,
}

impl Format {
    pub fn label(self, script_kind: &str) -> &'static str {
        match self {
            Format::Generic => "generic",
            Format::Bech32 if script_kind == "P2TR" => "bech32m",
            Format::Bech32 => "bech32",
            Format::Base58 => "base58check",
        }
    }
}

/// An address and what may be corrupted in it.
pub struct Subject {
    pub format: Format,
    pub text: String,
    /// Byte index of the first corruptible character (after `:` or after bech32's `1`; 0 for
    /// base58, whose every character is data).
    pub start: usize,
    pub alphabet: &'static [u8],
    /// The fast method, where the format's check is linear.
    pub syndromes: Option<Syndromes>,
    /// Value (index in the alphabet) of each corruptible character.
    values: Vec<u8>,
}

impl Subject {
    /// `fast`: also build the syndrome tables (not needed for length-changing edits).
    pub fn generic(script: &[u8], fast: bool) -> Subject {
        let text = btcaddr::encode(Network::Btc, script).expect("encodable script");
        Subject {
            format: Format::Generic,
            start: text.find(':').expect("colon") + 1,
            text,
            alphabet: btcaddr::zbase32::ALPHABET.as_bytes(),
            syndromes: fast.then(|| syndrome::generic(script.len())),
            values: Vec::new(),
        }
        .with_values()
    }

    fn with_values(mut self) -> Subject {
        let body = &self.text.as_bytes()[self.start..];
        self.values = body
            .iter()
            .map(|c| {
                self.alphabet
                    .iter()
                    .position(|a| a == c)
                    .expect("in alphabet") as u8
            })
            .collect();
        self
    }

    /// The standard address of the script (bech32/bech32m via the `bech32` crate's
    /// `segwit::encode`, base58check via the `bitcoin` crate).
    pub fn standard(script: &[u8], fast: bool) -> Subject {
        let script = Script::from_bytes(script);
        if script.is_witness_program() {
            let version =
                bech32::Fe32::try_from(script.witness_version().expect("witness").to_num())
                    .expect("version");
            let program = &script.as_bytes()[2..];
            let text =
                bech32::segwit::encode(bech32::hrp::BC, version, program).expect("bech32 encode");
            let sep = text.rfind('1').expect("separator");
            let syndromes = fast.then(|| syndrome::bech32(&text[..sep], &text[sep + 1..]));
            Subject {
                format: Format::Bech32,
                start: sep + 1,
                text,
                alphabet: BECH32_CHARSET,
                syndromes,
                values: Vec::new(),
            }
            .with_values()
        } else {
            let text = Address::from_script(script, BtcNetwork::Bitcoin)
                .expect("standard script")
                .to_string();
            Subject {
                format: Format::Base58,
                start: 0,
                text,
                alphabet: BASE58,
                syndromes: None,
                values: Vec::new(),
            }
            .with_values()
        }
    }

    /// Number of corruptible characters.
    pub fn body_len(&self) -> usize {
        self.text.len() - self.start
    }

    /// Value (index in the alphabet) of body character `pos`.
    pub fn value(&self, pos: usize) -> u8 {
        let c = self.text.as_bytes()[self.start + pos];
        self.alphabet
            .iter()
            .position(|&a| a == c)
            .expect("in alphabet") as u8
    }

    /// The full decoder's verdict: generic `is_valid`; bech32 `segwit::decode` succeeds (it
    /// checks the checksum variant, witness version, program length and padding); base58 the
    /// `bitcoin` crate's `Address` parse succeeds.
    pub fn accepts(&self, s: &str) -> bool {
        match self.format {
            Format::Generic => btcaddr::is_valid(s),
            Format::Bech32 => bech32::segwit::decode(s).is_ok(),
            // The pre-filter is a necessary condition of the parse (see `base58_may_pass`).
            Format::Base58 => {
                base58_may_pass(s) && Address::<NetworkUnchecked>::from_str(s).is_ok()
            }
        }
    }

    /// What the fast method predicts and what the decoder reports agree on this string?
    /// Generic: "Damm passes" and, when it does, "CRC passes"; bech32: "the checksum is a valid
    /// bech32 or bech32m checksum"; base58: "decodes to 25 bytes with a valid checksum".
    /// `syndrome` is the XOR of the corruption's syndromes (None for base58).
    pub fn fast_agrees(&self, s: &str, syndrome: Option<u64>) -> bool {
        let Some(syndrome) = syndrome else {
            let real = bitcoin::base58::decode_check(s).is_ok_and(|payload| payload.len() == 21);
            return real == base58_checksum_ok(s.as_bytes());
        };
        let syn = self.syndromes.as_ref().expect("fast method");
        match self.format {
            Format::Generic => {
                let damm_ok = syndrome >> 40 == 0;
                let crc_ok = syndrome & ((1 << 40) - 1) == 0;
                match btcaddr::verify(s) {
                    Ok(_) => damm_ok && crc_ok,
                    Err(btcaddr::DecodeError::CrcMismatch) => damm_ok && !crc_ok,
                    Err(btcaddr::DecodeError::DammMismatch) => !damm_ok,
                    Err(_) => false,
                }
            }
            Format::Bech32 => {
                use bech32::primitives::decode::UncheckedHrpstring;
                let real = UncheckedHrpstring::new(s).is_ok_and(|u| {
                    u.has_valid_checksum::<bech32::Bech32>()
                        || u.has_valid_checksum::<bech32::Bech32m>()
                });
                real == syn.passes(syndrome)
            }
            Format::Base58 => unreachable!("no fast method for base58"),
        }
    }
}

/// Pre-filter for base58check: the parse of a P2PKH/P2SH address requires 25 decoded bytes with a
/// valid double-SHA256 checksum, and the only other thing `Address::from_str` accepts is a
/// segwit string, which starts with a segwit HRP; strings that fail both cannot be accepted.
pub fn base58_may_pass(s: &str) -> bool {
    let lower = s.as_bytes().get(..5).map(|p| p.to_ascii_lowercase());
    let segwit_like = lower
        .as_deref()
        .is_some_and(|p| p.starts_with(b"bc1") || p.starts_with(b"tb1") || p.starts_with(b"bcrt1"));
    segwit_like || base58_checksum_ok(s.as_bytes())
}

/// Decodes base58 into exactly 25 bytes (leading `1`s are zero bytes) and checks the last four
/// against the double SHA-256 of the first 21. Fixed-size arithmetic: no allocation.
pub fn base58_checksum_ok(s: &[u8]) -> bool {
    use bitcoin::hashes::{sha256d, Hash};
    let zeros = s.iter().take_while(|&&c| c == b'1').count();
    // The number, little-endian 64-bit limbs (25 bytes need 4 limbs).
    let mut limbs = [0u64; 4];
    for &c in &s[zeros..] {
        let Some(digit) = BASE58.iter().position(|&a| a == c) else {
            return false;
        };
        let mut carry = digit as u128;
        for limb in limbs.iter_mut() {
            let v = u128::from(*limb) * 58 + carry;
            *limb = v as u64;
            carry = v >> 64;
        }
        if carry != 0 {
            return false;
        }
    }
    let mut be = [0u8; 32];
    for (i, limb) in limbs.iter().rev().enumerate() {
        be[8 * i..8 * i + 8].copy_from_slice(&limb.to_be_bytes());
    }
    let significant = 32 - be.iter().take_while(|&&b| b == 0).count();
    if zeros + significant != 25 {
        return false;
    }
    let bytes = &be[7..];
    let hash = sha256d::Hash::hash(&bytes[..21]);
    hash.as_byte_array()[..4] == bytes[21..]
}
