// Types of btcaddr/core.js: the codec from a .wasm the caller supplies.

/** The decoded form of a generic address. */
export interface Decoded {
  /** The chain prefix: "btc", "testnet", "signet" or "regtest". */
  network: string;
  /** The scriptPubKey (a copy; yours to keep). */
  script: Uint8Array;
  /** "p2pk", "p2pkh", "p2sh", "p2wpkh", "p2wsh", "p2tr", "p2a", "witness_v<N>", "op_return",
   * "multisig" or "nonstandard". */
  scriptType: string;
  /** Whether the script is a standard output (everything but "nonstandard"). */
  isStandard: boolean;
  /** For a non-standard script, the text to show beside the address (it was probably
   * mistyped); null otherwise. */
  warning: string | null;
  /** The canonical (lowercase) form of the address. */
  address: string;
}

/** One correction candidate: a string that passes both checks, one edit from the input. */
export interface Suggestion {
  /** The candidate, canonical form. */
  address: string;
  /** What was changed, e.g. "positions 10 and 11: swapped". */
  description: string;
  /** "substitution", "transposition", "confusion", "deletion", "insertion" or "lowercase". */
  kind: string;
  /** The 0-based character index of the edit (for an insertion, in the candidate), or null
   * when it touches the whole string (lowercase). */
  index: number | null;
}

/** An address that does not decode. */
export class DecodeError extends Error {
  constructor(message: string, kind: string, position?: number | null);
  readonly name: 'DecodeError';
  /** "missing_colon", "repeated_colon", "mixed_case", "unknown_prefix", "invalid_char",
   * "invalid_length", "script_too_long", "damm_mismatch" or "crc_mismatch". */
  kind: string;
  /** The 0-based character index (Unicode scalar values, prefix and colon included) the error
   * blames, or null. */
  position: number | null;
}

/** A script or network that cannot be encoded. */
export class EncodeError extends Error {
  constructor(message: string, kind: string);
  readonly name: 'EncodeError';
  /** "empty_script", "script_too_long", or "unknown_prefix" for an unknown network name. */
  kind: string;
}

/** A conversion to or from a standard address that failed. */
export class ConversionError extends Error {
  constructor(message: string, kind: string);
  readonly name: 'ConversionError';
  /** "no_standard_address", "invalid_standard", "wrong_network", "encode", or
   * "unknown_prefix" for an unknown network name. */
  kind: string;
}

/** The codec's functions. Every function throws TypeError for an argument of the wrong type. */
export interface Btcaddr {
  /** The address of `script` on `network` ("btc", "testnet", "signet", "regtest"; also
   * "bitcoin"/"mainnet"/"testnet4" …). Throws EncodeError. */
  encode(network: string, script: Uint8Array): string;
  /** Decodes and fully verifies an address (never corrects). Throws DecodeError. */
  decode(address: string): Decoded;
  /** Whether `address` is a valid generic address. */
  isValid(address: string): boolean;
  /** Correction candidates for a mistyped address (empty when it is valid or hopeless). */
  suggest(address: string): Suggestion[];
  /** The base58check/bech32/bech32m address of a generic address. Throws DecodeError or
   * ConversionError. */
  toStandard(address: string): string;
  /** The generic address of a standard address; `network` picks among chains that share a
   * standard form (testnet/signet). Throws ConversionError. */
  fromStandard(address: string, network?: string): string;
  /** The all-uppercase form of a valid address (QR codes' alphanumeric mode). Throws
   * DecodeError. */
  toUppercase(address: string): string;
  /** An SVG document of a QR code (error correction M) of `text`. Throws RangeError when the
   * text does not fit in a QR code. */
  qrSvg(text: string): string;
  /** The size of the wasm instance's memory in bytes (it stays flat across calls). */
  memoryBytes(): number;
  DecodeError: typeof DecodeError;
  EncodeError: typeof EncodeError;
  ConversionError: typeof ConversionError;
}

/** Instantiates the codec from the .wasm bytes or a compiled module. */
export function instantiate(source: ArrayBuffer | ArrayBufferView | WebAssembly.Module): Promise<Btcaddr>;
