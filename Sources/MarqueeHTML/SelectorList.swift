/// The results of a query, in document order; queries on a list run on every member and
/// concatenate the results, as in Parsel.
public struct SelectorList: RandomAccessCollection {
    /// The selectors.
    public let selectors: [Selector]

    /// Wraps selectors.
    public init(_ selectors: [Selector]) {
        self.selectors = selectors
    }

    /// The first index (0).
    public var startIndex: Int { selectors.startIndex }
    /// One past the last index (the count).
    public var endIndex: Int { selectors.endIndex }
    /// The selector at `position`.
    public subscript(position: Int) -> Selector { selectors[position] }

    /// Runs an XPath query on every member; see ``Selector/xpath(_:)``.
    public func xpath(_ query: String) throws(QueryError) -> SelectorList {
        var results: [Selector] = []
        for selector in selectors { results += try selector.xpath(query).selectors }
        return SelectorList(results)
    }

    /// Runs a CSS query on every member; see ``Selector/css(_:)``.
    public func css(_ query: String) throws(QueryError) -> SelectorList {
        var results: [Selector] = []
        for selector in selectors { results += try selector.css(query).selectors }
        return SelectorList(results)
    }

    /// ``Selector/get()`` of the first member, or `nil` when the list is empty.
    public func get() -> String? { selectors.first?.get() }

    /// ``Selector/get()`` of every member.
    public func getAll() -> [String] { selectors.map { $0.get() } }

    /// ``Selector/text`` of the first member, or `nil` when the list is empty.
    public var text: String? { selectors.first?.text }

    /// ``Selector/attribute(_:)`` of the first member that has the attribute.
    public func attribute(_ name: String) -> String? {
        for selector in selectors {
            if let value = selector.attribute(name) { return value }
        }
        return nil
    }

    /// ``Selector/re(_:)`` of every member, concatenated.
    public func re(_ pattern: String) throws(QueryError) -> [String] {
        let matcher = try RegexMatcher(pattern)
        return selectors.flatMap { matcher.matches(in: $0.get()) }
    }

    /// The first result of ``re(_:)``, or `nil`.
    public func reFirst(_ pattern: String) throws(QueryError) -> String? {
        try re(pattern).first
    }
}
