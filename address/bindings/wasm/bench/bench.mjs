// Speed of the wasm package in Node beside bitcoinjs's `bech32` and `@scure/base`'s bech32, on
// one witness program: BIP173's P2WPKH bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4 and its generic
// form. Run by scripts/bench-wasm.sh (which installs the two libraries); prints a table.
//
//   node bench.mjs <package dir> <node_modules dir>
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [pkgDir, modulesDir] = process.argv.slice(2).map((p) => resolve(p));
const btcaddr = await import(pathToFileURL(join(pkgDir, 'index.js')).href);
const require = createRequire(join(modulesDir, 'noop.js'));
const bitcoinjs = require('bech32');
const scure = await import(pathToFileURL(require.resolve('@scure/base')).href);
const version = (name) => require(`${name}/package.json`).version;

const STANDARD = 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4';
const generic = btcaddr.fromStandard(STANDARD);
const script = btcaddr.decode(generic).script;
const { prefix, words } = scure.bech32.decode(STANDARD);

let sink = 0;
// Median ns per call over `rounds` timed batches, after a warm-up.
function time(fn) {
  const batch = 20_000;
  const rounds = 25;
  for (let i = 0; i < 5 * batch; i++) sink ^= fn() ? 1 : 0;
  const samples = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) sink ^= fn() ? 1 : 0;
    samples.push(Number(process.hrtime.bigint() - start) / batch);
  }
  samples.sort((a, b) => a - b);
  return samples[rounds >> 1];
}

const rows = [
  ['decode', 'btcaddr decode (generic, all checks)', () => btcaddr.decode(generic)],
  ['decode', `@scure/base ${version('@scure/base')} bech32.decode`, () => scure.bech32.decode(STANDARD)],
  ['decode', `bech32 ${version('bech32')} bech32.decode`, () => bitcoinjs.bech32.decode(STANDARD)],
  ['decode', 'btcaddr isValid (generic)', () => btcaddr.isValid(generic)],
  ['encode', 'btcaddr encode (generic)', () => btcaddr.encode('btc', script)],
  ['encode', `@scure/base ${version('@scure/base')} bech32.encode`, () => scure.bech32.encode(prefix, words)],
  ['encode', `bech32 ${version('bech32')} bech32.encode`, () => bitcoinjs.bech32.encode(prefix, words)],
].map(([op, name, fn]) => ({ op, name, ns: time(fn) }));

const base = (op) => rows.find((r) => r.op === op && r.name.startsWith('@scure')).ns;
console.log(`node ${process.version}, ${generic} / ${STANDARD}`);
console.log('| operation | implementation | ns/call | time vs @scure/base |');
console.log('|---|---|---:|---:|');
for (const r of rows) {
  console.log(`| ${r.op} | ${r.name} | ${r.ns.toFixed(0)} | ${(r.ns / base(r.op)).toFixed(2)} |`);
}
if (sink === 42) console.log('');
