import MarqueeCore
import MarqueeNormalize

/// A person (director, actor) as a site shows them.
public struct Person: ScrapedRecord, Hashable {
    /// The record type as written in JSON Lines and specs (`record = "…"`).
    public var type = "person"
    /// The site the page belongs to (`imdb`, `letterboxd`, …), as in `scrapers/SITE.toml`.
    public var site: String
    /// The URL of the page the record was extracted from.
    public var sourceURL: String
    /// The id on the site, when the page shows one.
    public var siteID: String?
    /// The name as shown.
    public var name: String
    /// Date of birth (ISO).
    public var born: String?
    /// Place of birth as shown.
    public var birthPlace: String?
    /// Date of death (ISO).
    public var died: String?
    /// What the person is known for (`Director`, `Actor`, …).
    public var occupations: [String]?
    /// The IMDb title id (`tt0116922`) the page links to.
    public var imdbID: String?
    /// How many films the page lists for them.
    public var filmCount: Int?

    /// The JSON field names (snake_case), in output order; `CaseIterable` lets coverage monitors list every field.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case type, site
        case sourceURL = "source_url"
        case siteID = "site_id"
        case name, born
        case birthPlace = "birth_place"
        case died, occupations
        case imdbID = "imdb_id"
        case filmCount = "film_count"
    }

    /// The plausibility checks this record fails (field, reason, value); a record with none is accepted whole.
    public func violations(currentYear: Int) -> [(field: String, reason: String, value: String)] {
        name.isEmpty ? [(field: "name", reason: "missing: empty name", value: "")] : []
    }
}

/// Box-office takings of a title or of one release (a market).
public struct BoxOffice: ScrapedRecord, Hashable {
    /// The record type as written in JSON Lines and specs (`record = "…"`).
    public var type = "box_office"
    /// The site the page belongs to (`imdb`, `letterboxd`, …), as in `scrapers/SITE.toml`.
    public var site: String
    /// The URL of the page the record was extracted from.
    public var sourceURL: String
    /// The IMDb title id (`tt0116922`) the page links to.
    public var imdbID: String?
    /// The release id (`rl3947005441`) for release pages.
    public var releaseID: String?
    /// The title as shown.
    public var title: String?
    /// The title's year on a title page (its original release, before re-releases); on a
    /// release page, the year of that release (often the only year the page shows).
    public var year: Int?
    /// The market of a release page (`Domestic`, `France`).
    public var market: String?
    /// Domestic (US and Canada) gross.
    public var domestic: Money?
    /// International gross.
    public var international: Money?
    /// Worldwide gross.
    public var worldwide: Money?
    /// Gross of a release page's market.
    public var gross: Money?
    /// Opening-weekend gross (domestic).
    public var opening: Money?
    /// The release date as an ISO date (`1997-02-21`), or a partial date (`1997-02`, `1997`).
    public var releaseDate: String?
    /// Widest release, in theaters.
    public var theaters: Int?
    /// The production budget.
    public var budget: Money?

    /// The JSON field names (snake_case), in output order; `CaseIterable` lets coverage monitors list every field.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case type, site
        case sourceURL = "source_url"
        case imdbID = "imdb_id"
        case releaseID = "release_id"
        case title, year, market, domestic, international, worldwide, gross, opening
        case releaseDate = "release_date"
        case theaters, budget
    }

    /// The plausibility checks this record fails (field, reason, value); a record with none is accepted whole.
    public func violations(currentYear: Int) -> [(field: String, reason: String, value: String)] {
        var problems = Check.year(year, "year", currentYear: currentYear)
        for (field, money) in [
            ("domestic", domestic), ("international", international), ("worldwide", worldwide), ("gross", gross),
            ("opening", opening),
        ] {
            if let money, money.amount < 0 {
                problems.append((field, "out-of-range: negative amount", "\(money.amount)"))
            }
        }
        return problems.map { (field: $0.0, reason: $0.1, value: $0.2) }
    }
}

/// One hit of a site search.
public struct SearchResult: ScrapedRecord, Hashable {
    /// The record type as written in JSON Lines and specs (`record = "…"`).
    public var type = "search_result"
    /// The site the page belongs to (`imdb`, `letterboxd`, …), as in `scrapers/SITE.toml`.
    public var site: String
    /// The URL of the page the record was extracted from.
    public var sourceURL: String
    /// The search query the page answers.
    public var query: String?
    /// 1-based position on this page (ranked lists: the rank shown).
    public var position: Int?
    /// `title` or `name` (IMDb's sections).
    public var section: String?
    /// The id on the site, when the page shows one.
    public var siteID: String?
    /// The title as shown.
    public var title: String
    /// The release year.
    public var year: Int?
    /// The text shown under the hit (year, kind, known-for), as shown.
    public var detail: String?

    /// The JSON field names (snake_case), in output order; `CaseIterable` lets coverage monitors list every field.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case type, site
        case sourceURL = "source_url"
        case query, position, section
        case siteID = "site_id"
        case title, year, detail
    }

    /// The plausibility checks this record fails (field, reason, value); a record with none is accepted whole.
    public func violations(currentYear: Int) -> [(field: String, reason: String, value: String)] {
        (Check.position(position) + Check.year(year, "year", currentYear: currentYear)).map {
            (field: $0.0, reason: $0.1, value: $0.2)
        }
    }
}
