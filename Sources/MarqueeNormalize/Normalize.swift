/// The normalisers: small pure functions that turn what movie sites print into typed values.
///
/// Each takes the text as a page shows it and returns a value or throws ``NormalizeError``
/// (`missing` for empty input, `malformed`, `ambiguous`, `outOfRange`) carrying the raw string.
/// None of them guesses: input that could mean two things is an error. Scraper specs name them
/// through ``NormalizerRegistry``.
public enum Normalize {}

extension String {
    /// Cleaned text, or a `missing` error when nothing is left.
    func cleaned(for normalizer: String, footnotes: Bool = true) throws(NormalizeError) -> String {
        let text = footnotes ? TextCleanup.cleanWithoutFootnotes(self) : TextCleanup.clean(self)
        if text.isEmpty { throw NormalizeError.missing(normalizer, raw: self) }
        return text
    }
}
