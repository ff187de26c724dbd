import GRDB
import MarqueeCore

/// One value from the online table, with how old it is.
public struct OnlineValue: Sendable, Hashable {
    /// The feature's name.
    public var feature: String
    /// The value (`nil` when the latest observation was null).
    public var value: DatabaseValue
    /// When it was true on the site (UTC microseconds).
    public var eventTimestamp: Int64
    /// When Marquee learnt it (UTC microseconds).
    public var createdTimestamp: Int64
    /// `true` when older than the view's TTL at read time.
    public var stale: Bool

    /// A value read from an online table.
    public init(feature: String, value: DatabaseValue, eventTimestamp: Int64, createdTimestamp: Int64, stale: Bool) {
        self.feature = feature
        self.value = value
        self.eventTimestamp = eventTimestamp
        self.createdTimestamp = createdTimestamp
        self.stale = stale
    }
}

extension FeatureStore {
    /// Brings the online table up to date for `features` of `entity` from its observations: the
    /// latest event wins (ties: the latest created); an older event never replaces a newer one,
    /// so a late backfill cannot overwrite a fresh value.
    /// The online upserts' conflict clause: the incoming row replaces the stored one only when
    /// newer — event time, then created time, then observation id.
    static let onlineNewerWins = """
        ON CONFLICT (entity_id, feature) DO UPDATE SET
            value = excluded.value, event_ts_us = excluded.event_ts_us,
            created_ts_us = excluded.created_ts_us, observation_id = excluded.observation_id
        WHERE excluded.event_ts_us > online.event_ts_us
           OR (excluded.event_ts_us = online.event_ts_us AND excluded.created_ts_us > online.created_ts_us)
           OR (excluded.event_ts_us = online.event_ts_us AND excluded.created_ts_us = online.created_ts_us
               AND excluded.observation_id > online.observation_id)
        """

    static func upsertOnline(_ db: Database, entity: Int64, features: [String]) throws {
        for feature in features {
            try db.cachedStatement(
                sql: """
                    INSERT INTO online (entity_id, feature, value, event_ts_us, created_ts_us, observation_id)
                    SELECT entity_id, feature, value, event_ts_us, created_ts_us, id FROM observations
                    WHERE entity_id = ? AND feature = ? AND object_id = 0
                    ORDER BY event_ts_us DESC, created_ts_us DESC, id DESC LIMIT 1
                    \(onlineNewerWins)
                    """
            ).execute(arguments: [entity, feature])
        }
    }

    /// Records one observation about an entity (no object) and updates the online table when
    /// it is the newest; see ``ingest(_:)`` for batches. Returns `false` when the identical
    /// observation was already stored.
    @discardableResult
    public func observe(
        _ entity: EntityKey, kind: EntityKind, feature: String, value: (any DatabaseValueConvertible & Sendable)?,
        eventTimestamp: Int64, source: String, sourceHash: String? = nil, otherKeys: [EntityKey] = []
    ) throws(MarqueeError) -> Bool {
        try ingest([
            ObservationInput(
                kind: kind, entity: entity, alsoKnownAs: otherKeys, feature: feature,
                value: value?.databaseValue ?? .null, eventTimestamp: eventTimestamp, source: source,
                sourceHash: sourceHash)
        ]) == 1
    }

    /// Records that `user` rated `film` `rating` (on the site's scale) at `eventTimestamp`: an
    /// observation on the user, feature `rating`, whose object is the film. Returns `false`
    /// when the identical rating was already stored.
    @discardableResult
    public func rate(
        user: EntityKey, film: EntityKey, rating: Double, eventTimestamp: Int64, source: String,
        sourceHash: String? = nil
    ) throws(MarqueeError) -> Bool {
        try ingest([
            ObservationInput(
                kind: .user, entity: user, feature: "rating", object: (.film, film), value: rating.databaseValue,
                eventTimestamp: eventTimestamp, source: source, sourceHash: sourceHash)
        ]) == 1
    }

    /// The latest values of `features` for the entity known by `key`, flagged stale when older
    /// than `ttlSeconds` (0: never stale) at `now`.
    public func online(_ kind: EntityKind, _ key: EntityKey, features: [String], ttlSeconds: Int64 = 0)
        throws(MarqueeError)
        -> [OnlineValue]
    {
        let now = nowMicroseconds
        do {
            return try writer.read { db in
                try features.compactMap { feature in
                    guard
                        let row = try Row.fetchOne(
                            db,
                            sql: """
                                SELECT o.value, o.event_ts_us, o.created_ts_us FROM online o
                                JOIN entity_keys k ON k.entity_id = o.entity_id
                                WHERE k.kind = ? AND k.namespace = ? AND k.value = ? AND o.feature = ?
                                """, arguments: [kind.rawValue, key.namespace, key.value, feature])
                    else { return nil }
                    let event: Int64 = row["event_ts_us"]
                    return OnlineValue(
                        feature: feature, value: row["value"], eventTimestamp: event,
                        createdTimestamp: row["created_ts_us"],
                        stale: ttlSeconds > 0 && now - event > ttlSeconds * 1_000_000)
                }
            }
        } catch {
            throw .database(error, "reading online features of \(key)")
        }
    }
}
