import GRDB
import GRDBSQLite
import MarqueeCore
import Synchronization

/// One observation to record: which entity (by a key), which feature, the value and its times.
public struct ObservationInput: Sendable {
    /// The entity's kind.
    public var kind: EntityKind
    /// A key of the entity (created if unknown).
    public var entity: EntityKey
    /// Other keys of the same entity (its IMDb id on a Letterboxd page), recorded when free and
    /// used to find the entity when `entity` is not known yet.
    public var alsoKnownAs: [EntityKey]
    /// The feature's name.
    public var feature: String
    /// For relations (a user's rating of a film): the other entity, else `nil`.
    public var object: (kind: EntityKind, key: EntityKey)?
    /// The value (`Int`, `Int64`, `Double`, `String`), or `nil` for "known to be empty".
    public var value: DatabaseValue
    /// When it was true on the site (UTC microseconds).
    public var eventTimestamp: Int64
    /// Where it came from (`movielens`, `imdb`, a file or page hash's kind).
    public var source: String
    /// Hash of the file or page it was read from, if any.
    public var sourceHash: String?

    /// Creates an observation input.
    public init(
        kind: EntityKind, entity: EntityKey, alsoKnownAs: [EntityKey] = [], feature: String,
        object: (kind: EntityKind, key: EntityKey)? = nil, value: DatabaseValue, eventTimestamp: Int64, source: String,
        sourceHash: String? = nil
    ) {
        self.kind = kind
        self.entity = entity
        self.alsoKnownAs = alsoKnownAs
        self.feature = feature
        self.object = object
        self.value = value
        self.eventTimestamp = eventTimestamp
        self.source = source
        self.sourceHash = sourceHash
    }
}

extension FeatureStore {
    /// Records a batch of observations in one transaction, resolving entities once each and
    /// updating the online table for plain (non-relation) features; returns how many were new.
    /// Identical observations already stored are skipped, so a batch can be replayed safely.
    ///
    /// Keys seen in earlier batches of this store are resolved from memory; the online table
    /// gets one upsert per (entity, feature) with the batch's newest observation, which replaces
    /// the stored one only when newer (event time, then created time, then id).
    public func ingest(_ batch: some Sequence<ObservationInput> & Sendable) throws(MarqueeError) -> Int {
        let now = nowMicroseconds
        var resolved: [EntityKind: [EntityKey: Int64]] = [:]
        do {
            let added = try writer.write { db in
                let insert = try ObservationBinder.statement(db)
                func id(_ kind: EntityKind, _ key: EntityKey, _ others: [EntityKey] = []) throws -> Int64 {
                    if let known = resolved[kind]?[key] { return known }
                    // Other keys may join an entity (or adopt one): only a bare key is taken from memory.
                    if others.isEmpty, let known = entityIDs.id(kind, key) { return known }
                    let id = try Self.resolveEntity(db, kind: kind, keys: [key] + others, now: now)
                    resolved[kind, default: [:]][key] = id
                    return id
                }
                var added = 0
                var newest: [OnlineKey: OnlineCandidate] = [:]
                for observation in batch {
                    let entity = try id(observation.kind, observation.entity, observation.alsoKnownAs)
                    let object = try observation.object.map { try id($0.kind, $0.key) } ?? 0
                    guard
                        try ObservationBinder.insert(
                            insert, db, entity: entity, feature: observation.feature, object: object,
                            value: observation.value, event: observation.eventTimestamp, created: now,
                            source: observation.source, hash: observation.sourceHash)
                    else { continue }
                    added += 1
                    guard object == 0 else { continue }
                    let candidate = OnlineCandidate(
                        event: observation.eventTimestamp, id: db.lastInsertedRowID, value: observation.value)
                    let key = OnlineKey(entity: entity, feature: observation.feature)
                    if let current = newest[key], (current.event, current.id) > (candidate.event, candidate.id) {
                        continue
                    }
                    newest[key] = candidate
                }
                let upsert = try ObservationBinder.onlineStatement(db)
                for (key, candidate) in newest {
                    try ObservationBinder.upsertOnline(
                        upsert, db, entity: key.entity, feature: key.feature, candidate: candidate, created: now)
                }
                return added
            }
            entityIDs.remember(resolved)
            return added
        } catch {
            throw .database(error, "ingesting observations")
        }
    }
}

