//! Core's compressed `CTxOut` as stored in undo records and the UTXO set
//! (`src/compressor.h`, `src/compressor.cpp`): a VARINT of the compressed amount, then the
//! compressed script.
//!
//! Script kinds, by the leading VARINT `nSize`:
//!
//! | nSize | bytes that follow | script |
//! |---|---|---|
//! | 0 | 20 (key hash) | P2PKH |
//! | 1 | 20 (script hash) | P2SH |
//! | 2, 3 | 32 (x; nSize is the 0x02/0x03 prefix) | P2PK, compressed key |
//! | 4, 5 | 32 (x; parity of y = nSize − 4) | P2PK, uncompressed key |
//! | ≥ 6 | nSize − 6 raw script bytes | anything else |
//!
//! A raw length above `MAX_SCRIPT_SIZE` (10,000) makes Core skip the bytes and store
//! `OP_RETURN` in their place. The scripts are not rebuilt here: only the spent value and
//! the [`ScriptType`] are needed.

use bitcoin::Script;
use btcaddr::ScriptType;

use super::varint::{ReadError, Reader};

/// Core's `MAX_SCRIPT_SIZE` (`src/script/script.h`).
pub const MAX_SCRIPT_SIZE: usize = 10_000;

/// Core's `MAX_MONEY` in satoshis (`src/consensus/amount.h`): no coin holds more.
pub const MAX_MONEY: u64 = 21_000_000 * 100_000_000;

/// How many special (compressed) script kinds there are: `nSpecialScripts`.
const SPECIAL_SCRIPTS: u64 = 6;

/// Core's `DecompressAmount`, or `None` where Core's `uint64_t` arithmetic would wrap (no
/// `CompressAmount` output does that).
///
/// ```
/// use btcaddr_analytics::decode::compress::decompress_amount;
/// assert_eq!(decompress_amount(0), Some(0));
/// assert_eq!(decompress_amount(9), Some(100_000_000)); // 1 BTC
/// assert_eq!(decompress_amount(50), Some(5_000_000_000)); // 50 BTC
/// assert_eq!(decompress_amount(u64::MAX), None);
/// ```
pub fn decompress_amount(x: u64) -> Option<u64> {
    // x = 0  OR  x = 1 + 10*(9*n + d - 1) + e  OR  x = 1 + 10*(n - 1) + 9
    if x == 0 {
        return Some(0);
    }
    let x = x - 1;
    let mut e = x % 10;
    let x = x / 10;
    let mut n = if e < 9 {
        let d = (x % 9) + 1;
        (x / 9).checked_mul(10)?.checked_add(d)?
    } else {
        x.checked_add(1)?
    };
    while e > 0 {
        n = n.checked_mul(10)?;
        e -= 1;
    }
    Some(n)
}

/// A compressed script, borrowed from the record it was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompressedScript<'a> {
    /// nSize 0: `OP_DUP OP_HASH160 <20> OP_EQUALVERIFY OP_CHECKSIG`.
    P2pkh(&'a [u8; 20]),
    /// nSize 1: `OP_HASH160 <20> OP_EQUAL`.
    P2sh(&'a [u8; 20]),
    /// nSize 2 or 3: `<0x02|0x03 x> OP_CHECKSIG`.
    P2pkCompressed {
        /// The key's prefix byte, 2 or 3.
        prefix: u8,
        /// The key's x coordinate.
        x: &'a [u8; 32],
    },
    /// nSize 4 or 5: `<0x04 x y> OP_CHECKSIG`, y recovered by Core from x and its parity.
    P2pkUncompressed {
        /// nSize − 4: the parity of y.
        odd: bool,
        /// The key's x coordinate.
        x: &'a [u8; 32],
    },
    /// nSize ≥ 6, at most [`MAX_SCRIPT_SIZE`] bytes: the script itself.
    Raw(&'a [u8]),
    /// nSize ≥ 6 and longer than [`MAX_SCRIPT_SIZE`]: Core skips the bytes and keeps a lone
    /// `OP_RETURN` (such outputs are unspendable, so an undo record should never hold one).
    Oversized {
        /// The length that was skipped.
        len: usize,
    },
}

impl<'a> CompressedScript<'a> {
    /// Reads one compressed script (`CScriptCompressor::Unserialize`).
    pub fn read(reader: &mut Reader<'a>) -> Result<Self, ReadError> {
        // `unsigned int nSize` in Core.
        let size = reader.varint(u64::from(u32::MAX))?;
        Ok(match size {
            0 => CompressedScript::P2pkh(reader.array_ref()?),
            1 => CompressedScript::P2sh(reader.array_ref()?),
            2 | 3 => CompressedScript::P2pkCompressed {
                prefix: size as u8,
                x: reader.array_ref()?,
            },
            4 | 5 => CompressedScript::P2pkUncompressed {
                odd: size == 5,
                x: reader.array_ref()?,
            },
            _ => {
                // At most u32::MAX − 6, which fits usize on every target this runs on.
                let len = (size - SPECIAL_SCRIPTS) as usize;
                if len > MAX_SCRIPT_SIZE {
                    reader.skip(len)?;
                    CompressedScript::Oversized { len }
                } else {
                    CompressedScript::Raw(reader.take(len)?)
                }
            }
        })
    }

    /// The type of the script Core would rebuild from this.
    ///
    /// ```
    /// use btcaddr_analytics::decode::compress::CompressedScript;
    /// use btcaddr::ScriptType;
    /// assert_eq!(CompressedScript::P2sh(&[0; 20]).script_type(), ScriptType::P2sh);
    /// // OP_0 <20 bytes>: P2WPKH, stored raw.
    /// let mut raw = vec![0x00, 0x14];
    /// raw.extend([7; 20]);
    /// assert_eq!(CompressedScript::Raw(&raw).script_type(), ScriptType::P2wpkh);
    /// ```
    pub fn script_type(&self) -> ScriptType {
        match self {
            CompressedScript::P2pkh(_) => ScriptType::P2pkh,
            CompressedScript::P2sh(_) => ScriptType::P2sh,
            CompressedScript::P2pkCompressed { .. } | CompressedScript::P2pkUncompressed { .. } => {
                ScriptType::P2pk
            }
            CompressedScript::Raw(raw) => ScriptType::of(Script::from_bytes(raw)),
            // The `OP_RETURN` Core substitutes.
            CompressedScript::Oversized { .. } => ScriptType::OpReturn,
        }
    }
}

/// A compressed `CTxOut`: the decompressed value and the compressed script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompressedTxOut<'a> {
    /// The value in satoshis.
    pub value: u64,
    /// The script, compressed.
    pub script: CompressedScript<'a>,
}

/// Why a compressed output could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TxOutError {
    /// The bytes ended or an integer was malformed.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// The compressed amount decompresses past `u64` or above 21 million BTC.
    #[error("amount code {code} at byte {offset} is not a valid amount")]
    Amount {
        /// The compressed amount.
        code: u64,
        /// Offset of its VARINT.
        offset: usize,
    },
}

