/// A JSON parser that can, on request, accept the mistakes real web pages ship.
///
/// Strict mode follows RFC 8259. Lenient mode also accepts trailing commas, `/* */` and `//`
/// comments, raw control characters inside strings and unknown escapes (`\'`), and reports each
/// repair it made, so a caller can tell clean JSON from repaired JSON.
public struct JSONParser: Sendable {
    /// Which deviations from RFC 8259 are accepted.
    public struct Options: Sendable, Hashable {
        /// Accept `[1, 2,]` and `{"a": 1,}`.
        public var allowTrailingCommas = false
        /// Accept `/* … */` and `// …` between tokens.
        public var allowComments = false
        /// Accept unescaped U+0000…U+001F (raw newlines, tabs) inside strings.
        public var allowControlCharactersInStrings = false
        /// Accept `\'` and other unknown escapes, keeping the escaped character.
        public var allowInvalidEscapes = false
        /// Nesting deeper than this is an error, not a stack overflow.
        public var maximumDepth = 512

        /// RFC 8259 only.
        public static let strict = Options()
        /// Everything above allowed.
        public static let lenient = Options(
            allowTrailingCommas: true, allowComments: true, allowControlCharactersInStrings: true,
            allowInvalidEscapes: true)
    }

    /// A deviation lenient mode accepted, and where (1-based line and column of the source).
    public struct Repair: Sendable, Hashable, CustomStringConvertible {
        /// What was accepted: `trailing comma`, `comment`, `control character in string`, `invalid escape`.
        public var kind: String
        /// 1-based line of the repaired text.
        public var line: Int
        /// 1-based column (in characters) of the repaired text.
        public var column: Int
        /// `kind at line:column`.
        public var description: String { "\(kind) at \(line):\(column)" }
    }

    /// Why the text is not JSON, and where (1-based line and column).
    public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        /// What is wrong, e.g. `unexpected character 'x', expected a value`.
        public var message: String
        /// 1-based line of the problem.
        public var line: Int
        /// 1-based column (in characters) of the problem.
        public var column: Int
        /// `message at line:column`.
        public var description: String { "\(message) at \(line):\(column)" }

        /// Creates a failure at a 1-based line and column.
        public init(message: String, line: Int, column: Int) {
            self.message = message
            self.line = line
            self.column = column
        }
    }

    /// The accepted deviations.
    public var options: Options

    /// Creates a parser with the given options (strict by default).
    public init(options: Options = .strict) {
        self.options = options
    }

    /// Parses `text` as one JSON value, surrounded by optional whitespace (and comments when allowed).
    /// - Returns: the value and the repairs lenient mode made (empty for clean JSON).
    /// - Throws: ``Failure`` with the position of the first unrecoverable problem.
    public func parse(_ text: String) throws(Failure) -> (value: JSONValue, repairs: [Repair]) {
        var reader = Reader(bytes: Array(text.utf8), options: options)
        reader.skipWhitespace()
        let value = try reader.value(depth: 0)
        reader.skipWhitespace()
        if reader.position < reader.bytes.count {
            throw reader.failure("unexpected text after the JSON value")
        }
        return (value, reader.repairs.map { reader.repair($0.kind, at: $0.offset) })
    }
}

private struct Reader {
    let bytes: [UInt8]
    let options: JSONParser.Options
    var position = 0
    var repairs: [(kind: String, offset: Int)] = []

    init(bytes: [UInt8], options: JSONParser.Options) {
        self.bytes = bytes
        self.options = options
    }

    func lineAndColumn(_ offset: Int) -> (Int, Int) {
        var line = 1
        var lineStart = 0
        for index in 0..<min(offset, bytes.count) where bytes[index] == UInt8(ascii: "\n") {
            line += 1
            lineStart = index + 1
        }
        let column = String(decoding: bytes[lineStart..<min(offset, bytes.count)], as: UTF8.self).count + 1
        return (line, column)
    }

    func failure(_ message: String, at offset: Int? = nil) -> JSONParser.Failure {
        let (line, column) = lineAndColumn(offset ?? position)
        return JSONParser.Failure(message: message, line: line, column: column)
    }

    func repair(_ kind: String, at offset: Int) -> JSONParser.Repair {
        let (line, column) = lineAndColumn(offset)
        return JSONParser.Repair(kind: kind, line: line, column: column)
    }

