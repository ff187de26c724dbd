import ArgumentParser
import Foundation
import MarqueeCore
import MarqueeStore

extension Features {
    struct Describe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Freshness and completeness of a view's features in the store.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The view's name.") var view: String
        @Option(help: "text or json (event times in microseconds since 1970; 0 marks a timeless fact).")
        var format: OutputFormat = .text

        func run() async throws {
            _ = global.makeLogger("marquee.features")
            try await reportingErrors {
                guard let definition = try global.loadCatalog().views[view] else {
                    throw MarqueeError(.dataError, "no feature view \"\(view)\"", hint: "marquee features list")
                }
                let statuses = try global.openExistingStore().status(of: definition)
                if format == .json { return try printJSON(statuses) }
                for status in statuses {
                    // Event time 0 marks a timeless fact (a title, MovieLens's facts), not 1970.
                    let latest = status.latestEvent.map { $0 == 0 ? "timeless" : Microseconds.iso($0) } ?? "never"
                    let created = status.latestCreated.map(Microseconds.iso) ?? "never"
                    print(
                        "\(status.feature): \(status.entitiesWithValue)/\(status.entities) entities have a value (null share \(String(format: "%.3f", status.nullShare))), "
                            + "\(status.observations) observations, latest event \(latest), latest created \(created), \(status.stale) stale"
                    )
                }
            }
        }
    }
}
