#!/usr/bin/env bash
# `dataset build ratings` on MovieLens ml-latest-small, side by side in one run (#21): the whole
# `marquee dataset build ratings` command (process start, store open, point-in-time join, CSV
# written and hashed, version recorded) against DuckDB's ASOF JOIN of the same rows and facts read
# out of the same store, ordered and written with COPY TO (Benchmarks/dataset/ratings_peer.py;
# DuckDB's load is timed apart and not counted). Both files are then compared value by value.
# Best of ROUNDS (default 5). Needs pip's duckdb and pandas (installed into VENV).
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=${1:-.venv-bench}
rounds=${ROUNDS:-5}
movielens=${MARQUEE_SHARED:-../shared}/movielens/ml-latest-small
[ -f "$movielens/ratings.csv" ] || { echo "no MovieLens at $movielens (set MARQUEE_SHARED)" >&2; exit 1; }
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c "import duckdb, pandas" 2>/dev/null || "$venv/bin/pip" install -q duckdb pandas
swift build -c release --product marquee >&2
marquee=$(swift build -c release --show-bin-path)/marquee
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$marquee" import movielens "$movielens" --store "$work/store.sqlite" -q >/dev/null
results=$work/results.jsonl
for round in $(seq "$rounds"); do
    t0=$(date +%s.%N)
    "$marquee" dataset build ratings --store "$work/store.sqlite" --features features --out "$work/marquee.csv" -q >/dev/null
    t1=$(date +%s.%N)
    echo "{\"tool\": \"marquee\", \"join_seconds\": $(printf %.6f "$(echo "$t1 - $t0" | bc -l)")}" >> "$results"
    "$venv/bin/python" Benchmarks/dataset/ratings_peer.py "$work/store.sqlite" "$work/duckdb.csv" >> "$results"
done
"$venv/bin/python" - "$results" "$work/marquee.csv" "$work/duckdb.csv" <<'PY'
import csv, json, sys
best = {}
for line in open(sys.argv[1]):
    row = json.loads(line)
    if row["tool"] not in best or row["join_seconds"] < best[row["tool"]]["join_seconds"]:
        best[row["tool"]] = row
m, d = best["marquee"]["join_seconds"], best["duckdb"]["join_seconds"]
same = list(csv.reader(open(sys.argv[2]))) == list(csv.reader(open(sys.argv[3])))
print(f"dataset build ratings (ml-latest-small, {best['duckdb']['rows']:,} rows): Marquee whole command {m:.3f} s, "
      f"DuckDB {best['duckdb']['version']} join + write {d:.3f} s (load {best['duckdb']['load_seconds']:.2f} s not counted) "
      f"→ {m / d:.2f}× DuckDB's time (target ≤ 2× and under 0.3 s: {'met' if m <= 2 * d and m < 0.3 else 'NOT met'}); "
      f"values {'identical' if same else 'DIFFERENT'}")
sys.exit(0 if same else 1)
PY
