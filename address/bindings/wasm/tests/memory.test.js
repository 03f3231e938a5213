// No memory growth: the wasm memory after a million calls of each function is what it was after
// the first thousand (every buffer freed or reused).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pkgUrl } from './pkg.js';

const b = await import(pkgUrl('index.js'));

const CALLS = 1_000_000;
const WARM = 1_000;
const good = b.fromStandard('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4');
const odd = b.encode('btc', new Uint8Array([0x00, 0x14, 0x01]));
const p2a = b.encode('btc', new Uint8Array([0x51, 0x02, 0x4e, 0x73]));
// A one-letter typo of a short address: suggest searches and allocates candidates.
const typo = p2a.slice(0, 6) + (p2a[6] === 'y' ? 'b' : 'y') + p2a.slice(7);
const script = b.decode(good).script;

const calls = {
  decode: (i) => b.decode(i & 1 ? good : odd),
  'decode (error)': () => {
    try {
      b.decode('btc:ybn0');
    } catch (e) {
      return e;
    }
    throw new Error('decoded an invalid address');
  },
  isValid: (i) => b.isValid(i & 1 ? good : 'btc:ybn0'),
  encode: () => b.encode('btc', script),
  suggest: () => b.suggest(typo),
  toStandard: () => b.toStandard(good),
  fromStandard: () => b.fromStandard('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', 'btc'),
  toUppercase: () => b.toUppercase(good),
  qrSvg: () => b.qrSvg('BTC:YB'),
};

// qrSvg draws a whole QR code per call (about a millisecond): a million calls would be a quarter
// of an hour. Whatever it leaked would be its SVG or its module matrix (kilobytes), so 20,000
// calls would grow the memory by tens of megabytes: enough to see any leak.
const CALLS_OF = { qrSvg: 20_000 };

for (const [name, call] of Object.entries(calls)) {
  const n = CALLS_OF[name] ?? CALLS;
  test(`${name}: memory flat over ${n} calls`, () => {
    for (let i = 0; i < WARM; i++) call(i);
    const warm = b.memoryBytes();
    for (let i = WARM; i < n; i++) call(i);
    assert.equal(b.memoryBytes(), warm, `${name}: wasm memory grew from ${warm} bytes`);
  });
}

test('the suggest typo really has suggestions', () => {
  assert.ok(b.suggest(typo).some((s) => s.address === p2a));
});
