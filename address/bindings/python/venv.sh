# Sourced by scripts/test-python.sh and scripts/bench-python.sh (from the repository root):
# makes or reuses the virtual environment $VENV (default target/venv-python), installs the
# pinned tools of requirements-dev.txt, then installs the package the way a user would,
# `pip install address/bindings/python` (maturin builds the wheel through PEP 517).
# Sets VPY to the venv's python (an absolute path).

PKG=address/bindings/python
VENV=${BTCADDR_PY_VENV:-target/venv-python}
PYTHON=${PYTHON:-python3}

if ! command -v "$PYTHON" >/dev/null; then
    echo "$0: $PYTHON not found; install it (e.g. apt-get install python3 python3-venv)" >&2
    exit 1
fi
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 9))'; then
    echo "$0: $("$PYTHON" --version) is too old; the package needs CPython >= 3.9" >&2
    exit 1
fi
if ! command -v cargo >/dev/null; then
    echo "$0: cargo not found; install Rust with rustup (https://rustup.rs)" >&2
    exit 1
fi

# A venv left half-made (no pip inside) is made again.
if [ ! -x "$VENV/bin/pip" ]; then
    rm -rf "$VENV"
    if ! "$PYTHON" -m venv "$VENV"; then
        echo "$0: '$PYTHON -m venv' failed; install venv (apt-get install python3-venv)" >&2
        exit 1
    fi
fi
VPY="$(cd "$VENV" && pwd)/bin/python"
"$VPY" -m pip install --quiet --disable-pip-version-check -r "$PKG/requirements-dev.txt"
"$VPY" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "./$PKG"
