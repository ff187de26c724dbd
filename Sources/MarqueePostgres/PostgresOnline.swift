import Foundation
import MarqueeCore
import MarqueeStore
import PostgresNIO

/// The online table of a store in PostgreSQL: the latest value of each (entity, feature), as
/// `FeatureStore.online` reads it from SQLite — one round trip for all the features asked.
public enum PostgresOnline {
    /// The latest values of `features` for the `kind` entity known by `key`, in the order asked
    /// (a feature never observed is left out), flagged stale when older than `ttlSeconds` (0:
    /// never stale) at `clock`'s now.
    public static func values(
        _ kind: EntityKind, _ key: EntityKey, features: [String], ttlSeconds: Int64 = 0, backend: PostgresBackend,
        clock: any WallClock = SystemClock()
    ) async throws(MarqueeError) -> [OnlineValue] {
        try await PostgresStoreSchema.migrate(backend)
        let now = Microseconds.from(clock.now())
        let logger = backend.logger
        let found = try await backend.run("read online features of \(key)") { client in
            var found: [String: OnlineValue] = [:]
            let rows = try await client.query(
                """
                SELECT o.feature, o.value_kind, o.value_integer, o.value_real, o.value_text, o.value_blob,
                    o.event_ts_us, o.created_ts_us
                FROM online o JOIN entity_keys k ON k.entity_id = o.entity_id
                WHERE k.kind = \(kind.rawValue) AND k.namespace = \(key.namespace) AND k.value = \(key.value)
                    AND o.feature = ANY(\(features))
                """, logger: logger)
            for try await row in rows {
                let cells = row.makeRandomAccess()
                let feature = try cells[0].decode(String.self)
                let event = try cells[6].decode(Int64.self)
                found[feature] = OnlineValue(
                    feature: feature, value: try StoreValue(cells, at: 1).databaseValue, eventTimestamp: event,
                    createdTimestamp: try cells[7].decode(Int64.self),
                    stale: ttlSeconds > 0 && now - event > ttlSeconds * 1_000_000)
            }
            return found
        }
        return features.compactMap { found[$0] }
    }
}

extension PostgresOnline {
    /// The `kind` entity known by `key`, if any: its id and canonical key (as `FeatureStore.entity`).
    public static func entity(_ kind: EntityKind, _ key: EntityKey, backend: PostgresBackend)
        async throws(MarqueeError) -> (id: Int64, key: String)?
    {
        try await PostgresStoreSchema.migrate(backend)
        let logger = backend.logger
        return try await backend.run("look up \(key)") { client in
            let rows = try await client.query(
                """
                SELECT e.id, e.key FROM entity_keys k JOIN entities e ON e.id = k.entity_id
                WHERE k.kind = \(kind.rawValue) AND k.namespace = \(key.namespace) AND k.value = \(key.value)
                """, logger: logger)
            for try await (id, name) in rows.decode((Int64, String).self) { return (id, name) }
            return nil
        }
    }
}
