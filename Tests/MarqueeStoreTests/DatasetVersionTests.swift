import Foundation
import MarqueeCore
import MarqueeTestKit
import Testing

@testable import MarqueeStore

private let fixtureCatalog = SharedData.repositoryRoot.appendingPathComponent("features")
private let mini = SharedData.fixtures.appendingPathComponent("movielens-mini")

@Test(arguments: StoreBackend.allCases)
func rebuildReproducesTheBytesAfterNewObservationsArrive(_ backend: StoreBackend) async throws {
    guard backend.runs else { return print(TestPostgres.skipMessage) }
    let store = try await backend.make(at: 1_700_000_000)
    let clock = store.clock
    _ = try await store.importMovieLens(mini)
    let catalog = try FeatureCatalog.load(directory: fixtureCatalog)
    let first = scratchDirectory().appendingPathComponent("r.csv")
    let built = try await store.buildDataset("ratings", catalog: catalog, output: first).version
    #expect(built.rowCount == 11)

    clock.advance(by: 86_400)
    try await store.rate(
        user: EntityKey("movielens", "9"), film: EntityKey("imdb", "tt0116922"), rating: 2,
        eventTimestamp: 1_000 * second, source: "later")
    try await store.observe(
        EntityKey("imdb", "tt0116922"), kind: .film, feature: "year", value: 1996, eventTimestamp: 0,
        source: "correction")

    let again = scratchDirectory().appendingPathComponent("r.csv")
    let rebuilt = try await store.rebuildDataset(String(built.id.prefix(8)), catalog: catalog, output: again)
    #expect(rebuilt.id == built.id)
    #expect(try Data(contentsOf: again) == Data(contentsOf: first))
    #expect(Hashing.sha256(try Data(contentsOf: again)) == built.contentSHA256)

    // A new build sees the new rating and the corrected year, so it is a new version.
    let newer = try await store.buildDataset(
        "ratings", catalog: catalog, output: scratchDirectory().appendingPathComponent("n.csv")
    ).version
    #expect(newer.id != built.id)
    #expect(newer.rowCount == 12)
    #expect(try await store.datasetVersions().count == 2)
}

@Test(arguments: StoreBackend.allCases)
func rebuildRefusesWhenAFeatureViewChanged(_ backend: StoreBackend) async throws {
    guard backend.runs else { return print(TestPostgres.skipMessage) }
    let store = try await backend.make(at: 1_700_000_000)
    _ = try await store.importMovieLens(mini)
    var catalog = try FeatureCatalog.load(directory: fixtureCatalog)
    let built = try await store.buildDataset(
        "ratings", catalog: catalog, output: scratchDirectory().appendingPathComponent("r.csv")
    ).version
    catalog.views["film_facts"]!.features[1].max = 2000
    do {
        _ = try await store.rebuildDataset(
            built.id, catalog: catalog, output: scratchDirectory().appendingPathComponent("x.csv"))
        Issue.record("rebuilt with a changed view")
    } catch {
        #expect(error.code == .dataError)
        #expect(error.message.contains("feature view film_facts changed since \(built.id)"))
    }
    catalog = try FeatureCatalog.load(directory: fixtureCatalog)
    catalog.datasets["ratings"]!.createdCutoff = true
    await #expect(throws: MarqueeError.self) {
        try await store.rebuildDataset(
            built.id, catalog: catalog, output: scratchDirectory().appendingPathComponent("y.csv"))
    }
    await #expect(throws: MarqueeError.self) {
        try await store.rebuildDataset(
            "ffffffff", catalog: catalog, output: scratchDirectory().appendingPathComponent("z.csv"))
    }
}

@Test(arguments: StoreBackend.allCases)
func errorLevelExpectationsStopTheBuildWithoutAFile(_ backend: StoreBackend) async throws {
    guard backend.runs else { return print(TestPostgres.skipMessage) }
    let store = try await backend.make(at: 1_700_000_000)
    _ = try await store.importMovieLens(mini)
    var catalog = try FeatureCatalog.load(directory: fixtureCatalog)
    catalog.views["film_facts"]!.features[1].max = 1980
    catalog.views["film_facts"]!.features[1].level = .error
    let output = scratchDirectory().appendingPathComponent("r.csv")
    do {
        _ = try await store.buildDataset("ratings", catalog: catalog, output: output)
        Issue.record("built despite years above 1980")
    } catch {
        #expect(error.code == .dataError)
        #expect(error.message.contains("film_facts.year: 8 values above 1980.0 (first: 2001.0)"))
    }
    #expect(!FileManager.default.fileExists(atPath: output.path))
    #expect(try FileManager.default.contentsOfDirectory(atPath: output.deletingLastPathComponent().path).isEmpty)
    catalog.views["film_facts"]!.features[1].level = .warn
    let warned = try await store.buildDataset("ratings", catalog: catalog, output: output)
    #expect(warned.warnings.map(\.feature) == ["film_facts.year"])
}

