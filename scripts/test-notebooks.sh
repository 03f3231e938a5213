#!/usr/bin/env bash
# The analysts' notebooks and the per-transaction dataset, tested on the demo chain's report:
#   1. makes the notebooks' venv (.cache/venv-notebooks, `scripts/notebooks.sh --setup-only`);
#   2. runs scripts/demo.sh: builds the release binaries, makes the simulator's `tiny` chain
#      (saved in .cache/chains/tiny after the first run) and writes its fee report, with
#      --per-tx, into out/demo-fee-report;
#   3. runs `fee-report bandwidth` on a node started on a copy of that chain, over the report's
#      heights, one sample a block, into the same folder (so its blocks.parquet checks the chain
#      samples, and report.html gains the bandwidth section). Offline: the bandwidth data is
#      built in and the node is the local one scripts/install-node.sh installed;
#   4. runs pytest on tests/python/: both notebooks executed headless with nbclient, the dataset
#      queried with DuckDB and polars against summary.json, the committed notebooks stripped.
# Extra arguments go to pytest. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"

scripts/notebooks.sh --setup-only
scripts/demo.sh >/dev/null

OUT="$ROOT/out/demo-fee-report"
read -r FIRST LAST < <(python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["table"]; print(t["first_height"], t["last_height"])' "$OUT/summary.json")

CHAIN="$ROOT/.cache/chains/tiny/datadir"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/test-notebooks.XXXXXX")"
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
target/release/fee-report bandwidth --regtest --rpcport "$PORT" --datadir "$WORK/datadir" \
    --from "$FIRST" --to "$LAST" --every 1 --out "$OUT" --quiet >/dev/null
kill "$NODE_PID" && wait "$NODE_PID" 2>/dev/null || true
NODE_PID=""

export BTCADDR_REPORT_DIR="$OUT" BTCADDR_BANDWIDTH_DIR="$OUT"
.cache/venv-notebooks/bin/python -m pytest -p no:cacheprovider tests/python "$@"
