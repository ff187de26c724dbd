#!/usr/bin/env bash
# Full `marquee parse` of every real page against the same specs run by parsel/lxml.
#   Benchmarks/parse/run.sh [VENV_DIR]      (make bench-parse; BENCH_SECONDS, BENCH_ROUNDS, BENCH_JOBS)
# Each round runs, one after another: Marquee on one thread, Marquee on BENCH_JOBS threads
# (ScraperSet.extractAll, as `marquee reparse` runs), the parsel script as written (one process),
# the parsel script on a pool of BENCH_JOBS processes, and parsel on the system libxml2 when
# Benchmarks/run.sh built that venv. Best of the rounds; the ratios are printed at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=${1:-.venv-bench}
seconds=${BENCH_SECONDS:-6}
rounds=${BENCH_ROUNDS:-3}
jobs=${BENCH_JOBS:-$(nproc)}
source Benchmarks/common.sh
swift build -c release --package-path Benchmarks --product parse-bench >&2
bench=$(swift build -c release --package-path Benchmarks --show-bin-path)/parse-bench
sysvenv=$venv-system-libxml2
peer=Benchmarks/parse/parse_peer.py
echo "== parse: every real page, all fields of its page kind, best of $rounds × ${seconds}s, $jobs cores =="
declare -A best=([m1]=0 [mn]=0 [p1]=0 [pn]=0 [s1]=0)
keep() { best[$1]=$(python3 -c "print(max(${best[$1]}, float('$2'.split()[3])))"); }
for round in $(seq "$rounds"); do
    r=$(JOBS=1 "$bench" scrapers "$pages" "$seconds"); echo "  $r"; keep m1 "$r"
    r=$(JOBS=$jobs "$bench" scrapers "$pages" "$seconds"); echo "  $r"; keep mn "$r"
    r=$("$venv/bin/python" "$peer" scrapers "$pages" "$seconds"); echo "  $r (libxml2 bundled)"; keep p1 "$r"
    r=$(PROCESSES=$jobs "$venv/bin/python" "$peer" scrapers "$pages" "$seconds"); echo "  $r"; keep pn "$r"
    if [ -x "$sysvenv/bin/python" ]; then
        r=$("$sysvenv/bin/python" "$peer" scrapers "$pages" "$seconds"); echo "  $r (system libxml2)"; keep s1 "$r"
    fi
done
python3 - "${best[m1]}" "${best[mn]}" "${best[p1]}" "${best[pn]}" "${best[s1]}" "$jobs" <<'PY'
import sys
m1, mn, p1, pn, s1 = map(float, sys.argv[1:6]); jobs = sys.argv[6]
print(f"one core:   marquee {m1:.1f} pages/s, parsel {p1:.1f} pages/s: {m1 / p1:.2f}x")
if s1:
    print(f"one core:   marquee {m1:.1f} pages/s, parsel on the system libxml2 {s1:.1f} pages/s: {m1 / s1:.2f}x")
print(f"{jobs} cores:    marquee {mn:.1f} pages/s (one process), parsel script as written {p1:.1f} pages/s: {mn / p1:.2f}x")
print(f"{jobs} cores:    marquee {mn:.1f} pages/s, parsel on a pool of {jobs} processes {pn:.1f} pages/s: {mn / pn:.2f}x")
PY
exit 0