    var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D:
                position += 1
            case UInt8(ascii: "/") where options.allowComments && position + 1 < bytes.count:
                let start = position
                if bytes[position + 1] == UInt8(ascii: "*") {
                    position += 2
                    while position + 1 < bytes.count,
                        !(bytes[position] == UInt8(ascii: "*") && bytes[position + 1] == UInt8(ascii: "/"))
                    {
                        position += 1
                    }
                    position = min(position + 2, bytes.count)
                } else if bytes[position + 1] == UInt8(ascii: "/") {
                    while position < bytes.count, bytes[position] != 0x0A { position += 1 }
                } else {
                    return
                }
                repairs.append(("comment", start))
            default:
                return
            }
        }
    }

    mutating func value(depth: Int) throws(JSONParser.Failure) -> JSONValue {
        guard depth < options.maximumDepth else {
            throw failure("nesting deeper than \(options.maximumDepth) levels")
        }
        guard let byte = current else { throw failure("unexpected end of input, expected a value") }
        switch byte {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default:
            throw failure("unexpected character \(describe(byte)), expected a value")
        }
    }

    func describe(_ byte: UInt8) -> String {
        byte >= 0x20 && byte < 0x7F ? "'\(Character(UnicodeScalar(byte)))'" : "0x\(String(byte, radix: 16))"
    }

    mutating func literal(_ word: StaticString, _ result: JSONValue) throws(JSONParser.Failure) -> JSONValue {
        let count = word.utf8CodeUnitCount
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: count)
        guard position + count <= bytes.count, bytes[position..<position + count].elementsEqual(expected) else {
            throw failure("invalid literal, expected '\(word)'")
        }
        position += count
        return result
    }

    mutating func number() throws(JSONParser.Failure) -> JSONValue {
        let start = position
        if current == UInt8(ascii: "-") { position += 1 }
        func digits(_ reader: inout Reader) -> Int {
            let begin = reader.position
            while let byte = reader.current, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                reader.position += 1
            }
            return reader.position - begin
        }
        let integerDigits = digits(&self)
        guard integerDigits > 0 else { throw failure("invalid number: no digits", at: start) }
        if integerDigits > 1, bytes[position - integerDigits] == UInt8(ascii: "0") {
            throw failure("invalid number: leading zero", at: start)
        }
        if current == UInt8(ascii: ".") {
            position += 1
            guard digits(&self) > 0 else { throw failure("invalid number: no digits after '.'", at: start) }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            position += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
            guard digits(&self) > 0 else { throw failure("invalid number: no digits in exponent", at: start) }
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        guard let number = Double(text) else { throw failure("invalid number '\(text)'", at: start) }
        return .number(number)
    }

    mutating func string() throws(JSONParser.Failure) -> String {
        let start = position
        position += 1  // opening quote
        var buffer: [UInt8] = []
        while true {
            let runStart = position
            while position < bytes.count {
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { break }
                position += 1
            }
            guard let byte = current else { throw failure("unterminated string", at: start) }
            if byte == UInt8(ascii: "\""), buffer.isEmpty {
                // No escapes (most strings): the bytes become the string without a copy in between.
                position += 1
                return bytes[runStart..<position - 1].withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
            }
            buffer.append(contentsOf: bytes[runStart..<position])
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return String(decoding: buffer, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try escape(into: &buffer)
            default:
                guard options.allowControlCharactersInStrings else {
                    throw failure("unescaped control character \(describe(byte)) in string")
                }
                repairs.append(("control character in string", position))
                buffer.append(byte)
                position += 1
            }
        }
    }

    mutating func escape(into buffer: inout [UInt8]) throws(JSONParser.Failure) {
        let escapeStart = position
        position += 1
        guard let byte = current else { throw failure("unterminated escape", at: escapeStart) }
        position += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(byte)
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4(at: escapeStart)
            if (0xD800...0xDBFF).contains(scalar), position + 1 < bytes.count,
                bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u")
            {
                let saved = position
                position += 2
                let low = try hex4(at: saved)
                if (0xDC00...0xDFFF).contains(low) {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else {
                    position = saved
                }
            }
            let character = UnicodeScalar(scalar) ?? "\u{FFFD}"
            buffer.append(contentsOf: Array(String(character).utf8))
        default:
            guard options.allowInvalidEscapes else {
                throw failure("invalid escape '\\\(Character(UnicodeScalar(byte)))'", at: escapeStart)
            }
            repairs.append(("invalid escape", escapeStart))
            buffer.append(byte)
        }
    }

    mutating func hex4(at escapeStart: Int) throws(JSONParser.Failure) -> UInt32 {
        guard position + 4 <= bytes.count,
            let value = UInt32(String(decoding: bytes[position..<position + 4], as: UTF8.self), radix: 16)
        else { throw failure("invalid \\u escape, expected four hex digits", at: escapeStart) }
        position += 4
        return value
    }

    mutating func array(depth: Int) throws(JSONParser.Failure) -> JSONValue {
        position += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            position += 1
            return .array(items)
        }
        while true {
            skipWhitespace()
            items.append(try value(depth: depth + 1))
            skipWhitespace()
            guard let byte = current else { throw failure("unterminated array, expected ',' or ']'") }
            position += 1
            if byte == UInt8(ascii: "]") { return .array(items) }
            guard byte == UInt8(ascii: ",") else {
                throw failure("unexpected character \(describe(byte)) in array, expected ',' or ']'", at: position - 1)
            }
            if try trailingComma(before: UInt8(ascii: "]")) { return .array(items) }
        }
    }

    mutating func object(depth: Int) throws(JSONParser.Failure) -> JSONValue {
        position += 1
        var members: [(String, JSONValue)] = []
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            position += 1
            return .object(JSONObject(members))
        }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw failure("expected a quoted member name") }
            let key = try string()
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw failure("expected ':' after member name \"\(key)\"") }
            position += 1
            skipWhitespace()
            members.append((key, try value(depth: depth + 1)))
            skipWhitespace()
            guard let byte = current else { throw failure("unterminated object, expected ',' or '}'") }
            position += 1
            if byte == UInt8(ascii: "}") { return .object(JSONObject(members)) }
            guard byte == UInt8(ascii: ",") else {
                throw failure("unexpected character \(describe(byte)) in object, expected ',' or '}'", at: position - 1)
            }
            if try trailingComma(before: UInt8(ascii: "}")) { return .object(JSONObject(members)) }
        }
    }

    /// After a comma: when the container closes right away, accepts (lenient) or rejects the comma.
    mutating func trailingComma(before closer: UInt8) throws(JSONParser.Failure) -> Bool {
        let comma = position - 1
        skipWhitespace()
        guard current == closer else { return false }
        guard options.allowTrailingCommas else { throw failure("trailing comma", at: comma) }
        repairs.append(("trailing comma", comma))
        position += 1
        return true
    }
}
