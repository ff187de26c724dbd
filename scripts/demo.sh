#!/usr/bin/env bash
# The main job while the pipeline is being built: extraction on a bundled page, offline.
set -euo pipefail
marquee=${1:-.build/debug/marquee}
page=fixtures/demo/film.html
step() { printf '\n\033[1m$ marquee'; printf ' %q' "$@"; printf '\033[0m\n'; "$marquee" "$@"; }

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
