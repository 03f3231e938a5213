"""Generic Bitcoin addresses: any scriptPubKey as ``prefix:`` + z-base-32 + CRC-64 + a Damm
check letter (the btcaddr format; docs/FORMAT.md).

A thin layer over the Rust ``btcaddr`` crate: the same codec, the same error kinds and
messages in every language.

>>> import btcaddr
>>> text = btcaddr.from_standard("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4")
>>> text
'btc:yyk8k8us7yc3dfswk1kbatqtsqt18hkd8xmjbzf8i1a'
>>> a = btcaddr.decode(text)
>>> a.network, a.script_type, a.script.hex()
('btc', 'p2wpkh', '0014751e76e8199196d454941c45d1b3a323f1433bd6')
>>> btcaddr.encode("btc", a.script) == text
True
>>> btcaddr.is_valid(text[:-1] + "e")
False
"""

from ._btcaddr import (
    Address,
    ConversionError,
    DecodeError,
    EncodeError,
    Suggestion,
    __version__,
    decode,
    encode,
    from_standard,
    is_valid,
    suggest,
    to_standard,
)

__all__ = [
    "Address",
    "ConversionError",
    "DecodeError",
    "EncodeError",
    "Suggestion",
    "__version__",
    "decode",
    "encode",
    "from_standard",
    "is_valid",
    "suggest",
    "to_standard",
]
