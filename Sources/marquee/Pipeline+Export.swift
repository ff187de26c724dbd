import ArgumentParser
import Foundation
import MarqueeCore
import MarqueePipeline

extension OrchestratorExport.Target: ExpressibleByArgument {}

extension Pipeline {
    /// `marquee pipeline export NAME --to zenml|airflow --out FILE`.
    struct ExportPipeline: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Write the pipeline as a ZenML pipeline or an Airflow DAG (Python) that runs its steps.",
            discussion: """
                One task per step (scrape:SITE, ingest, dataset, train, evaluate, export), each \
                running `marquee pipeline step` and passing typed outputs to the next: dataset version \
                and file, model path and SHA-256, report path. Paths to this marquee, the pipeline \
                file, the store and the work folder are written in (absolute); MARQUEE, \
                MARQUEE_STORE, MARQUEE_WORK and MARQUEE_CWD override them when the program runs. \
                The Airflow DAG takes the pipeline's schedule and max_active_runs=1.
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var specs: ScraperOptions
        @Argument(help: "The pipeline's name (pipelines/<name>.toml) or a path to its file.") var name: String
        @Option(help: "zenml or airflow.") var to: OrchestratorExport.Target
        @Option(help: "The Python file to write.") var out: String
        @Option(help: "The folder of pipeline files (default from marquee config).") var pipelines: String?
        @Option(help: "Where artefacts go (default: <work>/pipelines/<name>).") var work: String?
        @Option(help: "text or json (the file written and the steps).") var format: OutputFormat = .text

        struct Written: Encodable {
            var pipeline, orchestrator, out: String
            var steps: [String]
        }

        func run() async throws {
            let logger = global.makeLogger("marquee.pipeline")
            try await reportingErrors {
                var (spec, environment) = try pipelineEnvironment(
                    name, pipelines: pipelines, work: work, global: global, scrapers: specs.scrapers)
                // The demo without --store runs on its own store with the public demo salt, as
                // `marquee demo` does (a store of yours gets your salt or none).
                var defaults: [String: String] = [:]
                if spec.name == "demo", global.storeFlag == nil {
                    environment.storePath = environment.work.appendingPathComponent("marquee.sqlite").path
                    if EffectiveConfig.userSalt == nil { defaults["MARQUEE_USER_SALT"] = "marquee-demo-salt" }
                }
                let runner = PipelineRunner(spec: spec, environment: environment, logger: logger)
                let here = FileManager.default.currentDirectoryPath
                func absolute(_ path: String) -> String {
                    path.hasPrefix("/") ? path : URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: here + "/")).standardizedFileURL.path
                }
                let locations = OrchestratorExport.Locations(
                    marquee: Self.executablePath(), pipelineFile: absolute(spec.file), store: absolute(environment.storePath),
                    work: absolute(environment.work.path), directory: here, defaults: defaults)
                let text = OrchestratorExport.python(to, spec: spec, steps: runner.stepNames, locations: locations)
                let url = URL(fileURLWithPath: out)
                try OutputLocation.check(url, what: "the \(to.rawValue) program")
                do { try Data(text.utf8).write(to: url, options: .atomic) } catch {
                    throw MarqueeError(.cannotCreate, "cannot write the program", location: out, underlying: error)
                }
                if format == .json {
                    return try printJSON(Written(pipeline: spec.name, orchestrator: to.rawValue, out: out, steps: runner.stepNames))
                }
                print("wrote \(out): \(spec.name) as a \(to.rawValue) \(to == .zenml ? "pipeline" : "DAG") of \(runner.stepNames.count) steps")
                print("  " + runner.stepNames.joined(separator: " → "))
                print(to == .zenml ? "run: python \(out)" : "run: airflow dags test marquee_\(spec.name)")
            }
        }

        /// This marquee's absolute path (what the program runs unless MARQUEE says otherwise).
        static func executablePath() -> String {
            let path = ProcessInfo.processInfo.arguments[0]
            if path.contains("/") { return URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path }
            for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
                let candidate = "\(directory)/\(path)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
            return path
        }
    }
}
