import Foundation
import MarqueeCore
import MarqueeScrape
import MarqueeTestKit
import Testing

/// A minimal valid spec; tests break one thing at a time.
private let valid = """
    site = "demo"
    hosts = ["demo.example"]

    [[page]]
    kind = "film"
    record = "film"
    url = '^https://demo\\.example/film/(?<id>[a-z-]+)/$'

    [page.fields.title]
    rules = [{ css = "h1::text" }, { meta = "og:title" }]
    normalise = "title"
    required = true

    [page.fields.year]
    rules = [{ css = "span.year::text" }]
    normalise = "year"

    [page.fields."rating.count"]
    rules = [{ css = "span.votes::text" }]
    normalise = "count"

    [page.fields.rating]
    rules = [{ css = "span.score::text" }]
    normalise = "rating"
    scale = 10
    """

private func load(_ text: String) throws(MarqueeError) -> SiteSpec {
    try SpecLoader.load(text: text, path: "/specs/demo.toml")
}

private func failure(_ text: String) -> MarqueeError? {
    do {
        _ = try load(text)
        return nil
    } catch {
        return error
    }
}

@Test func aValidSpecLoads() throws {
    let spec = try load(valid)
    #expect(spec.pages.map(\.kind) == ["film"])
    #expect(spec.pages[0].fields.map(\.name).sorted() == ["rating", "rating.count", "title", "year"])
    #expect(spec.placeholders.contains("TODO_MISSING"))
}

@Test(arguments: [
    // (change, expected message fragment, expected line)
    ("kind = \"film\"", "kind = \"film\"\nrecrod = \"x\"", "unknown key \"recrod\"", 6),
    ("normalise = \"year\"", "normalise = \"yaer\"", "unknown normaliser \"yaer\"", 16),
    ("{ css = \"span.year::text\" }", "{ css = \"span[year\" }", "css selector", 15),
    ("{ css = \"span.year::text\" }", "{ xpath = \"//span[\" }", "xpath", 15),
    ("{ css = \"span.year::text\" }", "{ css = \"span\", re = \"(unclosed\" }", "does not compile", 15),
    ("[page.fields.year]", "[page.fields.yeer]", "has no field \"yeer\"", 14),
    ("record = \"film\"", "record = \"movie\"", "unknown record \"movie\"", 6),
    ("{ css = \"span.year::text\" }", "{ css = \"a\", meta = \"b\" }", "one source", 15),
    ("{ css = \"span.year::text\" }", "{ css = \"a\", colour = \"b\" }", "unknown key \"colour\"", 15),
])
func badSpecsFailWithFileAndLine(_ original: String, _ replacement: String, _ message: String, _ line: Int) throws {
    let text = valid.replacingOccurrences(of: original, with: replacement)
    let error = try #require(failure(text))
    #expect(error.code == .dataError)
    #expect(error.message.contains(message), "\(error)")
    #expect(error.location == "/specs/demo.toml:\(line)", "\(error)")
}

@Test func misspeltNormaliserGetsASuggestion() throws {
    let error = try #require(
        failure(valid.replacingOccurrences(of: "normalise = \"year\"", with: "normalise = \"yaer\"")))
    #expect(error.hint == "did you mean \"year\"?")
}

@Test func siteMustMatchTheFileName() throws {
    let error = try #require(failure(valid.replacingOccurrences(of: "site = \"demo\"", with: "site = \"other\"")))
    #expect(error.message.contains("differs from the file name"))
}

