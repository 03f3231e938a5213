#!/usr/bin/env bash
# Speed of fee-report on the simulator's `mainnet` preset (100 full ~1 MvB blocks) on the real
# node, in one run, printed as a table:
#   - full per-transaction fee-report via REST, and via RPC (getblock verbosity 2)
#   - a plain sequential loop of getblockstats over the same range (one keep-alive connection)
#   - fee-report's own CPU time beside the node's during the REST run
#   - blocks/s, transactions/s, peak memory
#   - the fetch floor: the same REST requests with the same concurrency, bytes read and dropped
#   - the floor under fee-report's CPU: the same REST answers decoded by the bitcoin crate alone,
#     and by fee-report's zero-copy decoder
#   - the per-transaction rows' size and write/read CPU with each codec (none, snappy, lz4, zstd 1/3/6/9),
#     from the same REST answers
#   - with --long: peak memory of a 1,000-block range without --per-tx, on a second simulated
#     chain of 1,000 fee-market blocks of ~100 kvB (`regtest-sim --preset mainnet --blocks 1000
#     --block-max-weight 400000 --cache`, about 30 minutes the first time)
#
#   scripts/bench-fee-report.sh [--jobs N] [--long]
#
# Makes (once, cached in .cache/chains/mainnet) the simulated chain with
# `regtest-sim --preset mainnet --cache`, which takes a while the first time.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
JOBS=4
LONG=0
while [ $# -gt 0 ]; do
    case "$1" in
        --jobs) JOBS="$2"; shift 2 ;;
        --long) LONG=1; shift ;;
        -h | --help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench-fee-report.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
[ -x /usr/bin/time ] || { echo "bench-fee-report.sh: needs GNU time (apt-get install time)" >&2; exit 1; }

scripts/install-node.sh >/dev/null
cargo build --release -q -p btcaddr-cli --bin fee-report
cargo build --release -q -p btcaddr-tests --bin regtest-sim --bin decode-cost --bin parquet-cost --bin fetch-floor
target/release/regtest-sim --preset mainnet --cache >/dev/null
CHAIN="$ROOT/.cache/chains/mainnet/datadir"
[ -d "$CHAIN" ] || { echo "bench-fee-report.sh: no simulated chain in $CHAIN" >&2; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/bench-fee-report.XXXXXX")"
NODE_PID=""
cleanup() {
    [ -n "$NODE_PID" ] && kill "$NODE_PID" 2>/dev/null && wait "$NODE_PID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT
# start_node CHAIN_DATADIR: a node on a fresh copy of the chain (the previous one stopped);
# sets PORT, NODE_PID, CLI, TIP, NODE_ARGS.
start_node() {
    if [ -n "$NODE_PID" ]; then kill "$NODE_PID" 2>/dev/null; wait "$NODE_PID" 2>/dev/null || true; fi
    rm -rf "$WORK/datadir"
    cp -a "$1" "$WORK/datadir"
    rm -f "$WORK/datadir/regtest/.cookie" "$WORK/datadir/regtest/.lock"
    PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
    P2P="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
    .cache/node/bin/bitcoind -regtest -datadir="$WORK/datadir" -rpcport="$PORT" -port="$P2P" -listen=0 \
        -server=1 -rest=1 -printtoconsole=0 -rpcthreads=16 -dnsseed=0 -fixedseeds=0 &
    NODE_PID=$!
    CLI=(.cache/node/bin/bitcoin-cli -regtest -datadir="$WORK/datadir" -rpcport="$PORT")
    for _ in $(seq 600); do "${CLI[@]}" getblockcount >/dev/null 2>&1 && break; sleep 0.1; done
    # The simulator leaves a mempool behind: let the node finish loading it so its CPU is ours alone.
    for _ in $(seq 1200); do
        [ "$("${CLI[@]}" getmempoolinfo | python3 -c 'import json,sys; print(json.load(sys.stdin).get("loaded", True))')" = True ] && break
        sleep 0.25
    done
    TIP="$("${CLI[@]}" getblockcount)"
    NODE_ARGS=(--regtest --rpcport "$PORT" --datadir "$WORK/datadir" --quiet --jobs "$JOBS")
}
start_node "$CHAIN"
FROM=$((TIP - 99))
node_cpu() { awk '{print $14 + $15}' "/proc/$NODE_PID/stat"; }
TICKS="$(getconf CLK_TCK)"

# run NAME ARGS...: fee-report into a fresh folder; records wall, user+sys CPU, peak RSS, node CPU.
declare -A WALL CPU RSS NODECPU
run() {
    local name="$1"; shift
    local before after
    before="$(node_cpu)"
    /usr/bin/time -f "%e %U %S %M" -o "$WORK/$name.time" target/release/fee-report "${NODE_ARGS[@]}" \
        --out "$WORK/out-$name" "$@" >/dev/null 2>"$WORK/$name.log" || { cat "$WORK/$name.log" >&2; exit 1; }
    after="$(node_cpu)"
    read -r wall user sys rss <"$WORK/$name.time"
    WALL[$name]="$wall"
    CPU[$name]="$(echo "$user + $sys" | bc -l)"
    RSS[$name]="$((rss / 1024))"
    NODECPU[$name]="$(echo "($after - $before) / $TICKS" | bc -l)"
}

# Warm the node's block file cache once so the first measured run is not penalised.
run warmup --from "$FROM" --to "$TIP" --source rest
# The fetch floor: fee-report's REST requests alone (hashes resolved beforehand), same jobs.
for h in $(seq "$FROM" "$TIP"); do "${CLI[@]}" getblockhash "$h"; done >"$WORK/hashes"
FLOOR_NODE_BEFORE="$(node_cpu)"
FLOOR_OUT="$(/usr/bin/time -f "%U %S" -o "$WORK/floor.time" target/release/fetch-floor "http://127.0.0.1:$PORT" "$WORK/hashes" "$JOBS")"
FLOOR_CPU="$(awk '{print $1 + $2}' "$WORK/floor.time")"
FLOOR_NODECPU="$(echo "($(node_cpu) - $FLOOR_NODE_BEFORE) / $TICKS" | bc -l)"
FLOOR_WALL="$(echo "$FLOOR_OUT" | awk '{print $(NF-1)}')"
run rest --from "$FROM" --to "$TIP" --source rest --per-tx
run restblocks --from "$FROM" --to "$TIP" --source rest
run rpc --from "$FROM" --to "$TIP" --source rpc --per-tx

# A plain loop of getblockstats, sequential, one keep-alive HTTP connection, same range.
STATS_NODE_BEFORE="$(node_cpu)"
STATS_WALL="$(python3 - "$WORK/datadir/regtest/.cookie" "$PORT" "$FROM" "$TIP" <<'PY'
import base64, http.client, json, sys, time
cookie, port, lo, hi = open(sys.argv[1]).read().strip(), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
auth = {"Authorization": "Basic " + base64.b64encode(cookie.encode()).decode(), "Content-Type": "application/json"}
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
start = time.monotonic()
for h in range(lo, hi + 1):
    conn.request("POST", "/", json.dumps({"jsonrpc": "1.0", "id": h, "method": "getblockstats", "params": [h]}), auth)
    reply = json.loads(conn.getresponse().read())
    assert reply.get("error") is None, reply
print(f"{time.monotonic() - start:.3f}")
PY
)"
STATS_NODECPU="$(echo "($(node_cpu) - $STATS_NODE_BEFORE) / $TICKS" | bc -l)"

# The floor under fee-report's CPU on the REST path: the range's REST answers decoded with the
# `bitcoin` crate and nothing else (tests/src/bin/decode-cost.rs).
python3 - "$PORT" "$FROM" "$TIP" "$WORK/answers" "${CLI[@]}" <<'PY'
import os, subprocess, sys, urllib.request
port, lo, hi, out, cli = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5:]
os.makedirs(out, exist_ok=True)
for h in range(lo, hi + 1):
    block_hash = subprocess.run(cli + ["getblockhash", str(h)], capture_output=True, text=True, check=True).stdout.strip()
    for path, ext in (("block", "block"), ("spenttxouts", "spent")):
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/rest/{path}/{block_hash}.bin") as r, open(f"{out}/{h}.{ext}", "wb") as f:
            f.write(r.read())
