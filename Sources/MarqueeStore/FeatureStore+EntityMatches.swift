import GRDB
import MarqueeCore

/// A stored film as the entity matcher sees it: its id, canonical key and latest facts.
public struct StoredFilm: Sendable, Hashable {
    /// The entity's row id.
    public var entityID: Int64
    /// Its canonical key (`imdb:tt0113277`).
    public var key: String
    /// Its latest title.
    public var title: String
    /// Its latest year.
    public var year: Int?
    /// `|`-joined in the store.
    public var directors: [String]
}

/// One recorded decision of the entity matcher.
public struct EntityMatchRecord: Sendable, Hashable, Codable {
    /// The record's own key (`rt:m/fargo`).
    public var key: String
    /// `matched`, `ambiguous` or `none`.
    public var status: String
    /// The film it was merged into (matched only).
    public var entityKey: String?
    /// How strongly the evidence pointed at the film (matched only).
    public var score: Double?
    /// The evidence in words (`title + year ±1 + director`, …).
    public var reason: String
    /// The candidates' keys (ambiguous only).
    public var candidates: [String]
    /// When the decision was recorded (UTC microseconds).
    public var created: Int64

    /// A decision record; see the properties.
    public init(
        key: String, status: String, entityKey: String?, score: Double?, reason: String, candidates: [String],
        created: Int64
    ) {
        self.key = key
        self.status = status
        self.entityKey = entityKey
        self.score = score
        self.reason = reason
        self.candidates = candidates
        self.created = created
    }

    enum CodingKeys: String, CodingKey {
        case key, status, score, reason, candidates, created
        case entityKey = "entity_key"
    }
}

