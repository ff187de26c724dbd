// Record types added for rating fragments and release lists (see ``RecordType``); kept beside
// `Records.swift` so each file stays one concept.

/// What a site's audience gives a film, from a page that shows only that (Letterboxd's
/// `/csi/film/SLUG/rating-histogram/` fragment, which film pages load for their ratings): the
/// average with its count, the histogram of ratings by step, the fans.
public struct RatingSummary: ScrapedRecord, Hashable {
    /// The record type as written in JSON Lines and specs (`record = "…"`).
    public var type = "rating_summary"
    /// The site the page belongs to (`imdb`, `letterboxd`, …), as in `scrapers/SITE.toml`.
    public var site: String
    /// The URL of the page the record was extracted from.
    public var sourceURL: String
    /// The film's slug on the site (Letterboxd `lost-highway`), when the page links one.
    public var filmSlug: String?
    /// The film's id on the site (IMDb `tt0116922`), when the page shows one.
    public var filmSiteID: String?
    /// The weighted average on the site's scale, with the number of ratings.
    public var rating: ShownRating?
    /// Ratings per step of the scale, lowest first (Letterboxd: ½★ … ★★★★★, ten bars).
    public var histogram: [Int]?
    /// Members who have the film among their favourites.
    public var fans: Int?

    /// The JSON field names (snake_case), in output order; `CaseIterable` lets coverage monitors list every field.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case type, site
        case sourceURL = "source_url"
        case filmSlug = "film_slug"
        case filmSiteID = "film_site_id"
        case rating, histogram, fans
    }

    /// The plausibility checks this record fails (field, reason, value); a record with none is accepted whole.
    public func violations(currentYear: Int) -> [(field: String, reason: String, value: String)] {
        var problems = Check.rating(rating, "rating")
        if filmSlug == nil, filmSiteID == nil {
            problems.append(("film_slug", "missing: neither film_slug nor film_site_id", ""))
        }
        if let histogram, histogram.contains(where: { $0 < 0 }) {
            problems.append(("histogram", "out-of-range: negative count", "\(histogram)"))
        }
        return problems.map { (field: $0.0, reason: $0.1, value: $0.2) }
    }
}

/// One release of a film as a release-dates page lists it: where, when, and how (festival,
/// premiere, limited, DVD…). The earliest is the film's original release.
public struct Release: ScrapedRecord, Hashable {
    /// The record type as written in JSON Lines and specs (`record = "…"`).
    public var type = "release"
    /// The site the page belongs to (`imdb`, `letterboxd`, …), as in `scrapers/SITE.toml`.
    public var site: String
    /// The URL of the page the record was extracted from.
    public var sourceURL: String
    /// The film's id on the site (IMDb `tt0116922`), when the page shows one.
    public var filmSiteID: String?
    /// The film's title as shown.
    public var filmTitle: String?
    /// The film's release year as shown.
    public var filmYear: Int?
    /// The country or region, as the page names it.
    public var country: String?
    /// ISO 8601, as precise as the page (`2009-10-05`, `2009-10`, `2009`).
    public var releaseDate: String?
    /// What the page says about this release, one entry per parenthesis (`Tokyo`, `premiere`).
    public var attributes: [String]?
    /// 1-based row on the page (the page lists releases by date).
    public var position: Int?

    /// The JSON field names (snake_case), in output order; `CaseIterable` lets coverage monitors list every field.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case type, site
        case sourceURL = "source_url"
        case filmSiteID = "film_site_id"
        case filmTitle = "film_title"
        case filmYear = "film_year"
        case country
        case releaseDate = "release_date"
        case attributes, position
    }

    /// The plausibility checks this record fails (field, reason, value); a record with none is accepted whole.
    public func violations(currentYear: Int) -> [(field: String, reason: String, value: String)] {
        (Check.year(filmYear, "film_year", currentYear: currentYear) + Check.position(position)).map {
            (field: $0.0, reason: $0.1, value: $0.2)
        }
    }
}