@Test func everyShippedSpecLoadsAndCoversTheIssueKinds() throws {
    let set = try ScraperSet.load(directory: SharedData.repositoryRoot.appendingPathComponent("scrapers"))
    let kinds = Dictionary(uniqueKeysWithValues: set.sites.map { ($0.site, Set($0.pages.map(\.kind))) })
    #expect(kinds["imdb"] == ["title", "release_info", "chart", "search", "reviews", "critic_reviews"])
    #expect(
        kinds["letterboxd"]
            == [
                "film", "film_ratings", "diary", "films", "reviews", "watchlist", "list", "lists", "following",
                "profile", "browse", "person",
            ])
    #expect(kinds["rottentomatoes"] == ["movie"])
    #expect(kinds["wikipedia"] == ["tv_series", "film", "person"])
    #expect(kinds["boxofficemojo"] == ["title", "release"])
}

// MARK: extraction behaviour on hand-written pages

private let demo = ScraperSet([try! load(valid)])

private func extract(_ html: String, url: String = "https://demo.example/film/x/") throws -> PageExtraction {
    try demo.extract(data: Data(html.utf8), url: url, currentYear: 2026)
}

@Test func firstRuleWithAValueWinsAndNestedFieldsCompleteTheirParent() throws {
    let page = try extract(
        #"<html><head><meta property="og:title" content="Ignored (1999)"></head><body><h1>Heat</h1><span class="year">1995</span><span class="score">8.3</span><span class="votes">712,000</span></body></html>"#
    )
    #expect(page.rejects.isEmpty)
    let json = try #require(page.records.first?.json)
    #expect(json["title"] == .string("Heat"))
    #expect(json["year"] == .number(1995))
    #expect(
        json["rating"]
            == .object(JSONObject([("value", .number(8.3)), ("scale", .number(10)), ("count", .number(712_000))])))
    #expect(json["key"] == .string("title:heat:1995"))
}

