import Foundation
import MarqueeCore
import MarqueeTestKit
import Synchronization
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
    #expect(first.stdout.contains("records: 9 (film 4, rating_summary 1, user_rating 4)"), "\(first.stdout)")
    #expect(first.stdout.contains("rejects: 0"))
    let lines = try String(contentsOf: jsonl, encoding: .utf8).split(whereSeparator: \.isNewline)
    #expect(lines.count == 9)
    // The Thing's film page links its ratings fragment, which the scrape followed.
    #expect(lines.contains { $0.contains(#""type":"rating_summary""#) && $0.contains(#""count":890959"#) })
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
    // Extracting several pages at once writes the same file, in the same order, as one at a time.
    var outputs: [String] = []
    for jobs in ["1", "3"] {
        let out = folder.appendingPathComponent("jobs-\(jobs).jsonl")
        let run = try runMarquee([
            "reparse", "--frontier", folder.appendingPathComponent("a.sqlite").path, "--pages",
            folder.appendingPathComponent("pages").path, "--out", out.path, "--jobs", jobs,
        ])
        #expect(run.status == 0, "\(run.stderr)")
        outputs.append(try String(contentsOf: out, encoding: .utf8))
    }
    #expect(outputs[0] == outputs[1])
    #expect(outputs[0].split(whereSeparator: \.isNewline).count == lines.count)
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

/// A loopback "site" spec: pages /p/N with a title and links to /p/2N+1 and /p/2N+2.
private let loopSpec = """
    site = "loop"
    hosts = ["127.0.0.1"]
    rate = { requests_per_second = 1000, concurrency = 8 }

    [[page]]
    kind = "page"
    record = "film"
    url = '^http://127\\.0\\.0\\.1:\\d+/p/(?<id>\\d+)$'

    [page.fields.site_id]
    rules = [{ url = "id" }]
    required = true

    [page.fields.title]
    rules = [{ css = "h1::text" }]
    required = true

    [[page.links]]
    name = "next"
    css = "a::attr(href)"
    """

