import Foundation
import GRDB
import MarqueeCore
import MarqueeStore
import MarqueeTestKit
import Testing

@testable import MarqueePostgres

/// The point-in-time join inside PostgreSQL equals SQLite's merge on random histories: the same
/// bytes and the same version id, for every TTL, with and without the created cut-off and an
/// as-of time — built on a copy of the very same store.
@Test(arguments: 0..<16)
func postgresJoinEqualsSQLiteOnRandomHistories(_ seed: Int) async throws {
    guard TestPostgres.runs else { return print(TestPostgres.skipMessage) }
    var draws = SeededDraws(seed: seed * 7_919 + 1)
    func next(_ bound: Int) -> Int { draws.next(bound) }
    let folder = try makeScratchFolder("pg-join")
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("s.sqlite").path
    let clock = ManualClock(Date(timeIntervalSince1970: 0))
    let store = try FeatureStore(path: path, clock: clock)
    let second: Int64 = 1_000_000
    for index in 0..<next(30) {
        clock.advance(by: Double(next(25)) - clock.now().timeIntervalSince1970)
        // Integers, doubles and text, so the values' types travel too.
        let value: DatabaseValue =
            switch index % 3 {
            case 0: index.databaseValue
            case 1: (Double(index) / 7).databaseValue
            default: "v,\"\(index)\"\n".databaseValue
            }
        _ = try store.observe(
            EntityKey("t", "f\(next(4))"), kind: .film, feature: index % 2 == 0 ? "a" : "b", value: value,
            eventTimestamp: Int64(next(20)) * second, source: "s\(next(2))")
    }
    clock.advance(by: 100)
    for index in 0..<(1 + next(20)) {
        _ = try store.rate(
            user: EntityKey("t", "u\(next(5))"), film: EntityKey("t", "f\(next(4))"), rating: Double(1 + index % 5) / 2,
            eventTimestamp: Int64(next(25)) * second, source: "s")
    }
    let ttl = [Int64(0), 3, 7][next(3)]
    let view = FeatureView(
        name: "facts", entity: .film, ttlSeconds: ttl,
        features: [FeatureDefinition(name: "a", type: .text), FeatureDefinition(name: "b", type: .text)])
    let catalog = FeatureCatalog(
        views: [view], datasets: [DatasetSpec(name: "d", features: ["facts.a", "facts.b"], createdCutoff: next(2) == 1)])
    let asOf: Int64? = next(3) == 0 ? Int64(next(25)) * second : nil
    let local = folder.appendingPathComponent("local.csv")
    let sqlite = try store.buildDataset("d", catalog: catalog, asOf: asOf, output: local)

    let (_, backend) = try await makeTestDatabase("join")
    // The copy carries the version SQLite recorded; PostgreSQL's build must find it already there.
    _ = try await StoreCopy.sqliteToPostgres(from: path, to: backend, logger: quietLogger)
    let remote = folder.appendingPathComponent("remote.csv")
    let postgres = try await PostgresDatasets.build(
        "d", catalog: catalog, asOf: asOf, output: remote, backend: backend, clock: clock)
    #expect(try Data(contentsOf: remote) == Data(contentsOf: local), "seed \(seed): the files differ")
    #expect(postgres.version.id == sqlite.version.id && postgres.version.contentSHA256 == sqlite.version.contentSHA256)
    #expect(postgres.isNew == false, "the copied version was not recognised")
    #expect(postgres.version.rowCount == sqlite.version.rowCount)
}
