//! # btcaddr: the C library of the generic Bitcoin address codec
//!
//! A thin layer over the `btcaddr` crate: it converts C strings and buffers to Rust types, calls
//! the codec, and turns its errors into status codes. It implements no part of the format.
//!
//! Built with `cargo build --release -p btcaddr-c` into `target/release/libbtcaddr.a` and
//! `libbtcaddr.so`; the header `include/btcaddr.h` is generated from this file by cbindgen (the
//! doc comments here are the header's docs) and a test fails when it drifts.
//!
//! Conventions of every function (repeated in the header):
//!
//! * Input strings are a pointer and a length in bytes, UTF-8, not NUL-terminated (a NUL byte is
//!   just a character). Exactly `len` bytes are read.
//! * Output strings go into a caller's buffer and a capacity in bytes; they are NUL-terminated.
//! * Every function that can fail returns a `btcaddr_status` and fills an optional
//!   `btcaddr_error` (pass NULL when the code is enough).
//! * No function keeps a pointer it was given, uses global state or panics across the boundary:
//!   all are thread-safe and reentrant.

// The exported names are the C names, so C users see `btcaddr_status`, not `BtcaddrStatus`.
#![allow(non_camel_case_types)]
#![warn(missing_docs)]

use core::ffi::{c_char, c_int};
use std::ffi::CString;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

use codec::{ConversionError, DecodeError, EncodeError, GenericAddress, Network, ScriptType};

/// The longest script an address can carry, in bytes (the consensus limit on a scriptPubKey).
/// A script buffer of this size always suffices for `btcaddr_decode`.
pub const BTCADDR_MAX_SCRIPT_LEN: usize = 10000;

/// The longest generic address, in bytes, without the NUL: a 10,000-byte script on `testnet` or
/// `regtest`. An output buffer of `BTCADDR_MAX_ADDRESS_LEN + 1` bytes always suffices for
/// `btcaddr_encode` and `btcaddr_from_standard`.
pub const BTCADDR_MAX_ADDRESS_LEN: usize = 16015;

/// The longest standard (base58check, bech32, bech32m) address, in bytes, without the NUL
/// (BIP173's limit of 90 characters). A buffer of `BTCADDR_MAX_STANDARD_LEN + 1` bytes always
/// suffices for `btcaddr_to_standard`.
pub const BTCADDR_MAX_STANDARD_LEN: usize = 90;

/// `btcaddr_error.position` and `btcaddr_suggestion.index` when there is no position.
pub const BTCADDR_NO_POSITION: usize = usize::MAX;

/// The size of `btcaddr_error.message`, NUL included. Longer messages are cut at a character
/// boundary and end with "…".
pub const BTCADDR_ERROR_MESSAGE_SIZE: usize = 256;

/// A buffer size that always holds `btcaddr_nonstandard_warning`'s text, NUL included.
pub const BTCADDR_WARNING_SIZE: usize = 160;

/// The size of `btcaddr_decoded.network_name`, NUL included.
pub const BTCADDR_NETWORK_NAME_SIZE: usize = 8;

/// The size of `btcaddr_decoded.script_type_name`, NUL included.
pub const BTCADDR_SCRIPT_TYPE_NAME_SIZE: usize = 16;

/// The result of every fallible function: `BTCADDR_OK` (0) or the reason it failed.
///
/// Codes 1 to 9 are the ways a string fails to decode (one per error kind of the format, the
/// same in every binding: see `btcaddr_status_name`); 20 and 7 are encoding errors; 30 to 32
/// conversion errors; 40 to 44 misuse of the API; 99 a bug caught at the boundary.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum btcaddr_status {
    /// Success.
    BTCADDR_OK = 0,
    /// No ':' between the chain prefix and the letters ("missing_colon").
    BTCADDR_ERR_MISSING_COLON = 1,
    /// A second ':'; the position is its index ("repeated_colon").
    BTCADDR_ERR_REPEATED_COLON = 2,
    /// Upper and lower case mixed ("mixed_case").
    BTCADDR_ERR_MIXED_CASE = 3,
    /// The prefix names no known chain ("unknown_prefix").
    BTCADDR_ERR_UNKNOWN_PREFIX = 4,
    /// A character outside the z-base-32 alphabet; the position is its index ("invalid_char").
    BTCADDR_ERR_INVALID_CHAR = 5,
    /// No script length has this many letters: one missing or extra ("invalid_length").
    BTCADDR_ERR_INVALID_LENGTH = 6,
    /// The script is over 10,000 bytes, when decoding or encoding ("script_too_long").
    BTCADDR_ERR_SCRIPT_TOO_LONG = 7,
    /// The Damm check letter does not match: a letter mistyped or two swapped ("damm_mismatch").
    BTCADDR_ERR_DAMM_MISMATCH = 8,
    /// The CRC does not match: corrupted, or another chain's address ("crc_mismatch").
    BTCADDR_ERR_CRC_MISMATCH = 9,
    /// Encoding an empty script, which has no address ("empty_script").
    BTCADDR_ERR_EMPTY_SCRIPT = 20,
    /// The script has no base58/bech32/bech32m form: P2PK, bare multisig, OP_RETURN, …
    /// ("no_standard_address").
    BTCADDR_ERR_NO_STANDARD_ADDRESS = 30,
    /// Not a valid base58check, bech32 or bech32m address ("invalid_standard").
    BTCADDR_ERR_INVALID_STANDARD = 31,
    /// The standard address is not valid on the network asked for ("wrong_network").
    BTCADDR_ERR_WRONG_NETWORK = 32,
    /// A required pointer argument is NULL ("null_pointer").
    BTCADDR_ERR_NULL_POINTER = 40,
    /// The output buffer is too small; `btcaddr_error.needed` is the size needed
    /// ("buffer_too_small").
    BTCADDR_ERR_BUFFER_TOO_SMALL = 41,
    /// An input string is not UTF-8; the position is the byte offset of the first bad byte
    /// ("invalid_utf8").
    BTCADDR_ERR_INVALID_UTF8 = 42,
    /// The network name is not btc, testnet, signet, regtest or an alias ("unknown_network").
    BTCADDR_ERR_UNKNOWN_NETWORK = 43,
    /// An input length is over PTRDIFF_MAX, so it cannot describe a buffer ("input_too_long").
    BTCADDR_ERR_INPUT_TOO_LONG = 44,
    /// A bug inside the library was caught before it crossed into C (a Rust panic); the call had
    /// no effect beyond its outputs. Please report it ("internal").
    BTCADDR_ERR_INTERNAL = 99,
}

