#!/usr/bin/env bash
# Benchmarks libbtcaddr from C: builds the release library, compiles bench/bench.c with -O2
# against libbtcaddr.a and prints a markdown table of ns per call (median of 21 interleaved rounds) with each
# row's ratio to btcaddr_is_valid, measured in the same run. Results: docs/BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/../../../.."

command -v cc >/dev/null || { apt-get update -qq && apt-get install -y -qq gcc; }
target="${CARGO_TARGET_DIR:-target}"
cargo build --release -p btcaddr-c --locked
mkdir -p "$target/c-tests"
cc -std=c99 -O2 -Wall -Wextra -Werror -pedantic -Iaddress/bindings/c/include \
    address/bindings/c/bench/bench.c "$target/release/libbtcaddr.a" -lpthread -ldl -lm \
    -o "$target/c-tests/bench"
"$target/c-tests/bench"
