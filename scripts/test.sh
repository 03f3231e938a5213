#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs the node (and the browser the report test
# uses) when missing, then runs every test in the workspace. .ci/run calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-node.sh
scripts/install-chromium.sh
# The codec must stay usable without std (wallets on embedded targets).
cargo build -p btcaddr --no-default-features --locked
# --no-fail-fast: one failing test binary must not hide the others' results.
cargo test --workspace --locked --no-fail-fast
