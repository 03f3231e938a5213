#!/usr/bin/env bash
# Benchmarks the WebAssembly package in Node: generic decode and encode per call beside bitcoinjs's
# `bech32` and `@scure/base`'s bech32 on the same witness program (BIP173's P2WPKH), in one run,
# with the ratios. Installs the two libraries from the npm registry into target/bench-wasm/ and
# builds the package if it is missing (scripts/build-wasm.sh). Prints a Markdown table.
#
#   scripts/bench-wasm.sh
set -euo pipefail
cd "$(dirname "$0")/.."

die() {
    echo "bench-wasm.sh: error: $*" >&2
    exit 1
}

command -v node >/dev/null 2>&1 || die "node not found: install Node.js >= 18"
command -v npm >/dev/null 2>&1 || die "npm not found: install Node.js's npm (it comes with NodeSource's nodejs)"
[ -f target/bindings/wasm/btcaddr.wasm ] || scripts/build-wasm.sh

BENCH_DIR=target/bench-wasm
mkdir -p "$BENCH_DIR"
if [ ! -f "$BENCH_DIR/node_modules/bech32/package.json" ] || [ ! -f "$BENCH_DIR/node_modules/@scure/base/package.json" ]; then
    [ -f "$BENCH_DIR/package.json" ] || echo '{ "private": true }' >"$BENCH_DIR/package.json"
    # Plain JS packages, nothing downloaded from elsewhere; no install scripts.
    npm install --prefix "$BENCH_DIR" --no-audit --no-fund --ignore-scripts --loglevel=error \
        bech32@2 @scure/base >/dev/null || die "npm install bech32 @scure/base failed (npm registry reachable?)"
fi

node address/bindings/wasm/bench/bench.mjs target/bindings/wasm "$BENCH_DIR/node_modules"
