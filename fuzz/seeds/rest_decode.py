#!/usr/bin/env python3
"""Writes the seeds of the rest_decode fuzz target into fuzz/corpus/rest_decode/: pairs of a
/rest/block answer and its /rest/spenttxouts answer, as <u16 LE block length><block><spent>."""
import os
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'corpus', 'rest_decode')
os.makedirs(OUT, exist_ok=True)
import struct, binascii
genesis = binascii.unhexlify(
 "0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4adae5494dffff7f20020000000101000000010000000000000000000000000000000000000000000000000000000000000000ffffffff4d04ffff001d0104455468652054696d65732030332f4a616e2f32303039204368616e63656c6c6f72206f6e206272696e6b206f66207365636f6e64206261696c6f757420666f722062616e6b73ffffffff0100f2052a01000000434104678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb649f6bc3f4cef38c4f35504e51ec112de5c384df7ba0b8d578a4c702b6bf11d5fac00000000")
open(os.path.join(OUT, 'genesis'), 'wb').write(struct.pack('<H',len(genesis))+genesis+bytes([1,0]))

def cs(n):
    if n < 0xfd: return bytes([n])
    if n <= 0xffff: return b'\xfd' + struct.pack('<H', n)
    return b'\xfe' + struct.pack('<I', n)

def txout(value, script):
    return struct.pack('<q', value) + cs(len(script)) + script

def tx(inputs, outputs, segwit):
    body = cs(len(inputs))
    for i, sig in enumerate(inputs):
        body += bytes([i + 1]) * 32 + struct.pack('<I', i) + cs(len(sig)) + sig + b'\xff\xff\xff\xff'
    body += cs(len(outputs)) + b''.join(txout(v, s) for v, s in outputs)
    if not segwit:
        return struct.pack('<i', 2) + body + b'\0\0\0\0'
    wit = b''.join(cs(2) + cs(72) + b'\x07' * 72 + cs(33) + b'\x02' * 33 for _ in inputs)
    return struct.pack('<i', 2) + b'\x00\x01' + body + wit + b'\0\0\0\0'

p2wpkh = b'\x00\x14' + b'\x03' * 20
coinbase = struct.pack('<i', 2) + cs(1) + b'\0' * 32 + b'\xff\xff\xff\xff' + cs(4) + b'\x01\x02\x03\x04' + b'\xff\xff\xff\xff' + cs(1) + txout(5000000000, p2wpkh) + b'\0\0\0\0'
txs = [coinbase, tx([b'\x51' * 20, b'\x51' * 21], [(1000, p2wpkh), (2000, p2wpkh)], False), tx([b'', b'', b''], [(5000, p2wpkh)], True)]
header = genesis[:80]
block = header + cs(len(txs)) + b''.join(txs)
spent = cs(3) + cs(0) + cs(2) + txout(10000, b'\x51') + txout(10017, b'\x51\x51') + cs(3) + txout(10000, b'\x51') + txout(10017, b'\x51\x51') + txout(10034, b'\x51\x51\x51')
open(os.path.join(OUT, 'three-txs'), 'wb').write(struct.pack('<H', len(block)) + block + spent)
