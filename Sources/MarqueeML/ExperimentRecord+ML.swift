import Foundation
import MarqueeCore
import MarqueeStore

extension ExperimentRecord {
    /// An evaluation's record: its summary JSON as the metrics (with `extra` members added,
    /// such as the pipeline run it belongs to).
    /// - Throws: `MarqueeError` `.failure` when the summary cannot be encoded.
    public static func evaluation(
        _ evaluation: Evaluation, started: Date, extra: [(String, JSONValue)] = []
    ) throws(MarqueeError) -> ExperimentRecord {
        let summary = evaluation.summary
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var metrics: JSONValue
        do {
            metrics = try JSONParser().parse(String(decoding: try encoder.encode(summary), as: UTF8.self)).value
        } catch {
            throw MarqueeError(.failure, "cannot encode the evaluation summary: \(error)")
        }
        if case .object(var object) = metrics, !extra.isEmpty {
            object.members += extra.map { (key: $0.0, value: $0.1) }
            metrics = .object(object)
        }
        return ExperimentRecord(
            kind: "evaluate", algorithm: summary.algorithm, parameters: summary.params,
            datasetVersion: summary.datasetVersion, split: summary.split.spec, metrics: metrics, startedAt: started,
            seconds: evaluation.wallSeconds)
    }

    /// A training's record: the data's size, where the model went and its SHA-256.
    /// - Parameters:
    ///   - model: The fitted model.
    ///   - set: What it was fitted on.
    ///   - path: Where the model file was written.
    ///   - bytes: The model file's bytes.
    ///   - datasetVersion: The dataset version trained on.
    ///   - started: When the training started.
    ///   - extra: Members added to the metrics (the pipeline run, say).
    public static func training(
        _ model: FactorModel, on set: TrainingSet, path: String, bytes: Data, datasetVersion: String, started: Date,
        extra: [(String, JSONValue)] = []
    ) -> ExperimentRecord {
        ExperimentRecord(
            kind: "train", algorithm: model.algorithm.rawValue, parameters: model.parameters,
            datasetVersion: datasetVersion, split: nil,
            metrics: .object(
                JSONObject(
                    [
                        ("ratings", .number(Double(set.ratingCount))), ("users", .number(Double(set.userCount))),
                        ("films", .number(Double(set.itemCount))), ("model", .string(path)),
                    ] + extra)), startedAt: started, seconds: Date().timeIntervalSince(started),
            modelSHA256: Hashing.sha256(bytes))
    }
}
