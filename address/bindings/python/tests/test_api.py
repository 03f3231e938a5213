"""The Python surface: types, bytes-like inputs, wrong types, errors, Address and Suggestion."""

import array
import copy
import pathlib
import pickle

import pytest

import btcaddr

P2WPKH = bytes.fromhex("0014751e76e8199196d454941c45d1b3a323f1433bd6")
P2WPKH_ADDR = "btc:yyk8k8us7yc3dfswk1kbatqtsqt18hkd8xmjbzf8i1a"
P2WPKH_STD = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"


def test_the_installed_extension_is_the_one_tested():
    # Not a stray source tree: the compiled module inside the virtual environment.
    compiled = pathlib.Path(btcaddr._btcaddr.__file__)
    assert "site-packages" in compiled.parts
    assert compiled.name.startswith("_btcaddr") and compiled.suffix == ".so"
    assert ".abi3." in compiled.name


def test_package_ships_typing_files():
    package = pathlib.Path(btcaddr.__file__).parent
    assert (package / "py.typed").is_file()
    stub = (package / "_btcaddr.pyi").read_text()
    for name in btcaddr.__all__:
        if name != "__version__":
            assert name in stub, name


@pytest.mark.parametrize(
    "script",
    [
        P2WPKH,
        bytearray(P2WPKH),
        memoryview(P2WPKH),
        memoryview(b"xx" + P2WPKH + b"yy")[2:-2],
        array.array("B", P2WPKH),
        memoryview(bytearray(P2WPKH)),
    ],
    ids=["bytes", "bytearray", "memoryview", "memoryview-slice", "array", "memoryview-bytearray"],
)
def test_encode_accepts_bytes_like(script):
    assert btcaddr.encode("btc", script) == P2WPKH_ADDR
    assert str(btcaddr.Address("btc", script)) == P2WPKH_ADDR


def test_encode_of_a_wide_array_takes_its_raw_bytes():
    wide = array.array("H", [0x1400, 0x1e75])  # little-endian machine: 00 14 75 1e
    assert btcaddr.decode(btcaddr.encode("btc", wide)).script == wide.tobytes()


def test_encode_of_a_strided_memoryview_takes_its_elements():
    strided = memoryview(bytes(range(20)))[::2]
    assert btcaddr.decode(btcaddr.encode("btc", strided)).script == bytes(range(0, 20, 2))


def test_bytearray_is_not_left_locked():
    buf = bytearray(P2WPKH)
    btcaddr.encode("btc", buf)
    buf.append(0)  # raises BufferError if a view was kept exported


@pytest.mark.parametrize(
    "script", ["0014", [0, 20], 5, None, 1.5, {"a": 1}, (0, 20), object()],
    ids=lambda s: type(s).__name__,
)
def test_encode_rejects_non_bytes_like(script):
    with pytest.raises(TypeError) as e:
        btcaddr.encode("btc", script)
    assert str(e.value) == (
        "encode() argument 'script' must be a bytes-like object (bytes, bytearray, memoryview, "
        f"array), not {type(script).__name__}"
    )
    with pytest.raises(TypeError, match=r"^Address\(\) argument 'script' must be a bytes-like"):
        btcaddr.Address("btc", script)


@pytest.mark.parametrize("network", [None, 1, b"btc", ["btc"]], ids=repr)
def test_encode_rejects_a_network_that_is_not_a_string(network):
    with pytest.raises(TypeError) as e:
        btcaddr.encode(network, P2WPKH)
    assert str(e.value) == f"encode() argument 'network' must be str, not {type(network).__name__}"


@pytest.mark.parametrize("network", [1, b"btc", ["btc"]], ids=repr)
def test_from_standard_rejects_a_network_that_is_not_a_string(network):
    with pytest.raises(TypeError) as e:
        btcaddr.from_standard(P2WPKH_STD, network)
    assert str(e.value) == (
        f"from_standard() argument 'network' must be str, not {type(network).__name__}"
    )


@pytest.mark.parametrize("value", [None, 1, b"btc:ybndr", bytearray(b"x"), ["btc:"], 2.0], ids=repr)
@pytest.mark.parametrize(
    "fn",
    [btcaddr.decode, btcaddr.is_valid, btcaddr.suggest, btcaddr.to_standard, btcaddr.from_standard],
    ids=lambda f: f.__name__,
)
def test_string_functions_reject_non_strings(fn, value):
    with pytest.raises(TypeError) as e:
        fn(value)
    assert str(e.value) == (
        f"{fn.__name__}() argument 'address' must be str, not {type(value).__name__}"
    )


