import MarqueeNormalize

/// What a film record or a stored film entity says about which film it is.
public struct FilmIdentity: Sendable, Hashable {
    /// The title as the record or the store has it (folded for matching by the matcher).
    public var title: String
    /// The release year.
    public var year: Int?
    /// Directors, in credit order.
    public var directors: [String]

    /// An identity from what a record or the store says.
    public init(title: String, year: Int?, directors: [String] = []) {
        self.title = title
        self.year = year
        self.directors = directors
    }

    /// `Normalize.matchKey` of the title.
    public var matchKey: String { Normalize.matchKey(title) }

    /// The keys the film is known by: its title's, and — for a title with a trailing
    /// parenthesis, as MovieLens writes alternative titles (`Godzilla (Gojira)`, `Breathless
    /// (À bout de souffle)`) — the keys of the title without it and of the parenthesis alone.
    public var matchKeys: Set<String> {
        var keys: Set<String> = [matchKey]
        if title.hasSuffix(")"), let open = title.lastIndex(of: "("), open > title.startIndex {
            keys.insert(Normalize.matchKey(String(title[..<open])))
            keys.insert(
                Normalize.matchKey(String(title[title.index(after: open)..<title.index(before: title.endIndex)])))
        }
        keys.remove("")
        return keys
    }
}

/// How a film record without a shared id (IMDb, TMDB) was resolved.
public enum MatchDecision: Sendable, Hashable {
    /// The candidate at this index, with a score in 0…1 and the reason in words.
    case matched(index: Int, score: Double, reason: String)
    /// Several candidates fit equally: nothing is merged; their indices are listed.
    case ambiguous([Int], reason: String)
    /// No candidate fits.
    case none
}

/// Matches a film record without an IMDb or TMDB id (Rotten Tomatoes, a Wikipedia article
/// without an IMDb link, a Box Office Mojo release) to known films: the normalised title must be
/// equal, the year within one (release years differ by country), and directors, when both sides
/// name them, must share one. A director in common breaks a tie; anything still tied is
/// ambiguous and left unmerged. Pure: the store supplies the candidates.
public enum EntityMatcher {
    /// Scores `film` against `candidates` (already narrowed to its match key, or not).
    public static func match(_ film: FilmIdentity, among candidates: [FilmIdentity]) -> MatchDecision {
        let keys = film.matchKeys
        guard !keys.isEmpty, let year = film.year else { return .none }
        let wanted = Set(film.directors.map(Normalize.matchKey))
        var scored: [(index: Int, score: Double, reason: String)] = []
        for (index, candidate) in candidates.enumerated() where !candidate.matchKeys.isDisjoint(with: keys) {
            guard let other = candidate.year, abs(other - year) <= 1 else { continue }
            var score = other == year ? 0.8 : 0.6
            var reason = other == year ? "title and year" : "title and year ±1"
            let theirs = Set(candidate.directors.map(Normalize.matchKey))
            if !wanted.isEmpty, !theirs.isEmpty {
                guard !wanted.isDisjoint(with: theirs) else { continue }
                score += 0.2
                reason += " and director"
            }
            scored.append((index, score, reason))
        }
        guard let best = scored.map(\.score).max() else { return .none }
        let top = scored.filter { $0.score == best }
        if top.count == 1 { return .matched(index: top[0].index, score: top[0].score, reason: top[0].reason) }
        return .ambiguous(top.map(\.index), reason: "\(top.count) films share the \(top[0].reason)")
    }
}
