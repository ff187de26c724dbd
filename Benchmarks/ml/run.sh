#!/usr/bin/env bash
# Training benchmark, side by side in one run: 5-fold cross-validation on MovieLens
# ml-latest-small, Marquee (`marquee evaluate`, release build) vs Surprise (pip
# scikit-surprise) with identical parameters, folds (KFold random_state=SEED) and seeds.
# Prints RMSE/MAE of both and the time ratio per algorithm. Times cover the CV (split, fit,
# predict) and exclude loading the CSV on both sides; Marquee's ranking metrics are skipped
# (-k 0) because Surprise computes none. ROUNDS (default 3) repeats each side; best is kept.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=${1:-.venv-bench}
ratings=${ML_BENCH_RATINGS:-${MARQUEE_SHARED:-../shared}/movielens/ml-latest-small/ratings.csv}
algorithms=${ML_BENCH_ALGORITHMS:-svd baseline svdpp}
rounds=${ROUNDS:-3}
[ -f "$ratings" ] || { echo "no ratings at $ratings (set ML_BENCH_RATINGS)" >&2; exit 1; }
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c "import surprise, pandas" 2>/dev/null || "$venv/bin/pip" install -q scikit-surprise pandas
swift build -c release --product marquee >&2
marquee=$(swift build -c release --show-bin-path)/marquee
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for algorithm in $algorithms; do
    for round in $(seq "$rounds"); do
        "$marquee" evaluate --dataset "$ratings" --algorithm "$algorithm" --cv 5 --seed 0 -k 0 \
            --param rating_min=0.5 --param rating_max=5 --format json -q \
            | "$venv/bin/python" -c 'import json,sys; j=json.load(sys.stdin); print(json.dumps({"tool":"marquee","algorithm":j["algorithm"],"rmse":j["rmse"]["per_fold"],"mae":j["mae"]["per_fold"],"wall":j["wall_seconds"]}))' >> "$out"
        "$venv/bin/python" Benchmarks/ml/surprise_cv.py "$ratings" "$algorithm" 5 0 0.5 5 \
            | "$venv/bin/python" -c 'import json,sys; j=json.load(sys.stdin); j["tool"]="surprise"; print(json.dumps(j))' >> "$out"
    done
done
"$venv/bin/python" Benchmarks/ml/report.py "$out"

# The whole command as a user runs it (#21): `marquee evaluate --dataset ratings` from a store —
# process start, the point-in-time dataset build, 5-fold SVD — against Surprise's whole script
# (interpreter, imports, reading the CSV with pandas, cross_validate's loop). Best of ROUNDS.
movielens=$(dirname "$ratings")
store=$(mktemp -d)/store.sqlite
"$marquee" import movielens "$movielens" --store "$store" -q >/dev/null
best_m=999999; best_s=999999
for round in $(seq "$rounds"); do
    t0=$(date +%s.%N)
    "$marquee" evaluate --dataset ratings --store "$store" --features features --algorithm svd --cv 5 --seed 0 -k 0 -q >/dev/null
    t1=$(date +%s.%N)
    "$venv/bin/python" Benchmarks/ml/surprise_cv.py "$ratings" svd 5 0 0.5 5 >/dev/null
    t2=$(date +%s.%N)
    best_m=$(echo "m=$t1-$t0; if (m < $best_m) m else $best_m" | bc -l)
    best_s=$(echo "s=$t2-$t1; if (s < $best_s) s else $best_s" | bc -l)
done
rm -rf "$(dirname "$store")"
ratio=$(echo "$best_s / $best_m" | bc -l)
met=$(echo "$ratio >= 10" | bc -l | sed 's/1/met/; s/0/NOT met/')
printf 'whole command, svd --cv 5: marquee evaluate --dataset ratings (from the store) %.2f s, Surprise script (CSV load included) %.2f s → %.1f× faster (target ≥ 10×: %s)\n' \
    "$best_m" "$best_s" "$ratio" "$met"
