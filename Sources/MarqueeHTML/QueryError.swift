import CLibXML2
import Foundation
import MarqueeCore

/// A query that cannot run: a CSS selector Marquee does not support, malformed XPath, or a bad regex.
///
/// The message names the offending token and its 1-based column in the query, so
/// `h1 >> p` reports `unexpected '>' at column 5`.
public struct QueryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The query language.
    public enum Kind: String, Sendable, Hashable {
        /// A CSS selector.
        case css
        /// An XPath 1.0 expression.
        case xpath
        /// A regular expression given to `re()`.
        case regex
    }

    /// Which language the query was in.
    public var kind: Kind
    /// The query as given.
    public var query: String
    /// What is wrong.
    public var message: String
    /// The offending token, when there is one.
    public var token: String?
    /// 1-based column of the offending token in ``query``.
    public var column: Int?

    /// Creates a query error.
    public init(kind: Kind, query: String, message: String, token: String? = nil, column: Int? = nil) {
        self.kind = kind
        self.query = query
        self.message = message
        self.token = token
        self.column = column
    }

    init(kind: Kind, query: String, libxmlError error: xmlError) {
        let text = error.message.map { String(cString: $0) } ?? "invalid expression"
        let column = error.domain == Int32(XML_FROM_XPATH.rawValue) ? Int(error.int1) + 1 : nil
        let token = column.flatMap { column -> String? in
            let characters = Array(query)
            guard column - 1 < characters.count else { return nil }
            return String(characters[(column - 1)...].prefix(12))
        }
        self.init(
            kind: kind, query: query,
            message: text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased(), token: token, column: column)
    }

    /// `css query "h1 >> p": unexpected '>' at column 5`.
    public var description: String {
        var text = "\(kind.rawValue) query \"\(query)\": \(message)"
        if let token, !message.contains("'\(token)'") { text += " near '\(token)'" }
        if let column { text += " at column \(column)" }
        return text
    }

    /// The same error as a `MarqueeError` with the `usage` code (exit 64).
    public var marqueeError: MarqueeError {
        MarqueeError(.usage, description, hint: kind == .css ? "see docs/selectors.md for the supported CSS" : nil)
    }
}
