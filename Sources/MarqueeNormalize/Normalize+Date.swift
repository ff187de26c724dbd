import Foundation

extension Normalize {
    /// A calendar date, possibly partial.
    ///
    /// Accepts ISO dates and date-times (`1994-09-23`, `1994-09`, `1994`, `1999-03-31T00:00:00Z`,
    /// `2019/02/05`), day-month-year and month-day-year in words (`23 September 1994`, `23 Sep 1994`,
    /// `23. März 1994`, `September 23, 1994`, `Sep 10, 1994`, `September 1994`, `23 de septiembre de
    /// 1994`) with English, French, German, Spanish, Portuguese and Italian month names, and numeric
    /// `23/09/1994`, `09/23/1994`, `23.09.1994`. A numeric date whose day and month could be swapped
    /// (`03/04/1994`) is an `ambiguous` error unless `locale` settles it (`en-US` reads month first,
    /// other locales day first); dotted dates are always day first. Parenthesised notes and
    /// footnotes are ignored: `August 16, 1989 (1989-08-16)`, `14 October 1994 (USA)`.
    /// - Throws: `missing`, `malformed`, `ambiguous`, `outOfRange` (month 13, 31 April, year 12345).
    public static func date(_ raw: String, locale: String? = nil) throws(NormalizeError) -> PartialDate {
        let text = try raw.cleaned(for: "date")
        let core = TextCleanup.clean(text.replacing(parenthetical, with: " "))
        guard !core.isEmpty else { throw NormalizeError(.malformed, "date", raw: raw, "only a parenthesised note") }
        return try parseDate(core, raw: raw, locale: locale, normalizer: "date")
    }

    /// A release date with its country, as IMDb and Wikipedia print it.
    ///
    /// Reads the first `date (Country)` of strings such as `14 October 1994 (USA)`,
    /// `January 3, 2019 (2019-01-03) (Australia) February 22, 2019 (United States)` or
    /// `Sep 10, 1994 wide`; the date follows ``date(_:locale:)``.
    public static func release(_ raw: String, locale: String? = nil) throws(NormalizeError) -> ReleaseDate {
        let text = try raw.cleaned(for: "release")
        var country: String?
        var datePart = text
        // Everything up to the first parenthesised note that is not itself a date is this release.
        for match in text.matches(of: parentheticalCaptured) {
            let note = TextCleanup.clean(String(match.output.1))
            if (try? parseDate(note, raw: raw, locale: locale, normalizer: "release")) != nil { continue }
            country = note.isEmpty ? nil : note
            datePart = String(text[..<match.range.lowerBound])
            break
        }
        var core = TextCleanup.clean(datePart.replacing(parenthetical, with: " "))
        core = TextCleanup.clean(core.replacing(releaseQualifier, with: ""))
        if country == nil, let first = core.firstMatch(of: leadingWordsDate) {
            core = String(first.output)  // several dates with no notes: the first
        }
        let date = try parseDate(core, raw: raw, locale: locale, normalizer: "release")
        return ReleaseDate(date: date, country: country)
    }

