import MarqueeCore
import MarqueeNormalize

/// A person (director, actor) as a site shows them.
public struct Person: ScrapedRecord, Hashable {
    public var type = "person"
    public var site: String
    public var sourceURL: String
    public var siteID: String?
    public var name: String
    public var born: String?
    public var birthPlace: String?
    public var died: String?
    public var occupations: [String]?
    public var imdbID: String?
    /// How many films the page lists for them.
    public var filmCount: Int?

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

    public func violations(currentYear: Int) -> [(field: String, reason: String, value: String)] {
        name.isEmpty ? [(field: "name", reason: "missing: empty name", value: "")] : []
    }
}

/// Box-office takings of a title or of one release (a market).
public struct BoxOffice: ScrapedRecord, Hashable {
    public var type = "box_office"
    public var site: String
    public var sourceURL: String
    public var imdbID: String?
    /// The release id (`rl3947005441`) for release pages.
    public var releaseID: String?
    public var title: String?
    /// The title's year on a title page (its original release, before re-releases); on a
    /// release page, the year of that release (often the only year the page shows).
    public var year: Int?
    /// The market of a release page (`Domestic`, `France`).
    public var market: String?
    public var domestic: Money?
    public var international: Money?
    public var worldwide: Money?
    /// Gross of a release page's market.
    public var gross: Money?
    public var opening: Money?
    public var releaseDate: String?
    public var theaters: Int?
    public var budget: Money?

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case type, site
        case sourceURL = "source_url"
        case imdbID = "imdb_id"
        case releaseID = "release_id"
        case title, year, market, domestic, international, worldwide, gross, opening
        case releaseDate = "release_date"
        case theaters, budget
    }

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
    public var type = "search_result"
    public var site: String
    public var sourceURL: String
    public var query: String?
    public var position: Int?
    /// `title` or `name` (IMDb's sections).
    public var section: String?
    public var siteID: String?
    public var title: String
    public var year: Int?
    public var detail: String?

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case type, site
        case sourceURL = "source_url"
        case query, position, section
        case siteID = "site_id"
        case title, year, detail
    }

    public func violations(currentYear: Int) -> [(field: String, reason: String, value: String)] {
        (Check.position(position) + Check.year(year, "year", currentYear: currentYear)).map {
            (field: $0.0, reason: $0.1, value: $0.2)
        }
    }
}
