import ArgumentParser
import Foundation
import MarqueeCore
import MarqueeML

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
    @Option(help: "Dataset spec name, recorded version id, or a CSV file.") var dataset: String?
    @Option(help: "A fixed split from files: the training ratings (CSV, with --test).") var train: String?
    @Option(help: "The test ratings (CSV, with --train); candidates are every film the user did not rate in it.")
    var test: String?
    @Option(help: "\(Algorithm.allCases.map(\.rawValue).joined(separator: ", ")).") var algorithm: Algorithm
    @Option(name: .customLong("param"), help: "Hyper-parameter key=value (repeatable), e.g. n_factors=50.")
    var params: [String] = []
    @Option(help: "k-fold cross-validation with this many folds (default 5 unless --split).") var cv: Int?
    @Option(help: "random:RATIO, stratified:RATIO, temporal:N or cold-items:FRACTION.") var split: String?
    @Option(help: "Seed of the split and of the fits.") var seed: UInt32 = 0
    @Option(name: [.customShort("k"), .long], help: "Cut-off of the ranking metrics (0: skip them).") var k = 10
    @Option(help: "Test ratings at or above this are relevant (default: every test rating).")
    var relevanceThreshold: Double?
    @Option(help: "text or json.") var format: OutputFormat = .text
    @Option(help: "Also write a self-contained HTML report here.") var report: String?
    @Option(help: "Folds fitted at once (default: cores).") var jobs: Int?

    func validate() throws {
        if cv != nil, split != nil { throw ValidationError("give --cv or --split, not both") }
        if (train == nil) != (test == nil) { throw ValidationError("give --train and --test together") }
        if train != nil, dataset != nil || cv != nil || split != nil {
            throw ValidationError("--train and --test are the split: give them instead of --dataset, --cv and --split")
        }
        if train == nil, dataset == nil { throw ValidationError("give --dataset, or --train and --test") }
        if let cv, cv < 2 { throw ValidationError("--cv needs at least 2 folds") }
        if k < 0 { throw ValidationError("-k must be ≥ 0") }
    }

    func run() async throws {
        _ = global.makeLogger("marquee.evaluate")
        try await reportingErrors {
            var strategy =
                try split.map { text throws(MarqueeError) in try SplitStrategy(parsing: text) } ?? .kFold(cv ?? 5)
            let loaded: (table: RatingTable, version: String)
            if let train, let test {
                let training = try RatingSource.file(train).load(store: global.openStore, catalog: global.loadCatalog)
                let testing = try RatingSource.file(test).load(store: global.openStore, catalog: global.loadCatalog)
                strategy = .files(trainRows: training.table.count)
                // file:TRAIN+TEST, each the first 16 hex digits of the file's SHA-256.
                loaded = (training.table.appending(testing.table), training.version + "+" + testing.version.dropFirst(5))
            } else {
                loaded = try global.loadRatings(dataset!)
            }
            let request = EvaluationRequest(
                algorithm: algorithm, parameters: try Hyperparameters(algorithm, settings: params), split: strategy,
                seed: seed, k: k, relevanceThreshold: relevanceThreshold,
                parallelism: jobs ?? ProcessInfo.processInfo.activeProcessorCount)
            if let report { try OutputLocation.check(URL(fileURLWithPath: report), what: "the report") }
            let (table, version) = loaded
            let progress = global.progress("evaluate \(algorithm.rawValue)", unit: "epochs")
            let evaluation = try Evaluator.evaluate(request, on: table, datasetVersion: version, progress: progress)
            progress.finish()
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
                let html = EvaluationReport.html(evaluation, datasetName: dataset ?? "\(train!) + \(test!)")
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
