#!/usr/bin/env python3
"""Writes seeds of the files_decode fuzz target into fuzz/corpus/files_decode/: real block
records paired with their undo records, as <u16 LE block length><block><undo>, from a node's
blocks folder (default: the simulator's tiny chain, .cache/chains/tiny/datadir/regtest/blocks).

The records are found by walking the files' framing (4-byte magic, 4-byte LE size), after
undoing the XOR of blocks/xor.dat. On a chain mined in order (the simulator's) the n-th undo
record belongs to block n+1 (the genesis block has none). Blocks over 64 KiB are skipped: the
length prefix is two bytes."""
import os
import struct
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
BLOCKS = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    ROOT, '.cache', 'chains', 'tiny', 'datadir', 'regtest', 'blocks')
OUT = os.path.join(ROOT, 'fuzz', 'corpus', 'files_decode')
MAX_SEEDS = 40


def plain(name):
    data = bytearray(open(os.path.join(BLOCKS, name), 'rb').read())
    key_path = os.path.join(BLOCKS, 'xor.dat')
    key = open(key_path, 'rb').read() if os.path.exists(key_path) else bytes(8)
    if any(key):
        for i in range(len(data)):
            data[i] ^= key[i % 8]
    return bytes(data)


def records(data, trailer):
    at = 0
    while at + 8 <= len(data):
        size = struct.unpack_from('<I', data, at + 4)[0]
        if data[at:at + 4] == bytes(4) or size == 0:
            break  # the preallocated, zero-filled end
        yield data[at + 8:at + 8 + size]
        at += 8 + size + trailer


if not os.path.isdir(BLOCKS):
    sys.exit(f'{BLOCKS} is missing: make it with scripts/demo.sh (or regtest-sim --preset tiny --cache)')
os.makedirs(OUT, exist_ok=True)
blocks = list(records(plain('blk00000.dat'), 0))
undos = list(records(plain('rev00000.dat'), 32))
written = 0
# Pairs with the most spending first: the interesting ones.
pairs = sorted(zip(blocks[1:], undos), key=lambda p: -len(p[1]))
for block, undo in pairs[:MAX_SEEDS]:
    if len(block) > 0xffff:
        continue
    with open(os.path.join(OUT, f'seed-{written:02}'), 'wb') as f:
        f.write(struct.pack('<H', len(block)) + block + undo)
    written += 1
# And the genesis block, which has no undo record.
genesis = blocks[0]
open(os.path.join(OUT, 'genesis'), 'wb').write(struct.pack('<H', len(genesis)) + genesis)
print(f'{written + 1} seeds in {OUT}')
