// The JS API of the built package against the shared vectors, the BIP173/BIP350 vectors,
// random round trips, error kinds and positions, and argument types.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromHex, hex, pkgUrl, rng, vectors } from './pkg.js';

const btcaddr = await import(pkgUrl('index.js'));
const {
  encode, decode, isValid, suggest, toStandard, fromStandard, toUppercase, qrSvg,
  DecodeError, EncodeError, ConversionError,
} = btcaddr;

const NETWORKS = ['btc', 'testnet', 'signet', 'regtest'];
const ALPHABET = 'ybndrfg8ejkmcpqxot1uwisza345h769';

test('every valid vector decodes, encodes, converts and uppercases as listed', () => {
  assert.ok(vectors.valid.length >= 40);
  for (const v of vectors.valid) {
    const d = decode(v.address);
    const what = `${v.description} ${v.network} ${v.address}`;
    assert.equal(d.network, v.network, what);
    assert.equal(hex(d.script), v.script, what);
    assert.equal(d.scriptType, v.type, what);
    assert.equal(d.isStandard, v.type !== 'nonstandard', what);
    assert.equal(d.address, v.address, what);
    assert.ok(d.script instanceof Uint8Array, what);
    if (v.type === 'nonstandard') {
      assert.equal(
        d.warning,
        `valid, but pays to a non-standard script of ${v.script.length / 2} bytes: if you expected an ordinary address, it was probably mistyped`,
        what,
      );
    } else {
      assert.equal(d.warning, null, what);
    }
    assert.equal(encode(v.network, fromHex(v.script)), v.address, what);
    assert.equal(isValid(v.address), true, what);
    const upper = toUppercase(v.address);
    assert.equal(upper, v.address.toUpperCase(), what);
    // The uppercase form decodes to the same address, canonical (lowercase) again.
    assert.equal(decode(upper).address, v.address, what);
    if (v.standard === null) {
      assert.throws(() => toStandard(v.address), (e) => e instanceof ConversionError && e.kind === 'no_standard_address', what);
    } else {
      assert.equal(toStandard(v.address), v.standard, what);
      assert.equal(fromStandard(v.standard, v.network), v.address, what);
    }
  }
});

test('every invalid vector fails with its kind', () => {
  assert.ok(vectors.invalid.length >= 9);
  const kinds = new Set();
  for (const v of vectors.invalid) {
    assert.equal(isValid(v.address), false, v.address);
    assert.throws(() => decode(v.address), (e) => {
      assert.ok(e instanceof DecodeError, `${v.address}: ${e}`);
      assert.equal(e.kind, v.error, v.address);
      return true;
    });
    kinds.add(v.error);
  }
  for (const k of ['missing_colon', 'repeated_colon', 'unknown_prefix', 'invalid_char', 'invalid_length', 'damm_mismatch', 'crc_mismatch', 'mixed_case']) {
    assert.ok(kinds.has(k), `the vectors cover ${k}`);
  }
});

test('error positions are 0-based character indexes into the whole string', () => {
  const cases = [
    ['btc:ybn0', 'invalid_char', 7],
    ['btc:ybndr0', 'invalid_char', 9],
    ['btc', 'missing_colon', null],
    ['btc:ybndrfg8', 'invalid_length', null],
    // A non-ASCII character counts as one character, as in Rust.
    ['btc:yé', 'invalid_char', 5],
    ['btc:éy0', 'invalid_char', 4],
  ];
  for (const v of vectors.invalid) {
    if (v.error === 'repeated_colon') cases.push([v.address, 'repeated_colon', v.address.indexOf(':', v.address.indexOf(':') + 1)]);
    if (v.error === 'invalid_char') {
      const colon = v.address.indexOf(':');
      let i = colon + 1;
      while (ALPHABET.includes(v.address[i].toLowerCase())) i++;
      cases.push([v.address, 'invalid_char', i]);
    }
  }
  for (const [address, kind, position] of cases) {
    assert.throws(() => decode(address), (e) => {
      assert.ok(e instanceof DecodeError, address);
      assert.equal(e.kind, kind, address);
      assert.equal(e.position, position, address);
      return true;
    });
  }
});

