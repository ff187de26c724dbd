import Foundation
import MarqueeCore
import MarqueeScrape
import MarqueeTestKit
import Testing

/// Every fixture page (`fixtures/<site>/<kind>/<name>.html` with a `.meta.json` naming its URL)
/// parses to exactly its `.expected.jsonl`. Set `MARQUEE_RECORD_GOLDENS=1` to rewrite the goldens
/// after a deliberate change, then review the diff.
let fixturePages: [String] = {
    let root = SharedData.fixtures
    let sites = ["imdb", "letterboxd", "rottentomatoes", "wikipedia", "boxofficemojo"]
    return sites.flatMap { site in
        (FileManager.default.subpaths(atPath: root.appendingPathComponent(site).path) ?? [])
            .filter { $0.hasSuffix(".html") }.map { "\(site)/\($0)" }
    }.sorted()
}()

@Test func thereAreFixturesForEverySite() {
    #expect(Set(fixturePages.map { String($0.prefix { $0 != "/" }) }).count == 5)
}

@Test(arguments: fixturePages)
func fixtureMatchesItsGolden(_ path: String) throws {
    let scrapers = try ScraperSet.load(directory: SharedData.repositoryRoot.appendingPathComponent("scrapers"))
    let page = SharedData.fixtures.appendingPathComponent(path)
    let meta = try JSONParser().parse(
        String(contentsOf: page.deletingPathExtension().appendingPathExtension("meta.json"), encoding: .utf8)
    ).value
    let url = try #require(meta["url"]?.stringValue)
    let output = try scrapers.extract(data: Data(contentsOf: page), url: url, currentYear: 2026).jsonLines()
    let golden = page.deletingPathExtension().appendingPathExtension("expected.jsonl")
    if ProcessInfo.processInfo.environment["MARQUEE_RECORD_GOLDENS"] == "1" {
        try output.write(to: golden, atomically: true, encoding: .utf8)
    }
    let expected = try String(contentsOf: golden, encoding: .utf8)
    #expect(output == expected, "\(path): re-record with MARQUEE_RECORD_GOLDENS=1 if the change is intended")
}
