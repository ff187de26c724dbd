import ArgumentParser
import Foundation
import MarqueeCore
import MarqueeStore

extension Features {
    struct Materialize: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Bring the online table up to date from the observations (newer wins).")
        @OptionGroup var global: GlobalOptions
        @Option(help: "text or json.") var format: OutputFormat = .text

        struct Outcome: Encodable {
            var valuesUpdated, views: Int
        }

        func run() async throws {
            _ = global.makeLogger("marquee.features")
            try await reportingErrors {
                let views = Array(try global.loadCatalog().views.values)
                let changed = try global.openStore().materialize(views)
                try emit(format) {
                    Outcome(valuesUpdated: changed, views: views.count)
                } text: {
                    "online table: \(changed) values updated for \(views.count) view\(views.count == 1 ? "" : "s")\n"
                }
            }
        }
    }
}