def test_missing_and_extra_arguments_are_type_errors():
    with pytest.raises(TypeError):
        btcaddr.decode()
    with pytest.raises(TypeError):
        btcaddr.encode("btc")
    with pytest.raises(TypeError):
        btcaddr.decode(P2WPKH_ADDR, "extra")


def test_network_aliases():
    for alias, prefix in [("bitcoin", "btc"), ("mainnet", "btc"), ("testnet", "testnet"),
                          ("signet", "signet"), ("regtest", "regtest")]:
        assert btcaddr.encode(alias, P2WPKH).startswith(prefix + ":")


@pytest.mark.parametrize(
    "network,script,kind",
    [
        ("btc", b"", "empty_script"),
        ("btc", bytes(10_001), "script_too_long"),
        ("bct", P2WPKH, "unknown_prefix"),
        ("", P2WPKH, "unknown_prefix"),
    ],
)
def test_encode_errors(network, script, kind):
    with pytest.raises(btcaddr.EncodeError) as e:
        btcaddr.encode(network, script)
    assert e.value.kind == kind
    assert isinstance(e.value, ValueError)
    assert str(e.value) and "\n" not in str(e.value)
    with pytest.raises(btcaddr.EncodeError):
        btcaddr.Address(network, script)


def test_encode_error_messages_are_the_cores():
    with pytest.raises(btcaddr.EncodeError, match=r"^an empty script has no address$"):
        btcaddr.encode("btc", b"")
    with pytest.raises(
        btcaddr.EncodeError,
        match=r'^unknown prefix "bct": expected btc, testnet, signet or regtest$',
    ):
        btcaddr.encode("bct", P2WPKH)


def test_largest_script_round_trips():
    script = bytes(range(256)) * 39 + bytes(16)  # 10,000 bytes, the limit
    assert len(script) == 10_000
    assert btcaddr.decode(btcaddr.encode("regtest", script)).script == script


def test_decode_error_attributes():
    with pytest.raises(btcaddr.DecodeError) as e:
        btcaddr.decode("btc:ybn0")
    assert (e.value.kind, e.value.position) == ("invalid_char", 7)
    assert str(e.value).startswith("invalid character '0' at position 7")
    with pytest.raises(btcaddr.DecodeError) as e:
        btcaddr.decode("btc")
    assert (e.value.kind, e.value.position) == ("missing_colon", None)
    with pytest.raises(btcaddr.DecodeError) as e:
        btcaddr.decode("btc:ybn:dr")
    assert (e.value.kind, e.value.position) == ("repeated_colon", 7)


def test_exception_classes():
    for cls in (btcaddr.DecodeError, btcaddr.EncodeError, btcaddr.ConversionError):
        assert issubclass(cls, ValueError)
        assert cls.__module__ == "btcaddr"
        # Raised from Python without the attributes, they still read as None.
        assert cls("made by hand").kind is None
    assert btcaddr.DecodeError("x").position is None


def test_non_ascii_and_surrogates_do_not_crash():
    with pytest.raises(btcaddr.DecodeError) as e:
        btcaddr.decode("btc:ybndrfg8ejkmcpqxot1uwisza345h769ü")
    assert e.value.kind in ("invalid_char", "invalid_length")
    assert btcaddr.is_valid("btc:\ud800") is False
    with pytest.raises(UnicodeEncodeError):
        btcaddr.decode("btc:\ud800")
    assert btcaddr.suggest("€:ybndrfg8") == []


def test_address_properties():
    a = btcaddr.decode(P2WPKH_ADDR)
    assert a.network == "btc"
    assert a.script == P2WPKH and isinstance(a.script, bytes)
    assert a.script_type == "p2wpkh"
    assert a.is_standard is True
    assert a.warning is None
    assert str(a) == P2WPKH_ADDR
    assert repr(a) == f"<btcaddr.Address {P2WPKH_ADDR} p2wpkh>"
    assert a.to_standard() == P2WPKH_STD
    with pytest.raises(AttributeError):
        a.network = "testnet"  # frozen


