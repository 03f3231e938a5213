#!/usr/bin/env bash
# Tests the WebAssembly package: builds it into target/bindings/wasm/ when it is missing or older
# than its sources (scripts/build-wasm.sh, which installs the toolchain if needed), then runs the
# tests in address/bindings/wasm/tests/ with Node's built-in runner against that package (the
# shared vectors, BIP173/BIP350, errors, argument types, random round trips, memory flat over a
# million calls, the size budget). Node's runner prints `# pass N` / `# fail N`.
#
#   scripts/test-wasm.sh            # build if stale, test
#   scripts/test-wasm.sh --rebuild  # always rebuild first
set -euo pipefail
cd "$(dirname "$0")/.."

die() {
    echo "test-wasm.sh: error: $*" >&2
    exit 1
}

rebuild=0
case "${1:-}" in
    "") ;;
    --rebuild) rebuild=1 ;;
    *) die "unknown argument '$1' (expected --rebuild or nothing)" ;;
esac

command -v node >/dev/null 2>&1 ||
    die "node not found: install Node.js >= 18 (e.g. apt-get install nodejs, or NodeSource's node_20.x)"
major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$major" -ge 18 ] || die "node $(node --version) is too old: the package needs Node.js >= 18"

wasm=target/bindings/wasm/btcaddr.wasm
stale=0
if [ "$rebuild" = 1 ] || [ ! -f "$wasm" ]; then
    stale=1
elif [ -n "$(find address/src address/Cargo.toml address/bindings/wasm/src address/bindings/wasm/js \
    address/bindings/wasm/Cargo.toml address/bindings/wasm/link.sh Cargo.toml Cargo.lock scripts/build-wasm.sh \
    -newer "$wasm" -print -quit)" ]; then
    stale=1
fi
if [ "$stale" = 1 ]; then
    scripts/build-wasm.sh
fi

exec node --test address/bindings/wasm/tests/
