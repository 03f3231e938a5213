//! Every vector in tests/data/vectors.json (made by scripts/gen-vectors.py, an independent Python
//! implementation) checked against the crate, and the valid ones against a deliberately naive
//! implementation written here: bit-by-bit CRC, base-32 over a bit string, Damm by definition.

use bitcoin::hex::FromHex;
use btcaddr::{decode, encode, DecodeError, GenericAddress, Network};
use serde::Deserialize;

#[derive(Deserialize)]
struct Vectors {
    valid: Vec<Valid>,
    invalid: Vec<Invalid>,
}

#[derive(Deserialize)]
struct Valid {
    network: String,
    #[serde(rename = "type")]
    script_type: String,
    script: String,
    address: String,
    standard: Option<String>,
}

#[derive(Deserialize)]
struct Invalid {
    address: String,
    error: String,
}

fn vectors() -> Vectors {
    serde_json::from_str(include_str!("data/vectors.json")).expect("vectors.json parses")
}

mod naive {
    //! The spec, transcribed as literally as possible; slow on purpose.
    const ALPHABET: &[u8] = b"ybndrfg8ejkmcpqxot1uwisza345h769";

    fn crc64(data: &[u8]) -> u64 {
        let mut crc: u64 = 0;
        for &byte in data {
            for i in (0..8).rev() {
                let bit = u64::from(byte >> i) & 1;
                let top = crc >> 63;
                crc <<= 1;
                if top ^ bit == 1 {
                    crc ^= 0x42F0_E1EB_A9EA_3693;
                }
            }
        }
        crc
    }

    fn times_x(a: u8) -> u8 {
        let a = a << 1;
        if a & 32 != 0 {
            a ^ 0b100101
        } else {
            a
        }
    }

    pub fn encode(prefix: &str, script: &[u8]) -> String {
        let mut k = 30;
        while (script.len() * 8 + k) % 5 != 0 {
            k += 1;
        }
        let mut input = prefix.as_bytes().to_vec();
        input.extend_from_slice(script);
        let crc = crc64(&input);
        let mut bits: Vec<u8> = Vec::new();
        for &b in script {
            for i in (0..8).rev() {
                bits.push((b >> i) & 1);
            }
        }
        for i in 0..k {
            bits.push(((crc >> (63 - i)) & 1) as u8);
        }
        let values: Vec<u8> = bits
            .chunks(5)
            .map(|c| c.iter().fold(0, |acc, &b| acc * 2 + b))
            .collect();
        let r = values.iter().fold(0u8, |r, &d| times_x(r) ^ d);
        let mut out = format!("{prefix}:");
        for &v in values.iter().chain(std::iter::once(&times_x(r))) {
            out.push(char::from(ALPHABET[usize::from(v)]));
        }
        out
    }

    #[test]
    fn crc_check_value() {
        assert_eq!(crc64(b"123456789"), 0x6C40_DF5F_0B49_7347);
    }
}

#[test]
fn valid_vectors_decode_encode_and_match_the_naive_implementation() {
    let v = vectors();
    assert!(v.valid.len() >= 40, "vector file looks truncated");
    for t in &v.valid {
        let network: Network = t.network.parse().unwrap();
        let script = Vec::<u8>::from_hex(&t.script).unwrap();
        assert_eq!(
            naive::encode(&t.network, &script),
            t.address,
            "naive implementation disagrees"
        );
        assert_eq!(encode(network, &script).unwrap(), t.address);
        let decoded = decode(&t.address).unwrap_or_else(|e| panic!("{}: {e}", t.address));
        assert_eq!(decoded.network(), network);
        assert_eq!(decoded.script().as_bytes(), &script[..]);
        assert_eq!(
            decoded.script_type().to_string(),
            t.script_type,
            "{}",
            t.address
        );
        assert_eq!(decoded.to_string(), t.address);
        assert_eq!(decode(&t.address.to_uppercase()).unwrap(), decoded);
        assert!(btcaddr::is_valid(&t.address));
        match &t.standard {
            Some(standard) => {
                assert_eq!(&decoded.to_standard().unwrap().to_string(), standard);
                let back = GenericAddress::from_standard(standard, Some(network)).unwrap();
                assert_eq!(back, decoded);
            }
            None => assert!(
                decoded.to_standard().is_err(),
                "{} has no standard form",
                t.address
            ),
        }
    }
}

#[test]
fn invalid_vectors_fail_with_the_expected_error() {
    let v = vectors();
    let mut seen = std::collections::BTreeSet::new();
    for t in &v.invalid {
        let err = decode(&t.address).expect_err(&t.address);
        assert_eq!(err.kind(), t.error, "{}: {err}", t.address);
        assert!(!btcaddr::is_valid(&t.address));
        assert!(!err.to_string().is_empty() && !err.to_string().contains('\n'));
        seen.insert(t.error.clone());
    }
    assert_eq!(seen.len(), 9, "every error kind has a vector: {seen:?}");
}

#[test]
fn error_positions_point_at_the_culprit() {
    let good = &vectors().valid[0].address;
    let mut bad = good.clone();
    bad.replace_range(9..10, "0");
    assert_eq!(
        decode(&bad),
        Err(DecodeError::InvalidChar { ch: '0', index: 9 })
    );
    let twice = format!("{}:{}", &good[..8], &good[8..]);
    assert_eq!(decode(&twice), Err(DecodeError::RepeatedColon { index: 8 }));
    // Non-ASCII: the index counts characters, not bytes.
    let mut accented = good.clone();
    accented.replace_range(5..6, "é");
    accented.replace_range(8..9, "€");
    assert!(matches!(
        decode(&accented),
        Err(DecodeError::InvalidChar { ch: 'é', index: 5 })
    ));
}
