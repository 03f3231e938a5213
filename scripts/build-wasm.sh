#!/usr/bin/env bash
# Builds the WebAssembly package of the btcaddr codec into target/bindings/wasm/: the crate
# address/bindings/wasm compiled for wasm32-unknown-unknown (profile `wasm`: size-optimised,
# LTO, panic = abort), shrunk with binaryen's wasm-opt -Oz, plus the hand-written JS glue,
# typings, package.json and README from address/bindings/wasm/js/. Installs the toolchain first
# when missing (scripts/install-wasm-toolchain.sh). Prints the .wasm's size and fails when it is
# over the 150 kB budget.
#
#   scripts/build-wasm.sh
#
# Cargo builds into target/wasm-build (its own lock and fingerprints, apart from target/).
set -euo pipefail
cd "$(dirname "$0")/.."

die() {
    echo "build-wasm.sh: error: $*" >&2
    exit 1
}

MAX_WASM_BYTES=150000
CRATE_DIR=address/bindings/wasm
OUT=target/bindings/wasm
TARGET_DIR=target/wasm-build

scripts/install-wasm-toolchain.sh >/dev/null
# shellcheck source=/dev/null # written by install-wasm-toolchain.sh
source .cache/wasm-toolchain/env.sh
command -v wasm-opt >/dev/null 2>&1 || die "wasm-opt not found (run: scripts/install-wasm-toolchain.sh --force)"

# Without a panic message machinery the panic paths (which no input reaches: the bindings
# return errors) cost almost nothing; the std source is Debian's, matching RUSTC.
export CARGO_PROFILE_WASM_PANIC=immediate-abort
# wasm-ld through a filter that exports only this crate's functions (see link.sh for why).
export WASM_LD="$CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER="$PWD/$CRATE_DIR/link.sh"
cargo build -q -p btcaddr-wasm --lib --profile wasm --target wasm32-unknown-unknown \
    --target-dir "$TARGET_DIR" \
    -Zbuild-std=std,panic_abort -Zpanic-immediate-abort ||
    die "cargo build for wasm32 failed (see above)"

raw="$TARGET_DIR/wasm32-unknown-unknown/wasm/btcaddr_wasm.wasm"
[ -f "$raw" ] || die "cargo built no $raw"
mkdir -p "$OUT"
# The features rustc enables for wasm32-unknown-unknown (binaryen 108 does not read them from
# the module); every engine the package targets (Node >= 18, current browsers) has them.
features=(--enable-bulk-memory --enable-sign-ext --enable-mutable-globals
    --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue)
wasm-opt -Oz "${features[@]}" --strip-debug --strip-producers "$raw" -o "$OUT/btcaddr.wasm.tmp" \
    >"$TARGET_DIR/wasm-opt.log" 2>&1 || {
    head -n 40 "$TARGET_DIR/wasm-opt.log" >&2
    die "wasm-opt failed on $raw (first lines of its log above)"
}
mv "$OUT/btcaddr.wasm.tmp" "$OUT/btcaddr.wasm"
for f in index.js core.js index.d.ts core.d.ts README.md; do
    cp "$CRATE_DIR/js/$f" "$OUT/$f"
done
# The npm version is the workspace's.
version="$(sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' Cargo.toml)"
[ -n "$version" ] || die "no version in Cargo.toml's [workspace.package]"
sed "s/@VERSION@/$version/" "$CRATE_DIR/js/package.json" >"$OUT/package.json"

raw_bytes="$(stat -c %s "$raw")"
bytes="$(stat -c %s "$OUT/btcaddr.wasm")"
echo "build-wasm.sh: $OUT/btcaddr.wasm: $bytes bytes ($raw_bytes before wasm-opt; budget $MAX_WASM_BYTES)"
if [ "$bytes" -gt "$MAX_WASM_BYTES" ]; then
    echo "build-wasm.sh: WARNING: $OUT/btcaddr.wasm is $bytes bytes, over the $MAX_WASM_BYTES-byte budget (scripts/test-wasm.sh fails on it)" >&2
fi
