#!/usr/bin/env bash
# Full `marquee parse` of every real page against the same specs run by parsel/lxml.
#   Benchmarks/parse/run.sh [VENV_DIR]      (make bench-parse; BENCH_SECONDS, BENCH_ROUNDS)
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=${1:-.venv-bench}
seconds=${BENCH_SECONDS:-6}
rounds=${BENCH_ROUNDS:-3}
source Benchmarks/common.sh
swift build -c release --package-path Benchmarks --product parse-bench >&2
bench=$(swift build -c release --package-path Benchmarks --show-bin-path)/parse-bench
# parsel on lxml built against the system libxml2 (Marquee's), when Benchmarks/run.sh made it.
sysvenv=$venv-system-libxml2
echo "== parse: every real page, all fields of its page kind, best of $rounds × ${seconds}s =="
best_m=0; best_p=0; best_s=0
for round in $(seq "$rounds"); do
    m=$("$bench" scrapers "$pages" "$seconds"); echo "  $m"
    p=$("$venv/bin/python" Benchmarks/parse/parse_peer.py scrapers "$pages" "$seconds"); echo "  $p (libxml2 bundled)"
    best_m=$(python3 -c "print(max($best_m, float('$m'.split()[3])))")
    best_p=$(python3 -c "print(max($best_p, float('$p'.split()[3])))")
    if [ -x "$sysvenv/bin/python" ]; then
        s=$("$sysvenv/bin/python" Benchmarks/parse/parse_peer.py scrapers "$pages" "$seconds"); echo "  $s (system libxml2)"
        best_s=$(python3 -c "print(max($best_s, float('$s'.split()[3])))")
    fi
done
python3 -c "print(f'marquee {$best_m:.1f} pages/s, parsel {$best_p:.1f} pages/s: {$best_m/$best_p:.2f}x')"
[ "$best_s" != 0 ] && python3 -c "print(f'marquee {$best_m:.1f} pages/s, parsel on the system libxml2 {$best_s:.1f} pages/s: {$best_m/$best_s:.2f}x')"
exit 0
