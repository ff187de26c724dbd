import Foundation
import MarqueeCore

/// Reads the JSON-LD blocks (`<script type="application/ld+json">`) of a page, tolerating what
/// real sites ship.
///
/// Repaired on the way: `/* <![CDATA[ */ … /* ]]> */` and bare `<![CDATA[ … ]]>` wrappers
/// (Letterboxd), `<!-- … -->` wrappers, trailing commas, comments, raw control characters and
/// unknown escapes inside strings. HTML character references inside string values (`&amp;`,
/// `&#39;`) are decoded, as a browser-side consumer of the markup would see them. A block that
/// still is not JSON is returned with its error, so one bad block never hides the others.
public enum JSONLD {
    /// Every JSON-LD block of `document`, in document order.
    public static func blocks(in document: HTMLDocument) -> [JSONLDBlock] {
        // Found natively; the type is compared as XPath's normalize-space/translate would.
        let scripts = ((try? document.css("script[type]")) ?? SelectorList([])).selectors.filter { script in
            normalizeWhitespace(script.attribute("type") ?? "").lowercased().hasPrefix("application/ld+json")
        }
        return scripts.enumerated().map { offset, script in
            let raw = script.string
            return JSONLDBlock(index: offset, line: script.line, raw: raw, result: parse(raw))
        }
    }

    /// The JSON-LD items of `document`: each block's value, with top-level arrays and `@graph`
    /// arrays flattened, so every element is one node object (`{"@type": "Movie", …}`).
    /// Blocks that cannot be parsed are skipped; use ``blocks(in:)`` to see their errors.
    public static func items(in document: HTMLDocument) -> [JSONValue] {
        blocks(in: document).flatMap { block -> [JSONValue] in
            guard case .success(let parsed) = block.result else { return [] }
            return flatten(parsed.value)
        }
    }

    /// The items (see ``items(in:)``) whose `@type` is `type` or a list containing it.
    public static func items(ofType type: String, in document: HTMLDocument) -> [JSONValue] {
        items(in: document).filter { types(of: $0).contains(type) }
    }

    /// The `@type` of a node object as a list (`"Movie"` → `["Movie"]`).
    public static func types(of item: JSONValue) -> [String] {
        switch item["@type"] {
        case .string(let type)?: [type]
        case .array(let types)?: types.compactMap(\.stringValue)
        default: []
        }
    }

    static func flatten(_ value: JSONValue) -> [JSONValue] {
        switch value {
        case .array(let items): return items.flatMap(flatten)
        case .object:
            if let graph = value["@graph"]?.arrayValue { return graph.flatMap(flatten) }
            return [value]
        default: return []
        }
    }

    /// Matches `type` case-insensitively and with parameters (`application/ld+json; charset=utf-8`).
    /// Parses one block's text, repairing what can be repaired.
    public static func parse(_ raw: String) -> Result<JSONLDBlock.Parsed, JSONParser.Failure> {
        var text = raw
        var repairs: [String] = []
        for (open, close, name) in wrappers {
            if let stripped = strip(text, open: open, close: close) {
                text = stripped
                repairs.append(name)
            }
        }
        do {
            let (value, jsonRepairs) = try JSONParser(options: .lenient).parse(text)
            var entityRepair = false
            let decoded = value.mapStrings { string in
                let decoded = HTMLEntities.decode(string)
                if decoded != string { entityRepair = true }
                return decoded
            }
            if entityRepair { repairs.append("HTML character references in strings") }
            return .success(JSONLDBlock.Parsed(value: decoded, repairs: repairs + jsonRepairs.map(\.description)))
        } catch {
            if trimmed(text).isEmpty {
                return .failure(JSONParser.Failure(message: "empty block", line: 1, column: 1))
            }
            return .failure(error)
        }
    }

    private static let wrappers: [(String, String, String)] = [
        ("<!--", "-->", "HTML comment wrapper"),
        ("/* <![CDATA[ */", "/* ]]> */", "CDATA wrapper"),
        ("//<![CDATA[", "//]]>", "CDATA wrapper"),
        ("<![CDATA[", "]]>", "CDATA wrapper"),
    ]

    /// `text` without a leading `open` and trailing `close` (whitespace around them allowed).
    private static func strip(_ text: String, open: String, close: String) -> String? {
        let trimmed = trimmed(text)
        guard trimmed.hasPrefix(open) else { return nil }
        var inner = trimmed.dropFirst(open.count)
        if inner.hasSuffix(close) { inner = inner.dropLast(close.count) }
        return String(inner)
    }

    /// `text` without leading and trailing whitespace, as a view (blocks can be megabytes: only
    /// the ends are looked at, and nothing is copied).
    private static func trimmed(_ text: String) -> Substring {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return Substring(scalars[first...last])
    }
}

/// One `<script type="application/ld+json">` block and what came of parsing it.
public struct JSONLDBlock: Sendable {
    /// A parsed block: the value and the repairs that were needed (empty when the JSON was clean).
    public struct Parsed: Sendable, Hashable {
        /// The block's JSON, with HTML character references in strings decoded.
        public var value: JSONValue
        /// What had to be repaired, in words (`CDATA wrapper`, `trailing comma at 3:14`); empty when clean.
        public var repairs: [String]
    }

    /// 0-based position among the page's JSON-LD blocks.
    public var index: Int
    /// The `<script>` element's line in the page (0 when unknown).
    public var line: Int
    /// The script's text as it appears in the page.
    public var raw: String
    /// The parsed value, or why it could not be parsed (line and column inside the block).
    public var result: Result<Parsed, JSONParser.Failure>

    /// The parsed value, or `nil` for a failed block.
    public var value: JSONValue? {
        if case .success(let parsed) = result { return parsed.value }
        return nil
    }
}