test('errors are Error subclasses with a name, a kind and a one-line message', () => {
  const cases = [
    [() => decode('btc:ybn0'), DecodeError, 'DecodeError', 'invalid_char', /invalid character '0' at position 7/],
    [() => encode('btc', new Uint8Array()), EncodeError, 'EncodeError', 'empty_script', /empty script/],
    [() => encode('btc', new Uint8Array(10001)), EncodeError, 'EncodeError', 'script_too_long', /10001 bytes/],
    [() => encode('bogus', new Uint8Array([0x51])), EncodeError, 'EncodeError', 'unknown_prefix', /"bogus"/],
    [() => toStandard(encode('btc', new Uint8Array([0x6a]))), ConversionError, 'ConversionError', 'no_standard_address', /op_return/],
    [() => fromStandard('bc1q'), ConversionError, 'ConversionError', 'invalid_standard', /not a standard address/],
    [() => fromStandard('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', 'testnet'), ConversionError, 'ConversionError', 'wrong_network', /testnet/],
    [() => fromStandard('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', 'moon'), ConversionError, 'ConversionError', 'unknown_prefix', /"moon"/],
    [() => toStandard('btc:ybn0'), DecodeError, 'DecodeError', 'invalid_char', /position 7/],
    [() => toUppercase('btc'), DecodeError, 'DecodeError', 'missing_colon', /missing ':'/],
  ];
  for (const [call, cls, name, kind, message] of cases) {
    assert.throws(call, (e) => {
      assert.ok(e instanceof cls && e instanceof Error, `${name} ${e}`);
      assert.equal(e.name, name);
      assert.equal(e.kind, kind);
      assert.match(e.message, message);
      assert.ok(!e.message.includes('\n'), e.message);
      return true;
    });
  }
});

test('BIP173 and BIP350 valid addresses convert to generic and back', () => {
  const VALID = [
    ['BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4', '0014751e76e8199196d454941c45d1b3a323f1433bd6'],
    ['tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7', '00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262'],
    ['bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y', '5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6'],
    ['BC1SW50QGDZ25J', '6002751e'],
    ['bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs', '5210751e76e8199196d454941c45d1b3a323'],
    ['tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy', '0020000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433'],
    ['tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c', '5120000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433'],
    ['bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0', '512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798'],
  ];
  for (const [standard, script] of VALID) {
    const generic = fromStandard(standard);
    const d = decode(generic);
    assert.equal(hex(d.script), script, standard);
    assert.equal(d.network, standard.toLowerCase().startsWith('bc1') ? 'btc' : 'testnet', standard);
    assert.equal(toStandard(generic), standard.toLowerCase(), standard);
  }
  // tb1… is testnet unless signet is asked for.
  const tb = VALID[1][0];
  assert.ok(fromStandard(tb, 'signet').startsWith('signet:'));
  assert.equal(toStandard(fromStandard(tb, 'signet')), tb);
});

test('BIP173 and BIP350 invalid addresses are rejected', () => {
  const INVALID = [
    // BIP173
    'tc1qw508d6qejxtdg4y5r3zarvary0c5xw7kg3g4ty',
    'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5',
    'BC13W508D6QEJXTDG4Y5R3ZARVARY0C5XW7KN40WF2',
    'bc1rw5uspcuh',
    'bc10w508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kw5rljs90',
    'BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P',
    'tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sL5k7',
    'bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du',
    'tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3pjxtptv',
    'bc1gmk9yu',
    // BIP350
    'tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut',
    'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd',
    'tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf',
    'BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL',
    'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh',
    'tb1q0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq24jc47',
    'bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4',
    'BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R',
    'bc1pw5dgrnzv',
    'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav',
    'tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq',
    'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf',
    'tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j',
    // BIP173's v1+ vectors in bech32, superseded by BIP350 (bech32m).
    'bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k7grplx',
    'BC1SW50QA3JX3S',
    'bc1zw508d6qejxtdg4y5r3zarvaryvg6kdaj',
  ];
  for (const s of INVALID) {
    assert.throws(() => fromStandard(s), (e) => e instanceof ConversionError, s);
  }
});

test('random scripts of 1 to 520 bytes round-trip on every network', () => {
  const random = rng(0x5eed);
  for (let i = 0; i < 2000; i++) {
    const len = 1 + Math.floor(random() * 520);
    const script = new Uint8Array(len);
    for (let j = 0; j < len; j++) script[j] = Math.floor(random() * 256);
    const network = NETWORKS[i % 4];
    const address = encode(network, script);
    assert.ok(address.startsWith(`${network}:`), address);
    const d = decode(address);
    assert.equal(d.network, network);
    assert.deepEqual(d.script, script);
    assert.equal(d.address, address);
    assert.equal(isValid(address), true);
    assert.deepEqual(decode(address.toUpperCase()).script, script);
    // Another network's prefix on the same letters fails the CRC.
    const other = NETWORKS[(i + 1) % 4];
    assert.equal(isValid(`${other}${address.slice(network.length)}`), false);
  }
});

test('the longest script (10,000 bytes) round-trips', () => {
  const script = new Uint8Array(10000).map((_, i) => (i * 31) & 0xff);
  const address = encode('regtest', script);
  assert.deepEqual(decode(address).script, script);
});

