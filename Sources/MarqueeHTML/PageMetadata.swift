/// The `<meta>` tags and canonical link of a page: OpenGraph (`og:*`), Twitter cards (`twitter:*`),
/// and named tags (`description`, `title`).
///
/// Keys are lower-cased; a key can repeat (`og:image` often does), so lookups return the first
/// value and ``values(_:)`` returns all. Values are whitespace-normalised.
public struct PageMetadata: Sendable, Hashable {
    /// Every `(key, value)` pair in document order, from `<meta property=… content=…>` and
    /// `<meta name=… content=…>` (and `itemprop`).
    public var entries: [(key: String, value: String)]
    /// The `href` of `<link rel="canonical">`, if present.
    public var canonicalURL: String?

    /// Reads the metadata of `document`.
    public init(_ document: HTMLDocument) {
        entries = []
        if let metas = try? document.css("meta[content]") {
            for meta in metas {
                guard let key = meta.attribute("property") ?? meta.attribute("name") ?? meta.attribute("itemprop"),
                    !key.isEmpty
                else { continue }
                entries.append((key.lowercased(), normalizeWhitespace(meta.attribute("content") ?? "")))
            }
        }
        let canonical = try? document.css("link[rel~=canonical i]::attr(href)").get()
        canonicalURL = canonical.map(normalizeWhitespace)
    }

    /// The first value for `key` (`"og:title"`, `"description"`), case-insensitive.
    public subscript(key: String) -> String? {
        let wanted = key.lowercased()
        return entries.first { $0.key == wanted }?.value
    }

    /// Every value for `key`, in document order.
    public func values(_ key: String) -> [String] {
        let wanted = key.lowercased()
        return entries.filter { $0.key == wanted }.map(\.value)
    }

    /// The first `og:<name>` value: `openGraph("title")`.
    public func openGraph(_ name: String) -> String? { self["og:" + name] }

    /// The first `twitter:<name>` value: `twitter("card")`.
    public func twitter(_ name: String) -> String? { self["twitter:" + name] }

    /// Equal when the entries (in order) and the canonical URL are equal.
    public static func == (lhs: PageMetadata, rhs: PageMetadata) -> Bool {
        lhs.canonicalURL == rhs.canonicalURL && lhs.entries.elementsEqual(rhs.entries) { $0 == $1 }
    }

    /// Hashes the entries in order and the canonical URL.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(canonicalURL)
        for entry in entries {
            hasher.combine(entry.key)
            hasher.combine(entry.value)
        }
    }
}
