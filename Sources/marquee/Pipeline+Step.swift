import ArgumentParser
import Foundation
import MarqueeCore
import MarqueePipeline

extension Pipeline {
    /// `marquee pipeline step NAME STEP`: one step, for orchestrators.
    struct Step: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run one step of a pipeline and print its outputs (what an orchestrator's task runs).",
            discussion: """
                Steps: scrape:SITE, ingest, dataset, train, evaluate, export — the work pipeline run \
                does for each, with the upstream outputs given as options: train and evaluate take \
                --dataset-version and --dataset-file (the dataset step's version and file), export \
                takes --model and --model-sha256 (the train step's file and sha256). No caching and \
                no run record: the orchestrator records its runs. Steps that write the store hold \
                its lock (exit 75 when another run has it).
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var specs: ScraperOptions
        @Argument(help: "The pipeline's name (pipelines/<name>.toml) or a path to its file.") var name: String
        @Argument(help: "The step: scrape:SITE, ingest, dataset, train, evaluate or export.") var step: String
        @Option(help: "The folder of pipeline files (default from marquee config).") var pipelines: String?
        @Option(help: "Where artefacts go (default: <work>/pipelines/<name>).") var work: String?
        @Option(help: "train, evaluate: the dataset step's version id.") var datasetVersion: String?
        @Option(help: "train, evaluate: the dataset step's file.") var datasetFile: String?
        @Option(help: "export: the train step's model file.") var model: String?
        @Option(help: "export: the train step's model SHA-256.") var modelSha256: String?
        @Option(help: "text or json (the step's outputs).") var format: OutputFormat = .text

        func run() async throws {
            let logger = global.makeLogger("marquee.pipeline")
            try await reportingErrors {
                let (spec, environment) = try pipelineEnvironment(
                    name, pipelines: pipelines, work: work, global: global, scrapers: specs.scrapers)
                var runner = PipelineRunner(spec: spec, environment: environment, logger: logger)
                runner.environment.rate = EffectiveConfig.rate
                let outputs = try await runner.runStep(
                    step,
                    upstream: .init(
                        datasetVersion: datasetVersion, datasetFile: datasetFile, modelFile: model, modelSHA256: modelSha256)
                )
                if format == .json {
                    print(outputs.serialized())
                } else {
                    print("\(spec.name) \(step): ok")
                    for (key, value) in outputs.objectValue?.members ?? [] {
                        print("  \(key): \(value.stringValue ?? value.serialized())")
                    }
                }
            }
        }
    }
}