PY
DECODE_COST="$(target/release/decode-cost "$WORK/answers")"
DECODE_FLOOR="$(echo "$DECODE_COST" | awk '$1 == "blocks" {print $2}')"
# What txs.parquet costs with each codec, from the same answers (tests/src/bin/parquet-cost.rs).
PARQUET_COST="$(target/release/parquet-cost "$WORK/answers")"

TXS="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["table"]["transactions"])' "$WORK/out-rest/summary.json" 2>/dev/null || echo "?")"
# The whole chain without --per-tx.
MEM_FROM=1
run mem --from "$MEM_FROM" --to "$TIP" --source rest
MAIN_TIP="$TIP"
if [ "$LONG" = 1 ]; then
    # 1,000 fee-market blocks: the last 1,000 blocks of the long chain, without --per-tx.
    target/release/regtest-sim --preset mainnet --blocks 1000 --block-max-weight 400000 --cache >/dev/null
    start_node "$ROOT/.cache/chains/mainnet-blocks1000-weight400000/datadir"
    run long --from $((TIP - 999)) --to "$TIP" --source rest
    LONG_TXS="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["table"]["transactions"])' "$WORK/out-long/summary.json")"
fi
TIP="$MAIN_TIP"

rate() { echo "scale=1; $1 / ${2}" | bc -l; }
echo
echo "fee-report benchmark: simulated mainnet preset, blocks $FROM..$TIP (100 full blocks, $TXS transactions), --jobs $JOBS"
echo "Bitcoin Knots $("${CLI[@]}" -version | head -1 | sed 's/.*version //'), $(nproc) cores"
echo
printf '| %-44s | %9s | %9s | %10s | %12s | %12s | %8s |\n' "run" "wall s" "blocks/s" "tx/s" "own CPU s" "node CPU s" "peak MB"
printf '|%s|%s|%s|%s|%s|%s|%s|\n' "----------------------------------------------" "-----------" "-----------" "------------" "--------------" "--------------" "----------"
for name in rest rpc restblocks; do
    label="fee-report --per-tx --source $name"
    [ "$name" = restblocks ] && label="fee-report --source rest (no --per-tx)"
    printf '| %-44s | %9.2f | %9s | %10s | %12.2f | %12.2f | %8s |\n' "$label" "${WALL[$name]}" \
        "$(rate 100 "${WALL[$name]}")" "$( [ "$TXS" = "?" ] && echo "?" || rate "$TXS" "${WALL[$name]}")" \
        "${CPU[$name]}" "${NODECPU[$name]}" "${RSS[$name]}"
