#!/usr/bin/env bash
# The main job, no configuration needed:
#   1. the address codec on real addresses;
#   2. fee-report on a simulated chain: installs the node if needed, makes the simulator's `tiny`
#      chain (a 2016-style fee market on regtest), starts a node on a copy of it, runs fee-report
#      over the fee-market blocks and prints where the report is.
#
# BTCADDR_DEMO_PROFILE=debug uses the debug binaries of `cargo build --workspace --tests` (what
# `cargo test --workspace` already built: scripts/test-notebooks.sh runs the demo that way in the
# test suite, without a release build of polars); the default is release.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
case "${BTCADDR_DEMO_PROFILE:-release}" in
    release)
        cargo build -q --release -p btcaddr-cli --bin btcaddr --bin fee-report
        cargo build -q --release -p btcaddr-tests --bin regtest-sim
        BIN=target/release ;;
    debug)
        # The test suite's package and target selection: the same features, nothing rebuilt.
        cargo build -q --workspace --tests
        BIN=target/debug ;;
    *) echo "demo.sh: BTCADDR_DEMO_PROFILE must be release or debug" >&2; exit 2 ;;
esac
btcaddr=$BIN/btcaddr
echo "== A real mainnet address of each type, as generic addresses and back"
for a in 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy \
    bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4 \
    bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0; do
    g=$("$btcaddr" encode "$a")
    printf '%-64s -> %s\n' "$a" "$g"
    "$btcaddr" decode "$g"
done

echo
echo "== fee-report on a simulated chain (regtest, Bitcoin Knots)"
scripts/install-node.sh
$BIN/regtest-sim --preset tiny --cache >/dev/null
CHAIN="$ROOT/.cache/chains/tiny/datadir"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/fee-report-demo.XXXXXX")"
NODE_PID=""
cleanup() {
    if [ -n "$NODE_PID" ]; then kill "$NODE_PID" 2>/dev/null || true; wait "$NODE_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT
cp -a "$CHAIN" "$WORK/datadir"
rm -f "$WORK/datadir/regtest/.cookie" "$WORK/datadir/regtest/.lock"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PORT="$(free_port)"
.cache/node/bin/bitcoind -regtest -datadir="$WORK/datadir" -rpcport="$PORT" -port="$(free_port)" \
    -listen=0 -server=1 -rest=1 -printtoconsole=0 -dnsseed=0 -fixedseeds=0 &
NODE_PID=$!
CLI=(.cache/node/bin/bitcoin-cli -regtest -datadir="$WORK/datadir" -rpcport="$PORT")
for _ in $(seq 600); do "${CLI[@]}" getblockcount >/dev/null 2>&1 && break; sleep 0.1; done
TIP="$("${CLI[@]}" getblockcount)"
BLOCKS="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["config"]["blocks"])' "$ROOT/.cache/chains/tiny/meta.json")"
OUT="$ROOT/out/demo-fee-report"
rm -rf "$OUT"
$BIN/fee-report --regtest --rpcport "$PORT" --datadir "$WORK/datadir" \
    --from $((TIP - BLOCKS + 1)) --to "$TIP" --per-tx --btc-usd 665 --out "$OUT" >/dev/null
echo
cat "$OUT/summary.md"
echo
echo "The report: $OUT/report.html (also summary.json, blocks.parquet/csv, the txs/ dataset, charts)"
