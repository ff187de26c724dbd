import Foundation
import MarqueeTestKit
import Testing

/// A scratch store path for one test.
private func scratchStore() -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("marquee-cli-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder.appendingPathComponent("store.sqlite").path
}

@Test func importBuildAndRebuildFromTheCommandLine() throws {
    let store = scratchStore()
    let folder = (store as NSString).deletingLastPathComponent
    let imported = try runMarquee(["import", "movielens", "fixtures/movielens-mini", "--store", store])
    #expect(imported.status == 0, "\(imported.stderr)")
    #expect(imported.stdout.contains("11 ratings, 2 tags, 5 films"))

    let built = try runMarquee(["dataset", "build", "ratings", "--store", store, "--out", "\(folder)/r.csv"])
    #expect(built.status == 0, "\(built.stderr)")
    let id = try #require(
        built.stdout.split(separator: " ").dropFirst(3).first.map { $0.trimmingCharacters(in: [":"]) })
    let rebuilt = try runMarquee(["dataset", "rebuild", id, "--store", store, "--out", "\(folder)/again.csv"])
    #expect(rebuilt.status == 0, "\(rebuilt.stderr)")
    #expect(
        try Data(contentsOf: URL(fileURLWithPath: "\(folder)/again.csv"))
            == Data(contentsOf: URL(fileURLWithPath: "\(folder)/r.csv")))

    let shown = try runMarquee(["dataset", "show", id, "--store", store, "--format", "json"])
    #expect(shown.stdout.contains("\"row_count\" : 11"), "\(shown.stdout)")
    let text = try runMarquee(["dataset", "show", id, "--store", store])
    #expect(text.stdout.contains("rows            11"), "\(text.stdout)")
    let listed = try runMarquee(["dataset", "list", "--store", store])
    #expect(listed.stdout.hasPrefix(id))
}

@Test func queryPrintsRowsAndRefusesWrites() throws {
    let store = scratchStore()
    _ = try runMarquee(["import", "movielens", "fixtures/movielens-mini", "--store", store])
    let read = try runMarquee([
        "query", "SELECT COUNT(*) AS ratings FROM observations WHERE feature = 'rating'", "--store", store, "--format",
        "csv",
    ])
    #expect(read.stdout == "ratings\n11\n")
    let write = try runMarquee(["query", "DELETE FROM observations", "--store", store])
    #expect(write.status == 64)
    #expect(write.stderr.contains("refused"))
    let missing = try runMarquee(["query", "SELECT 1", "--store", "/nonexistent/store.sqlite"])
    #expect(missing.status == 66)
}

@Test func malformedImportExits65WithFileAndLine() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("marquee-bad-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try "movieId,title,genres\nx,Bad,Drama\n".write(
        to: folder.appendingPathComponent("movies.csv"), atomically: true, encoding: .utf8)
    try "userId,movieId,rating,timestamp\n".write(
        to: folder.appendingPathComponent("ratings.csv"), atomically: true, encoding: .utf8)
    let result = try runMarquee(["import", "movielens", folder.path, "--store", scratchStore()])
    #expect(result.status == 65)
    #expect(result.stderr.contains("movies.csv:2: field 1 \"x\" is not a whole number"))
}

@Test func featuresListDescribeAndMaterialize() throws {
    let store = scratchStore()
    _ = try runMarquee(["import", "movielens", "fixtures/movielens-mini", "--store", store])
    #expect(
        try runMarquee(["features", "list"]).stdout.contains("view film_facts (film, ttl forever): title, year, genres")
    )
    let described = try runMarquee(["features", "describe", "film_facts", "--store", store])
    #expect(described.stdout.contains("film_facts.year: 5/5 entities have a value (null share 0.000)"))
    #expect(try runMarquee(["features", "materialize", "--store", store]).status == 0)
}

@Test(
    .enabled(
        if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")
            || FileManager.default.isExecutableFile(atPath: "/usr/local/bin/python3"), "needs python3"))
func theStoreOpensWithoutMarquee() throws {
    let store = scratchStore()
    _ = try runMarquee(["import", "movielens", "fixtures/movielens-mini", "--store", store])
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
        "python3", "-c",
        """
        import sqlite3, sys
        con = sqlite3.connect(sys.argv[1])
        print(con.execute("SELECT COUNT(*) FROM observations o JOIN entities e ON e.id = o.object_id WHERE o.feature = 'rating' AND e.key = 'imdb:tt0116922'").fetchone()[0])
        """,
        store,
    ]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    process.waitUntilExit()
    #expect(String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) == "3\n")
}

/// A Rotten Tomatoes page has no IMDb id: the matcher merges it into MovieLens's Heat by title and
/// year, records why, and `entities show` lists every key, feature and source; `conflicts` is empty.
@Test func entitiesShowHowAPageWithoutAnIMDbIdWasResolved() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("marquee-ent-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = folder.appendingPathComponent("s.sqlite").path
    #expect(try runMarquee(["import", "movielens", "data/ml-latest-small", "--store", store]).status == 0)
    let scrape = try runMarquee([
        "scrape", "rottentomatoes", "--start", "https://www.rottentomatoes.com/m/heat_1995", "--replay",
        "fixtures/rottentomatoes", "--store", store, "--frontier", folder.appendingPathComponent("f.sqlite").path,
        "--pages", folder.appendingPathComponent("p").path,
    ])
    #expect(scrape.status == 0, "\(scrape.stderr)")
    let show = try runMarquee(["entities", "show", "rt:m/heat_1995", "--store", store])
    #expect(show.status == 0, "\(show.stderr)")
    #expect(show.stdout.contains("film imdb:tt0113277"), "\(show.stdout)")
    #expect(show.stdout.contains("keys: imdb:tt0113277, movielens:6, rt:m/heat_1995, tmdb:949"))
    #expect(show.stdout.contains("matched rt:m/heat_1995 by title and year"))
    #expect(show.stdout.contains("tomatometer") && show.stdout.contains("movielens, rottentomatoes"))
    let json = try runMarquee(["entities", "show", "movielens:6", "--store", store, "--format", "json"])
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    #expect(((object["entity"] as? [String: Any])?["key"] as? String) == "imdb:tt0113277")
    #expect(((object["matches"] as? [[String: Any]])?.first?["status"] as? String) == "matched")
    let conflicts = try runMarquee(["entities", "conflicts", "--store", store])
    #expect(conflicts.status == 0 && conflicts.stdout.contains("no conflicts"), "\(conflicts.stdout)")
    let unknown = try runMarquee(["entities", "show", "rt:m/nope", "--store", store])
    #expect(unknown.status == 65 && unknown.stderr.contains("no film has the key rt:m/nope"))
}
