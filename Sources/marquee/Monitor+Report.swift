import ArgumentParser
import Foundation
import MarqueeCore
import MarqueeStore

extension Monitor {
    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Per site, page kind and field: records, fill rate, threshold, the previous run's rate, alarms.",
            discussion: """
                Every scrape, reparse and pipeline scrape step that writes to a store records its \\
                coverage there. Without --run, the newest recorded run is shown.
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: "A run id (or unique prefix) from the list this prints without it.") var run: String?
        @Option(help: "text or json.") var format: OutputFormat = .text

        func run() async throws {
            _ = global.makeLogger("marquee.monitor")
            try await reportingErrors {
                let store = try global.openExistingStore()
                let record: ScrapeRunRecord
                if let run {
                    guard let found = try store.scrapeRun(run) else {
                        throw MarqueeError(
                            .dataError, "no recorded scrape run \(run) (or the prefix is not unique)",
                            hint: "marquee monitor report lists the newest; give more of the id")
                    }
                    record = found
                } else {
                    guard let newest = try store.scrapeRuns(limit: 1).first else {
                        throw MarqueeError(
                            .dataError, "no scrape or reparse has been recorded in \(global.store)",
                            hint: "run marquee scrape or reparse with this --store")
                    }
                    record = newest
                }
                switch format {
                case .json:
                    try printJSON(record)
                case .text:
                    print(Self.table(record), terminator: "")
                }
            }
        }

        static func table(_ record: ScrapeRunRecord) -> String {
            func percent(_ share: Double?) -> String { share.map { String(format: "%5.1f%%", $0 * 100) } ?? "     —" }
            var out =
                "run \(record.id)  \(record.command)  \(Microseconds.isoSeconds(record.started))  \(record.pages) pages, \(record.records) records, \(record.alarms) alarm\(record.alarms == 1 ? "" : "s")\n"
            out += "site           kind           field                      records  filled  threshold  previous\n"
            for row in record.coverage {
                out += row.site.padding(toLength: 14, withPad: " ", startingAt: 0) + " "
                out += row.kind.padding(toLength: 14, withPad: " ", startingAt: 0) + " "
                out += row.field.padding(toLength: 26, withPad: " ", startingAt: 0) + " "
                out += String(format: "%7d", row.records) + "  " + percent(row.rate) + "     "
                out += percent(row.threshold) + "    " + percent(row.previousRate)
                out += row.alarm == nil ? "\n" : "  ALARM\n"
            }
            return out
        }
    }
}
