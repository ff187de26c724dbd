import ArgumentParser
import Foundation
import MarqueeCore
import MarqueeML
import MarqueeStore

/// `marquee experiments`: the evaluations, searches and trainings recorded in the store.
struct Experiments: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Tracked evaluate, tune and train runs: list, show, compare.",
        discussion: """
            Every evaluate, tune and train records what it ran (algorithm, resolved parameters, \
            dataset version, split, metrics per fold, seconds, model hash, Marquee version) in the \
            store, unless --no-track.
            """,
        subcommands: [List.self, Show.self, Compare.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Experiments, newest first.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "How many.") var limit = 50
        @Option(help: "text or json.") var format: OutputFormat = .text

        func run() async throws {
            try await reportingErrors {
                let records = try global.openExistingStore().experiments(limit: limit)
                if format == .json { return try printJSON(records) }
                if records.isEmpty { print("no experiments recorded in \(global.store)") }
                for record in records {
                    print(
                        [
                            record.id, record.kind.padding(toLength: 8, withPad: " ", startingAt: 0),
                            record.algorithm.padding(toLength: 10, withPad: " ", startingAt: 0),
                            Self.headline(record), record.datasetVersion ?? "—",
                            String(format: "%.2f s", record.seconds),
                        ].joined(separator: "  "))
                }
            }
        }

        /// The one figure that says how it went: nDCG@k (or RMSE) of an evaluation, the best score of
        /// a search, the size of a training.
        static func headline(_ record: ExperimentRecord) -> String {
            let metrics = record.metrics
            switch record.kind {
            case "evaluate":
                if let ranking = metrics["ranking"], let ndcg = ranking["ndcg"]?.doubleValue {
                    return String(format: "nDCG@%d %.4f", Int(ranking["k"]?.doubleValue ?? 0), ndcg)
                }
                return metrics["rmse"]?["mean"]?.doubleValue.map { String(format: "RMSE %.4f", $0) } ?? "—"
            case "tune":
                return String(
                    format: "best %@ %.4f", metrics["metric"]?.stringValue ?? "?", metrics["score"]?.doubleValue ?? 0)
            default:
                return "\(Int(metrics["ratings"]?.doubleValue ?? 0)) ratings"
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One experiment, in full.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The experiment's id or a prefix of it.") var id: String
        @Option(help: "text or json.") var format: OutputFormat = .text

        func run() async throws {
            try await reportingErrors {
                let record = try global.openExistingStore().experiment(id)
                if format == .json { return try printJSON(record) }
                print("\(record.id)  \(record.kind) \(record.algorithm)  \(Microseconds.isoSeconds(record.startedAt))")
                print(
                    "dataset \(record.datasetVersion ?? "—"), split \(record.split ?? "—"), \(String(format: "%.2f", record.seconds)) s, Marquee \(record.marqueeVersion)"
                )
                if let hash = record.modelSHA256 { print("model sha256 \(hash)") }
                print(
                    "parameters: "
                        + record.parameters.sorted { $0.key < $1.key }.map {
                            "\($0.key)=\(TuningResult.number($0.value))"
                        }.joined(separator: " "))
                if record.kind == "evaluate", let summary = try? Compare.summary(record) {
                    print(EvaluationTable.render(summary), terminator: "")
                } else {
                    print("metrics: \(record.metrics.serialized())")
                }
            }
        }
    }

    struct Compare: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Evaluations side by side: every metric, per-fold spread, popularity; optionally an HTML page.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Two or more evaluate experiments (ids or prefixes).") var ids: [String]
        @Option(help: "text or json.") var format: OutputFormat = .text
        @Option(help: "Also write a self-contained HTML comparison here.") var report: String?

        func validate() throws {
            if ids.count < 2 { throw ValidationError("give two or more experiment ids (marquee experiments list)") }
        }

        /// An evaluate record's summary, as `evaluate --format json` printed it.
        static func summary(_ record: ExperimentRecord) throws(MarqueeError) -> EvaluationSummary {
            guard record.kind == "evaluate" else {
                throw MarqueeError(
                    .usage, "experiment \(record.id) is a \(record.kind), not an evaluate run",
                    hint: "compare evaluate runs; marquee experiments show \(record.id) shows this one")
            }
            do {
                return try JSONDecoder().decode(EvaluationSummary.self, from: Data(record.metrics.serialized().utf8))
            } catch {
                throw MarqueeError(.dataError, "experiment \(record.id)'s metrics cannot be read: \(error)")
            }
        }

        func run() async throws {
            try await reportingErrors {
                if let report { try OutputLocation.check(URL(fileURLWithPath: report), what: "the report") }
                let store = try global.openExistingStore()
                var runs: [ExperimentComparison.Run] = []
                var records: [ExperimentRecord] = []
                for id in ids {
                    let record = try store.experiment(id)
                    records.append(record)
                    runs.append(("\(record.id.suffix(6)) \(record.algorithm)", try Self.summary(record)))
                }
                if let report {
                    do {
                        try Data(ExperimentComparison.html(runs).utf8).write(
                            to: URL(fileURLWithPath: report), options: .atomic)
                    } catch {
                        throw MarqueeError(.cannotCreate, "cannot write the report", location: report)
                    }
                }
                if format == .json {
                    // Each run as recorded: the same objects experiments show --format json prints.
                    return try printJSON(records)
                }
                print(ExperimentComparison.table(runs), terminator: "")
            }
        }
    }
}
