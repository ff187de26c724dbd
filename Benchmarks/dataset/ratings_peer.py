"""DuckDB's side of the `dataset build ratings` benchmark: the same point-in-time join on the same
store's data, written as the same CSV.

    python ratings_peer.py STORE.sqlite OUT.csv     # prints timings as JSON

The rating rows and the film facts (title, year, genres) are read out of Marquee's SQLite store
with Python's sqlite3 and loaded into DuckDB tables (timed apart, as "load"); the timed join is
three ASOF LEFT JOINs (the latest fact at or before each rating's time), the dataset's order
(time, user key, film key) and COPY TO a CSV file with a header — what `marquee dataset build
ratings` writes. Facts observed more than once at the same time would make ASOF pick an arbitrary
one; MovieLens gives one per film and feature.
"""
import json
import sqlite3
import sys
import time

import duckdb
import pandas


def read_store(path):
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    rows = pandas.read_sql_query("""
        SELECT u.key AS user_key, f.key AS film, CAST(o.value AS REAL) AS rating, o.event_ts_us AS ts
        FROM observations o JOIN entities u ON u.id = o.entity_id JOIN entities f ON f.id = o.object_id
        WHERE o.feature = 'rating'""", db)
    facts = {}
    for feature in ("title", "year", "genres"):
        facts[feature] = pandas.read_sql_query("""
            SELECT e.key AS film, o.event_ts_us AS ts, o.value AS value
            FROM observations o JOIN entities e ON e.id = o.entity_id
            WHERE o.feature = ? AND o.object_id = 0 AND e.kind = 'film'""", db, params=(feature,))
    return rows, facts


def main(store, out):
    started = time.perf_counter()
    rows, facts = read_store(store)
    con = duckdb.connect()
    con.register("rows_frame", rows)
    con.execute("CREATE TABLE rows AS SELECT * FROM rows_frame")
    for feature, frame in facts.items():
        con.register(f"{feature}_frame", frame)
        kind = "BIGINT" if feature == "year" else "VARCHAR"
        con.execute(f"CREATE TABLE {feature} AS SELECT film, ts, CAST(value AS {kind}) AS value FROM {feature}_frame")
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    con.execute(f"""
        COPY (
            SELECT r.user_key AS "user", r.film, r.rating,
                   strftime(make_timestamp(r.ts), '%Y-%m-%dT%H:%M:%SZ') AS event_time,
                   t.value AS title, y.value AS year, g.value AS genres
            FROM rows r
            ASOF LEFT JOIN title t ON r.film = t.film AND r.ts >= t.ts
            ASOF LEFT JOIN year y ON r.film = y.film AND r.ts >= y.ts
            ASOF LEFT JOIN genres g ON r.film = g.film AND r.ts >= g.ts
            ORDER BY r.ts, r.user_key, r.film
        ) TO '{out}' (HEADER)
    """)
    joined = time.perf_counter() - started
    print(json.dumps({"tool": "duckdb", "version": duckdb.__version__, "load_seconds": loaded,
                      "join_seconds": joined, "rows": len(rows)}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
