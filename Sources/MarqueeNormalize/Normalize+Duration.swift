extension Normalize {
    /// A running time in whole minutes.
    ///
    /// Accepts ISO 8601 durations (`PT2H22M`, `PT142M`, `PT8520S`, `P0DT2H`), hours and minutes
    /// in words or letters (`2h 22m`, `2h22min`, `2 hr 22 min`, `1 hour 30 minutes`, `2 hrs`),
    /// minutes (`142 min`, `142 mins`, `134 mins`, `142 minutes[1]` — footnotes stripped), and
    /// clock forms `2:22` / `2:22:00` (hours first). When a string lists several (theatrical and
    /// director's cut), the first is taken. Seconds round to the nearest minute.
    /// - Throws: `missing`, `malformed` (no unit: `142` alone), `outOfRange` (0 or over 60,000 minutes).
    public static func duration(_ raw: String) throws(NormalizeError) -> Int {
        let text = try raw.cleaned(for: "duration").lowercased()
        let seconds: Double
        if let iso = text.wholeMatch(of: isoDuration) {
            let parts = [iso.output.1, iso.output.2, iso.output.3, iso.output.4]
            guard parts.contains(where: { $0 != nil }) else {
                throw NormalizeError(.malformed, "duration", raw: raw, "ISO 8601 duration without a component")
            }
            seconds =
                number(iso.output.1 ?? "0") * 86_400 + number(iso.output.2 ?? "0") * 3_600
                + number(iso.output.3 ?? "0") * 60 + number(iso.output.4 ?? "0")
        } else if let clock = text.wholeMatch(of: clockDuration) {
            seconds = number(clock.output.1) * 3_600 + number(clock.output.2) * 60 + number(clock.output.3 ?? "0")
        } else if let (hours, minutes) = firstHoursOrMinutes(in: text) {
            seconds = hours * 3_600 + minutes * 60
        } else {
            throw NormalizeError(
                .malformed, "duration", raw: raw, "expected a duration such as 2h 22m, 142 min or PT2H22M")
        }
        let minutes = (seconds / 60).rounded()
        guard minutes.isFinite, (1...60_000).contains(minutes) else {
            throw NormalizeError(
                .outOfRange, "duration", raw: raw, "\(text) is not a running time (1 to 60,000 minutes)")
        }
        return Int(minutes)
    }

    /// Digits (with `.` or `,` as the decimal mark) as a number; NaN for anything else.
    private static func number(_ digits: Substring) -> Double {
        Double(digits.replacing(",", with: ".")) ?? .nan
    }

    /// The earlier of the first "hours [minutes]" and the first "minutes" expression in `text`.
    private static func firstHoursOrMinutes(in text: String) -> (Double, Double)? {
        let hours = text.firstMatch(of: hoursAndMinutes)
        let minutes = text.firstMatch(of: minutesOnly)
        if let hours, minutes == nil || hours.range.lowerBound <= minutes!.range.lowerBound {
            return (number(hours.output.1), number(hours.output.2 ?? "0"))
        }
        return minutes.map { (0, number($0.output.1)) }
    }

    /// Formats minutes the way ``duration(_:)`` reads them back: `2h 22m`, `45m`.
    public static func formatDuration(minutes: Int) -> String {
        minutes >= 60 ? "\(minutes / 60)h \(minutes % 60)m" : "\(minutes)m"
    }

    nonisolated(unsafe) private static let isoDuration =
        #/p(?:(\d+)d)?(?:t(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s)?)?/#.asciiOnlyDigits()
    nonisolated(unsafe) private static let clockDuration = #/(\d{1,2}):([0-5]\d)(?::([0-5]\d))?/#.asciiOnlyDigits()
    nonisolated(unsafe) private static let hoursAndMinutes =
        #/(?:^|[^\d.,])(\d+(?:[.,]\d+)?)\s*(?:h|hr|hrs|hour|hours|std|stunden?|heures?|horas?)(?![a-z])\.?\s*(?:(\d+)\s*(?:m|min|mins|minute|minutes|minuten?|minutos?)(?![a-z]))?/#
        .asciiOnlyDigits()
    nonisolated(unsafe) private static let minutesOnly =
        #/(?:^|[^\d.,])(\d+)\s*(?:m|min|mins|minute|minutes|minuten?|minutos?)(?![a-z])/#.asciiOnlyDigits()
}
