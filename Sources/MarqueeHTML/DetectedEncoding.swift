/// The character encoding a page was decoded with, and why that one was chosen.
public struct DetectedEncoding: Sendable, Hashable, CustomStringConvertible {
    /// What decided the encoding, in the order Marquee asks.
    public enum Source: String, Sendable, Hashable {
        /// A UTF-8 or UTF-16 byte-order mark at the start of the bytes.
        case byteOrderMark = "bom"
        /// The `charset` parameter of the HTTP `Content-Type` header.
        case httpHeader = "http-header"
        /// `<meta charset>` or `<meta http-equiv="Content-Type">` near the start of the page.
        case metaTag = "meta"
        /// The bytes themselves, overriding a declaration they contradict (a page that says
        /// latin-1 but is valid UTF-8, or says UTF-8 but is mostly not).
        case content = "content"
        /// Nothing declared: UTF-8.
        case fallback = "fallback"
    }

    /// Canonical encoding name as libxml2/iconv know it: `UTF-8`, `UTF-16LE`, `windows-1252`, …
    public var name: String
    /// What decided it.
    public var source: Source
    /// The label the header or page declared, when it differs from ``name`` or was overridden.
    public var declared: String?

    /// Creates a detected encoding.
    public init(name: String, source: Source, declared: String? = nil) {
        self.name = name
        self.source = source
        self.declared = declared
    }

    /// `UTF-8 (meta)`, or `UTF-8 (content; declared iso-8859-1)` when a declaration was overridden.
    public var description: String {
        declared.map { "\(name) (\(source.rawValue); declared \($0))" } ?? "\(name) (\(source.rawValue))"
    }
}
