import Foundation
import MarqueeCore
import MarqueeNormalize
import TOMLKit

/// A TOML file being checked, with line lookup for `file:line` messages.
struct SpecFile {
    /// An `[[array]]` table: its name and which occurrence (0-based).
    struct Header {
        var name: String
        var occurrence: Int
    }

    let path: String
    let lines: [Substring]
    let table: TOMLTable

    init(url: URL) throws(MarqueeError) {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw MarqueeError(.dataError, "cannot read the file", location: url.path)
        }
        try self.init(text: text, path: url.path)
    }

    init(text: String, path: String) throws(MarqueeError) {
        self.path = path
        lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        table = try TOMLText.parse(text, path: path)
    }

    /// `path:line` of `key = …` (inside the given array table when there is one), or of the table header.
    func location(key: String?, table header: Header? = nil) -> String {
        var start = 0
        var end = lines.count
        if let header {
            let headers = lines.indices.filter {
                lines[$0].trimmingCharacters(in: .whitespaces) == "[[\(header.name)]]"
            }
            if header.occurrence < headers.count {
                start = headers[header.occurrence]
                end = header.occurrence + 1 < headers.count ? headers[header.occurrence + 1] : lines.count
                if key == nil { return "\(path):\(start + 1)" }
            }
        }
        if let key {
            for index in start..<end {
                let line = lines[index].trimmingCharacters(in: .whitespaces)
                if line.hasPrefix(key), line.dropFirst(key.count).trimmingCharacters(in: .whitespaces).hasPrefix("=") {
                    return "\(path):\(index + 1)"
                }
            }
        }
        return header.map { _ in "\(path):\(start + 1)" } ?? path
    }

    func error(_ message: String, key: String?, table header: Header? = nil, hint: String? = nil) -> MarqueeError {
        MarqueeError(.dataError, message, location: location(key: key, table: header), hint: hint)
    }

    func allowKeys(_ allowed: Set<String>, in table: TOMLTable, table header: Header?) throws(MarqueeError) {
        for key in table.keys where !allowed.contains(key) {
            let close = allowed.min { TextCleanup.editDistance(key, $0) < TextCleanup.editDistance(key, $1) }
            throw error(
                "unknown key \"\(key)\"", key: key, table: header,
                hint: close.flatMap { TextCleanup.editDistance(key, $0) <= 2 ? "did you mean \"\($0)\"?" : nil }
                    ?? "allowed: \(allowed.sorted().joined(separator: ", "))")
        }
    }

    func string(_ key: String, in table: TOMLTable, table header: Header? = nil) throws(MarqueeError) -> String {
        guard let value = table[key] else { throw error("missing \"\(key)\"", key: nil, table: header) }
        guard let text = value.string, !text.isEmpty else {
            throw error("\"\(key)\" must be a non-empty string", key: key, table: header)
        }
        return text
    }

    func number(_ key: String, in table: TOMLTable, table header: Header?) throws(MarqueeError) -> Double? {
        guard let value = table[key] else { return nil }
        if let int = value.int { return Double(int) }
        if let double = value.double { return double }
        throw error("\"\(key)\" must be a number", key: key, table: header)
    }

    func checkName(_ name: String) throws(MarqueeError) {
        let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        guard name == stem else {
            throw error(
                "name \"\(name)\" differs from the file name \"\(stem)\"", key: "name", hint: "rename one so they match"
            )
        }
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
            throw error("name \"\(name)\" may hold only letters, digits, _ and -", key: "name")
        }
    }
}

/// Parsing TOML with Marquee's errors: a syntax error is exit 65 at `path:line`. Every TOML file
/// Marquee reads (specs, pipelines, `marquee.toml`) goes through here.
public enum TOMLText {
    /// The table of `text`, read from `path` (for messages).
    public static func parse(_ text: String, path: String) throws(MarqueeError) -> TOMLTable {
        try checkShapesTOMLKitAbortsOn(text, path: path)
        do {
            return try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw MarqueeError(
                .dataError, "TOML syntax: \(error.description)", location: "\(path):\(error.source.begin.line)")
        } catch {
            throw MarqueeError(.dataError, "TOML syntax: \(error)", location: path)
        }
    }

    /// Whether the bytes before a `[` on its line leave it at the line's start as toml++ reads
    /// it: blanks (Unicode's too), a byte-order mark, or nothing — after any break toml++ may see.
    static func onlyBlanks(_ prefix: ArraySlice<UInt8>) -> Bool {
        let text = String(decoding: prefix, as: UTF8.self)
        let breaks: Set<Character> = ["\r", "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}"]
        let last = text.split(omittingEmptySubsequences: false, whereSeparator: breaks.contains).last ?? ""
        return last.allSatisfy { $0.isWhitespace || $0 == "\u{FEFF}" }
    }

