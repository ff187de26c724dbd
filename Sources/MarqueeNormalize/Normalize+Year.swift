extension Normalize {
    /// The years a film or series could plausibly carry.
    public static let plausibleYears = 1870...2100

    /// A release year.
    ///
    /// Looks, in order, for: a parenthesised year in a title (`Mulholland Drive (2001)`,
    /// `Sam & Cat (TV Series 2013–2014)` → 2013, `2001: A Space Odyssey (1968)` → 1968); a date
    /// (`23 September 1994`, `1999-03-31`); a year range (`2005–2017` → 2005); a single four-digit
    /// year anywhere. Several different bare years with no parentheses is `ambiguous`.
    /// - Throws: `missing`, `malformed` (no year), `ambiguous`, `outOfRange` (outside 1870…2100).
    public static func year(_ raw: String) throws(NormalizeError) -> Int {
        try yearRange(raw, normalizer: "year").start
    }

    /// A span of years: a series' run (`2005–2017`, `2013–` still running, `(TV Series 2013–2014)`)
    /// or a single year (`2001` → 2001–2001). Reads the same places as ``year(_:)``.
    /// - Throws: `missing`, `malformed`, `ambiguous`, `outOfRange` (or an end before the start).
    public static func yearRange(_ raw: String) throws(NormalizeError) -> YearRange {
        try yearRange(raw, normalizer: "year_range")
    }

    static func yearRange(_ raw: String, normalizer: String) throws(NormalizeError) -> YearRange {
        let text = try raw.cleaned(for: normalizer)
        func checked(_ start: Int, _ end: Int?, open: Bool) throws(NormalizeError) -> YearRange {
            for year in [start, end].compactMap({ $0 }) where !plausibleYears.contains(year) {
                throw NormalizeError(.outOfRange, normalizer, raw: raw, "\(year) is outside \(plausibleYears)")
            }
            if let end, end < start {
                throw NormalizeError(
                    .outOfRange, normalizer, raw: raw, "the range ends (\(end)) before it starts (\(start))")
            }
            return YearRange(start: start, end: open ? nil : (end ?? start))
        }
        if text.utf8.count == 4, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let year = Int(text) {
            return try checked(year, nil, open: false)  // the commonest input, without the patterns
        }
        if let match = text.matches(of: parenthesisedYears).last {
            let start = Int(match.output.1)!
            return try checked(
                start, match.output.3.flatMap { Int($0) }, open: match.output.2 != nil && match.output.3 == nil)
        }
        if let range = text.wholeMatch(of: bareRange) {
            let start = Int(range.output.1)!
            return try checked(
                start, range.output.3.flatMap { Int($0) }, open: range.output.2 != nil && range.output.3 == nil)
        }
        if let date = try? parseDate(
            TextCleanup.clean(text.replacing(parenthetical, with: " ")), raw: raw, locale: nil, normalizer: normalizer)
        {
            return try checked(date.year, nil, open: false)
        }
        let years = Set(text.matches(of: fourDigits).compactMap { Int($0.output.1) })
        switch years.count {
        case 0: throw NormalizeError(.malformed, normalizer, raw: raw, "no four-digit year")
        case 1: return try checked(years.first!, nil, open: false)
        default:
            throw NormalizeError(
                .ambiguous, normalizer, raw: raw,
                "several years (\(years.sorted().map(String.init).joined(separator: ", "))) and none in parentheses")
        }
    }

    nonisolated(unsafe) static let parenthesisedYears = #/\((?:[^()\d]*\s)?(\d{4})(?:\s*([–—-])\s*(\d{4})?\s*)?\)/#
        .asciiOnlyDigits()
    nonisolated(unsafe) static let bareRange = #/(\d{4})\s*(?:([–—-])\s*(\d{4})?)?/#.asciiOnlyDigits()
    nonisolated(unsafe) static let fourDigits = #/(?:^|\D)(\d{4})(?!\d)/#.asciiOnlyDigits()
}

/// A span of years; `end` is `nil` while a series is still running.
public struct YearRange: Sendable, Hashable, Codable {
    /// The first year.
    public var start: Int
    /// The last year, `nil` for an open range (`2013–`).
    public var end: Int?

    /// Creates a range.
    public init(start: Int, end: Int?) {
        self.start = start
        self.end = end
    }

    /// Always writes `end`, as `null` for an open range.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(start, forKey: .start)
        try container.encode(end, forKey: .end)
    }
}
