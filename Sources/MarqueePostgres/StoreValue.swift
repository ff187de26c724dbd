import Crypto
import Foundation
import GRDB
import MarqueeCore
import NIOCore

/// One stored value with its exact type, as SQLite keeps it.
enum StoreValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob(Data)

    init(_ value: DatabaseValue) {
        switch value.storage {
        case .null: self = .null
        case .int64(let integer): self = .integer(integer)
        case .double(let double): self = .real(double)
        case .string(let string): self = .text(string)
        case .blob(let data): self = .blob(data)
        }
    }

    var databaseValue: DatabaseValue {
        switch self {
        case .null: .null
        case .integer(let integer): integer.databaseValue
        case .real(let double): double.databaseValue
        case .text(let string): string.databaseValue
        case .blob(let data): data.databaseValue
        }
    }

    /// A table's rows from SQLite, in key order (text compared bytewise, as PostgreSQL's "C" collation).
    static func rows(of table: StoreTables.Table, where filter: String? = nil, limit: Int? = nil, in db: Database) throws
        -> [[StoreValue]]
    {
        let sql =
            "SELECT \(table.columns.map(\.name).joined(separator: ", ")) FROM \(table.name)\(filter.map { " WHERE \($0)" } ?? "") ORDER BY \(table.key.joined(separator: ", "))\(limit.map { " LIMIT \($0)" } ?? "")"
        var rows: [[StoreValue]] = []
        let cursor = try Row.fetchCursor(db, sql: sql)
        while let row = try cursor.next() {
            rows.append((0..<row.count).map { StoreValue(row[$0] as DatabaseValue) })
        }
        return rows
    }

    /// Inserts rows of `table` into a SQLite store.
    static func insert(_ rows: [[StoreValue]], into table: StoreTables.Table, in db: Database) throws {
        let placeholders = Array(repeating: "?", count: table.columns.count).joined(separator: ", ")
        let statement = try db.makeStatement(
            sql: "INSERT INTO \(table.name) (\(table.columns.map(\.name).joined(separator: ", "))) VALUES (\(placeholders))")
        for row in rows {
            try statement.execute(arguments: StatementArguments(row.map(\.databaseValue)))
        }
    }

    /// Rows of `table` in COPY's text format: tab-separated fields, one line per row.
    static func copyText(_ rows: some Sequence<[StoreValue]>, of table: StoreTables.Table) throws(MarqueeError) -> ByteBuffer {
        var buffer = ByteBuffer()
        for row in rows {
            for (index, (value, column)) in zip(row, table.columns).enumerated() {
                if index > 0 { buffer.writeString("\t") }
                try value.writeCopyText(as: column, into: &buffer, table: table.name)
            }
            buffer.writeString("\n")
        }
        return buffer
    }

    /// Writes the value as a field of COPY's text format (the columns `column` becomes, tab-separated).
    /// - Throws: `.dataError` for what PostgreSQL cannot hold (a NUL in text) or a declared column
    ///   holding another type.
    func writeCopyText(as column: StoreTables.Column, into buffer: inout ByteBuffer, table: String) throws(MarqueeError) {
        func mismatch() -> MarqueeError {
            MarqueeError(
                .dataError, "\(table).\(column.name) holds \(self) where its declared type is \(column.kind)",
                hint: "repair the row in the SQLite store before copying it")
        }
        switch column.kind {
        case .integer:
            switch self {
            case .null: buffer.writeString("\\N")
            case .integer(let integer): buffer.writeString(String(integer))
            default: throw mismatch()
            }
        case .real:
            switch self {
            case .null: buffer.writeString("\\N")
            case .real(let double): buffer.writeString(Self.copyText(double))
            case .integer(let integer): buffer.writeString(String(integer))
            default: throw mismatch()
            }
        case .text:
            switch self {
            case .null: buffer.writeString("\\N")
            case .text(let string): try Self.writeEscaped(string, into: &buffer, table: table, column: column.name)
            default: throw mismatch()
            }
        case .dynamic:
            // kind, then the integer, real, text and blob columns: the value's own filled, the others NULL.
            let kinds = ["integer", "real", "text", "blob"]
            let kind: String
            switch self {
            case .null: kind = "null"
            case .integer: kind = "integer"
            case .real: kind = "real"
            case .text: kind = "text"
            case .blob: kind = "blob"
            }
            buffer.writeString(kind)
            for slot in kinds {
                buffer.writeString("\t")
                guard slot == kind else {
                    buffer.writeString("\\N")
                    continue
                }
                switch self {
                case .integer(let integer): buffer.writeString(String(integer))
                case .real(let double): buffer.writeString(Self.copyText(double))
                case .text(let string): try Self.writeEscaped(string, into: &buffer, table: table, column: column.name)
                case .blob(let data): buffer.writeString("\\\\x" + Hashing.hex(data))
                case .null: break
                }
            }
        }
    }

    /// A double as PostgreSQL reads it back to the same bits (Swift prints the shortest
    /// round-trip form).
    private static func copyText(_ double: Double) -> String {
        if double.isNaN { return "NaN" }
        if double.isInfinite { return double < 0 ? "-Infinity" : "Infinity" }
        return "\(double)"
    }

    private static func writeEscaped(_ string: String, into buffer: inout ByteBuffer, table: String, column: String)
        throws(MarqueeError)
    {
        var string = string
        let plain = string.withUTF8 { bytes in
            !bytes.contains { $0 == 0 || $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }
        }
        if plain {
            buffer.writeString(string)
            return
        }
        var escaped: [UInt8] = []
        escaped.reserveCapacity(string.utf8.count + 8)
        for byte in string.utf8 {
            switch byte {
            case 0:
                throw MarqueeError(
                    .dataError, "\(table).\(column) holds text with a NUL character, which PostgreSQL cannot store",
                    hint: "remove the NUL from the value in the SQLite store before copying it")
            case UInt8(ascii: "\\"): escaped += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: "\t"): escaped += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case UInt8(ascii: "\n"): escaped += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case UInt8(ascii: "\r"): escaped += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            default: escaped.append(byte)
            }
        }
        buffer.writeBytes(escaped)
    }
}

/// SHA-256 over rows of values: a tag and the exact payload per value (integers and doubles as
/// their 8 bytes, text and blobs length-prefixed), so equal digests mean equal values and types.
enum StoreValueHasher {
    static func digest(_ rows: [[StoreValue]]) -> String {
        var hasher = SHA256()
        for row in rows {
            for value in row {
                switch value {
                case .null: hasher.update(data: [0])
                case .integer(let integer): update(&hasher, tag: 1, withUnsafeBytes(of: integer.littleEndian) { Data($0) })
                case .real(let double):
                    update(&hasher, tag: 2, withUnsafeBytes(of: double.bitPattern.littleEndian) { Data($0) })
                case .text(let string): update(&hasher, tag: 3, Data(string.utf8), prefixed: true)
                case .blob(let data): update(&hasher, tag: 4, data, prefixed: true)
                }
            }
            hasher.update(data: [0xFF])
        }
        return Hashing.hex(hasher.finalize())
    }

    private static func update(_ hasher: inout SHA256, tag: UInt8, _ payload: Data, prefixed: Bool = false) {
        hasher.update(data: [tag])
        if prefixed { hasher.update(data: withUnsafeBytes(of: UInt64(payload.count).littleEndian) { Data($0) }) }
        hasher.update(data: payload)
    }
}
