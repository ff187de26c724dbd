/* The peer for ingest: a plain SQLite C-API loop inserting N rows into the same observations
 * table (same unique key and indexes) with one prepared statement, committing every 100,000 rows
 * as Marquee's benchmark does (one `ingest` call, one transaction, per 100,000) — the fastest a
 * program can write these rows through SQLite in those transactions.
 * Build: cc -O2 raw_insert.c -lsqlite3 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static void check(int rc, sqlite3 *db) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE) { fprintf(stderr, "sqlite: %s\n", sqlite3_errmsg(db)); exit(1); }
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: raw_insert N FILE\n"); return 64; }
    long n = atol(argv[1]);
    long films = n / 100 > 0 ? n / 100 : 1;
    remove(argv[2]);
    sqlite3 *db;
    check(sqlite3_open(argv[2], &db), db);
    /* The same connection settings as Marquee's store, so the loop is what differs. */
    check(sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA cache_size=-65536; PRAGMA mmap_size=1073741824;"
        "PRAGMA synchronous=NORMAL;"
        "CREATE TABLE observations (id INTEGER PRIMARY KEY, entity_id INTEGER NOT NULL, feature TEXT NOT NULL,"
        " object_id INTEGER NOT NULL DEFAULT 0, value, event_ts_us INTEGER NOT NULL, created_ts_us INTEGER NOT NULL,"
        " source TEXT NOT NULL, source_hash TEXT, UNIQUE (entity_id, feature, object_id, event_ts_us, source, value));"
        "CREATE INDEX observations_by_feature ON observations(feature, event_ts_us);"
        "CREATE INDEX observations_point_in_time ON observations(entity_id, feature, object_id, event_ts_us, created_ts_us);",
        0, 0, 0), db);
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    sqlite3_stmt *insert;
    check(sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO observations (entity_id, feature, object_id, value, event_ts_us,"
        " created_ts_us, source, source_hash) VALUES (?, 'score', 0, ?, ?, ?, 'bench', NULL)", -1, &insert, 0), db);
    check(sqlite3_exec(db, "BEGIN", 0, 0, 0), db);
    for (long i = 0; i < n; i++) {
        if (i > 0 && i % 100000 == 0) {
            check(sqlite3_exec(db, "COMMIT", 0, 0, 0), db);
            check(sqlite3_exec(db, "BEGIN", 0, 0, 0), db);
        }
        sqlite3_bind_int64(insert, 1, i % films + 1);
        sqlite3_bind_double(insert, 2, (double)i);
        sqlite3_bind_int64(insert, 3, i * 1000000LL);
        sqlite3_bind_int64(insert, 4, 1764000000000000LL);
        check(sqlite3_step(insert), db);
        sqlite3_reset(insert);
    }
    check(sqlite3_exec(db, "COMMIT", 0, 0, 0), db);
    clock_gettime(CLOCK_MONOTONIC, &end);
    double seconds = (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9;
    printf("{\"tool\":\"sqlite-c\",\"rows\":%ld,\"seconds\":%f,\"rows_per_second\":%f}\n", n, seconds, n / seconds);
    sqlite3_finalize(insert);
    sqlite3_close(db);
    return 0;
}
