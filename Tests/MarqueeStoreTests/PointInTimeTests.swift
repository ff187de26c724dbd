import Foundation
import MarqueeCore
import MarqueeTestKit
import PropertyBased
import Testing

@testable import MarqueeStore

/// Film `imdb:tt1` gets `score` observations (value, event s, created s):
/// (1, 100, 100), (2, 200, 500) — a late backfill —, (3, 200, 300), (4, 400, 400).
private func scoredStore(
    _ backend: StoreBackend, ttl: Int64, cutoff: Bool, ratingTimes: [(user: String, at: Int64)]
) async throws -> (TestStore, FeatureCatalog) {
    let store = try await backend.make()
    let clock = store.clock
    let film = EntityKey("imdb", "tt1")
    for (value, event, created) in [(1.0, 100, 100), (2.0, 200, 500), (3.0, 200, 300), (4.0, 400, 400)]
        as [(Double, Int64, Int64)]
    {
        clock.advance(by: Double(created) - clock.now().timeIntervalSince1970)
        try await store.observe(
            film, kind: .film, feature: "score", value: value, eventTimestamp: event * second, source: "test")
    }
    clock.advance(by: 1_000)
    for (user, at) in ratingTimes {
        try await store.rate(
            user: EntityKey("test", user), film: film, rating: 3, eventTimestamp: at * second, source: "test")
    }
    let view = FeatureView(
        name: "facts", entity: .film, ttlSeconds: ttl, features: [FeatureDefinition(name: "score", type: .real)])
    let spec = DatasetSpec(name: "scores", features: ["facts.score"], createdCutoff: cutoff)
    return (store, FeatureCatalog(views: [view], datasets: [spec]))
}

struct PointInTimeCase: Sendable, CustomTestStringConvertible {
    let ttl: Int64
    let cutoff: Bool
    let at: Int64
    let expected: String
    var testDescription: String { "ttl \(ttl) cutoff \(cutoff) at \(at) → \(expected.isEmpty ? "NULL" : expected)" }
}

@Test(
    arguments: StoreBackend.allCases,
    [
        PointInTimeCase(ttl: 0, cutoff: false, at: 50, expected: ""),  // before any observation
        PointInTimeCase(ttl: 0, cutoff: false, at: 100, expected: "1.0"),  // event time equal to the row's: included
        PointInTimeCase(ttl: 0, cutoff: false, at: 150, expected: "1.0"),
        PointInTimeCase(ttl: 0, cutoff: false, at: 200, expected: "2.0"),  // tie on event time: latest created wins
        PointInTimeCase(ttl: 0, cutoff: false, at: 399, expected: "2.0"),
        PointInTimeCase(ttl: 0, cutoff: false, at: 400, expected: "4.0"),
        PointInTimeCase(ttl: 0, cutoff: false, at: 10_000, expected: "4.0"),  // ttl 0: never expires
        PointInTimeCase(ttl: 0, cutoff: true, at: 200, expected: "1.0"),  // both 200-events created after the row
        PointInTimeCase(ttl: 0, cutoff: true, at: 300, expected: "3.0"),  // the backfill (created 500) is not yet known
        PointInTimeCase(ttl: 0, cutoff: true, at: 500, expected: "4.0"),
        PointInTimeCase(ttl: 150, cutoff: false, at: 300, expected: "2.0"),  // 200 ≥ 300 − 150
        PointInTimeCase(ttl: 150, cutoff: false, at: 350, expected: "2.0"),  // exactly at the TTL edge: included
        PointInTimeCase(ttl: 150, cutoff: false, at: 351, expected: ""),  // just past it
        PointInTimeCase(ttl: 150, cutoff: false, at: 10_000, expected: ""),
    ])
func pointInTimeJoinPicksTheRightObservation(_ backend: StoreBackend, _ example: PointInTimeCase) async throws {
    guard backend.runs else { return print(TestPostgres.skipMessage) }
    let (store, catalog) = try await scoredStore(
        backend, ttl: example.ttl, cutoff: example.cutoff, ratingTimes: [("u", example.at)])
    let (rows, result) = try await build(store, catalog, "scores")
    #expect(rows.first == ["user", "film", "rating", "event_time", "score"])
    #expect(rows.count == 2)
    #expect(rows[1][4] == example.expected)
    #expect(result.version.rowCount == 1)
}

