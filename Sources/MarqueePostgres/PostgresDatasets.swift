import Foundation
import GRDB
import MarqueeCore
import MarqueeStore
import PostgresNIO

/// Datasets built inside PostgreSQL, from a store there (filled by `marquee store copy`): the
/// point-in-time join is one SQL statement — a `LEFT JOIN LATERAL` per feature column, each the
/// newest qualifying observation by `(event, created, id)` through the `observations_point_in_time`
/// index — so observations never leave the server; only the joined rows do. The rows are written
/// by the same code as SQLite's build, so a dataset built from the same observations has the same
/// bytes and the same version id in either store.
public enum PostgresDatasets {
    /// Builds dataset `name` (as `FeatureStore.buildDataset`) from the store in `backend`'s
    /// database and records its version there.
    /// - Throws: as `FeatureStore.buildDataset`, and the server's errors.
    public static func build(
        _ name: String, catalog: FeatureCatalog, asOf: Int64? = nil, format: DatasetVersion.Format = .csv,
        output: URL, backend: PostgresBackend, progress: ProgressMeter? = nil, clock: any WallClock = SystemClock()
    ) async throws(MarqueeError) -> DatasetBuildResult {
        guard let spec = catalog.datasets[name] else {
            throw MarqueeError(
                .dataError, "no dataset named \"\(name)\"",
                hint: "datasets: \(catalog.datasets.keys.sorted().joined(separator: ", "))")
        }
        let plan = try DatasetPlan(spec: spec, catalog: catalog)
        try await PostgresStoreSchema.migrate(backend)
        let now = Microseconds.from(clock.now())
        try await register(plan.views, at: now, in: backend)
        let watermark = try await self.watermark(backend)
        let keys = try await entityKeys(backend)
        let joined = try await join(plan, watermark: watermark, asOf: asOf, keys: keys, backend: backend)
        let written = try FeatureStore.writeJoined(joined, plan: plan, format: format, output: output, progress: progress)
        let version = try FeatureStore.finishDataset(
            plan, written: written, asOf: asOf, watermark: watermark, format: format, output: output, createdAt: now)
        let logger = backend.logger
        let isNew = try await backend.run("record dataset version \(version.id)") { client in
            try await client.query(
                """
                INSERT INTO dataset_versions (id, name, spec, views, format, as_of_ts_us, observation_watermark,
                    observations_sha256, row_count, content_sha256, created_ts_us, code_version)
                VALUES (\(version.id), \(version.name), \(version.spec), \(version.views), \(version.format.rawValue),
                    \(version.asOf), \(version.observationWatermark), \(version.observationsSHA256), \(version.rowCount),
                    \(version.contentSHA256), \(version.createdAt), \(version.codeVersion))
                ON CONFLICT (id) DO NOTHING RETURNING 1
                """, logger: logger
            ).collect().count == 1
        }
        return DatasetBuildResult(version: version, warnings: written.violations, isNew: isNew)
    }

    /// Records the views' current definitions (as the SQLite store does), changing a row only
    /// when its definition changed.
    private static func register(_ views: [FeatureView], at now: Int64, in backend: PostgresBackend)
        async throws(MarqueeError)
    {
        let logger = backend.logger
        try await backend.run("register feature views") { client in
            for view in views {
                let definition = DatasetPlan.canonicalJSON(view)
                try await client.query(
                    """
                    INSERT INTO feature_views (name, entity_kind, definition, definition_sha256, registered_ts_us)
                    VALUES (\(view.name), \(view.entity.rawValue), \(definition), \(Hashing.sha256(definition)), \(now))
                    ON CONFLICT (name) DO UPDATE SET entity_kind = EXCLUDED.entity_kind,
                        definition = EXCLUDED.definition, definition_sha256 = EXCLUDED.definition_sha256,
                        registered_ts_us = EXCLUDED.registered_ts_us
                    WHERE feature_views.definition_sha256 <> EXCLUDED.definition_sha256
                    """, logger: logger)
            }
        }
    }

    /// The newest observation id: the build's watermark.
    private static func watermark(_ backend: PostgresBackend) async throws(MarqueeError) -> Int64 {
        let logger = backend.logger
        return try await backend.run("read the observation watermark") { client in
            for try await value in try await client.query(
                "SELECT COALESCE(MAX(id), 0)::bigint FROM observations", logger: logger
            ).decode(Int64.self) { return value }
            return 0
        }
    }