use btcaddr_status::*;

/// Details of a failure, filled by every function that takes a `btcaddr_error *` (which may be
/// NULL). Written on success too: then `code` is `BTCADDR_OK`, `position` is
/// `BTCADDR_NO_POSITION` and `message` is empty.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct btcaddr_error {
    /// The status the function returned.
    pub code: btcaddr_status,
    /// The 0-based character index (in the whole input string, prefix and colon included) that
    /// the error blames, or `BTCADDR_NO_POSITION`. Set for `BTCADDR_ERR_REPEATED_COLON`,
    /// `BTCADDR_ERR_INVALID_CHAR` and, as a byte offset, `BTCADDR_ERR_INVALID_UTF8`. For ASCII
    /// input a character index is a byte offset.
    pub position: usize,
    /// The size an output needs, in bytes (NUL included for strings), on success and on
    /// `BTCADDR_ERR_BUFFER_TOO_SMALL`; 0 when the function has no sized output.
    pub needed: usize,
    /// A one-line, NUL-terminated, human-readable message naming what failed and where (UTF-8);
    /// empty on success. Also returned by `btcaddr_error_message`.
    pub message: [c_char; BTCADDR_ERROR_MESSAGE_SIZE],
}

/// The chain of a generic address.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum btcaddr_network {
    /// Bitcoin mainnet, prefix `btc`.
    BTCADDR_NETWORK_BTC = 0,
    /// Testnet (testnet3 and testnet4), prefix `testnet`.
    BTCADDR_NETWORK_TESTNET = 1,
    /// Signet, prefix `signet`.
    BTCADDR_NETWORK_SIGNET = 2,
    /// Regtest, prefix `regtest`.
    BTCADDR_NETWORK_REGTEST = 3,
}

/// What kind of scriptPubKey an address carries.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum btcaddr_script_type {
    /// `<pubkey> OP_CHECKSIG` ("p2pk").
    BTCADDR_SCRIPT_P2PK = 0,
    /// Pay to public key hash, base58 `1…` ("p2pkh").
    BTCADDR_SCRIPT_P2PKH = 1,
    /// Pay to script hash, base58 `3…` ("p2sh").
    BTCADDR_SCRIPT_P2SH = 2,
    /// Witness v0 key hash, bech32 ("p2wpkh").
    BTCADDR_SCRIPT_P2WPKH = 3,
    /// Witness v0 script hash, bech32 ("p2wsh").
    BTCADDR_SCRIPT_P2WSH = 4,
    /// Witness v1 taproot, bech32m ("p2tr").
    BTCADDR_SCRIPT_P2TR = 5,
    /// Pay to anchor `OP_1 <0x4e73>` ("p2a").
    BTCADDR_SCRIPT_P2A = 6,
    /// A witness program of an unassigned version or length; see `witness_version`
    /// ("witness_v<N>").
    BTCADDR_SCRIPT_WITNESS_UNKNOWN = 7,
    /// A provably unspendable OP_RETURN output ("op_return").
    BTCADDR_SCRIPT_OP_RETURN = 8,
    /// Bare multisig ("multisig").
    BTCADDR_SCRIPT_MULTISIG = 9,
    /// Anything else: not a standard output ("nonstandard").
    BTCADDR_SCRIPT_NONSTANDARD = 10,
}

/// What `btcaddr_decode` learnt about an address, besides the script bytes.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct btcaddr_decoded {
    /// The chain.
    pub network: btcaddr_network,
    /// The chain's prefix, NUL-terminated: "btc", "testnet", "signet" or "regtest".
    pub network_name: [c_char; BTCADDR_NETWORK_NAME_SIZE],
    /// The script's length in bytes (1 to `BTCADDR_MAX_SCRIPT_LEN`).
    pub script_len: usize,
    /// The kind of script.
    pub script_type: btcaddr_script_type,
    /// The witness version (1 to 16) for `BTCADDR_SCRIPT_WITNESS_UNKNOWN`, else 0.
    pub witness_version: u8,
    /// The kind's stable name, NUL-terminated: "p2wpkh", "witness_v2", "nonstandard", …
    pub script_type_name: [c_char; BTCADDR_SCRIPT_TYPE_NAME_SIZE],
    /// Whether the script is a standard output. A valid address whose script is not standard was
    /// most likely mistyped: show `btcaddr_nonstandard_warning`'s text beside it.
    pub is_standard: bool,
    /// Whether the script has a base58/bech32/bech32m form (`btcaddr_to_standard` succeeds).
    pub has_standard_address: bool,
}

/// One correction candidate of `btcaddr_suggest`. All strings are NUL-terminated UTF-8 owned by
/// the list; they stay valid until `btcaddr_suggestions_free`.
#[repr(C)]
#[derive(Debug)]
pub struct btcaddr_suggestion {
    /// The candidate address, in the input's case (a valid address).
    pub address: *const c_char,
    /// The kind of edit, a stable name: "substitution", "transposition", "confusion",
    /// "deletion", "insertion" or "lowercase".
    pub kind: *const c_char,
    /// The character index of the edit (in the input; for an insertion, in the candidate), or
    /// `BTCADDR_NO_POSITION` for "lowercase", which touches every letter of the rarer case.
    pub index: usize,
    /// What changed, for people: "positions 10 and 11: swapped", …
    pub description: *const c_char,
}

/// The candidates of `btcaddr_suggest`: `count` items at `items` (NULL when `count` is 0).
/// Read-only; free it once with `btcaddr_suggestions_free`.
#[repr(C)]
#[derive(Debug)]
pub struct btcaddr_suggestions {
    /// How many candidates.
    pub count: usize,
    /// The candidates, in the order the codec finds them (not ranked).
    pub items: *const btcaddr_suggestion,
}

/// Why a call failed, before it is written into a `btcaddr_error`.
#[derive(Debug)]
struct Failure {
    code: btcaddr_status,
    position: Option<usize>,
    needed: usize,
    message: String,
}

impl Failure {
    fn new(code: btcaddr_status, message: String) -> Failure {
        Failure {
            code,
            position: None,
            needed: 0,
            message,
        }
    }

    fn null(what: &str) -> Failure {
        Failure::new(
            BTCADDR_ERR_NULL_POINTER,
            format!("{what}: NULL pointer where a buffer is required"),
        )
    }

