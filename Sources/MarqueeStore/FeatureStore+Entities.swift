import GRDB
import MarqueeCore

extension FeatureStore {
    /// The id of the `kind` entity known by any of the first `matchOn` of `keys` (all by default),
    /// creating it when none is known, and recording the keys no other entity holds yet.
    ///
    /// Call inside a write transaction. A new entity is named by its most preferred key that is
    /// still free. A key held by another entity is left with it (a merge is a later, explicit
    /// step), so two MovieLens films that share an IMDb id stay two films.
    static func resolveEntity(
        _ db: Database, kind: EntityKind, keys: [EntityKey], matchOn: Int? = nil,
        adoptingUnclaimedBy owner: String? = nil,
        now: Int64
    ) throws -> Int64 {
        precondition(!keys.isEmpty, "an entity needs at least one key")
        func lookup(_ key: EntityKey) throws -> Int64? {
            try Int64.fetchOne(
                db.cachedStatement(
                    sql: "SELECT entity_id FROM entity_keys WHERE kind = ? AND namespace = ? AND value = ?"),
                arguments: [kind.rawValue, key.namespace, key.value])
        }
        var found: Int64?
        for key in keys.prefix(matchOn ?? keys.count) {
            if let id = try lookup(key) {
                found = id
                break
            }
        }
        // The other keys may name an entity a scrape created first (a film page with its IMDb
        // id, before MovieLens was imported): that one is adopted — unless `owner`'s namespace
        // already claims it (two MovieLens films sharing an IMDb id stay two films).
        if found == nil, let owner {
            for key in keys.dropFirst(matchOn ?? keys.count) {
                guard let id = try lookup(key) else { continue }
                let claimed = try Bool.fetchOne(
                    db.cachedStatement(
                        sql: "SELECT EXISTS (SELECT 1 FROM entity_keys WHERE entity_id = ? AND namespace = ?)"),
                    arguments: [id, owner])!
                if !claimed {
                    found = id
                    break
                }
            }
        }
        let id: Int64
        if let found {
            id = found
        } else {
            var free: [EntityKey] = []
            for key in keys {
                let taken = try Bool.fetchOne(
                    db.cachedStatement(
                        sql: "SELECT EXISTS (SELECT 1 FROM entity_keys WHERE kind = ? AND namespace = ? AND value = ?)"),
                    arguments: [kind.rawValue, key.namespace, key.value])!
                if !taken { free.append(key) }
            }
            guard let canonical = EntityKey.canonical(free) else {
                throw MarqueeError(
                    .dataError,
                    "every key of this \(kind.rawValue) (\(keys.map(\.description).joined(separator: ", "))) belongs to other entities"
                )
            }
            try db.cachedStatement(sql: "INSERT INTO entities (kind, key, created_ts_us) VALUES (?, ?, ?)")
                .execute(arguments: [kind.rawValue, canonical.description, now])
            id = db.lastInsertedRowID
        }
        var added = false
        for key in keys {
            try db.cachedStatement(
                sql: "INSERT OR IGNORE INTO entity_keys (kind, namespace, value, entity_id) VALUES (?, ?, ?, ?)"
            )
            .execute(arguments: [kind.rawValue, key.namespace, key.value, id])
            added = added || db.changesCount > 0
        }
        // A better key joined (an IMDb id after a Letterboxd slug): the entity is now known by it,
        // whichever page arrived first.
        if added, found != nil {
            let all = try Row.fetchAll(
                db.cachedStatement(sql: "SELECT namespace, value FROM entity_keys WHERE entity_id = ?"), arguments: [id]
            ).map { EntityKey($0["namespace"], $0["value"]) }
            if let best = EntityKey.canonical(all) {
                try db.cachedStatement(sql: "UPDATE entities SET key = ? WHERE id = ? AND key <> ?")
                    .execute(arguments: [best.description, id, best.description])
            }
        }
        return id
    }

    /// The `kind` entity known by `key`, if any: its id and canonical key.
    public func entity(_ kind: EntityKind, _ key: EntityKey) throws(MarqueeError) -> (id: Int64, key: String)? {
        do {
            return try writer.read { db in
                guard
                    let row = try Row.fetchOne(
                        db,
                        sql: """
                            SELECT e.id, e.key FROM entity_keys k JOIN entities e ON e.id = k.entity_id
                            WHERE k.kind = ? AND k.namespace = ? AND k.value = ?
                            """, arguments: [kind.rawValue, key.namespace, key.value])
                else { return nil }
                return (row["id"], row["key"])
            }
        } catch {
            throw .database(error, "looking up \(key)")
        }
    }
}
