#!/usr/bin/env bash
# `scrape --replay` against `reparse` of the same pages (#21: extraction on all cores in both):
# the demo's 76 recorded IMDb title pages (fixtures/demo/imdb), scraped from a fresh frontier
# with --max-depth 0 into JSON Lines, then reparsed from that frontier into JSON Lines.
# Pages per second of each (release build), best of ROUNDS (default 5), and their ratio.
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${ROUNDS:-5}
swift build -c release --product marquee >&2
marquee=$(swift build -c release --show-bin-path)/marquee
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mapfile -t starts < <(python3 -c 'import tomllib; s = tomllib.load(open("pipelines/demo.toml", "rb"))["scrape"]; print("\n".join(u for x in s if x["site"] == "imdb" for u in x["start"]))')
args=()
for url in "${starts[@]}"; do args+=(--start "$url"); done
best_scrape=0; best_reparse=0
for round in $(seq "$rounds"); do
    rm -rf "$work/f.sqlite"* "$work/pages"
    t0=$(date +%s.%N)
    "$marquee" scrape imdb --replay fixtures/demo/imdb "${args[@]}" --max-depth 0 --frontier "$work/f.sqlite" \
        --pages "$work/pages" --out "$work/scrape.jsonl" -q >/dev/null
    t1=$(date +%s.%N)
    "$marquee" reparse --frontier "$work/f.sqlite" --pages "$work/pages" --out "$work/reparse.jsonl" -q >/dev/null
    t2=$(date +%s.%N)
    best_scrape=$(echo "r=${#starts[@]}/($t1-$t0); if (r > $best_scrape) r else $best_scrape" | bc -l)
    best_reparse=$(echo "r=${#starts[@]}/($t2-$t1); if (r > $best_reparse) r else $best_reparse" | bc -l)
done
cmp -s <(sort "$work/scrape.jsonl") <(sort "$work/reparse.jsonl") && same=identical || same=DIFFERENT
printf 'scrape --replay %.0f pages/s, reparse %.0f pages/s → scrape at %.2f× reparse (target: equal); %d pages, %d cores, records %s\n' \
    "$best_scrape" "$best_reparse" "$(echo "$best_scrape / $best_reparse" | bc -l)" "${#starts[@]}" "$(nproc)" "$same"
