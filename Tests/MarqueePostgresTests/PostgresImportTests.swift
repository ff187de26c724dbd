import Foundation
import GRDB
import MarqueeCore
import MarqueeStore
import MarqueeTestKit
import Testing

@testable import MarqueePostgres

private let mini = SharedData.fixtures.appendingPathComponent("movielens-mini")
private let shippedCatalog = SharedData.repositoryRoot.appendingPathComponent("features")
private let storeTables = ["entities", "entity_keys", "observations", "online"]

/// The store's tables, digested as `store copy` verifies them.
private func digests(ofSQLite path: String) throws -> [String: String] {
    let queue = try DatabaseQueue(path: path)
    return try queue.read { db in
        try Dictionary(
            uniqueKeysWithValues: storeTables.map { name in
                (name, StoreValueHasher.digest(try StoreValue.rows(of: StoreTables.named(name), in: db)))
            })
    }
}

private func digests(of backend: PostgresBackend) async throws -> [String: String] {
    var result: [String: String] = [:]
    for name in storeTables {
        result[name] = try await PostgresStoreSchema.digest(StoreTables.named(name), in: backend).sha256
    }
    return result
}

/// A store that scraped two films before MovieLens arrived: one by its IMDb id (MovieLens adopts
/// it), one by a Letterboxd slug that later learns an IMDb id — the same state on both sides.
private func scrapedFirst(_ folder: URL, clock: ManualClock) async throws -> (path: String, backend: PostgresBackend) {
    let path = folder.appendingPathComponent("store.sqlite").path
    let store = try FeatureStore(path: path, clock: clock)
    _ = try store.observe(
        EntityKey("imdb", "tt0116922"), kind: .film, feature: "runtime_minutes", value: 134, eventTimestamp: 5,
        source: "imdb")
    _ = try store.observe(
        EntityKey("letterboxd", "mulholland-drive"), kind: .film, feature: "title", value: "Mulholland Drive",
        eventTimestamp: 5, source: "letterboxd")
    let (_, backend) = try await makeTestDatabase("import")
    _ = try await StoreCopy.sqliteToPostgres(from: path, to: backend, logger: quietLogger)
    return (path, backend)
}

/// A MovieLens import into PostgreSQL writes exactly what the SQLite import writes — ids,
/// adopted and renamed entities, keys, observations, the online table — counts the same, adds
/// nothing the second time, and the ratings datasets built from the two stores are identical.
@Test func movieLensImportOnPostgresEqualsSQLite() async throws {
    guard TestPostgres.runs else { return print(TestPostgres.skipMessage) }
    let folder = try makeScratchFolder("pg-import")
    defer { try? FileManager.default.removeItem(at: folder) }
    let clock = ManualClock(Date(timeIntervalSince1970: 1_700_000_000))
    let (path, backend) = try await scrapedFirst(folder, clock: clock)
    clock.advance(by: 60)
    let local = try FeatureStore(path: path, clock: clock).importMovieLens(directory: mini)
    let remote = try await PostgresImport.movieLens(directory: mini, into: backend, clock: clock)
    #expect(remote == local)
    #expect(local.ratings == 11 && local.tags == 2 && local.films == 4)
    #expect(try await digests(of: backend) == digests(ofSQLite: path))

    clock.advance(by: 60)
    let again = try await PostgresImport.movieLens(directory: mini, into: backend, clock: clock)
    #expect(again == MovieLensImportSummary())
    #expect(try await digests(of: backend) == digests(ofSQLite: path))

    let catalog = try FeatureCatalog.load(directory: shippedCatalog)
    for name in ["ratings", "ratings_enriched"] {
        let sqliteFile = folder.appendingPathComponent("\(name)-sqlite.csv")
        let postgresFile = folder.appendingPathComponent("\(name)-postgres.csv")
        let sqlite = try FeatureStore(path: path, clock: clock).buildDataset(name, catalog: catalog, output: sqliteFile)
        let postgres = try await PostgresDatasets.build(
            name, catalog: catalog, output: postgresFile, backend: backend, clock: clock)
        #expect(try Data(contentsOf: postgresFile) == Data(contentsOf: sqliteFile), "\(name): the files differ")
        #expect(postgres.version.id == sqlite.version.id)
        #expect(sqlite.version.rowCount > 0)
    }
}

/// A malformed row stops the import with its file and line; PostgreSQL keeps what it held.
@Test func aMalformedRowWritesNothingIntoPostgres() async throws {
    guard TestPostgres.runs else { return print(TestPostgres.skipMessage) }
    let folder = try makeScratchFolder("pg-import-bad")
    defer { try? FileManager.default.removeItem(at: folder) }
    let clock = ManualClock(Date(timeIntervalSince1970: 1_700_000_000))
    let (_, backend) = try await scrapedFirst(folder, clock: clock)
    let before = try await digests(of: backend)
    let bad = folder.appendingPathComponent("bad")
    try FileManager.default.copyItem(at: mini, to: bad)
    let ratings = bad.appendingPathComponent("ratings.csv")
    try (String(contentsOf: ratings, encoding: .utf8) + "9,1,six,964982703\n").write(
        to: ratings, atomically: true, encoding: .utf8)
    let error = await #expect(throws: MarqueeError.self) {
        try await PostgresImport.movieLens(directory: bad, into: backend, clock: clock)
    }
    #expect(error?.code == .dataError)
    #expect(error?.location == "\(ratings.path):13")
    #expect(try await digests(of: backend) == before)
}

/// Two imports at once take turns (the advisory lock): the second finds everything there, and
/// the store holds each rating once.
@Test func concurrentImportsIntoOneStoreTakeTurns() async throws {
    guard TestPostgres.runs else { return print(TestPostgres.skipMessage) }
    let (_, backend) = try await makeTestDatabase("import_race")
    async let first = PostgresImport.movieLens(directory: mini, into: backend)
    async let second = PostgresImport.movieLens(directory: mini, into: backend)
    let summaries = try await [first, second]
    #expect(summaries.map(\.ratings).sorted() == [0, 11])
    #expect(summaries.map(\.films).sorted() == [0, 5])
    let stored = try await PostgresStoreSchema.digest(StoreTables.named("observations"), in: backend).rows
    #expect(stored == 11 + 2 + summaries.map(\.filmFacts).reduce(0, +))
}