    fn too_small(what: &str, cap: usize, needed: usize) -> Failure {
        Failure {
            needed,
            ..Failure::new(
                BTCADDR_ERR_BUFFER_TOO_SMALL,
                format!("{what}: buffer of {cap} bytes is too small, {needed} needed"),
            )
        }
    }

    fn internal() -> Failure {
        Failure::new(
            BTCADDR_ERR_INTERNAL,
            "internal error: a panic inside libbtcaddr was caught at the C boundary (a bug: please report it)".into(),
        )
    }
}

impl From<DecodeError> for Failure {
    fn from(e: DecodeError) -> Failure {
        let code = match e {
            DecodeError::MissingColon => BTCADDR_ERR_MISSING_COLON,
            DecodeError::RepeatedColon { .. } => BTCADDR_ERR_REPEATED_COLON,
            DecodeError::MixedCase => BTCADDR_ERR_MIXED_CASE,
            DecodeError::UnknownPrefix(_) => BTCADDR_ERR_UNKNOWN_PREFIX,
            DecodeError::InvalidChar { .. } => BTCADDR_ERR_INVALID_CHAR,
            DecodeError::InvalidLength { .. } => BTCADDR_ERR_INVALID_LENGTH,
            DecodeError::ScriptTooLong { .. } => BTCADDR_ERR_SCRIPT_TOO_LONG,
            DecodeError::DammMismatch => BTCADDR_ERR_DAMM_MISMATCH,
            DecodeError::CrcMismatch => BTCADDR_ERR_CRC_MISMATCH,
        };
        Failure {
            position: e.position(),
            ..Failure::new(code, format!("address: {e}"))
        }
    }
}

fn encode_code(e: &EncodeError) -> btcaddr_status {
    match e {
        EncodeError::EmptyScript => BTCADDR_ERR_EMPTY_SCRIPT,
        EncodeError::ScriptTooLong { .. } => BTCADDR_ERR_SCRIPT_TOO_LONG,
        EncodeError::BufferTooSmall { .. } => BTCADDR_ERR_BUFFER_TOO_SMALL,
    }
}

impl From<EncodeError> for Failure {
    fn from(e: EncodeError) -> Failure {
        Failure::new(encode_code(&e), format!("script: {e}"))
    }
}

impl Failure {
    /// A conversion error, its message led by the argument it concerns.
    fn conversion(e: ConversionError, what: &str) -> Failure {
        let code = match &e {
            ConversionError::NoStandardAddress { .. } => BTCADDR_ERR_NO_STANDARD_ADDRESS,
            ConversionError::InvalidStandard(_) => BTCADDR_ERR_INVALID_STANDARD,
            ConversionError::WrongNetwork { .. } => BTCADDR_ERR_WRONG_NETWORK,
            ConversionError::Encode(inner) => encode_code(inner),
        };
        Failure::new(code, format!("{what}: {e}"))
    }
}

/// Runs an entry point's body: catches any panic (so none unwinds into C), and writes the
/// outcome into `err` when it is not NULL. `body` returns the `needed` size on success.
fn guard(err: *mut btcaddr_error, body: impl FnOnce() -> Result<usize, Failure>) -> btcaddr_status {
    let outcome = catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|_| Err(Failure::internal()));
    let (code, position, needed, message) = match outcome {
        Ok(needed) => (BTCADDR_OK, None, needed, String::new()),
        Err(f) => (f.code, f.position, f.needed, f.message),
    };
    if !err.is_null() {
        // SAFETY: the caller passes NULL or a pointer to a writable btcaddr_error (documented).
        // Fields are written one by one through raw pointers (it may be uninitialised), and on
        // success only the message's first byte: copying all 256 bytes per call was measurable.
        unsafe {
            ptr::addr_of_mut!((*err).code).write(code);
            ptr::addr_of_mut!((*err).position).write(position.unwrap_or(BTCADDR_NO_POSITION));
            ptr::addr_of_mut!((*err).needed).write(needed);
            write_message(ptr::addr_of_mut!((*err).message).cast::<c_char>(), &message);
        }
    }
    code
}

/// Copies `message` into a fixed NUL-terminated array, cut at a character boundary with "…"
/// when too long; NUL bytes (from a caller's input echoed in a message) become '?'.
#[cfg(test)]
fn fill_message(dst: &mut [c_char; BTCADDR_ERROR_MESSAGE_SIZE], message: &str) {
    // SAFETY: `dst` is BTCADDR_ERROR_MESSAGE_SIZE writable bytes.
    unsafe { write_message(dst.as_mut_ptr(), message) }
}

/// [`fill_message`] through a raw pointer, which may point to uninitialised memory.
///
/// # Safety
/// `dst` points to `BTCADDR_ERROR_MESSAGE_SIZE` writable bytes.
unsafe fn write_message(dst: *mut c_char, message: &str) {
    const ELLIPSIS: &str = "…";
    let room = BTCADDR_ERROR_MESSAGE_SIZE - 1;
    let text: std::borrow::Cow<'_, str> = if message.len() <= room {
        message.into()
    } else {
        let mut end = room - ELLIPSIS.len();
        while !message.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}{ELLIPSIS}", &message[..end]).into()
    };
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate().take(room) {
        // SAFETY: i < room < BTCADDR_ERROR_MESSAGE_SIZE.
        unsafe { dst.add(i).write(if b == 0 { b'?' } else { b } as c_char) };
    }
    // SAFETY: at most `room`, the last byte.
    unsafe { dst.add(bytes.len().min(room)).write(0) };
}

/// Copies `s` into a fixed NUL-terminated array that is known to be large enough.
fn fill_name<const N: usize>(s: &str) -> [c_char; N] {
    let mut out = [0 as c_char; N];
    for (d, &b) in out.iter_mut().take(N - 1).zip(s.as_bytes()) {
        *d = b as c_char;
    }
    out
}

