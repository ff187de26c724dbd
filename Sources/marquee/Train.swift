import ArgumentParser
import Foundation
import MarqueeCore
import MarqueeML
import MarqueeStore

/// `marquee train`: fit an algorithm on every rating of a dataset and write a model file.
struct Train: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fit an algorithm on a whole dataset and write a model file (docs/model-format.md).",
        discussion: "Parameters (--param name=value; … is derived, see its meaning):\n" + Algorithm.parameterHelp)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var tracking: TrackingOptions
    @OptionGroup var objectStore: ObjectStoreOptions
    @Option(help: "Dataset spec name, recorded version id, or a CSV file.") var dataset: String
    @Option(help: "\(Algorithm.allCases.map(\.rawValue).joined(separator: ", ")).") var algorithm: Algorithm
    @Option(name: .customLong("param"), help: "Hyper-parameter key=value (repeatable).") var params: [String] = []
    @Option(name: .customLong("params"), help: "A parameter file marquee tune wrote; --param settings override it.")
    var paramsFile: String?
    @Option(help: "Seed of the initialisation.") var seed: UInt32 = 0
    @Option(help: "The model file to write.") var out: String
    @Option(help: "text or json.") var format: OutputFormat = .text

    struct Outcome: Encodable {
        var algorithm: String
        var ratings, users, films, bytes: Int
        var seconds: Double
        var model, datasetVersion, sha256: String
    }

    func run() async throws {
        let logger = global.makeLogger("marquee.train")
        try await reportingErrors {
            let parameters = try Hyperparameters(
                algorithm,
                settings: (try paramsFile.map { file throws(MarqueeError) in
                    try ParameterFile.read(file, for: algorithm)
                } ?? []) + params)
            try OutputLocation.check(URL(fileURLWithPath: out), what: "the model")
            let (table, version) = try await global.loadRatings(dataset, objectStore: objectStore, logger: logger)
            let started = Date()
            let set = TrainingSet(table: table, rows: Array(0..<table.count))
            let progress = global.progress("train \(algorithm.rawValue)", unit: "epochs")
            let model = try Trainer.fit(algorithm, parameters: parameters, on: set, seed: seed) { epoch, epochs in
                progress.update(done: epoch, total: epochs)
            }
            progress.finish()
            let url = URL(fileURLWithPath: out)
            let bytes = try ModelFile.write(model, datasetVersion: version, to: url)
            tracking.record(
                .training(model, on: set, path: out, bytes: bytes, datasetVersion: version, started: started), in: global,
                logger: logger)
            if format == .json {
                return try printJSON(
                    Outcome(
                        algorithm: algorithm.rawValue, ratings: table.count, users: set.userCount, films: set.itemCount,
                        bytes: bytes.count, seconds: Date().timeIntervalSince(started), model: out,
                        datasetVersion: version, sha256: Hashing.sha256(bytes)))
            }
            print(
                String(
                    format: "trained %@ on %d ratings (%d users, %d films) in %.2f s → %@ (%d bytes)",
                    algorithm.rawValue, table.count, set.userCount, set.itemCount, Date().timeIntervalSince(started),
                    out, bytes.count))
            print("dataset \(version), sha256 \(Hashing.sha256(bytes))")
        }
    }
}
