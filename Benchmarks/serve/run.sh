#!/usr/bin/env bash
# Serving benchmark: `marquee serve` (release build) under wrk on loopback — V2 infer requests of
# 1 and 100 (user, film) pairs, 2 threads, 16 connections, SECONDS each — beside onnxruntime's
# Python InferenceSession.run on the exported ONNX for the same batch sizes (in-process, no HTTP).
# Needs wrk (apt) and the test venv's onnxruntime. The model: SVD trained on MovieLens
# ml-latest-small (ML_BENCH_RATINGS), 5 epochs.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=${1:-.venv-test}
seconds=${SECONDS_EACH:-10}
ratings=${ML_BENCH_RATINGS:-${MARQUEE_SHARED:-../shared}/movielens/ml-latest-small/ratings.csv}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
[ -x "$venv/bin/python" ] || { echo "no $venv: run make setup" >&2; exit 1; }
swift build -c release --product marquee >&2
marquee=$(swift build -c release --show-bin-path)/marquee
work=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
"$marquee" train --dataset "$ratings" --algorithm svd --param n_epochs=5 --out "$work/svd.mqm" >&2
"$marquee" export "$work/svd.mqm" --target onnx --out "$work/onnx" >/dev/null
users=$(python3 -c "import json; print(json.load(open('$work/onnx/manifest.json'))['users'])")
films=$(python3 -c "import json; print(json.load(open('$work/onnx/manifest.json'))['films'])")
"$marquee" serve "$work/svd.mqm" --port 0 --name svd > "$work/serve.out" 2>/dev/null &
server=$!
for _ in $(seq 50); do grep -q serving "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n '/^serving/ s|.*127.0.0.1:\([0-9]*\)/.*|\1|p' "$work/serve.out")
url="http://127.0.0.1:$port/v2/models/svd/infer"
echo "== serving: marquee serve (HTTP, wrk -t2 -c16, ${seconds}s) vs onnxruntime InferenceSession.run (in-process) =="
printf '%-34s %6s %12s %10s %10s\n' "server" "batch" "requests/s" "p50 ms" "p99 ms"
for batch in 1 100; do
    result=$(BATCH=$batch USERS=$users FILMS=$films wrk -t2 -c16 -d"${seconds}s" -s Benchmarks/serve/infer.lua "$url" | grep RESULT)
    read -r _ rps p50 p99 errors requests <<< "$result"
    [ "$errors" = 0 ] || echo "warning: $errors non-2xx responses of $requests" >&2
    printf '%-34s %6s %12.0f %10.3f %10.3f\n' "marquee serve" "$batch" "$rps" "$p50" "$p99"
done
"$venv/bin/python" Benchmarks/serve/ort_peer.py "$work/onnx/model.onnx" "$users" "$films" "$seconds" | while read -r _ batch rps p50 p99; do
    printf '%-34s %6s %12.0f %10.3f %10.3f\n' "onnxruntime run() (no HTTP)" "$batch" "$rps" "$p50" "$p99"
done
