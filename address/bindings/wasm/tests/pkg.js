// Where the tests find the built package: target/bindings/wasm (scripts/test-wasm.sh builds
// it), or the directory in BTCADDR_WASM_PKG.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '../../../..');
export const pkgDir = resolve(process.env.BTCADDR_WASM_PKG || join(repoRoot, 'target/bindings/wasm'));

if (!existsSync(join(pkgDir, 'btcaddr.wasm'))) {
  throw new Error(`no built package in ${pkgDir}: run scripts/build-wasm.sh (or scripts/test-wasm.sh)`);
}

export const pkgUrl = (file) => pathToFileURL(join(pkgDir, file)).href;
export const vectors = JSON.parse(readFileSync(join(repoRoot, 'address/tests/data/vectors.json'), 'utf8'));

export function hex(bytes) {
  return Buffer.from(bytes).toString('hex');
}

export function fromHex(s) {
  return new Uint8Array(Buffer.from(s, 'hex'));
}

/** A small seeded PRNG (mulberry32), so random tests repeat. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
