import Foundation
import GRDB
import GRDBSQLite
import MarqueeCore

/// The rows of a read-only query, for `marquee query`.
public struct QueryResult: Sendable {
    /// Column names, in order.
    public var columns: [String]
    /// Rows of values.
    public var rows: [[DatabaseValue]]
}

/// Runs one SQL statement against a store file that is opened read-only, with an SQLite
/// authorizer that allows only reading: `SELECT`, `WITH`, `EXPLAIN` and a few introspection
/// pragmas. Writes, schema changes, `ATTACH`/`DETACH`, transactions, pragmas that change
/// settings and several statements in one string are refused with a clear error.
public enum ReadOnlyQuery {
    /// Pragmas that only report.
    static let readOnlyPragmas: Set<String> = [
        "table_info", "table_xinfo", "index_list", "index_info", "index_xinfo", "foreign_key_list", "database_list",
        "user_version", "schema_version", "page_count", "page_size", "freelist_count", "journal_mode",
        "compile_options",
        "function_list", "table_list", "collation_list", "integrity_check", "quick_check", "foreign_key_check",
    ]

    /// Runs `sql` on the store at `storePath`, binding `arguments` to its `?` placeholders in
    /// order (`ReadOnlyQuery.run("SELECT … WHERE user = ?", arguments: ["movielens:1"], storePath: …)`)
    /// — values are never pasted into the SQL text.
    /// - Throws: `MarqueeError` `.usage` (exit 64) for refused or malformed SQL or a wrong number
    ///   of arguments, `.noInput` when there is no store file, `.dataError` when it cannot be opened.
    public static func run(
        _ sql: String, arguments: [any DatabaseValueConvertible] = [], storePath: String
    ) throws(MarqueeError) -> QueryResult {
        try InputFile.requireDatabase(storePath, what: "feature store", hint: "import data first, or pass --store PATH")
        let queue: DatabaseQueue
        do {
            queue = try FeatureStore.readOnlyQueue(storePath)
        } catch {
            throw FeatureStore.openError(error, path: storePath)
        }
        do {
            return try queue.read { db in
                sqlite3_set_authorizer(db.sqliteConnection, authorize, nil)
                defer { sqlite3_set_authorizer(db.sqliteConnection, nil, nil) }
                let statement = try db.makeStatement(sql: sql)
                try statement.setArguments(StatementArguments(arguments.map { $0.databaseValue }))
                let columns = statement.columnNames
                var rows: [[DatabaseValue]] = []
                let cursor = try Row.fetchCursor(statement)
                while let row = try cursor.next() { rows.append(row.databaseValues.map { $0 }) }
                return QueryResult(columns: columns, rows: rows)
            }
        } catch let error as DatabaseError {
            let message = error.message ?? "\(error)"
            if error.resultCode == .SQLITE_AUTH || message.contains("not authorized") {
                throw MarqueeError(
                    .usage, "refused: `marquee query` only reads (SELECT, WITH, EXPLAIN, reporting pragmas)",
                    hint: "the store changes only through Marquee's commands")
            }
            if message.lowercased().contains("multiple statements") {
                throw MarqueeError(
                    .usage, "refused: one statement at a time", hint: "remove everything after the first ';'")
            }
            throw MarqueeError(.usage, "SQL error: \(message)", location: "query")
        } catch {
            throw MarqueeError(.failure, "query failed: \(error)")
        }
    }
}

/// The SQLite authorizer: reading is allowed, everything else denied.
private func authorize(
    _ context: UnsafeMutableRawPointer?, _ action: Int32, _ first: UnsafePointer<CChar>?,
    _ second: UnsafePointer<CChar>?,
    _ database: UnsafePointer<CChar>?, _ trigger: UnsafePointer<CChar>?
) -> Int32 {
    switch action {
    case SQLITE_SELECT, SQLITE_READ, SQLITE_FUNCTION, SQLITE_RECURSIVE:
        return SQLITE_OK
    case SQLITE_PRAGMA:
        let name = first.map { String(cString: $0).lowercased() } ?? ""
        let settingValue =
            second != nil
            && ![
                "table_info", "table_xinfo", "index_list", "index_info", "index_xinfo", "foreign_key_list",
                "integrity_check", "quick_check", "foreign_key_check",
            ].contains(name)
        return ReadOnlyQuery.readOnlyPragmas.contains(name) && !settingValue ? SQLITE_OK : SQLITE_DENY
    default:
        return SQLITE_DENY
    }
}
