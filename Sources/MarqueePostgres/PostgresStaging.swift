import Foundation
import GRDB
import Logging
import MarqueeCore
import MarqueeStore
import NIOCore
import PostgresNIO

/// Writes into a PostgreSQL store with the SQLite store's own code, so both stores assign the same
/// entity and observation ids to the same input — and datasets built from them have the same bytes
/// and version ids.
///
/// One transaction, under an advisory lock that makes writers take turns: the PostgreSQL store's
/// entities and keys are copied into a SQLite staging store in a temporary folder; `body` writes
/// there (entity resolution, normalisation and validation exactly as on SQLite); then what it
/// added moves up with COPY — new entities and keys, renamed entities, and the new observations,
/// each numbered after the store's newest as SQLite numbers them, an observation identical to a
/// stored one (entity, feature, object, event time, source, value) left out as SQLite's unique
/// key leaves it out — and the online table takes the newest of every (entity, feature) touched.
/// A failure anywhere rolls everything back.
public enum PostgresStaging {
    /// What a staged write did.
    public struct Outcome<Result: Sendable>: Sendable {
        /// What `body` returned.
        public var result: Result
        /// Observations added to PostgreSQL, by feature (those already stored are not counted).
        public var observationsAdded: [String: Int]
        /// Entities added to PostgreSQL.
        public var entitiesAdded: Int
    }

    /// Runs `body` on a staging store holding `backend`'s entities and moves what it added into
    /// `backend`'s database.
    /// - Parameters:
    ///   - backend: the PostgreSQL store written into.
    ///   - clock: the staging store's clock (the observations' created time).
    ///   - body: the write, as on a SQLite store; its error rolls back the whole write.
    /// - Throws: `body`'s errors; `.cannotCreate` when no staging folder can be made; the server's
    ///   errors as ``PostgresBackend`` reports them.
    public static func write<Result: Sendable>(
        into backend: PostgresBackend, clock: any WallClock = SystemClock(),
        _ body: @escaping @Sendable (FeatureStore) throws(MarqueeError) -> Result
    ) async throws(MarqueeError) -> Outcome<Result> {
        try await PostgresStoreSchema.migrate(backend)
        let logger = backend.logger
        return try await backend.transaction("write into the store") { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
            let folder = FileManager.default.temporaryDirectory
                .appendingPathComponent("marquee-staging-\(UUID().uuidString)")
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch {
                throw MarqueeError(.cannotCreate, "cannot create a staging folder: \(error)", location: folder.path)
            }
            defer { try? FileManager.default.removeItem(at: folder) }
            let path = folder.appendingPathComponent("staging.sqlite").path

            // The store's entities and keys, as they are under the lock.
            let entities = StoreTables.named("entities"), keys = StoreTables.named("entity_keys")
            let storedEntities = try await PostgresStoreSchema.rows(entities, on: connection, logger: logger)
            let storedKeys = try await PostgresStoreSchema.rows(keys, on: connection, logger: logger)
            let newestEntity = storedEntities.last.flatMap { Self.integer($0[0]) } ?? 0
            var newestObservation: Int64 = 0
            for try await id in try await connection.query(
                "SELECT COALESCE(MAX(id), 0)::bigint FROM observations", logger: logger
            ).decode(Int64.self) { newestObservation = id }

            let store = try FeatureStore(path: path, clock: clock)
            let staging = try DatabaseQueue(path: path)
            try await staging.write { db in
                try StoreValue.insert(storedEntities, into: entities, in: db)
                try StoreValue.insert(storedKeys, into: keys, in: db)
            }
            let result = try body(store)

            // Entities and keys: the new ones, and the entities whose name a better key changed.
            let (added, renamed, addedKeys) = try await staging.read { db in
                let known = Set(storedKeys)
                let names = Dictionary(storedEntities.map { (Self.integer($0[0])!, $0[2]) }) { first, _ in first }
                let all = try StoreValue.rows(of: entities, in: db)
                return (
                    all.filter { Self.integer($0[0])! > newestEntity },
                    all.filter { row in names[Self.integer(row[0])!].map { $0 != row[2] } ?? false },
                    try StoreValue.rows(of: keys, in: db).filter { !known.contains($0) }
                )
            }
            try await StoreCopy.copyIn(
                try StoreValue.copyText(added, of: entities), to: entities, on: connection, logger: logger)
            try await StoreCopy.copyIn(
                try StoreValue.copyText(addedKeys, of: keys), to: keys, on: connection, logger: logger)
            for row in renamed {
                guard case .integer(let id) = row[0], case .text(let key) = row[2] else { continue }
                try await connection.query("UPDATE entities SET key = \(key) WHERE id = \(id)", logger: logger)
            }
            let counts = try await moveObservations(
                from: staging, after: newestObservation, on: connection, logger: logger)
            return Outcome(result: result, observationsAdded: counts, entitiesAdded: added.count)
        }
    }

