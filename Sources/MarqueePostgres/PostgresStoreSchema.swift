import Foundation
import MarqueeCore
import Logging
import PostgresNIO

extension StoreValue {
    /// The value stored in the five columns from `index` on (kind, integer, real, text, blob).
    init(_ cells: PostgresRandomAccessRow, at index: Int) throws {
        switch try cells[index].decode(String.self) {
        case "integer": self = .integer(try cells[index + 1].decode(Int64.self))
        case "real": self = .real(try cells[index + 2].decode(Double.self))
        case "text": self = .text(try cells[index + 3].decode(String.self))
        case "blob": self = .blob(try cells[index + 4].decode(Data.self))
        default: self = .null
        }
    }
}

/// The feature store's tables in PostgreSQL (``StoreTables``): created on open, read back in key order.
enum PostgresStoreSchema {
    /// Creates or upgrades the store's tables.
    static func migrate(_ backend: PostgresBackend) async throws(MarqueeError) {
        try await backend.migrate(
            component: "store",
            [
                ("v1: the store's tables", StoreTables.postgresSchema(version: 1)),
                ("v2: experiments", StoreTables.postgresSchema(version: 2)),
            ])
    }

    /// A table's rows in key order (text keys compared bytewise, `COLLATE "C"`, as SQLite does).
    static func rows(_ table: StoreTables.Table, in backend: PostgresBackend) async throws(MarqueeError)
        -> [[StoreValue]]
    {
        let logger = backend.logger
        return try await backend.run("read \(table.name)") { client in
            try await values(of: table, from: try await client.query(selectSQL(table), logger: logger))
        }
    }

    /// The rows of `table` matching `filter` (SQL), in key order, read on `connection` (inside its transaction).
    static func rows(_ table: StoreTables.Table, where filter: String? = nil, on connection: PostgresConnection, logger: Logger)
        async throws -> [[StoreValue]]
    {
        try await values(of: table, from: try await connection.query(selectSQL(table, where: filter), logger: logger))
    }

    /// The query reading `table`'s columns in key order.
    private static func selectSQL(_ table: StoreTables.Table, where filter: String? = nil) -> PostgresQuery {
        let columns = table.columns.flatMap(\.postgresColumns).joined(separator: ", ")
        let order = table.key.map { key in
            table.columns.first { $0.name == key }?.kind == .text ? "\(key) COLLATE \"C\"" : key
        }.joined(separator: ", ")
        return PostgresQuery(
            unsafeSQL: "SELECT \(columns) FROM \(table.name)\(filter.map { " WHERE \($0)" } ?? "") ORDER BY \(order)")
    }

    private static func values(of table: StoreTables.Table, from result: PostgresRowSequence) async throws
        -> [[StoreValue]]
    {
        var rows: [[StoreValue]] = []
        for try await row in result {
            let cells = row.makeRandomAccess()
            var values: [StoreValue] = []
            var index = 0
            for column in table.columns {
                switch column.kind {
                case .integer: values.append(try cells[index].decode(Int64?.self).map { .integer($0) } ?? .null)
                case .real: values.append(try cells[index].decode(Double?.self).map { .real($0) } ?? .null)
                case .text: values.append(try cells[index].decode(String?.self).map { .text($0) } ?? .null)
                case .dynamic:
                    values.append(try StoreValue(cells, at: index))
                    index += 4
                }
                index += 1
            }
            rows.append(values)
        }
        return rows
    }

    /// A table's row count and value digest, read back from PostgreSQL.
    static func digest(_ table: StoreTables.Table, in backend: PostgresBackend) async throws(MarqueeError)
        -> (rows: Int, sha256: String)
    {
        let rows = try await rows(table, in: backend)
        return (rows.count, StoreValueHasher.digest(rows))
    }
}
