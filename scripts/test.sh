#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs the node (and the browser the report test
# uses) when missing, then runs every test in the workspace. .ci/run calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-node.sh
cargo test --workspace --locked