/// The `len` bytes at `ptr` as UTF-8 text; `what` names the argument in errors.
///
/// # Safety
/// `ptr` is NULL or points to `len` readable bytes that stay unchanged during the call.
unsafe fn input_str<'a>(ptr: *const c_char, len: usize, what: &str) -> Result<&'a str, Failure> {
    if ptr.is_null() {
        return Err(Failure::null(what));
    }
    if len > isize::MAX as usize {
        return Err(Failure::new(
            BTCADDR_ERR_INPUT_TOO_LONG,
            format!("{what}: length {len} is over PTRDIFF_MAX"),
        ));
    }
    // SAFETY: non-NULL, and the caller guarantees `len` readable bytes.
    let bytes = unsafe { std::slice::from_raw_parts(ptr.cast::<u8>(), len) };
    std::str::from_utf8(bytes).map_err(|e| Failure {
        position: Some(e.valid_up_to()),
        ..Failure::new(
            BTCADDR_ERR_INVALID_UTF8,
            format!(
                "{what}: invalid UTF-8 at byte {}: expected text",
                e.valid_up_to()
            ),
        )
    })
}

/// Writes `s` and a NUL into `out` (capacity `cap` bytes); returns the size used, NUL included.
/// `out` NULL with `cap` 0 asks for the size: `BTCADDR_ERR_BUFFER_TOO_SMALL` with `needed`.
///
/// # Safety
/// `out` is NULL or points to `cap` writable bytes.
unsafe fn write_str(out: *mut c_char, cap: usize, s: &str, what: &str) -> Result<usize, Failure> {
    let needed = s.len() + 1;
    if out.is_null() && cap != 0 {
        return Err(Failure::null(what));
    }
    if cap < needed {
        if cap > 0 {
            // SAFETY: `out` is non-NULL (checked above) and has at least one writable byte.
            unsafe { *out = 0 };
        }
        return Err(Failure::too_small(what, cap, needed));
    }
    // SAFETY: `cap >= needed` writable bytes at `out`, and `s` cannot overlap them: it is ours.
    unsafe {
        ptr::copy_nonoverlapping(s.as_ptr(), out.cast::<u8>(), s.len());
        *out.add(s.len()) = 0;
    }
    Ok(needed)
}

/// Parses a network name such as "btc", "testnet", "signet", "regtest" (or an alias the core
/// accepts: "bitcoin", "mainnet", "testnet4", …).
fn parse_network(name: &str) -> Result<Network, Failure> {
    name.parse::<Network>()
        .map_err(|e| Failure::new(BTCADDR_ERR_UNKNOWN_NETWORK, format!("network: {e}")))
}

fn c_network(n: Network) -> btcaddr_network {
    match n {
        Network::Btc => btcaddr_network::BTCADDR_NETWORK_BTC,
        Network::Testnet => btcaddr_network::BTCADDR_NETWORK_TESTNET,
        Network::Signet => btcaddr_network::BTCADDR_NETWORK_SIGNET,
        Network::Regtest => btcaddr_network::BTCADDR_NETWORK_REGTEST,
    }
}

fn c_script_type(t: ScriptType) -> (btcaddr_script_type, u8) {
    use btcaddr_script_type::*;
    match t {
        ScriptType::P2pk => (BTCADDR_SCRIPT_P2PK, 0),
        ScriptType::P2pkh => (BTCADDR_SCRIPT_P2PKH, 0),
        ScriptType::P2sh => (BTCADDR_SCRIPT_P2SH, 0),
        ScriptType::P2wpkh => (BTCADDR_SCRIPT_P2WPKH, 0),
        ScriptType::P2wsh => (BTCADDR_SCRIPT_P2WSH, 0),
        ScriptType::P2tr => (BTCADDR_SCRIPT_P2TR, 0),
        ScriptType::P2a => (BTCADDR_SCRIPT_P2A, 0),
        ScriptType::WitnessUnknown { version } => (BTCADDR_SCRIPT_WITNESS_UNKNOWN, version),
        ScriptType::OpReturn => (BTCADDR_SCRIPT_OP_RETURN, 0),
        ScriptType::Multisig => (BTCADDR_SCRIPT_MULTISIG, 0),
        ScriptType::NonStandard => (BTCADDR_SCRIPT_NONSTANDARD, 0),
    }
}

/// Encodes a script as a generic address (canonical lowercase form).
///
/// Reads `network_len` bytes of `network` (a name: "btc", "testnet", "signet", "regtest", or the
/// aliases "bitcoin", "mainnet", "testnet4", …) and `script_len` bytes of `script`. Writes the
/// NUL-terminated address into `out` (capacity `out_cap` bytes; `BTCADDR_MAX_ADDRESS_LEN + 1`
/// always suffices, and `out` NULL with `out_cap` 0 asks for the size).
///
/// Returns `BTCADDR_OK`; `BTCADDR_ERR_EMPTY_SCRIPT` or `BTCADDR_ERR_SCRIPT_TOO_LONG` (over
/// 10,000 bytes); `BTCADDR_ERR_UNKNOWN_NETWORK`; `BTCADDR_ERR_BUFFER_TOO_SMALL` (`err->needed`
/// is the size, NUL included; `out[0]` is set to NUL when `out_cap` > 0);
/// `BTCADDR_ERR_NULL_POINTER`, `BTCADDR_ERR_INVALID_UTF8`, `BTCADDR_ERR_INPUT_TOO_LONG`.
/// On success `err->needed` is the length written plus 1. `err` may be NULL. Thread-safe.
///
/// # Safety
/// Each pointer is NULL or points to as many readable (inputs) or writable (`out`, `err`) bytes
/// as its length or capacity says.
#[no_mangle]
pub unsafe extern "C" fn btcaddr_encode(
    network: *const c_char,
    network_len: usize,
    script: *const u8,
    script_len: usize,
    out: *mut c_char,
    out_cap: usize,
    err: *mut btcaddr_error,
) -> btcaddr_status {
    guard(err, || {
        // SAFETY (all blocks): the caller's contract above.
        let network = parse_network(unsafe { input_str(network, network_len, "network") }?)?;
        if script.is_null() {
            return Err(Failure::null("script"));
        }
        if script_len > isize::MAX as usize {
            return Err(Failure::new(
                BTCADDR_ERR_INPUT_TOO_LONG,
                format!("script: length {script_len} is over PTRDIFF_MAX"),
            ));
        }
        let bytes = unsafe { std::slice::from_raw_parts(script, script_len) };
        let address = codec::encode(network, bytes)?;
        unsafe { write_str(out, out_cap, &address, "out") }
    })
}