    /// Every entity's key, by id.
    static func entityKeys(_ backend: PostgresBackend) async throws(MarqueeError) -> [DatabaseValue?] {
        let logger = backend.logger
        return try await backend.run("read the entity keys") { client in
            var maxEntity: Int64 = 0
            for try await value in try await client.query(
                "SELECT COALESCE(MAX(id), 0)::bigint FROM entities", logger: logger
            ).decode(Int64.self) { maxEntity = value }
            var keys = [DatabaseValue?](repeating: nil, count: Int(maxEntity) + 1)
            for try await (id, key) in try await client.query("SELECT id, key FROM entities", logger: logger).decode(
                (Int64, String).self)
            {
                keys[Int(id)] = key.databaseValue
            }
            return keys
        }
    }

    /// The join as SQL, and its rows in the writer's form (only the chosen observations).
    static func join(
        _ plan: DatasetPlan, watermark: Int64, asOf: Int64?, keys: [DatabaseValue?], backend: PostgresBackend
    ) async throws(MarqueeError) -> PointInTimeJoin.Result {
        let asOfSQL = asOf.map(String.init) ?? "NULL"
        func literal(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }
        let value = ["value_kind", "value_integer", "value_real", "value_text", "value_blob"]
        func columns(_ table: String) -> [String] { value.map { "\(table).\($0)" } }
        var select = ["r.id", "r.entity_id", "r.object_id", "r.event_ts_us"] + columns("r")
        var joins: [String] = []
        for (index, column) in plan.columns.enumerated() {
            let entity = column.view.entity == .user ? "r.entity_id" : "r.object_id"
            let cutoff = plan.spec.createdCutoff ? " AND x.created_ts_us <= r.event_ts_us" : ""
            let ttl = column.view.ttlSeconds * 1_000_000
            joins.append(
                """
                LEFT JOIN LATERAL (
                    SELECT x.id, x.event_ts_us, \(columns("x").joined(separator: ", ")) FROM observations x
                    WHERE x.entity_id = \(entity) AND x.feature = \(literal(column.feature.name)) AND x.object_id = 0
                      AND x.id <= \(watermark) AND (\(asOfSQL)::bigint IS NULL OR x.created_ts_us <= \(asOfSQL)::bigint)
                      AND x.event_ts_us <= r.event_ts_us\(cutoff)
                    ORDER BY x.event_ts_us DESC, x.created_ts_us DESC, x.id DESC LIMIT 1
                ) c\(index) ON \(ttl == 0 ? "TRUE" : "c\(index).event_ts_us >= r.event_ts_us - \(ttl)")
                """)
            select += ["c\(index).id"] + columns("c\(index)")
        }
        let sql = """
            SELECT \(select.joined(separator: ", "))
            FROM observations r
            \(joins.joined(separator: "\n"))
            WHERE r.feature = 'rating' AND r.object_id > 0 AND r.id <= \(watermark)
              AND (\(asOfSQL)::bigint IS NULL OR r.created_ts_us <= \(asOfSQL)::bigint)
              AND EXISTS (SELECT 1 FROM entities e WHERE e.id = r.entity_id)
              AND EXISTS (SELECT 1 FROM entities e WHERE e.id = r.object_id)
            """
        let logger = backend.logger
        let columns = plan.columns.count
        return try await backend.run("join dataset \(plan.spec.name)") { client in
            var rows = PointInTimeJoin.Rows()
            var observations = [PointInTimeJoin.Observations](repeating: .init(), count: columns)
            var chosen = [[Int32]](repeating: [], count: columns)
            for try await row in try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger) {
                let cells = row.makeRandomAccess()
                rows.id.append(try cells[0].decode(Int64.self))
                rows.user.append(try cells[1].decode(Int64.self))
                rows.film.append(try cells[2].decode(Int64.self))
                rows.time.append(try cells[3].decode(Int64.self))
                rows.rating.append(try StoreValue(cells, at: 4).databaseValue)
                for index in 0..<columns {
                    let base = 9 + index * 6
                    guard let id = try cells[base].decode(Int64?.self) else {
                        chosen[index].append(-1)
                        continue
                    }
                    chosen[index].append(Int32(observations[index].id.count))
                    observations[index].id.append(id)
                    observations[index].value.append(try StoreValue(cells, at: base + 1).databaseValue)
                }
            }
            return PointInTimeJoin.Result(
                rows: rows, keys: keys, order: PointInTimeJoin.outputOrder(rows, keys: keys),
                observations: observations, featureIndex: Array(0..<columns), chosen: chosen)
        }
    }
}
