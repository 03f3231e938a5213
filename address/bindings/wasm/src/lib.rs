//! # btcaddr-wasm: the btcaddr codec for JavaScript
//!
//! The `btcaddr` crate compiled to `wasm32-unknown-unknown`, with plain `extern "C"` exports that
//! the hand-written JS module (`js/core.js`) calls. This crate converts bytes to Rust types,
//! calls the codec and writes the results back as bytes; it implements no part of the format.
//!
//! How the glue talks to it (all inside one wasm instance, which is single-threaded):
//!
//! * Inputs: JS asks [`bw_input`] for a buffer of at least `n` bytes, writes UTF-8 (or script
//!   bytes) into it and calls an export with the lengths. The buffer is kept and reused, so a
//!   call allocates nothing on the JS side and nothing for its input on the Rust side.
//! * Outputs: every export fills the result slots at [`bw_result`] (indexes in [`slot`]) and
//!   returns a status ([`OK`], [`DECODE_ERROR`], …). Strings and bytes are `(pointer, length)`
//!   pairs into linear memory, valid until the next call; JS copies them out.
//! * Errors: the slots hold the core's snake_case kind, its one-line message and the position
//!   (or `usize::MAX` for none), and JS throws the matching error class.
//!
//! The decode path writes the script with [`btcaddr::decode_to_slice`] into a static buffer, so a
//! decode of a standard address allocates nothing in wasm either.
//!
//! The exports are ordinary safe functions (no pointer arguments), so the crate also builds for
//! the host, where its unit tests call them.

#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
mod heap;

/// The wasm build's allocator: see [`heap`].
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: heap::Allocator = heap::Allocator::new();

use std::fmt::{self, Write as _};
use std::str::FromStr;
use std::sync::{Mutex, MutexGuard, PoisonError};

use btcaddr::length::MAX_SCRIPT_LEN;
use btcaddr::{
    ConversionError, DecodeError, EncodeError, GenericAddress, Network, ScriptType,
    UnknownPrefixError,
};

/// Status: the call succeeded; the slots hold its result.
pub const OK: i32 = 0;
/// Status: the address did not decode (`DecodeError` in JS).
pub const DECODE_ERROR: i32 = 1;
/// Status: the script or network could not be encoded (`EncodeError` in JS).
pub const ENCODE_ERROR: i32 = 2;
/// Status: a conversion to or from a standard address failed (`ConversionError` in JS).
pub const CONVERSION_ERROR: i32 = 3;
/// Status: a value out of range (text too long for a QR code, an unknown table index):
/// `RangeError` in JS.
pub const RANGE_ERROR: i32 = 4;
/// Status: the glue broke the calling convention (a length past the input buffer, bytes that
/// are not UTF-8): a plain `Error` in JS, never expected.
pub const INTERNAL_ERROR: i32 = 5;

/// Indexes of the result slots (`usize` each, so `u32` in wasm32) at [`bw_result`].
pub mod slot {
    /// Pointer to the main text output (address, SVG, suggestion record, error message).
    pub const TEXT_PTR: usize = 0;
    /// Its length in bytes.
    pub const TEXT_LEN: usize = 1;
    /// Pointer to the error kind (a static snake_case string).
    pub const KIND_PTR: usize = 2;
    /// Its length in bytes.
    pub const KIND_LEN: usize = 3;
    /// The error position (0-based character index), or `usize::MAX` for none.
    pub const POSITION: usize = 4;
    /// Decode: the network's index in [`btcaddr::Network::ALL`].
    pub const NETWORK: usize = 5;
    /// Decode: pointer to the script bytes.
    pub const SCRIPT_PTR: usize = 6;
    /// Decode: the script's length.
    pub const SCRIPT_LEN: usize = 7;
    /// Decode: the script type's code (see [`super::bw_script_type_name`]).
    pub const SCRIPT_TYPE: usize = 8;
    /// Decode: bit 0 the script is standard; bit 1 the input is already the canonical form (so
    /// JS reuses its own string instead of reading the text slots).
    pub const FLAGS: usize = 9;
    /// Decode: pointer to the non-standard warning text.
    pub const WARNING_PTR: usize = 10;
    /// Decode: its length, 0 when the script is standard.
    pub const WARNING_LEN: usize = 11;
    /// How many slots there are.
    pub const COUNT: usize = 12;
}

