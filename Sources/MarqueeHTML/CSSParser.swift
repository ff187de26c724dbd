import CMarqueeXML
import Synchronization

/// Reads a CSS selector (Selectors Level 3 and the Parsel/Scrapy `::text`/`::attr()` extensions)
/// one Unicode scalar at a time, with errors that carry the column; the grammar is in
/// CSSParser+Grammar.swift.
struct CSSParser {
    let query: String
    let scalars: [Unicode.Scalar]
    var index = 0

    init(_ query: String) {
        self.query = query
        self.scalars = Array(query.unicodeScalars)
    }

    // MARK: errors

    func error(_ message: String, token: String? = nil, at position: Int? = nil) -> QueryError {
        let column = (position ?? index) + 1
        let token = token ?? (index < scalars.count ? String(scalars[index]) : "")
        return QueryError(kind: .css, query: query, message: message, token: token, column: column)
    }

    // MARK: scanning

    var current: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    func peek(_ offset: Int) -> Unicode.Scalar? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }

    @discardableResult
    mutating func skipWhitespace() -> Bool {
        let start = index
        while let scalar = current,
            scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" || scalar == "\u{0C}"
        {
            index += 1
        }
        return index > start
    }

    static func isNameStart(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || scalar.value >= 0x80 || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }

    static func isName(_ scalar: Unicode.Scalar) -> Bool {
        isNameStart(scalar) || scalar == "-" || ("0"..."9").contains(scalar)
    }

    func startsIdentifier() -> Bool {
        guard let first = current else { return false }
        if Self.isNameStart(first) || first == "\\" { return true }
        if first == "-", let second = peek(1) { return Self.isNameStart(second) || second == "-" || second == "\\" }
        return false
    }

    mutating func identifier(_ what: String) throws(QueryError) -> String {
        guard startsIdentifier() else {
            throw current == nil
                ? error("expected \(what) but the selector ended", token: "")
                : error("expected \(what), found '\(String(current!))'")
        }
        var name = String.UnicodeScalarView()
        while let scalar = current {
            if scalar == "\\" {
                guard let escaped = peek(1) else { throw error("dangling '\\' escape") }
                name.append(escaped)
                index += 2
            } else if Self.isName(scalar) {
                name.append(scalar)
                index += 1
            } else {
                break
            }
        }
        return String(name)
    }

    mutating func quotedString() throws(QueryError) -> String {
        let quote = current!
        let start = index
        index += 1
        var value = String.UnicodeScalarView()
        while let scalar = current, scalar != quote {
            if scalar == "\\", let escaped = peek(1) {
                value.append(escaped)
                index += 2
            } else {
                value.append(scalar)
                index += 1
            }
        }
        guard current == quote else { throw error("unterminated string", token: String(quote), at: start) }
        index += 1
        return String(value)
    }

    /// The raw text up to the parenthesis that closes a functional pseudo-class.
    mutating func argumentText() throws(QueryError) -> String {
        let start = index
        var depth = 0
        while let scalar = current {
            if scalar == "(" { depth += 1 }
            if scalar == ")" {
                if depth == 0 { break }
                depth -= 1
            }
            index += 1
        }
        guard current == ")" else { throw error("missing ')'", token: "(", at: start - 1) }
        let text = String(String.UnicodeScalarView(scalars[start..<index]))
        index += 1
        return text
    }
}
