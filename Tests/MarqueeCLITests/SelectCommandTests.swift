import Foundation
import MarqueeTestKit
import Testing

/// Runs the built `marquee` binary and captures its output and exit status.
func runMarquee(
    _ arguments: [String], in directory: URL = SharedData.repositoryRoot, environment: [String: String]? = nil,
    executable: String? = nil
) throws -> (status: Int32, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = try executable.map { URL(fileURLWithPath: $0) } ?? marqueeBinary()
    process.arguments = arguments
    process.currentDirectoryURL = directory
    if let environment {
        // The test's own MARQUEE_* settings never leak into a run that sets its environment.
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("MARQUEE_") }
            .merging(environment) { $1 }
    }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
}

/// Starts the built `marquee` binary in the background (stdout discarded) and returns it with the
/// pipe its stderr goes to; the caller stops or waits for it.
func startMarquee(_ arguments: [String]) throws -> (process: Process, stderr: Pipe) {
    let process = Process()
    process.executableURL = try marqueeBinary()
    process.arguments = arguments
    let errors = Pipe()
    process.standardOutput = FileHandle.nullDevice
    process.standardError = errors
    try process.run()
    return (process, errors)
}

/// The `marquee` executable built beside this test bundle.
func marqueeBinary() throws -> URL {
    let candidates = [
        Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("marquee"),
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("marquee"),
        SharedData.repositoryRoot.appendingPathComponent(".build/debug/marquee"),
    ]
    return try #require(
        candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }, "marquee binary not built")
}

private let demoPage = "fixtures/demo/film.html"

@Test func selectPrintsTheFirstMatchAndCountsTheRest() throws {
    let result = try runMarquee(["select", demoPage, "--css", "ul.genres a::text"])
    #expect(result.status == 0)
    #expect(result.stdout == "Drama\n")
    #expect(result.stderr.contains("first of 3 matches"))
}

@Test func selectAllAsJSON() throws {
    let result = try runMarquee(["select", demoPage, "--css", "ul.genres a::attr(href)", "--all", "--json"])
    #expect(result.status == 0)
    #expect(result.stdout == #"["/films/genre/drama/","/films/genre/mystery/","/films/genre/thriller/"]"# + "\n")
}

@Test func selectXPathAndText() throws {
    let result = try runMarquee(["select", demoPage, "--xpath", "//h1[contains(@class, 'primaryname')]", "--text"])
    #expect(result.stdout == "Lost Highway\n")
}

@Test func selectJSONLDPrintsTheRepairedBlock() throws {
    let result = try runMarquee(["select", demoPage, "--jsonld", "--json"])
    #expect(result.status == 0)
    #expect(result.stdout.hasPrefix(#"{"@context":"http://schema.org","@type":"Movie","name":"Lost Highway""#))
}

@Test func badCSSExitsWithUsageAndNamesTheToken() throws {
    let result = try runMarquee(["select", demoPage, "--css", "a:hover"])
    #expect(result.status == 64)
    #expect(result.stderr.contains("':hover'"))
    #expect(result.stderr.contains("column 2"))
    #expect(!result.stderr.contains("Fatal error"))
    #expect(result.stdout.isEmpty)
}

@Test func missingFileExitsWithNoInput() throws {
    let result = try runMarquee(["select", "fixtures/no-such-page.html", "--css", "h1"])
    #expect(result.status == 66)
    #expect(result.stderr.hasPrefix("marquee: error: fixtures/no-such-page.html: the page does not exist"))
    #expect(result.stderr.split(separator: "\n").count == 1)
}

@Test func exactlyOneQueryIsRequired() throws {
    let result = try runMarquee(["select", demoPage, "--css", "h1", "--jsonld"])
    #expect(result.status == 64)
    #expect(result.stderr.contains("exactly one of --css, --xpath or --jsonld"))
}

@Test func jsonLogLinesGoToStandardError() throws {
    let result = try runMarquee(["select", demoPage, "--css", "h1.headline-1 ::text", "-vv", "--log-format", "json"])
    #expect(result.stdout == "Lost Highway\n")
    let logLine = try #require(result.stderr.split(separator: "\n").first { $0.hasPrefix("{") })
    #expect(logLine.contains(#""message":"parsed page""#))
    #expect(logLine.contains(#""encoding":"UTF-8 (meta)""#))
}

@Test(.enabled(if: SharedData.runs(SharedData.realPages != nil), "needs ../shared/realpages"))
func acceptanceOnTheRealLetterboxdPage() throws {
    let page = SharedData.realPages!.appendingPathComponent("letterboxd/film_mulholland-drive_2025.html").path
    let jsonld = try runMarquee(["select", page, "--jsonld"])
    #expect(jsonld.status == 0)
    #expect(jsonld.stdout.contains(#""name": "Mulholland Drive""#))
    // Letterboxd keeps the last two words of a title together with a no-break space.
    let titles = try runMarquee(["select", page, "--css", "h1 ::text", "--all"])
    #expect(titles.stdout.split(separator: "\n").contains("Mulholland\u{00A0}Drive"))
    let title = try runMarquee(["select", page, "--css", "h1.headline-1", "--text"])
    #expect(title.stdout == "Mulholland Drive\n")
}

@Test func brokenJSONLDIsAWarningWithItsPosition() throws {
    let page = FileManager.default.temporaryDirectory.appendingPathComponent("marquee-broken-jsonld.html")
    try Data(#"<p>x</p><script type="application/ld+json">{"name":}</script>"#.utf8).write(to: page)
    defer { try? FileManager.default.removeItem(at: page) }
    let result = try runMarquee(["select", page.path, "--jsonld"])
    #expect(result.status == 0)
    #expect(result.stdout.isEmpty)
    #expect(
        result.stderr.contains(
            "JSON-LD block 1 skipped: unexpected character '}', expected a value at 1:9 of the block"))
}

@Test func selectAppliesARegexToEachMatch() throws {
    let result = try runMarquee([
        "select", demoPage, "--css", "span.average-rating a::attr(data-original-title)", "--re",
        #"based on (?<extract>[\d,]+)"#,
    ])
    #expect(result.stdout == "412,337\n")
    let bad = try runMarquee(["select", demoPage, "--css", "a", "--re", "(unclosed"])
    #expect(bad.status == 64)
    #expect(bad.stderr.contains("regex query"))
}

/// `select --jsonld --all --json` prints the page's items in page order, as JSON-LD consumers
/// read them: a comment before the JSON skipped, arrays and `@graph` flattened, `null` dropped.
@Test func selectJSONLDPrintsItemsInPageOrder() throws {
    let page = FileManager.default.temporaryDirectory.appendingPathComponent("ld-\(UUID().uuidString).html")
    defer { try? FileManager.default.removeItem(at: page) }
    let scripts = [
        #"<!-- made by a CMS --> {"@type":"Movie","name":"A"}"#, #"[{"@type":"Movie","name":"B"},{"name":"C"}]"#,
        "null", #"{"@graph":[{"@type":"Person","name":"D"}]}"#,
    ]
    try ("<html><head>" + scripts.map { #"<script type="application/ld+json">\#($0)</script>"# }.joined()
        + "</head></html>").write(to: page, atomically: true, encoding: .utf8)
    let result = try runMarquee(["select", page.path, "--jsonld", "--all", "--json"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
        result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            == #"[{"@type":"Movie","name":"A"},{"@type":"Movie","name":"B"},{"name":"C"},{"@type":"Person","name":"D"}]"#)
}
