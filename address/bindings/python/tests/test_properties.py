"""Hypothesis properties: round trips of random scripts on every network, and every single
substitution of a letter rejected."""

from hypothesis import example, given, settings
from hypothesis import strategies as st

import btcaddr

NETWORKS = ["btc", "testnet", "signet", "regtest"]
ALPHABET = "ybndrfg8ejkmcpqxot1uwisza345h769"  # z-base-32, as docs/FORMAT.md gives it


def sized_scripts(max_len):
    # Lengths uniform over 1..=max_len: st.binary alone mostly draws short values.
    return st.integers(min_value=1, max_value=max_len).flatmap(
        lambda n: st.binary(min_size=n, max_size=n)
    )


scripts = sized_scripts(520)


@settings(max_examples=300)
@given(network=st.sampled_from(NETWORKS), script=scripts)
@example(network="btc", script=b"\x00")
@example(network="regtest", script=bytes(range(256)) * 2 + b"\xff" * 8)  # 520 bytes
def test_round_trip(network, script):
    text = btcaddr.encode(network, script)
    assert text.startswith(network + ":")
    a = btcaddr.decode(text)
    assert (a.network, a.script) == (network, script)
    assert str(a) == text
    assert btcaddr.decode(text.upper()) == a
    assert btcaddr.is_valid(text)
    assert btcaddr.Address(network, bytearray(script)) == a


@settings(max_examples=300)
@given(network=st.sampled_from(NETWORKS), script=scripts, data=st.data())
def test_a_drawn_substitution_is_rejected(network, script, data):
    text = btcaddr.encode(network, script)
    i = data.draw(st.integers(min_value=len(network) + 1, max_value=len(text) - 1), label="index")
    letter = data.draw(st.sampled_from([c for c in ALPHABET if c != text[i]]), label="letter")
    typo = text[:i] + letter + text[i + 1:]
    assert not btcaddr.is_valid(typo)


@settings(max_examples=40)
@given(network=st.sampled_from(NETWORKS), script=sized_scripts(120))
def test_every_substitution_is_rejected(network, script):
    text = btcaddr.encode(network, script)
    start = len(network) + 1
    tried = 0
    for i in range(start, len(text)):
        for letter in ALPHABET:
            if letter != text[i]:
                assert not btcaddr.is_valid(text[:i] + letter + text[i + 1:]), (text, i, letter)
                tried += 1
    assert tried == 31 * (len(text) - start)
