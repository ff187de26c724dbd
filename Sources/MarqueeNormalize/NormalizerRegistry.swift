/// What a normaliser returns: any value that can be written as JSON.
public typealias NormalizedValue = Encodable & Sendable

/// Settings some normalisers take, as a scraper spec or `marquee normalise` gives them.
public struct NormalizeOptions: Sendable, Hashable {
    /// Locale of the page (`en-US`, `de`, `fr-FR`): decides decimal marks and numeric date order.
    public var locale: String?
    /// The scale of bare rating numbers (`10` for IMDb's `ratingValue`, `5` for Letterboxd).
    public var scale: Double?
    /// The page's URL, against which relative URLs resolve.
    public var baseURL: String?

    /// Creates options; every setting defaults to "not given".
    public init(locale: String? = nil, scale: Double? = nil, baseURL: String? = nil) {
        self.locale = locale
        self.scale = scale
        self.baseURL = baseURL
    }
}

/// One named normaliser: what scraper specs refer to with `normalise = "duration"`.
public struct Normalizer: Sendable {
    /// The name specs use.
    public let name: String
    /// One line on what it reads and returns.
    public let summary: String
    /// Inputs it accepts, for `marquee normalise --list` and documentation.
    public let examples: [String]
    private let body: @Sendable (String, NormalizeOptions) throws(NormalizeError) -> any NormalizedValue

    /// Creates a normaliser.
    public init(
        name: String, summary: String, examples: [String],
        body: @escaping @Sendable (String, NormalizeOptions) throws(NormalizeError) -> any NormalizedValue
    ) {
        self.name = name
        self.summary = summary
        self.examples = examples
        self.body = body
    }

    /// Runs the normaliser on one raw value.
    public func callAsFunction(_ raw: String, options: NormalizeOptions = NormalizeOptions()) throws(NormalizeError)
        -> any NormalizedValue
    {
        try body(raw, options)
    }
}