def test_non_standard_address_carries_the_cores_warning():
    a = btcaddr.decode(btcaddr.encode("btc", b"\x00\x14\x01"))
    assert a.is_standard is False
    assert a.script_type == "nonstandard"
    assert a.warning == (
        "valid, but pays to a non-standard script of 3 bytes: if you expected an ordinary "
        "address, it was probably mistyped"
    )
    with pytest.raises(btcaddr.ConversionError) as e:
        a.to_standard()
    assert e.value.kind == "no_standard_address"


def test_address_equality_and_hashing():
    a = btcaddr.decode(P2WPKH_ADDR)
    b = btcaddr.decode(P2WPKH_ADDR.upper())
    c = btcaddr.Address("testnet", P2WPKH)
    assert a == b and hash(a) == hash(b)
    assert a != c
    assert a != P2WPKH_ADDR  # an Address is not its string
    assert len({a, b, c}) == 2
    assert {a: 1}[b] == 1


def test_address_pickles_and_copies():
    a = btcaddr.decode(P2WPKH_ADDR)
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        assert pickle.loads(pickle.dumps(a, protocol)) == a
    assert copy.copy(a) == a and copy.deepcopy(a) == a


def test_suggest_transposition():
    typo = P2WPKH_ADDR[:-3] + P2WPKH_ADDR[-2] + P2WPKH_ADDR[-3] + P2WPKH_ADDR[-1]
    assert not btcaddr.is_valid(typo)
    found = btcaddr.suggest(typo)
    assert P2WPKH_ADDR in [s.address for s in found]
    s = next(s for s in found if s.address == P2WPKH_ADDR)
    assert s.kind == "transposition"
    assert s.index == len(P2WPKH_ADDR) - 3
    assert s.description == f"positions {s.index} and {s.index + 1}: swapped"
    assert repr(s) == f"<btcaddr.Suggestion {P2WPKH_ADDR} ({s.description})>"
    assert s == btcaddr.suggest(typo)[found.index(s)] and hash(s) == hash(s)


def test_suggest_lowercase():
    mixed = P2WPKH_ADDR[:10].upper() + P2WPKH_ADDR[10:]
    found = btcaddr.suggest(mixed)
    assert [(s.address, s.kind, s.index) for s in found] == [(P2WPKH_ADDR, "lowercase", None)]
    assert found[0].description == "mixed case written all in lowercase"


def test_suggest_confusion():
    # The first one-byte script whose address has an 'o' after the colon; '0' typed for it.
    address = next(a for a in (btcaddr.encode("btc", bytes([i])) for i in range(256))
                   if "o" in a[4:])
    i = address.index("o", 4)
    typo = address[:i] + "0" + address[i + 1:]
    with pytest.raises(btcaddr.DecodeError) as e:
        btcaddr.decode(typo)
    assert (e.value.kind, e.value.position) == ("invalid_char", i)
    found = [(s.address, s.kind, s.index) for s in btcaddr.suggest(typo)]
    assert (address, "confusion", i) in found


def test_suggest_of_valid_or_unknown_prefix_is_empty():
    assert btcaddr.suggest(P2WPKH_ADDR) == []
    assert btcaddr.suggest("bct:yyk8k8us7yc3dfswk1kbatqtsqt18hkd8xmjbzf8i1a") == []
    assert btcaddr.suggest("") == []


def test_huge_inputs_fail_fast_and_cleanly():
    huge = "btc:" + "y" * 1_000_000
    with pytest.raises(btcaddr.DecodeError) as e:
        btcaddr.decode(huge)
    assert e.value.kind in ("script_too_long", "invalid_length")
    assert not btcaddr.is_valid(huge)
    assert btcaddr.suggest(huge) == []  # the search is bounded to 200 letters


def test_to_standard_and_from_standard_errors():
    with pytest.raises(btcaddr.DecodeError):
        btcaddr.to_standard("btc:nope")
    with pytest.raises(btcaddr.ConversionError) as e:
        btcaddr.from_standard("bc1q")
    assert e.value.kind == "invalid_standard"
    assert str(e.value).startswith("not a standard address: ")
    with pytest.raises(btcaddr.ConversionError) as e:
        btcaddr.from_standard(P2WPKH_STD, "nonet")
    assert e.value.kind == "unknown_prefix"
    assert btcaddr.from_standard(P2WPKH_STD, None) == P2WPKH_ADDR
    assert btcaddr.from_standard(address=P2WPKH_STD, network="btc") == P2WPKH_ADDR
    assert btcaddr.from_standard(P2WPKH_STD.upper()) == P2WPKH_ADDR