/// Decodes and fully verifies a generic address (lowercase or all-uppercase). Never corrects:
/// see `btcaddr_suggest`.
///
/// Reads `address_len` bytes of `address`. On success writes the script's bytes into `script`
/// (capacity `script_cap`; `BTCADDR_MAX_SCRIPT_LEN` always suffices) and fills `*out`; `script`
/// may be NULL with `script_cap` 0 to skip the bytes (`out->script_len` still tells their
/// length). `out` is required.
///
/// Returns `BTCADDR_OK`; a decode error, `BTCADDR_ERR_MISSING_COLON` to
/// `BTCADDR_ERR_CRC_MISMATCH`, with `err->position` set for a repeated colon or an invalid
/// character; `BTCADDR_ERR_BUFFER_TOO_SMALL` when the script does not fit (then `*out` is still
/// filled, the address being valid, and `err->needed` is the script length);
/// `BTCADDR_ERR_NULL_POINTER`, `BTCADDR_ERR_INVALID_UTF8`, `BTCADDR_ERR_INPUT_TOO_LONG`.
/// On success `err->needed` is the script length. `*out` and `script` are untouched on other
/// errors. `err` may be NULL. Thread-safe.
///
/// # Safety
/// Each pointer is NULL or points to as many readable or writable bytes as its length or
/// capacity says; `out` and `err` are NULL or point to writable structs.
#[no_mangle]
pub unsafe extern "C" fn btcaddr_decode(
    address: *const c_char,
    address_len: usize,
    script: *mut u8,
    script_cap: usize,
    out: *mut btcaddr_decoded,
    err: *mut btcaddr_error,
) -> btcaddr_status {
    guard(err, || {
        // SAFETY (all blocks): the caller's contract above.
        let text = unsafe { input_str(address, address_len, "address") }?;
        if out.is_null() {
            return Err(Failure::null("out"));
        }
        if script.is_null() && script_cap != 0 {
            return Err(Failure::null("script"));
        }
        let decoded = codec::decode(text)?;
        let bytes = decoded.script().as_bytes();
        let (script_type, witness_version) = c_script_type(decoded.script_type());
        let info = btcaddr_decoded {
            network: c_network(decoded.network()),
            network_name: fill_name(decoded.network().prefix()),
            script_len: bytes.len(),
            script_type,
            witness_version,
            script_type_name: fill_name(&decoded.script_type().to_string()),
            is_standard: decoded.is_standard(),
            has_standard_address: decoded.script_type().has_standard_address(),
        };
        unsafe { ptr::write(out, info) };
        if script.is_null() {
            return Ok(bytes.len());
        }
        if script_cap < bytes.len() {
            return Err(Failure::too_small("script", script_cap, bytes.len()));
        }
        unsafe { ptr::copy_nonoverlapping(bytes.as_ptr(), script, bytes.len()) };
        Ok(bytes.len())
    })
}

/// Whether the `address_len` bytes at `address` are a valid generic address (all checks).
/// Allocates nothing. NULL, invalid UTF-8 or a length over PTRDIFF_MAX give false. Thread-safe.
///
/// # Safety
/// `address` is NULL or points to `address_len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn btcaddr_is_valid(address: *const c_char, address_len: usize) -> bool {
    catch_unwind(|| {
        // SAFETY: the caller's contract above.
        unsafe { input_str(address, address_len, "address") }.is_ok_and(codec::is_valid)
    })
    .unwrap_or(false)
}

/// The warning to show beside a valid address whose script is not standard (the same text in
/// every binding: "valid, but pays to a non-standard script of N bytes: …").
///
/// Decodes the `address_len` bytes of `address` and writes the NUL-terminated warning into `out`
/// (capacity `out_cap`; `BTCADDR_WARNING_SIZE` always suffices; `out` NULL with `out_cap` 0 asks for the size), or an
/// empty string when the script is standard. Returns `BTCADDR_OK`, the decode error of an
/// invalid address, or a usage error as `btcaddr_encode` does. `err` may be NULL. Thread-safe.
///
/// # Safety
/// As `btcaddr_encode`.
#[no_mangle]
pub unsafe extern "C" fn btcaddr_nonstandard_warning(
    address: *const c_char,
    address_len: usize,
    out: *mut c_char,
    out_cap: usize,
    err: *mut btcaddr_error,
) -> btcaddr_status {
    guard(err, || {
        // SAFETY (both blocks): the caller's contract above.
        let text = unsafe { input_str(address, address_len, "address") }?;
        let warning = codec::decode(text)?
            .warning()
            .map(|w| w.to_string())
            .unwrap_or_default();
        unsafe { write_str(out, out_cap, &warning, "out") }
    })
}

/// The all-uppercase form of a generic address, for QR codes (their alphanumeric mode is denser
/// and holds only uppercase letters); `btcaddr_decode` accepts it like the lowercase form.
///
/// Decodes the `address_len` bytes of `address` (either case) and writes the NUL-terminated
/// uppercase address into `out` (capacity `out_cap`; the address's length + 1 suffices, and so
/// does `BTCADDR_MAX_ADDRESS_LEN + 1`; `out` NULL with `out_cap` 0 asks for the size). Returns
/// `BTCADDR_OK`, the decode error of an invalid address, or a usage error as `btcaddr_encode`
/// does. `err` may be NULL. Thread-safe.
///
/// # Safety
/// As `btcaddr_encode`.
#[no_mangle]
pub unsafe extern "C" fn btcaddr_to_uppercase(
    address: *const c_char,
    address_len: usize,
    out: *mut c_char,
    out_cap: usize,
    err: *mut btcaddr_error,
) -> btcaddr_status {
    guard(err, || {
        // SAFETY (both blocks): the caller's contract above.
        let text = unsafe { input_str(address, address_len, "address") }?;
        let upper = codec::decode(text)?.to_uppercase_string();
        unsafe { write_str(out, out_cap, &upper, "out") }
    })
}

/// The standard (base58check, bech32 or bech32m) form of a generic address's script.
///
/// Decodes the `address_len` bytes of `address` and writes the NUL-terminated standard address
/// into `out` (capacity `out_cap`; `BTCADDR_MAX_STANDARD_LEN + 1` always suffices; `out` NULL
/// with `out_cap` 0 asks for the size). Returns `BTCADDR_OK`; a decode error;
/// `BTCADDR_ERR_NO_STANDARD_ADDRESS` for scripts without one (P2PK, multisig, OP_RETURN, …); or
/// a usage error as `btcaddr_encode` does. `err` may be NULL. Thread-safe.
///
/// # Safety
/// As `btcaddr_encode`.
#[no_mangle]
pub unsafe extern "C" fn btcaddr_to_standard(
    address: *const c_char,
    address_len: usize,
    out: *mut c_char,
    out_cap: usize,
    err: *mut btcaddr_error,
) -> btcaddr_status {
    guard(err, || {
        // SAFETY (both blocks): the caller's contract above.
        let text = unsafe { input_str(address, address_len, "address") }?;
        let standard = codec::decode(text)?
            .to_standard()
            .map_err(|e| Failure::conversion(e, "address"))?
            .to_string();
        unsafe { write_str(out, out_cap, &standard, "out") }
    })
}