@Test func aCountWithoutItsRatingIsDropped() throws {
    let page = try extract(#"<html><body><h1>Heat</h1><span class="votes">0</span></body></html>"#)
    #expect(page.records.first?.json["rating"] == nil)
}

@Test func missingRequiredFieldIsARejectNamingTheRulesTried() throws {
    let page = try extract("<html><body><p>layout changed</p></body></html>")
    #expect(page.records.isEmpty)
    let reject = try #require(page.rejects.first)
    #expect(reject.field == "title")
    #expect(reject.reason == "missing-required")
    #expect(reject.rulesTried == [#"{ css = "h1::text" }"#, #"{ meta = "og:title" }"#])
    #expect(reject.sourceURL == "https://demo.example/film/x/")
}

@Test func outOfRangeValuesAreRejects() throws {
    let page = try extract(#"<html><body><h1>Heat</h1><span class="year">1066</span></body></html>"#)
    #expect(page.records.isEmpty)
    #expect(page.rejects.map(\.field) == ["year"])
    #expect(page.rejects.first?.rawValue == "1066")
    #expect(page.rejects.first?.reason == "out-of-range")
    let future = try extract(#"<html><body><h1>Heat</h1><span class="score">12</span></body></html>"#)
    #expect(future.rejects.map(\.reason) == ["out-of-range"])
    #expect(future.rejects.first?.field == "rating")
}

@Test func placeholdersCountAsAbsentAndTheNextRuleIsUsed() throws {
    let page = try extract(
        #"<html><head><meta property="og:title" content="Heat (1995)"></head><body><h1>TODO_MISSING</h1></body></html>"#
    )
    #expect(page.records.first?.json["title"] == .string("Heat"))
}

@Test func unrecognisedPagesSayWhatWasTried() throws {
    #expect {
        try demo.extract(data: Data("<html></html>".utf8), url: "https://demo.example/about/")
    } throws: { error in
        let error = error as? MarqueeError
        return error?.code == .dataError && error?.message.contains("URL matched none of film") == true
    }
    #expect {
        try demo.extract(data: Data("<html></html>".utf8), url: "https://elsewhere.example/film/x/")
    } throws: { error in
        (error as? MarqueeError)?.message.contains("no site spec lists host elsewhere.example") == true
    }
}

/// Every URL form Letterboxd serves a member's pages at routes to its page kind — with or
/// without `www.`, with `/page/N/`, sort suffixes and query strings.
@Test(arguments: [
    ("https://letterboxd.com/USER/diary/", "diary"), ("https://letterboxd.com/USER/films/diary/", "diary"),
    ("https://www.letterboxd.com/USER/diary/page/3/", "diary"),
    ("https://letterboxd.com/USER/films/diary/for/2024/06/", "diary"),
    ("https://letterboxd.com/USER/films/diary/by/added/page/2/", "diary"),
    ("https://letterboxd.com/USER/films/", "films"), ("https://letterboxd.com/USER/films/ratings/", "films"),
    ("https://letterboxd.com/USER/films/ratings/by/entry-rating/page/2/", "films"),
    ("https://letterboxd.com/USER/films/by/date/size/large/", "films"),
    ("https://letterboxd.com/USER/films/decade/1990s/genre/horror/", "films"),
    ("https://letterboxd.com/USER/likes/films/", "films"), ("https://letterboxd.com/USER/likes/films/page/4/", "films"),
    ("https://letterboxd.com/USER/films/reviews/", "reviews"), ("https://letterboxd.com/USER/reviews/page/2/", "reviews"),
    ("https://letterboxd.com/USER/films/reviews/by/activity/", "reviews"),
    ("https://letterboxd.com/USER/watchlist/", "watchlist"),
    ("https://www.letterboxd.com/USER/watchlist/by/popular/page/2/?esiAllowFilters=true", "watchlist"),
    ("https://letterboxd.com/USER/list/best-of-2024/", "list"),
    ("https://letterboxd.com/USER/list/best-of-2024/detail/by/rating/page/2/", "list"),
    ("https://letterboxd.com/USER/list/best-of-2024/size/small/decade/1980s/", "list"),
    ("https://letterboxd.com/USER/lists/", "lists"), ("https://letterboxd.com/USER/likes/lists/", "lists"),
    ("https://letterboxd.com/USER/", "profile"), ("https://letterboxd.com/film/the-thing/", "film"),
    ("https://letterboxd.com/csi/film/the-thing/rating-histogram/", "film_ratings"),
])
func letterboxdURLFormsRoute(_ url: String, _ kind: String) throws {
    let scrapers = try ScraperSet.load(directory: SharedData.repositoryRoot.appendingPathComponent("scrapers"))
    #expect(scrapers.candidates(for: url, site: "letterboxd").map(\.page.kind).first == kind, "\(url)")
}

/// IMDb's localised UI paths (`/de/title/…`, `/fr/…`, `/pt-br/…`) route like the English ones.
@Test(arguments: [
    ("https://www.imdb.com/de/title/tt0133093/", "title"), ("https://m.imdb.com/fr/title/tt0133093/", "title"),
    ("https://www.imdb.com/pt-br/title/tt0133093/releaseinfo/", "release_info"),
    ("https://www.imdb.com/es/title/tt0133093/reviews/", "reviews"), ("https://www.imdb.com/title/tt0133093/", "title"),
])
func imdbLocalisedPathsRoute(_ url: String, _ kind: String) throws {
    let scrapers = try ScraperSet.load(directory: SharedData.repositoryRoot.appendingPathComponent("scrapers"))
    #expect(scrapers.candidates(for: url, site: "imdb").map(\.page.kind).first == kind, "\(url)")
}

/// Every input a fuzz harness crashed on (fixtures/fuzz/spec) is now an error with a place.
@Test func specInputsThatCrashedTheFuzzerAreErrors() throws {
    let folder = SharedData.fixtures.appendingPathComponent("fuzz/spec")
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    #expect(names.count >= 2)
    for name in names {
        let text = String(decoding: try Data(contentsOf: folder.appendingPathComponent(name)), as: UTF8.self)
        #expect(throws: MarqueeError.self, "\(name)") { _ = try SpecLoader.load(text: text, path: "scrapers/fuzz.toml") }
    }
}