    static func parseDate(_ text: String, raw: String, locale: String?, normalizer: String) throws(NormalizeError)
        -> PartialDate
    {
        func make(_ year: Int, _ month: Int?, _ day: Int?) throws(NormalizeError) -> PartialDate {
            guard (1000...2999).contains(year) else {
                throw NormalizeError(.outOfRange, normalizer, raw: raw, "year \(year) is out of range")
            }
            if let month {
                guard (1...12).contains(month) else {
                    throw NormalizeError(.outOfRange, normalizer, raw: raw, "there is no month \(month)")
                }
                if let day, !(1...PartialDate.days(inMonth: month, year: year)).contains(day) {
                    throw NormalizeError(
                        .outOfRange, normalizer, raw: raw, "day \(day) is not in month \(month) of \(year)")
                }
            }
            return PartialDate(year: year, month: month, day: day)
        }
        if let iso = text.wholeMatch(of: isoDate) {
            return try make(Int(iso.output.1)!, iso.output.2.flatMap { Int($0) }, iso.output.3.flatMap { Int($0) })
        }
        if let numeric = text.wholeMatch(of: numericDate) {
            let first = Int(numeric.output.1)!
            let second = Int(numeric.output.3)!
            let year = Int(numeric.output.4)!
            let dayFirst: Bool
            if first > 12 || numeric.output.2 == "." {
                dayFirst = true
            } else if second > 12 || first == second {
                dayFirst = false
            } else if let locale {
                dayFirst = !locale.lowercased().replacing("_", with: "-").hasPrefix("en-us")
            } else {
                throw NormalizeError(
                    .ambiguous, normalizer, raw: raw,
                    "\(first) and \(second) could each be the day or the month; give a locale (en-US reads month first)"
                )
            }
            return dayFirst ? try make(year, second, first) : try make(year, first, second)
        }
        // Words: tokens of digits or letters; ordinals, "de", "the", "of" and dots dropped.
        let tokens = text.lowercased()
            .split(whereSeparator: { $0 == " " || $0 == "," || $0 == "." || $0 == "-" || $0 == "/" })
            .map { token in token.wholeMatch(of: ordinal).map { String($0.output.1) } ?? String(token) }
            .filter { !["de", "del", "the", "of", "le", "der"].contains($0) && !$0.isEmpty }
        let months = tokens.map { monthNumbers[$0] }
        let numbers = tokens.map { Int($0) }
        switch tokens.count {
        case 3 where numbers[0] != nil && months[1] != nil && numbers[2] != nil:
            return try make(numbers[2]!, months[1], numbers[0])
        case 3 where months[0] != nil && numbers[1] != nil && numbers[2] != nil:
            return try make(numbers[2]!, months[0], numbers[1])
        case 2 where months[0] != nil && numbers[1] != nil && tokens[1].count == 4:
            return try make(numbers[1]!, months[0], nil)
        default:
            throw NormalizeError(
                .malformed, normalizer, raw: raw,
                "expected a date such as 1994-09-23, 23 September 1994 or September 23, 1994")
        }
    }

    /// Month names and abbreviations (lower case) in the languages film sites use most.
    static let monthNumbers: [String: Int] = {
        let names: [[String]] = [
            [
                "january", "jan", "janvier", "janv", "januar", "jän", "jänner", "enero", "ene", "janeiro", "gennaio",
                "genn", "gen",
            ],
            [
                "february", "feb", "févr", "février", "fevrier", "februar", "febrero", "fevereiro", "fev", "fév",
                "febbraio",
            ],
            ["march", "mar", "mars", "märz", "maerz", "marzo", "março", "marco", "mär"],
            ["april", "apr", "avril", "avr", "abril", "abr", "aprile"],
            ["may", "mai", "mayo", "maio", "maggio", "mag"],
            ["june", "jun", "juin", "juni", "junio", "junho", "giugno", "giu"],
            ["july", "jul", "juillet", "juil", "juli", "julio", "julho", "luglio", "lug"],
            ["august", "aug", "août", "aout", "agosto", "ago"],
            ["september", "sep", "sept", "septembre", "septiembre", "setembro", "set", "settembre"],
            ["october", "oct", "octobre", "oktober", "okt", "octubre", "outubro", "out", "ottobre", "ott"],
            ["november", "nov", "novembre", "noviembre", "novembro"],
            [
                "december", "dec", "décembre", "decembre", "déc", "dezember", "dez", "diciembre", "dic", "dezembro",
                "dicembre",
            ],
        ]
        var table: [String: Int] = [:]
        for (index, list) in names.enumerated() { for name in list { table[name] = index + 1 } }
        return table
    }()

    nonisolated(unsafe) static let parenthetical = #/\([^()]*\)/#.asciiOnlyDigits()
    nonisolated(unsafe) static let parentheticalCaptured = #/\(([^()]*)\)/#.asciiOnlyDigits()
    nonisolated(unsafe) static let releaseQualifier = #/\b(?:wide|limited|original|premiere|festival)\b/#.ignoresCase()
        .asciiOnlyDigits()
    nonisolated(unsafe) static let leadingWordsDate =
        #/^(?:\d{1,2}\.? [^\d\s,]+\.?,? \d{4}|[^\d\s,]+\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4}|\d{4}-\d{2}-\d{2})/#
        .asciiOnlyDigits()
    nonisolated(unsafe) static let isoDate =
        #/(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?/#
        .asciiOnlyDigits()
    nonisolated(unsafe) static let numericDate = #/(\d{1,2})([./-])(\d{1,2})\2(\d{4})/#.asciiOnlyDigits()
    nonisolated(unsafe) static let ordinal = #/(\d{1,2})(?:st|nd|rd|th|er|e|º|°)/#.asciiOnlyDigits()
}

/// A release date and the country it applies to, when the page names one.
public struct ReleaseDate: Sendable, Hashable, Codable {
    /// The date.
    public var date: PartialDate
    /// The country as printed (`USA`, `United States`), or `nil`.
    public var country: String?
}
