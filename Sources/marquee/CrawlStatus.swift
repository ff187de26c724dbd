import ArgumentParser
import Foundation
import MarqueeCore
import MarqueeFetch
import MarqueeHTML
import MarqueeNormalize

/// `marquee crawl-status`: where a crawl stands.
struct CrawlStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crawl-status", abstract: "Frontier counts by state and host, failures by reason, pages recorded.")

    @OptionGroup var global: LoggingOptions
    @Option(help: "The frontier database.") var frontier = "crawl.sqlite"
    @Option(help: "text or json.") var format: OutputFormat = .text

    struct Status: Encodable {
        var hosts: [String: [String: Int]]
        var all: [String: Int]
        var failures: [String: Int]
        var pagesRecorded: Int
    }

    func run() async throws {
        _ = global.makeLogger("marquee.crawl")
        try await reportingErrors {
            try InputFile.requireDatabase(frontier, what: "frontier", hint: "run marquee crawl first")
            let opened = try Frontier(path: frontier)
            let counts = try opened.counts()
            let states = Frontier.State.allCases
            if format == .json {
                func named(_ values: [Frontier.State: Int]) -> [String: Int] {
                    Dictionary(uniqueKeysWithValues: states.map { ($0.rawValue, values[$0] ?? 0) })
                }
                return try printJSON(
                    Status(
                        hosts: counts.byHost.mapValues(named), all: named(counts.byState), failures: counts.failures,
                        pagesRecorded: try opened.pageCount()))
            }
            func line(_ label: String, _ values: [Frontier.State: Int]) -> String {
                label.padding(toLength: 28, withPad: " ", startingAt: 0)
                    + states.map { String(format: "%10d", values[$0] ?? 0) }.joined()
            }
            print(
                "host".padding(toLength: 28, withPad: " ", startingAt: 0)
                    + states.map { String(repeating: " ", count: max(1, 10 - $0.rawValue.count)) + $0.rawValue }
                    .joined())
            for host in counts.byHost.keys.sorted() { print(line(host, counts.byHost[host]!)) }
            print(line("all", counts.byState))
            for (reason, count) in counts.failures.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }) {
                print("failed \(reason): \(count)")
            }
            print("pages recorded: \(try opened.pageCount())")
        }
    }
}