done
printf '| %-44s | %9.2f | %9s | %10s | %12.2f | %12.2f | %8s |\n' "fetch floor (same REST requests, bytes dropped)" "$FLOOR_WALL" \
    "$(rate 100 "$FLOOR_WALL")" "$( [ "$TXS" = "?" ] && echo "?" || rate "$TXS" "$FLOOR_WALL")" "$FLOOR_CPU" "$FLOOR_NODECPU" "-"
printf '| %-44s | %9.2f | %9s | %10s | %12s | %12.2f | %8s |\n' "getblockstats loop (sequential)" "$STATS_WALL" \
    "$(rate 100 "$STATS_WALL")" "$( [ "$TXS" = "?" ] && echo "?" || rate "$TXS" "$STATS_WALL")" "-" "$STATS_NODECPU" "-"
printf '| %-44s | %9.2f | %9s | %10s | %12.2f | %12.2f | %8s |\n' "fee-report, blocks 1..$TIP, no --per-tx" "${WALL[mem]}" \
    "$(rate $((TIP - MEM_FROM + 1)) "${WALL[mem]}")" "-" "${CPU[mem]}" "${NODECPU[mem]}" "${RSS[mem]}"
if [ "$LONG" = 1 ]; then
    printf '| %-44s | %9.2f | %9s | %10s | %12.2f | %12.2f | %8s |\n' "long chain: 1,000 blocks, no --per-tx" "${WALL[long]}" \
        "$(rate 1000 "${WALL[long]}")" "$(rate "$LONG_TXS" "${WALL[long]}")" "${CPU[long]}" "${NODECPU[long]}" "${RSS[long]}"
fi
echo
echo "$FLOOR_OUT"
echo "wall / fetch floor: $(echo "scale=2; ${WALL[rest]} / $FLOOR_WALL" | bc -l) with --per-tx (target <= 1.3), $(echo "scale=2; ${WALL[restblocks]} / $FLOOR_WALL" | bc -l) without (target <= 1.15)"
echo "own CPU / node CPU: $(echo "scale=2; ${CPU[rest]} / ${NODECPU[rest]}" | bc -l) with --per-tx (target <= 1.0), $(echo "scale=2; ${CPU[restblocks]} / ${NODECPU[restblocks]}" | bc -l) without (target <= 0.35)"
echo "REST vs RPC speed-up: $(echo "scale=1; ${WALL[rpc]} / ${WALL[rest]}" | bc -l)x (target >= 20x)"
echo "REST vs getblockstats loop: $(echo "scale=2; $STATS_WALL / ${WALL[rest]}" | bc -l)x with --per-tx (target >= 2.5x), $(echo "scale=2; $STATS_WALL / ${WALL[restblocks]}" | bc -l)x without"
for name in rest restblocks; do
    echo "  $name: $(grep -o 'fetched via REST in [0-9.]* s' "$WORK/$name.log" | sed 's/fetched via REST in/scan/'), $(grep -o 'report written in [0-9.]* s' "$WORK/$name.log")"
done
echo
echo "Decoding the same range's REST answers, best of 5 on one thread: the bitcoin crate (blocks, spent"
echo "outputs, txids) and fee-report's zero-copy decoder (slices: the fee facts, without and with txids):"
echo "$DECODE_COST"
printf 'bitcoin crate, blocks alone / node CPU (REST run): %.2f\n' "$(echo "$DECODE_FLOOR / ${NODECPU[rest]}" | bc -l)"
for pass in "slices: fees" "slices: fees+txids"; do
    secs="$(echo "$DECODE_COST" | awk -v p="$pass" 'substr($0, 1, length(p) + 1) == p " " {print $(NF-1)}')"
    printf '%s / node CPU (REST run): %.2f\n' "$pass" "$(echo "$secs / ${NODECPU[rest]}" | bc -l)"
done
echo "fee-report CPU (REST, --per-tx) / node CPU of the getblockstats loop: $(echo "scale=2; ${CPU[rest]} / $STATS_NODECPU" | bc -l)"
echo
echo "txs.parquet of the same range with each codec (written and read back on one thread):"
echo "$PARQUET_COST"
if [ -d "$WORK/out-rest/txs" ]; then
    echo "fee-report's own txs/ dataset (REST run, zstd-1): $(cat "$WORK"/out-rest/txs/period=*/part-0.parquet | wc -c) bytes"
fi
