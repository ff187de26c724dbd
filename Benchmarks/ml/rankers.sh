#!/usr/bin/env bash
# The rankers (#22) beside the libraries a user would otherwise pick, on the very same fixed
# split of MovieLens ml-latest-small (a seeded random 80/20 written to train.csv and test.csv,
# read by both sides): Marquee's ials, bpr, itemknn and ease (`marquee evaluate --train --test`,
# release build) against implicit's ALS, BPR and CosineRecommender and Cornac's EASE, each
# with its library's defaults (the same values Marquee's defaults take). nDCG@10 is computed the
# same way on both sides (the peers' by Benchmarks/ml/rankers.py, cross-checked on popularity);
# fit seconds exclude loading. Target (#22): accuracy at least the peer's, fit at least as fast.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=${1:-.venv-bench}
ratings=${ML_BENCH_RATINGS:-${MARQUEE_SHARED:-../shared}/movielens/ml-latest-small/ratings.csv}
[ -f "$ratings" ] || { echo "no ratings at $ratings (set ML_BENCH_RATINGS)" >&2; exit 1; }
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c "import implicit, cornac, scipy" 2>/dev/null || "$venv/bin/pip" install -q implicit cornac scipy
swift build -c release --product marquee >&2
marquee=$(swift build -c release --show-bin-path)/marquee
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$venv/bin/python" Benchmarks/ml/rankers.py split "$ratings" "$work" 0
for algorithm in popularity ials bpr itemknn ease; do
    "$marquee" evaluate --train "$work/train.csv" --test "$work/test.csv" --algorithm "$algorithm" -k 10 \
        --format json -q \
        | "$venv/bin/python" -c 'import json,sys; j=json.load(sys.stdin); print(json.dumps({"algorithm":j["algorithm"],"fit":j["fit_seconds"],"ndcg":j["ranking"]["ndcg"]}))' \
        >> "$work/marquee.jsonl"
done
"$venv/bin/python" Benchmarks/ml/rankers.py peers "$work" 2>/dev/null > "$work/peers.jsonl"
"$venv/bin/python" - "$work/marquee.jsonl" "$work/peers.jsonl" <<'PY'
import json, sys
ours = {j["algorithm"]: j for j in map(json.loads, open(sys.argv[1]))}
peers = {j["algorithm"]: j for j in map(json.loads, open(sys.argv[2]))}
print("== rankers on a fixed 80/20 split of ml-latest-small (nDCG@10, fit seconds) ==")
print(f"{'algorithm':10} {'Marquee':>8} {'fit s':>7}   {'peer':34} {'nDCG@10':>8} {'fit s':>7}   accuracy  speed   target")
for name in ("popularity", "ials", "bpr", "itemknn", "ease"):
    m, p = ours[name], peers[name]
    accuracy = m["ndcg"] / p["ndcg"]
    speed = p["fit"] / m["fit"] if m["fit"] > 0 else float("inf")
    met = "—" if name == "popularity" else ("met" if accuracy >= 0.995 and speed >= 1 else "NOT met")
    print(f"{name:10} {m['ndcg']:8.4f} {m['fit']:7.2f}   {p['peer']:34} {p['ndcg']:8.4f} {p['fit']:7.2f}   "
          f"{accuracy:6.2f}×  {speed:5.2f}×  {met}")
best = max((n for n in ours if n != "popularity"), key=lambda n: ours[n]["ndcg"])
print(f"best ranker: {best}, nDCG@10 {ours[best]['ndcg'] / ours['popularity']['ndcg']:.2f}× popularity's "
      f"(popularity: Marquee {ours['popularity']['ndcg']:.4f}, Python {peers['popularity']['ndcg']:.4f} — the metric cross-check)")
PY
