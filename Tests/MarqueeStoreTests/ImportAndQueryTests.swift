import Foundation
import GRDB
import MarqueeCore
import MarqueeTestKit
import Testing

@testable import MarqueeStore

private let mini = SharedData.fixtures.appendingPathComponent("movielens-mini")

@Test(arguments: StoreBackend.allCases)
func miniImportCreatesEntitiesKeysAndIsIdempotent(_ backend: StoreBackend) async throws {
    guard backend.runs else { return print(TestPostgres.skipMessage) }
    let store = try await backend.make(at: 1_700_000_000)
    let first = try await store.importMovieLens(mini)
    #expect(first.ratings == 11)
    #expect(first.tags == 2)
    #expect(first.films == 5)
    #expect(first.users == 4)
    #expect(first.links == 10)
    let again = try await store.importMovieLens(mini)
    #expect(again == MovieLensImportSummary())
    let film = try #require(try await store.entity(.film, EntityKey("movielens", "1")))
    #expect(film.key == "imdb:tt0116922")
    #expect(try await store.entity(.film, EntityKey("tmdb", "638"))?.id == film.id)
    #expect(try await store.entity(.user, EntityKey("movielens", "1")) != nil)
    let facts = try await store.online(.film, EntityKey("imdb", "tt0053472"), features: ["title", "year", "genres"])
    #expect(
        facts.map(\.value) == [
            "Breathless (À bout de souffle)".databaseValue, 1960.databaseValue, "crime|drama|romance".databaseValue,
        ])
}

@Test(
    .enabled(if: SharedData.runs(SharedData.movieLensSmall != nil), "needs ../shared/movielens/ml-latest-small"),
    arguments: StoreBackend.allCases)
func realMovieLensImportMatchesTheDatasetCard(_ backend: StoreBackend) async throws {
    guard backend.runs else { return print(TestPostgres.skipMessage) }
    let store = try await backend.make(at: 1_700_000_000)
    let summary = try await store.importMovieLens(SharedData.movieLensSmall!)
    #expect(summary.ratings == 100_836)
    #expect(summary.users == 610)
    #expect(summary.films == 9_742)
    #expect(summary.tags == 3_683)
    #expect(try await store.importMovieLens(SharedData.movieLensSmall!) == MovieLensImportSummary())
}

@Test(arguments: StoreBackend.allCases)
func malformedRowsNameFileAndLineAndWriteNothing(_ backend: StoreBackend) async throws {
    guard backend.runs else { return print(TestPostgres.skipMessage) }
    let folder = scratchDirectory()
    for name in ["movies.csv", "links.csv"] {
        try FileManager.default.copyItem(at: mini.appendingPathComponent(name), to: folder.appendingPathComponent(name))
    }
    try "userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,2,five,964981247\n".write(
        to: folder.appendingPathComponent("ratings.csv"), atomically: true, encoding: .utf8)
    let store = try await backend.make()
    do {
        _ = try await store.importMovieLens(folder)
        Issue.record("imported a malformed rating")
    } catch {
        #expect(error.code == .dataError)
        #expect(error.location == folder.appendingPathComponent("ratings.csv").path + ":3")
        #expect(error.message.contains("\"five\""))
    }
    // Nothing written: not the film nor the user of the good first row, nor its rating.
    #expect(try await store.entity(.film, EntityKey("movielens", "1")) == nil)
    #expect(try await store.entity(.user, EntityKey("movielens", "1")) == nil)
    _ = try await store.importMovieLens(mini)
    #expect(try await store.importMovieLens(mini) == MovieLensImportSummary())
}

