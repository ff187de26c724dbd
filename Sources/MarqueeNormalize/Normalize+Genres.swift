extension Normalize {
    /// Genres on Marquee's vocabulary (``Genre``).
    ///
    /// Takes one genre or a list separated by `,` `|` `/` `;` or spaces between known names
    /// (`Action, Sci-Fi`, `Crime | Drama`, MovieLens's `Adventure|Children|Fantasy`, Box Office Mojo's
    /// `Action Adventure Animation`), and maps each site's names: IMDb (`Sci-Fi`, `Film-Noir`,
    /// `Reality-TV`), Letterboxd (`Science Fiction`, `TV Movie`), Rotten Tomatoes (`Mystery &
    /// thriller`, `Kids & family`, `Action & Adventure`), Wikipedia (`science fiction film`), MovieLens
    /// (`Children`, `IMAX` dropped as a format, `(no genres listed)` → none). Names it does not know are
    /// returned in ``Genres/unknown``, never dropped.
    /// - Throws: `missing` only.
    public static func genres(_ raw: String) throws(NormalizeError) -> Genres {
        let text = try raw.cleaned(for: "genres")
        var result = Genres(genres: [], unknown: [])
        func add(_ genres: [Genre]) {
            for genre in genres where !result.genres.contains(genre) { result.genres.append(genre) }
        }
        for item in text.split(whereSeparator: { ",|/;".contains($0) }) {
            let name = TextCleanup.clean(String(item))
            guard !name.isEmpty else { continue }
            if let mapped = mapGenre(name) {
                add(mapped)
                continue
            }
            // `Action Adventure Animation` (Box Office Mojo): every word a known genre.
            let words = name.split(separator: " ").map(String.init)
            let mappedWords = joinKnownWords(words)
            if let mappedWords {
                add(mappedWords)
            } else if name.contains("&") || name.lowercased().contains(" and ") {
                for part in name.lowercased().replacing(" and ", with: "&").split(separator: "&") {
                    let partName = TextCleanup.clean(String(part))
                    if let mapped = mapGenre(partName) {
                        add(mapped)
                    } else if !partName.isEmpty {
                        result.unknown.append(partName)
                    }
                }
            } else {
                result.unknown.append(name)
            }
        }
        return result
    }

    /// Maps a run of words where each word, or a known two-word name, is a genre.
    private static func joinKnownWords(_ words: [String]) -> [Genre]? {
        guard words.count > 1 else { return nil }
        var genres: [Genre] = []
        var index = 0
        while index < words.count {
            if index + 1 < words.count, let pair = mapGenre(words[index] + " " + words[index + 1]) {
                genres += pair
                index += 2
            } else if let single = mapGenre(words[index]) {
                genres += single
                index += 1
            } else {
                return nil
            }
        }
        return genres
    }

    /// The vocabulary genres for one site name (`[]` for names that are formats, not genres).
    static func mapGenre(_ name: String) -> [Genre]? {
        var key = name.lowercased().replacing("_", with: " ").replacing("-", with: " ")
        key = TextCleanup.clean(key)
        if key.hasSuffix(" film") || key.hasSuffix(" films") { key = String(key[..<key.lastIndex(of: " ")!]) }
        if let genre = Genre(rawValue: key.replacing(" ", with: "-")) { return [genre] }
        return genreAliases[key]
    }

    static let genreAliases: [String: [Genre]] = [
        "sci fi": [.scienceFiction], "scifi": [.scienceFiction], "science fiction": [.scienceFiction],
        "sf": [.scienceFiction],
        "film noir": [.filmNoir], "noir": [.filmNoir], "tv movie": [.tvMovie], "television film": [.tvMovie],
        "made for tv": [.tvMovie], "children": [.family], "kids & family": [.family], "kids and family": [.family],
        "kids": [.family], "mystery & thriller": [.mystery, .thriller], "mystery and thriller": [.mystery, .thriller],
        "action & adventure": [.action, .adventure], "action and adventure": [.action, .adventure],
        "sci fi & fantasy": [.scienceFiction, .fantasy], "science fiction & fantasy": [.scienceFiction, .fantasy],
        "biographical": [.biography], "biopic": [.biography], "historical": [.history], "sports": [.sport],
        "romantic": [.romance], "romantic comedy": [.romance, .comedy], "musical film": [.musical],
        "anime": [.animation],
        "animated": [.animation], "docudrama": [.documentary, .drama], "war film": [.war], "reality": [.realityTV],
        "reality tv": [.realityTV], "talk show": [.talkShow], "game show": [.gameShow], "stand up": [.comedy],
        "comedy drama": [.comedy, .drama], "crime drama": [.crime, .drama], "imax": [], "(no genres listed)": [],
        "no genres listed": [], "other": [],
    ]
}
