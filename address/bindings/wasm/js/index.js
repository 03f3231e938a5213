// btcaddr: the generic Bitcoin address codec (WebAssembly build of the Rust crate).
//
// Loads btcaddr.wasm beside this file with top-level await, so `import { decode } from
// 'btcaddr'` is all a caller does: in Node (>= 18) the file is read with fs, in browsers it is
// fetched relative to this module (no bundler needed). For an inlined .wasm use core.js's
// `instantiate(bytes)` instead.
import { instantiate } from './core.js';

export { DecodeError, EncodeError, ConversionError, instantiate } from './core.js';

async function load() {
  const url = new URL('./btcaddr.wasm', import.meta.url);
  if (url.protocol === 'file:' && typeof process !== 'undefined' && process.versions && process.versions.node) {
    const { readFile } = await import('node:fs/promises');
    return readFile(url);
  }
  const response = await fetch(url);
  if (!response.ok) {
    throw new Error(`btcaddr: cannot load ${url}: HTTP ${response.status} ${response.statusText}`);
  }
  return response.arrayBuffer();
}

const api = await instantiate(await load());

export const {
  encode,
  decode,
  isValid,
  suggest,
  toStandard,
  fromStandard,
  toUppercase,
  qrSvg,
  memoryBytes,
} = api;
