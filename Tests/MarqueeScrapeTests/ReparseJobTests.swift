import Foundation
import Logging
import MarqueeCore
import MarqueeScrape
import MarqueeTestKit
import Testing

/// The library's scrape and reparse jobs, as a program would call them: a replayed Letterboxd
/// scrape written as JSON Lines, then a reparse of the pages it recorded gives the same records
/// (with the same fetch-time event times), without touching the network.
@Test func aReparseJobReExtractsWhatAScrapeJobRecorded() async throws {
    let folder = try makeScratchFolder("reparse-job")
    defer { try? FileManager.default.removeItem(at: folder) }
    let scrapers = try ScraperSet.load(directory: SharedData.repositoryRoot.appendingPathComponent("scrapers"))
    let logger = Logger(label: "test")
    var scrape = ScrapeJob(
        site: "letterboxd", starts: ["https://letterboxd.com/marqueedemo/films/diary/"],
        frontier: folder.appendingPathComponent("f.sqlite").path, pages: folder.appendingPathComponent("pages"))
    scrape.replay = SharedData.fixtures.appendingPathComponent("letterboxd")
    scrape.output = folder.appendingPathComponent("scraped.jsonl")
    let scraped = try await scrape.run(scrapers: scrapers, store: nil, logger: logger)
    #expect(scraped.crawl.recorded >= 3)

    var reparse = ReparseJob(
        frontier: folder.appendingPathComponent("f.sqlite").path, pages: folder.appendingPathComponent("pages"))
    reparse.output = folder.appendingPathComponent("reparsed.jsonl")
    reparse.jobs = 2
    let reparsed = try reparse.run(scrapers: scrapers, store: nil, logger: logger)
    #expect(reparsed.records.pages == scraped.crawl.recorded)
    #expect(reparsed.records.records == scraped.records.records)
    func lines(_ name: String) throws -> [String] {
        try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8).split(separator: "\n").map(String.init).sorted()
    }
    #expect(try lines("reparsed.jsonl") == lines("scraped.jsonl"))

    // No frontier: an error naming it, before anything is written.
    let missing = ReparseJob(frontier: folder.appendingPathComponent("none.sqlite").path, pages: folder)
    #expect(throws: MarqueeError.self) { _ = try missing.run(scrapers: scrapers, store: nil, logger: logger) }
}
