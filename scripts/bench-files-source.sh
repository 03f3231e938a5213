#!/usr/bin/env bash
# fee-report from the node's own files against the REST source, in one run, printed as a table:
#   - the simulator's `mainnet` preset (100 full ~1 MvB blocks): `--source rest --per-tx` with
#     the node running, then `--source files --per-tx` with the node stopped (and once more with
#     it running, to show the cross-check costs the node nothing); wall time, fee-report's CPU,
#     the node's CPU, peak memory, and the per-byte and per-transaction rates of the files run;
#   - peak memory of `--source files --per-tx` over the 1,000-block chain (`regtest-sim --preset
#     mainnet --blocks 1000 --block-max-weight 400000 --cache`, about 30 minutes the first time);
#   - the extrapolation of the measured rates to the whole mainnet chain (sizes in the script,
#     with their source), for docs/BENCHMARKS.md.
#
#   scripts/bench-files-source.sh [--jobs N]
#
# Both source runs start from an empty output folder (no cache) on a warm page cache (a warm-up
# run reads every file first): the comparison is of the sources, not of the disk.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
JOBS=""
while [ $# -gt 0 ]; do
    case "$1" in
        --jobs) JOBS="$2"; shift 2 ;;
        -h | --help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench-files-source.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
[ -x /usr/bin/time ] || { echo "bench-files-source.sh: needs GNU time (apt-get install time)" >&2; exit 1; }
command -v bc >/dev/null || { echo "bench-files-source.sh: needs bc (apt-get install bc)" >&2; exit 1; }

scripts/install-node.sh >/dev/null
cargo build --release -q -p btcaddr-cli --bin fee-report
cargo build --release -q -p btcaddr-tests --bin regtest-sim
target/release/regtest-sim --preset mainnet --cache >/dev/null
target/release/regtest-sim --preset mainnet --blocks 1000 --block-max-weight 400000 --cache >/dev/null

WORK="$(mktemp -d "${TMPDIR:-/tmp}/bench-files-source.XXXXXX")"
NODE_PID=""
stop_node() {
    if [ -n "$NODE_PID" ]; then
        "${CLI[@]}" stop >/dev/null 2>&1 || kill "$NODE_PID" 2>/dev/null || true
        wait "$NODE_PID" 2>/dev/null || true
        NODE_PID=""
    fi
}
cleanup() { stop_node; rm -rf "$WORK"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# start_node: a node on $WORK/datadir (copied once by use_chain); sets PORT, NODE_PID, CLI.
start_node() {
    rm -f "$WORK/datadir/regtest/.cookie" "$WORK/datadir/regtest/.lock"
    PORT="$(free_port)"
    .cache/node/bin/bitcoind -regtest -datadir="$WORK/datadir" -rpcport="$PORT" -port="$(free_port)" \
        -listen=0 -server=1 -rest=1 -printtoconsole=0 -rpcthreads=16 -dnsseed=0 -fixedseeds=0 &
    NODE_PID=$!
    CLI=(.cache/node/bin/bitcoin-cli -regtest -datadir="$WORK/datadir" -rpcport="$PORT")
    for _ in $(seq 600); do "${CLI[@]}" getblockcount >/dev/null 2>&1 && break; sleep 0.1; done
    for _ in $(seq 1200); do
        [ "$("${CLI[@]}" getmempoolinfo | python3 -c 'import json,sys; print(json.load(sys.stdin).get("loaded", True))')" = True ] && break
        sleep 0.25
    done
}
# use_chain NAME: a fresh copy of .cache/chains/NAME; sets TIP (from the manifest's config).
use_chain() {
    stop_node
    rm -rf "$WORK/datadir"
    cp -a "$ROOT/.cache/chains/$1/datadir" "$WORK/datadir"
    start_node
    TIP="$("${CLI[@]}" getblockcount)"
}
node_cpu() {
    if [ -n "$NODE_PID" ]; then awk '{print $14 + $15}' "/proc/$NODE_PID/stat"; else echo 0; fi
}
TICKS="$(getconf CLK_TCK)"

declare -A WALL CPU RSS NODECPU
# run NAME ARGS...: fee-report into a fresh folder; wall, user+sys CPU, peak RSS, node CPU.
run() {
    local name="$1"; shift
    local before after
    rm -rf "$WORK/out-$name"
    before="$(node_cpu)"
    /usr/bin/time -f "%e %U %S %M" -o "$WORK/$name.time" target/release/fee-report \
        --regtest --rpcport "${PORT}" --datadir "$WORK/datadir" --quiet ${JOBS:+--jobs "$JOBS"} \
        --out "$WORK/out-$name" "$@" >/dev/null 2>"$WORK/$name.log" || { cat "$WORK/$name.log" >&2; exit 1; }
    after="$(node_cpu)"
    read -r wall user sys rss <"$WORK/$name.time"
    WALL[$name]="$wall"
    CPU[$name]="$(echo "$user + $sys" | bc -l)"
    RSS[$name]="$((rss / 1024))"
    NODECPU[$name]="$(echo "($after - $before) / $TICKS" | bc -l)"
}

use_chain mainnet
FROM=$((TIP - 99))
RANGE=(--from "$FROM" --to "$TIP")
run warmup "${RANGE[@]}" --source rest
run warmfiles "${RANGE[@]}" --source files
run rest "${RANGE[@]}" --source rest --per-tx
run filesup "${RANGE[@]}" --source files --per-tx
stop_node
run files "${RANGE[@]}" --source files --per-tx
read -r BYTES TXS < <(python3 - "$WORK/out-files/blocks.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
print(sum(int(r["size"]) for r in rows), sum(int(r["fee_txs"]) for r in rows))
PY
)
cmp -s "$WORK/out-rest/blocks.csv" "$WORK/out-files/blocks.csv" || { echo "bench-files-source.sh: blocks.csv differs between rest and files" >&2; exit 1; }

use_chain mainnet-blocks1000-weight400000
stop_node
run long --from "$((TIP - 999))" --to "$TIP" --source files --per-tx
read -r LONG_BYTES LONG_TXS < <(python3 - "$WORK/out-long/blocks.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
print(sum(int(r["size"]) for r in rows), sum(int(r["fee_txs"]) for r in rows))
PY
)

ratio() { echo "scale=2; $1 / $2" | bc -l; }
printf '\nfee-report --per-tx, mainnet preset (%d blocks, %d transactions, %s MB of blocks), jobs %s\n' \
    100 "$TXS" "$(echo "scale=1; $BYTES / 1000000" | bc -l)" "${JOBS:-default}"
printf '%-44s %9s %12s %11s %9s\n' "run" "wall s" "own CPU s" "node CPU s" "peak MB"
for name in rest filesup files; do
    case $name in
        rest) label="--source rest, node running" ;;
        filesup) label="--source files, node running (cross-check)" ;;
        files) label="--source files, node stopped" ;;
    esac
    printf '%-44s %9.2f %12.2f %11.2f %9d\n' "$label" "${WALL[$name]}" "${CPU[$name]}" "${NODECPU[$name]}" "${RSS[$name]}"
