#!/usr/bin/env bash
# Times the Python package's btcaddr.decode / encode / is_valid per call beside the BIP173
# reference implementation from PyPI (bech32.decode / bech32.encode) on the same witness
# program (BIP173's P2WPKH vector), in one run, and prints the table with the ratios.
# Installs what it needs into target/venv-python (see address/bindings/python/venv.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=../address/bindings/python/venv.sh
. address/bindings/python/venv.sh

exec "$VPY" "$PKG/bench/bench.py" "$@"
