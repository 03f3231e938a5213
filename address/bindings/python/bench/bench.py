"""Per-call time of btcaddr beside the BIP173 reference implementation (PyPI `bech32`) on the
same witness program: BIP173's P2WPKH vector and its generic form. Prints a Markdown table.

timeit, best of several repeats (the minimum is the least disturbed run); every number comes
from this one process, so the ratios compare like with like.
"""

import argparse
import platform
import sys
import timeit

import bech32

import btcaddr

STANDARD = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"
SCRIPT = bytes.fromhex("0014751e76e8199196d454941c45d1b3a323f1433bd6")
WITVER, WITPROG = 0, list(SCRIPT[2:])


def per_call(fn, repeat):
    timer = timeit.Timer(fn)
    number, _ = timer.autorange()  # enough calls for >= 0.2 s per repeat
    return min(timer.repeat(repeat=repeat, number=number)) / number


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="timeit repeats (best is kept)")
    args = parser.parse_args()

    generic = btcaddr.from_standard(STANDARD)
    # The two sides must agree on what they are timing before any timing.
    assert bech32.decode("bc", STANDARD) == (WITVER, WITPROG)
    assert bech32.encode("bc", WITVER, WITPROG) == STANDARD
    assert btcaddr.decode(generic).script == SCRIPT
    assert btcaddr.encode("btc", SCRIPT) == generic

    rows = [
        ("decode", lambda: btcaddr.decode(generic), lambda: bech32.decode("bc", STANDARD)),
        ("encode", lambda: btcaddr.encode("btc", SCRIPT), lambda: bech32.encode("bc", WITVER, WITPROG)),
        ("is_valid (vs bech32.decode)", lambda: btcaddr.is_valid(generic),
         lambda: bech32.decode("bc", STANDARD)),
    ]
    print(f"Python {platform.python_version()} ({sys.implementation.name}), "
          f"btcaddr {btcaddr.__version__}, bech32 (PyPI) reference; best of {args.repeat}")
    print(f"generic: {generic}\nstandard: {STANDARD}\n")
    print("| operation | btcaddr per call | bech32 reference per call | ratio (reference / btcaddr) |")
    print("| --- | ---: | ---: | ---: |")
    for name, ours, reference in rows:
        t_ours = per_call(ours, args.repeat)
        t_ref = per_call(reference, args.repeat)
        print(f"| {name} | {t_ours * 1e9:,.0f} ns | {t_ref * 1e9:,.0f} ns | {t_ref / t_ours:.1f}x |")


if __name__ == "__main__":
    main()
