import ArgumentParser
import Foundation
import Logging
import MarqueeCore
import MarqueeML
import MarqueePipeline
import MarqueeStore

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
            if global.storeFlag != nil { try global.requireSQLite() }
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
            if format == .json { return try printJSON(record.summary) }
            print(record.report)
            if let path = record.steps.first(where: { $0.step == "evaluate" })?.outputs?["summary"]?.stringValue,
                let data = FileManager.default.contents(atPath: path),
                let summary = try? JSONDecoder().decode(EvaluationSummary.self, from: data)
            {
                print(EvaluationTable.render(summary), terminator: "")
            }
            if case .array(let compared)? = record.steps.first(where: { $0.step == "evaluate" })?.outputs?["compared"] {
                print(
                    "\nsame folds, cold films = at most \(EvaluationReport.coldThreshold) training ratings, nDCG@\(spec.k) against popularity's:")
                let rows = compared.map { entry in
                    func metric(_ name: String) -> String {
                        entry[name]?.doubleValue.map { String(format: "%.4f", $0) } ?? "—"
                    }
                    let name = (entry["algorithm"]?.stringValue ?? "?").padding(toLength: 8, withPad: " ", startingAt: 0)
                    let accuracy =
                        entry["rmse"]?.doubleValue == nil
                        ? "ranks films (no RMSE)"
                        : String(
                            format: "RMSE %@  MAE %@  cold-film RMSE %@ (n=%d)", metric("rmse"), metric("mae"),
                            metric("cold_rmse"), Int(entry["cold_ratings"]?.doubleValue ?? 0))
                    var ranking = ""
                    if let ndcg = entry["ndcg"]?.doubleValue {
                        ranking = String(format: "nDCG %.4f", ndcg)
                        if let popularity = entry["popularity_ndcg"]?.doubleValue, popularity > 0 {
                            ranking += String(format: " (%.2f× popularity)", ndcg / popularity)
                        }
                    }
                    return (name, accuracy, ranking)
                }
                let width = rows.map(\.1.count).max() ?? 0
                for (name, accuracy, ranking) in rows {
                    print("  \(name) \(accuracy.padding(toLength: width, withPad: " ", startingAt: 0))  \(ranking)")
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
