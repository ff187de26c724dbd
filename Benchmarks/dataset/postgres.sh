#!/usr/bin/env bash
# The store on PostgreSQL, side by side with SQLite in one run (#18), on MovieLens ml-latest-small:
# `import movielens` into PostgreSQL (input rows/s) beside a plain `COPY` of ratings.csv into a
# bare table (the floor any loader pays) and beside the same import into SQLite; `store copy`
# SQLite → PostgreSQL → SQLite (rows/s, every table verified); and `dataset build ratings` on each
# store (the merge in Swift over SQLite; SQL with LATERAL joins inside
# PostgreSQL), best of ROUNDS (default 3), files compared byte for byte. Run under
# scripts/with-postgres.sh (`make bench-dataset-postgres`), which provides the server.
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${ROUNDS:-3}
movielens=${MARQUEE_SHARED:-../shared}/movielens/ml-latest-small
[ -f "$movielens/ratings.csv" ] || { echo "no MovieLens at $movielens (set MARQUEE_SHARED)" >&2; exit 1; }
: "${MARQUEE_TEST_POSTGRES_URL:?run under scripts/with-postgres.sh (make bench-dataset-postgres)}"
swift build -c release --product marquee >&2
marquee=$(swift build -c release --show-bin-path)/marquee
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
psql -q "$MARQUEE_TEST_POSTGRES_URL" -c "CREATE DATABASE bench_store" >/dev/null
url="${MARQUEE_TEST_POSTGRES_URL/\/postgres\?/\/bench_store?}"
seconds() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null; t1=$(date +%s.%N); echo "$t1 - $t0" | bc -l; }
# Input rows: every data row of the four CSV files the import reads.
input_rows=$(( $(cat "$movielens"/{ratings,movies,links,tags}.csv | wc -l) - 4 ))
best_import_sqlite=999; best_import_pg=999; best_copy=999
for round in $(seq "$rounds"); do
    rm -f "$work/i.sqlite"
    s=$(seconds "$marquee" import movielens "$movielens" --store "$work/i.sqlite" -q)
    psql -q "$MARQUEE_TEST_POSTGRES_URL" -c "CREATE DATABASE bench_import_$round" >/dev/null
    p=$(seconds "$marquee" import movielens "$movielens" --store "${MARQUEE_TEST_POSTGRES_URL/\/postgres\?/\/bench_import_$round?}" -q)
    psql -q "$MARQUEE_TEST_POSTGRES_URL" -c "DROP TABLE IF EXISTS plain_ratings" \
        -c "CREATE TABLE plain_ratings (user_id integer, movie_id integer, rating double precision, ts bigint)" >/dev/null
    c=$(seconds psql -q "$MARQUEE_TEST_POSTGRES_URL" -c "\\copy plain_ratings FROM '$movielens/ratings.csv' CSV HEADER")
    best_import_sqlite=$(echo "if ($s < $best_import_sqlite) $s else $best_import_sqlite" | bc -l)
    best_import_pg=$(echo "if ($p < $best_import_pg) $p else $best_import_pg" | bc -l)
    best_copy=$(echo "if ($c < $best_copy) $c else $best_copy" | bc -l)
done
ratings_rows=$(( $(wc -l < "$movielens/ratings.csv") - 1 ))
"$marquee" dataset build ratings --store "${MARQUEE_TEST_POSTGRES_URL/\/postgres\?/\/bench_import_1?}" \
    --out "$work/imported-postgres.csv" -q >/dev/null
"$marquee" dataset build ratings --store "$work/i.sqlite" --out "$work/imported-sqlite.csv" -q >/dev/null
cmp -s "$work/imported-sqlite.csv" "$work/imported-postgres.csv" && imported_same=identical || imported_same=DIFFERENT
"$marquee" import movielens "$movielens" --store "$work/a.sqlite" -q >/dev/null
rows=$("$marquee" query --store "$work/a.sqlite" --format csv \
    "SELECT (SELECT COUNT(*) FROM observations) + (SELECT COUNT(*) FROM entities) + (SELECT COUNT(*) FROM entity_keys) + (SELECT COUNT(*) FROM online)" | tail -1)
up=$(seconds "$marquee" store copy --from "$work/a.sqlite" --to "$url" -q)
down=$(seconds "$marquee" store copy --from "$url" --to "$work/b.sqlite" -q)
best_sqlite=999; best_pg=999
for _ in $(seq "$rounds"); do
    s=$(seconds "$marquee" dataset build ratings --store "$work/a.sqlite" --out "$work/sqlite.csv" -q)
    p=$(seconds "$marquee" dataset build ratings --store "$url" --out "$work/postgres.csv" -q)
    best_sqlite=$(echo "if ($s < $best_sqlite) $s else $best_sqlite" | bc -l)
    best_pg=$(echo "if ($p < $best_pg) $p else $best_pg" | bc -l)
done
cmp -s "$work/sqlite.csv" "$work/postgres.csv" && same=identical || same=DIFFERENT
python3 - "$rows" "$up" "$down" "$best_sqlite" "$best_pg" "$same" \
    "$input_rows" "$best_import_sqlite" "$best_import_pg" "$ratings_rows" "$best_copy" "$imported_same" <<'PY'
import sys
rows, up, down, sqlite, pg, same = int(sys.argv[1]), *map(float, sys.argv[2:6]), sys.argv[6]
input_rows, import_sqlite, import_pg = int(sys.argv[7]), float(sys.argv[8]), float(sys.argv[9])
ratings_rows, copy, imported_same = int(sys.argv[10]), float(sys.argv[11]), sys.argv[12]
print("== the store on PostgreSQL: ml-latest-small ==")
print(f"import movielens → PostgreSQL: {import_pg:.2f} s ({input_rows / import_pg:,.0f} input rows/s; best of rounds)")
print(f"import movielens → SQLite:     {import_sqlite:.2f} s ({input_rows / import_sqlite:,.0f} input rows/s)")
print(f"plain COPY of ratings.csv into a bare table (psql \\copy): {copy:.2f} s ({ratings_rows / copy:,.0f} rows/s)")
print(f"Marquee's import ÷ plain COPY: {(input_rows / import_pg) / (ratings_rows / copy):.2f}× the rows/s; "
      f"ratings datasets from the two imports: {imported_same}")
print(f"store copy SQLite → PostgreSQL: {up:.2f} s ({rows / up:,.0f} rows/s, verified)")
print(f"store copy PostgreSQL → SQLite: {down:.2f} s ({rows / down:,.0f} rows/s, verified)")
print(f"dataset build ratings: SQLite {sqlite:.3f} s, PostgreSQL {pg:.3f} s (best of rounds)")
print(f"PostgreSQL ÷ SQLite: {pg / sqlite:.2f}× the time; files {same}")
PY