/// [`slot::FLAGS`] bit: the script is standard.
pub const FLAG_STANDARD: usize = 1;
/// [`slot::FLAGS`] bit: the input string is already canonical.
pub const FLAG_INPUT_CANONICAL: usize = 2;

/// Everything the exports share: the reused input and output buffers, the decode buffer and the
/// result slots. A `static`, so its address (and the slots' and script buffer's) never moves.
struct State {
    input: Vec<u8>,
    out: Vec<u8>,
    script: [u8; MAX_SCRIPT_LEN],
    result: [usize; slot::COUNT],
}

static STATE: Mutex<State> = Mutex::new(State {
    input: Vec::new(),
    out: Vec::new(),
    script: [0; MAX_SCRIPT_LEN],
    result: [0; slot::COUNT],
});

/// The shared state. wasm32 has one thread, so the lock is free there; on the host it keeps the
/// unit tests (which run in parallel) sound. Nothing panics while holding it (panic = abort in
/// the wasm build anyway), so a poisoned lock still holds consistent data.
fn state() -> MutexGuard<'static, State> {
    STATE.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Why a call failed, before it becomes slots.
enum Failure {
    Decode(DecodeError),
    Encode(EncodeError),
    Conversion(ConversionError),
    /// A network name that is not a chain, given to encode (status) or fromStandard.
    UnknownNetwork(i32, UnknownPrefixError),
    Qr(qrcode::types::QrError),
    BadTableIndex(usize),
    Internal(&'static str),
}

impl Failure {
    fn status(&self) -> i32 {
        match self {
            Failure::Decode(_) => DECODE_ERROR,
            Failure::Encode(_) => ENCODE_ERROR,
            Failure::Conversion(_) => CONVERSION_ERROR,
            Failure::UnknownNetwork(status, _) => *status,
            Failure::Qr(_) | Failure::BadTableIndex(_) => RANGE_ERROR,
            Failure::Internal(_) => INTERNAL_ERROR,
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            Failure::Decode(e) => e.kind(),
            Failure::Encode(e) => e.kind(),
            Failure::Conversion(e) => e.kind(),
            // The core's name for this error where it can occur in decoding.
            Failure::UnknownNetwork(..) => "unknown_prefix",
            Failure::Qr(_) => "qr_too_long",
            Failure::BadTableIndex(_) => "bad_index",
            Failure::Internal(_) => "internal",
        }
    }

    fn position(&self) -> Option<usize> {
        match self {
            Failure::Decode(e) => e.position(),
            _ => None,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Decode(e) => e.fmt(f),
            Failure::Encode(e) => e.fmt(f),
            Failure::Conversion(e) => e.fmt(f),
            Failure::UnknownNetwork(_, e) => e.fmt(f),
            Failure::Qr(e) => write!(f, "cannot make a QR code of this text: {e}"),
            Failure::BadTableIndex(i) => write!(f, "no table entry {i}"),
            Failure::Internal(what) => write!(f, "btcaddr wasm glue: {what}"),
        }
    }
}

impl From<DecodeError> for Failure {
    fn from(e: DecodeError) -> Self {
        Failure::Decode(e)
    }
}

impl From<EncodeError> for Failure {
    fn from(e: EncodeError) -> Self {
        Failure::Encode(e)
    }
}

impl From<ConversionError> for Failure {
    fn from(e: ConversionError) -> Self {
        Failure::Conversion(e)
    }
}

/// `Vec<u8>` as a `fmt::Write` target, so messages format straight into the reused buffer.
struct Out<'a>(&'a mut Vec<u8>);

impl fmt::Write for Out<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

impl State {
    /// Clears the output and the slots for a new call.
    fn begin(&mut self) {
        self.out.clear();
        self.result = [0; slot::COUNT];
        self.result[slot::POSITION] = usize::MAX;
    }

    /// Points the text slots at the whole output buffer.
    fn set_text_to_out(&mut self) {
        self.result[slot::TEXT_PTR] = self.out.as_ptr() as usize;
        self.result[slot::TEXT_LEN] = self.out.len();
    }

    /// Makes `text` the output (taking its buffer, no copy).
    fn set_text(&mut self, text: String) {
        self.out = text.into_bytes();
        self.set_text_to_out();
    }

