// The npm package itself: files, package.json, the .wasm's size budget, core.js loading nothing
// by itself, and instantiate() from bytes or a compiled module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pkgDir, pkgUrl } from './pkg.js';

const MAX_WASM_BYTES = 150_000;

test(`btcaddr.wasm is at most ${MAX_WASM_BYTES} bytes`, () => {
  const size = statSync(join(pkgDir, 'btcaddr.wasm')).size;
  assert.ok(size <= MAX_WASM_BYTES, `btcaddr.wasm is ${size} bytes`);
  assert.ok(size > 10_000, `btcaddr.wasm is only ${size} bytes`);
});

test('package.json names an ES module package with its entry points and types', () => {
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  assert.equal(pkg.name, 'btcaddr');
  assert.equal(pkg.type, 'module');
  assert.match(pkg.version, /^\d+\.\d+\.\d+/);
  assert.equal(pkg.types, './index.d.ts');
  assert.equal(pkg.exports['.'].default, './index.js');
  assert.equal(pkg.exports['./core.js'].default, './core.js');
  for (const file of pkg.files) statSync(join(pkgDir, file));
  for (const file of ['index.js', 'core.js', 'index.d.ts', 'core.d.ts', 'btcaddr.wasm', 'README.md']) {
    assert.ok(pkg.files.includes(file), file);
  }
});

test('core.js loads nothing by itself (no import.meta.url, fs or fetch)', () => {
  const code = readFileSync(join(pkgDir, 'core.js'), 'utf8').replace(/\/\/.*$/gm, '');
  for (const forbidden of ['import.meta', 'fetch(', "'node:", 'require(', 'process.']) {
    assert.ok(!code.includes(forbidden), `core.js uses ${forbidden}`);
  }
  assert.ok(!/^\s*import\s/m.test(code), 'core.js imports a module');
});

test('typings declare every function of the API', () => {
  const dts = readFileSync(join(pkgDir, 'core.d.ts'), 'utf8');
  const index = readFileSync(join(pkgDir, 'index.d.ts'), 'utf8');
  for (const fn of ['encode', 'decode', 'isValid', 'suggest', 'toStandard', 'fromStandard', 'toUppercase', 'qrSvg', 'memoryBytes']) {
    assert.match(dts, new RegExp(`\\b${fn}\\(`), `core.d.ts: ${fn}`);
    assert.match(index, new RegExp(`const ${fn}:`), `index.d.ts: ${fn}`);
  }
  for (const cls of ['DecodeError', 'EncodeError', 'ConversionError']) {
    assert.match(dts, new RegExp(`export class ${cls} extends Error`), cls);
  }
  assert.match(dts, /export function instantiate\(/);
});

test('instantiate() works from bytes, a Uint8Array and a compiled module, with the same API', async () => {
  const core = await import(pkgUrl('core.js'));
  const index = await import(pkgUrl('index.js'));
  const bytes = readFileSync(join(pkgDir, 'btcaddr.wasm'));
  const arrayBuffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const module = await WebAssembly.compile(bytes);
  const expected = ['ConversionError', 'DecodeError', 'EncodeError', 'decode', 'encode', 'fromStandard', 'isValid', 'memoryBytes', 'qrSvg', 'suggest', 'toStandard', 'toUppercase'];
  for (const source of [arrayBuffer, new Uint8Array(bytes), module]) {
    const api = await core.instantiate(source);
    assert.deepEqual(Object.keys(api).sort(), expected);
    const address = api.fromStandard('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4');
    assert.equal(api.decode(address).scriptType, 'p2wpkh');
    // One set of error classes, shared by every instance and index.js.
    assert.throws(() => api.decode('btc'), index.DecodeError);
    assert.equal(api.DecodeError, core.DecodeError);
  }
  assert.equal(index.DecodeError, core.DecodeError);
  for (const bad of [undefined, 'btcaddr.wasm', 42, {}]) {
    await assert.rejects(core.instantiate(bad), TypeError);
  }
  await assert.rejects(core.instantiate(new Uint8Array([0, 1, 2, 3])), WebAssembly.CompileError);
});

test('index.js exports the API and the error classes', async () => {
  const index = await import(pkgUrl('index.js'));
  for (const name of ['encode', 'decode', 'isValid', 'suggest', 'toStandard', 'fromStandard', 'toUppercase', 'qrSvg', 'memoryBytes', 'instantiate']) {
    assert.equal(typeof index[name], 'function', name);
  }
  for (const name of ['DecodeError', 'EncodeError', 'ConversionError']) {
    assert.equal(new index[name]('m', 'k').name, name);
  }
});
