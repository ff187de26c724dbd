import MarqueeCore
import MarqueeNormalize

/// One user's rating (or log) of one film.
public struct UserRating: ScrapedRecord, Hashable {
    /// The record type as written in JSON Lines and specs (`record = "…"`).
    public var type = "user_rating"
    /// The site the page belongs to (`imdb`, `letterboxd`, …), as in `scrapers/SITE.toml`.
    public var site: String
    /// The URL of the page the record was extracted from.
    public var sourceURL: String
    /// The user's handle as on the page.
    public var user: String
    /// The film's slug on the site (Letterboxd `lost-highway`), when the page links one.
    public var filmSlug: String?
    /// The film's id on the site (IMDb `tt0116922`), when the page shows one.
    public var filmSiteID: String?
    /// The film's title as shown.
    public var filmTitle: String?
    /// The film's release year as shown.
    public var filmYear: Int?
    /// The rating on the site's scale; absent when the user logged the film without rating it.
    public var rating: ShownRating?
    /// When it was rated or watched (ISO date), when the page shows it.
    public var ratedOn: String?
    /// Whether the user liked it.
    public var liked: Bool?
    /// Whether the user marked it a rewatch.
    public var rewatch: Bool?
    /// Whether the entry links to a written review.
    public var review: Bool?

    /// The JSON field names (snake_case), in output order; `CaseIterable` lets coverage monitors list every field.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case type, site
        case sourceURL = "source_url"
        case user
        case filmSlug = "film_slug"
        case filmSiteID = "film_site_id"
        case filmTitle = "film_title"
        case filmYear = "film_year"
        case rating
        case ratedOn = "rated_on"
        case liked, rewatch, review
    }

    /// The plausibility checks this record fails (field, reason, value); a record with none is accepted whole.
    public func violations(currentYear: Int) -> [(field: String, reason: String, value: String)] {
        var problems = Check.rating(rating, "rating") + Check.year(filmYear, "film_year", currentYear: currentYear)
        if filmSlug == nil, filmSiteID == nil {
            problems.append(("film_slug", "missing: neither film_slug nor film_site_id", ""))
        }
        return problems.map { (field: $0.0, reason: $0.1, value: $0.2) }
    }
}

/// One film at one position of a list, watchlist, chart, filmography or browse page.
public struct ListEntry: ScrapedRecord, Hashable {
    /// The record type as written in JSON Lines and specs (`record = "…"`).
    public var type = "list_entry"
    /// The site the page belongs to (`imdb`, `letterboxd`, …), as in `scrapers/SITE.toml`.
    public var site: String
    /// The URL of the page the record was extracted from.
    public var sourceURL: String
    /// The list (`dave/official-top-250-narrative-feature-films`, `hyumiguel/watchlist`, `chart/top`).
    public var listID: String
    /// 1-based position on this page (ranked lists: the rank shown).
    public var position: Int?
    /// The page of a paginated list.
    public var page: Int?
    /// The film's slug on the site (Letterboxd `lost-highway`), when the page links one.
    public var filmSlug: String?
    /// The film's id on the site (IMDb `tt0116922`), when the page shows one.
    public var filmSiteID: String?
    /// The title as shown.
    public var title: String?
    /// The release year.
    public var year: Int?
    /// The rating shown, on the site's scale.
    public var rating: ShownRating?

    /// The JSON field names (snake_case), in output order; `CaseIterable` lets coverage monitors list every field.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case type, site
        case sourceURL = "source_url"
        case listID = "list_id"
        case position, page
        case filmSlug = "film_slug"
        case filmSiteID = "film_site_id"
        case title, year, rating
    }

    /// The plausibility checks this record fails (field, reason, value); a record with none is accepted whole.
    public func violations(currentYear: Int) -> [(field: String, reason: String, value: String)] {
        var problems =
            Check.position(position) + Check.year(year, "year", currentYear: currentYear)
            + Check.rating(rating, "rating")
        if filmSlug == nil, filmSiteID == nil {
            problems.append(("film_slug", "missing: neither film_slug nor film_site_id", ""))
        }
        return problems.map { (field: $0.0, reason: $0.1, value: $0.2) }
    }
}

