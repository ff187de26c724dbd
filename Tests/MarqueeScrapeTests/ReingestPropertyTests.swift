import Foundation
import MarqueeCore
import MarqueeScrape
import MarqueeStore
import MarqueeTestKit
import PropertyBased
import Testing

/// The recorded Letterboxd and IMDb fixture pages, each with its URL and recorded fetch time.
private let pages: [(data: Data, url: String, fetchedAt: Date)] = {
    let root = SharedData.fixtures
    var found: [(Data, String, Date)] = []
    for folder in ["letterboxd/diary", "letterboxd/film", "letterboxd/film_ratings", "imdb/title"] {
        let directory = root.appendingPathComponent(folder)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory.path))?.sorted() ?? []
        where name.hasSuffix(".html") {
            let page = directory.appendingPathComponent(name)
            guard let data = try? Data(contentsOf: page),
                let meta = try? JSONParser().parse(
                    String(decoding: try Data(contentsOf: page.deletingPathExtension().appendingPathExtension("meta.json")), as: UTF8.self)
                ).value,
                let url = meta["url"]?.stringValue,
                let fetched = meta["fetched_at"]?.stringValue.flatMap(Microseconds.parse)
            else { continue }
            found.append((data, url, Microseconds.date(fetched)))
        }
    }
    return found
}()

/// After a scrape, any sequence of reparses and re-scrapes of the same pages — any subsets, in any
/// order, any number of times — leaves a store whose `ratings_enriched` dataset has exactly the
/// bytes of the scrape alone: event times are the pages' own, so nothing is duplicated or
/// re-dated. (The first scrape's order can matter: two sites' timeless facts of one film tie on
/// event time and the one learned last wins, as the point-in-time rules say.)
@Test func anySequenceOfScrapesAndReparsesGivesTheSameDatasetBytes() async throws {
    let root = SharedData.repositoryRoot
    let scrapers = try ScraperSet.load(directory: root.appendingPathComponent("scrapers"))
    let catalog = try FeatureCatalog.load(directory: root.appendingPathComponent("features"))
    #expect(pages.count >= 8)
    func datasetBytes(passes: [[Int]]) throws -> Data {
        let store = try FeatureStore(inMemory: ManualClock(Date(timeIntervalSince1970: 1_800_000_000)))
        _ = try store.importMovieLens(directory: SharedData.fixtures.appendingPathComponent("movielens-mini"))
        for pass in passes {
            let sink = try RecordSink(output: nil, store: store, salt: "test-salt", scrapers: scrapers)
            for index in pass {
                let page = pages[index]
                try sink.accept(
                    try scrapers.extract(data: page.data, url: page.url), fetchedAt: page.fetchedAt, sourceHash: nil)
            }
        }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("prop-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: output) }
        _ = try store.buildDataset("ratings_enriched", catalog: catalog, asOf: nil, output: output)
        return try Data(contentsOf: output)
    }
    let clean = try datasetBytes(passes: [Array(pages.indices)])
    await propertyCheck(count: 25, input: Gen.int(in: 0...Int.max)) { seed in
        var draws = SeededDraws(seed: seed)
        func next(_ bound: Int) -> Int { draws.next(bound) }
        // The scrape, then 1–4 reparses or re-scrapes of random subsets in random orders.
        var passes = [Array(pages.indices)]
        for _ in 0..<(1 + next(4)) {
            var subset = pages.indices.filter { _ in next(2) == 0 }
            for index in subset.indices.reversed() { subset.swapAt(index, next(index + 1)) }
            passes.append(subset)
        }
        let bytes = try? datasetBytes(passes: passes)
        #expect(bytes == clean, "passes \(passes)")
    }
}
