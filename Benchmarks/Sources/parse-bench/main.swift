// Full `marquee parse` of every real page, in process: parse HTML, route to a page kind, run
// every field rule with its normaliser, validate, build the typed records and their JSON Lines.
//   parse-bench SCRAPERS_DIR REALPAGES_DIR SECONDS
import Foundation
import MarqueeHTML
import MarqueeScrape

// As the marquee command does: documents parse into arenas (the executable opts in).
XMLArena.install()

let arguments = CommandLine.arguments
let scrapers = try ScraperSet.load(directory: URL(fileURLWithPath: arguments[1]))
let root = URL(fileURLWithPath: arguments[2])
let seconds = Double(arguments[3]) ?? 4
let files = (FileManager.default.subpaths(atPath: root.path) ?? []).filter { $0.hasSuffix(".html") }.sorted()
let pages = try files.map { try Data(contentsOf: root.appendingPathComponent($0)) }
var records = 0
var bytes = 0
for page in pages {
    let extraction = try scrapers.extract(data: page, links: false)
    records += extraction.records.count
    bytes += extraction.jsonLines().utf8.count
}
let clock = ContinuousClock()
if ProcessInfo.processInfo.environment["PARSE_ONLY"] == "1" {
    // The floor: libxml2's HTML parse (with Marquee's encoding detection) and nothing else.
    let start = clock.now
    var parsed = 0
    while clock.now - start < .seconds(seconds) {
        for page in pages {
            _ = HTMLDocument(data: page).byteCount
            parsed += 1
        }
    }
    let elapsed = clock.now - start
    let total = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    print(String(format: "parse-only %d pages %.1f pages/s", pages.count, Double(parsed) / total))
    exit(0)
}
// JOBS=N extracts N pages at once (ScraperSet.extractAll, as `marquee reparse` does), the JSON
// Lines still written one page after another in page order.
let jobs = Int(ProcessInfo.processInfo.environment["JOBS"] ?? "1") ?? 1
let start = clock.now
var parsed = 0
while clock.now - start < .seconds(seconds) {
    if jobs > 1 {
        try scrapers.extractAll(pages.count, jobs: jobs, links: false) { [pages] in
            PageInput(data: pages[$0])
        } deliver: {
            _, result in
            let extraction = try result.get()
            parsed += 1
            if extraction.records.isEmpty { fatalError("no records") }
            _ = extraction.jsonLines()
        }
        continue
    }
    for page in pages {
        let extraction = try scrapers.extract(data: page, links: false)
        parsed += 1
        if extraction.records.isEmpty { fatalError("no records") }
        _ = extraction.jsonLines()
    }
}
let elapsed = clock.now - start
let total = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
print(
    String(
        format: "marquee %d pages %.1f pages/s %d records/pass %d bytes/pass %d jobs", pages.count,
        Double(parsed) / total, records, bytes, jobs))