test('network names follow the core: aliases accepted, prefixes are canonical', () => {
  const script = new Uint8Array([0x51, 0x02, 0x4e, 0x73]);
  assert.ok(encode('bitcoin', script).startsWith('btc:'));
  assert.ok(encode('mainnet', script).startsWith('btc:'));
  assert.ok(encode('testnet4', script).startsWith('testnet:'));
  assert.equal(decode(encode('signet', script)).scriptType, 'p2a');
});

test('suggest proposes the original for a swap, a substitution and mixed case', () => {
  const good = fromStandard('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4');
  assert.deepEqual(suggest(good), []);
  const chars = [...good];
  [chars[10], chars[11]] = [chars[11], chars[10]];
  const swapped = chars.join('');
  assert.notEqual(swapped, good);
  const s = suggest(swapped);
  assert.ok(s.some((x) => x.address === good && x.kind === 'transposition' && x.index === 10 && x.description === 'positions 10 and 11: swapped'), JSON.stringify(s));
  for (const x of s) {
    assert.deepEqual(Object.keys(x).sort(), ['address', 'description', 'index', 'kind']);
    assert.equal(isValid(x.address), true);
  }
  const at = 20;
  const replaced = good.slice(0, at) + (good[at] === 'y' ? 'b' : 'y') + good.slice(at + 1);
  assert.ok(suggest(replaced).some((x) => x.address === good && x.kind === 'substitution' && x.index === at));
  const mixed = good.slice(0, 8).toUpperCase() + good.slice(8);
  assert.ok(suggest(mixed).some((x) => x.address === good && x.kind === 'lowercase' && x.index === null));
  // A non-ASCII character where a letter was dropped: descriptions keep it.
  const confused = good.slice(0, at) + '0' + good.slice(at + 1);
  for (const x of suggest(confused)) assert.equal(typeof x.description, 'string');
  assert.deepEqual(suggest('nonsense'), []);
});

test('qrSvg draws an SVG document, alphanumeric for the uppercase form', () => {
  const address = fromStandard('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4');
  const svg = qrSvg(toUppercase(address));
  assert.match(svg, /^<\?xml [^>]*\?><svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.match(svg, /<\/svg>$/);
  // 48 characters at level M: alphanumeric mode fits version 3 (29 modules + 8 of quiet zone),
  // byte mode (the lowercase form) needs version 4 (33 modules).
  const modules = (s) => {
    const size = Number(/width="(\d+)"/.exec(s)[1]);
    const cell = Number(/h(\d+)v\1/.exec(s)[1]);
    return size / cell - 8;
  };
  assert.equal(modules(svg), 29);
  assert.equal(modules(qrSvg(address)), 33);
  assert.throws(() => qrSvg('x'.repeat(8000)), RangeError);
  assert.match(qrSvg('é ünïcode'), /<svg/);
});

test('a wrong argument type throws TypeError', () => {
  const script = new Uint8Array([0x51]);
  const bad = [undefined, null, 42, {}, [], Symbol('s'), 1n, new Uint8Array([1])];
  for (const value of bad) {
    for (const fn of [decode, isValid, suggest, toStandard, toUppercase, qrSvg]) {
      assert.throws(() => fn(value), TypeError, `${fn.name}(${String(value)})`);
    }
    assert.throws(() => encode(value, script), TypeError);
    assert.throws(() => fromStandard(value), TypeError);
  }
  for (const value of [null, 42, {}, new Uint8Array([1])]) {
    assert.throws(() => fromStandard('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', value), TypeError);
  }
  for (const value of [undefined, null, 'ab', [0x51], new Uint16Array([0x51]), new ArrayBuffer(1), 5]) {
    assert.throws(() => encode('btc', value), TypeError, String(value));
  }
  // Node's Buffer is a Uint8Array.
  assert.equal(encode('btc', Buffer.from([0x51])), encode('btc', script));
});

test('long and non-ASCII inputs give errors, not crashes', () => {
  assert.throws(() => decode(`btc:${'y'.repeat(100000)}`), (e) => e instanceof DecodeError && ['invalid_length', 'script_too_long'].includes(e.kind));
  assert.throws(() => decode('btc:\u{1F600}'), (e) => e instanceof DecodeError && e.kind === 'invalid_char' && e.position === 4);
  assert.throws(() => decode('\ud800:yy'), (e) => e instanceof DecodeError && e.kind === 'unknown_prefix');
  assert.equal(isValid(''), false);
  assert.deepEqual(suggest(`btc:${'y'.repeat(5000)}`), []);
  // The functions still work afterwards.
  assert.equal(decode(encode('btc', new Uint8Array([0x51]))).scriptType, 'nonstandard');
});