@Test(arguments: StoreBackend.allCases)
func onlineTableKeepsTheNewestEventEvenAgainstALateBackfill(_ backend: StoreBackend) async throws {
    guard backend.runs else { return print(TestPostgres.skipMessage) }
    let store = try await backend.make(at: 1_000)
    let clock = store.clock
    let film = EntityKey("imdb", "tt1")
    try await store.observe(
        film, kind: .film, feature: "imdb_rating", value: 8.1, eventTimestamp: 900 * second, source: "imdb")
    clock.advance(by: 100)
    try await store.observe(
        film, kind: .film, feature: "imdb_rating", value: 7.0, eventTimestamp: 100 * second, source: "backfill")
    var value = try #require(try await store.online(.film, film, features: ["imdb_rating"]).first)
    #expect(value.value == 8.1.databaseValue)
    #expect(!value.stale)
    clock.advance(by: 1_000)
    value = try #require(try await store.online(.film, film, features: ["imdb_rating"], ttlSeconds: 500).first)
    #expect(value.stale)
    try await store.observe(
        film, kind: .film, feature: "imdb_rating", value: 8.2, eventTimestamp: 2_000 * second, source: "imdb")
    #expect(try await store.online(.film, film, features: ["imdb_rating"]).first?.value == 8.2.databaseValue)
    // The history is kept: a rating at 1,500 s sees the value true then (8.1), not the online one.
    try await store.rate(
        user: EntityKey("t", "u"), film: film, rating: 3, eventTimestamp: 1_500 * second, source: "t")
    let view = FeatureView(
        name: "scores", entity: .film, ttlSeconds: 0, features: [FeatureDefinition(name: "imdb_rating", type: .real)])
    let catalog = FeatureCatalog(views: [view], datasets: [DatasetSpec(name: "d", features: ["scores.imdb_rating"])])
    let (rows, _) = try await build(store, catalog, "d")
    #expect(rows.dropFirst().map { $0[4] } == ["8.1"])
}

@Test(arguments: [
    "DELETE FROM observations", "INSERT INTO entities (kind, key, created_ts_us) VALUES ('film', 'x', 0)",
    "UPDATE observations SET value = 0", "DROP TABLE observations", "ATTACH DATABASE '/tmp/x.sqlite' AS x",
    "SELECT 1; DELETE FROM observations", "PRAGMA foreign_keys = OFF", "PRAGMA journal_mode = DELETE",
    "CREATE TABLE t (x)", "BEGIN", "VACUUM", "REINDEX", "ANALYZE",
])
func queryRefusesAnythingButReading(sql: String) throws {
    let path = scratchDirectory().appendingPathComponent("store.sqlite").path
    let store = try FeatureStore(path: path)
    _ = try store.importMovieLens(directory: mini)
    do {
        _ = try ReadOnlyQuery.run(sql, storePath: path)
        Issue.record("ran \(sql)")
    } catch {
        #expect(error.code == .usage)
        #expect(error.message.hasPrefix("refused") || error.message.hasPrefix("SQL error"), "\(error)")
    }
    #expect(
        try store.writer.read {
            try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM observations WHERE feature = 'rating'")
        } == 11)
}

@Test func queryReadsAndRendersResults() throws {
    let path = scratchDirectory().appendingPathComponent("store.sqlite").path
    _ = try FeatureStore(path: path).importMovieLens(directory: mini)
    let result = try ReadOnlyQuery.run(
        "SELECT e.key, COUNT(*) AS n FROM observations o JOIN entities e ON e.id = o.object_id WHERE o.feature = 'rating' GROUP BY e.key ORDER BY n DESC, e.key LIMIT 2",
        storePath: path)
    #expect(result.columns == ["key", "n"])
    #expect(QueryOutput.render(result, format: "csv") == "key,n\nimdb:tt0116922,3\nimdb:tt0166924,3\n")
    #expect(
        QueryOutput.render(result, format: "json")
            == #"[{"key":"imdb:tt0116922","n":3},{"key":"imdb:tt0166924","n":3}]"# + "\n")
    #expect(try ReadOnlyQuery.run("PRAGMA table_info(observations)", storePath: path).rows.count == 9)
}

