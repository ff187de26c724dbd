import Foundation

extension Normalize {
    /// A whole count: votes, ratings, reviews, fans.
    ///
    /// Accepts grouped numbers (`89,249`, `1,956,171`, `89.249`, `1 234 567`), abbreviated ones
    /// (`1.2M`, `2.1K`, `412K`, `1,2 Mio.`, `3 Tsd.`), and numbers inside words (`12 ratings`,
    /// `1,145,629 votes »`). Without a `locale`, a single `.` or `,` followed by exactly three digits
    /// groups thousands (counts are whole), while `1.2M` / `1,2 Mio.` are decimals; with a locale
    /// (`de`, `fr`, `en-US`…) its decimal mark rules. Abbreviated values round to the nearest whole.
    /// - Throws: `missing`, `malformed` (no number, bad grouping such as `1,23,4`), `ambiguous`
    ///   (two different numbers), `outOfRange` (negative or beyond 2^53).
    public static func count(_ raw: String, locale: String? = nil) throws(NormalizeError) -> Int {
        let text = try raw.cleaned(for: "count")
        if text.hasPrefix("-") || text.hasPrefix("−") {
            throw NormalizeError(.outOfRange, "count", raw: raw, "a count cannot be negative")
        }
        if text.utf8.count <= 15, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let plain = Int(text) {
            return plain  // plain digits: no grouping, scale words or locale to read
        }
        let readings = NumberReader(locale: locale).readings(in: text)
        guard let first = readings.first else {
            throw NormalizeError(.malformed, "count", raw: raw, "no number (or its digit grouping is broken)")
        }
        if readings.count > 1, Set(readings.map(\.scaled)).count > 1 {
            throw NormalizeError(.ambiguous, "count", raw: raw, "several numbers; select just the count")
        }
        let value = NSDecimalNumber(decimal: first.scaled).doubleValue.rounded()
        guard value <= 9_007_199_254_740_992 else {
            throw NormalizeError(.outOfRange, "count", raw: raw, "too large for a count")
        }
        return Int(value)
    }

    /// Formats a count with `,` grouping (`89,249`), or with `.` grouping for `locale` `de`-like locales.
    public static func formatCount(_ value: Int, locale: String? = nil) -> String {
        let separator = NumberReader(locale: locale).localeUsesDecimalComma == true ? "." : ","
        let digits = String(value)
        var groups: [Substring] = []
        var end = digits.endIndex
        while end > digits.startIndex {
            let start = digits.index(end, offsetBy: -3, limitedBy: digits.startIndex) ?? digits.startIndex
            groups.insert(digits[start..<end], at: 0)
            end = start
        }
        return groups.joined(separator: separator)
    }
}
