import MarqueeCore
import MarqueeNormalize

/// One user's rating (or log) of one film.
public struct UserRating: ScrapedRecord, Hashable {
    public var type = "user_rating"
    public var site: String
    public var sourceURL: String
    /// The user's handle as on the page.
    public var user: String
    public var filmSlug: String?
    public var filmSiteID: String?
    public var filmTitle: String?
    public var filmYear: Int?
    /// The rating on the site's scale; absent when the user logged the film without rating it.
    public var rating: ShownRating?
    /// When it was rated or watched (ISO date), when the page shows it.
    public var ratedOn: String?
    public var liked: Bool?
    public var rewatch: Bool?
    public var review: Bool?

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
    public var type = "list_entry"
    public var site: String
    public var sourceURL: String
    /// The list (`dave/official-top-250-narrative-feature-films`, `hyumiguel/watchlist`, `chart/top`).
    public var listID: String
    /// 1-based position on this page (ranked lists: the rank shown).
    public var position: Int?
    /// The page of a paginated list.
    public var page: Int?
    public var filmSlug: String?
    public var filmSiteID: String?
    public var title: String?
    public var year: Int?
    public var rating: ShownRating?

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case type, site
        case sourceURL = "source_url"
        case listID = "list_id"
        case position, page
        case filmSlug = "film_slug"
        case filmSiteID = "film_site_id"
        case title, year, rating
    }

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
    public var type = "review"
    public var site: String
    public var sourceURL: String
    public var filmSlug: String?
    public var filmSiteID: String?
    public var filmTitle: String?
    public var filmYear: Int?
    /// The reviewer's handle or name.
    public var author: String?
    /// The critic's publication (critic reviews).
    public var publication: String?
    public var rating: ShownRating?
    public var publishedOn: String?
    public var headline: String?
    public var text: String?
    /// `"x out of y found this helpful"`: x.
    public var helpful: Int?
    public var helpfulTotal: Int?

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

    public func violations(currentYear: Int) -> [(field: String, reason: String, value: String)] {
        (Check.rating(rating, "rating") + Check.year(filmYear, "film_year", currentYear: currentYear)).map {
            (field: $0.0, reason: $0.1, value: $0.2)
        }
    }
}

/// A site's user (profile pages, following lists).
public struct User: ScrapedRecord, Hashable {
    public var type = "user"
    public var site: String
    public var sourceURL: String
    public var handle: String
    public var name: String?
    public var filmsWatched: Int?
    public var followers: Int?
    public var following: Int?
    /// The films the profile shows as favourites (slugs).
    public var favourites: [String]?

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case type, site
        case sourceURL = "source_url"
        case handle, name
        case filmsWatched = "films_watched"
        case followers, following, favourites
    }

    public func violations(currentYear: Int) -> [(field: String, reason: String, value: String)] { [] }
}

/// A list as an index of lists shows it.
public struct FilmList: ScrapedRecord, Hashable {
    public var type = "list"
    public var site: String
    public var sourceURL: String
    public var listID: String
    public var title: String?
    public var owner: String?
    public var filmCount: Int?

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case type, site
        case sourceURL = "source_url"
        case listID = "list_id"
        case title, owner
        case filmCount = "film_count"
    }

    public func violations(currentYear: Int) -> [(field: String, reason: String, value: String)] { [] }
}
