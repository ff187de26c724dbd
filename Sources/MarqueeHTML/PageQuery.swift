import MarqueeCore

/// A query against a saved page, as `marquee select` and scraper specs run it.
public enum PageQuery: Sendable, Hashable {
    /// A CSS selector (with `::text` and `::attr(name)`).
    case css(String)
    /// An XPath 1.0 expression.
    case xpath(String)
    /// The page's JSON-LD items, as search engines and extruct read them: top-level arrays and
    /// `@graph` flattened into their objects, `null`/`false` blocks dropped, in page order.
    case jsonld

    /// What a query produced: one JSON value per result, plus the JSON-LD blocks that failed.
    public struct Output: Sendable {
        /// CSS/XPath: `.string` per match (``Selector/get()``, or ``Selector/text`` when asked);
        /// JSON-LD: one value per item (``JSONLD/flatten(_:)``) of the blocks that parsed.
        public var values: [JSONValue]
        /// JSON-LD blocks that could not be parsed, with their errors.
        public var failedBlocks: [JSONLDBlock]
    }

    /// Runs the query on `document`.
    /// - Parameters:
    ///   - document: the parsed page.
    ///   - text: for CSS/XPath, return each match's whitespace-normalised text instead of `get()`.
    /// - Throws: ``QueryError`` when the query does not compile.
    public func run(on document: HTMLDocument, text: Bool = false) throws(QueryError) -> Output {
        switch self {
        case .css(let query):
            let matches = try document.css(query)
            return Output(values: matches.map { .string(text ? $0.text : $0.get()) }, failedBlocks: [])
        case .xpath(let query):
            let matches = try document.xpath(query)
            return Output(values: matches.map { .string(text ? $0.text : $0.get()) }, failedBlocks: [])
        case .jsonld:
            let blocks = JSONLD.blocks(in: document)
            return Output(
                values: blocks.compactMap(\.value).flatMap(JSONLD.flatten), failedBlocks: blocks.filter { $0.value == nil })
        }
    }
}
