import ArgumentParser
import Foundation
import Logging
import MarqueeCore
import MarqueeML
import MarqueePipeline
import MarqueeStore

/// `marquee pipeline run NAME`: the whole chain, with step caching and a run record.
struct Pipeline: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a pipeline (pipelines/<name>.toml): scrape → ingest → dataset → train → evaluate → export.",
        subcommands: [Run.self])

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
                let file =
                    name.hasSuffix(".toml")
                    ? URL(fileURLWithPath: name)
                    : URL(fileURLWithPath: pipelines ?? EffectiveConfig.currentOrDefaults["pipelines"])
                        .appendingPathComponent("\(name).toml")
                let spec = try PipelineSpec.load(file)
                let workFolder = URL(
                    fileURLWithPath: work ?? "\(EffectiveConfig.currentOrDefaults["work"])/pipelines/\(spec.name)")
                try OutputLocation.checkFolder(workFolder, what: "the pipeline's work folder")
                let record = try await runPipeline(
                    spec,
                    .init(
                        storePath: global.store, features: URL(fileURLWithPath: global.features),
                        scrapers: URL(fileURLWithPath: specs.scrapers), work: workFolder, salt: EffectiveConfig.userSalt),
                    force: force, logger: logger)
                try emit(format) { RunsFormat.json(record) } text: { RunsFormat.show(record) }
            }
        }
    }
}

/// `marquee runs list|show`: recorded pipeline runs and their lineage.
struct Runs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Recorded pipeline runs.", subcommands: [List.self, Show.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Runs, newest first.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "How many.") var limit = 20
        @Option(help: "text or json.") var format: OutputFormat = .text

        func run() async throws {
            try await reportingErrors {
                let runs = try global.openExistingStore().runs(limit: limit)
                if format == .json { return try printJSON(runs.map(RunsFormat.json)) }
                if runs.isEmpty { print("no runs recorded in \(global.store)") }
                for run in runs {
                    let steps = run.steps.map { "\($0.step):\($0.status)" }.joined(separator: " ")
                    print("\(run.id)  \(run.pipeline)  \(run.status)  \(RunsFormat.time(run.started))  \(steps)")
                    if let error = run.error {
                        print("    error (exit \(run.exitCode.map(String.init) ?? "?")): \(error)")
                    }
                }
            }
        }
    }

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
                try emit(format) { RunsFormat.json(record) } text: { RunsFormat.show(record) }
            }
        }
    }
}

enum RunsFormat {
    /// A run as `runs list --format json` prints it.
    struct JSONRun: Encodable {
        struct Step: Encodable {
            var step, status: String
            var started: String
            var ended: String?
            var input_hash: String
            var output_hash: String?
            var error: String?
        }
        var id, pipeline, status, started: String
        var ended: String?
        var error: String?
        var exit_code: Int?
        var steps: [Step]
    }

    static func json(_ run: RunRecord) -> JSONRun {
        JSONRun(
            id: run.id, pipeline: run.pipeline, status: run.status, started: Microseconds.iso(run.started),
            ended: run.ended.map(Microseconds.iso), error: run.error, exit_code: run.exitCode,
            steps: run.steps.map {
                JSONRun.Step(
                    step: $0.step, status: $0.status, started: Microseconds.iso($0.started),
                    ended: $0.ended.map(Microseconds.iso), input_hash: $0.inputHash, output_hash: $0.outputHash,
                    error: $0.error)
            })
    }

    static func time(_ microseconds: Int64) -> String {
        ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(microseconds) / 1e6))
    }

    static func show(_ record: RunRecord) -> String {
        var out = "run \(record.id)  pipeline \(record.pipeline)  \(record.status)  started \(time(record.started))\n"
        if let detail = record.detail { out += "versions: \(detail.serialized())\n" }
        if let error = record.error { out += "error (exit \(record.exitCode.map(String.init) ?? "?")): \(error)\n" }
        for step in record.steps {
            let seconds = step.ended.map { String(format: "%.2f s", Double($0 - step.started) / 1e6) } ?? "-"
            out +=
                "  \(step.step.padding(toLength: 20, withPad: " ", startingAt: 0)) \(step.status.padding(toLength: 7, withPad: " ", startingAt: 0)) \(seconds.padding(toLength: 9, withPad: " ", startingAt: 0)) in \(step.inputHash.prefix(12)) → out \(step.outputHash.map { String($0.prefix(12)) } ?? "-")\n"
            if let outputs = step.outputs { out += "      \(outputs.serialized())\n" }
            if let error = step.error { out += "      error: \(error)\n" }
        }
        return out
    }
}

