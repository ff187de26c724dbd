#!/usr/bin/env bash
# Runs every libFuzzer harness of Fuzz/ for SECONDS seconds each (default 60), seeded from the
# repository's fixtures, and fails on any crash, leak or timeout. Crashing inputs are kept in
# out/fuzz/crashes/; turn each into a regression test with its input under fixtures/fuzz/.
#   make fuzz SECONDS=20
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${SECONDS_PER_HARNESS:-60}"
harnesses=(html json normalise robots warc spec pipeline model csv)
flags=(-c release --package-path Fuzz --scratch-path Fuzz/.build
    -Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=fuzzer-no-link,address)
if ! swift build "${flags[@]}" >&2; then
    # SwiftPM keeps its build plan when files of the main package move ("missing inputs"): plan again once.
    rm -f Fuzz/.build/release.yaml Fuzz/.build/build.db
    swift build "${flags[@]}" >&2
fi
bin="$(swift build "${flags[@]}" --show-bin-path)"
# One-time initialisers (a global Regex, libxml2's tables) are kept for the process's life and
# reported as leaks at exit; what a single input leaks is still caught.
export LSAN_OPTIONS="suppressions=$PWD/Fuzz/lsan.supp:print_suppressions=0"
work=out/fuzz
mkdir -p "$work/crashes"

seed() { # harness → corpus folder with seeds
    local name=$1 corpus="$work/corpus/$1"
    mkdir -p "$corpus"
    case "$name" in
        html) find fixtures -name '*.html' -size -200k -exec cp {} "$corpus/" \; ;;
        json) find fixtures -name '*.json' -size -100k -exec cp {} "$corpus/" \;
              find fixtures -name '*.expected.jsonl' | head -40 | while read -r f; do cp "$f" "$corpus/$(basename "$f").json"; done ;;
        normalise) i=0; for text in "2h 22m" "PT142M" "142 min" "23 September 1994" "1994-09" "\$12.5 million" "1,2 Mio. €" \
                "★★★½" "8.7/10" "91%" "1,956,171" "Sam & Cat (2013)" "tt0133093" "Science Fiction|Drama"; do
                printf '%s' "$text" > "$corpus/seed-$i"; i=$((i + 1)); done ;;
        robots) printf 'User-agent: *\nDisallow: /secret\nAllow: /secret/ok$\nCrawl-delay: 2\n\nUser-agent: marquee\nDisallow: /*.json$\n' > "$corpus/seed" ;;
        warc) printf 'WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: https://a.example/\r\nWARC-Date: 2026-11-20T12:00:00Z\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: 60\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><p>hi</p></html>\r\n\r\n' > "$corpus/seed" ;;
        spec) cp scrapers/*.toml "$corpus/" ;;
        pipeline) # first byte picks the loader: 0 pipeline, 1 feature view, 2 dataset
            for f in pipelines/*.toml fixtures/pipelines/*.toml; do { printf '\x00'; cat "$f"; } > "$corpus/p-$(basename "$f")"; done
            for f in features/*.toml; do { printf '\x01'; cat "$f"; } > "$corpus/v-$(basename "$f")"; done
            for f in features/datasets/*.toml; do { printf '\x02'; cat "$f"; } > "$corpus/d-$(basename "$f")"; done ;;
        model) .build/debug/marquee train --dataset fixtures/movielens-mini/ratings.csv --algorithm svd \
                   --param n_factors=2 --out "$corpus/seed.mqm" >/dev/null 2>&1 || true ;;
        csv) cp fixtures/movielens-mini/*.csv "$corpus/" ;;
    esac
    echo "$corpus"
}

failed=0
for name in "${harnesses[@]}"; do
    corpus=$(seed "$name")
    log="$work/$name.log"
    if "$bin/fuzz-$name" "$corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=65536 \
        -artifact_prefix="$work/crashes/$name-" -print_final_stats=1 >"$log" 2>&1; then
        runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
        echo "fuzz-$name: ok, $runs executions in ${seconds} s"
    else
        echo "fuzz-$name: FAILED (see $log; inputs in $work/crashes/)"
        grep -m5 -E 'ERROR|panic|Fatal error|SUMMARY' "$log" || true
        failed=1
    fi
done
exit $failed
