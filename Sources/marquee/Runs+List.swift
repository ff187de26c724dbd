import ArgumentParser
import Foundation
import Logging
import MarqueeCore
import MarqueeML
import MarqueePipeline
import MarqueeStore

extension Runs {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Runs, newest first.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "How many.") var limit = 20
        @Option(help: "text or json.") var format: OutputFormat = .text

        func run() async throws {
            try await reportingErrors {
                let runs = try global.openExistingStore().runs(limit: limit)
                if format == .json { return try printJSON(runs.map(\.summary)) }
                if runs.isEmpty { print("no runs recorded in \(global.store)") }
                for run in runs {
                    let steps = run.steps.map { "\($0.step):\($0.status)" }.joined(separator: " ")
                    print(
                        "\(run.id)  \(run.pipeline)  \(run.status)  \(Microseconds.isoSeconds(run.started))  \(steps)")
                    if let error = run.error {
                        print("    error (exit \(run.exitCode.map(String.init) ?? "?")): \(error)")
                    }
                }
            }
        }
    }
}
