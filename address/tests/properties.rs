//! Property tests: round trips, detection of every single substitution and adjacent
//! transposition, case rules, and no panics on arbitrary input.

use btcaddr::{decode, encode, suggest, zbase32::ALPHABET, Network};
use proptest::prelude::*;

fn network() -> impl Strategy<Value = Network> {
    prop::sample::select(Network::ALL.to_vec())
}

proptest! {
    #[test]
    fn round_trip(script in prop::collection::vec(any::<u8>(), 1..=520), net in network()) {
        let s = encode(net, &script).unwrap();
        let a = decode(&s).unwrap();
        prop_assert_eq!(a.network(), net);
        prop_assert_eq!(a.script().as_bytes(), &script[..]);
        let mut buf = [0u8; 520];
        let (n, slice) = btcaddr::decode_to_slice(&s, &mut buf).unwrap();
        prop_assert_eq!((n, slice), (net, &script[..]));
        prop_assert_eq!(btcaddr::verify(&s), Ok((net, script.len())));
        // The allocation-free encoder writes the same string, and needs exactly its length.
        let mut out = vec![0u8; s.len()];
        prop_assert_eq!(btcaddr::encode_to_slice(net, &script, &mut out), Ok(s.as_str()));
        prop_assert_eq!(
            btcaddr::encode_to_slice(net, &script, &mut out[..s.len() - 1]),
            Err(btcaddr::EncodeError::BufferTooSmall { needed: s.len() })
        );
    }

    #[test]
    fn uppercase_decodes_mixed_case_does_not(script in prop::collection::vec(any::<u8>(), 1..=64), net in network(), at in any::<prop::sample::Index>()) {
        let s = encode(net, &script).unwrap();
        prop_assert_eq!(decode(&s.to_uppercase()).unwrap(), decode(&s).unwrap());
        // Uppercase one letter (a digit stays a digit, so pick among letters).
        let letters: Vec<usize> = s.char_indices().filter(|(_, c)| c.is_ascii_lowercase()).map(|(i, _)| i).collect();
        let i = letters[at.index(letters.len())];
        let mut mixed = s.clone();
        mixed.replace_range(i..=i, &s[i..=i].to_uppercase());
        prop_assert_eq!(decode(&mixed), Err(btcaddr::DecodeError::MixedCase));
    }

    #[test]
    fn every_substitution_and_adjacent_transposition_is_rejected(script in prop::collection::vec(any::<u8>(), 1..=40), net in network()) {
        let s = encode(net, &script).unwrap();
        let colon = s.find(':').unwrap();
        let bytes = s.as_bytes();
        let mut work = bytes.to_vec();
        for i in colon + 1..bytes.len() {
            for &c in ALPHABET.as_bytes() {
                if c != bytes[i] {
                    work[i] = c;
                    prop_assert!(!btcaddr::is_valid(std::str::from_utf8(&work).unwrap()), "substitution at {} accepted", i);
                }
            }
            work[i] = bytes[i];
        }
        for i in colon + 1..bytes.len() - 1 {
            if bytes[i] != bytes[i + 1] {
                work.swap(i, i + 1);
                prop_assert!(!btcaddr::is_valid(std::str::from_utf8(&work).unwrap()), "transposition at {} accepted", i);
                work.swap(i, i + 1);
            }
        }
    }

    #[test]
    fn decoding_anything_never_panics(s in "\\PC{0,200}") {
        let _ = decode(&s);
        let _ = btcaddr::is_valid(&s);
    }

    #[test]
    fn decoding_near_misses_never_panics(s in "(btc|testnet|signet|regtest|BTC):[ybndrfg8ejkmcpqxot1uwisza345h769YBNDR0l:]{0,120}") {
        let _ = decode(&s);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn suggest_finds_the_original_after_one_typo(script in prop::collection::vec(any::<u8>(), 1..=34), net in network(), pos in any::<prop::sample::Index>(), letter in 0u8..32) {
        let s = encode(net, &script).unwrap();
        let colon = s.find(':').unwrap();
        let i = colon + 1 + pos.index(s.len() - colon - 1);
        let mut typo = s.clone();
        typo.replace_range(i..=i, &btcaddr::zbase32::letter(letter).to_string());
        let found = suggest(&typo);
        if typo == s {
            prop_assert!(found.is_empty());
        } else {
            prop_assert!(found.iter().any(|c| c.address.to_string() == s));
            for c in &found {
                prop_assert!(btcaddr::is_valid(&c.address.to_string()));
            }
        }
    }

    #[test]
    fn suggest_never_panics(s in "\\PC{0,80}") {
        for c in suggest(&s) {
            prop_assert!(btcaddr::is_valid(&c.address.to_string()));
        }
    }
}

#[test]
fn suggest_reads_common_confusions() {
    let s = encode(
        Network::Btc,
        &[
            0x00, 0x14, 0x75, 0x1e, 0x76, 0xe8, 0x19, 0x91, 0x96, 0xd4, 0x54, 0x94, 0x1c, 0x45,
            0xd1, 0xb3, 0xa3, 0x23, 0xf1, 0x43, 0x3b, 0xd6,
        ],
    )
    .unwrap();
    for (typed, meant) in [('0', 'o'), ('l', '1'), ('v', 'u'), ('2', 'z')] {
        if let Some(i) = s
            .char_indices()
            .skip(4)
            .find(|(_, c)| *c == meant)
            .map(|(i, _)| i)
        {
            let mut typo = s.clone();
            typo.replace_range(i..=i, &typed.to_string());
            let found = suggest(&typo);
            assert!(
                found.iter().any(|c| c.address.to_string() == s
                    && matches!(c.edit, btcaddr::Edit::Confusion { from, to, .. } if from == typed && to == meant)),
                "{typed} for {meant}: {found:?}"
            );
        }
    }
}

#[test]
fn suggest_is_bounded_to_hand_typed_lengths() {
    // A valid 300-byte script address with one typo: too long to search, so no suggestion;
    // the same typo in a 22-byte script is found.
    let long = encode(Network::Btc, &[7u8; 300]).unwrap();
    let mut typo = long.clone();
    typo.replace_range(10..11, if &long[10..11] == "y" { "b" } else { "y" });
    assert!(btcaddr::suggest::MAX_SUGGEST_LETTERS < long.len() - 4);
    assert!(suggest(&typo).is_empty());
    // Unknown prefixes are not searched either.
    let short = encode(Network::Btc, &[7u8; 22]).unwrap();
    assert!(suggest(&short.replacen("btc:", "bct:", 1)).is_empty());
    let mut typo = short.clone();
    typo.replace_range(10..11, if &short[10..11] == "y" { "b" } else { "y" });
    assert!(suggest(&typo)
        .iter()
        .any(|c| c.address.to_string() == short));
}
