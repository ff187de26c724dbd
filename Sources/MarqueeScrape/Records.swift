import MarqueeCore
import MarqueeNormalize

/// A rating as a page shows it: the value on the site's scale and, for aggregates, how many
/// ratings it summarises.
public struct ShownRating: Sendable, Hashable, Codable {
    /// The value on the site's scale (`8.7` of 10, `3.5` of 5 stars, `91` of 100 %).
    public var value: Double
    /// The top of the scale.
    public var scale: Double
    /// How many ratings the value summarises, when the page says.
    public var count: Int?

    /// Creates a rating.
    public init(value: Double, scale: Double, count: Int? = nil) {
        self.value = value
        self.scale = scale
        self.count = count
    }
}

/// The kinds of record a scraper emits; a spec's `record = "…"` names one.
public enum RecordType: String, Sendable, Hashable, CaseIterable, Codable {
    case film
    case userRating = "user_rating"
    case listEntry = "list_entry"
    case review
    case person
    case boxOffice = "box_office"
    case searchResult = "search_result"
    case user
    case list
    case ratingSummary = "rating_summary"
    case release

    /// The record's JSON field names a spec may fill (the rest — `type`, `site`, `source_url`,
    /// `key` — Marquee fills itself).
    public var fieldNames: [String] {
        let all: [String] =
            switch self {
            case .film: Film.CodingKeys.allCases.map(\.rawValue)
            case .userRating: UserRating.CodingKeys.allCases.map(\.rawValue)
            case .listEntry: ListEntry.CodingKeys.allCases.map(\.rawValue)
            case .review: Review.CodingKeys.allCases.map(\.rawValue)
            case .person: Person.CodingKeys.allCases.map(\.rawValue)
            case .boxOffice: BoxOffice.CodingKeys.allCases.map(\.rawValue)
            case .searchResult: SearchResult.CodingKeys.allCases.map(\.rawValue)
            case .user: User.CodingKeys.allCases.map(\.rawValue)
            case .list: FilmList.CodingKeys.allCases.map(\.rawValue)
            case .ratingSummary: RatingSummary.CodingKeys.allCases.map(\.rawValue)
            case .release: Release.CodingKeys.allCases.map(\.rawValue)
            }
        return all.filter { !Self.automatic.contains($0) }
    }

    /// Fields every record gets from the page, not from the spec.
    static let automatic: Set<String> = ["type", "site", "source_url", "key"]

    var swiftType: any ScrapedRecord.Type {
        switch self {
        case .film: Film.self
        case .userRating: UserRating.self
        case .listEntry: ListEntry.self
        case .review: Review.self
        case .person: Person.self
        case .boxOffice: BoxOffice.self
        case .searchResult: SearchResult.self
        case .user: User.self
        case .list: FilmList.self
        case .ratingSummary: RatingSummary.self
        case .release: Release.self
        }
    }
}

/// What every record type has: its type tag, site and page, and range checks.
public protocol ScrapedRecord: Codable, Sendable {
    /// The site (`imdb`, `letterboxd`, …).
    var site: String { get }
    /// The URL of the page it came from.
    var sourceURL: String { get }
    /// Values that cannot be right (a year of 1066, a rating above its scale): `(field, reason, value)`.
    func violations(currentYear: Int) -> [(field: String, reason: String, value: String)]
    /// Fills what Marquee derives (canonical keys, match keys) from the extracted fields.
    mutating func resolve()
}

extension ScrapedRecord {
    /// Nothing to resolve: this record carries no references.
    public mutating func resolve() {}
}

/// Range checks shared by the record types.
enum Check {
    static func year(_ year: Int?, _ field: String, currentYear: Int) -> [(String, String, String)] {
        guard let year, !(1870...(currentYear + 5)).contains(year) else { return [] }
        return [(field, "out-of-range: a year must be within 1870…\(currentYear + 5)", "\(year)")]
    }