    /// Turns the outcome into slots and a status.
    fn finish(&mut self, outcome: Result<(), Failure>) -> i32 {
        match outcome {
            Ok(()) => OK,
            Err(failure) => {
                self.out.clear();
                // Writing into a Vec cannot fail.
                let _ = write!(Out(&mut self.out), "{failure}");
                self.set_text_to_out();
                let kind = failure.kind();
                self.result[slot::KIND_PTR] = kind.as_ptr() as usize;
                self.result[slot::KIND_LEN] = kind.len();
                self.result[slot::POSITION] = failure.position().unwrap_or(usize::MAX);
                failure.status()
            }
        }
    }
}

/// `len` bytes of `input` from `start`, as UTF-8.
fn input_str(input: &[u8], start: usize, len: usize) -> Result<&str, Failure> {
    std::str::from_utf8(input_bytes(input, start, len)?)
        .map_err(|_| Failure::Internal("input is not UTF-8"))
}

/// `len` bytes of `input` from `start`.
fn input_bytes(input: &[u8], start: usize, len: usize) -> Result<&[u8], Failure> {
    start
        .checked_add(len)
        .and_then(|end| input.get(start..end))
        .ok_or(Failure::Internal("length past the input buffer"))
}

/// Runs `body` on the state between [`State::begin`] and [`State::finish`].
fn call(body: impl FnOnce(&mut State) -> Result<(), Failure>) -> i32 {
    let mut guard = state();
    let st = &mut *guard;
    st.begin();
    let outcome = body(st);
    st.finish(outcome)
}

/// The network's index in [`Network::ALL`], the code JS maps through its name table.
fn network_code(network: Network) -> usize {
    match network {
        Network::Btc => 0,
        Network::Testnet => 1,
        Network::Signet => 2,
        Network::Regtest => 3,
    }
}

/// Every script type, in code order (the code is the index): JS builds its name table from it.
const SCRIPT_TYPES: [ScriptType; 26] = {
    use ScriptType::*;
    [
        P2pk,
        P2pkh,
        P2sh,
        P2wpkh,
        P2wsh,
        P2tr,
        P2a,
        OpReturn,
        Multisig,
        NonStandard,
        WitnessUnknown { version: 1 },
        WitnessUnknown { version: 2 },
        WitnessUnknown { version: 3 },
        WitnessUnknown { version: 4 },
        WitnessUnknown { version: 5 },
        WitnessUnknown { version: 6 },
        WitnessUnknown { version: 7 },
        WitnessUnknown { version: 8 },
        WitnessUnknown { version: 9 },
        WitnessUnknown { version: 10 },
        WitnessUnknown { version: 11 },
        WitnessUnknown { version: 12 },
        WitnessUnknown { version: 13 },
        WitnessUnknown { version: 14 },
        WitnessUnknown { version: 15 },
        WitnessUnknown { version: 16 },
    ]
};

/// The code of a script type: its index in [`SCRIPT_TYPES`] (a match, not a search, since this
/// runs on every decode). Unknown witness versions outside 1..=16 cannot occur; they would map
/// to `nonstandard`'s code rather than fail.
fn script_type_code(t: ScriptType) -> usize {
    match t {
        ScriptType::P2pk => 0,
        ScriptType::P2pkh => 1,
        ScriptType::P2sh => 2,
        ScriptType::P2wpkh => 3,
        ScriptType::P2wsh => 4,
        ScriptType::P2tr => 5,
        ScriptType::P2a => 6,
        ScriptType::OpReturn => 7,
        ScriptType::Multisig => 8,
        ScriptType::NonStandard => 9,
        ScriptType::WitnessUnknown { version } if (1..=16).contains(&version) => {
            9 + usize::from(version)
        }
        ScriptType::WitnessUnknown { .. } => 9,
    }
}

/// Makes sure the input buffer holds at least `len` bytes and returns where it starts (the
/// address changes when it grows, and memory may grow with it, so JS refreshes its views).
#[no_mangle]
pub extern "C" fn bw_input(len: usize) -> *mut u8 {
    let mut st = state();
    if st.input.len() < len {
        st.input.resize(len, 0);
    }
    st.input.as_mut_ptr()
}

/// Where the result slots are (fixed for the life of the instance).
#[no_mangle]
pub extern "C" fn bw_result() -> *const usize {
    state().result.as_ptr()
}

