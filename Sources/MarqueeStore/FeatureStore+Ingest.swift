import GRDB
import GRDBSQLite
import MarqueeCore

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
    public func ingest(_ batch: some Sequence<ObservationInput> & Sendable) throws(MarqueeError) -> Int {
        let now = nowMicroseconds
        do {
            return try writer.write { db in
                let insert = try ObservationBinder.statement(db)
                var entities: [EntityKind: [EntityKey: Int64]] = [:]
                func id(_ kind: EntityKind, _ key: EntityKey, _ others: [EntityKey] = []) throws -> Int64 {
                    if let known = entities[kind]?[key] { return known }
                    let resolved = try Self.resolveEntity(db, kind: kind, keys: [key] + others, now: now)
                    entities[kind, default: [:]][key] = resolved
                    return resolved
                }
                var added = 0
                var touched: Set<OnlineKey> = []
                for observation in batch {
                    let entity = try id(observation.kind, observation.entity, observation.alsoKnownAs)
                    let object = try observation.object.map { try id($0.kind, $0.key) } ?? 0
                    if try ObservationBinder.insert(
                        insert, db, entity: entity, feature: observation.feature, object: object,
                        value: observation.value,
                        event: observation.eventTimestamp, created: now, source: observation.source,
                        hash: observation.sourceHash)
                    {
                        added += 1
                        if object == 0 { touched.insert(OnlineKey(entity: entity, feature: observation.feature)) }
                    }
                }
                for key in touched {
                    try Self.upsertOnline(db, entity: key.entity, features: [key.feature])
                }
                return added
            }
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

    static func insert(
        _ statement: Statement, _ db: Database, entity: Int64, feature: String, object: Int64, value: DatabaseValue,
        event: Int64, created: Int64, source: String, hash: String?
    ) throws -> Bool {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        sqlite3_bind_int64(handle, 1, entity)
        bind(handle, 2, feature)
        sqlite3_bind_int64(handle, 3, object)
        switch value.storage {
        case .null: sqlite3_bind_null(handle, 4)
        case .int64(let int): sqlite3_bind_int64(handle, 4, int)
        case .double(let double): sqlite3_bind_double(handle, 4, double)
        case .string(let text): bind(handle, 4, text)
        case .blob(let data):
            _ = data.withUnsafeBytes { sqlite3_bind_blob(handle, 4, $0.baseAddress, Int32($0.count), transient) }
        }
        sqlite3_bind_int64(handle, 5, event)
        sqlite3_bind_int64(handle, 6, created)
        bind(handle, 7, source)
        if let hash { bind(handle, 8, hash) } else { sqlite3_bind_null(handle, 8) }
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
                sql: statement.sql)
        }
        return sqlite3_changes(db.sqliteConnection) > 0
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