/// The generic address of a standard (base58check, bech32 or bech32m) address.
///
/// Reads `standard_len` bytes of `standard` (any case the standard allows). The network comes
/// from the string; since testnet, signet and regtest share base58 versions and testnet and
/// signet share `tb1`, `network` (`network_len` bytes, a name as in `btcaddr_encode`) picks
/// among them and is checked against the string. Pass `network` NULL (and `network_len` 0) to
/// let the string decide: mainnet → "btc", `bcrt1` → "regtest", other test forms → "testnet".
/// Writes the NUL-terminated generic address into `out` (capacity `out_cap`;
/// `BTCADDR_MAX_ADDRESS_LEN + 1` always suffices; `out` NULL with `out_cap` 0 asks for the size).
///
/// Returns `BTCADDR_OK`; `BTCADDR_ERR_INVALID_STANDARD`; `BTCADDR_ERR_WRONG_NETWORK`;
/// `BTCADDR_ERR_UNKNOWN_NETWORK`; or a usage error as `btcaddr_encode` does. `err` may be NULL.
/// Thread-safe.
///
/// # Safety
/// As `btcaddr_encode`.
#[no_mangle]
pub unsafe extern "C" fn btcaddr_from_standard(
    standard: *const c_char,
    standard_len: usize,
    network: *const c_char,
    network_len: usize,
    out: *mut c_char,
    out_cap: usize,
    err: *mut btcaddr_error,
) -> btcaddr_status {
    guard(err, || {
        // SAFETY (all blocks): the caller's contract above.
        let text = unsafe { input_str(standard, standard_len, "standard") }?;
        let network = if network.is_null() && network_len == 0 {
            None
        } else {
            Some(parse_network(unsafe {
                input_str(network, network_len, "network")
            }?)?)
        };
        let generic = GenericAddress::from_standard(text, network)
            .map_err(|e| Failure::conversion(e, "standard"))?
            .to_string();
        unsafe { write_str(out, out_cap, &generic, "out") }
    })
}

/// Correction candidates for a mistyped address: the valid addresses one edit away (one
/// substitution, one swap of neighbours, one common confusion such as 0/o, one letter deleted
/// or inserted, or mixed case lowercased). Only guesses: confirm with whoever gave the address.
///
/// Reads `input_len` bytes of `input`. On success stores in `*out` a list the library allocated
/// (never NULL on success; `count` 0 when the input is valid, the prefix unknown, longer than
/// 200 letters, or no candidate exists); free it with `btcaddr_suggestions_free`. On error
/// `*out` is set to NULL (when `out` is not NULL). Returns `BTCADDR_OK`,
/// `BTCADDR_ERR_NULL_POINTER`, `BTCADDR_ERR_INVALID_UTF8`, `BTCADDR_ERR_INPUT_TOO_LONG`.
/// `err->needed` is the number of candidates. `err` may be NULL. Thread-safe; the list may be
/// read from several threads.
///
/// # Safety
/// `input` is NULL or points to `input_len` readable bytes; `out` and `err` are NULL or
/// writable.
#[no_mangle]
pub unsafe extern "C" fn btcaddr_suggest(
    input: *const c_char,
    input_len: usize,
    out: *mut *mut btcaddr_suggestions,
    err: *mut btcaddr_error,
) -> btcaddr_status {
    if !out.is_null() {
        // SAFETY: `out` is writable (the caller's contract); a NULL result until success.
        unsafe { ptr::write(out, ptr::null_mut()) };
    }
    guard(err, || {
        if out.is_null() {
            return Err(Failure::null("out"));
        }
        // SAFETY: the caller's contract above.
        let text = unsafe { input_str(input, input_len, "input") }?;
        let list = suggestion_list(text)?;
        let count = list.count;
        // SAFETY: `out` is non-NULL and writable.
        unsafe { ptr::write(out, Box::into_raw(Box::new(list))) };
        Ok(count)
    })
}

/// Builds the C list for `text`'s suggestions; every string is a `CString` turned into a raw
/// pointer, taken back by `btcaddr_suggestions_free`.
fn suggestion_list(text: &str) -> Result<btcaddr_suggestions, Failure> {
    let c_string = |s: String| {
        CString::new(s).map_err(|_| {
            Failure::new(
                BTCADDR_ERR_INTERNAL,
                "internal error: a suggestion contains a NUL byte".into(),
            )
        })
    };
    // Convert everything before leaking anything, so an error leaks nothing.
    let mut owned = Vec::new();
    for s in codec::suggest(text) {
        owned.push((
            c_string(s.address.to_string())?,
            c_string(s.edit.kind().to_string())?,
            s.edit.index().unwrap_or(BTCADDR_NO_POSITION),
            c_string(s.edit.to_string())?,
        ));
    }
    let items: Box<[btcaddr_suggestion]> = owned
        .into_iter()
        .map(|(address, kind, index, description)| btcaddr_suggestion {
            address: address.into_raw(),
            kind: kind.into_raw(),
            index,
            description: description.into_raw(),
        })
        .collect();
    let count = items.len();
    let items = if count == 0 {
        ptr::null()
    } else {
        Box::into_raw(items) as *const btcaddr_suggestion
    };
    Ok(btcaddr_suggestions { count, items })
}

/// Frees a list returned by `btcaddr_suggest`, with every string in it. NULL is ignored. Call it
/// once per list, not while another thread reads it. Never fails.
///
/// # Safety
/// `list` is NULL or a pointer `btcaddr_suggest` stored and not freed yet, unmodified.
#[no_mangle]
pub unsafe extern "C" fn btcaddr_suggestions_free(list: *mut btcaddr_suggestions) {
    if list.is_null() {
        return;
    }
    // Freeing only reclaims memory and cannot panic, but stay inside the guard anyway.
    let _ = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: `list` came from Box::into_raw in btcaddr_suggest, its items from
        // Box::into_raw of a boxed slice of `count` items, each string from CString::into_raw.
        unsafe {
            let list = Box::from_raw(list);
            if list.count == 0 || list.items.is_null() {
                return;
            }
            let items = Box::from_raw(ptr::slice_from_raw_parts_mut(
                list.items as *mut btcaddr_suggestion,
                list.count,
            ));
            for item in items.iter() {
                drop(CString::from_raw(item.address as *mut c_char));
                drop(CString::from_raw(item.kind as *mut c_char));
                drop(CString::from_raw(item.description as *mut c_char));
            }
        }
    }));
}