@Test func userHandlesAreStoredAsSaltedHashes() throws {
    let key = EntityKey.hashedUser(site: "letterboxd", handle: "Hyumiguel", salt: "s3cret")
    #expect(key.namespace == "letterboxd-user")
    #expect(key == EntityKey.hashedUser(site: "letterboxd", handle: "hyumiguel", salt: "s3cret"))
    #expect(key != EntityKey.hashedUser(site: "letterboxd", handle: "hyumiguel", salt: "other"))
    #expect(!key.value.contains("hyumiguel"))
    #expect(key.value.count == 64)
    // RFC 4231 test case 2.
    #expect(
        Hashing.hmacSHA256(key: "Jefe", message: "what do ya want for nothing?")
            == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
}

/// A store that cannot be written (a read-only folder: SQLite's -wal and -shm cannot be made)
/// is a permission error with a safe fix — never "remove the file".
@Test func aReadOnlyStoreIsAPermissionErrorNeverAdviceToDeleteIt() {
    let readOnly = FeatureStore.openError(
        DatabaseError(resultCode: .SQLITE_READONLY, message: "attempt to write a readonly database"),
        path: "/srv/store.sqlite")
    #expect(readOnly.code == .noPermission)
    #expect(!readOnly.description.contains("remove"))
    let notADatabase = FeatureStore.openError(
        DatabaseError(resultCode: .SQLITE_NOTADB, message: "file is not a database"), path: "/tmp/x.sqlite")
    #expect(notADatabase.code == .dataError && !notADatabase.description.contains("remove"))
}

/// A film first seen by a weaker key (a Letterboxd slug, from its ratings fragment) takes its
/// IMDb id as its key when the film page arrives, so datasets name it the same whatever the
/// order pages came in.
@Test(arguments: StoreBackend.allCases)
func anEntityTakesTheBestKeyWhicheverArrivesFirst(_ backend: StoreBackend) async throws {
    guard backend.runs else { return print(TestPostgres.skipMessage) }
    let store = try await backend.make()
    try await store.observe(
        EntityKey("letterboxd", "the-thing"), kind: .film, feature: "letterboxd_rating", value: 0.85,
        eventTimestamp: 1, source: "letterboxd")
    #expect(try await store.entity(.film, EntityKey("letterboxd", "the-thing"))?.key == "letterboxd:the-thing")
    try await store.observe(
        EntityKey("imdb", "tt0084787"), kind: .film, feature: "title", value: "The Thing", eventTimestamp: 0,
        source: "letterboxd", otherKeys: [EntityKey("letterboxd", "the-thing")])
    let entity = try #require(try await store.entity(.film, EntityKey("letterboxd", "the-thing")))
    #expect(entity.key == "imdb:tt0084787")
    #expect(try await store.entity(.film, EntityKey("imdb", "tt0084787"))?.id == entity.id)
}

/// Reading a file a chunk at a time gives the rows and line numbers of reading it whole, for
/// every chunk size down to one byte: quoted commas, doubled quotes, line breaks inside quotes,
/// CRLF, a byte-order mark, an empty quoted field at a chunk's end, no final line break.
@Test func chunkedCSVReadingEqualsTheWholeFile() throws {
    let text = "\u{FEFF}a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\n2,\"two\nlines\",3\r\n3,\"\",z\n\n4,é,\"\"\n5,last,row"
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("marquee-csv-\(UUID().uuidString).csv")
    try Data(text.utf8).write(to: url)
    defer { try? FileManager.default.removeItem(at: url) }
    let whole = CSVReader(data: Data(text.utf8)).map { "\($0.line):\($0.fields)" }
    #expect(whole.count == 7)
    for size in [1, 2, 3, 5, 8, 13, 64, 1 << 20] {
        var rows: [String] = []
        try CSVReader.forEachRow(inFile: url, chunkSize: size) { rows.append("\($0.line):\($0.fields)") }
        #expect(rows == whole, "chunk size \(size)")
    }
}
