import Foundation

extension Normalize {
    /// An IMDb title id, `tt` and 7–8 digits: from `tt0111161`, `https://www.imdb.com/title/tt0111161/?ref_=fn_al_tt_1`
    /// or `/title/tt0116922/maindetails`.
    /// - Throws: `missing`, `malformed` (no title id, or a person id given instead).
    public static func imdbID(_ raw: String) throws(NormalizeError) -> String {
        try imdbIdentifier(raw, prefix: "tt", normalizer: "imdb_id")
    }

    /// An IMDb person id, `nm` and 7–8 digits: from `nm0000001` or `https://www.imdb.com/name/nm0000001/`.
    public static func imdbPersonID(_ raw: String) throws(NormalizeError) -> String {
        try imdbIdentifier(raw, prefix: "nm", normalizer: "imdb_person_id")
    }

    private static func imdbIdentifier(_ raw: String, prefix: String, normalizer: String) throws(NormalizeError)
        -> String
    {
        let text = try raw.cleaned(for: normalizer)
        let ids = Set(
            text.matches(of: imdbPattern).filter { $0.output.1 == prefix }.map { "\($0.output.1)\($0.output.2)" })
        guard let id = ids.first else {
            throw NormalizeError(.malformed, normalizer, raw: raw, "expected \(prefix) followed by 7 or 8 digits")
        }
        guard ids.count == 1 else {
            throw NormalizeError(.ambiguous, normalizer, raw: raw, "several ids: \(ids.sorted())")
        }
        return id
    }

    /// A Letterboxd film slug: `mulholland-drive` from `https://letterboxd.com/film/mulholland-drive/`,
    /// `/film/mulholland-drive/`, a user's `/hyumiguel/film/mulholland-drive/1/`, or the bare slug.
    public static func letterboxdSlug(_ raw: String) throws(NormalizeError) -> String {
        let text = try raw.cleaned(for: "letterboxd_slug")
        if text.contains("/"), let match = text.firstMatch(of: letterboxdFilm) {
            return String(match.output.1).lowercased()
        }
        if text.wholeMatch(of: slugPattern) != nil { return text.lowercased() }
        throw NormalizeError(.malformed, "letterboxd_slug", raw: raw, "expected a /film/<slug>/ URL or a slug")
    }

    /// A Letterboxd user handle: `hyumiguel` from `https://letterboxd.com/hyumiguel/films/diary/`,
    /// `/hyumiguel/`, `@hyumiguel` or the bare handle. Site sections (`film`, `films`, `director`,
    /// `lists`, …) are not handles.
    public static func letterboxdUser(_ raw: String) throws(NormalizeError) -> String {
        let text = try raw.cleaned(for: "letterboxd_user")
        var candidate = text.hasPrefix("@") ? String(text.dropFirst()) : text
        if let url = URL(string: text), url.host != nil || text.hasPrefix("/") {
            candidate = url.pathComponents.dropFirst().first ?? ""
        }
        guard candidate.wholeMatch(of: handlePattern) != nil else {
            throw NormalizeError(.malformed, "letterboxd_user", raw: raw, "expected a profile URL or a handle")
        }
        guard !letterboxdSections.contains(candidate.lowercased()) else {
            throw NormalizeError(
                .malformed, "letterboxd_user", raw: raw, "'\(candidate)' is a Letterboxd section, not a user")
        }
        return candidate.lowercased()
    }

    /// A Rotten Tomatoes slug with its kind: `m/shawshank_redemption` from
    /// `https://www.rottentomatoes.com/m/shawshank_redemption/reviews`, or `tv/…`.
    public static func rottenTomatoesSlug(_ raw: String) throws(NormalizeError) -> String {
        let text = try raw.cleaned(for: "rt_slug")
        guard let match = text.firstMatch(of: rottenTomatoesPattern) else {
            throw NormalizeError(.malformed, "rt_slug", raw: raw, "expected a /m/<slug> or /tv/<slug> path")
        }
        return "\(match.output.1)/\(match.output.2)".lowercased()
    }

    /// A Wikipedia article title: `How to Train Your Dragon: The Hidden World` from
    /// `https://en.wikipedia.org/wiki/How_to_Train_Your_Dragon:_The_Hidden_World` (percent-decoded,
    /// underscores to spaces, fragment dropped) or from the title itself.
    public static func wikipediaTitle(_ raw: String) throws(NormalizeError) -> String {
        let text = try raw.cleaned(for: "wikipedia_title")
        var title = text
        if let range = text.range(of: "/wiki/") {
            title = String(text[range.upperBound...])
        } else if text.contains("://") {
            if let url = URLComponents(string: text),
                let page = url.queryItems?.first(where: { $0.name == "title" })?.value
            {
                title = page
            } else {
                throw NormalizeError(.malformed, "wikipedia_title", raw: raw, "expected a /wiki/<Title> URL")
            }
        }
        title = String(title.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0])
        title = String(title.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0])
        title = (title.removingPercentEncoding ?? title).replacing("_", with: " ")
        title = TextCleanup.clean(title)
        guard !title.isEmpty else { throw NormalizeError(.malformed, "wikipedia_title", raw: raw, "no article title") }
        return title.prefix(1).uppercased() + title.dropFirst()
    }

    /// A TMDB movie or TV id: `638` from `https://www.themoviedb.org/movie/638/`,
    /// `/movie/638-lost-highway`, `/tv/1399`, or bare digits.
    public static func tmdbID(_ raw: String) throws(NormalizeError) -> Int {
        let text = try raw.cleaned(for: "tmdb_id")
        if let match = text.firstMatch(of: tmdbPattern), let id = Int(match.output.1) { return id }
        if let id = Int(text), id > 0 { return id }
        throw NormalizeError(.malformed, "tmdb_id", raw: raw, "expected a /movie/<id> URL or a number")
    }

    static let letterboxdSections: Set<String> = [
        "film", "films", "director", "directors", "actor", "actors", "studio", "lists", "list", "tag", "search",
        "about", "pro", "members", "people", "journal", "crew", "writer", "producer", "cinematography", "genre",
        "country", "language", "year", "decade", "settings", "sign-in", "create-account", "activity", "hq", "apps",
        "welcome", "legal", "contact", "showdown", "year-in-review", "csi", "ajax", "s", "api", "upgrade", "gift-guide",
    ]
    nonisolated(unsafe) static let imdbPattern = #/(?:^|[^a-z0-9])(tt|nm)(\d{7,8})(?!\d)/#.asciiOnlyDigits()
    nonisolated(unsafe) static let letterboxdFilm = #/(?:^|/)film/([a-z0-9][a-z0-9-]*)(?:/|$)/#.ignoresCase()
        .asciiOnlyDigits()
    nonisolated(unsafe) static let slugPattern = #/[a-z0-9][a-z0-9-]*/#.ignoresCase().asciiOnlyDigits()
    nonisolated(unsafe) static let handlePattern = #/[A-Za-z0-9_]{2,40}/#.asciiOnlyDigits()
    nonisolated(unsafe) static let rottenTomatoesPattern = #/(?:^|/)(m|tv)/([a-z0-9_-]+)/#.ignoresCase()
        .asciiOnlyDigits()
    nonisolated(unsafe) static let tmdbPattern = #/(?:^|/)(?:movie|tv)/(\d+)(?:[-/?#]|$)/#.asciiOnlyDigits()
}
