"""A million decode calls (and failing ones) leave the process's memory flat."""

import os

import btcaddr

PAGE = os.sysconf("SC_PAGE_SIZE")
VALID = "btc:yyk8k8us7yc3dfswk1kbatqtsqt18hkd8xmjbzf8i1a"
INVALID = "btc:yyk8k8us7yc3dfswk1kbatqtsqt18hkd8xmjbzf8i1e"


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE


def test_a_million_decodes_leave_memory_flat():
    # Warm up first: allocator pools and PyO3's lazily built type objects are not leaks.
    for _ in range(10_000):
        btcaddr.decode(VALID).script
        try:
            btcaddr.decode(INVALID)
        except btcaddr.DecodeError:
            pass
    before = rss_bytes()
    decode = btcaddr.decode
    for _ in range(1_000_000):
        decode(VALID)
    for _ in range(100_000):
        try:
            decode(INVALID)
        except btcaddr.DecodeError:
            pass
    growth = rss_bytes() - before
    # Even a 16-byte leak per call would grow memory by 16 MB here.
    assert growth < 5 * 1024 * 1024, f"RSS grew by {growth / 1e6:.1f} MB"


def test_encode_is_valid_and_suggest_leave_memory_flat():
    script = bytearray(bytes.fromhex("0014751e76e8199196d454941c45d1b3a323f1433bd6"))
    typo = VALID[:-3] + VALID[-2] + VALID[-3] + VALID[-1]
    for _ in range(1_000):
        btcaddr.encode("btc", script)
        btcaddr.suggest(typo)
    before = rss_bytes()
    for _ in range(300_000):
        btcaddr.encode("btc", script)
        btcaddr.is_valid(VALID)
    for _ in range(10_000):
        btcaddr.suggest(typo)
    growth = rss_bytes() - before
    assert growth < 5 * 1024 * 1024, f"RSS grew by {growth / 1e6:.1f} MB"
