#!/usr/bin/env bash
# Parses every real page, then the bundled non-UTF-8 pages (iconv decoders), repeatedly with all
# benchmark selectors under valgrind's memcheck; fails if any allocation is definitely lost.
set -euo pipefail
cd "$(dirname "$0")/.."
iterations=${LEAK_ITERATIONS:-2}
pages=${MARQUEE_SHARED:-../shared}/realpages
[ -d "$pages" ] || pages=fixtures
command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install valgrind)" >&2; exit 69; }
swift build -c release --package-path Benchmarks --product html-bench >&2
# Valgrind 3.19 cannot read the DWARF 5 debug info of some Swift builds: check a stripped copy.
bench=$(mktemp)
trap 'rm -f "$bench"' EXIT
objcopy --strip-debug "$(swift build -c release --package-path Benchmarks --show-bin-path)/html-bench" "$bench"
for folder in "$pages" fixtures/encodings; do
    echo "memcheck: $((iterations + 1)) passes over $folder (a few minutes for the real pages)"
    valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite \
        --error-exitcode=1 --num-callers=30 "$bench" "$folder" Benchmarks/html/selectors.txt --iterations "$iterations" 2>&1 |
        grep -E 'definitely lost|indirectly lost|ERROR SUMMARY|pages_per_second|at 0x|by 0x' | head -60
    status=${PIPESTATUS[0]}
    [ "$status" = 0 ] || exit "$status"
done
