"""Prints Marquee vs Surprise per algorithm: mean RMSE/MAE, the largest per-fold difference, the
best CV time of each, and the time ratio."""
import json
import os
import platform
import sys
from statistics import mean

best = {}
for line in open(sys.argv[1]):
    row = json.loads(line)
    key = (row["algorithm"], row["tool"])
    if key not in best or row["wall"] < best[key]["wall"]:
        best[key] = row

print(f"{'algorithm':<10}{'tool':<10}{'RMSE':>8}{'MAE':>8}{'max |Δ fold RMSE|':>19}{'CV seconds':>12}{'speed-up':>10}")
for algorithm in dict.fromkeys(a for a, _ in best):
    ours, theirs = best.get((algorithm, "marquee")), best.get((algorithm, "surprise"))
    delta = max(abs(a - b) for a, b in zip(ours["rmse"], theirs["rmse"])) if ours and theirs else float("nan")
    for row in (ours, theirs):
        if not row:
            continue
        ratio = f"{theirs['wall'] / ours['wall']:.1f}×" if row is ours and theirs else ""
        print(f"{algorithm:<10}{row['tool']:<10}{mean(row['rmse']):>8.4f}{mean(row['mae']):>8.4f}"
              f"{delta if row is ours else float('nan'):>19.2e}{row['wall']:>12.2f}{ratio:>10}")
try:
    import surprise
    print(f"Surprise {surprise.__version__}, Python {platform.python_version()}, {os.cpu_count()} cores")
except ImportError:
    pass
