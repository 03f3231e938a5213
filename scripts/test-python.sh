#!/usr/bin/env bash
# Builds and installs the Python package (address/bindings/python) into a virtual environment
# (target/venv-python, made once and reused) the way a user would, `pip install <dir>` through
# maturin, then runs its pytest suite: the shared vectors, BIP173/350 vectors, Hypothesis
# properties, bytes-like and wrong-type inputs, a memory check and the docstring examples.
# Extra arguments go to pytest. Exits non-zero on any failure.
# Needs python3 >= 3.9 with venv, and the Rust toolchain.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=../address/bindings/python/venv.sh
. address/bindings/python/venv.sh

# From inside the package directory pytest reads its pyproject.toml; the installed btcaddr is
# imported (python/ is not on sys.path), and no cache is written into the tree.
cd "$PKG"
exec "$VPY" -m pytest -p no:cacheprovider "$@"
