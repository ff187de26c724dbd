import Foundation
import MarqueeCore
import MarqueeScrape
import MarqueeStore
import MarqueeTestKit
import Testing

/// Scraped facts reach datasets through the feature views in `features/`, point in time.
/// Hand-computed: Heat (MovieLens film 6, IMDb tt0113277) is scraped from IMDb twice — on
/// 2020-02-01 showing 7.0/10 from 100 votes, on 2020-04-01 showing 8.0/10 from 200 — and rated
/// on 2020-01-01, 2020-03-01, 2020-04-15 and 2021-01-01. `film_site_scores` has a 90-day TTL.
@Test func scrapedScoresJoinPointInTimeAndCreditsJoinEveryRating() throws {
    let root = SharedData.repositoryRoot
    let scrapers = try ScraperSet.load(directory: root.appendingPathComponent("scrapers"))
    let page = try Data(contentsOf: root.appendingPathComponent("fixtures/imdb/title/tt0113277.html"))
    let extraction = try scrapers.extract(data: page, url: "https://www.imdb.com/title/tt0113277/")
    var film = try #require(extraction.records.first?.record as? Film)
    func day(_ text: String) -> Int64 { Microseconds.parse(text)! }

    let store = try FeatureStore(inMemory: ManualClock(Date(timeIntervalSince1970: 1_800_000_000)))
    try store.observe(
        EntityKey("movielens", "6"), kind: .film, feature: "title", value: "Heat (1995)", eventTimestamp: 0,
        source: "movielens", otherKeys: [EntityKey("imdb", "tt0113277")])
    for (value, count, fetched) in [(7.0, 100, "2020-02-01"), (8.0, 200, "2020-04-01")] {
        film.rating = ShownRating(value: value, scale: 10, count: count)
        let observations = RecordIngest.observations(
            film, fetchedAt: Microseconds.date(day(fetched)), sourceHash: nil, salt: nil)
        _ = try store.ingest(observations)
    }
    let rated = ["2020-01-01", "2020-03-01", "2020-04-15", "2021-01-01"]
    for (user, date) in rated.enumerated() {
        try store.rate(
            user: EntityKey("movielens", "\(user + 1)"), film: EntityKey("movielens", "6"), rating: 4,
            eventTimestamp: day(date), source: "movielens")
    }
    let catalog = try FeatureCatalog.load(directory: root.appendingPathComponent("features"))
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("enriched-\(UUID().uuidString).csv")
    defer { try? FileManager.default.removeItem(at: output) }
    _ = try store.buildDataset("ratings_enriched", catalog: catalog, asOf: nil, output: output)
    let rows = CSVReader(data: try Data(contentsOf: output)).map(\.fields)
    let header = rows[0]
    func column(_ name: String) throws -> [String] {
        let index = try #require(header.firstIndex(of: name), "\(name) in \(header)")
        return rows.dropFirst().map { $0[index] }
    }
    #expect(try column("event_time").map { String($0.prefix(10)) } == rated)
    #expect(try column("imdb_rating") == ["", "0.7", "0.8", ""])
    #expect(try column("imdb_rating_count") == ["", "100", "200", ""])
    #expect(try column("directors") == Array(repeating: "Michael Mann", count: 4))
    #expect(try column("cast") == Array(repeating: "Al Pacino|Robert De Niro", count: 4))
    #expect(try column("runtime_minutes") == Array(repeating: "170", count: 4))
    #expect(try column("letterboxd_rating") == Array(repeating: "", count: 4), "never scraped: empty, not 0")
}

/// The entity matcher's rules, one case each: year within one, directors must agree when both
/// sides name them, a shared director breaks a tie, a tie left is ambiguous (nothing merged).
@Test func theMatcherNeedsTitleAndYearAndLetsDirectorsDecide() {
    let heat = FilmIdentity(title: "Heat", year: 1995, directors: ["Michael Mann"])
    func decide(_ candidates: [FilmIdentity]) -> MatchDecision { EntityMatcher.match(heat, among: candidates) }
    #expect(decide([FilmIdentity(title: "Heat", year: 1995)]) == .matched(index: 0, score: 0.8, reason: "title and year"))
    #expect(decide([FilmIdentity(title: "heat", year: 1996)]) == .matched(index: 0, score: 0.6, reason: "title and year ±1"))
    #expect(decide([FilmIdentity(title: "Heat", year: 1986)]) == MatchDecision.none, "Heat (1986) is another film")
    #expect(decide([FilmIdentity(title: "Heat", year: 1995, directors: ["Someone Else"])]) == MatchDecision.none)
    #expect(
        decide([FilmIdentity(title: "Heat", year: 1995), FilmIdentity(title: "Heat", year: 1995, directors: ["Michael Mann"])])
            == .matched(index: 1, score: 1.0, reason: "title and year and director"))
    if case .ambiguous(let indices, _) = decide([FilmIdentity(title: "Heat", year: 1995), FilmIdentity(title: "Heat", year: 1995)]) {
        #expect(indices == [0, 1])
    } else {
        Issue.record("two equal candidates must be ambiguous")
    }
}

/// Precision and recall of the matcher on the labelled pages (fixtures/entities/labels.tsv)
/// against all of MovieLens ml-latest-small, printed; wrong merges are what hurts a feature
/// store, so precision must stay perfect.
@Test(.enabled(if: SharedData.runs(SharedData.realPages != nil), "needs ../shared/realpages"))
func entityMatchingPrecisionAndRecallOnLabelledPages() throws {
    let root = SharedData.repositoryRoot
    let score = try EntityMatcher.evaluate(
        labels: root.appendingPathComponent("fixtures/entities/labels.tsv"), realPages: SharedData.realPages!,
        repository: root, movieLens: root.appendingPathComponent("data/ml-latest-small"),
        scrapers: try ScraperSet.load(directory: root.appendingPathComponent("scrapers")))
    print(score)
    for line in score.lines { print("  " + line) }
    #expect(score.wrong == 0, "\(score.lines.filter { $0.hasPrefix("WRONG") })")
    #expect(score.recall >= 0.9, "\(score)")
}