@Test(arguments: StoreBackend.allCases)
func jsonLinesCarryTypedValues(_ backend: StoreBackend) async throws {
    guard backend.runs else { return print(TestPostgres.skipMessage) }
    let store = try await backend.make(at: 1_700_000_000)
    _ = try await store.importMovieLens(mini)
    let output = scratchDirectory().appendingPathComponent("r.jsonl")
    _ = try await store.buildDataset(
        "ratings", catalog: try FeatureCatalog.load(directory: fixtureCatalog), format: .jsonl, output: output)
    let first = try #require(try String(contentsOf: output, encoding: .utf8).split(separator: "\n").first)
    let value = try JSONParser().parse(String(first)).value
    #expect(value["user"] == .string("movielens:1"))
    #expect(value["rating"] == .number(5))
    #expect(value["year"] == .number(2001))
    #expect(value["title"] == .string("Mulholland Drive"))
}

/// The byte-wise fast path for ASCII fields quotes exactly as the Character-based rule did, so
/// recorded dataset versions keep their bytes: random fields over an alphabet of the special
/// bytes, a carriage return (a "\r\n" is one Character), a combining mark and non-ASCII letters.
@Test func csvFieldFastPathQuotesExactlyAsTheCharacterRule() {
    let alphabet = ["a", "Z", " ", ",", "\"", "\n", "\r", "\u{301}", "é", "#", "0", "💥"]
    var generator = SystemRandomNumberGenerator()
    var asciiFields = 0
    for _ in 0..<20_000 {
        let length = Int.random(in: 0...8, using: &generator)
        let field = (0..<length).map { _ in alphabet.randomElement(using: &generator)! }.joined()
        if field.utf8.allSatisfy({ $0 < 0x80 && $0 != 13 }) { asciiFields += 1 }
        #expect(CSVField.escape(field) == CSVField.escapeByCharacters(field), "field \(field.debugDescription)")
    }
    #expect(asciiFields > 1_000)  // the fast path was exercised
    #expect(CSVField.escape("Shawshank Redemption, The") == "\"Shawshank Redemption, The\"")
    #expect(CSVField.escape("say \"hi\"") == "\"say \"\"hi\"\"\"")
    #expect(CSVField.escape("plain") == "plain")
}

/// The writer formats rows in chunks on every core and joins them in order: any split of the
/// rows gives the bytes, hashed ids and expectation counts (with the first bad value in row
/// order) of one pass over all of them.
@Test func datasetChunksJoinToTheOnePassBytes() throws {
    let (store, _) = try makeStore(at: 1_700_000_000)
    _ = try store.importMovieLens(directory: mini)
    // A year below the view's minimum, so a check has counts and a first bad value to merge.
    try store.observe(
        EntityKey("imdb", "tt0116922"), kind: .film, feature: "year", value: 1500, eventTimestamp: 1, source: "odd")
    let catalog = try FeatureCatalog.load(directory: fixtureCatalog)
    let plan = try DatasetPlan(spec: catalog.datasets["ratings"]!, catalog: catalog)
    let joined = try store.writer.read { db in
        try PointInTimeJoin(plan: plan, watermark: Int64.max, asOf: nil).run(db)
    }
    #expect(joined.order.count == 11)
    for format in [DatasetVersion.Format.csv, .jsonl] {
        let whole = DatasetChunk(joined, plan: plan, format: format, positions: joined.order[...])
        for size in [1, 2, 5] {
            var bytes: [UInt8] = [], ids: [UInt8] = []
            var checks = plan.columns.map { ExpectationCheck(column: $0) }
            for lower in stride(from: 0, to: joined.order.count, by: size) {
                let part = DatasetChunk(
                    joined, plan: plan, format: format,
                    positions: joined.order[lower..<min(lower + size, joined.order.count)])
                bytes += part.bytes
                ids += part.ids
                for index in checks.indices { checks[index].merge(part.checks[index]) }
            }
            #expect(bytes == whole.bytes)
            #expect(ids == whole.ids)
            let merged = checks.flatMap { $0.violations(rows: 11) }.map(\.message)
            #expect(merged == whole.checks.flatMap { $0.violations(rows: 11) }.map(\.message))
        }
    }
    #expect(whole(plan, joined).contains { $0.contains("below") })
}

private func whole(_ plan: DatasetPlan, _ joined: PointInTimeJoin.Result) -> [String] {
    DatasetChunk(joined, plan: plan, format: .csv, positions: joined.order[...]).checks
        .flatMap { $0.violations(rows: joined.order.count) }.map(\.message)
}
