#!/usr/bin/env bash
# Parses every real page (plus the bundled fixtures) repeatedly, running all benchmark selectors,
# under valgrind's memcheck; fails if any libxml2 or Marquee allocation is definitely lost.
set -euo pipefail
cd "$(dirname "$0")/.."
iterations=${LEAK_ITERATIONS:-2}
pages=${MARQUEE_SHARED:-../shared}/realpages
[ -d "$pages" ] || pages=fixtures
command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install valgrind)" >&2; exit 69; }
swift build -c release --package-path Benchmarks --product html-bench >&2
bench=$(swift build -c release --package-path Benchmarks --show-bin-path)/html-bench
echo "memcheck: $((iterations + 1)) passes over $pages (a few minutes)"
valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite \
    --error-exitcode=1 --num-callers=30 "$bench" "$pages" Benchmarks/html/selectors.txt --iterations "$iterations" 2>&1 |
    grep -E 'definitely lost|indirectly lost|ERROR SUMMARY|pages_per_second|at 0x|by 0x' | head -60
exit "${PIPESTATUS[0]}"