/// `decode`: the `len` input bytes as an address. On success the slots hold the network code,
/// the script, its type code, the flags, the canonical form (text, unless
/// [`FLAG_INPUT_CANONICAL`]) and the warning for a non-standard script.
#[no_mangle]
pub extern "C" fn bw_decode(len: usize) -> i32 {
    call(|st| {
        let s = input_str(&st.input, 0, len)?;
        let (network, script) = btcaddr::decode_to_slice(s, &mut st.script)?;
        let script_type = ScriptType::of(bitcoin::Script::from_bytes(script));
        let mut flags = 0;
        if script_type.is_standard() {
            flags |= FLAG_STANDARD;
        }
        // `Display` is the canonical lowercase form and decoding accepts only it or its
        // all-uppercase form, so an input without uppercase letters is canonical as it stands.
        let canonical = !s.bytes().any(|b| b.is_ascii_uppercase());
        let (script_ptr, script_len) = (script.as_ptr() as usize, script.len());
        let mut warning = 0..0;
        if canonical {
            flags |= FLAG_INPUT_CANONICAL;
        } else {
            st.out.extend(s.bytes().map(|b| b.to_ascii_lowercase()));
        }
        st.result[slot::TEXT_LEN] = st.out.len();
        if script_type.is_standard() {
            // Nothing more to write.
        } else {
            if let Some(w) = btcaddr::NonStandardWarning::of(script) {
                let start = st.out.len();
                let _ = write!(Out(&mut st.out), "{w}");
                warning = start..st.out.len();
            }
        }
        let base = st.out.as_ptr() as usize;
        st.result[slot::TEXT_PTR] = base;
        st.result[slot::WARNING_PTR] = base + warning.start;
        st.result[slot::WARNING_LEN] = warning.len();
        st.result[slot::NETWORK] = network_code(network);
        st.result[slot::SCRIPT_PTR] = script_ptr;
        st.result[slot::SCRIPT_LEN] = script_len;
        st.result[slot::SCRIPT_TYPE] = script_type_code(script_type);
        st.result[slot::FLAGS] = flags;
        Ok(())
    })
}

/// `isValid`: 1 when the `len` input bytes are a valid address, 0 when not, -1 when the glue
/// broke the convention (the slots then hold the message).
#[no_mangle]
pub extern "C" fn bw_is_valid(len: usize) -> i32 {
    let mut valid = false;
    let status = call(|st| {
        valid = btcaddr::is_valid(input_str(&st.input, 0, len)?);
        Ok(())
    });
    match (status, valid) {
        (OK, true) => 1,
        (OK, false) => 0,
        _ => -1,
    }
}

/// `encode`: the network name in the first `network_len` input bytes, the script in the next
/// `script_len`; the address goes to the text slots.
#[no_mangle]
pub extern "C" fn bw_encode(network_len: usize, script_len: usize) -> i32 {
    call(|st| {
        let network = parse_network(input_str(&st.input, 0, network_len)?, ENCODE_ERROR)?;
        let script = input_bytes(&st.input, network_len, script_len)?;
        // Straight into the reused output buffer: no allocation per call once it has grown.
        st.out.resize(st.out.capacity().max(128), 0);
        let len = match btcaddr::encode_to_slice(network, script, &mut st.out) {
            Ok(text) => text.len(),
            Err(EncodeError::BufferTooSmall { needed }) => {
                st.out.resize(needed, 0);
                btcaddr::encode_to_slice(network, script, &mut st.out)?.len()
            }
            Err(e) => return Err(e.into()),
        };
        st.out.truncate(len);
        st.set_text_to_out();
        Ok(())
    })
}

fn parse_network(name: &str, status: i32) -> Result<Network, Failure> {
    Network::from_str(name).map_err(|e| Failure::UnknownNetwork(status, e))
}

/// `toUppercase`: the all-uppercase form of the valid address in the `len` input bytes.
#[no_mangle]
pub extern "C" fn bw_to_uppercase(len: usize) -> i32 {
    call(|st| {
        let text = btcaddr::decode(input_str(&st.input, 0, len)?)?.to_uppercase_string();
        st.set_text(text);
        Ok(())
    })
}

/// `toStandard`: the base58check/bech32/bech32m address of the generic address in the `len`
/// input bytes.
#[no_mangle]
pub extern "C" fn bw_to_standard(len: usize) -> i32 {
    call(|st| {
        let address = btcaddr::decode(input_str(&st.input, 0, len)?)?;
        let text = address.to_standard()?.to_string();
        st.set_text(text);
        Ok(())
    })
}

