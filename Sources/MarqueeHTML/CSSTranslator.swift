import CMarqueeXML
import Synchronization

/// Compiles CSS selectors to XPath 1.0, with Parsel's `::text` and `::attr(name)` pseudo-elements,
/// and caches the translations.
///
/// Supported: type (`div`, `*`), `#id`, `.class`, attribute selectors (`[a]`, `=`, `~=`, `^=`,
/// `$=`, `*=`, `|=`, with an optional ` i` flag), the combinators descendant, `>`, `+`, `~`,
/// selector lists (`a, b`), `:first-child`, `:last-child`, `:only-child`, `:nth-child()`,
/// `:nth-last-child()`, `:nth-of-type()`, `:nth-last-of-type()`, `:first-of-type`,
/// `:last-of-type`, `:only-of-type`, `:not()`, `:empty`, `:root`, and `:contains("text")`.
/// Anything else is a ``QueryError`` naming the token and its column — never an empty result.
/// The translation is relative to the context node, as Parsel's is (`descendant-or-self::…`).
public final class CSSTranslator: Sendable {
    /// The process-wide translator and cache.
    public static let shared = CSSTranslator(cacheCapacity: 4096)

    private let cache = Mutex<[String: CSSTranslation]>([:])
    private let cacheCapacity: Int

    /// Creates a translator whose cache holds up to `cacheCapacity` selectors.
    public init(cacheCapacity: Int) {
        self.cacheCapacity = cacheCapacity
    }

    /// The XPath expression equivalent to `selector`.
    /// - Throws: ``QueryError`` (kind `.css`) for malformed or unsupported selectors.
    public func xpath(for selector: String) throws(QueryError) -> String {
        try translation(for: selector).xpath
    }

    /// The XPath translation of `selector`, and its native program when it has one.
    func translation(for selector: String) throws(QueryError) -> CSSTranslation {
        if let cached = cache.withLock({ $0[selector] }) { return cached }
        var parser = CSSParser(selector)
        let translation = try parser.parseSelectorList()
        cache.withLock { cache in
            if cache.count >= cacheCapacity { cache.removeAll(keepingCapacity: true) }
            cache[selector] = translation
        }
        return translation
    }
}

/// A CSS selector compiled: the XPath it stands for, and — when it only uses type, `#id`,
/// `.class` and attribute tests with descendant or child combinators — a ``NativeCSS`` program
/// that finds the same nodes in one walk of the tree.
struct CSSTranslation: Sendable {
    let xpath: String
    let native: NativeCSS?
}

/// The XPath 1.0 string literal for `text`, using `concat()` when it holds both quote kinds.
func xpathLiteral(_ text: String) -> String {
    if !text.contains("'") { return "'\(text)'" }
    if !text.contains("\"") { return "\"\(text)\"" }
    let parts = text.split(separator: "'", omittingEmptySubsequences: false).map { "'\($0)'" }
    return "concat(" + parts.joined(separator: ", \"'\", ") + ")"
}

/// One compound selector (`p.lead[title]`), translated piecewise.
struct CSSCompound {
    var element = "*"
    var conditions: [String] = []
    var pseudoElement: String?  // "text()" or "@name"
    /// The conditions as native tests, while every one of them has a native form.
    var nativeTests: [NativeCSS.Test]? = []

    var isBare: Bool { element == "*" && conditions.isEmpty }

    /// The step `element[c1][c2]`.
    var step: String { element + conditions.map { "[\($0)]" }.joined() }

    /// The compound as one boolean test on the context node (for `:not()`).
    var test: String {
        var parts = conditions
        if element != "*" { parts.insert("self::\(element)", at: 0) }
        return parts.isEmpty ? "true()" : "(" + parts.joined(separator: " and ") + ")"
    }
}
