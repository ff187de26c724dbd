import Foundation
import MarqueeCore
import MarqueeTestKit
import Testing

@Test func parseMatrixPrintsTheFilmRecord() throws {
    guard let root = SharedData.realPages else {
        print(SharedData.skipMessage("realpages"))
        return
    }
    let result = try runMarquee([
        "parse", root.appendingPathComponent("imdb/title_tt0133093_the-matrix_2023.html").path, "--url",
        "https://www.imdb.com/title/tt0133093/",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let record = try JSONParser().parse(result.stdout.split(whereSeparator: \.isNewline)[0].description).value
    #expect(record["type"] == .string("film"))
    #expect(record["title"] == .string("The Matrix"))
    #expect(record["year"] == .number(1999))
    #expect(record["runtime_minutes"] == .number(136))
    #expect(record["directors"] == .array([.string("Lana Wachowski"), .string("Lilly Wachowski")]))
    #expect(record["rating"]?["scale"] == .number(10))
    #expect(record["rating"]?["value"] == .number(8.7))
    #expect(record["rating"]?["count"] == .number(1_956_171))
}

@Test func parseOfAnUnknownPageExits65NamingWhatWasTried() throws {
    let result = try runMarquee([
        "parse", "fixtures/letterboxd/film/alien.html", "--url", "https://example.org/nothing/",
    ])
    #expect(result.status == 65)
    #expect(result.stderr.contains("no site spec lists host example.org"))
}

@Test func sitesListsEveryPageKind() throws {
    let result = try runMarquee(["sites"])
    #expect(result.status == 0)
    for kind in ["title →", "diary →", "watchlist →", "movie →", "release →", "person →", "browse →"] {
        #expect(result.stdout.contains(kind), "\(kind)")
    }
}

@Test func scrapeReplaysLetterboxdFixturesOfflineIntoJSONLAndTheStore() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("marquee-scrape-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let common = [
        "scrape", "letterboxd", "--start", "https://letterboxd.com/marqueedemo/films/diary/", "--replay",
        "fixtures/letterboxd", "--pages", folder.appendingPathComponent("pages").path,
    ]
    let jsonl = folder.appendingPathComponent("records.jsonl")
    let first = try runMarquee(
        common + ["--frontier", folder.appendingPathComponent("a.sqlite").path, "--out", jsonl.path])
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stdout.contains("records: 8 (film 4, user_rating 4)"), "\(first.stdout)")
    #expect(first.stdout.contains("rejects: 0"))
    let lines = try String(contentsOf: jsonl, encoding: .utf8).split(whereSeparator: \.isNewline)
    #expect(lines.count == 8)
    // Diary page 2 came from the pagination link, the films from the diary's film links.
    #expect(lines.contains { $0.contains(#""source_url":"https://letterboxd.com/marqueedemo/films/diary/page/2/""#) })
    #expect(lines.contains { $0.contains(#""key":"imdb:tt0083658""#) })

    // The same crawl into the store: ratings under hashed users, film facts under IMDb keys.
    let store = folder.appendingPathComponent("store.sqlite").path
    let process = Process()
    process.executableURL = try marqueeBinary()
    process.arguments =
        common + ["--frontier", folder.appendingPathComponent("b.sqlite").path, "--store", store]
    process.currentDirectoryURL = SharedData.repositoryRoot
    process.environment = ProcessInfo.processInfo.environment.merging(["MARQUEE_USER_SALT": "test-salt"]) { $1 }
    process.standardOutput = Pipe()
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    let ratings = try runMarquee([
        "query", "--store", store, "--format", "csv", "SELECT COUNT(*) FROM observations WHERE feature = 'rating'",
    ])
    #expect(ratings.stdout.split(whereSeparator: \.isNewline).last == "3")
    let handles = try runMarquee([
        "query", "--store", store, "--format", "csv",
        "SELECT COUNT(*) FROM entity_keys WHERE value LIKE '%marqueedemo%'",
    ])
    #expect(handles.stdout.split(whereSeparator: \.isNewline).last == "0", "the handle itself is never stored")

    // reparse reads the stored pages again, with no network and no replay.
    let again = folder.appendingPathComponent("again.jsonl")
    let reparse = try runMarquee([
        "reparse", "--frontier", folder.appendingPathComponent("a.sqlite").path, "--pages",
        folder.appendingPathComponent("pages").path, "--out", again.path,
    ])
    #expect(reparse.status == 0, "\(reparse.stderr)")
    #expect(
        try String(contentsOf: again, encoding: .utf8).split(whereSeparator: \.isNewline).sorted() == lines.sorted())
}

@Test func aSecondRunOnTheSameFrontierExits75WhileTheFirstHoldsTheLock() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("marquee-lock-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let frontier = folder.appendingPathComponent("scrape.sqlite").path
    let arguments = [
        "scrape", "letterboxd", "--start", "https://letterboxd.com/marqueedemo/films/diary/", "--replay",
        "fixtures/letterboxd", "--frontier", frontier, "--pages", folder.appendingPathComponent("pages").path,
        "--out", folder.appendingPathComponent("records.jsonl").path,
    ]
    var held: RunLock? = try RunLock.acquire(frontier + ".lock", purpose: "the test")
    let refused = try runMarquee(arguments)
    #expect(refused.status == 75)
    #expect(refused.stderr.contains("another run holds the lock (pid \(getpid()), the test"), "\(refused.stderr)")
    #expect(refused.stderr.split(whereSeparator: \.isNewline).count == 1, "one line for cron mail")
    _ = held
    held = nil
    let allowed = try runMarquee(arguments)
    #expect(allowed.status == 0, "\(allowed.stderr)")
}
