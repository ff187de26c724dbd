import Foundation

/// Several algorithms evaluated on the same dataset, split and seed, side by side — above all on
/// the films with few training ratings, where content (genres, year, scraped credits) is what a
/// model has to go on.
extension EvaluationReport {
    /// Films with at most this many training ratings count as cold in the comparison.
    public static let coldThreshold: Int32 = 4

    /// RMSE over the test ratings of films with at most ``coldThreshold`` training ratings, and
    /// how many such ratings there were.
    public static func coldStartRMSE(_ evaluation: Evaluation) -> (count: Int, rmse: Double?) {
        var squared = 0.0
        var count = 0
        for fold in evaluation.folds {
            for index in fold.actual.indices where fold.itemTrainingCount[index] <= coldThreshold {
                let error = fold.actual[index] - fold.predicted[index]
                squared += error * error
                count += 1
            }
        }
        return (count, count > 0 ? (squared / Double(count)).squareRoot() : nil)
    }

    /// A mean to 4 decimals, or `—   ` for a ranker's absent RMSE/MAE.
    static func format(_ statistic: EvaluationSummary.Statistic?) -> String {
        statistic.map { String(format: "%.4f", $0.mean) } ?? "—     "
    }

    /// The comparison as a terminal table: overall RMSE/MAE/nDCG and cold-film RMSE per algorithm.
    public static func comparisonTable(_ evaluations: [Evaluation]) -> String {
        var out = "algorithm   RMSE     MAE      nDCG@k   cold-film RMSE (≤\(coldThreshold) training ratings)\n"
        for evaluation in evaluations {
            let summary = evaluation.summary
            let cold = coldStartRMSE(evaluation)
            out += summary.algorithm.padding(toLength: 10, withPad: " ", startingAt: 0)
            out += "  " + format(summary.rmse) + "   " + format(summary.mae) + "   "
            out += summary.ranking.map { String(format: "%.4f   ", $0.ndcg) } ?? "—        "
            out += cold.rmse.map { String(format: "%.4f (n=%d)", $0, cold.count) } ?? "— (no cold films in the test folds)"
            out += "\n"
        }
        return out
    }

    /// One page comparing `evaluations` (same dataset and split): metrics side by side, then RMSE
    /// by film popularity for each, with the cold groups first.
    public static func comparisonHTML(_ evaluations: [Evaluation], datasetName: String) -> String {
        guard let first = evaluations.first?.summary else { return page(title: "Marquee comparison", body: "") }
        let names = evaluations.map(\.summary.algorithm)
        var body = "<h1>\(escape(names.joined(separator: " vs "))) on <code>\(escape(datasetName))</code></h1>\n"
        body +=
            "<p class=sub>Dataset version <code>\(escape(first.datasetVersion ?? "—"))</code> · \(first.ratings) ratings, \(first.users) users, \(first.films) films · split <code>\(escape(first.split.spec))</code>, seed \(first.split.seed): the same folds for every algorithm · Marquee \(escape(first.marqueeVersion))</p>\n"
        var rows = ""
        for evaluation in evaluations {
            let summary = evaluation.summary
            let cold = coldStartRMSE(evaluation)
            rows +=
                "<tr><td>\(escape(summary.algorithm))</td><td>\(format(summary.rmse))</td><td>\(format(summary.mae))</td><td>\(summary.ranking.map { String(format: "%.4f", $0.ndcg) } ?? "—")</td><td>\(cold.rmse.map { String(format: "%.4f", $0) } ?? "—")</td><td>\(cold.count)</td></tr>\n"
        }
        body += """
            <table class=metrics><tr><th>Algorithm</th><th>RMSE</th><th>MAE</th><th>nDCG@\(first.ranking?.k ?? 0)</th><th>Cold-film RMSE</th><th>Cold test ratings</th></tr>
            \(rows)</table>
            <p class=note>Cold films: at most \(coldThreshold) ratings in the training folds (0 = never seen). A rating predictor can only fall back to biases there; a model that reads content can do better — or not: the numbers are measured, not assumed.</p>

            """
        // Rankers predict no ratings: they have no error to chart (and must not show as 0).
        let predictors = evaluations.filter { $0.summary.rmse != nil }
        guard !predictors.isEmpty else {
            return page(title: "Marquee: \(names.joined(separator: " vs ")) on \(datasetName)", body: body)
        }
        let groups = predictors.map { errorByPopularity($0.folds) }
        let kept = popularityBuckets.indices.filter { bucket in groups.contains { $0[bucket].count > 0 } }
        let rankers = evaluations.count - predictors.count
        body += section(
            "Error by film popularity",
            "RMSE of test ratings grouped by how many training ratings the film had, for each algorithm"
                + (rankers > 0 ? " that predicts ratings (the rankers rank films and have none)." : "."),
            barChart(
                groups: kept.map { "\(popularityBuckets[$0].label) (n=\(groups[0][$0].count))" },
                series: zip(predictors.map(\.summary.algorithm), groups).map { name, group in
                    (name, kept.map { group[$0].rmse ?? 0 })
                },
                format: "%.3f", yLabel: "RMSE"))
        return page(title: "Marquee: \(names.joined(separator: " vs ")) on \(datasetName)", body: body)
    }
}
