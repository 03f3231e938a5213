#!/usr/bin/env bash
# The linker for the wasm32 build (scripts/build-wasm.sh sets it): LLVM's wasm-ld, keeping only
# this crate's `bw_*` exports.
#
# rustc exports every `#[no_mangle]` function of every crate from a cdylib, and secp256k1-sys
# (pulled in by the `bitcoin` crate) has Rust-side `rustsecp256k1_*_context_create` and friends.
# Exported, they keep libsecp256k1's context code and its 64 KiB precomputed table alive, though
# nothing here uses them. Dropping those `--export` arguments lets --gc-sections remove them.
#
# Usage (as cargo's linker): WASM_LD=/path/to/wasm-ld link.sh <wasm-ld arguments…>
set -euo pipefail

[ -n "${WASM_LD:-}" ] || {
    echo "link.sh: error: WASM_LD is not set (scripts/build-wasm.sh sets it to the toolchain's wasm-ld)" >&2
    exit 1
}

# Keeps `--export=bw_*` / `--export bw_*` and every other argument; drops other exports. A
# response file (@file, which rustc writes for long command lines) is filtered line by line into
# a copy, its escaping left as it is.
filter_lines() {
    awk '
        skip { skip = 0; if ($0 ~ /^bw_/) { print "--export"; print } next }
        $0 == "--export" { skip = 1; next }
        /^--export=/ && !/^--export=bw_/ { next }
        { print }
    '
}

kept=()
for arg in "$@"; do
    if [[ "$arg" == @* && -f "${arg#@}" ]]; then
        filter_lines <"${arg#@}" >"${arg#@}.bw"
        kept+=("@${arg#@}.bw")
    else
        kept+=("$arg")
    fi
done
mapfile -t kept < <(printf '%s\n' "${kept[@]}" | filter_lines)

exec "$WASM_LD" "${kept[@]}"