/// The normalisers by name.
public struct NormalizerRegistry: Sendable {
    /// Every normaliser Marquee ships.
    public static let standard = NormalizerRegistry([
        Normalizer(
            name: "duration", summary: "running time in minutes",
            examples: ["2h 22m", "PT142M", "142 min", "2:22:00", "142 minutes[1]"]
        ) { raw, _ throws(NormalizeError) in
            try Normalize.duration(raw)
        },
        Normalizer(
            name: "date", summary: "calendar date, possibly partial (ISO text)",
            examples: ["1994-09-23", "23 September 1994", "September 23, 1994", "1994-09"]
        ) { raw, options throws(NormalizeError) in
            try Normalize.date(raw, locale: options.locale)
        },
        Normalizer(
            name: "release", summary: "release date and country",
            examples: ["14 October 1994 (USA)", "Sep 10, 1994 wide"]
        ) { raw, options throws(NormalizeError) in
            try Normalize.release(raw, locale: options.locale)
        },
        Normalizer(
            name: "year", summary: "release year", examples: ["Mulholland Drive (2001)", "2005–2017", "1999-03-31"]
        ) { raw, _ throws(NormalizeError) in
            try Normalize.year(raw)
        },
        Normalizer(
            name: "year_range", summary: "first and last year ({start, end}; end null while running)",
            examples: ["2005–2017", "(TV Series 2013– )"]
        ) { raw, _ throws(NormalizeError) in
            try Normalize.yearRange(raw)
        },
        Normalizer(
            name: "count", summary: "whole count (votes, ratings)",
            examples: ["89,249", "1.2M", "1,2 Mio.", "12 ratings"]
        ) { raw, options throws(NormalizeError) in
            try Normalize.count(raw, locale: options.locale)
        },
        Normalizer(
            name: "rating", summary: "rating with its scale ({value, scale, normalised})",
            examples: ["8.3/10", "4.26 out of 5", "★★★½", "rated-7", "61%"]
        ) { raw, options throws(NormalizeError) in
            try Normalize.rating(raw, scale: options.scale)
        },
        Normalizer(
            name: "money", summary: "amount with ISO currency ({amount, currency, estimated})",
            examples: ["$1,234,567", "US$ 12.5 million", "€5M", "£ 1.2 billion"]
        ) { raw, options throws(NormalizeError) in
            try Normalize.money(raw, locale: options.locale)
        },
        Normalizer(
            name: "title", summary: "title without site decorations, with sort and match keys",
            examples: [
                "The Matrix (1999) - IMDb",
                "Mulholland Drive (2001) directed by David Lynch • Reviews, film + cast • Letterboxd",
            ]
        ) { raw, _ throws(NormalizeError) in
            try Normalize.title(raw)
        },
        Normalizer(
            name: "genres", summary: "genres on Marquee's vocabulary, unknown names kept",
            examples: ["Action, Sci-Fi", "Crime | Drama", "Mystery & thriller"]
        ) { raw, _ throws(NormalizeError) in
            try Normalize.genres(raw)
        },
        Normalizer(
            name: "person", summary: "person's name with credit note",
            examples: ["John Candy (uncredited)", "Lynch, David"]
        ) { raw, _ throws(NormalizeError) in
            try Normalize.person(raw)
        },
        Normalizer(
            name: "imdb_id", summary: "IMDb title id (tt + 7–8 digits)",
            examples: ["https://www.imdb.com/title/tt0111161/?ref_=fn", "tt0111161"]
        ) { raw, _ throws(NormalizeError) in
            try Normalize.imdbID(raw)
        },
        Normalizer(name: "imdb_person_id", summary: "IMDb person id (nm + 7–8 digits)", examples: ["/name/nm0000186/"])
        { raw, _ throws(NormalizeError) in
            try Normalize.imdbPersonID(raw)
        },
        Normalizer(
            name: "letterboxd_slug", summary: "Letterboxd film slug",
            examples: ["https://letterboxd.com/film/mulholland-drive/"]
        ) { raw, _ throws(NormalizeError) in
            try Normalize.letterboxdSlug(raw)
        },
        Normalizer(
            name: "letterboxd_user", summary: "Letterboxd user handle",
            examples: ["https://letterboxd.com/hyumiguel/films/diary/"]
        ) { raw, _ throws(NormalizeError) in
            try Normalize.letterboxdUser(raw)
        },
        Normalizer(
            name: "rt_slug", summary: "Rotten Tomatoes slug with kind (m/… or tv/…)",
            examples: ["https://www.rottentomatoes.com/m/shawshank_redemption"]
        ) { raw, _ throws(NormalizeError) in
            try Normalize.rottenTomatoesSlug(raw)
        },
        Normalizer(
            name: "wikipedia_title", summary: "Wikipedia article title",
            examples: ["https://en.wikipedia.org/wiki/Uncle_Buck"]
        ) { raw, _ throws(NormalizeError) in
            try Normalize.wikipediaTitle(raw)
        },
        Normalizer(name: "tmdb_id", summary: "TMDB id", examples: ["https://www.themoviedb.org/movie/638/"]) {
            raw, _ throws(NormalizeError) in
            try Normalize.tmdbID(raw)
        },
        Normalizer(
            name: "url", summary: "canonical URL for de-duplication (base resolves relative ones)",
            examples: ["HTTPS://WWW.IMDb.com/title/tt0111161/?ref_=x&b=2&a=1#top"]
        ) { raw, options throws(NormalizeError) in
            try Normalize.canonicalURL(raw, base: options.baseURL)
        },
        Normalizer(
            name: "text", summary: "text with entities, invisible marks and whitespace cleaned",
            examples: ["  Sam &amp; Cat\u{200E} "]
        ) { raw, _ throws(NormalizeError) in
            try raw.cleaned(for: "text", footnotes: false)
        },
    ])

    private let byName: [String: Normalizer]

    /// A registry of the given normalisers (later ones replace earlier ones of the same name).
    public init(_ normalizers: [Normalizer]) {
        byName = Dictionary(normalizers.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// The normaliser called `name`, or `nil`.
    public subscript(name: String) -> Normalizer? { byName[name] }

    /// Every name, sorted.
    public var names: [String] { byName.keys.sorted() }

    /// The closest known name to a misspelt one (`yaer` → `year`), when one is close enough.
    public func suggestion(for name: String) -> String? {
        let scored = names.map { ($0, TextCleanup.editDistance(name.lowercased(), $0)) }
        guard let best = scored.min(by: { ($0.1, $0.0) < ($1.1, $1.0) }), best.1 <= max(2, name.count / 3) else {
            return nil
        }
        return best.0
    }
}
