"""Every vector of address/tests/data/vectors.json, and the BIP173/BIP350 vectors (copied from
address/tests/bip_vectors.rs) through the standard-form conversion."""

import pytest

import btcaddr
from conftest import load_vectors

_V = load_vectors()
VALID = _V["valid"]
INVALID = _V["invalid"]


def test_vector_file_is_complete():
    # A truncated or emptied file must not pass as "all vectors checked".
    assert len(VALID) >= 48 and len(INVALID) >= 18


@pytest.mark.parametrize("v", VALID, ids=lambda v: v["address"][:30])
def test_valid_vector_decodes(v):
    a = btcaddr.decode(v["address"])
    assert a.network == v["network"]
    assert a.script == bytes.fromhex(v["script"])
    assert a.script_type == v["type"]
    assert str(a) == v["address"]
    # The uppercase form is the same address.
    assert btcaddr.decode(v["address"].upper()) == a
    assert a.to_uppercase() == v["address"].upper()
    assert btcaddr.is_valid(v["address"])
    assert btcaddr.suggest(v["address"]) == []
    assert (a.warning is None) == a.is_standard


@pytest.mark.parametrize("v", VALID, ids=lambda v: v["address"][:30])
def test_valid_vector_encodes(v):
    assert btcaddr.encode(v["network"], bytes.fromhex(v["script"])) == v["address"]
    assert str(btcaddr.Address(v["network"], bytes.fromhex(v["script"]))) == v["address"]


@pytest.mark.parametrize("v", VALID, ids=lambda v: v["address"][:30])
def test_valid_vector_standard_form(v):
    if v["standard"] is None:
        with pytest.raises(btcaddr.ConversionError) as e:
            btcaddr.to_standard(v["address"])
        assert e.value.kind == "no_standard_address"
    else:
        assert btcaddr.to_standard(v["address"]) == v["standard"]
        assert btcaddr.decode(v["address"]).to_standard() == v["standard"]
        assert btcaddr.from_standard(v["standard"], v["network"]) == v["address"]


@pytest.mark.parametrize("v", INVALID, ids=lambda v: v["error"] + ":" + v["address"][:24])
def test_invalid_vector_is_rejected(v):
    with pytest.raises(btcaddr.DecodeError) as e:
        btcaddr.decode(v["address"])
    assert e.value.kind == v["error"]
    assert isinstance(e.value, ValueError)
    message = str(e.value)
    assert message and "\n" not in message
    assert not btcaddr.is_valid(v["address"])


# BIP350's valid segwit addresses (v0 ones are also BIP173's), with their scriptPubKeys.
BIP_VALID = [
    ("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", "0014751e76e8199196d454941c45d1b3a323f1433bd6"),
    (
        "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7",
        "00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262",
    ),
    (
        "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y",
        "5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6",
    ),
    ("BC1SW50QGDZ25J", "6002751e"),
    ("bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", "5210751e76e8199196d454941c45d1b3a323"),
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
]

# BIP173's and BIP350's invalid segwit addresses.
BIP_INVALID = [
    # BIP173
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
    # BIP350
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
    # BIP173's v1+ vectors in bech32, superseded by BIP350 (bech32m): no longer valid.
    "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k7grplx",
    "BC1SW50QA3JX3S",
    "bc1zw508d6qejxtdg4y5r3zarvaryvg6kdaj",
]


@pytest.mark.parametrize("standard,script_hex", BIP_VALID, ids=[s for s, _ in BIP_VALID])
def test_bip_valid_round_trips_through_generic(standard, script_hex):
    generic = btcaddr.from_standard(standard)
    a = btcaddr.decode(generic)
    assert a.script.hex() == script_hex
    # The standard lowercases on output; uppercase is the same string.
    assert btcaddr.to_standard(generic) == standard.lower()


@pytest.mark.parametrize("standard", BIP_INVALID)
def test_bip_invalid_is_rejected(standard):
    with pytest.raises(btcaddr.ConversionError) as e:
        btcaddr.from_standard(standard)
    assert e.value.kind in ("invalid_standard", "wrong_network")
    assert "\n" not in str(e.value)


def test_tb_is_testnet_unless_signet_is_asked():
    tb = "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7"
    assert btcaddr.decode(btcaddr.from_standard(tb)).network == "testnet"
    assert btcaddr.decode(btcaddr.from_standard(tb, "signet")).network == "signet"
    with pytest.raises(btcaddr.ConversionError) as e:
        btcaddr.from_standard(tb, "btc")
    assert e.value.kind == "wrong_network"


def test_regtest_round_trip():
    script = bytes.fromhex("0014751e76e8199196d454941c45d1b3a323f1433bd6")
    standard = btcaddr.to_standard(btcaddr.encode("regtest", script))
    assert standard.startswith("bcrt1q")
    assert btcaddr.decode(btcaddr.from_standard(standard)).network == "regtest"