    /// toml++ (inside TOMLKit 0.6.0) aborts the process — a debug assertion — instead of reporting
    /// some syntax errors, all found by fuzzing the loaders: a table header whose name starts with
    /// a character that is neither a bare-key character nor a quote (`[é]`, `[` alone, `[#`,
    /// `[[[`, `[[  [`), and `}` where an array value is due (`s = [}`, `[1, }`). One scan outside
    /// strings and comments, knowing when a `[` opens a header (at a line's start, outside any
    /// array or inline table), reports them with their line before TOMLKit sees the text.
    static func checkShapesTOMLKitAbortsOn(_ text: String, path: String) throws(MarqueeError) {
        var line = 1
        var stack: [UInt8] = []  // open `[` (arrays, headers) and `{`
        var valueDue = false  // after `[` or `,` inside an array
        let all = Array(text.utf8)
        var lineStart = 0  // where the current line began
        var bytes = all[...]
        func starts(_ token: String) -> Bool { bytes.starts(with: token.utf8) }
        while let byte = bytes.first {
            if starts("\"\"\"") || starts("'''") {
                let close = String(decoding: bytes.prefix(3), as: UTF8.self)
                bytes = bytes.dropFirst(3)
                while !bytes.isEmpty, !starts(close) {
                    if bytes.first == UInt8(ascii: "\n") { line += 1 }
                    if close == "\"\"\"", bytes.first == UInt8(ascii: "\\") { bytes = bytes.dropFirst() }
                    bytes = bytes.dropFirst()
                }
                bytes = bytes.dropFirst(3)
                valueDue = false
                continue
            }
            if byte == UInt8(ascii: "["), stack.isEmpty, Self.onlyBlanks(all[lineStart..<bytes.startIndex]) {
                // A table header: toml++ asserts unless its name starts with a bare-key
                // character or a quote (`[é]`, `[`, `[#`, `[[[`, `[[  [`, `\r\n[` were found).
                var name = bytes.dropFirst()
                if name.first == UInt8(ascii: "[") { name = name.dropFirst() }
                name = name.drop { $0 == 0x20 || $0 == 0x09 }
                let first = name.first ?? UInt8(ascii: "\n")
                let bare =
                    (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first | 0x20)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) || first == UInt8(ascii: "_")
                    || first == UInt8(ascii: "-")
                guard bare || first == UInt8(ascii: "\"") || first == UInt8(ascii: "'") else {
                    let shown =
                        first == UInt8(ascii: "\n") || first == UInt8(ascii: "\r")
                        ? "the end of the line"
                        : "\"\(String(decoding: name.prefix(first < 0x80 ? 1 : 4), as: UTF8.self))\""
                    throw MarqueeError(
                        .dataError, "TOML syntax: a table name cannot start with \(shown)", location: "\(path):\(line)",
                        hint:
                            "write [name] or [[name]] on one line; use letters, digits, _ and - in bare names, or quote the name"
                    )
                }
                // The rest of the header line holds no value to check.
                while let next = bytes.first, next != UInt8(ascii: "\n") { bytes = bytes.dropFirst() }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                bytes = bytes.dropFirst()
                while let next = bytes.first, next != byte, next != UInt8(ascii: "\n") {
                    if byte == UInt8(ascii: "\""), next == UInt8(ascii: "\\") { bytes = bytes.dropFirst() }
                    bytes = bytes.dropFirst()
                }
                if bytes.first == byte { bytes = bytes.dropFirst() }
                valueDue = false
                continue
            case UInt8(ascii: "#"):
                while let next = bytes.first, next != UInt8(ascii: "\n") { bytes = bytes.dropFirst() }
                continue
            case UInt8(ascii: "\n"):
                line += 1
                lineStart = bytes.startIndex + 1
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"): break
            case UInt8(ascii: "["):
                stack.append(byte)
                valueDue = true
            case UInt8(ascii: "{"):
                stack.append(byte)
                valueDue = false
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                if byte == UInt8(ascii: "}"), valueDue, stack.last == UInt8(ascii: "[") {
                    throw MarqueeError(
                        .dataError, "TOML syntax: \"}\" where a value of an array was expected",
                        location: "\(path):\(line)", hint: "close the array with ] (or the inline table with })")
                }
                if !stack.isEmpty { stack.removeLast() }
                valueDue = false
            case UInt8(ascii: ","): valueDue = stack.last == UInt8(ascii: "[")
            default:
                // TOML's whitespace is spaces and tabs; toml++ asserts on some other Unicode blanks
                // (U+0085 where an array value is due, found by fuzzing), so any is an error here.
                if byte >= 0x80, bytes.startIndex > 0 || byte != 0xEF,
                    let scalar = String(decoding: bytes.prefix(4), as: UTF8.self).unicodeScalars.first,
                    scalar.properties.isWhitespace || scalar == "\u{FEFF}"
                {
                    throw MarqueeError(
                        .dataError,
                        "TOML syntax: U+\(String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4)) is not whitespace TOML allows outside strings and comments",
                        location: "\(path):\(line)",
                        hint: "use spaces or tabs; a byte-order mark belongs only at the very start")
                }
                valueDue = false
            }
            bytes = bytes.dropFirst()
        }
    }
}

extension String {
    /// The string with zeros in front up to `width` characters.
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
