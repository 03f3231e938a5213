#!/usr/bin/env bash
# The main job, no configuration needed: the address codec on real addresses.
# (The fee-report demo on a simulated chain is added here as it lands.)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -q --release -p btcaddr-cli --bin btcaddr
btcaddr=target/release/btcaddr
echo "== A real mainnet address of each type, as generic addresses and back"
for a in 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy \
    bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4 \
    bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0; do
    g=$("$btcaddr" encode "$a")
    printf '%-64s -> %s\n' "$a" "$g"
    "$btcaddr" decode "$g"
done
