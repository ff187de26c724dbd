#!/usr/bin/env bash
# Feature-store benchmarks, side by side in one run:
#  (a) ingest rows/s: FeatureStore.ingest vs a raw SQLite C-API loop on the same table;
#  (b) point-in-time dataset build: Marquee (SQLite) vs DuckDB's ASOF join on the same data.
# Sizes: STORE_BENCH_INGEST (1,000,000), STORE_BENCH_ROWS (1,000,000), STORE_BENCH_OBSERVATIONS
# (10,000,000), STORE_BENCH_FILMS (100,000). Needs a C compiler and pip's duckdb (installed into VENV).
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=${1:-.venv-bench}
ingest=${STORE_BENCH_INGEST:-1000000}
rows=${STORE_BENCH_ROWS:-1000000}
observations=${STORE_BENCH_OBSERVATIONS:-10000000}
films=${STORE_BENCH_FILMS:-100000}
work=${STORE_BENCH_DIR:-$(mktemp -d)}
trap 'rm -rf "$work"' EXIT
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c "import duckdb" 2>/dev/null || "$venv/bin/pip" install -q duckdb
swift build -c release --package-path Benchmarks --product store-bench >&2
bench=$(swift build -c release --package-path Benchmarks --show-bin-path)/store-bench
cc -O2 -o "$work/raw_insert" Benchmarks/store/raw_insert.c -lsqlite3

echo "== Store (a): ingest $ingest observations, one transaction per 100k =="
m=$("$bench" ingest "$ingest" "$work/ingest.sqlite")
c=$("$work/raw_insert" "$ingest" "$work/raw.sqlite")
echo "$m"; echo "$c"
"$venv/bin/python" Benchmarks/store/pit_peer.py report-ingest "$m" "$c"

echo "== Store (b): point-in-time join, $rows rows over $observations observations of $films films =="
"$venv/bin/python" Benchmarks/store/pit_peer.py generate "$work" "$rows" "$observations" "$films"
m=$("$bench" pit "$work" "$work/pit.sqlite")
d=$("$venv/bin/python" Benchmarks/store/pit_peer.py duckdb "$work")
echo "$m"; echo "$d"
"$venv/bin/python" Benchmarks/store/pit_peer.py compare "$work"
"$venv/bin/python" Benchmarks/store/pit_peer.py report-pit "$m" "$d"
