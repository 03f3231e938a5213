// btcaddr/core.js: the generic Bitcoin address codec, from its WebAssembly build.
//
// `instantiate(source)` takes the .wasm (bytes or a compiled WebAssembly.Module) and returns the
// API. This module loads nothing by itself (no fetch, no fs, no import.meta.url), so it also
// works with the .wasm inlined into a page; `index.js` is this plus loading btcaddr.wasm.
//
// The glue is thin: it moves strings and bytes in and out of linear memory and shapes the
// results; every rule of the format runs in Rust (address/bindings/wasm/src/lib.rs, which calls
// the btcaddr crate). Calling convention: the input goes into one reused buffer in wasm memory,
// each export fills fixed result slots and returns a status, so a call allocates no buffers.

/** An address that does not decode: `.kind` is the core's snake_case kind, `.position` the
 * 0-based character index it blames (or null). */
export class DecodeError extends Error {
  constructor(message, kind, position = null) {
    super(message);
    this.name = 'DecodeError';
    this.kind = kind;
    this.position = position;
  }
}

/** A script (or network name) that cannot be encoded: `.kind` as in the core. */
export class EncodeError extends Error {
  constructor(message, kind) {
    super(message);
    this.name = 'EncodeError';
    this.kind = kind;
  }
}

/** A conversion to or from a standard (base58check/bech32/bech32m) address that failed. */
export class ConversionError extends Error {
  constructor(message, kind) {
    super(message);
    this.name = 'ConversionError';
    this.kind = kind;
  }
}

// Statuses and slot indexes: the constants of address/bindings/wasm/src/lib.rs.
const OK = 0;
const DECODE_ERROR = 1;
const ENCODE_ERROR = 2;
const CONVERSION_ERROR = 3;
const RANGE_ERROR = 4;
const INTERNAL_ERROR = 5;
const TEXT_PTR = 0;
const TEXT_LEN = 1;
const KIND_PTR = 2;
const KIND_LEN = 3;
const POSITION = 4;
const NETWORK = 5;
const SCRIPT_PTR = 6;
const SCRIPT_LEN = 7;
const SCRIPT_TYPE = 8;
const FLAGS = 9;
const WARNING_PTR = 10;
const WARNING_LEN = 11;
const FLAG_STANDARD = 1;
const FLAG_INPUT_CANONICAL = 2;
const NO_POSITION = 0xffffffff;
// Longest input string accepted, in UTF-16 units (its UTF-8 reservation is 3 bytes a unit):
// far beyond any address (the longest valid one has about 16,000 characters).
const MAX_INPUT_UNITS = 1 << 24;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: false });

function describe(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `an object (${Object.prototype.toString.call(value).slice(8, -1)})`;
  return `a ${typeof value}`;
}

function checkString(value, fn, name) {
  if (typeof value !== 'string') {
    throw new TypeError(`btcaddr.${fn}: ${name} must be a string, got ${describe(value)}`);
  }
  if (value.length > MAX_INPUT_UNITS) {
    throw new RangeError(`btcaddr.${fn}: ${name} of ${value.length} characters is longer than the ${MAX_INPUT_UNITS} the glue accepts`);
  }
}

/**
 * Instantiates the codec from the .wasm bytes (ArrayBuffer, Uint8Array or other view) or a
 * compiled WebAssembly.Module, and returns its functions.
 */
export async function instantiate(source) {
  let module;
  if (source instanceof WebAssembly.Module) {
    module = source;
  } else if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
    module = await WebAssembly.compile(source);
  } else {
    throw new TypeError(`btcaddr.instantiate: source must be the .wasm bytes (ArrayBuffer or Uint8Array) or a WebAssembly.Module, got ${describe(source)}`);
  }
  const instance = await WebAssembly.instantiate(module, {});
  return bind(instance.exports);
}

