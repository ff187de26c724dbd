import Foundation

extension Normalize {
    /// A film title without the decorations sites add.
    ///
    /// Cleans entities, whitespace and invisible marks, applies Unicode NFC, and strips site
    /// suffixes (` - IMDb`, ` • Letterboxd`, ` - Rotten Tomatoes`, ` - Wikipedia`, ` - Box Office
    /// Mojo`, Letterboxd's ` directed by … • Reviews, film + cast`), a trailing year or kind-and-year
    /// in parentheses (` (2001)`, ` (TV Series 2013–2014)`, kept in ``Title/year``) and Wikipedia's
    /// ` (film)` / ` (1995 film)` disambiguators. See ``Title`` for the sort and match keys.
    /// - Throws: `missing` (nothing left after cleaning).
    public static func title(_ raw: String) throws(NormalizeError) -> Title {
        var text = try raw.cleaned(for: "title", footnotes: false)
        var strippedSite = false
        var lowercased = text.lowercased()
        for (suffix, lowered) in zip(siteSuffixes, loweredSiteSuffixes) {
            // Case-insensitive suffix test without Foundation's NSString search.
            guard text.utf8.count >= suffix.utf8.count, lowercased.hasSuffix(lowered) else { continue }
            text = TextCleanup.clean(String(text.dropLast(suffix.count)))
            lowercased = text.lowercased()
            strippedSite = true
        }
        if strippedSite, let directed = text.firstMatch(of: directedBy) {
            text = String(text[..<directed.range.lowerBound])
        }
        var year: Int?
        let decorated = text.hasSuffix(")")
        if decorated, let decoration = text.firstMatch(of: trailingYear) {
            year = Int(decoration.output.1)
            text = String(text[..<decoration.range.lowerBound])
        } else if decorated, let disambiguator = text.firstMatch(of: wikipediaDisambiguator) {
            year = disambiguator.output.1.flatMap { Int($0) }
            text = String(text[..<disambiguator.range.lowerBound])
        }
        text = TextCleanup.clean(text)
        guard !text.isEmpty else {
            throw NormalizeError(.missing, "title", raw: raw, "no title left after removing decorations")
        }
        return Title(title: text, sortKey: sortKey(text), matchKey: matchKey(text), year: year)
    }

    /// `The Matrix` → `Matrix, The`; `L'Atalante` → `Atalante, L'`; titles without a leading article unchanged.
    public static func sortKey(_ title: String) -> String {
        guard let (article, rest) = splitArticle(title) else { return title }
        return "\(rest), \(article)"
    }

    /// Folds a title for joining: `Amélie` and `Amelie`, `The Matrix` and `Matrix, The`,
    /// `Sam & Cat` and `Sam and Cat` share a key.
    public static func matchKey(_ title: String) -> String {
        let cleaned = TextCleanup.clean(title)
        let ascii = cleaned.utf8.allSatisfy { $0 < 0x80 }
        // For ASCII, folding is lower-casing; Foundation's folding pass is only needed beyond it.
        var text =
            ascii
            ? cleaned.lowercased()
            : cleaned.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil)
        if text.contains("&") { text = text.replacing("&", with: " and ") }
        if text.contains(","), let trailing = text.firstMatch(of: trailingArticle) {
            text = String(text[..<trailing.range.lowerBound])
        }
        if let (_, rest) = splitArticle(TextCleanup.clean(text)) { text = rest }
        if ascii {
            let bytes = text.utf8.map { byte -> UInt8 in
                (0x30...0x39).contains(byte) || (0x61...0x7A).contains(byte) || (0x41...0x5A).contains(byte)
                    ? byte : 0x20
            }
            return TextCleanup.clean(String(decoding: bytes, as: UTF8.self))
        }
        text = String(text.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) ? Character($0) : " " })
        return TextCleanup.clean(text)
    }

    /// Leading articles in English, French, German, Spanish, Italian and Portuguese. `A` and `I`
    /// are skipped when they are the whole first word of a two-word title, to leave `I Am Legend`
    /// and `A` alone where ambiguity is high.
    static func splitArticle(_ title: String) -> (String, String)? {
        if let second = title.dropFirst().first, second == "'" || second == "’",
            let elision = title.firstMatch(of: elidedArticle)
        {
            let rest = String(title[elision.range.upperBound...])
            return rest.isEmpty ? nil : (String(elision.output.1), rest)
        }
        guard let space = title.firstIndex(of: " ") else { return nil }
        let first = String(title[..<space])
        let rest = String(title[title.index(after: space)...])
        guard articles.contains(first.lowercased()), !rest.isEmpty else { return nil }
        return (first, rest)
    }

    static let articles: Set<String> = [
        "the", "a", "an", "le", "la", "les", "un", "une", "der", "die", "das", "ein", "eine", "el", "los", "las",
        "una", "il", "lo", "gli", "o", "os", "as",
    ]
    static let siteSuffixes = [
        " - IMDb", " | IMDb", " • Letterboxd", " - Rotten Tomatoes", " | Rotten Tomatoes", " - Wikipedia",
        " – Wikipedia", " - Box Office Mojo", " • Reviews, film + cast", " - Release Info", " - Critic Reviews",
    ]
    static let loweredSiteSuffixes = siteSuffixes.map { $0.lowercased() }
    nonisolated(unsafe) static let directedBy = #/\s+directed by\s+.*$/#.asciiOnlyDigits()
    nonisolated(unsafe) static let trailingYear = #/\s*\((?:[^()\d]*\s)?(\d{4})(?:\s*[–—-]\s*(?:\d{4})?\s*)?\)\s*$/#
        .asciiOnlyDigits()
    nonisolated(unsafe) static let wikipediaDisambiguator = #/\s*\((?:(\d{4}) )?(?:[a-z ]+ )?film\)\s*$/#
        .asciiOnlyDigits()
    nonisolated(unsafe) static let elidedArticle = #/^([LlDd]['’])/#.asciiOnlyDigits()
    nonisolated(unsafe) static let trailingArticle = #/,\s*(the|a|an|le|la|les|der|die|das|el|il)\s*$/#
        .asciiOnlyDigits()
}
