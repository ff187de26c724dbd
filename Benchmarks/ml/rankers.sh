#!/usr/bin/env bash
# The rankers (#22) beside the libraries a user would otherwise pick, on the very same fixed
# split of MovieLens ml-latest-small (a seeded random 80/20 written to train.csv and test.csv,
# read by both sides): Marquee's ials, bpr, itemknn and ease (`marquee evaluate --train --test`,
# release build) against implicit's ALS, BPR and CosineRecommender and Cornac's EASE, each
# with the values Marquee's defaults take (implicit's defaults but ALS's alpha, see rankers.py).
# ials and bpr are fitted with 5 seeds on both sides and compared by their mean. nDCG@10 is computed the
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
    seeds=0
    case $algorithm in ials | bpr) seeds="0 1 2 3 4" ;; esac
    for seed in $seeds; do
        "$marquee" evaluate --train "$work/train.csv" --test "$work/test.csv" --algorithm "$algorithm" -k 10 \
            --seed "$seed" --format json -q \
            | "$venv/bin/python" -c 'import json,sys; j=json.load(sys.stdin); print(json.dumps({"algorithm":j["algorithm"],"fit":j["fit_seconds"],"ndcg":j["ranking"]["ndcg"]}))' \
            >> "$work/marquee.jsonl"
    done
done
"$venv/bin/python" Benchmarks/ml/rankers.py peers "$work" 2>/dev/null > "$work/peers.jsonl"
"$venv/bin/python" - "$work/marquee.jsonl" "$work/peers.jsonl" <<'PY'
import json, statistics, sys

def runs(path):
    out = {}
    for line in open(path):
        j = json.loads(line)
        out.setdefault(j["algorithm"], []).append(j)
    return out

def summary(fits):
    ndcg = [j["ndcg"] for j in fits]
    return statistics.mean(ndcg), (statistics.stdev(ndcg) if len(ndcg) > 1 else 0.0), statistics.mean(j["fit"] for j in fits)

ours, peers = runs(sys.argv[1]), runs(sys.argv[2])
print("== rankers on a fixed 80/20 split of ml-latest-small (nDCG@10, fit seconds; ials/bpr: mean of 5 seeds ± sd) ==")
print(f"{'algorithm':10} {'Marquee':>15} {'fit s':>6}   {'peer':34} {'nDCG@10':>15} {'fit s':>6}   accuracy  speed   target")
means = {}
for name in ("popularity", "ials", "bpr", "itemknn", "ease"):
    (m, m_sd, m_fit), (p, p_sd, p_fit) = summary(ours[name]), summary(peers[name])
    means[name] = m
    accuracy = m / p
    speed = p_fit / m_fit if m_fit > 0 else float("inf")
    met = "—" if name == "popularity" else ("met" if accuracy >= 0.995 and speed >= 1 else "NOT met")
    spread = lambda mean, sd: f"{mean:.4f}" + (f" ±{sd:.4f}" if sd else "        ")
    print(f"{name:10} {spread(m, m_sd):>15} {m_fit:6.2f}   {peers[name][0]['peer']:34} {spread(p, p_sd):>15} {p_fit:6.2f}   "
          f"{accuracy:6.2f}×  {speed:5.2f}×  {met}")
best = max((n for n in means if n != "popularity"), key=lambda n: means[n])
print(f"best ranker: {best}, nDCG@10 {means[best] / means['popularity']:.2f}× popularity's "
      f"(popularity: Marquee {means['popularity']:.4f}, Python {peers['popularity'][0]['ndcg']:.4f} — the metric cross-check)")
PY