    static func rating(_ rating: ShownRating?, _ field: String) -> [(String, String, String)] {
        guard let rating else { return [] }
        var problems: [(String, String, String)] = []
        if !(rating.scale > 0) || !(0...rating.scale).contains(rating.value) {
            problems.append((field, "out-of-range: rating outside 0…\(rating.scale)", "\(rating.value)"))
        }
        if let count = rating.count, count < 0 {
            problems.append((field + ".count", "out-of-range: negative count", "\(count)"))
        }
        return problems
    }

    static func runtime(_ minutes: Int?) -> [(String, String, String)] {
        guard let minutes, !(1...1_000).contains(minutes) else { return [] }
        return [("runtime_minutes", "out-of-range: runtime must be 1…1000 minutes", "\(minutes)")]
    }

    static func position(_ position: Int?) -> [(String, String, String)] {
        guard let position, position < 1 else { return [] }
        return [("position", "out-of-range: positions start at 1", "\(position)")]
    }
}

/// A film (or series, episode, game — see `format`) as one site shows it.
public struct Film: ScrapedRecord, Hashable {
    /// The record type as written in JSON Lines and specs (`record = "…"`).
    public var type = "film"
    /// The site the page belongs to (`imdb`, `letterboxd`, …), as in `scrapers/SITE.toml`.
    public var site: String
    /// The URL of the page the record was extracted from.
    public var sourceURL: String
    /// The film's id on this site (`tt0133093`, `mulholland-drive`, `m/shawshank_redemption`).
    public var siteID: String?
    /// The best key to join on: `imdb:tt…` when known, else another site's id; see ``resolve()``.
    public var key: String?
    /// The title as shown.
    public var title: String
    /// The title in the original language, when the page shows one apart.
    public var originalTitle: String?
    /// `Title/matchKey` of the title, with `year` the fallback join key.
    public var matchKey: String?
    /// The release year.
    public var year: Int?
    /// The last year (series).
    public var endYear: Int?
    /// `feature`, `tv_series`, `tv_miniseries`, `tv_episode`, `tv_movie`, `short`, `video`, `video_game`, …
    public var format: String?
    /// Seasons (series) and episodes, for television.
    public var seasons: Int?
    /// Episode count (series).
    public var episodes: Int?
    /// Running time in minutes.
    public var runtimeMinutes: Int?
    /// Directors, in credit order.
    public var directors: [String]?
    /// Genres in Marquee's vocabulary.
    public var genres: [String]?
    /// The rating shown, on the site's scale.
    public var rating: ShownRating?
    /// The IMDb title id (`tt0116922`) the page links to.
    public var imdbID: String?
    /// The Letterboxd film slug.
    public var letterboxdSlug: String?
    /// The TMDB movie id.
    public var tmdbID: Int?
    /// The Rotten Tomatoes slug (`m/lost_highway`).
    public var rtSlug: String?
    /// The Wikipedia article title.
    public var wikipediaTitle: String?
    /// The release date as an ISO date (`1997-02-21`), or a partial date (`1997-02`, `1997`).
    public var releaseDate: String?
    /// Production countries.
    public var countries: [String]?
    /// Spoken languages.
    public var languages: [String]?
    /// Cast names, in billing order.
    public var cast: [String]?
    /// Rotten Tomatoes' critics score (0…100) and review count.
    public var tomatometer: ShownRating?
    /// Rotten Tomatoes' audience score (0…100) and rating count.
    public var audienceScore: ShownRating?
    /// The production budget.
    public var budget: Money?
    /// Box office gross as the page states it.
    public var boxOffice: Money?