/// `marquee demo`: the demo pipeline, offline, on the bundled fixtures.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Run the whole pipeline offline on bundled fixtures: scrape (replayed) → dataset → train → evaluate → export.",
        discussion: """
            Uses pipelines/demo.toml — MovieLens ml-latest-small (bundled in data/) and replayed \
            Letterboxd and IMDb pages → ratings_enriched → SVD and the hybrid on the same folds → ONNX — \
            a store at <work>/pipelines/demo/marquee.sqlite and artefacts beside it (work from marquee \
            config, default out). A second run reuses every step (--force reruns them). Without a \
            configured user salt, the demo's own store uses a public demo salt.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var specs: ScraperOptions
    @Flag(help: "Run every step, even those whose inputs match a previous run.") var force = false
    @Option(help: "text (the tour) or json (the run record, as runs show prints it).") var format: OutputFormat = .text

    func run() async throws {
        let logger = global.makeLogger("marquee.demo")
        try await reportingErrors {
            let work = URL(fileURLWithPath: "\(EffectiveConfig.currentOrDefaults["work"])/pipelines/demo")
            let spec = try PipelineSpec.load(
                URL(fileURLWithPath: EffectiveConfig.currentOrDefaults["pipelines"]).appendingPathComponent("demo.toml")
            )
            try? FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
            let store = global.storeFlag ?? work.appendingPathComponent("marquee.sqlite").path
            let record = try await runPipeline(
                spec,
                .init(
                    storePath: store,
                    features: URL(fileURLWithPath: global.features), scrapers: URL(fileURLWithPath: specs.scrapers),
                    // The public demo salt only ever hashes the demo's own store; a store of yours
                    // gets your salt or none (and then a scrape of user ratings stops with exit 78).
                    work: work, salt: EffectiveConfig.userSalt ?? (global.storeFlag == nil ? "marquee-demo-salt" : nil)),
                force: force, logger: logger)
            if format == .json { return try printJSON(RunsFormat.json(record)) }
            print(RunsFormat.show(record))
            if let path = record.steps.first(where: { $0.step == "evaluate" })?.outputs?["summary"]?.stringValue,
                let data = FileManager.default.contents(atPath: path),
                let summary = try? JSONDecoder().decode(EvaluationSummary.self, from: data)
            {
                print(EvaluationTable.render(summary), terminator: "")
            }
            if case .array(let compared)? = record.steps.first(where: { $0.step == "evaluate" })?.outputs?["compared"] {
                print(
                    "\nsame folds, cold films = at most \(EvaluationReport.coldThreshold) training ratings:")
                for entry in compared {
                    let cold = entry["cold_rmse"]?.doubleValue.map { String(format: "%.4f", $0) } ?? "—"
                    print(
                        String(
                            format: "  %@ RMSE %.4f  MAE %.4f  cold-film RMSE %@ (n=%d)",
                            (entry["algorithm"]?.stringValue ?? "?").padding(toLength: 8, withPad: " ", startingAt: 0),
                            entry["rmse"]?.doubleValue ?? .nan,
                            entry["mae"]?.doubleValue ?? .nan, cold, Int(entry["cold_ratings"]?.doubleValue ?? 0)))
                }
            }
            for step in record.steps {
                if let report = step.outputs?["report"]?.stringValue { print("report: \(report)") }
                if let report = step.outputs?["comparison"]?.stringValue { print("comparison: \(report)") }
                if let directory = step.outputs?["directory"]?.stringValue { print("export: \(directory)") }
            }
            print("runs: marquee runs list --store \(store)")
        }
    }
}

/// Runs `spec` as `pipeline run` and `demo` do: the configured request rate, SIGINT/SIGTERM
/// turned into a stop at the next safe point, and the run's record returned.
func runPipeline(
    _ spec: PipelineSpec, _ environment: PipelineRunner.Environment, force: Bool, logger: Logger
) async throws -> RunRecord {
    var runner = PipelineRunner(spec: spec, environment: environment, logger: logger)
    runner.force = force
    runner.environment.rate = EffectiveConfig.rate
    let configured = runner
    SignalHandling.install()
    return try await configured.run()
}
