import Foundation

/// Reads numbers as sites print them: group separators (`,` `.` space, no-break and thin spaces,
/// `'`), a decimal mark decided by the locale or by the digits, and a scale word (`K`, `M`, `B`,
/// `million`, `Mio.`, `Mrd.`, `Tsd.`, `mil`).
struct NumberReader {
    /// Locales whose decimal mark is a comma (two-letter language codes).
    static let commaDecimalLanguages: Set<String> = [
        "de", "fr", "es", "it", "pt", "nl", "pl", "ru", "sv", "da", "nb", "no", "fi", "cs", "tr", "ro", "hu", "el",
        "id",
    ]

    /// A number found in text: its value, the scale word's multiplier, and where it was.
    struct Reading {
        var value: Decimal
        var multiplier: Decimal
        var hadScaleWord: Bool
        var range: Range<String.Index>
        var scaled: Decimal { value * multiplier }
    }

    let locale: String?

    /// `true` when `locale` names a language that writes `1.234,5`.
    var localeUsesDecimalComma: Bool? {
        guard let locale, !locale.isEmpty else { return nil }
        let language =
            locale.lowercased().split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map(String.init) ?? ""
        return Self.commaDecimalLanguages.contains(language)
    }

    nonisolated(unsafe) static let number =
        #/([0-9](?:[0-9]|[.,' \u{00A0}\u{202F}\u{2009}](?=[0-9]))*)\s*(thousand|million|billion|milliarden?|millionen|mrd\.?|mio\.?|tsd\.?|bn|mn|mil|mi|k|m|b)?(?![a-z])/#
        .asciiOnlyDigits()
        .ignoresCase()

    /// Every number in `text`, in order.
    func readings(in text: String) -> [Reading] {
        text.matches(of: Self.number).compactMap { match in
            let word = match.output.2.map { $0.lowercased() }
            guard let value = parse(String(match.output.1), scaleWord: word) else { return nil }
            return Reading(
                value: value, multiplier: word.map(Self.multiplier) ?? 1, hadScaleWord: word != nil, range: match.range)
        }
    }

    static func multiplier(_ word: String) -> Decimal {
        switch word.trimmingCharacters(in: ["."]) {
        case "thousand", "k", "tsd", "mil": return 1_000
        case "million", "millionen", "mio", "mn", "m", "mi": return 1_000_000
        default: return 1_000_000_000  // billion, bn, b, mrd, milliarde(n)
        }
    }

    /// The digits with separators resolved, or `nil` when they do not form a number.
    func parse(_ digits: String, scaleWord: String?) -> Decimal? {
        var text = digits.filter { !" '\u{00A0}\u{202F}\u{2009}".contains($0) }
        let germanWord =
            scaleWord.map {
                ["mio", "mio.", "mrd", "mrd.", "tsd", "tsd.", "millionen", "milliarde", "milliarden", "mi"].contains($0)
            } ?? false
        let decimalComma: Bool
        if let fromLocale = localeUsesDecimalComma {
            decimalComma = fromLocale
        } else if germanWord {
            decimalComma = true
        } else if text.contains("."), text.contains(",") {
            decimalComma = text.lastIndex(of: ",")! > text.lastIndex(of: ".")!
        } else if let mark = text.first(where: { $0 == "." || $0 == "," }) {
            // One kind of mark: it groups thousands when every group after it has three digits
            // (and nothing suggests a fraction); otherwise it is the decimal mark.
            let groups = text.split(separator: mark, omittingEmptySubsequences: false).dropFirst()
            let grouping = groups.allSatisfy { $0.count == 3 } && (scaleWord == nil || groups.count > 1)
            decimalComma = (mark == ",") != grouping
        } else {
            decimalComma = false
        }
        let group: Character = decimalComma ? "." : ","
        let decimal: Character = decimalComma ? "," : "."
        let parts = text.split(separator: decimal, omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return nil }
        let integerGroups = parts[0].split(separator: group, omittingEmptySubsequences: false)
        if integerGroups.count > 1,
            integerGroups.dropFirst().contains(where: { $0.count != 3 }) || integerGroups[0].isEmpty
        {
            return nil
        }
        if parts.count == 2, parts[1].contains(group) || parts[1].isEmpty { return nil }
        text = integerGroups.joined() + (parts.count == 2 ? "." + parts[1] : "")
        return Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))
    }
}
