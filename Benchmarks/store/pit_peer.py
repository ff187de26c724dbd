"""Generates the point-in-time benchmark data, and runs DuckDB's ASOF join on it.

    python pit_peer.py generate DIR ROWS OBSERVATIONS FILMS   # DIR/observations.csv, DIR/rows.csv
    python pit_peer.py duckdb DIR                             # DIR/duckdb.csv, timings as JSON
    python pit_peer.py compare DIR                            # same values from both tools?

Event times are unique per film, so "the latest observation at or before T" has one answer
and DuckDB's ASOF join (which breaks no ties) computes exactly Marquee's point-in-time value.
"""
import csv
import json
import random
import sys
import time


def generate(directory, rows, observations, films):
    rng = random.Random(20261125)
    span = 10 * observations
    with open(f"{directory}/observations.csv", "w") as out:
        out.write("film,ts,value\n")
        # Unique event times overall: a random permutation-like stride keeps them distinct.
        for i in range(observations):
            out.write(f"f{rng.randrange(films)},{(i * 7919) % span},{rng.randrange(1000) / 10}\n")
    with open(f"{directory}/rows.csv", "w") as out:
        out.write("user,film,ts\n")
        for i in range(rows):
            out.write(f"u{i},f{rng.randrange(films)},{rng.randrange(span)}\n")


def run_duckdb(directory):
    import duckdb
    con = duckdb.connect()
    started = time.perf_counter()
    con.execute(f"CREATE TABLE obs AS SELECT * FROM read_csv('{directory}/observations.csv', header=true, columns={{'film': 'VARCHAR', 'ts': 'BIGINT', 'value': 'DOUBLE'}})")
    con.execute(f"CREATE TABLE rows AS SELECT * FROM read_csv('{directory}/rows.csv', header=true, columns={{'user': 'VARCHAR', 'film': 'VARCHAR', 'ts': 'BIGINT'}})")
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    con.execute(f"""
        COPY (
            SELECT r.user, r.film, r.ts, o.value AS score
            FROM rows r ASOF LEFT JOIN obs o ON r.film = o.film AND r.ts >= o.ts
            ORDER BY r.ts, r.user
        ) TO '{directory}/duckdb.csv' (HEADER)
    """)
    joined = time.perf_counter() - started
    rows = con.execute(f"SELECT COUNT(*) FROM read_csv('{directory}/duckdb.csv')").fetchone()[0]
    print(json.dumps({"tool": "duckdb", "version": duckdb.__version__, "load_seconds": loaded, "join_seconds": joined, "rows": rows}))


def summary(path, score_column):
    count = nulls = 0
    total = 0.0
    with open(path) as handle:
        for row in csv.DictReader(handle):
            count += 1
            if row[score_column] == "":
                nulls += 1
            else:
                total += float(row[score_column])
    return count, nulls, round(total, 3)


def compare(directory):
    marquee = summary(f"{directory}/marquee.csv", "score")
    duck = summary(f"{directory}/duckdb.csv", "score")
    same = marquee == duck
    print(f"rows, empty values, sum of values — marquee {marquee}, duckdb {duck}: {'identical' if same else 'DIFFERENT'}")
    return 0 if same else 1


def report_ingest(marquee, peer):
    m, c = json.loads(marquee), json.loads(peer)
    ratio = m["rows_per_second"] / c["rows_per_second"]
    print(f"ingest: Marquee {m['rows_per_second']:,.0f} rows/s, raw SQLite C loop {c['rows_per_second']:,.0f} rows/s → {ratio:.2f}× "
          f"(target ≥ 0.9×: {'met' if ratio >= 0.9 else 'NOT met'})")


def report_pit(marquee, peer):
    m, d = json.loads(marquee), json.loads(peer)
    ratio = m['join_seconds'] / d['join_seconds']
    print(f"join + write: Marquee {m['join_seconds']:.2f} s, DuckDB {d['join_seconds']:.2f} s → Marquee takes "
          f"{ratio:.2f}× DuckDB's time (target ≤ 1.5×: {'met' if ratio <= 1.5 else 'NOT met'}; "
          f"loading: {m['load_seconds']:.1f} s vs {d['load_seconds']:.1f} s)")


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "report-ingest":
        report_ingest(sys.argv[2], sys.argv[3])
    elif command == "report-pit":
        report_pit(sys.argv[2], sys.argv[3])
    elif command == "generate":
        generate(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
    elif command == "duckdb":
        run_duckdb(sys.argv[2])
    else:
        sys.exit(compare(sys.argv[2]))