extension FeatureStore {
    /// Every film entity with a title, with its latest year and directors.
    public func storedFilms() throws(MarqueeError) -> [StoredFilm] {
        do {
            return try writer.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT e.id, e.key, t.value AS title, y.value AS year, d.value AS directors
                        FROM entities e JOIN online t ON t.entity_id = e.id AND t.feature = 'title'
                        LEFT JOIN online y ON y.entity_id = e.id AND y.feature = 'year'
                        LEFT JOIN online d ON d.entity_id = e.id AND d.feature = 'directors'
                        WHERE e.kind = 'film'
                        """
                ).compactMap { row -> StoredFilm? in
                    guard let title = row["title"] as String? else { return nil }
                    let directors: String? = row["directors"]
                    return StoredFilm(
                        entityID: row["id"], key: row["key"], title: title, year: row["year"],
                        directors: directors?.split(separator: "|").map(String.init) ?? [])
                }
            }
        } catch {
            throw .database(error, "reading films for entity matching")
        }
    }

    /// Records a matcher decision (the latest per key is what `entities` commands show).
    public func recordEntityMatch(_ match: EntityMatchRecord) throws(MarqueeError) {
        do {
            try writer.write { db in
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO entity_matches (key, status, entity_key, score, reason, candidates, created_ts_us)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        match.key, match.status, match.entityKey, match.score, match.reason,
                        match.candidates.joined(separator: "\n"), match.created,
                    ])
            }
        } catch {
            throw .database(error, "recording an entity match")
        }
    }

    /// Recorded matcher decisions, optionally of one status, by key.
    public func entityMatches(status: String? = nil) throws(MarqueeError) -> [EntityMatchRecord] {
        do {
            return try writer.read { db in
                try Row.fetchAll(
                    db,
                    sql: "SELECT * FROM entity_matches" + (status == nil ? "" : " WHERE status = ?") + " ORDER BY key",
                    arguments: status.map { [$0] } ?? []
                ).map { row in
                    let candidates: String = row["candidates"] ?? ""
                    return EntityMatchRecord(
                        key: row["key"], status: row["status"], entityKey: row["entity_key"], score: row["score"],
                        reason: row["reason"], candidates: candidates.split(separator: "\n").map(String.init),
                        created: row["created_ts_us"])
                }
            }
        } catch {
            throw .database(error, "reading entity matches")
        }
    }

    /// Entities that two keys of one namespace point at (`imdb:tt1` and `imdb:tt2` on one
    /// film): each a possible wrong merge.
    public func keyConflicts() throws(MarqueeError) -> [(entityKey: String, namespace: String, values: [String])] {
        do {
            return try writer.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT e.key AS entity, k.namespace AS namespace, GROUP_CONCAT(k.value, '\n') AS keyValues
                        FROM entity_keys k JOIN entities e ON e.id = k.entity_id
                        WHERE k.kind = 'film' AND k.namespace IN ('imdb', 'tmdb', 'movielens')
                        GROUP BY k.entity_id, k.namespace HAVING COUNT(*) > 1 ORDER BY e.key, k.namespace
                        """
                ).map { row in
                    let values: String = row["keyValues"]
                    return (row["entity"], row["namespace"], values.split(separator: "\n").map(String.init).sorted())
                }
            }
        } catch {
            throw .database(error, "reading key conflicts")
        }
    }

    /// What the store holds about the entity a key names: every key, and per feature the
    /// observation count and sources. `nil` when no entity has the key.
    public func entityReport(_ key: EntityKey, kind: EntityKind = .film) throws(MarqueeError) -> EntityReport? {
        do {
            return try writer.read { db in
                guard
                    let id = try Int64.fetchOne(
                        db, sql: "SELECT entity_id FROM entity_keys WHERE kind = ? AND namespace = ? AND value = ?",
                        arguments: [kind.rawValue, key.namespace, key.value])
                else { return nil }
                let canonical =
                    try String.fetchOne(db, sql: "SELECT key FROM entities WHERE id = ?", arguments: [id]) ?? ""
                let keys = try Row.fetchAll(
                    db, sql: "SELECT namespace, value FROM entity_keys WHERE entity_id = ? ORDER BY namespace, value",
                    arguments: [id]
                ).map { "\($0["namespace"] as String):\($0["value"] as String)" }
                let features = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT feature, COUNT(*) AS n, GROUP_CONCAT(DISTINCT source) AS sources,
                            MAX(event_ts_us) AS latest
                        FROM observations WHERE entity_id = ? GROUP BY feature ORDER BY feature
                        """, arguments: [id]
                ).map { row in
                    EntityReport.Feature(
                        feature: row["feature"], observations: row["n"],
                        sources: (row["sources"] as String? ?? "").split(separator: ",").map(String.init).sorted(),
                        latestEvent: row["latest"])
                }
                let pages = try String.fetchAll(
                    db,
                    sql:
                        "SELECT DISTINCT source_hash FROM observations WHERE entity_id = ? AND source_hash IS NOT NULL ORDER BY 1",
                    arguments: [id])
                return EntityReport(key: canonical, keys: keys, features: features, sourceHashes: pages)
            }
        } catch {
            throw .database(error, "reading the entity")
        }
    }
}

/// What `marquee entities show` prints.
public struct EntityReport: Sendable, Hashable, Codable {
    /// One feature the entity has observations of.
    public struct Feature: Sendable, Hashable, Codable {
        /// The feature's name.
        public var feature: String
        /// How many observations it has.
        public var observations: Int
        /// The sources they came from (`imdb`, `movielens`, …).
        public var sources: [String]
        /// Latest event time (UTC microseconds; 0 for timeless facts).
        public var latestEvent: Int64
        enum CodingKeys: String, CodingKey {
            case feature, observations, sources
            case latestEvent = "latest_event_ts_us"
        }
    }

    /// The entity's canonical key.
    public var key: String
    /// Every key that names it.
    public var keys: [String]
    /// Its features, by name.
    public var features: [Feature]
    /// Hashes of the pages and files its observations were read from.
    public var sourceHashes: [String]

    enum CodingKeys: String, CodingKey {
        case key, keys, features
        case sourceHashes = "source_hashes"
    }
}