@Test func scrapeKilledMidwayResumesWithoutRefetchingFinishedPages() throws {
    let pages = 1_500
    let counts = Mutex<[String: Int]>([:])
    let server = try LoopbackServer { path in
        counts.withLock { $0[path, default: 0] += 1 }
        guard path.hasPrefix("/p/"), let number = Int(path.dropFirst(3)), number < pages else {
            return .response(404, "Not Found")
        }
        let links = [2 * number + 1, 2 * number + 2].filter { $0 < pages }.map { "<a href=\"/p/\($0)\">\($0)</a>" }
        let body = "<html><body><h1>Film \(number)</h1>\(links.joined())</body></html>"
        return .response(200, headers: [("Content-Type", "text/html")], body: Data(body.utf8))
    }
    defer { server.stop() }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
        "marquee-scrapekill-\(UUID().uuidString)")
    try FileManager.default.createDirectory(
        at: folder.appendingPathComponent("scrapers"), withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    try loopSpec.write(to: folder.appendingPathComponent("scrapers/loop.toml"), atomically: true, encoding: .utf8)
    let records = folder.appendingPathComponent("records.jsonl")
    let arguments = [
        "scrape", "loop", "--scrapers", folder.appendingPathComponent("scrapers").path, "--start", "\(server.base)/p/0",
        "--depth", "20", "--frontier", folder.appendingPathComponent("scrape.sqlite").path, "--pages",
        folder.appendingPathComponent("pages").path, "--out", records.path, "--allow-private", "--ignore-robots",
    ]
    func served() -> Int { counts.withLock { $0.keys.filter { $0.hasPrefix("/p/") }.count } }
    let (process, _) = try startMarquee(arguments)
    while process.isRunning, served() < 400 { usleep(500) }
    let killed = process.isRunning
    if killed { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
    #expect(killed, "the scrape finished before the kill")

    let final = try runMarquee(arguments)
    #expect(final.status == 0, "\(final.stderr)")
    let fetched = counts.withLock { $0.filter { $0.key.hasPrefix("/p/") } }
    #expect(fetched.count == pages)
    // Only pages in flight at the kill (at most the concurrency) are fetched twice.
    #expect(fetched.values.reduce(0) { $0 + $1 - 1 } <= 16)
    let lines = try String(contentsOf: records, encoding: .utf8).split(whereSeparator: \.isNewline)
    let ids = Set(lines.compactMap { line in (try? JSONParser().parse(String(line)).value)?["site_id"]?.stringValue })
    #expect(ids.count == pages, "every page's record is in the appended file")
    #expect(lines.count - pages <= 16, "duplicates only for pages in flight at the kill")
}

/// Scrape a replayed crawl into a store, then reparse it twice: nothing is added and every
/// event time stays the page's recorded fetch time (2026-11-20T12:00:00Z in the fixtures' meta)
/// or the date the page states (a diary's rating dates), never the time of the reparse.
@Test func reparseKeepsEventTimesAndAddsNothing() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("marquee-times-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = folder.appendingPathComponent("store.sqlite").path
    let state = [
        "--frontier", folder.appendingPathComponent("f.sqlite").path, "--pages", folder.appendingPathComponent("p").path,
    ]
    let salt = ["MARQUEE_USER_SALT": "test-salt"]
    let scrape = try runMarquee(
        [
            "scrape", "letterboxd", "--start", "https://letterboxd.com/marqueedemo/films/diary/", "--replay",
            "fixtures/letterboxd", "--store", store,
        ] + state, environment: salt)
    #expect(scrape.status == 0, "\(scrape.stderr)")
    func observations() throws -> [String] {
        try runMarquee(
            [
                "query", "--store", store, "--format", "csv",
                "SELECT entity_id, feature, object_id, value, event_ts_us FROM observations ORDER BY 1, 2, 3, 5, 4",
            ], environment: salt
        ).stdout.split(whereSeparator: \.isNewline).dropFirst().map(String.init)
    }
    let before = try observations()
    #expect(before.count > 10)
    let fetched = "1795176000000000"  // 2026-11-20T12:00:00Z
    let scores = before.filter { $0.contains(",letterboxd_rating,") }
    #expect(!scores.isEmpty && scores.allSatisfy { $0.hasSuffix(",\(fetched)") }, "\(scores)")
    let ratings = before.filter { $0.contains(",rating,") }
    #expect(!ratings.isEmpty && ratings.allSatisfy { !$0.hasSuffix(",\(fetched)") }, "rated on the diary's dates")
    for _ in 0..<2 {
        let reparse = try runMarquee(["reparse", "--store", store] + state, environment: salt)
        #expect(reparse.status == 0, "\(reparse.stderr)")
        #expect(reparse.stdout.contains("0 observations stored"), "\(reparse.stdout)")
        #expect(try observations() == before)
    }
}

@Test func scrapingUserRatingsIntoAStoreWithoutASaltExits78UnlessTheyAreSkipped() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("marquee-salt-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let arguments = [
        "scrape", "letterboxd", "--start", "https://letterboxd.com/marqueedemo/films/diary/", "--replay",
        "fixtures/letterboxd", "--store", folder.appendingPathComponent("s.sqlite").path, "--frontier",
        folder.appendingPathComponent("f.sqlite").path, "--pages", folder.appendingPathComponent("p").path,
    ]
    let refused = try runMarquee(arguments, environment: [:])
    #expect(refused.status == 78, "\(refused.stdout) \(refused.stderr)")
    #expect(refused.stderr.contains("MARQUEE_USER_SALT") && refused.stderr.contains("--no-user-ratings"))
    #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("f.sqlite").path), "nothing ran")
    let skipped = try runMarquee(arguments + ["--no-user-ratings"], environment: [:])
    #expect(skipped.status == 0, "\(skipped.stderr)")
    #expect(skipped.stdout.contains("user ratings skipped (--no-user-ratings): 4"), "\(skipped.stdout)")
    // JSON Lines output keeps handles as the page shows them: no salt needed.
    let jsonl = try runMarquee(
        Array(arguments.prefix(6)) + [
            "--out", folder.appendingPathComponent("r.jsonl").path, "--frontier",
            folder.appendingPathComponent("g.sqlite").path, "--pages", folder.appendingPathComponent("q").path,
        ], environment: [:])
    #expect(jsonl.status == 0, "\(jsonl.stderr)")
}

