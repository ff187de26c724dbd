import ArgumentParser
import Foundation
import MarqueeCore
import MarqueeML
import MarqueeStore

/// `marquee tune`: a grid or random search over an algorithm's hyper-parameters.
struct Tune: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Search hyper-parameters (grid or random), as Surprise's GridSearchCV and RandomizedSearchCV.",
        discussion: """
            Every combination of --grid (or --random N of them, drawn for the seed) is evaluated on \
            the same folds, trials on all cores; the table shows each trial's metric per fold and \
            the best, whose settings --out writes as a parameter file that train --params and \
            evaluate --params read. Default metric: ndcg@10 (rmse for --metric rmse; rankers have none).
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var data: SplitOptions
    @OptionGroup var tracking: TrackingOptions
    @Option(help: "\(Algorithm.allCases.map(\.rawValue).joined(separator: ", ")).") var algorithm: Algorithm
    @Option(help: "The values to try: 'n_factors=32,64,128 reg=0.01,0.1'.") var grid: String
    @Option(help: "Evaluate only this many combinations, drawn at random (default: all).") var random: Int?
    @Option(help: "What to maximise: ndcg@K, precision@K, recall@K, map@K, hit_rate@K; or minimise: rmse, mae.")
    var metric = "ndcg@10"
    @Option(name: .customLong("param"), help: "A setting every trial shares, key=value (repeatable).")
    var params: [String] = []
    @Option(help: "Seed of the split, the fits and the random draw.") var seed: UInt32 = 0
    @Option(help: "Write the best settings here (a parameter file for train --params).") var out: String?
    @Option(help: "text or json.") var format: OutputFormat = .text
    @Option(help: "Trials evaluated at once (default: cores).") var jobs: Int?

    struct Output: Encodable {
        struct Row: Encodable {
            var values: [String: Double]
            var score: Double
            var perFold: [Double]
            var fitSeconds: Double

            enum CodingKeys: String, CodingKey {
                case values, score
                case perFold = "per_fold"
                case fitSeconds = "fit_seconds"
            }
        }
        var algorithm, metric, split: String
        var trials: [Row]
        var best: ParameterFile
        var wallSeconds: Double

        enum CodingKeys: String, CodingKey {
            case algorithm, metric, split, trials, best
            case wallSeconds = "wall_seconds"
        }
    }

    func run() async throws {
        let logger = global.makeLogger("marquee.tune")
        try await reportingErrors {
            let metric = try TuningMetric(parsing: metric)
            let grid = try TuningRequest.parseGrid(grid)
            if let out { try OutputLocation.check(URL(fileURLWithPath: out), what: "the parameter file") }
            let (table, version, split) = try await data.load(global, folds: 3, logger: logger)
            let request = TuningRequest(
                algorithm: algorithm, fixed: params, grid: grid, random: random, split: split, seed: seed,
                metric: metric,
                parallelism: jobs ?? ProcessInfo.processInfo.activeProcessorCount)
            let progress = global.progress("tune \(algorithm.rawValue)", unit: "trials")
            let result = try Tuner.tune(request, on: table, datasetVersion: version, progress: progress)
            progress.finish()
            let best = ParameterFile(result)
            let bestTrial = result.trials[result.best]
            tracking.record(
                ExperimentRecord(
                    kind: "tune", algorithm: algorithm.rawValue, parameters: bestTrial.evaluation.parameters,
                    datasetVersion: version, split: split.description,
                    metrics: .object(
                        JSONObject([
                            ("metric", .string(metric.description)), ("best", .number(Double(result.best))),
                            ("score", .number(bestTrial.score)),
                            ("per_fold", .array(bestTrial.perFold.map(JSONValue.number))),
                            (
                                "trials",
                                .array(
                                    result.trials.map { trial in
                                        .object(
                                            JSONObject([
                                                (
                                                    "settings",
                                                    .object(
                                                        JSONObject(
                                                            trial.values.sorted { $0.key < $1.key }.map {
                                                                ($0.key, .number($0.value))
                                                            }))
                                                ),
                                                ("score", .number(trial.score)),
                                                ("per_fold", .array(trial.perFold.map(JSONValue.number))),
                                            ]))
                                    })
                            ),
                        ])), startedAt: Date(timeIntervalSinceNow: -result.wallSeconds), seconds: result.wallSeconds),
                in: global, logger: logger)
            if let out {
                do {
                    try best.encoded().write(to: URL(fileURLWithPath: out), options: .atomic)
                } catch {
                    throw MarqueeError(.cannotCreate, "cannot write the parameter file", location: out)
                }
            }
            if format == .json {
                return try printJSON(
                    Output(
                        algorithm: algorithm.rawValue, metric: metric.description, split: split.description,
                        trials: result.trials.map {
                            .init(
                                values: $0.values, score: $0.score, perFold: $0.perFold,
                                fitSeconds: $0.evaluation.folds.reduce(0) { $0 + $1.fitSeconds })
                        }, best: best, wallSeconds: result.wallSeconds))
            }
            print(Self.table(result), terminator: "")
            if let out { print("best settings → \(out) (marquee train --params \(out) …)") }
        }
    }

    /// One row per trial: the grid's values, the metric's mean and per-fold values, fit seconds; the best marked.
    static func table(_ result: TuningResult) -> String {
        let names = result.request.grid.map(\.name)
        let widths = names.map { max($0.count, 8) }
        var out =
            "\(result.request.algorithm.rawValue): \(result.trials.count) trials, \(result.request.metric) over \(result.request.split), seed \(result.request.seed)\n"
        out += zip(names, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
        out +=
            "  " + result.request.metric.description.padding(toLength: 10, withPad: " ", startingAt: 0) + "  per fold\n"
        for (index, trial) in result.trials.enumerated() {
            out += zip(names, widths).map { name, width in
                TuningResult.number(trial.values[name]!).padding(toLength: width, withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
            out +=
                String(format: "  %-10.4f  ", trial.score)
                + trial.perFold.map { String(format: "%.4f", $0) }.joined(separator: " ")
            out += index == result.best ? "  ← best\n" : "\n"
        }
        out += "best: \(result.bestSettings.joined(separator: " ")) (\(result.request.metric) "
        out +=
            String(format: "%.4f", result.trials[result.best].score) + String(format: "; %.2f s)\n", result.wallSeconds)
        return out
    }
}
