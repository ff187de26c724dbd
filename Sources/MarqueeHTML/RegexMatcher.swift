/// Parsel-style regex extraction: `extract` group, else all groups, else the whole match.
public struct RegexMatcher {
    let regex: Regex<AnyRegexOutput>

    init(_ pattern: String) throws(QueryError) {
        do {
            regex = try Regex(pattern)
        } catch {
            throw QueryError(kind: .regex, query: pattern, message: "does not compile: \(error)")
        }
    }

    func matches(in text: String) -> [String] { Self.extract(regex, from: text) }

    /// What Parsel's `re()` returns for `text`: per match the group named `extract`, else every
    /// capture group, else the whole match; HTML character references decoded.
    public static func extract(_ regex: Regex<AnyRegexOutput>, from text: String) -> [String] {
        var results: [String] = []
        for match in text.matches(of: regex) {
            let output = match.output
            if let extract = output["extract"] {
                results.append(extract.substring.map(String.init) ?? "")
            } else if output.count > 1 {
                for index in 1..<output.count { results.append(output[index].substring.map(String.init) ?? "") }
            } else {
                results.append(String(text[match.range]))
            }
        }
        return results.map(HTMLEntities.decode)
    }
}
