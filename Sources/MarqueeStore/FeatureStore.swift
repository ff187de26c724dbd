import Foundation
import GRDB
import MarqueeCore

/// Marquee's feature store: one SQLite file (WAL) holding entities, append-only observations with
/// event and creation times, the online table of latest values, feature-view registrations and
/// dataset versions. See `docs/store.md` for the schema.
public final class FeatureStore: Sendable {
    /// The database (a pool in WAL mode on disk, a queue in memory).
    public let writer: any DatabaseWriter
    /// Where `now` comes from (creation times, registration times).
    public let clock: any WallClock
    /// The file's path, `nil` in memory.
    public let path: String?
    /// Entity ids by kind and key, filled as batches commit: a key never changes entity once
    /// recorded (`entity_keys` is insert-only), so ingest resolves a known key without a query.
    let entityIDs = EntityIDCache()

    /// Opens (creating and migrating as needed) the store at `path`.
    /// - Throws: `MarqueeError` `.dataError` when the file is not a Marquee store or cannot be opened.
    public init(path: String, clock: any WallClock = SystemClock()) throws(MarqueeError) {
        self.path = path
        self.clock = clock
        do {
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            var configuration = Configuration()
            configuration.foreignKeysEnabled = true
            configuration.busyMode = .timeout(10)
            configuration.prepareDatabase { db in try Self.tune(db) }
            writer = try DatabasePool(path: path, configuration: configuration)
            try StoreSchema.migrator.migrate(writer)
        } catch {
            throw Self.openError(error, path: path)
        }
    }

    /// Opens an existing store for reading only: nothing is created, migrated or written, so the
    /// commands that only look (`query`, `runs`, `dataset list`, `features describe`) work on a
    /// store in a read-only folder or on read-only media too — there it is opened `immutable`
    /// (SQLite then needs no `-wal`/`-shm` files; nothing may write it meanwhile, which such a
    /// folder guarantees).
    /// - Throws: `MarqueeError` `.noInput` when there is no file, `.dataError` when it is not a
    ///   Marquee store or was written by a newer Marquee, `.temporary` when an older store needs
    ///   one writable open to migrate.
    public init(readingAt path: String, clock: any WallClock = SystemClock()) throws(MarqueeError) {
        self.path = path
        self.clock = clock
        do {
            let queue = try Self.readOnlyQueue(path)
            let (complete, unknown) = try queue.read { db in
                (
                    try StoreSchema.migrator.hasCompletedMigrations(db),
                    try StoreSchema.migrator.hasBeenSuperseded(db)
                )
            }
            guard !unknown else {
                throw MarqueeError(
                    .dataError, "the feature store was written by a newer Marquee", location: path,
                    hint: "use that Marquee version (marquee --version) or newer")
            }
            guard complete else {
                throw MarqueeError(
                    .dataError, "this file is not a Marquee feature store, or one from an older Marquee",
                    location: path,
                    hint:
                        "check --store; an older store is migrated by any command that writes (e.g. marquee features materialize)"
                )
            }
            writer = queue
        } catch {
            throw Self.openError(error, path: path)
        }
    }

    /// A read-only connection to the SQLite file at `path`; in a folder that cannot be written,
    /// opened `immutable` so SQLite needs no `-wal`/`-shm` files there.
    static func readOnlyQueue(_ path: String, configure: (inout Configuration) -> Void = { _ in }) throws
        -> DatabaseQueue
    {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let writable = FileManager.default.isWritableFile(atPath: folder)
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in try Self.tune(db) }
        configure(&configuration)
        let location = writable ? path : "file:\(Self.uriEscaped(path))?immutable=1"
        return try DatabaseQueue(path: location, configuration: configuration)
    }

    /// `path` with the characters a SQLite URI reserves percent-encoded.
    private static func uriEscaped(_ path: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        return path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
    }

    /// Why a store file could not be opened, in words that lead to the fix — never advice that
    /// loses data.
    static func openError(_ error: any Error, path: String) -> MarqueeError {
        let code = (error as? DatabaseError)?.resultCode
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if code == .SQLITE_CANTOPEN || code == .SQLITE_READONLY, !FileManager.default.fileExists(atPath: path),
            !FileManager.default.isWritableFile(atPath: folder)
        {
            return MarqueeError(
                .cannotCreate, "cannot create the feature store: the folder \(folder) is not writable", location: path,
                hint: "choose a --store in a folder you can write to", underlying: error)
        }
        if code == .SQLITE_READONLY || code == .SQLITE_PERM
            || code == .SQLITE_CANTOPEN
                && !FileManager.default.isWritableFile(atPath: folder)
        {
            return MarqueeError(
                .noPermission,
                "the feature store or its folder is not writable (SQLite needs to write the store and its -wal and -shm files beside it)",
                location: path, hint: "run as a user who may write there, or copy the store to a writable folder",
                underlying: error)
        }
        if code == .SQLITE_NOTADB || code == .SQLITE_CORRUPT {
            return MarqueeError(
                .dataError, "this file is not a readable Marquee feature store (\(code!))", location: path,
                hint: "check --store; PRAGMA integrity_check through sqlite3 tells whether the file is damaged",
                underlying: error)
        }
        if let error = error as? MarqueeError { return error }
        return MarqueeError(
            .dataError, "cannot open the feature store: \(error)", location: path, hint: "check the path (--store)",
            underlying: error)
    }

    /// A fresh store in memory, for tests and one-off runs.
    public init(inMemory clock: any WallClock = SystemClock()) throws(MarqueeError) {
        self.path = nil
        self.clock = clock
        do {
            var configuration = Configuration()
            configuration.foreignKeysEnabled = true
            writer = try DatabaseQueue(configuration: configuration)
            try StoreSchema.migrator.migrate(writer)
        } catch {
            throw MarqueeError(.failure, "cannot create an in-memory store: \(error)", underlying: error)
        }
    }

    /// Connection settings for large tables: a 64 MiB page cache and 1 GiB of memory-mapped I/O
    /// (reads without a system call per page), and `synchronous = NORMAL`, the usual choice in
    /// WAL mode (a crash can lose the last transactions, never corrupt the file).
    static func tune(_ db: Database) throws {
        try db.execute(
            sql: "PRAGMA cache_size = -\(cacheKiB); PRAGMA mmap_size = \(mappedBytes); PRAGMA synchronous = NORMAL")
    }

    /// The page cache of every connection, in KiB (64 MiB).
    static let cacheKiB = 65_536

    /// The memory-mapped I/O limit of every connection (1 GiB).
    static let mappedBytes = 1 << 30

    /// Current time in microseconds, from the store's clock.
    var nowMicroseconds: Int64 { Microseconds.from(clock.now()) }
}

extension MarqueeError {
    /// Wraps a database error as a Marquee error (`failure`), keeping GRDB's message.
    static func database(_ error: any Error, _ doing: String) -> MarqueeError {
        if let error = error as? MarqueeError { return error }
        return MarqueeError(.failure, "\(doing): \(error)", underlying: error)
    }
}
