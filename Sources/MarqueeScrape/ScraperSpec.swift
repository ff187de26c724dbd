import Foundation
import MarqueeCore
import MarqueeHTML

/// One site's scraper, as loaded and checked from `scrapers/<site>.toml`.
///
/// See `docs/scrapers.md` for the language. Everything is validated when loading — unknown keys,
/// selectors that do not compile, unknown normalisers, bad regular expressions, fields the
/// record type does not have — so a spec that loads can only fail on pages, never on itself.
public struct SiteSpec: Sendable {
    /// The site's name (`imdb`), equal to the file's name.
    public var site: String
    /// Hosts whose pages belong to the site (`www.imdb.com`); crawls stay on them.
    public var hosts: [String]
    /// Politeness defaults for crawls of this site.
    public var requestsPerSecond: Double
    /// Concurrent requests per host.
    public var concurrency: Int
    /// The page's locale for normalisers (decimal marks, date order).
    public var locale: String?
    /// Values that mean "absent" wherever they appear (`NA`, `TODO_MISSING`).
    public var placeholders: Set<String>
    /// The page kinds, in the order they are tried.
    public var pages: [PageSpec]
    /// Where the spec was loaded from.
    public var file: String

    /// Whether `host` is one of the site's hosts (case-insensitive).
    public func owns(host: String) -> Bool {
        let lowered = host.lowercased()
        return hosts.contains { $0 == lowered }
    }
}

/// One kind of page of a site: how to recognise it and what to extract.
public struct PageSpec: Sendable {
    /// The kind's name (`title`, `diary`).
    public var kind: String
    /// One line on what the page is.
    public var description: String
    /// What the page yields.
    public var record: RecordType
    /// URL patterns; named groups (`(?<id>…)`) can be read by `url` rules.
    public var urlPatterns: [PatternBox]
    /// Page-content checks: the page is of this kind only when one of them yields a value (none: URL alone decides).
    public var detect: [Rule]
    /// JSON-LD `@type`s whose items `jsonld` rules read (empty: any).
    public var jsonldTypes: [String]
    /// For list pages: the rule selecting each item; fields are then read relative to the item.
    public var each: Rule?
    /// The fields, in spec order.
    public var fields: [FieldSpec]
    /// Links that feed the frontier.
    public var links: [LinkSpec]
    /// `file:line` of the `[[page]]` header.
    public var location: String
}

/// A compiled regular expression that is `Sendable` (compiled once per spec load).
public struct PatternBox: @unchecked Sendable {
    /// The source text.
    public let source: String
    let regex: Regex<AnyRegexOutput>

    init(_ source: String) throws {
        self.source = source
        // Matched scalar by scalar, as Python's `re` (and so Parsel) matches code points.
        self.regex = try Regex(source).matchingSemantics(.unicodeScalar)
    }

    /// The named groups of the first match in `text`, or `nil` when it does not match.
    func captures(in text: String) -> [String: String]? {
        guard let match = try? regex.firstMatch(in: text) else { return nil }
        var groups: [String: String] = [:]
        for element in match.output {
            if let name = element.name, let substring = element.substring { groups[name] = String(substring) }
        }
        return groups
    }
}

/// One field: ordered rules (the first that yields a usable value wins), a normaliser, and
/// whether it is required.
public struct FieldSpec: Sendable {
    /// Which of several values a single-valued field keeps.
    public enum Pick: String, Sendable, CaseIterable {
        case first, min, max
    }

    /// Coverage below which a run alarms: `min_coverage`, else 0.9 for a required field (a
    /// required field that goes missing turns pages into rejects), else none.
    public var expectedCoverage: Double? { minCoverage ?? (required ? 0.9 : nil) }

    /// The record field it fills; `a.b` fills member `b` of object field `a` (`rating.count`).
    public var name: String
    /// The rules, in order.
    public var rules: [Rule]
    /// The normaliser applied to each value (`nil`: cleaned text).
    public var normaliser: String?
    /// A missing value rejects the page (or item).
    public var required: Bool
    /// Keep every value (`directors`), not only the first.
    public var list: Bool
    /// Scale of bare rating numbers, for the `rating` normaliser.
    public var scale: Double?
    /// The share of records (of this page kind, in one run) that must have the field, below
    /// which the run raises a drift alarm (`min_coverage` in the spec; `nil`: see
    /// ``expectedCoverage``).
    public var minCoverage: Double? = nil
    /// Of the values a rule yields, keep the `first` (default), the `min` or the `max` — numbers
    /// by value, text (ISO dates) in order: the earliest year a re-release picker lists, which
    /// lists later years first.
    public var pick: Pick = .first
    /// `file:line` where the field is declared.
    public var location: String
}

/// A link rule: URLs on the page to queue for crawling.
public struct LinkSpec: Sendable {
    /// What the links are (`next`, `film`).
    public var name: String
    /// How to find them (values are URLs, resolved against the page URL).
    public var rule: Rule
}

/// One extraction rule: where a value comes from, and how it is cut down.
public struct Rule: Sendable, CustomStringConvertible {
    /// Where values come from.
    public enum Source: Sendable, Hashable {
        /// A CSS selector (`::text`, `::attr(x)`); elements yield their text.
        case css(String)
        /// An XPath expression; elements yield their text.
        case xpath(String)
        /// A path into the page's JSON-LD items (`director.name`, arrays are walked).
        case jsonld(String)
        /// A path into the page's `__NEXT_DATA__` JSON.
        case nextData(String)
        /// A `<meta>` tag's content (`og:title`, `description`).
        case meta(String)
        /// A named group of the page URL's pattern.
        case url(String)
        /// A constant.
        case value(JSONValue)
    }

    /// What the rule reads: a CSS or XPath query, JSON-LD, a `<meta>` tag, a URL group or a constant.
    public var source: Source
    /// Read this attribute of each matched element.
    public var attribute: String?
    /// Split each value on this separator.
    public var split: String?
    /// Keep what this regular expression extracts (Parsel's `re`).
    public var regex: PatternBox?
    /// Replace values found in the table (`movie` → `feature`); others pass unchanged.
    public var map: [String: String]?
    /// Wrap the value: `{}` is replaced by it (`PT{}S` turns seconds into an ISO duration).
    public var template: String?
    /// Read each value as JSON (leniently, as the page's own script would) and take what this
    /// dotted path finds in it: `{ css = "script#scoreDetails::text", json = "scoreboard.audienceScore.ratingCount" }`.
    public var json: String? = nil
    /// Yield `true` when the query matches anything, `false` when it does not.
    public var present: Bool
    /// Evaluate from the page root, even inside an item.
    public var pageScope: Bool
    /// How the spec wrote it, for reject records.
    public var text: String

    /// The rule as the spec wrote it.
    public var description: String { text }
}