    /// A key for `pg_advisory_xact_lock`: writers of one store take turns.
    static let lockKey: Int64 = 0x6D61_7271_7374_6F72  // "marqstor"

    /// Staged observations read and sent this many at a time.
    static let chunk = 50_000

    /// Sends the staging store's observations into a temporary table, inserts those not stored
    /// yet numbered after `newest` in staging order, and refreshes the online table for them.
    private static func moveObservations(
        from staging: DatabaseQueue, after newest: Int64, on connection: PostgresConnection, logger: Logger
    ) async throws -> [String: Int] {
        let table = StoreTables.named("observations")
        try await connection.query(
            "CREATE TEMP TABLE staged_observations (LIKE observations INCLUDING DEFAULTS) ON COMMIT DROP",
            logger: logger)
        var last: Int64 = 0
        while true {
            let filter = "id > \(last)"
            let rows = try await staging.read { db in
                try StoreValue.rows(of: table, where: filter, limit: chunk, in: db)
            }
            guard let final = rows.last.flatMap({ Self.integer($0[0]) }) else { break }
            try await StoreCopy.copyIn(
                try StoreValue.copyText(rows, of: table), to: table, named: "staged_observations", on: connection,
                logger: logger)
            last = final
        }
        let columns = table.columns.dropFirst().flatMap(\.postgresColumns)
        let same = table.columns.filter {
            ["entity_id", "feature", "object_id", "event_ts_us", "source"].contains($0.name)
        }
        .map { "o.\($0.name) = s.\($0.name)" }.joined(separator: " AND ")
        var counts: [String: Int] = [:]
        let inserted = try await connection.query(
            PostgresQuery(
                unsafeSQL: """
                    WITH inserted AS (
                        INSERT INTO observations (id, \(columns.joined(separator: ", ")))
                        SELECT \(newest) + row_number() OVER (ORDER BY s.id), \(columns.map { "s.\($0)" }.joined(separator: ", "))
                        FROM staged_observations s
                        WHERE NOT EXISTS (
                            SELECT 1 FROM observations o WHERE \(same) AND \(sameValue))
                        RETURNING feature)
                    SELECT feature, COUNT(*)::bigint FROM inserted GROUP BY feature
                    """), logger: logger)
        for try await (feature, count) in inserted.decode((String, Int64).self) { counts[feature] = Int(count) }
        try await connection.query(
            PostgresQuery(
                unsafeSQL: """
                    INSERT INTO online (entity_id, feature, \(valueColumns.joined(separator: ", ")), event_ts_us,
                        created_ts_us, observation_id)
                    SELECT DISTINCT ON (o.entity_id, o.feature) o.entity_id, o.feature,
                        \(valueColumns.map { "o.\($0)" }.joined(separator: ", ")), o.event_ts_us, o.created_ts_us, o.id
                    FROM observations o
                    WHERE o.object_id = 0 AND (o.entity_id, o.feature) IN (
                        SELECT entity_id, feature FROM observations WHERE id > \(newest) AND object_id = 0)
                    ORDER BY o.entity_id, o.feature, o.event_ts_us DESC, o.created_ts_us DESC, o.id DESC
                    ON CONFLICT (entity_id, feature) DO UPDATE SET
                        \(valueColumns.map { "\($0) = EXCLUDED.\($0)" }.joined(separator: ", ")),
                        event_ts_us = EXCLUDED.event_ts_us, created_ts_us = EXCLUDED.created_ts_us,
                        observation_id = EXCLUDED.observation_id
                    WHERE online.observation_id <> EXCLUDED.observation_id
                    """), logger: logger)
        return counts
    }

    /// The columns a value is stored in.
    private static let valueColumns = ["value_kind", "value_integer", "value_real", "value_text", "value_blob"]

    /// SQLite's unique key compares values as SQLite does: NULLs never equal (a null value is
    /// always added), integers and doubles by number, text and blobs exactly.
    private static let sameValue = """
        s.value_kind <> 'null' AND (
            (o.value_kind = 'text' AND s.value_kind = 'text' AND o.value_text = s.value_text)
            OR (o.value_kind = 'blob' AND s.value_kind = 'blob' AND o.value_blob = s.value_blob)
            OR (o.value_kind IN ('integer', 'real') AND s.value_kind IN ('integer', 'real')
                AND COALESCE(o.value_integer::numeric, o.value_real::numeric)
                    = COALESCE(s.value_integer::numeric, s.value_real::numeric)))
        """

    private static func integer(_ value: StoreValue) -> Int64? {
        if case .integer(let integer) = value { return integer }
        return nil
    }
}