/// An (entity, feature) pair of the online table.
private struct OnlineKey: Hashable {
    var entity: Int64
    var feature: String
}

/// The newest observation of an (entity, feature) in a batch (all share the batch's created time).
struct OnlineCandidate {
    var event: Int64
    var id: Int64
    var value: DatabaseValue
}

/// Entity ids by kind and key, shared by a store's batches; bounded (cleared past a million keys).
final class EntityIDCache: Sendable {
    private let ids = Mutex<[EntityKind: [EntityKey: Int64]]>([:])

    func id(_ kind: EntityKind, _ key: EntityKey) -> Int64? { ids.withLock { $0[kind]?[key] } }

    /// Adds the ids a committed transaction resolved.
    func remember(_ resolved: [EntityKind: [EntityKey: Int64]]) {
        guard !resolved.isEmpty else { return }
        ids.withLock { ids in
            if ids.values.reduce(0, { $0 + $1.count }) > 1_000_000 { ids.removeAll() }
            for (kind, keys) in resolved { ids[kind, default: [:]].merge(keys) { $1 } }
        }
    }
}

/// The ingest loop's hot path: binds one observation with SQLite's C API on a statement this
/// loop owns (made with `makeStatement`, never handed back to GRDB), steps it, and reports
/// whether a row was inserted. GRDB's `StatementArguments` allocate per call, which cost
/// Marquee half its ingest speed against a plain C loop.
enum ObservationBinder {
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// A fresh insert statement for this loop; identical observations are ignored.
    static func statement(_ db: Database) throws -> Statement {
        try db.makeStatement(
            sql: """
                INSERT OR IGNORE INTO observations
                    (entity_id, feature, object_id, value, event_ts_us, created_ts_us, source, source_hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
    }

    /// The online table's upsert of one candidate: replaces the stored row only when newer.
    static func onlineStatement(_ db: Database) throws -> Statement {
        try db.makeStatement(
            sql: """
                INSERT INTO online (entity_id, feature, value, event_ts_us, created_ts_us, observation_id)
                VALUES (?, ?, ?, ?, ?, ?)
                \(FeatureStore.onlineNewerWins)
                """)
    }

    static func upsertOnline(
        _ statement: Statement, _ db: Database, entity: Int64, feature: String, candidate: OnlineCandidate,
        created: Int64
    ) throws {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        sqlite3_bind_int64(handle, 1, entity)
        bind(handle, 2, feature)
        bind(handle, 3, candidate.value)
        sqlite3_bind_int64(handle, 4, candidate.event)
        sqlite3_bind_int64(handle, 5, created)
        sqlite3_bind_int64(handle, 6, candidate.id)
        try finish(statement, db)
    }

    static func insert(
        _ statement: Statement, _ db: Database, entity: Int64, feature: String, object: Int64, value: DatabaseValue,
        event: Int64, created: Int64, source: String, hash: String?
    ) throws -> Bool {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        sqlite3_bind_int64(handle, 1, entity)
        bind(handle, 2, feature)
        sqlite3_bind_int64(handle, 3, object)
        bind(handle, 4, value)
        sqlite3_bind_int64(handle, 5, event)
        sqlite3_bind_int64(handle, 6, created)
        bind(handle, 7, source)
        if let hash { bind(handle, 8, hash) } else { sqlite3_bind_null(handle, 8) }
        try finish(statement, db)
        return sqlite3_changes(db.sqliteConnection) > 0
    }

    private static func finish(_ statement: Statement, _ db: Database) throws {
        let code = sqlite3_step(statement.sqliteStatement)
        guard code == SQLITE_DONE else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
                sql: statement.sql)
        }
    }

    private static func bind(_ handle: OpaquePointer, _ index: Int32, _ value: DatabaseValue) {
        switch value.storage {
        case .null: sqlite3_bind_null(handle, index)
        case .int64(let int): sqlite3_bind_int64(handle, index, int)
        case .double(let double): sqlite3_bind_double(handle, index, double)
        case .string(let text): bind(handle, index, text)
        case .blob(let data):
            _ = data.withUnsafeBytes { sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), transient) }
        }
    }

    private static func bind(_ handle: OpaquePointer, _ index: Int32, _ text: String) {
        var text = text
        text.withUTF8 { bytes in
            _ = sqlite3_bind_text(
                handle, index, bytes.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) },
                Int32(bytes.count), transient)
        }
    }
}
