#!/usr/bin/env bash
# The scale curve: import, dataset build, one SVD epoch — wall time and peak RSS of each
# `marquee` command (release build) at several sizes of synthetic MovieLens-shaped data
# (Benchmarks/scale/generate.py). Sizes: SCALE_SIZES (default "1000000 5000000 20000000").
# Targets (#21): time linear in rows (the 20M run within 25x the 1M run) and peak RSS under
# 2 GiB at 20M. Needs GNU time and bc (apt: time bc).
set -euo pipefail
cd "$(dirname "$0")/../.."
sizes=${SCALE_SIZES:-1000000 5000000 20000000}
work=${SCALE_DIR:-$(mktemp -d)}
trap 'rm -rf "$work"' EXIT
swift build -c release --product marquee >&2
marquee=$(swift build -c release --show-bin-path)/marquee
export MARQUEE_USER_SALT=scale-bench
measure() {  # measure NAME COMMAND… → one JSON line: seconds and peak RSS
    local name=$1; shift
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" -q >/dev/null
    read -r seconds kilobytes <"$work/time"
    printf '{"step":"%s","seconds":%s,"peak_rss_mb":%.1f}\n' "$name" "$seconds" "$(echo "$kilobytes / 1024" | bc -l)"
}
results="$work/results.jsonl"
: >"$results"
for size in $sizes; do
    data="$work/ml-$size"
    python3 Benchmarks/scale/generate.py "$size" "$data" >&2
    store="$work/store-$size.sqlite"
    echo "== $size ratings ==" >&2
    for line in \
        "$(measure import "$marquee" import movielens "$data" --store "$store")" \
        "$(measure dataset "$marquee" dataset build ratings --store "$store" --features features --out "$work/ratings-$size.csv")" \
        "$(measure svd_epoch "$marquee" train --dataset "$work/ratings-$size.csv" --algorithm svd --param n_epochs=1 --param n_factors=50 --out "$work/m-$size.mqm")"; do
        echo "$line" >&2
        echo "{\"ratings\":$size,${line#\{}" >>"$results"
    done
    rm -rf "$data" "$store"* "$work/ratings-$size.csv" "$work/m-$size.mqm"
done
python3 - "$results" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
sizes = sorted({r["ratings"] for r in rows})
steps = ["import", "dataset", "svd_epoch"]
print(f"{'ratings':>11}  " + "  ".join(f"{s:>22}" for s in steps))
for size in sizes:
    cells = []
    for step in steps:
        r = next(r for r in rows if r["ratings"] == size and r["step"] == step)
        cells.append(f"{r['seconds']:>8.1f} s {r['peak_rss_mb']:>8.0f} MB")
    print(f"{size:>11,}  " + "  ".join(f"{c:>22}" for c in cells))
small, large = sizes[0], sizes[-1]
for step in steps:
    a = next(r for r in rows if r["ratings"] == small and r["step"] == step)
    b = next(r for r in rows if r["ratings"] == large and r["step"] == step)
    growth = b["seconds"] / max(a["seconds"], 1e-9)
    print(f"{step}: {large:,} ratings take {growth:.1f}x the time of {small:,} "
          f"(linear would be {large / small:.0f}x; target at 20M vs 1M: within 25x); "
          f"peak RSS {b['peak_rss_mb']:.0f} MB (target under 2048 MB at 20M)")
PY