done
printf 'wall, rest / files (node stopped): %sx\n' "$(ratio "${WALL[rest]}" "${WALL[files]}")"
printf 'files run: %.1f MB/s of blocks, %.0f tx/s (wall); %.2f µs CPU per transaction, %.2f ns CPU per block byte\n' \
    "$(echo "$BYTES / 1000000 / ${WALL[files]}" | bc -l)" "$(echo "$TXS / ${WALL[files]}" | bc -l)" \
    "$(echo "${CPU[files]} * 1000000 / $TXS" | bc -l)" "$(echo "${CPU[files]} * 1000000000 / $BYTES" | bc -l)"
printf '\n1,000-block chain (%d transactions, %s MB of blocks), --source files --per-tx, node stopped:\n' \
    "$LONG_TXS" "$(echo "scale=1; $LONG_BYTES / 1000000" | bc -l)"
printf '  wall %.2f s, own CPU %.2f s, peak memory %d MB (bound: 150 MB)\n' "${WALL[long]}" "${CPU[long]}" "${RSS[long]}"

# The whole mainnet chain at the measured rates. Its size: 692.65 GB of blocks in October 2025
# (CoinLedger, "Bitcoin Blockchain Size And Growth Over Time", from blockchain.com's chart). Its
# transactions: over 900 million by 2023 (bitesizebitcoin.org, "How many bitcoin transactions
# have occurred?") plus about 500,000 a day since (Bloomberg's 2025 figure, via marketcheese.com)
# for about 2.5 years: about 1.35 billion by the end of 2025, an estimate. The rates measured per
# transaction and per block byte bound the time from both sides.
CHAIN_BYTES=692650000000
CHAIN_TXS=1350000000
CORES="$(nproc)"
printf '\nwhole mainnet chain (%s GB, %s M transactions) at this run'"'"'s rates, %s cores:\n' \
    "$((CHAIN_BYTES / 1000000000))" "$((CHAIN_TXS / 1000000))" "$CORES"
printf '  by transactions: %.1f h wall; by bytes: %.1f h wall\n' \
    "$(echo "$CHAIN_TXS / ($TXS / ${WALL[files]}) / 3600" | bc -l)" \
    "$(echo "$CHAIN_BYTES / ($BYTES / ${WALL[files]}) / 3600" | bc -l)"
