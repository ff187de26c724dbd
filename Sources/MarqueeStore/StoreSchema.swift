import GRDB

/// The store's schema, as migrations. Shipped migrations are never edited: a change is a new one.
/// The tables are documented in `docs/store.md`.
enum StoreSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: entities, observations, online, views, datasets, pages, rejects, runs") { db in
            try db.execute(
                sql: """
                    CREATE TABLE entities (
                        id INTEGER PRIMARY KEY,
                        kind TEXT NOT NULL CHECK (kind IN ('film', 'user', 'person')),
                        key TEXT NOT NULL,
                        created_ts_us INTEGER NOT NULL,
                        UNIQUE (kind, key)
                    );
                    CREATE TABLE entity_keys (
                        kind TEXT NOT NULL,
                        namespace TEXT NOT NULL,
                        value TEXT NOT NULL,
                        entity_id INTEGER NOT NULL REFERENCES entities(id),
                        PRIMARY KEY (kind, namespace, value)
                    ) WITHOUT ROWID;
                    CREATE INDEX entity_keys_by_entity ON entity_keys(entity_id);

                    CREATE TABLE observations (
                        id INTEGER PRIMARY KEY,
                        entity_id INTEGER NOT NULL REFERENCES entities(id),
                        feature TEXT NOT NULL,
                        object_id INTEGER NOT NULL DEFAULT 0,
                        value, -- no declared type: no affinity, the value is stored exactly as given
                        event_ts_us INTEGER NOT NULL,
                        created_ts_us INTEGER NOT NULL,
                        source TEXT NOT NULL,
                        source_hash TEXT,
                        UNIQUE (entity_id, feature, object_id, event_ts_us, source, value)
                    );
                    CREATE INDEX observations_by_feature ON observations(feature, event_ts_us);
                    -- Point-in-time lookups walk this backwards: newest event, then newest created, then id.
                    CREATE INDEX observations_point_in_time
                        ON observations(entity_id, feature, object_id, event_ts_us, created_ts_us);

                    CREATE TABLE online (
                        entity_id INTEGER NOT NULL REFERENCES entities(id),
                        feature TEXT NOT NULL,
                        value,
                        event_ts_us INTEGER NOT NULL,
                        created_ts_us INTEGER NOT NULL,
                        observation_id INTEGER NOT NULL REFERENCES observations(id),
                        PRIMARY KEY (entity_id, feature)
                    ) WITHOUT ROWID;

                    CREATE TABLE feature_views (
                        name TEXT PRIMARY KEY,
                        entity_kind TEXT NOT NULL,
                        definition TEXT NOT NULL,
                        definition_sha256 TEXT NOT NULL,
                        registered_ts_us INTEGER NOT NULL
                    );

                    CREATE TABLE dataset_versions (
                        id TEXT PRIMARY KEY,
                        name TEXT NOT NULL,
                        spec TEXT NOT NULL,
                        views TEXT NOT NULL,
                        format TEXT NOT NULL,
                        as_of_ts_us INTEGER,
                        observation_watermark INTEGER NOT NULL,
                        observations_sha256 TEXT NOT NULL,
                        row_count INTEGER NOT NULL,
                        content_sha256 TEXT NOT NULL,
                        created_ts_us INTEGER NOT NULL,
                        code_version TEXT NOT NULL
                    );
                    CREATE INDEX dataset_versions_by_name ON dataset_versions(name, created_ts_us);

                    CREATE TABLE pages (
                        sha256 TEXT PRIMARY KEY,
                        url TEXT NOT NULL,
                        site TEXT,
                        kind TEXT,
                        status INTEGER,
                        fetched_ts_us INTEGER NOT NULL,
                        path TEXT
                    );
                    CREATE INDEX pages_by_url ON pages(url, fetched_ts_us);

                    CREATE TABLE rejects (
                        id INTEGER PRIMARY KEY,
                        page_sha256 TEXT,
                        url TEXT,
                        site TEXT,
                        record TEXT,
                        field TEXT,
                        reason TEXT NOT NULL,
                        raw_value TEXT,
                        rules_tried TEXT,
                        created_ts_us INTEGER NOT NULL
                    );

                    CREATE TABLE runs (
                        id TEXT PRIMARY KEY,
                        pipeline TEXT NOT NULL,
                        status TEXT NOT NULL,
                        started_ts_us INTEGER NOT NULL,
                        ended_ts_us INTEGER,
                        detail TEXT
                    );
                    """)
        }
        migrator.registerMigration("v2: run steps") { db in
            try db.execute(
                sql: """
                    CREATE TABLE run_steps (
                        run_id TEXT NOT NULL REFERENCES runs(id),
                        position INTEGER NOT NULL,
                        step TEXT NOT NULL,
                        status TEXT NOT NULL,
                        started_ts_us INTEGER NOT NULL,
                        ended_ts_us INTEGER,
                        input_hash TEXT NOT NULL,
                        output_hash TEXT,
                        outputs TEXT,
                        error TEXT,
                        PRIMARY KEY (run_id, position)
                    );
                    CREATE INDEX run_steps_by_input ON run_steps(step, input_hash, status);
                    """)
        }
        migrator.registerMigration("v3: run errors") { db in
            try db.execute(
                sql: """
                    ALTER TABLE runs ADD COLUMN error TEXT;
                    ALTER TABLE runs ADD COLUMN exit_code INTEGER;
                    """)
        }
        migrator.registerMigration("v4: scrape monitors") { db in
            try db.execute(
                sql: """
                    CREATE TABLE scrape_runs (
                        id TEXT PRIMARY KEY,
                        command TEXT NOT NULL,
                        started_ts_us INTEGER NOT NULL,
                        pages INTEGER NOT NULL,
                        records INTEGER NOT NULL,
                        alarms INTEGER NOT NULL
                    );
                    CREATE TABLE scrape_coverage (
                        run_id TEXT NOT NULL REFERENCES scrape_runs(id),
                        site TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        field TEXT NOT NULL,
                        records INTEGER NOT NULL,
                        filled INTEGER NOT NULL,
                        threshold REAL,
                        previous_rate REAL,
                        alarm TEXT,
                        PRIMARY KEY (run_id, site, kind, field)
                    );
                    CREATE INDEX scrape_coverage_by_kind ON scrape_coverage(site, kind);
                    """)
        }
        migrator.registerMigration("v5: entity matches") { db in
            try db.execute(
                sql: """
                    CREATE TABLE entity_matches (
                        key TEXT PRIMARY KEY,
                        status TEXT NOT NULL,
                        entity_key TEXT,
                        score REAL,
                        reason TEXT NOT NULL,
                        candidates TEXT NOT NULL DEFAULT '',
                        created_ts_us INTEGER NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v6: experiments") { db in
            try db.execute(
                sql: """
                    CREATE TABLE experiments (
                        id TEXT PRIMARY KEY,
                        kind TEXT NOT NULL,
                        algorithm TEXT NOT NULL,
                        parameters TEXT NOT NULL,
                        dataset_version TEXT,
                        split TEXT,
                        metrics TEXT NOT NULL,
                        started_ts_us INTEGER NOT NULL,
                        seconds REAL NOT NULL,
                        model_sha256 TEXT,
                        marquee_version TEXT NOT NULL
                    );
                    CREATE INDEX experiments_by_time ON experiments(started_ts_us);
                    """)
        }
        return migrator
    }
}