/// Drift monitors: a clean scrape exits 0 and records its coverage; a spec change that breaks
/// the directors rules of Letterboxd film pages (threshold 90 %) makes `reparse` exit 65 naming
/// the field, its fill rate and the threshold; `monitor report` shows the previous run beside it.
@Test func aBrokenSelectorMakesReparseAlarmWithFieldRateAndThreshold() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("marquee-drift-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let specs = folder.appendingPathComponent("scrapers")
    try FileManager.default.copyItem(at: SharedData.repositoryRoot.appendingPathComponent("scrapers"), to: specs)
    let letterboxd = specs.appendingPathComponent("letterboxd.toml")
    let text = try String(contentsOf: letterboxd, encoding: .utf8)
    let field = "[page.fields.directors]\nrules = [\n"
    #expect(text.contains(field))
    try text.replacingOccurrences(of: field, with: "[page.fields.directors]\nmin_coverage = 0.9\nrules = [\n")
        .write(to: letterboxd, atomically: true, encoding: .utf8)
    let store = folder.appendingPathComponent("s.sqlite").path
    let state = [
        "--frontier", folder.appendingPathComponent("f.sqlite").path, "--pages", folder.appendingPathComponent("p").path,
        "--store", store, "--scrapers", specs.path,
    ]
    let salt = ["MARQUEE_USER_SALT": "test-salt"]
    let clean = try runMarquee(
        ["scrape", "letterboxd", "--start", "https://letterboxd.com/marqueedemo/films/diary/", "--replay",
         "fixtures/letterboxd"] + state, environment: salt)
    #expect(clean.status == 0, "\(clean.stdout) \(clean.stderr)")
    #expect(clean.stdout.contains("no alarm"))

    // The layout "changed": every directors rule now misses.
    let broken = try String(contentsOf: letterboxd, encoding: .utf8)
        .replacingOccurrences(of: #"{ jsonld = "director.name" }"#, with: #"{ jsonld = "directorz.name" }"#)
        .replacingOccurrences(of: "a.contributor span::text", with: "a.nobody span::text")
        .replacingOccurrences(of: "a[href*='/director/'] span::text", with: "a[href*='/nobody/'] span::text")
    try broken.write(to: letterboxd, atomically: true, encoding: .utf8)
    let reparse = try runMarquee(["reparse"] + state, environment: salt)
    #expect(reparse.status == 65, "\(reparse.stdout) \(reparse.stderr)")
    let expected = "letterboxd film directors: filled on 0 % of records, below its threshold 90 %"
    #expect(reparse.stdout.contains("ALARM " + expected), "\(reparse.stdout)")
    #expect(reparse.stderr.contains("layout drift") && reparse.stderr.contains(expected), "\(reparse.stderr)")

    let report = try runMarquee(["monitor", "report", "--store", store])
    let line = report.stdout.split(whereSeparator: \.isNewline).first { $0.contains("film ") && $0.contains("directors") }
    #expect(line?.contains("0.0%") == true && line?.contains("90.0%") == true && line?.contains("100.0%") == true
        && line?.hasSuffix("ALARM") == true, "\(report.stdout)")
    let json = try runMarquee(["monitor", "report", "--store", store, "--format", "json"])
    #expect(json.stdout.contains(#""command" : "reparse""#), "\(json.stdout)")
}

/// When every page fails, the error says why — the failure kinds and counts — not "see above".
@Test func aScrapeWhosePagesAllFailSaysWhy() throws {
    let folder = try makeScratchFolder("allfail")
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try runMarquee([
        "scrape", "letterboxd", "--start", "https://letterboxd.com/nobody/films/diary/", "--replay",
        "fixtures/letterboxd", "--out", folder.appendingPathComponent("r.jsonl").path, "--frontier",
        folder.appendingPathComponent("f.sqlite").path, "--pages", folder.appendingPathComponent("p").path,
    ])
    #expect(result.status == 69)
    #expect(result.stderr.contains("every page failed to fetch (not-recorded 1)"), "\(result.stderr)")
}
