#!/usr/bin/env bash
# The analysts' notebooks and the per-transaction dataset, tested on the demo chain's report:
#   1. makes the notebooks' venv (.cache/venv-notebooks, `scripts/notebooks.sh --setup-only`);
#   2. runs scripts/demo.sh with the debug binaries `cargo test --workspace` builds
#      (BTCADDR_DEMO_PROFILE=debug: no release build in the suite), makes the simulator's `tiny` chain
#      (saved in .cache/chains/tiny after the first run) and writes its fee report, with
#      --per-tx, into out/demo-fee-report;
#   3. runs `fee-report bandwidth` on a node started on a copy of that chain, over the report's
#      heights, one sample a block, into the same folder (so its blocks.parquet checks the chain
#      samples, and report.html gains the bandwidth section). Offline: the bandwidth data is
#      built in and the node is the local one scripts/install-node.sh installed;
#   4. makes a second chain of 1920 market blocks (heights 106..2025, two retarget periods; saved
#      in .cache/chains/tiny-blocks1920 after the first run) and its --per-tx report in
#      out/test-notebooks/two-periods, so that the dataset has more than one period=<P> part;
#   5. runs pytest on tests/python/: both notebooks executed headless with nbclient, both
#      datasets queried with DuckDB and polars against summary.json, the committed notebooks
#      stripped.
# Extra arguments go to pytest. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"

scripts/notebooks.sh --setup-only
BTCADDR_DEMO_PROFILE=debug scripts/demo.sh >/dev/null
BIN=target/debug

OUT="$ROOT/out/demo-fee-report"
TWO_PERIODS="$ROOT/out/test-notebooks/two-periods"
read -r FIRST LAST < <(python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["table"]; print(t["first_height"], t["last_height"])' "$OUT/summary.json")

WORK="$(mktemp -d "${TMPDIR:-/tmp}/test-notebooks.XXXXXX")"
NODE_PID=""
cleanup() {
    stop_node
    rm -rf "$WORK"
}
stop_node() {
    if [ -n "$NODE_PID" ]; then kill "$NODE_PID" 2>/dev/null || true; wait "$NODE_PID" 2>/dev/null || true; fi
    NODE_PID=""
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# start_node CHAIN: a node on a scratch copy of .cache/chains/CHAIN; sets PORT and NODE_ARGS.
start_node() {
    rm -rf "$WORK/datadir"
    cp -a "$ROOT/.cache/chains/$1/datadir" "$WORK/datadir"
    rm -f "$WORK/datadir/regtest/.cookie" "$WORK/datadir/regtest/.lock"
    PORT="$(free_port)"
    .cache/node/bin/bitcoind -regtest -datadir="$WORK/datadir" -rpcport="$PORT" -port="$(free_port)" \
        -listen=0 -server=1 -rest=1 -printtoconsole=0 -dnsseed=0 -fixedseeds=0 &
    NODE_PID=$!
    local cli=(.cache/node/bin/bitcoin-cli -regtest -datadir="$WORK/datadir" -rpcport="$PORT")
    for _ in $(seq 600); do "${cli[@]}" getblockcount >/dev/null 2>&1 && break; sleep 0.1; done
    NODE_ARGS=(--regtest --rpcport "$PORT" --datadir "$WORK/datadir")
}

# The bandwidth report, with the chain's growth over the demo's heights.
start_node tiny
$BIN/fee-report bandwidth "${NODE_ARGS[@]}" \
    --from "$FIRST" --to "$LAST" --every 1 --out "$OUT" --quiet >/dev/null
stop_node

# A dataset of two retarget periods: the simulator's tiny market over 1920 blocks (heights
# 106..2025, saved in .cache/chains/tiny-blocks1920 after the first run), read whole.
$BIN/regtest-sim --preset tiny --blocks 1920 --cache >/dev/null 2>"$WORK/sim.log" ||
    { cat "$WORK/sim.log" >&2; exit 1; }
start_node tiny-blocks1920
rm -rf "$TWO_PERIODS"
$BIN/fee-report "${NODE_ARGS[@]}" --from 106 --to 2025 --per-tx --quiet \
    --out "$TWO_PERIODS" >/dev/null
stop_node

export BTCADDR_REPORT_DIR="$OUT" BTCADDR_BANDWIDTH_DIR="$OUT" BTCADDR_TWO_PERIODS_DIR="$TWO_PERIODS"
.cache/venv-notebooks/bin/python -m pytest -p no:cacheprovider tests/python "$@"