    /// The JSON field names (snake_case), in output order; `CaseIterable` lets coverage monitors list every field.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case type, site
        case sourceURL = "source_url"
        case siteID = "site_id"
        case key, title
        case originalTitle = "original_title"
        case matchKey = "match_key"
        case year
        case endYear = "end_year"
        case format, seasons, episodes
        case runtimeMinutes = "runtime_minutes"
        case directors, genres, rating
        case imdbID = "imdb_id"
        case letterboxdSlug = "letterboxd_slug"
        case tmdbID = "tmdb_id"
        case rtSlug = "rt_slug"
        case wikipediaTitle = "wikipedia_title"
        case releaseDate = "release_date"
        case countries, languages, cast, tomatometer
        case audienceScore = "audience_score"
        case budget
        case boxOffice = "box_office"
    }

    /// The plausibility checks this record fails (field, reason, value); a record with none is accepted whole.
    public func violations(currentYear: Int) -> [(field: String, reason: String, value: String)] {
        var problems =
            Check.year(year, "year", currentYear: currentYear)
            + Check.year(endYear, "end_year", currentYear: currentYear) + Check.runtime(runtimeMinutes)
            + Check.rating(rating, "rating") + Check.rating(tomatometer, "tomatometer")
            + Check.rating(audienceScore, "audience_score")
        if title.isEmpty { problems.append(("title", "missing: empty title", "")) }
        return problems.map { (field: $0.0, reason: $0.1, value: $0.2) }
    }

    /// Sets ``key`` to the most joinable id the page gave — IMDb, then TMDB, then this site's
    /// own — and ``matchKey`` from the title.
    public mutating func resolve() {
        if matchKey == nil, let folded = try? Normalize.title(title).matchKey, !folded.isEmpty { matchKey = folded }
        if let imdbID {
            key = "imdb:\(imdbID)"
        } else if let tmdbID {
            key = "tmdb:\(tmdbID)"
        } else if let letterboxdSlug {
            key = "letterboxd:\(letterboxdSlug)"
        } else if let rtSlug {
            key = "rt:\(rtSlug)"
        } else if let wikipediaTitle {
            key = "wikipedia:\(wikipediaTitle)"
        } else if let siteID {
            key = "\(site):\(siteID)"
        } else if let matchKey {
            key = "title:\(matchKey)" + (year.map { ":\($0)" } ?? "")
        }
    }
}

/// A page (or one item of it) that was recognised but could not give a valid record: a required
/// field no rule filled, or a value out of range. Layout drift shows up as rejects, never as nulls.
public struct Reject: Sendable, Hashable, Codable {
    /// The record type as written in JSON Lines and specs (`record = "…"`).
    public var type = "reject"
    /// The site the page belongs to (`imdb`, `letterboxd`, …), as in `scrapers/SITE.toml`.
    public var site: String
    /// The URL of the page the record was extracted from.
    public var sourceURL: String
    /// The page kind of the spec that matched (`film`, `diary`, …).
    public var pageKind: String
    /// The record type it belongs to.
    public var record: String
    /// The item's 0-based index on a list page.
    public var item: Int?
    /// The field the problem is in.
    public var field: String
    /// `missing-required`, `out-of-range`, `malformed`.
    public var reason: String
    /// What was wrong, in words, with the offending text.
    public var detail: String
    /// The rules tried, in order, as the spec writes them.
    public var rulesTried: [String]
    /// The text as the page showed it, before normalising.
    public var rawValue: String?

    /// A reject with every field given.
    public init(
        site: String, sourceURL: String, pageKind: String, record: String, item: Int?, field: String,
        reason: String, detail: String, rulesTried: [String], rawValue: String?
    ) {
        self.site = site
        self.sourceURL = sourceURL
        self.pageKind = pageKind
        self.record = record
        self.item = item
        self.field = field
        self.reason = reason
        self.detail = detail
        self.rulesTried = rulesTried
        self.rawValue = rawValue
    }

    enum CodingKeys: String, CodingKey {
        case type, site
        case sourceURL = "source_url"
        case pageKind = "page_kind"
        case record, item, field, reason, detail
        case rulesTried = "rules_tried"
        case rawValue = "raw_value"
    }
}
