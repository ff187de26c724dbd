import Foundation
import MarqueeCore
import MarqueeML
import MarqueeStore

extension PipelineRunner {
    /// The evaluate step: cross-validates the `[train]` algorithm (and each `[evaluate] compare`
    /// algorithm, with the `[train]` parameters it takes) on the same folds of the dataset file,
    /// writes `evaluation.json`, `report.html` and, when comparing, `comparison.html` into the
    /// work folder, and returns the hash of the per-fold metrics with the step's outputs.
    /// - Throws: `MarqueeError` from loading or evaluating, `.failure` when a file cannot be written.
    func evaluateStep(datasetFile: String, datasetVersion: String?, parameters: Hyperparameters) throws(MarqueeError)
        -> (hash: String, outputs: JSONValue)
    {
        let table = try RatingTable.load(csv: URL(fileURLWithPath: datasetFile))
        func evaluate(_ algorithm: Algorithm, _ parameters: Hyperparameters) throws(MarqueeError)
            -> Evaluation
        {
            let request = EvaluationRequest(
                algorithm: algorithm, parameters: parameters, split: .kFold(spec.folds), seed: spec.seed,
                k: spec.k)
            let started = Date()
            let evaluation = try Evaluator.evaluate(request, on: table, datasetVersion: datasetVersion)
            if let record = try? ExperimentRecord.evaluation(
                evaluation, started: started, extra: [("pipeline", .string(spec.name))])
            {
                track(record)
            }
            return evaluation
        }
        let evaluation = try evaluate(spec.algorithm, parameters)
        var compared = [evaluation]
        for other in spec.compare {
            // The [train] parameters the other algorithm takes (n_factors, n_epochs, …).
            let known = Set(other.parameterSpecs.map(\.name))
            let settings = spec.parameters.filter { known.contains(String($0.prefix { $0 != "=" })) }
            compared.append(try evaluate(other, try Hyperparameters(other, settings: settings)))
        }
        let summary = evaluation.summary
        let json = environment.work.appendingPathComponent("evaluation.json")
        let report = environment.work.appendingPathComponent("report.html")
        let comparison = environment.work.appendingPathComponent("comparison.html")
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try encoder.encode(summary).write(to: json, options: .atomic)
            try Data(EvaluationReport.html(evaluation, datasetName: spec.dataset).utf8).write(
                to: report, options: .atomic)
            if compared.count > 1 {
                try Data(EvaluationReport.comparisonHTML(compared, datasetName: spec.dataset).utf8).write(
                    to: comparison, options: .atomic)
            }
        } catch {
            throw MarqueeError(
                .failure, "cannot write the evaluation", location: environment.work.path, underlying: error)
        }
        var members: [(String, JSONValue)] = [
            ("rmse", summary.rmse.map { .number($0.mean) } ?? .null),
            ("mae", summary.mae.map { .number($0.mean) } ?? .null),
            ("ndcg", summary.ranking.map { .number($0.ndcg) } ?? .null), ("report", .string(report.path)),
            ("summary", .string(json.path)),
        ]
        if compared.count > 1 {
            members.append(("comparison", .string(comparison.path)))
            members.append(
                (
                    "compared",
                    .array(
                        compared.map { other in
                            let cold = EvaluationReport.coldStartRMSE(other)
                            return .object(
                                JSONObject([
                                    ("algorithm", .string(other.summary.algorithm)),
                                    ("rmse", other.summary.rmse.map { .number($0.mean) } ?? .null),
                                    ("mae", other.summary.mae.map { .number($0.mean) } ?? .null),
                                    ("cold_rmse", cold.rmse.map(JSONValue.number) ?? .null),
                                    ("cold_ratings", .number(Double(cold.count))),
                                    ("ndcg", other.summary.ranking.map { .number($0.ndcg) } ?? .null),
                                    ("popularity_ndcg", other.summary.popularity.map { .number($0.ndcg) } ?? .null),
                                ]))
                        })
                ))
        }
        let perFold = compared.map {
            // A ranker has no RMSE: its ranking metrics stand for it.
            "\($0.summary.rmse?.perFold ?? []) \($0.summary.mae?.perFold ?? [])"
                + ($0.summary.rmse == nil ? $0.summary.ranking.map { " \($0.ndcg)" } ?? "" : "")
        }
        return (Hashing.sha256(perFold.joined(separator: ";")), .object(JSONObject(members)))
    }
}