/// `fromStandard`: the generic address of the standard address in the first `len` input bytes;
/// when `has_network` is not 0 the network name follows in the next `network_len` bytes.
#[no_mangle]
pub extern "C" fn bw_from_standard(len: usize, has_network: u32, network_len: usize) -> i32 {
    call(|st| {
        let network = match has_network {
            0 => None,
            _ => Some(parse_network(
                input_str(&st.input, len, network_len)?,
                CONVERSION_ERROR,
            )?),
        };
        let address = GenericAddress::from_standard(input_str(&st.input, 0, len)?, network)?;
        st.set_text(address.to_string());
        Ok(())
    })
}

/// `suggest`: the candidates for the `len` input bytes, as a record in the text slots:
/// a little-endian `u32` count, then per candidate an `i32` index (-1 for none) and three
/// strings (kind, address, description), each a `u32` length and its UTF-8 bytes.
#[no_mangle]
pub extern "C" fn bw_suggest(len: usize) -> i32 {
    call(|st| {
        let found = btcaddr::suggest(input_str(&st.input, 0, len)?);
        let out = &mut st.out;
        push_u32(out, found.len());
        for s in &found {
            let index = s.edit.index().and_then(|i| i32::try_from(i).ok());
            out.extend_from_slice(&index.unwrap_or(-1).to_le_bytes());
            push_str(out, s.edit.kind());
            push_str(out, &s.address.to_string());
            let start = out.len();
            push_u32(out, 0);
            let _ = write!(Out(out), "{}", s.edit);
            let n = out.len() - start - 4;
            out[start..start + 4].copy_from_slice(&u32_le(n));
        }
        st.set_text_to_out();
        Ok(())
    })
}

fn u32_le(n: usize) -> [u8; 4] {
    // Every length here is below the 4 GiB of a wasm32 memory.
    u32::try_from(n).unwrap_or(u32::MAX).to_le_bytes()
}

fn push_u32(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(&u32_le(n));
}

fn push_str(out: &mut Vec<u8>, s: &str) {
    push_u32(out, s.len());
    out.extend_from_slice(s.as_bytes());
}

/// `qrSvg`: an SVG document of a QR code (error correction M) of the `len` input bytes. The
/// `qrcode` crate picks the densest mode per segment, so the uppercase form of an address is
/// encoded alphanumerically.
#[no_mangle]
pub extern "C" fn bw_qr_svg(len: usize) -> i32 {
    call(|st| {
        let text = input_str(&st.input, 0, len)?;
        let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M)
            .map_err(Failure::Qr)?;
        let svg = code
            .render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(256, 256)
            .build();
        st.set_text(svg);
        Ok(())
    })
}

/// The name of network code `code` (its prefix) in the text slots; JS reads the table once.
#[no_mangle]
pub extern "C" fn bw_network_name(code: usize) -> i32 {
    call(|st| {
        let network = Network::ALL.get(code).ok_or(Failure::BadTableIndex(code))?;
        debug_assert_eq!(network_code(*network), code);
        st.out.extend_from_slice(network.prefix().as_bytes());
        st.set_text_to_out();
        Ok(())
    })
}

/// The name of script type code `code` (`p2wpkh`, `witness_v2`, …, the core's `Display`) in the
/// text slots; JS reads the table once.
#[no_mangle]
pub extern "C" fn bw_script_type_name(code: usize) -> i32 {
    call(|st| {
        let t = SCRIPT_TYPES.get(code).ok_or(Failure::BadTableIndex(code))?;
        let _ = write!(Out(&mut st.out), "{t}");
        st.set_text_to_out();
        Ok(())
    })
}

