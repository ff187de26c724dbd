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
            --param rating_min=0.5 --param rating_max=5 --format json \
            | "$venv/bin/python" -c 'import json,sys; j=json.load(sys.stdin); print(json.dumps({"tool":"marquee","algorithm":j["algorithm"],"rmse":j["rmse"]["per_fold"],"mae":j["mae"]["per_fold"],"wall":j["wall_seconds"]}))' >> "$out"
        "$venv/bin/python" Benchmarks/ml/surprise_cv.py "$ratings" "$algorithm" 5 0 0.5 5 \
            | "$venv/bin/python" -c 'import json,sys; j=json.load(sys.stdin); j["tool"]="surprise"; print(json.dumps(j))' >> "$out"
    done
done
"$venv/bin/python" Benchmarks/ml/report.py "$out"
