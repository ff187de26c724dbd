#!/usr/bin/env bash
# Crawl benchmark, side by side in one run: PAGES static pages (default 10,000) served by a
# loopback nginx, crawled by `marquee crawl` (release build) and by Scrapy (pip) with the same
# concurrency, politeness off (no robots, no delay), cache off. Each tool persists its state for
# resuming (Marquee: frontier + page store; Scrapy: JOBDIR) and writes something per page
# (Marquee: gzip body + record; Scrapy: a JSON-lines item). Prints pages/s and peak RSS of both.
# Needs nginx and GNU time (apt) and scrapy (pip, into VENV).
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=${1:-.venv-bench}
pages=${PAGES:-10000}
concurrency=${CONCURRENCY:-16}
command -v nginx >/dev/null || { echo "nginx is missing: apt-get install nginx" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "GNU time is missing: apt-get install time" >&2; exit 1; }
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c "import scrapy" 2>/dev/null || "$venv/bin/pip" install -q scrapy
swift build -c release --product marquee >&2
marquee=$(swift build -c release --show-bin-path)/marquee
work=$(mktemp -d)
# shellcheck source=Benchmarks/crawl/site.sh
source Benchmarks/crawl/site.sh
measure() { # label, then the command; prints "label seconds maxrss_kb"
    local label=$1; shift
    /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" > "$work/$label.out" 2> "$work/$label.err" || {
        cat "$work/$label.err" >&2; exit 1; }
    echo "$label $(cat "$work/time.txt")"
}
m=$(measure marquee "$marquee" crawl "$start" --frontier "$work/m/crawl.sqlite" --pages "$work/m/pages" \
    --concurrency "$concurrency" --host-concurrency "$concurrency" --rate 0 --ignore-robots --allow-private \
    --max-depth "$depth")
s=$(measure scrapy "$venv/bin/scrapy" runspider Benchmarks/crawl/tree_spider.py -a start="$start" \
    -s CONCURRENT_REQUESTS="$concurrency" -s CONCURRENT_REQUESTS_PER_DOMAIN="$concurrency" -s ROBOTSTXT_OBEY=False \
    -s DOWNLOAD_DELAY=0 -s AUTOTHROTTLE_ENABLED=False -s HTTPCACHE_ENABLED=False -s COOKIES_ENABLED=False \
    -s LOG_LEVEL=WARNING -s TELNETCONSOLE_ENABLED=False -s JOBDIR="$work/s/job" -o "$work/s/items.jsonl")
marquee_pages=$("$marquee" crawl-status --frontier "$work/m/crawl.sqlite" | sed -n 's/pages recorded: //p')
scrapy_pages=$(wc -l < "$work/s/items.jsonl")
python3 - "$m" "$s" "$marquee_pages" "$scrapy_pages" "$concurrency" <<'PY'
import sys
(ml, ms, mr), (sl, ss, sr) = sys.argv[1].split(), sys.argv[2].split()
mp, sp, c = int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
mrate, srate = mp / float(ms), sp / float(ss)
print(f"== crawl: static pages from a loopback nginx, concurrency {c}, politeness off ==")
print(f"{'tool':<10}{'pages':>8}{'seconds':>10}{'pages/s':>10}{'peak RSS MB':>13}")
print(f"{'marquee':<10}{mp:>8}{float(ms):>10.2f}{mrate:>10.0f}{int(mr) / 1024:>13.1f}")
print(f"{'scrapy':<10}{sp:>8}{float(ss):>10.2f}{srate:>10.0f}{int(sr) / 1024:>13.1f}")
speed, memory = mrate / srate, int(mr) / int(sr)
met = "met" if speed >= 5 and memory <= 0.5 else "NOT met"
print(f"Marquee ÷ Scrapy: {speed:.2f}× pages/s at {memory:.2f}× the peak RSS (target ≥ 5× at ≤ 0.5×: {met})")
PY