/// The message of a failure: `err->message`, a NUL-terminated one-line UTF-8 string naming
/// what failed and where (e.g. "address: invalid character '0' at position 9: …"). Returns a
/// pointer into `*err` (valid while it is), "no error" for `BTCADDR_OK`, or a static text when
/// `err` is NULL or holds no message. Never returns NULL. Thread-safe.
///
/// # Safety
/// `err` is NULL or points to a readable `btcaddr_error`, as written by this library.
#[no_mangle]
pub unsafe extern "C" fn btcaddr_error_message(err: *const btcaddr_error) -> *const c_char {
    const NO_DETAILS: &[u8] = b"no error details: the btcaddr_error pointer is NULL\0";
    const NO_ERROR: &[u8] = b"no error\0";
    if err.is_null() {
        return NO_DETAILS.as_ptr().cast();
    }
    // SAFETY: `err` points to a readable btcaddr_error (the caller's contract); only the byte
    // array is read, so an unexpected `code` value cannot make this UB.
    let message = unsafe { &(*err).message };
    match message.iter().position(|&c| c == 0) {
        Some(0) | None => NO_ERROR.as_ptr().cast(),
        Some(_) => message.as_ptr(),
    }
}

/// The stable snake_case name of a status code ("ok", "missing_colon", "invalid_char",
/// "buffer_too_small", …), the error kind names shared by every binding and by
/// `vectors.json`; "unknown" for a number that is no status. Static; never NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn btcaddr_status_name(code: c_int) -> *const c_char {
    let name: &'static [u8] = match code {
        0 => b"ok\0",
        1 => b"missing_colon\0",
        2 => b"repeated_colon\0",
        3 => b"mixed_case\0",
        4 => b"unknown_prefix\0",
        5 => b"invalid_char\0",
        6 => b"invalid_length\0",
        7 => b"script_too_long\0",
        8 => b"damm_mismatch\0",
        9 => b"crc_mismatch\0",
        20 => b"empty_script\0",
        30 => b"no_standard_address\0",
        31 => b"invalid_standard\0",
        32 => b"wrong_network\0",
        40 => b"null_pointer\0",
        41 => b"buffer_too_small\0",
        42 => b"invalid_utf8\0",
        43 => b"unknown_network\0",
        44 => b"input_too_long\0",
        99 => b"internal\0",
        _ => b"unknown\0",
    };
    name.as_ptr().cast()
}