@Test(arguments: StoreBackend.allCases)
func everyEntityRowIsKeptDuplicatesIncluded(_ backend: StoreBackend) async throws {
    guard backend.runs else { return print(TestPostgres.skipMessage) }
    let (store, catalog) = try await scoredStore(
        backend, ttl: 0, cutoff: false, ratingTimes: [("a", 10), ("b", 300), ("c", 300), ("a", 300)])
    let (rows, _) = try await build(store, catalog, "scores")
    #expect(
        rows.dropFirst().map { [$0[0], $0[3], $0[4]] } == [
            ["test:a", "1970-01-01T00:00:10Z", ""],
            ["test:a", "1970-01-01T00:05:00Z", "2.0"],
            ["test:b", "1970-01-01T00:05:00Z", "2.0"],
            ["test:c", "1970-01-01T00:05:00Z", "2.0"],
        ])
}

@Test(arguments: StoreBackend.allCases)
func asOfIgnoresWhatWasLearntLater(_ backend: StoreBackend) async throws {
    guard backend.runs else { return print(TestPostgres.skipMessage) }
    let (store, catalog) = try await scoredStore(backend, ttl: 0, cutoff: false, ratingTimes: [("u", 250)])
    // As of t=450 s the backfill (created 500 s) and the ratings (created 1,500 s) were unknown.
    let (early, _) = try await build(store, catalog, "scores", asOf: 450 * second)
    #expect(early.count == 1)
    let (late, _) = try await build(store, catalog, "scores", asOf: 2_000 * second)
    #expect(late[1][4] == "2.0")
}

/// The naive reference: for each row, scan every observation.
private func reference(
    observations: [(film: Int, event: Int64, created: Int64, value: Int, id: Int)], row: (film: Int, at: Int64),
    ttl: Int64, cutoff: Bool
) -> String {
    let candidates = observations.filter {
        $0.film == row.film && $0.event <= row.at && (ttl == 0 || $0.event >= row.at - ttl)
            && (!cutoff || $0.created <= row.at)
    }
    let best = candidates.max { ($0.event, $0.created, $0.id) < ($1.event, $1.created, $1.id) }
    return best.map { "\($0.value)" } ?? ""
}

/// (120 random histories on SQLite; 12 on PostgreSQL, where each is a new database and every
/// observation its own transaction — PostgresDatasetTests compares the two joins on more.)
@Test(arguments: StoreBackend.allCases)
func sqlJoinEqualsANaiveReferenceOnRandomHistories(_ backend: StoreBackend) async {
    guard backend.runs else { return print(TestPostgres.skipMessage) }
    await propertyCheck(
        count: backend == .sqlite ? 120 : 12, input: Gen.int(in: 0...Int.max),
        Gen.element(of: [Int64(0), 3, 7]).compactMap { $0 }, Gen.bool
    ) { seed, ttl, cutoff in
        var draws = SeededDraws(seed: seed)
        func next(_ bound: Int) -> Int { draws.next(bound) }
        guard let store = try? await backend.make() else {
            Issue.record("no store")
            return
        }
        let clock = store.clock
        var observations: [(film: Int, event: Int64, created: Int64, value: Int, id: Int)] = []
        for index in 0..<next(12) {
            let film = next(3)
            let event = Int64(next(20))
            let created = Int64(next(25))
            clock.advance(by: Double(created) - clock.now().timeIntervalSince1970)
            _ = try? await store.observe(
                EntityKey("t", "f\(film)"), kind: .film, feature: "v", value: index, eventTimestamp: event * second,
                source: "s")
            observations.append((film, event, created, index, index + 1))
        }
        clock.advance(by: 100)
        var rows: [(film: Int, at: Int64)] = []
        for index in 0..<(1 + next(8)) {
            let row = (film: next(3), at: Int64(next(25)))
            _ = try? await store.rate(
                user: EntityKey("t", "u\(index)"), film: EntityKey("t", "f\(row.film)"), rating: 1,
                eventTimestamp: row.at * second, source: "s")
            rows.append(row)
        }
        let view = FeatureView(
            name: "facts", entity: .film, ttlSeconds: ttl, features: [FeatureDefinition(name: "v", type: .int)])
        let catalog = FeatureCatalog(
            views: [view], datasets: [DatasetSpec(name: "d", features: ["facts.v"], createdCutoff: cutoff)])
        guard let (built, _) = try? await build(store, catalog, "d") else {
            Issue.record("build failed")
            return
        }
        // Output order is (time, user, film, row id); users are u0, u1, … in row order.
        let expected = rows.enumerated().sorted {
            ($0.element.at, "t:u\($0.offset)") < ($1.element.at, "t:u\($1.offset)")
        }
        .map { reference(observations: observations, row: $0.element, ttl: ttl, cutoff: cutoff) }
        #expect(built.dropFirst().map { $0[4] } == expected)
    }
}
