#!/usr/bin/env bash
# Builds and installs the Python package (address/bindings/python) into a virtual environment
# (target/venv-python, made once and reused) the way a user would, `pip install <dir>` through
# maturin, then runs its pytest suite: the shared vectors, BIP173/350 vectors, Hypothesis
# properties, bytes-like and wrong-type inputs, a memory check and the docstring examples.
# Exits non-zero on any failure. Needs python3 >= 3.9 with venv, and the Rust toolchain.
set -euo pipefail
cd "$(dirname "$0")/.."

PKG=address/bindings/python
VENV=${BTCADDR_PY_VENV:-target/venv-python}
PYTHON=${PYTHON:-python3}

if ! command -v "$PYTHON" >/dev/null; then
    echo "test-python: $PYTHON not found; install it (e.g. apt-get install python3 python3-venv)" >&2
    exit 1
fi
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 9))'; then
    echo "test-python: $("$PYTHON" --version) is too old; the package needs CPython >= 3.9" >&2
    exit 1
fi
if ! command -v cargo >/dev/null; then
    echo "test-python: cargo not found; install Rust with rustup (https://rustup.rs)" >&2
    exit 1
fi

# A venv left half-made (no pip inside) is made again.
if [ ! -x "$VENV/bin/pip" ]; then
    rm -rf "$VENV"
    if ! "$PYTHON" -m venv "$VENV"; then
        echo "test-python: '$PYTHON -m venv' failed; install venv (apt-get install python3-venv)" >&2
        exit 1
    fi
fi
VPY="$(cd "$VENV" && pwd)/bin/python"
"$VPY" -m pip install --quiet --disable-pip-version-check -r "$PKG/requirements-dev.txt"

# The real install path: pip builds the wheel with maturin (PEP 517) from the source tree.
"$VPY" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "./$PKG"

# From inside the package directory pytest reads its pyproject.toml; the installed btcaddr is
# imported (python/ is not on sys.path), and no cache is written into the tree.
cd "$PKG"
exec "$VPY" -m pytest -p no:cacheprovider "$@"
