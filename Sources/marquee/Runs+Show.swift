import ArgumentParser
import Foundation
import Logging
import MarqueeCore
import MarqueeML
import MarqueePipeline
import MarqueeStore

extension Runs {
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One run: its steps, input and output hashes, artefacts and versions (lineage).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The run id (or a unique prefix).") var id: String
        @Option(help: "text or json.") var format: OutputFormat = .text

        func run() async throws {
            try await reportingErrors {
                let store = try global.openExistingStore()
                guard let record = try store.run(id) else {
                    let matching = try store.runIDs(prefix: id)
                    throw matching.count > 1
                        ? MarqueeError(
                            .usage, "\(matching.count) runs start with \(id): \(matching.joined(separator: ", "))",
                            hint: "give more of the id")
                        : MarqueeError(.dataError, "no run \(id)", hint: "marquee runs list")
                }
                try emit(format) {
                    record.summary
                } text: {
                    record.report
                }
            }
        }
    }
}
