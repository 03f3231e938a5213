//! The official BIP173 and BIP350 address vectors through the standard-form conversion.

use btcaddr::GenericAddress;

/// BIP350's valid segwit addresses (v0 ones are also BIP173's), with their scriptPubKeys.
const VALID: &[(&str, &str)] = &[
    (
        "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",
        "0014751e76e8199196d454941c45d1b3a323f1433bd6",
    ),
    (
        "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7",
        "00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262",
    ),
    (
        "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y",
        "5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6",
    ),
    ("BC1SW50QGDZ25J", "6002751e"),
    (
        "bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs",
        "5210751e76e8199196d454941c45d1b3a323",
    ),
    (
        "tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy",
        "0020000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433",
    ),
    (
        "tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c",
        "5120000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433",
    ),
    (
        "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
        "512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798",
    ),
];

/// BIP173's and BIP350's invalid segwit addresses.
const INVALID: &[&str] = &[
    // BIP173
    "tc1qw508d6qejxtdg4y5r3zarvary0c5xw7kg3g4ty",
    "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5",
    "BC13W508D6QEJXTDG4Y5R3ZARVARY0C5XW7KN40WF2",
    "bc1rw5uspcuh",
    "bc10w508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kw5rljs90",
    "BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P",
    "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sL5k7",
    "bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du",
    "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3pjxtptv",
    "bc1gmk9yu",
    // BIP350
    "tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut",
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd",
    "tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf",
    "BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL",
    "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh",
    "tb1q0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq24jc47",
    "bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4",
    "BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R",
    "bc1pw5dgrnzv",
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav",
    "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq",
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf",
    "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j",
    // BIP173's v1+ vectors in bech32, superseded by BIP350 (bech32m): no longer valid.
    "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k7grplx",
    "BC1SW50QA3JX3S",
    "bc1zw508d6qejxtdg4y5r3zarvaryvg6kdaj",
];

#[test]
fn valid_vectors_round_trip_through_generic() {
    for &(standard, script_hex) in VALID {
        let generic = GenericAddress::from_standard(standard, None)
            .unwrap_or_else(|e| panic!("{standard}: {e}"));
        assert_eq!(generic.script().to_hex_string(), script_hex, "{standard}");
        let text = generic.to_string();
        let back = btcaddr::decode(&text)
            .unwrap()
            .to_standard()
            .unwrap()
            .to_string();
        // Identical up to case: the standard lowercases on output, and uppercase is the same string for QR.
        assert_eq!(back, standard.to_lowercase(), "{standard} via {text}");
    }
}

#[test]
fn invalid_vectors_are_rejected() {
    for &s in INVALID {
        assert!(
            GenericAddress::from_standard(s, None).is_err(),
            "{s} was accepted"
        );
    }
}

#[test]
fn network_mapping_is_two_way() {
    use btcaddr::Network;
    for n in Network::ALL {
        assert_eq!(Network::from_bitcoin(n.to_bitcoin()), n);
    }
    // The regtest string comes from the `bitcoin` crate, then maps back to the regtest prefix.
    let script =
        bitcoin::ScriptBuf::from_hex("0014751e76e8199196d454941c45d1b3a323f1433bd6").unwrap();
    let regtest = GenericAddress::new(Network::Regtest, script).unwrap();
    let standard = regtest.to_standard().unwrap().to_string();
    assert!(standard.starts_with("bcrt1q"), "{standard}");
    assert_eq!(
        GenericAddress::from_standard(&standard, None).unwrap(),
        regtest
    );
    // tb1… is testnet unless signet is asked for; never mainnet.
    let tb = "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7";
    assert_eq!(
        GenericAddress::from_standard(tb, None).unwrap().network(),
        Network::Testnet
    );
    assert_eq!(
        GenericAddress::from_standard(tb, Some(Network::Signet))
            .unwrap()
            .network(),
        Network::Signet
    );
    assert!(GenericAddress::from_standard(tb, Some(Network::Btc)).is_err());
}