/// How many script type codes there are (the length of JS's name table).
#[no_mangle]
pub extern "C" fn bw_script_type_count() -> usize {
    SCRIPT_TYPES.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The exports share one state: tests take turns.
    static TURN: Mutex<()> = Mutex::new(());

    fn turn() -> MutexGuard<'static, ()> {
        TURN.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Copies `bytes` into the input buffer at `at`.
    fn put(at: usize, bytes: &[u8]) {
        bw_input(at + bytes.len());
        state().input[at..at + bytes.len()].copy_from_slice(bytes);
    }

    /// The string a `(pointer, length)` slot pair points at.
    fn slot_str(ptr_slot: usize) -> String {
        let st = state();
        let (ptr, len) = (st.result[ptr_slot], st.result[ptr_slot + 1]);
        if len == 0 {
            return String::new();
        }
        // SAFETY: the slots point into `st.out` (alive while the lock is held) or at a static
        // kind string, and were just written by an export.
        let bytes = unsafe { std::slice::from_raw_parts(ptr as *const u8, len) };
        String::from_utf8_lossy(bytes).into_owned()
    }

    fn slot(i: usize) -> usize {
        state().result[i]
    }

    #[test]
    fn decode_fills_the_slots() {
        let _turn = turn();
        let script = [0x51, 0x02, 0x4e, 0x73];
        let address = btcaddr::encode(Network::Signet, &script).unwrap();
        put(0, address.as_bytes());
        assert_eq!(bw_decode(address.len()), OK);
        assert_eq!(slot(slot::NETWORK), network_code(Network::Signet));
        assert_eq!(SCRIPT_TYPES[slot(slot::SCRIPT_TYPE)], ScriptType::P2a);
        assert_eq!(slot(slot::FLAGS), FLAG_STANDARD | FLAG_INPUT_CANONICAL);
        assert_eq!(slot(slot::SCRIPT_LEN), 4);
        assert_eq!(slot(slot::WARNING_LEN), 0);

        let upper = address.to_uppercase();
        put(0, upper.as_bytes());
        assert_eq!(bw_decode(upper.len()), OK);
        assert_eq!(slot(slot::FLAGS), FLAG_STANDARD);
        assert_eq!(slot_str(slot::TEXT_PTR), address);
    }

    #[test]
    fn non_standard_scripts_carry_the_core_warning() {
        let _turn = turn();
        let address = btcaddr::encode(Network::Btc, &[0x00, 0x14, 0x01]).unwrap();
        put(0, address.as_bytes());
        assert_eq!(bw_decode(address.len()), OK);
        assert_eq!(slot(slot::FLAGS), FLAG_INPUT_CANONICAL);
        let expected = btcaddr::decode(&address).unwrap().warning().unwrap();
        assert_eq!(slot_str(slot::WARNING_PTR), expected.to_string());
    }

    #[test]
    fn errors_fill_kind_message_and_position() {
        let _turn = turn();
        put(0, b"btc:ybn0");
        assert_eq!(bw_decode(8), DECODE_ERROR);
        assert_eq!(slot_str(slot::KIND_PTR), "invalid_char");
        assert_eq!(slot(slot::POSITION), 7);
        assert_eq!(
            slot_str(slot::TEXT_PTR),
            btcaddr::decode("btc:ybn0").unwrap_err().to_string()
        );
        put(0, b"moon");
        put(4, &[0x51]);
        assert_eq!(bw_encode(4, 1), ENCODE_ERROR);
        assert_eq!(slot_str(slot::KIND_PTR), "unknown_prefix");
        assert_eq!(slot(slot::POSITION), usize::MAX);
    }

    #[test]
    fn convention_breaks_are_errors_not_panics() {
        let _turn = turn();
        let capacity = state().input.len();
        assert_eq!(bw_decode(capacity + 1), INTERNAL_ERROR);
        assert_eq!(bw_encode(usize::MAX, 2), INTERNAL_ERROR);
        assert_eq!(bw_is_valid(capacity + 1), -1);
        put(0, &[0xff, 0xfe]);
        assert_eq!(bw_decode(2), INTERNAL_ERROR);
        assert_eq!(slot_str(slot::KIND_PTR), "internal");
        assert_eq!(bw_script_type_name(SCRIPT_TYPES.len()), RANGE_ERROR);
        assert_eq!(bw_network_name(Network::ALL.len()), RANGE_ERROR);
    }

    #[test]
    fn codes_match_the_tables() {
        for (code, t) in SCRIPT_TYPES.iter().enumerate() {
            assert_eq!(script_type_code(*t), code, "{t}");
        }
        for (code, n) in Network::ALL.iter().enumerate() {
            assert_eq!(network_code(*n), code, "{n}");
        }
    }

    #[test]
    fn suggest_record_lists_the_candidates() {
        let _turn = turn();
        let good = btcaddr::encode(Network::Btc, &[0x51, 0x02, 0x4e, 0x73]).unwrap();
        let mut typo: Vec<u8> = good.clone().into_bytes();
        typo.swap(6, 7);
        put(0, &typo);
        assert_eq!(bw_suggest(typo.len()), OK);
        let record = slot_str(slot::TEXT_PTR);
        let expected = btcaddr::suggest(std::str::from_utf8(&typo).unwrap());
        assert!(!expected.is_empty());
        assert_eq!(
            u32::from_le_bytes(record.as_bytes()[..4].try_into().unwrap()) as usize,
            expected.len()
        );
        assert!(record.contains(&good));
    }
}