function bind(wasm) {
  const memory = wasm.memory;
  let buffer = memory.buffer;
  let u8 = new Uint8Array(buffer);
  let u32 = new Uint32Array(buffer);
  const R = wasm.bw_result() >>> 2;
  let inPtr = wasm.bw_input(256);
  let inCap = 256;

  // Memory grows inside a call when Rust allocates; the old views are then detached.
  function refresh() {
    if (memory.buffer !== buffer) {
      buffer = memory.buffer;
      u8 = new Uint8Array(buffer);
      u32 = new Uint32Array(buffer);
    }
  }

  function reserve(bytes) {
    if (bytes > inCap) {
      inCap = Math.max(bytes, inCap * 2);
      inPtr = wasm.bw_input(inCap);
      refresh();
    }
  }

  // Writes `s` as UTF-8 at input offset `at`, returns its byte length. ASCII (every address) is
  // copied directly; anything else goes through TextEncoder.encodeInto.
  function writeString(s, at) {
    const n = s.length;
    reserve(at + n * 3);
    const p = inPtr + at;
    let i = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c > 0x7f) break;
      u8[p + i] = c;
    }
    if (i === n) return n;
    const { written } = encoder.encodeInto(s.slice(i), u8.subarray(p + i, p + n * 3));
    return i + written;
  }

  function readString(ptr, len) {
    if (len === 0) return '';
    if (len <= 128) {
      // ASCII (every address) eight characters a fromCharCode call, checked on the way: for
      // address-length strings faster in V8 than one apply over a subarray or a TextDecoder.
      const end = ptr + len;
      let s = '';
      let bits = 0;
      let i = ptr;
      for (; i + 8 <= end; i += 8) {
        const a = u8[i], b = u8[i + 1], c = u8[i + 2], d = u8[i + 3];
        const e = u8[i + 4], f = u8[i + 5], g = u8[i + 6], h = u8[i + 7];
        bits |= a | b | c | d | e | f | g | h;
        s += String.fromCharCode(a, b, c, d, e, f, g, h);
      }
      for (; i < end; i++) {
        bits |= u8[i];
        s += String.fromCharCode(u8[i]);
      }
      if (bits < 0x80) return s;
    }
    return decoder.decode(u8.subarray(ptr, ptr + len));
  }

  function text() {
    return readString(u32[R + TEXT_PTR], u32[R + TEXT_LEN]);
  }

  function failure(status) {
    const message = text();
    const kind = readString(u32[R + KIND_PTR], u32[R + KIND_LEN]);
    switch (status) {
      case DECODE_ERROR: {
        const position = u32[R + POSITION];
        return new DecodeError(message, kind, position === NO_POSITION ? null : position);
      }
      case ENCODE_ERROR:
        return new EncodeError(message, kind);
      case CONVERSION_ERROR:
        return new ConversionError(message, kind);
      case RANGE_ERROR:
        return new RangeError(message);
      default:
        return new Error(message);
    }
  }

  // Runs a string-returning export's result through the status.
  function textResult(status) {
    refresh();
    if (status !== OK) throw failure(status);
    return text();
  }

  function table(count, nameOf) {
    const names = [];
    for (let i = 0; i < count; i++) names.push(textResult(nameOf(i)));
    return names;
  }
  // Names come from Rust once; decode then returns codes.
  const networks = [];
  for (let i = 0; ; i++) {
    const status = wasm.bw_network_name(i);
    refresh();
    if (status !== OK) break;
    networks.push(text());
  }
  const scriptTypes = table(wasm.bw_script_type_count(), (i) => wasm.bw_script_type_name(i));

  function decode(address) {
    checkString(address, 'decode', 'address');
    const status = wasm.bw_decode(writeString(address, 0));
    refresh();
    if (status !== OK) throw failure(status);
    const flags = u32[R + FLAGS];
    const script = u32[R + SCRIPT_PTR];
    const warningLen = u32[R + WARNING_LEN];
    return {
      network: networks[u32[R + NETWORK]],
      script: u8.slice(script, script + u32[R + SCRIPT_LEN]),
      scriptType: scriptTypes[u32[R + SCRIPT_TYPE]],
      isStandard: (flags & FLAG_STANDARD) !== 0,
      warning: warningLen === 0 ? null : readString(u32[R + WARNING_PTR], warningLen),
      // Rust says when the input is already the canonical form; otherwise it wrote it.
      address: (flags & FLAG_INPUT_CANONICAL) !== 0 ? address : text(),
    };
  }

  function isValid(address) {
    checkString(address, 'isValid', 'address');
    const valid = wasm.bw_is_valid(writeString(address, 0));
    refresh();
    if (valid < 0) throw failure(INTERNAL_ERROR);
    return valid === 1;
  }

  function encode(network, script) {
    checkString(network, 'encode', 'network');
    if (!(script instanceof Uint8Array)) {
      throw new TypeError(`btcaddr.encode: script must be a Uint8Array, got ${describe(script)}`);
    }
    const networkLen = writeString(network, 0);
    reserve(networkLen + script.length);
    u8.set(script, inPtr + networkLen);
    return textResult(wasm.bw_encode(networkLen, script.length));
  }

  function suggest(address) {
    checkString(address, 'suggest', 'address');
    const status = wasm.bw_suggest(writeString(address, 0));
    refresh();
    if (status !== OK) throw failure(status);
    // The record: u32 count, then per candidate i32 index and three u32-length strings.
    let p = u32[R + TEXT_PTR];
    const word = () => {
      const v = (u8[p] | (u8[p + 1] << 8) | (u8[p + 2] << 16) | (u8[p + 3] << 24)) >>> 0;
      p += 4;
      return v;
    };
    const string = () => {
      const len = word();
      const s = readString(p, len);
      p += len;
      return s;
    };
    const count = word();
    const found = [];
    for (let i = 0; i < count; i++) {
      const index = word() | 0;
      const kind = string();
      const candidate = string();
      const description = string();
      found.push({ address: candidate, description, kind, index: index < 0 ? null : index });
    }
    return found;
  }

  function toStandard(address) {
    checkString(address, 'toStandard', 'address');
    return textResult(wasm.bw_to_standard(writeString(address, 0)));
  }

  function fromStandard(address, network) {
    checkString(address, 'fromStandard', 'address');
    if (network === undefined) {
      return textResult(wasm.bw_from_standard(writeString(address, 0), 0, 0));
    }
    checkString(network, 'fromStandard', 'network');
    const len = writeString(address, 0);
    const networkLen = writeString(network, len);
    return textResult(wasm.bw_from_standard(len, 1, networkLen));
  }

  function toUppercase(address) {
    checkString(address, 'toUppercase', 'address');
    return textResult(wasm.bw_to_uppercase(writeString(address, 0)));
  }

  function qrSvg(textToEncode) {
    checkString(textToEncode, 'qrSvg', 'text');
    return textResult(wasm.bw_qr_svg(writeString(textToEncode, 0)));
  }

  /** The wasm instance's linear memory in bytes (for leak tests: it must stay flat). */
  function memoryBytes() {
    return memory.buffer.byteLength;
  }

  return {
    encode,
    decode,
    isValid,
    suggest,
    toStandard,
    fromStandard,
    toUppercase,
    qrSvg,
    memoryBytes,
    DecodeError,
    EncodeError,
    ConversionError,
  };
}
