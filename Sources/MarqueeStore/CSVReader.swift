import Foundation

/// Reads RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF, quoted line breaks) row by row,
/// remembering each row's first line number for error messages.
public struct CSVReader: Sequence {
    /// One parsed CSV row and the line it starts on.
    public struct Row {
        /// 1-based line where the row starts.
        public var line: Int
        /// The row's fields, unquoted.
        public var fields: [String]
    }

    /// The whole input.
    public let bytes: [UInt8]

    /// Reads `data` (a leading UTF-8 byte-order mark is skipped).
    public init(data: Data) {
        bytes = Array(data)
    }

    /// Iterates the rows in order.
    public func makeIterator() -> Iterator { Iterator(bytes: bytes) }

    /// The row iterator.
    public struct Iterator: IteratorProtocol {
        let bytes: [UInt8]
        var position = 0
        var line = 1

        init(bytes: [UInt8]) {
            self.bytes = bytes
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
        }

        /// The next row, or `nil` at the end.
        public mutating func next() -> Row? {
            guard position < bytes.count else { return nil }
            let startLine = line
            var fields: [String] = []
            var field: [UInt8] = []
            var quoted = false
            var wasQuoted = false
            while position < bytes.count {
                let byte = bytes[position]
                position += 1
                if quoted {
                    if byte == UInt8(ascii: "\"") {
                        if position < bytes.count, bytes[position] == UInt8(ascii: "\"") {
                            field.append(byte)
                            position += 1
                        } else {
                            quoted = false
                        }
                    } else {
                        if byte == UInt8(ascii: "\n") { line += 1 }
                        field.append(byte)
                    }
                    continue
                }
                switch byte {
                case UInt8(ascii: "\"") where field.isEmpty && !wasQuoted:
                    quoted = true
                    wasQuoted = true
                case UInt8(ascii: ","):
                    fields.append(String(decoding: field, as: UTF8.self))
                    field.removeAll(keepingCapacity: true)
                    wasQuoted = false
                case UInt8(ascii: "\n"):
                    line += 1
                    fields.append(String(decoding: field, as: UTF8.self))
                    return Row(line: startLine, fields: fields)
                case UInt8(ascii: "\r"):
                    continue
                default:
                    field.append(byte)
                }
            }
            fields.append(String(decoding: field, as: UTF8.self))
            if fields == [""] { return nil }  // trailing empty line
            return Row(line: startLine, fields: fields)
        }
    }
}