/// A user's or critic's review of a film.
public struct Review: ScrapedRecord, Hashable {
    /// The record type as written in JSON Lines and specs (`record = "…"`).
    public var type = "review"
    /// The site the page belongs to (`imdb`, `letterboxd`, …), as in `scrapers/SITE.toml`.
    public var site: String
    /// The URL of the page the record was extracted from.
    public var sourceURL: String
    /// The film's slug on the site (Letterboxd `lost-highway`), when the page links one.
    public var filmSlug: String?
    /// The film's id on the site (IMDb `tt0116922`), when the page shows one.
    public var filmSiteID: String?
    /// The film's title as shown.
    public var filmTitle: String?
    /// The film's release year as shown.
    public var filmYear: Int?
    /// The reviewer's handle or name.
    public var author: String?
    /// The critic's publication (critic reviews).
    public var publication: String?
    /// The rating shown, on the site's scale.
    public var rating: ShownRating?
    /// When it was published (ISO date).
    public var publishedOn: String?
    /// The review's headline.
    public var headline: String?
    /// The review's text, whitespace-normalised.
    public var text: String?
    /// `"x out of y found this helpful"`: x.
    public var helpful: Int?
    /// How many readers voted on the review's helpfulness.
    public var helpfulTotal: Int?

    /// The JSON field names (snake_case), in output order; `CaseIterable` lets coverage monitors list every field.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case type, site
        case sourceURL = "source_url"
        case filmSlug = "film_slug"
        case filmSiteID = "film_site_id"
        case filmTitle = "film_title"
        case filmYear = "film_year"
        case author, publication, rating
        case publishedOn = "published_on"
        case headline, text, helpful
        case helpfulTotal = "helpful_total"
    }

    /// The plausibility checks this record fails (field, reason, value); a record with none is accepted whole.
    public func violations(currentYear: Int) -> [(field: String, reason: String, value: String)] {
        (Check.rating(rating, "rating") + Check.year(filmYear, "film_year", currentYear: currentYear)).map {
            (field: $0.0, reason: $0.1, value: $0.2)
        }
    }
}

/// A site's user (profile pages, following lists).
public struct User: ScrapedRecord, Hashable {
    /// The record type as written in JSON Lines and specs (`record = "…"`).
    public var type = "user"
    /// The site the page belongs to (`imdb`, `letterboxd`, …), as in `scrapers/SITE.toml`.
    public var site: String
    /// The URL of the page the record was extracted from.
    public var sourceURL: String
    /// The user's handle as on the page.
    public var handle: String
    /// The name as shown.
    public var name: String?
    /// How many films the user has logged.
    public var filmsWatched: Int?
    /// How many users follow the user.
    public var followers: Int?
    /// How many users the user follows.
    public var following: Int?
    /// The films the profile shows as favourites (slugs).
    public var favourites: [String]?

    /// The JSON field names (snake_case), in output order; `CaseIterable` lets coverage monitors list every field.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case type, site
        case sourceURL = "source_url"
        case handle, name
        case filmsWatched = "films_watched"
        case followers, following, favourites
    }

    /// The plausibility checks this record fails (field, reason, value); a record with none is accepted whole.
    public func violations(currentYear: Int) -> [(field: String, reason: String, value: String)] { [] }
}

/// A list as an index of lists shows it.
public struct FilmList: ScrapedRecord, Hashable {
    /// The record type as written in JSON Lines and specs (`record = "…"`).
    public var type = "list"
    /// The site the page belongs to (`imdb`, `letterboxd`, …), as in `scrapers/SITE.toml`.
    public var site: String
    /// The URL of the page the record was extracted from.
    public var sourceURL: String
    /// The list (`dave/official-top-250-narrative-feature-films`, `hyumiguel/watchlist`, `chart/top`).
    public var listID: String
    /// The title as shown.
    public var title: String?
    /// The list's owner (a user handle), when shown.
    public var owner: String?
    /// How many films the list holds.
    public var filmCount: Int?

    /// The JSON field names (snake_case), in output order; `CaseIterable` lets coverage monitors list every field.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case type, site
        case sourceURL = "source_url"
        case listID = "list_id"
        case title, owner
        case filmCount = "film_count"
    }

    /// The plausibility checks this record fails (field, reason, value); a record with none is accepted whole.
    public func violations(currentYear: Int) -> [(field: String, reason: String, value: String)] { [] }
}
