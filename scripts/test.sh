#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs what the tests need when missing (the node,
# Chromium, the WebAssembly toolchain, the MSRV compiler, the Python and npm test packages, the
# notebooks' environment), then
# runs every test: the workspace's Rust tests, the codec's MSRV and package checks, and the C,
# Python, JavaScript and browser tests of the bindings, and the notebooks run headless on the
# demo's report. .ci/run calls exactly this.
#
# Every step runs even when an earlier one failed (one failure must not hide the others'
# results); the exit status is 1 when any step failed, and the last lines name them.
set -uo pipefail
cd "$(dirname "$0")/.."

failed=()
# step NAME COMMAND...: runs one step, timing it, and remembers a failure.
step() {
    local name=$1
    shift
    echo "=== test.sh: $name"
    local start=$SECONDS
    if "$@"; then
        echo "=== test.sh: $name: ok ($((SECONDS - start)) s)"
    else
        echo "=== test.sh: $name: FAILED ($((SECONDS - start)) s)"
        failed+=("$name")
    fi
}

# The parts every later step needs; without them nothing below can pass.
scripts/install-node.sh || exit 1
scripts/install-chromium.sh || exit 1

# The codec must stay usable without std (wallets on embedded targets).
step "btcaddr without std" cargo build -p btcaddr --no-default-features --locked
# --no-fail-fast: one failing test binary must not hide the others' results.
step "cargo test --workspace" cargo test --workspace --locked --no-fail-fast
step "MSRV of btcaddr" scripts/check-msrv.sh
step "btcaddr package contents" scripts/check-package.sh
step "C library" scripts/test-c.sh
step "Python package" scripts/test-python.sh
step "WebAssembly package" scripts/test-wasm.sh
step "checker page in Chromium" scripts/test-web.sh
step "notebooks and the txs dataset (Python)" scripts/test-notebooks.sh

if ((${#failed[@]})); then
    echo "test.sh: FAILED: ${failed[*]}" >&2
    exit 1
fi
echo "test.sh: every step passed"
