#!/usr/bin/env bash
# Side-by-side benchmarks: Marquee against the peers a user would otherwise pick, in one run.
#   Benchmarks/run.sh [VENV_DIR]     (make bench; BENCH_SECONDS and BENCH_ROUNDS tune it)
# Needs ../shared/realpages (or $MARQUEE_SHARED/realpages); installs parsel + lxml into VENV_DIR.
# Each configuration runs BENCH_ROUNDS times, interleaved with the others; the best round counts
# (as timeit does), which keeps a noisy neighbour from deciding the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${1:-.venv-bench}
seconds=${BENCH_SECONDS:-4}
rounds=${BENCH_ROUNDS:-3}
source Benchmarks/common.sh
# The same peers built against the system's libxml2 (the one Marquee links), so the ratio can be
# read with and without the libxml2 version difference. Needs libxslt1-dev; the build takes minutes.
sysvenv=$venv-system-libxml2
if [ "${BENCH_SYSTEM_LIBXML2:-1}" = 1 ] && [ ! -x "$sysvenv/bin/python" ]; then
    if pkg-config --exists libxslt; then
        echo "building lxml from source against the system libxml2 (once) ..." >&2
        python3 -m venv "$sysvenv"
        "$sysvenv/bin/pip" install --quiet --disable-pip-version-check --no-binary lxml lxml parsel cssselect ||
            { rm -rf "$sysvenv"; echo "could not build lxml from source; skipping the -sys peers" >&2; }
    else
        echo "libxslt1-dev missing: skipping parsel/lxml on the system libxml2 (apt-get install libxslt1-dev)" >&2
    fi
fi
peers=("$venv")
[ -x "$sysvenv/bin/python" ] && peers+=("$sysvenv")
swift build -c release --package-path Benchmarks --product html-bench >&2
bench=$(swift build -c release --package-path Benchmarks --show-bin-path)/html-bench
selectors=Benchmarks/html/selectors.txt

echo "== HTML: parse + $(grep -c . $selectors) selectors over $(find "$pages" -name '*.html' | wc -l) real pages, best of $rounds × ${seconds}s =="
results=$(mktemp)
trap 'rm -f "$results"' EXIT
python_bench() { "$1/bin/python" Benchmarks/html/bench_python.py "$pages" $selectors --seconds "$seconds" "${@:2}" >>"$results"; }
for round in $(seq "$rounds"); do
    for workers in 1 2; do
        "$bench" "$pages" $selectors --seconds "$seconds" --threads "$workers" >>"$results"
        for peer in "${peers[@]}"; do python_bench "$peer" --tool parsel --workers "$workers"; done
    done
    for peer in "${peers[@]}"; do python_bench "$peer" --tool lxml; done
done
"$venv/bin/python" Benchmarks/report.py "$results"
