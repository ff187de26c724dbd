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

@Test func extractingManyPagesAtOnceGivesTheSameResultsInPageOrder() throws {
    let scrapers = try ScraperSet.load(directory: SharedData.repositoryRoot.appendingPathComponent("scrapers"))
    var inputs: [PageInput?] = try fixturePages.map { path in
        let page = SharedData.fixtures.appendingPathComponent(path)
        let meta = try JSONParser().parse(
            String(contentsOf: page.deletingPathExtension().appendingPathExtension("meta.json"), encoding: .utf8)
        ).value
        return PageInput(data: try Data(contentsOf: page), url: meta["url"]?.stringValue)
    }
    // An unrecognised page and one that cannot be read, in the middle of the run.
    inputs.insert(PageInput(data: Data("<p>hello</p>".utf8)), at: 3)
    inputs.insert(nil, at: 6)
    let pages = inputs
    func run(jobs: Int) -> [String] {
        var delivered: [String] = []
        scrapers.extractAll(pages.count, jobs: jobs, currentYear: 2026) { index throws(MarqueeError) in
            guard let input = pages[index] else { throw MarqueeError(.dataError, "page \(index) is gone") }
            return input
        } deliver: { index, result in
            #expect(index == delivered.count, "results arrive in page order")
            switch result {
            case .success(let extraction): delivered.append(extraction.jsonLines())
            case .failure(let error): delivered.append("error: \(error.message)")
            }
        }
        return delivered
    }
    let serial = run(jobs: 1)
    #expect(serial.count == pages.count)
    #expect(serial[3].hasPrefix("error: unrecognised page"))
    #expect(serial[6] == "error: page 6 is gone")
    #expect(serial.filter { !$0.hasPrefix("error:") }.count == fixturePages.count)
    for jobs in [2, 4, 32] {
        #expect(run(jobs: jobs) == serial, "\(jobs) jobs")
    }
}
