// Types of btcaddr (index.js): the codec, loaded from btcaddr.wasm beside the module.
import type { Btcaddr } from './core.js';

export { DecodeError, EncodeError, ConversionError, instantiate } from './core.js';
export type { Btcaddr, Decoded, Suggestion } from './core.js';

export declare const encode: Btcaddr['encode'];
export declare const decode: Btcaddr['decode'];
export declare const isValid: Btcaddr['isValid'];
export declare const suggest: Btcaddr['suggest'];
export declare const toStandard: Btcaddr['toStandard'];
export declare const fromStandard: Btcaddr['fromStandard'];
export declare const toUppercase: Btcaddr['toUppercase'];
export declare const qrSvg: Btcaddr['qrSvg'];
export declare const memoryBytes: Btcaddr['memoryBytes'];
