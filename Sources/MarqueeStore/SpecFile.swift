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
        path = url.path
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw MarqueeError(.dataError, "cannot read the file", location: url.path)
        }
        lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        table = try TOMLText.parse(text, path: url.path)
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
        try checkTableHeaders(text, path: path)
        try checkArrayValues(text, path: path)
        do {
            return try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw MarqueeError(
                .dataError, "TOML syntax: \(error.description)", location: "\(path):\(error.source.begin.line)")
        } catch {
            throw MarqueeError(.dataError, "TOML syntax: \(error)", location: path)
        }
    }
    /// toml++ (inside TOMLKit) aborts the process — an assertion, in debug builds — on a table
    /// header whose name starts with a character that is neither a bare-key character nor a
    /// quote (`[é]`, `[[ ü ]]`), or that ends its line (`[` alone); found by fuzzing the spec
    /// loader. Such a header is a syntax error
    /// in TOML anyway, so it is reported here, with its line, before TOMLKit sees it.
    static func checkTableHeaders(_ text: String, path: String) throws(MarqueeError) {
        var inMultilineString = false
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let quotes = line.ranges(of: "\"\"\"").count + line.ranges(of: "'''").count
            defer { if quotes % 2 == 1 { inMultilineString.toggle() } }
            guard !inMultilineString else { continue }
            var rest = line.drop { $0 == " " || $0 == "\t" }
            guard rest.first == "[" else { continue }
            rest = rest.dropFirst()
            if rest.first == "[" { rest = rest.dropFirst() }
            if rest.first == "[" {
                // `[[[`: toml++ asserts on it too.
                throw MarqueeError(
                    .dataError, "TOML syntax: a table header opens with [ or [[, not [[[",
                    location: "\(path):\(index + 1)", hint: "write [name] or [[name]]")
            }
            rest = rest.drop { $0 == " " || $0 == "\t" }
            guard let first = rest.unicodeScalars.first, first != "\r" else {
                // `[` alone on its line: toml++ asserts too.
                throw MarqueeError(
                    .dataError, "TOML syntax: a table header needs its name on the same line",
                    location: "\(path):\(index + 1)", hint: "write [name] or [[name]] on one line")
            }
            let bare =
                first.isASCII
                && (first.properties.isAlphabetic || ("0"..."9").contains(first) || first == "_" || first == "-")
            // `]` passes: `[]` is toml++'s own error, and an empty array inside a multi-line array.
            if !bare, first != "\"", first != "'", first != "]", first != "[" {
                throw MarqueeError(
                    .dataError, "TOML syntax: a table name cannot start with \"\(Character(first))\"",
                    location: "\(path):\(index + 1)",
                    hint: "use letters, digits, _ and - in bare names, or quote the name: [\"\(Character(first))…\"]")
            }
        }
    }

    /// toml++ also asserts on `}` where an array value is due (`s = [}`, `[1, }`); found by
    /// fuzzing. A small scan outside strings and comments reports it with its line first.
    static func checkArrayValues(_ text: String, path: String) throws(MarqueeError) {
        var line = 1
        var stack: [UInt8] = []  // open `[` (arrays, headers) and `{`
        var valueDue = false  // after `[` or `,` inside an array
        var bytes = Array(text.utf8)[...]
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
            case UInt8(ascii: "\n"): line += 1
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
            default: valueDue = false
            }
            bytes = bytes.dropFirst()
        }
    }
}
