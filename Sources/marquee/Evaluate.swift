import ArgumentParser
import Foundation
import MarqueeCore
import MarqueeML
import MarqueeStore

/// `marquee evaluate`: cross-validate or hold out an algorithm on a dataset.
struct Evaluate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure an algorithm on a dataset: RMSE/MAE and top-k ranking metrics, per fold.",
        discussion: """
            Splits: --cv K (k-fold over shuffled ratings, as Surprise's KFold), or --split random:0.8, \
            stratified:0.75 (per user), temporal:N (each user's last N ratings) or cold-items:0.1 \
            (all ratings of 10% of films held out). Ranking metrics rank every film the user did not \
            rate in training (no sampling). The JSON output's fields are a stable interface.

            Parameters (--param name=value; … is derived, see its meaning):
            """ + "\n" + Algorithm.parameterHelp)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var data: SplitOptions
    @OptionGroup var tracking: TrackingOptions
    @Option(help: "\(Algorithm.allCases.map(\.rawValue).joined(separator: ", ")).") var algorithm: Algorithm
    @Option(name: .customLong("param"), help: "Hyper-parameter key=value (repeatable), e.g. n_factors=50.")
    var params: [String] = []
    @Option(name: .customLong("params"), help: "A parameter file marquee tune wrote; --param settings override it.")
    var paramsFile: String?
    @Option(help: "Seed of the split and of the fits.") var seed: UInt32 = 0
    @Option(
        name: [.customShort("k"), .long],
        help: "Cut-off(s) of the ranking metrics: 10, or 5,10,20 (the first heads the table; 0: skip them).")
    var k = "10"
    @Option(help: "Test ratings at or above this are relevant (default: every test rating).")
    var relevanceThreshold: Double?
    @Option(help: "text or json.") var format: OutputFormat = .text
    @Option(help: "Also write a self-contained HTML report here.") var report: String?
    @Option(help: "Folds fitted at once (default: cores).") var jobs: Int?

    /// `-k` as numbers.
    var cutoffs: [Int] { k.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

    func validate() throws {
        let parts = k.split(separator: ",", omittingEmptySubsequences: false)
        guard !parts.isEmpty, cutoffs.count == parts.count, cutoffs.allSatisfy({ $0 >= 0 }) else {
            throw ValidationError("-k \(k): give whole numbers ≥ 0, e.g. -k 10 or -k 5,10,20")
        }
    }

    func run() async throws {
        let logger = global.makeLogger("marquee.evaluate")
        try await reportingErrors {
            let parameters = try Hyperparameters(
                algorithm, settings: (try paramsFile.map { file throws(MarqueeError) in try ParameterFile.read(file, for: algorithm) } ?? []) + params)
            let (table, version, strategy) = try await data.load(global, logger: logger)
            var request = EvaluationRequest(
                algorithm: algorithm, parameters: parameters, split: strategy,
                seed: seed, k: cutoffs[0], relevanceThreshold: relevanceThreshold,
                parallelism: jobs ?? ProcessInfo.processInfo.activeProcessorCount)
            request.moreCutoffs = Array(cutoffs.dropFirst())
            if let report { try OutputLocation.check(URL(fileURLWithPath: report), what: "the report") }
            let progress = global.progress("evaluate \(algorithm.rawValue)", unit: "epochs")
            let started = Date()
            let evaluation = try Evaluator.evaluate(request, on: table, datasetVersion: version, progress: progress)
            progress.finish()
            defer {
                if let record = try? ExperimentRecord.evaluation(evaluation, started: started) {
                    tracking.record(record, in: global, logger: logger)
                }
            }
            let summary = evaluation.summary
            switch format {
            case .json:
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(summary), as: UTF8.self))
            case .text:
                print(EvaluationTable.render(summary), terminator: "")
            }
            if let report {
                let html = EvaluationReport.html(evaluation, datasetName: data.name)
                do {
                    try Data(html.utf8).write(to: URL(fileURLWithPath: report), options: .atomic)
                } catch {
                    throw MarqueeError(
                        .cannotCreate, "cannot write the report", location: report,
                        hint: "check the folder and the free space")
                }
                FileHandle.standardError.write(Data("marquee: report → \(report)\n".utf8))
            }
        }
    }
}
