import Foundation
import MarqueeCore

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

        init(bytes: [UInt8], atStart: Bool = true, line: Int = 1) {
            self.bytes = bytes
            self.line = line
            if atStart, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
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

extension CSVReader {
    /// Calls `body` with each row of the file at `url`, reading `chunkSize` bytes at a time: memory
    /// stays bounded by a chunk and the longest row, whatever the file's size. Rows and line
    /// numbers are those of reading the whole file at once. A row cut by a chunk's end is read
    /// again with the next chunk.
    /// - Throws: what `body` throws, or `MarqueeError` `.noInput` when the file cannot be read.
    public static func forEachRow(
        inFile url: URL, chunkSize: Int = 8 << 20, _ body: (Row) throws -> Void
    ) throws {
        var carry: [UInt8] = []
        var line = 1
        var atStart = true
        try forEachChunk(inFile: url, chunkSize: chunkSize, includingEnd: true) { chunk in
            let atEnd = chunk.isEmpty
            if atStart, !atEnd, carry.count + chunk.count < 3 {  // not enough to tell a byte-order mark
                carry += chunk
                return
            }
            var iterator = Iterator(bytes: carry + chunk, atStart: atStart, line: line)
            atStart = false
            carry = []
            while true {
                let (start, startLine) = (iterator.position, iterator.line)
                let row = iterator.next()
                if !atEnd, iterator.position >= iterator.bytes.count, start < iterator.bytes.count {
                    carry = Array(iterator.bytes[start...])  // perhaps cut: read again with more bytes
                    iterator.line = startLine
                    break
                }
                guard let row else { break }
                try body(row)
            }
            line = iterator.line
        }
    }

    /// Calls `body` with the bytes of the file at `url`, `chunkSize` at a time, and once more with
    /// no bytes at the end when `includingEnd`.
    /// - Throws: what `body` throws, or `MarqueeError` `.noInput` when the file cannot be read.
    static func forEachChunk(
        inFile url: URL, chunkSize: Int = 8 << 20, includingEnd: Bool = false, _ body: (Data) throws -> Void
    ) throws {
        guard let handle = try? FileHandle(forReadingFrom: url) else {
            throw MarqueeError(.noInput, "cannot read \(url.lastPathComponent)", location: url.path)
        }
        defer { try? handle.close() }
        while true {
            let chunk: Data
            do { chunk = try handle.read(upToCount: chunkSize) ?? Data() } catch {
                throw MarqueeError(.noInput, "cannot read \(url.lastPathComponent): \(error)", location: url.path)
            }
            if !chunk.isEmpty || includingEnd { try body(chunk) }
            if chunk.isEmpty { return }
        }
    }
}