/// The library's version, e.g. "0.1.0". Static; never NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn btcaddr_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    fn blank() -> btcaddr_error {
        btcaddr_error {
            code: BTCADDR_ERR_INTERNAL,
            position: 7,
            needed: 7,
            message: [1; BTCADDR_ERROR_MESSAGE_SIZE],
        }
    }

    fn message(err: &btcaddr_error) -> String {
        // SAFETY: `err` is a valid struct.
        unsafe { CStr::from_ptr(btcaddr_error_message(err)) }
            .to_str()
            .unwrap()
            .to_owned()
    }

    #[test]
    fn a_panic_becomes_the_internal_status_and_never_unwinds() {
        let mut err = blank();
        let code = guard(&mut err, || panic!("boom"));
        assert_eq!(code, BTCADDR_ERR_INTERNAL);
        assert_eq!(err.code, BTCADDR_ERR_INTERNAL);
        assert!(
            message(&err).starts_with("internal error"),
            "{}",
            message(&err)
        );
        // Also with no error struct to fill.
        assert_eq!(
            guard(ptr::null_mut(), || panic!("boom")),
            BTCADDR_ERR_INTERNAL
        );
    }

    #[test]
    fn success_resets_the_error_struct() {
        let mut err = blank();
        assert_eq!(guard(&mut err, || Ok(5)), BTCADDR_OK);
        assert_eq!(
            (err.code, err.position, err.needed),
            (BTCADDR_OK, BTCADDR_NO_POSITION, 5)
        );
        assert_eq!(message(&err), "no error");
    }

    #[test]
    fn null_pointers_are_errors() {
        let mut err = blank();
        let mut buf = [0 as c_char; 64];
        let script = [0x51u8];
        unsafe {
            let code = btcaddr_encode(
                ptr::null(),
                3,
                script.as_ptr(),
                1,
                buf.as_mut_ptr(),
                64,
                &mut err,
            );
            assert_eq!(code, BTCADDR_ERR_NULL_POINTER);
            assert_eq!(
                message(&err),
                "network: NULL pointer where a buffer is required"
            );
            let code = btcaddr_encode(
                b"btc".as_ptr().cast(),
                3,
                ptr::null(),
                1,
                buf.as_mut_ptr(),
                64,
                &mut err,
            );
            assert_eq!(code, BTCADDR_ERR_NULL_POINTER);
            assert!(!btcaddr_is_valid(ptr::null(), 10));
            let mut list = ptr::dangling_mut::<btcaddr_suggestions>();
            assert_eq!(
                btcaddr_suggest(ptr::null(), 0, &mut list, ptr::null_mut()),
                BTCADDR_ERR_NULL_POINTER
            );
            assert!(list.is_null());
            btcaddr_suggestions_free(ptr::null_mut());
            let mut decoded = std::mem::MaybeUninit::<btcaddr_decoded>::uninit();
            assert_eq!(
                btcaddr_decode(
                    b"btc:".as_ptr().cast(),
                    4,
                    ptr::null_mut(),
                    5,
                    decoded.as_mut_ptr(),
                    &mut err
                ),
                BTCADDR_ERR_NULL_POINTER
            );
            assert_eq!(
                CStr::from_ptr(btcaddr_error_message(ptr::null())).to_str(),
                Ok("no error details: the btcaddr_error pointer is NULL")
            );
        }
    }

    #[test]
    fn encode_decode_round_trip_and_buffer_sizes() {
        let script = [0x51u8, 0x02, 0x4e, 0x73];
        let mut err = blank();
        let expected = codec::encode(Network::Regtest, &script).unwrap();
        unsafe {
            // Size query.
            let code = btcaddr_encode(
                b"regtest".as_ptr().cast(),
                7,
                script.as_ptr(),
                4,
                ptr::null_mut(),
                0,
                &mut err,
            );
            assert_eq!(code, BTCADDR_ERR_BUFFER_TOO_SMALL);
            assert_eq!(err.needed, expected.len() + 1);
            let mut buf = vec![0 as c_char; err.needed];
            let code = btcaddr_encode(
                b"regtest".as_ptr().cast(),
                7,
                script.as_ptr(),
                4,
                buf.as_mut_ptr(),
                buf.len(),
                &mut err,
            );
            assert_eq!(code, BTCADDR_OK);
            assert_eq!(CStr::from_ptr(buf.as_ptr()).to_str(), Ok(expected.as_str()));
            let mut decoded = std::mem::MaybeUninit::<btcaddr_decoded>::uninit();
            let mut bytes = [0u8; 3];
            let code = btcaddr_decode(
                buf.as_ptr(),
                expected.len(),
                bytes.as_mut_ptr(),
                3,
                decoded.as_mut_ptr(),
                &mut err,
            );
            assert_eq!((code, err.needed), (BTCADDR_ERR_BUFFER_TOO_SMALL, 4));
            let decoded = decoded.assume_init();
            assert_eq!(decoded.script_type, btcaddr_script_type::BTCADDR_SCRIPT_P2A);
            assert_eq!(
                CStr::from_ptr(decoded.network_name.as_ptr()).to_str(),
                Ok("regtest")
            );
        }
    }

    #[test]
    fn status_names_are_the_core_kinds() {
        let cases: [(DecodeError, btcaddr_status); 4] = [
            (DecodeError::MissingColon, BTCADDR_ERR_MISSING_COLON),
            (DecodeError::DammMismatch, BTCADDR_ERR_DAMM_MISMATCH),
            (DecodeError::CrcMismatch, BTCADDR_ERR_CRC_MISMATCH),
            (
                DecodeError::InvalidLength { letters: 3 },
                BTCADDR_ERR_INVALID_LENGTH,
            ),
        ];
        for (e, code) in cases {
            let f = Failure::from(e);
            assert_eq!(f.code, code);
            let name = unsafe { CStr::from_ptr(btcaddr_status_name(code as c_int)) };
            assert_eq!(name.to_str(), Ok(e.kind()));
        }
        for input in ["btc:ybn0", "btc:a:b", "BTC:yb", "bct:yb", "btc:"] {
            let e = codec::decode(input).unwrap_err();
            let f = Failure::from(e);
            let name = unsafe { CStr::from_ptr(btcaddr_status_name(f.code as c_int)) };
            assert_eq!(name.to_str(), Ok(e.kind()), "{input}");
            assert_eq!(f.position, e.position(), "{input}");
        }
        let e = codec::encode(Network::Btc, &[]).unwrap_err();
        let name = unsafe { CStr::from_ptr(btcaddr_status_name(Failure::from(e).code as c_int)) };
        assert_eq!(name.to_str(), Ok(e.kind()));
        let unknown = unsafe { CStr::from_ptr(btcaddr_status_name(12345)) };
        assert_eq!(unknown.to_str(), Ok("unknown"));
    }

    #[test]
    fn size_constants_match_the_core() {
        assert_eq!(BTCADDR_MAX_SCRIPT_LEN, codec::length::MAX_SCRIPT_LEN);
        // The header spells it SIZE_MAX by hand (cbindgen.toml): keep the two the same.
        assert_eq!(BTCADDR_NO_POSITION, usize::MAX);
        let longest = Network::ALL
            .iter()
            .map(|n| n.prefix().len() + 1 + codec::length::address_letters(BTCADDR_MAX_SCRIPT_LEN))
            .max();
        assert_eq!(longest, Some(BTCADDR_MAX_ADDRESS_LEN));
        for n in Network::ALL {
            assert!(n.prefix().len() < BTCADDR_NETWORK_NAME_SIZE);
        }
        assert!("witness_v16".len() < BTCADDR_SCRIPT_TYPE_NAME_SIZE);
        let longest_warning = codec::NonStandardWarning {
            script_len: BTCADDR_MAX_SCRIPT_LEN,
        };
        assert!(longest_warning.to_string().len() < BTCADDR_WARNING_SIZE);
        assert!("nonstandard".len() < BTCADDR_SCRIPT_TYPE_NAME_SIZE);
    }

    #[test]
    fn long_messages_are_cut_at_a_char_boundary() {
        let mut dst = [0 as c_char; BTCADDR_ERROR_MESSAGE_SIZE];
        let long = "é".repeat(300);
        fill_message(&mut dst, &long);
        let text = unsafe { CStr::from_ptr(dst.as_ptr()) }.to_str().unwrap();
        assert!(text.ends_with('…') && text.len() < BTCADDR_ERROR_MESSAGE_SIZE);
        fill_message(&mut dst, "a\0b");
        let text = unsafe { CStr::from_ptr(dst.as_ptr()) }.to_str().unwrap();
        assert_eq!(text, "a?b");
    }

    #[test]
    fn suggestions_are_listed_and_freed() {
        let good = codec::encode(
            Network::Btc,
            &[
                0x00, 0x14, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
            ],
        )
        .unwrap();
        let mut chars: Vec<char> = good.chars().collect();
        let i = (5..chars.len() - 1)
            .find(|&i| chars[i] != chars[i + 1])
            .unwrap();
        chars.swap(i, i + 1);
        let typo: String = chars.into_iter().collect();
        let mut list = ptr::null_mut();
        let mut err = blank();
        unsafe {
            let code = btcaddr_suggest(typo.as_ptr().cast(), typo.len(), &mut list, &mut err);
            assert_eq!(code, BTCADDR_OK);
            assert!(!list.is_null());
            let items = std::slice::from_raw_parts((*list).items, (*list).count);
            assert_eq!(err.needed, items.len());
            assert!(items.iter().any(|s| {
                CStr::from_ptr(s.address).to_str() == Ok(good.as_str())
                    && CStr::from_ptr(s.kind).to_str() == Ok("transposition")
                    && s.index == i
            }));
            btcaddr_suggestions_free(list);
        }
    }
}
