#!/usr/bin/env bash
# Opens the analysts' notebooks (notebooks/*.ipynb) in JupyterLab, from nothing:
#   1. makes or updates the virtual environment .cache/venv-notebooks from
#      notebooks/requirements.txt (exact pins from PyPI); it is reinstalled only when that file
#      changed (a stamp holds its SHA-256), so a second run starts at once;
#   2. runs scripts/demo.sh when the demo's report (out/demo-fee-report/summary.json) is missing,
#      so fee-study.ipynb has data to read;
#   3. starts `jupyter lab notebooks/`.
#
# Options:
#   --setup-only   stop after step 1 (scripts/test-notebooks.sh uses it)
# Other arguments go to `jupyter lab`. BTCADDR_REPORT_DIR and BTCADDR_BANDWIDTH_DIR (see
# README.md, "Open the notebooks") are made absolute against the directory you called from.
set -euo pipefail
CALLER_DIR="$(pwd)"
cd "$(dirname "$0")/.."

VENV=.cache/venv-notebooks
REQ=notebooks/requirements.txt
STAMP="$VENV/.requirements.sha256"

setup_only=0
args=()
for a in "$@"; do
    case "$a" in
    --setup-only) setup_only=1 ;;
    *) args+=("$a") ;;
    esac
done

want="$(sha256sum "$REQ" | cut -d' ' -f1)"
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$STAMP" 2>/dev/null || true)" != "$want" ]; then
    if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
        # Debian splits venv/ensurepip out of python3.
        echo "notebooks.sh: installing python3-venv (Debian)" >&2
        apt-get update -q && apt-get install -y -q python3-venv
    fi
    echo "notebooks.sh: making $VENV from $REQ" >&2
    rm -rf "$VENV"
    mkdir -p .cache
    python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q --upgrade pip
    "$VENV/bin/python" -m pip install -q -r "$REQ"
    # The kernel the notebooks name ("python3") is this venv's own ipykernel.
    echo "$want" >"$STAMP"
fi

if ((setup_only)); then
    echo "notebooks.sh: $VENV is ready ($("$VENV/bin/python" --version))" >&2
    exit 0
fi

if [ ! -f out/demo-fee-report/summary.json ]; then
    echo "notebooks.sh: no demo report yet; running scripts/demo.sh" >&2
    scripts/demo.sh
fi

for var in BTCADDR_REPORT_DIR BTCADDR_BANDWIDTH_DIR; do
    if [ -n "${!var:-}" ] && [[ "${!var}" != /* ]]; then
        export "$var=$CALLER_DIR/${!var}"
    fi
done

# JupyterLab refuses to start as root unless told (these machines run as root).
if [ "$(id -u)" = 0 ]; then args=(--allow-root ${args[@]+"${args[@]}"}); fi
exec "$VENV/bin/jupyter" lab notebooks/ ${args[@]+"${args[@]}"}
