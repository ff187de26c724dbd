extension Normalize {
    /// A rating with its scale.
    ///
    /// Accepts `8.3/10`, `8,3/10`, `4.26 out of 5`, `3.82 of 5`, stars (`★★★½` = 3.5 of 5, `½` =
    /// 0.5; empty `☆` ignored), Letterboxd's class `rated-7` (= 3.5 of 5: the number counts half
    /// stars), percentages (`61%` = 61 of 100), and a bare number (`8.7`) when `scale` says what it
    /// is out of (JSON-LD `ratingValue` with `bestRating`).
    /// - Throws: `missing`, `malformed` (no number, or a bare number without `scale`),
    ///   `outOfRange` (below 0 or above the scale, or a scale of 0).
    public static func rating(_ raw: String, scale defaultScale: Double? = nil) throws(NormalizeError) -> Rating {
        let text = try raw.cleaned(for: "rating")
        let value: Double
        let scale: Double
        if let defaultScale, let number = Double(text), number.isFinite,
            text.utf8.allSatisfy({ (0x30...0x39).contains($0) || $0 == UInt8(ascii: ".") })
        {
            // A plain number on a known scale (IMDb's 8.7): the commonest input, read directly.
            value = number
            scale = defaultScale
        } else if let letterboxd = text.firstMatch(of: letterboxdRated) {
            value = Double(letterboxd.output.1)! / 2
            scale = 5
        } else if text.contains(where: { $0 == "★" || $0 == "½" }) {
            guard text.allSatisfy({ "★½☆ ".contains($0) }) else {
                throw NormalizeError(.malformed, "rating", raw: raw, "stars mixed with other text")
            }
            value = Double(text.filter { $0 == "★" }.count) + (text.contains("½") ? 0.5 : 0)
            scale = 5
        } else if let percent = text.firstMatch(of: percentage) {
            value = decimal(percent.output.1)
            scale = 100
        } else if let fraction = text.firstMatch(of: outOf) {
            value = decimal(fraction.output.1)
            scale = decimal(fraction.output.2)
        } else if let bare = text.wholeMatch(of: bareNumber) {
            guard let defaultScale else {
                throw NormalizeError(
                    .malformed, "rating", raw: raw,
                    "a bare number needs its scale (scale=10 for IMDb, scale=5 for Letterboxd)")
            }
            value = decimal(bare.output.1)
            scale = defaultScale
        } else {
            throw NormalizeError(
                .malformed, "rating", raw: raw, "expected a rating such as 8.3/10, 4.26 out of 5, ★★★½ or 61%")
        }
        guard scale > 0 else { throw NormalizeError(.outOfRange, "rating", raw: raw, "the scale is 0") }
        guard (0...scale).contains(value) else {
            throw NormalizeError(.outOfRange, "rating", raw: raw, "\(value) is outside 0…\(scale)")
        }
        return Rating(value: value, scale: scale)
    }

    private static func decimal(_ text: Substring) -> Double {
        Double(text.replacing(",", with: ".")) ?? .nan
    }

    nonisolated(unsafe) static let letterboxdRated = #/(?:^|\s)rated-(10|[0-9])(?:\s|$)/#.asciiOnlyDigits()
    nonisolated(unsafe) static let percentage = #/(\d{1,3}(?:[.,]\d+)?)\s*%/#.asciiOnlyDigits()
    nonisolated(unsafe) static let outOf =
        #/(\d+(?:[.,]\d+)?)\s*(?:/|out of|of|sur|von|de|su|em)\s*(\d+(?:[.,]\d+)?)/#.ignoresCase().asciiOnlyDigits()
    nonisolated(unsafe) static let bareNumber = #/(\d+(?:[.,]\d+)?)/#.asciiOnlyDigits()
}
