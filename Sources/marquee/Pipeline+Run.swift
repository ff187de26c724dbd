import ArgumentParser
import Foundation
import Logging
import MarqueeCore
import MarqueeML
import MarqueePipeline
import MarqueeStore

extension Pipeline {
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the pipeline; steps whose inputs match a previous successful run are skipped.",
            discussion: """
                Holds a lock on the store for the whole run: an overlapping run (two cron jobs) exits \
                75 at once with one line. Every run is recorded (marquee runs list / show). \
                Exit status: 0, 64 usage, 65 bad pipeline or data, 69 site unavailable, 75 locked, 1 other.
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var specs: ScraperOptions
        @Argument(help: "The pipeline's name (pipelines/<name>.toml) or a path to its file.") var name: String
        @Option(help: "The folder of pipeline files (default from marquee config).") var pipelines: String?
        @Option(help: "Where artefacts go (default: <work>/pipelines/<name>, work from marquee config).") var work:
            String?
        @Flag(help: "Run every step, even those whose inputs match a previous run.") var force = false
        @Option(help: "text or json (the run record, as runs show prints it).") var format: OutputFormat = .text

        func run() async throws {
            let logger = global.makeLogger("marquee.pipeline")
            try await reportingErrors {
                let (spec, environment) = try pipelineEnvironment(
                    name, pipelines: pipelines, work: work, global: global, scrapers: specs.scrapers)
                let record = try await runPipeline(spec, environment, force: force, logger: logger)
                try emit(format) {
                    record.summary
                } text: {
                    record.report
                }
            }
        }
    }
}
