import GRDB
import MarqueeCore

/// How one feature stands in the store, for `marquee features describe`.
public struct FeatureStatus: Sendable, Hashable, Codable {
    /// `view.feature`.
    public var feature: String
    /// Entities of the view's kind that have a latest value in the online table.
    public var entitiesWithValue: Int
    /// Entities of the view's kind in the store.
    public var entities: Int
    /// Observations of this feature.
    public var observations: Int
    /// Newest event time among them (UTC microseconds), if any.
    public var latestEvent: Int64?
    /// Newest creation time among them (UTC microseconds), if any.
    public var latestCreated: Int64?
    /// Online values older than the view's TTL now (0 when the TTL is unlimited).
    public var stale: Int

    /// Share of entities without a value.
    public var nullShare: Double { entities == 0 ? 0 : 1 - Double(entitiesWithValue) / Double(entities) }
}

extension FeatureStore {
    /// Status of every feature of `view`.
    public func status(of view: FeatureView) throws(MarqueeError) -> [FeatureStatus] {
        let now = nowMicroseconds
        do {
            return try writer.read { db in
                let entities = try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM entities WHERE kind = ?", arguments: [view.entity.rawValue])!
                return try view.features.map { feature in
                    let online = try Row.fetchOne(
                        db,
                        sql: """
                            SELECT COUNT(*) AS n, SUM(CASE WHEN ? > 0 AND ? - o.event_ts_us > ? THEN 1 ELSE 0 END) AS stale
                            FROM online o JOIN entities e ON e.id = o.entity_id
                            WHERE e.kind = ? AND o.feature = ? AND o.value IS NOT NULL
                            """,
                        arguments: [
                            view.ttlSeconds, now, view.ttlSeconds * 1_000_000, view.entity.rawValue, feature.name,
                        ])!
                    let observed = try Row.fetchOne(
                        db,
                        sql: """
                            SELECT COUNT(*) AS n, MAX(x.event_ts_us) AS event, MAX(x.created_ts_us) AS created
                            FROM observations x JOIN entities e ON e.id = x.entity_id
                            WHERE x.feature = ? AND x.object_id = 0 AND e.kind = ?
                            """, arguments: [feature.name, view.entity.rawValue])!
                    return FeatureStatus(
                        feature: "\(view.name).\(feature.name)", entitiesWithValue: online["n"], entities: entities,
                        observations: observed["n"], latestEvent: observed["event"], latestCreated: observed["created"],
                        stale: online["stale"] ?? 0)
                }
            }
        } catch {
            throw .database(error, "describing view \(view.name)")
        }
    }

    /// Rebuilds the online table's rows for every feature of `views` from the observations
    /// (latest event wins, then latest created); returns how many rows changed.
    public func materialize(_ views: [FeatureView]) throws(MarqueeError) -> Int {
        do {
            return try writer.write { db in
                var changed = 0
                for view in views {
                    for feature in view.features {
                        try db.execute(
                            sql: """
                                INSERT INTO online (entity_id, feature, value, event_ts_us, created_ts_us, observation_id)
                                SELECT entity_id, feature, value, event_ts_us, created_ts_us, id FROM (
                                    SELECT x.*, ROW_NUMBER() OVER (
                                        PARTITION BY x.entity_id ORDER BY x.event_ts_us DESC, x.created_ts_us DESC, x.id DESC) AS rank
                                    FROM observations x JOIN entities e ON e.id = x.entity_id
                                    WHERE x.feature = ? AND x.object_id = 0 AND e.kind = ?
                                ) WHERE rank = 1
                                ON CONFLICT (entity_id, feature) DO UPDATE SET
                                    value = excluded.value, event_ts_us = excluded.event_ts_us,
                                    created_ts_us = excluded.created_ts_us, observation_id = excluded.observation_id
                                WHERE excluded.observation_id != online.observation_id
                                  AND (excluded.event_ts_us > online.event_ts_us
                                    OR (excluded.event_ts_us = online.event_ts_us AND excluded.created_ts_us > online.created_ts_us)
                                    OR (excluded.event_ts_us = online.event_ts_us AND excluded.created_ts_us = online.created_ts_us
                                        AND excluded.observation_id > online.observation_id))
                                """, arguments: [feature.name, view.entity.rawValue])
                        changed += db.changesCount
                    }
                }
                return changed
            }
        } catch {
            throw .database(error, "materialising the online table")
        }
    }
}
