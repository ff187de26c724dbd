import ArgumentParser
import Foundation
import MarqueeCore
import MarqueeFetch
import MarqueeHTML
import MarqueeNormalize

/// `marquee crawl-status`: where a crawl stands.
struct CrawlStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crawl-status",
        abstract:
            "Frontier counts by state and host, failures by reason, pages recorded; per worker for a shared (PostgreSQL) frontier."
    )

    @OptionGroup var global: LoggingOptions
    @Option(help: "The frontier: a SQLite file or a postgres:// URL (default from marquee config: crawl.sqlite).")
    var frontier: String?
    @Option(help: "text or json.") var format: OutputFormat = .text

    struct Status: Encodable {
        var hosts: [String: [String: Int]]
        var all: [String: Int]
        var failures: [String: Int]
        var pagesRecorded: Int
        /// Per worker of a shared frontier: URLs held now (in_flight), done, failed.
        var workers: [String: [String: Int]]?
    }

    func run() async throws {
        let logger = global.makeLogger("marquee.crawl")
        try await reportingErrors {
            let opened = try await FrontierLocation(flag: frontier).openForReading(logger: logger)
            let counts = try await opened.frontier.counts()
            let pages = try await opened.frontier.pageCount()
            let workers = try await opened.shared?.workerCounts()
            let states = Frontier.State.allCases
            if format == .json {
                func named(_ values: [Frontier.State: Int]) -> [String: Int] {
                    Dictionary(uniqueKeysWithValues: states.map { ($0.rawValue, values[$0] ?? 0) })
                }
                return try printJSON(
                    Status(
                        hosts: counts.byHost.mapValues(named), all: named(counts.byState), failures: counts.failures,
                        pagesRecorded: pages, workers: workers?.mapValues(named)))
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
            print("pages recorded: \(pages)")
            if let workers {
                print("")
                print(
                    "worker".padding(toLength: 28, withPad: " ", startingAt: 0)
                        + ["holds", "done", "failed"].map { String(repeating: " ", count: 10 - $0.count) + $0 }.joined())
                for worker in workers.keys.sorted() {
                    let values = workers[worker]!
                    print(
                        worker.padding(toLength: 28, withPad: " ", startingAt: 0)
                            + [Frontier.State.inFlight, .done, .failed].map { String(format: "%10d", values[$0] ?? 0) }
                            .joined())
                }
            }
        }
    }
}
