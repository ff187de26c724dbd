import Crypto
import Foundation
import GRDB
import Logging
import MarqueeCore
import MarqueeStore
import NIOCore
import PostgresNIO

/// `marquee store copy`: a whole feature store — entities, keys, observations, the online table,
/// views, dataset versions, runs, monitors — copied between a SQLite file and a PostgreSQL
/// database, either way, into an empty destination, then verified: per table, the destination's
/// row count and a SHA-256 over every value (exact types: integers, doubles by their bits, text,
/// blobs) in key order must equal the source's. Dataset versions therefore rebuild byte for byte
/// after a copy.
public enum StoreCopy {
    /// One table's verified copy.
    public struct TableReport: Sendable, Hashable, Codable {
        /// The table.
        public var table: String
        /// Rows copied.
        public var rows: Int
        /// SHA-256 of the table's values in key order (the same on both sides).
        public var sha256: String
    }

    /// Copies the SQLite store at `path` into `backend`'s database (which must hold no store data).
    /// - Throws: `.noInput` for a missing store, `.cannotCreate` for a destination that holds data,
    ///   `.dataError` for a value PostgreSQL cannot hold (text with a NUL byte) or a verification
    ///   mismatch; the server's errors as ``PostgresBackend`` reports them.
    public static func sqliteToPostgres(from path: String, to backend: PostgresBackend, logger: Logger)
        async throws(MarqueeError) -> [TableReport]
    {
        try InputFile.requireDatabase(path, what: "store", hint: "give the SQLite store to copy")
        _ = try FeatureStore(path: path)  // brings an older store's schema up to date
        let source: DatabaseQueue
        do {
            var configuration = Configuration()
            configuration.readonly = true
            source = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw MarqueeError(.failure, "cannot open the store: \(error)", location: path)
        }
        try await PostgresStoreSchema.migrate(backend)
        try await requireEmpty(backend)
        var reports: [TableReport] = []
        for table in StoreTables.all {
            let (rows, digest) = try await copy(table, from: source, to: backend, logger: logger)
            let copied = try await PostgresStoreSchema.digest(table, in: backend)
            guard copied.rows == rows, copied.sha256 == digest else {
                throw MarqueeError(
                    .dataError,
                    "the copy of \(table.name) does not match its source: \(copied.rows) rows (sha256 \(copied.sha256.prefix(12))…) for \(rows) (\(digest.prefix(12))…)",
                    location: "\(backend.location)")
            }
            logger.info("copied \(rows) rows of \(table.name)")
            reports.append(TableReport(table: table.name, rows: rows, sha256: digest))
        }
        return reports
    }

    /// Copies the store in `backend`'s database into a new SQLite store at `path`.
    /// - Throws: `.cannotCreate` when `path` holds store data already; as above otherwise.
    public static func postgresToSQLite(from backend: PostgresBackend, to path: String, logger: Logger)
        async throws(MarqueeError) -> [TableReport]
    {
        try await PostgresStoreSchema.migrate(backend)
        _ = try FeatureStore(path: path)  // creates the file with the current schema
        let destination: DatabaseQueue
        do {
            destination = try DatabaseQueue(path: path)
            let held = try await destination.read { db in
                try StoreTables.all.map { try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \($0.name)") ?? 0 }
                    .reduce(0, +)
            }
            guard held == 0 else {
                throw MarqueeError(
                    .cannotCreate, "the destination store already holds data", location: path,
                    hint: "copy into a new file")
            }
        } catch let error as MarqueeError {
            throw error
        } catch {
            throw MarqueeError(.failure, "cannot open the store: \(error)", location: path)
        }
        var reports: [TableReport] = []
        for table in StoreTables.all {
            let source = try await PostgresStoreSchema.rows(table, in: backend)
            let digest = StoreValueHasher.digest(source)
            do {
                try await destination.write { db in try StoreValue.insert(source, into: table, in: db) }
            } catch {
                throw MarqueeError(.failure, "cannot write \(table.name): \(error)", location: path)
            }
            let copied = try await sqliteDigest(table, in: destination)
            guard copied.rows == source.count, copied.sha256 == digest else {
                throw MarqueeError(
                    .dataError, "the copy of \(table.name) does not match its source", location: path)
            }
            logger.info("copied \(source.count) rows of \(table.name)")
            reports.append(TableReport(table: table.name, rows: source.count, sha256: digest))
        }
        return reports
    }

    /// Fails unless every store table in PostgreSQL is empty.
    private static func requireEmpty(_ backend: PostgresBackend) async throws(MarqueeError) {
        let held = try await backend.run("count the store's rows") { client in
            var total = 0
            for table in StoreTables.all {
                let rows = try await client.query(PostgresQuery(unsafeSQL: "SELECT COUNT(*) FROM \(table.name)"))
                for try await count in rows.decode(Int.self) { total += count }
            }
            return total
        }
        guard held == 0 else {
            throw MarqueeError(
                .cannotCreate, "the destination store already holds data", location: "\(backend.location)",
                hint: "copy into an empty database (createdb), or drop its store tables first")
        }
    }

    /// Streams one SQLite table into PostgreSQL with COPY (text format), hashing as it goes.
    private static func copy(_ table: StoreTables.Table, from source: DatabaseQueue, to backend: PostgresBackend, logger: Logger)
        async throws(MarqueeError) -> (rows: Int, sha256: String)
    {
        let rows: [[StoreValue]]
        do {
            rows = try await source.read { db in try StoreValue.rows(of: table, in: db) }
        } catch {
            throw MarqueeError(.failure, "cannot read \(table.name): \(error)")
        }
        let digest = StoreValueHasher.digest(rows)
        let data = try StoreValue.copyText(rows, of: table)
        try await backend.run("copy \(table.name)") { client in
            try await client.withConnection { connection in
                try await copyIn(data, to: table, on: connection, logger: logger)
            }
        }
        return (rows.count, digest)
    }

    /// Sends rows in COPY's text format (``StoreValue/copyText(_:of:)``) into `table` (or a
    /// table of the same columns named `name`), in 1 MiB messages.
    static func copyIn(
        _ data: ByteBuffer, to table: StoreTables.Table, named name: String? = nil, on connection: PostgresConnection,
        logger: Logger
    ) async throws {
        try await connection.copyFrom(
            table: name ?? table.name, columns: table.columns.flatMap(\.postgresColumns), logger: logger
        ) { writer in
            var data = data
            while data.readableBytes > 0 {
                try await writer.write(data.readSlice(length: min(data.readableBytes, 1 << 20))!)
            }
        }
    }

    private static func sqliteDigest(_ table: StoreTables.Table, in queue: DatabaseQueue) async throws(MarqueeError)
        -> (rows: Int, sha256: String)
    {
        do {
            let rows = try await queue.read { db in try StoreValue.rows(of: table, in: db) }
            return (rows.count, StoreValueHasher.digest(rows))
        } catch {
            throw MarqueeError(.failure, "cannot read back \(table.name): \(error)")
        }
    }
}
