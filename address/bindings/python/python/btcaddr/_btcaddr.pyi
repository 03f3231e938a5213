"""Type stub of the compiled module btcaddr._btcaddr (re-exported by btcaddr)."""

from typing import Any, Callable, Optional, Tuple, Union, final

# Anything with the buffer protocol: bytes, bytearray, memoryview, array.array, numpy arrays.
# (collections.abc.Buffer exists only from Python 3.12.)
_BytesLike = Union[bytes, bytearray, memoryview, Any]

__version__: str
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

class DecodeError(ValueError):
    """A string is not a valid generic address."""

    kind: Optional[str]
    """missing_colon, repeated_colon, mixed_case, unknown_prefix, invalid_char,
    invalid_length, script_too_long, damm_mismatch or crc_mismatch."""
    position: Optional[int]
    """The 0-based index of the character blamed, or None."""

class EncodeError(ValueError):
    """A script cannot be encoded."""

    kind: Optional[str]
    """empty_script, script_too_long or unknown_prefix."""

class ConversionError(ValueError):
    """A conversion to or from a standard address failed."""

    kind: Optional[str]
    """no_standard_address, invalid_standard, wrong_network, encode or unknown_prefix."""

@final
class Address:
    """A decoded generic address: one scriptPubKey on one chain."""

    def __new__(cls, network: str, script: _BytesLike) -> "Address": ...
    @property
    def network(self) -> str:
        """'btc', 'testnet', 'signet' or 'regtest'."""
    @property
    def script(self) -> bytes:
        """The scriptPubKey."""
    @property
    def script_type(self) -> str:
        """p2pk, p2pkh, p2sh, p2wpkh, p2wsh, p2tr, p2a, witness_v<N>, op_return, multisig or
        nonstandard."""
    @property
    def is_standard(self) -> bool:
        """Whether a wallet would pay to this script."""
    @property
    def warning(self) -> Optional[str]:
        """The text to show beside a valid address whose script is not standard, else None."""
    def to_uppercase(self) -> str:
        """The all-uppercase form."""
    def to_standard(self) -> str:
        """The base58check, bech32 or bech32m form; raises ConversionError if it has none."""
    def __eq__(self, value: object, /) -> bool: ...
    def __ne__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> Tuple[Callable[[str], "Address"], Tuple[str]]: ...

@final
class Suggestion:
    """A candidate correction from suggest(): only a guess, to confirm with the sender."""

    @property
    def address(self) -> str:
        """The corrected address, which passes both checks."""
    @property
    def description(self) -> str:
        """What was changed, and where."""
    @property
    def kind(self) -> str:
        """substitution, transposition, confusion, deletion, insertion or lowercase."""
    @property
    def index(self) -> Optional[int]:
        """The 0-based character position of the edit, or None for lowercase."""
    def __eq__(self, value: object, /) -> bool: ...
    def __ne__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...

def encode(network: str, script: _BytesLike) -> str:
    """Encodes a scriptPubKey on network ('btc', 'testnet', 'signet', 'regtest' or an alias)."""

def decode(address: str) -> Address:
    """Decodes a generic address; raises DecodeError, never corrects."""

def is_valid(address: str) -> bool:
    """Whether address is a valid generic address."""

def suggest(address: str) -> list[Suggestion]:
    """Candidate corrections one edit away that pass both checks."""

def to_standard(address: str) -> str:
    """The standard form of a generic address."""

def from_standard(address: str, network: Optional[str] = None) -> str:
    """The generic address of a standard address."""