impl<'a> CompressedTxOut<'a> {
    /// Reads one compressed output (`TxOutCompression`).
    pub fn read(reader: &mut Reader<'a>) -> Result<Self, TxOutError> {
        let offset = reader.position();
        let code = reader.varint(u64::MAX)?;
        let value = decompress_amount(code)
            .filter(|&v| v <= MAX_MONEY)
            .ok_or(TxOutError::Amount { code, offset })?;
        let script = CompressedScript::read(reader)?;
        Ok(CompressedTxOut { value, script })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bitcoin::secp256k1::{PublicKey, Secp256k1, SecretKey};
    use bitcoin::ScriptBuf;

    /// Core's CompressAmount, to check the inverse over many values.
    fn compress_amount(mut n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        let mut e = 0;
        while n.is_multiple_of(10) && e < 9 {
            n /= 10;
            e += 1;
        }
        if e < 9 {
            let d = n % 10;
            n /= 10;
            1 + (n * 9 + d - 1) * 10 + e
        } else {
            1 + (n - 1) * 10 + 9
        }
    }

    #[test]
    fn amounts_round_trip() {
        let mut values = vec![0, 1, 10, 546, 1000, 4_999_999, 50 * 100_000_000, MAX_MONEY];
        let mut v: u64 = 1;
        while v < MAX_MONEY {
            values.extend([v, v + 1, v * 3, v * 7 + 5]);
            v *= 10;
        }
        for value in values {
            assert_eq!(
                decompress_amount(compress_amount(value)),
                Some(value),
                "{value}"
            );
        }
        // Core's test vectors (src/test/compress_tests.cpp): 0.01 BTC is code 7, 1 BTC 9,
        // 50 BTC 50, 21M BTC 21000000.
        assert_eq!(decompress_amount(0x7), Some(1_000_000));
        assert_eq!(decompress_amount(0x9), Some(100_000_000));
        assert_eq!(decompress_amount(0x32), Some(5_000_000_000));
        assert_eq!(decompress_amount(0x1406f40), Some(MAX_MONEY));
    }

    #[test]
    fn amount_overflow_is_none_and_too_much_an_error() {
        assert_eq!(decompress_amount(u64::MAX), None);
        assert_eq!(decompress_amount(u64::MAX - 1), None);
        // A valid u64 above MAX_MONEY: code for MAX_MONEY + 1.
        let code = compress_amount(MAX_MONEY + 1);
        let mut bytes = Vec::new();
        push_varint(&mut bytes, code);
        bytes.push(0); // P2PKH...
        bytes.extend([0; 20]);
        let err = CompressedTxOut::read(&mut Reader::new(&bytes)).unwrap_err();
        assert_eq!(err, TxOutError::Amount { code, offset: 0 });
    }

    fn push_varint(out: &mut Vec<u8>, n: u64) {
        out.extend(crate::decode::varint::tests::write_varint(n));
    }

    /// Core's DecompressScript for the special kinds, to check that the type assigned
    /// directly is the type of the script Core rebuilds.
    fn rebuild(script: &CompressedScript) -> ScriptBuf {
        let mut s = Vec::new();
        match script {
            CompressedScript::P2pkh(h) => {
                s.extend([0x76, 0xa9, 20]);
                s.extend(*h);
                s.extend([0x88, 0xac]);
            }
            CompressedScript::P2sh(h) => {
                s.extend([0xa9, 20]);
                s.extend(*h);
                s.push(0x87);
            }
            CompressedScript::P2pkCompressed { prefix, x } => {
                s.extend([33, *prefix]);
                s.extend(*x);
                s.push(0xac);
            }
            CompressedScript::P2pkUncompressed { odd, x } => {
                let mut compressed = vec![2 + u8::from(*odd)];
                compressed.extend(*x);
                let key = PublicKey::from_slice(&compressed).expect("a point on the curve");
                s.push(65);
                s.extend(key.serialize_uncompressed());
                s.push(0xac);
            }
            CompressedScript::Raw(raw) => s.extend(*raw),
            CompressedScript::Oversized { .. } => s.push(0x6a),
        }
        ScriptBuf::from(s)
    }

    #[test]
    fn special_kinds_read_and_type_like_the_rebuilt_script() {
        let secp = Secp256k1::new();
        let key = PublicKey::from_secret_key(&secp, &SecretKey::from_slice(&[3; 32]).unwrap());
        let full = key.serialize_uncompressed();
        let x: [u8; 32] = full[1..33].try_into().unwrap();
        let odd = full[64] & 1 == 1;
        let cases: Vec<(Vec<u8>, ScriptType)> = vec![
            ([&[0u8][..], &[0xab; 20]].concat(), ScriptType::P2pkh),
            ([&[1u8][..], &[0xcd; 20]].concat(), ScriptType::P2sh),
            ([&[2u8][..], &x[..]].concat(), ScriptType::P2pk),
            ([&[3u8][..], &x[..]].concat(), ScriptType::P2pk),
            (
                [&[4 + u8::from(odd)][..], &x[..]].concat(),
                ScriptType::P2pk,
            ),
        ];
        for (bytes, expected) in cases {
            let mut r = Reader::new(&bytes);
            let script = CompressedScript::read(&mut r).unwrap();
            assert!(r.is_empty(), "{bytes:x?}");
            assert_eq!(script.script_type(), expected);
            let rebuilt = rebuild(&script);
            assert_eq!(ScriptType::of(&rebuilt), expected, "{rebuilt:?}");
        }
        // Kind 4/5 rebuilds the original uncompressed key.
        let mut bytes = vec![4 + u8::from(odd)];
        bytes.extend(x);
        let script = CompressedScript::read(&mut Reader::new(&bytes)).unwrap();
        assert_eq!(&rebuild(&script).as_bytes()[1..66], &full[..]);
    }

    #[test]
    fn raw_scripts_are_classified() {
        let p2tr = ScriptBuf::from_hex(
            "512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798",
        )
        .unwrap();
        let mut bytes = Vec::new();
        push_varint(&mut bytes, 6 + p2tr.len() as u64);
        bytes.extend(p2tr.as_bytes());
        let mut r = Reader::new(&bytes);
        let script = CompressedScript::read(&mut r).unwrap();
        assert_eq!(script, CompressedScript::Raw(p2tr.as_bytes()));
        assert_eq!(script.script_type(), ScriptType::P2tr);
        assert!(r.is_empty());
        // An empty script (nSize 6).
        let script = CompressedScript::read(&mut Reader::new(&[6])).unwrap();
        assert_eq!(script, CompressedScript::Raw(&[]));
        assert_eq!(script.script_type(), ScriptType::NonStandard);
    }

    #[test]
    fn max_script_size_rule() {
        for (len, oversized) in [(MAX_SCRIPT_SIZE, false), (MAX_SCRIPT_SIZE + 1, true)] {
            let mut bytes = Vec::new();
            push_varint(&mut bytes, 6 + len as u64);
            let header = bytes.len();
            bytes.resize(header + len, 0x51);
            let mut r = Reader::new(&bytes);
            let script = CompressedScript::read(&mut r).unwrap();
            assert!(r.is_empty());
            if oversized {
                assert_eq!(script, CompressedScript::Oversized { len });
                assert_eq!(script.script_type(), ScriptType::OpReturn);
            } else {
                assert_eq!(script, CompressedScript::Raw(&bytes[header..]));
            }
        }
    }

    #[test]
    fn truncated_scripts() {
        assert_eq!(
            CompressedScript::read(&mut Reader::new(&[0, 1, 2])),
            Err(ReadError::Truncated {
                offset: 3,
                needed: 18
            })
        );
        assert!(CompressedScript::read(&mut Reader::new(&[10, 0x51])).is_err());
        assert!(CompressedScript::read(&mut Reader::new(&[])).is_err());
    }
}
