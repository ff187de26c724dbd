#!/usr/bin/env bash
# Shared-frontier crawl benchmark: PAGES static pages (default 10,000) from a loopback nginx,
# crawled by 1, 2 and 4 `marquee crawl` workers sharing one frontier in PostgreSQL (politeness
# off, CONCURRENCY fetches per worker), beside one worker on a SQLite frontier; then 4 workers at
# a shared --rate, whose pages/s must not exceed it. Run under scripts/with-postgres.sh (`make
# bench-crawl-shared`), which provides the server. Needs nginx and psql (apt).
set -euo pipefail
cd "$(dirname "$0")/../.."
pages=${PAGES:-10000}
concurrency=${CONCURRENCY:-16}
paced=${RATE:-400}
: "${MARQUEE_TEST_POSTGRES_URL:?run under scripts/with-postgres.sh (make bench-crawl-shared)}"
command -v nginx >/dev/null || { echo "nginx is missing: apt-get install nginx" >&2; exit 1; }
swift build -c release --product marquee >&2
marquee=$(swift build -c release --show-bin-path)/marquee
work=$(mktemp -d)
# shellcheck source=Benchmarks/crawl/site.sh
source Benchmarks/crawl/site.sh

database() { # a new database; prints its URL
    psql -q "$MARQUEE_TEST_POSTGRES_URL" -c "CREATE DATABASE $1" >/dev/null
    echo "${MARQUEE_TEST_POSTGRES_URL/\/postgres\?/\/$1?}"
}
crawl() { # label, workers, frontier, rate; prints "label workers seconds pages"
    local label=$1 workers=$2 frontier=$3 rate=$4 began ended
    began=$(date +%s.%N)
    for w in $(seq 1 "$workers"); do
        "$marquee" crawl "$start" --frontier "$frontier" --pages "$work/$label/pages" --worker-id "w$w" \
            --concurrency "$concurrency" --host-concurrency "$concurrency" --rate "$rate" --ignore-robots \
            --allow-private --max-depth "$depth" >"$work/$label-$w.out" 2>"$work/$label-$w.err" &
    done
    wait
    ended=$(date +%s.%N)
    local recorded
    recorded=$("$marquee" crawl-status --frontier "$frontier" | sed -n 's/pages recorded: //p')
    echo "$label $workers $(python3 -c "print($ended - $began)") $recorded"
}
mkdir -p "$work/sqlite"
results=("$(crawl sqlite 1 "$work/sqlite/crawl.sqlite" 0)")
for n in 1 2 4; do results+=("$(crawl "pg$n" "$n" "$(database "bench_w$n")" 0)"); done
results+=("$(crawl paced 4 "$(database bench_paced)" "$paced")")
python3 - "$concurrency" "$paced" "${results[@]}" <<'PY'
import sys
concurrency, paced, rows = sys.argv[1], float(sys.argv[2]), [r.split() for r in sys.argv[3:]]
print(f"== shared crawl: one frontier in PostgreSQL, N workers, concurrency {concurrency} each ==")
print(f"{'frontier':<22}{'workers':>8}{'pages':>8}{'seconds':>10}{'pages/s':>10}")
rate = {}
for label, workers, seconds, pages in rows:
    name = {"sqlite": "SQLite", "paced": f"PostgreSQL, --rate {paced:g}"}.get(label, "PostgreSQL")
    rate[label] = int(pages) / float(seconds)
    print(f"{name:<22}{workers:>8}{pages:>8}{float(seconds):>10.2f}{rate[label]:>10.0f}")
print(f"PostgreSQL ÷ SQLite, one worker: {rate['pg1'] / rate['sqlite']:.2f}×")
print(f"scaling: 2 workers {rate['pg2'] / rate['pg1']:.2f}×, 4 workers {rate['pg4'] / rate['pg1']:.2f}× one worker")
held = "held" if rate["paced"] <= paced * 1.02 else "NOT held"
print(f"shared pace: 4 workers at --rate {paced:g} reached {rate['paced']:.0f} pages/s ({held}; start-up included)")
PY
