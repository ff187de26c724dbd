#!/usr/bin/env bash
# The main job while the pipeline is being built, offline: extraction and normalisation on a
# bundled page, the feature store on a bundled MovieLens-shaped folder, then training,
# evaluation and recommendation on the dataset built from it, and an ONNX export checked by
# onnxruntime (make setup installs it into .venv-test).
set -euo pipefail
marquee=${1:-.build/debug/marquee}
page=fixtures/demo/film.html
step() {
    printf '\n\033[1m$ marquee'
    for arg in "$@"; do
        if [[ $arg =~ [^A-Za-z0-9_./:=@%+-] ]]; then printf " '%s'" "${arg//\'/\'\\\'\'}"; else printf ' %s' "$arg"; fi
    done
    printf '\033[0m\n'
    "$marquee" "$@"
}

echo "Marquee demo: extracting a film page saved in $page (no network)."
step select "$page" --css 'h1.headline-1 ::text'
step select "$page" --css 'ul.genres a::text' --all --json
step select "$page" --css 'a.micro-button::attr(href)' --all
step select "$page" --xpath "string(//span[@class='average-rating']/a/@data-original-title)"
step select "$page" --jsonld
echo
echo "Try a bad query (exit status 64):"
step select "$page" --css 'h1:hover' || echo "exit status $?"

echo
echo "Normalise what the page shows into typed values:"
step normalise duration "$("$marquee" select "$page" --css 'p.text-footer' --text)"
step normalise rating "3.82 out of 5"
step select "$page" --css 'span.average-rating a::attr(data-original-title)' --re 'based on (?<extract>[\d,]+)'
step normalise count "$("$marquee" select "$page" --css 'span.average-rating a::attr(data-original-title)' --re 'based on (?<extract>[\d,]+)')"
step normalise genres "$("$marquee" select "$page" --css 'ul.genres a::text' --all | paste -sd,)"
step normalise title "$("$marquee" select "$page" --css 'title' --text)"
step normalise imdb_id "$("$marquee" select "$page" --css 'a[href*="imdb.com"]::attr(href)')"

echo
echo "Feature store: import ratings, build a point-in-time dataset, rebuild it byte for byte:"
work=out/demo
rm -rf "$work" && mkdir -p "$work"
store=(--store "$work/marquee.sqlite")
step import movielens fixtures/movielens-mini "${store[@]}"
step import movielens fixtures/movielens-mini "${store[@]}"
step dataset build ratings "${store[@]}" --out "$work/ratings.csv"
head -4 "$work/ratings.csv"
id=$("$marquee" dataset list "${store[@]}" | awk 'NR == 1 {print $1}')
step dataset rebuild "$id" "${store[@]}" --out "$work/ratings-again.csv"
sha256sum "$work/ratings.csv" "$work/ratings-again.csv"
step features describe film_facts "${store[@]}"
step query "SELECT e.key AS film, COUNT(*) AS ratings, AVG(o.value) AS mean FROM observations o JOIN entities e ON e.id = o.object_id WHERE o.feature = 'rating' GROUP BY e.key ORDER BY ratings DESC, film" "${store[@]}"
echo
echo "Writes are refused (exit status 64):"
step query "DELETE FROM observations" "${store[@]}" || echo "exit status $?"

echo
echo "Scrape: replay a recorded Letterboxd crawl (diary → its page 2 → the films it links), offline:"
step parse fixtures/letterboxd/diary/marqueedemo-p1.html
MARQUEE_USER_SALT=demo-salt step scrape letterboxd --start https://letterboxd.com/marqueedemo/films/diary/ \
    --replay fixtures/letterboxd --frontier "$work/scrape.sqlite" --pages "$work/pages" "${store[@]}"
step query "SELECT feature, COUNT(*) AS observations FROM observations WHERE source = 'letterboxd' GROUP BY feature ORDER BY feature" "${store[@]}"

echo
echo "Evaluate recommenders on the dataset (2-fold CV of 11 ratings: a smoke test, not a score):"
step evaluate --dataset ratings --algorithm baseline --cv 2 "${store[@]}"
step evaluate --dataset ratings --algorithm svd --param n_factors=4 --cv 2 --report "$work/report.html" "${store[@]}"
step train --dataset ratings --algorithm svd --param n_factors=4 --out "$work/svd.mqm" "${store[@]}"
step recommend "$work/svd.mqm" --user 1 -k 3

echo
echo "Export for Triton + Seldon Core v2, and prove the ONNX predicts what Marquee predicts (onnxruntime):"
step export "$work/svd.mqm" --target seldon-v2 --out "$work/deploy" --verify
echo
echo "Report: $work/report.html (open it in a browser). On real data: marquee import movielens ../shared/movielens/ml-latest-small"
echo
echo "All of it as one pipeline on real-sized data (pipelines/demo.toml): replayed Letterboxd and IMDb"
echo "scrapes + MovieLens ml-latest-small (100,836 ratings, bundled in data/) → ratings_enriched (scraped"
echo "credits and scores joined point in time) → SVD and the hybrid on the same folds (cold films too)"
echo "→ ONNX export, each step cached by its inputs, the run recorded in the store:"
rm -rf out/pipelines/demo
step demo
echo
echo "Again: every step's inputs are unchanged, so every step is reused:"
step demo | head -11
