import Foundation

/// Evaluations side by side — what `marquee experiments compare` prints and draws: one column
/// per run, one row per metric, and the per-fold spread of each run.
public enum ExperimentComparison {
    /// One compared run: a label (its id and algorithm) and its evaluation summary.
    public typealias Run = (label: String, summary: EvaluationSummary)

    /// The metric rows: name, then one value per run (`—` where a run has none).
    public static func rows(_ runs: [Run]) -> [(String, [String])] {
        func number(_ value: Double?) -> String { value.map { String(format: "%.4f", $0) } ?? "—" }
        func spread(_ values: [Double]?) -> String {
            guard let values, let low = values.min(), let high = values.max() else { return "—" }
            return String(format: "%.4f–%.4f", low, high)
        }
        var rows: [(String, [String])] = [
            ("algorithm", runs.map(\.summary.algorithm)),
            ("dataset", runs.map { $0.summary.datasetVersion ?? "—" }),
            ("split", runs.map { "\($0.summary.split.spec), seed \($0.summary.split.seed)" }),
            ("RMSE", runs.map { number($0.summary.rmse?.mean) }),
            ("MAE", runs.map { number($0.summary.mae?.mean) }),
        ]
        let ks = Set(runs.compactMap { $0.summary.ranking?.k }).sorted()
        for k in ks {
            func at(_ run: Run) -> EvaluationSummary.RankingSummary? {
                run.summary.ranking?.k == k ? run.summary.ranking : nil
            }
            rows += [
                ("Precision@\(k)", runs.map { number(at($0)?.precision) }),
                ("Recall@\(k)", runs.map { number(at($0)?.recall) }),
                ("nDCG@\(k)", runs.map { number(at($0)?.ndcg) }),
                ("nDCG@\(k) folds", runs.map { spread(at($0)?.ndcgPerFold) }),
                ("MAP@\(k)", runs.map { number(at($0)?.map) }),
                ("HitRate@\(k)", runs.map { number(at($0)?.hitRate) }),
                ("Coverage@\(k)", runs.map { number(at($0)?.coverage) }),
                (
                    "popularity nDCG@\(k)",
                    runs.map { run in number(run.summary.popularity.flatMap { $0.k == k ? $0.ndcg : nil }) }
                ),
            ]
        }
        rows.append(("RMSE folds", runs.map { spread($0.summary.rmse?.perFold) }))
        rows.append(("fit s", runs.map { String(format: "%.2f", $0.summary.fitSeconds) }))
        return rows
    }

    /// The rows as a terminal table, runs as columns.
    public static func table(_ runs: [Run]) -> String {
        let rows = [("", runs.map(\.label))] + rows(runs)
        let first = rows.map(\.0.count).max() ?? 0
        let widths = runs.indices.map { column in rows.map { $0.1[column].count }.max() ?? 0 }
        return rows.map { name, values in
            name.padding(toLength: first, withPad: " ", startingAt: 0) + "  "
                + zip(values, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(
                    separator: "  ")
        }.map { $0.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }.joined(separator: "\n")
            + "\n"
    }

    /// A self-contained page: the table, then per-fold bars of nDCG (and RMSE where runs have it)
    /// on an axis from the lowest value shown, so differences of 0.01 are visible.
    public static func html(_ runs: [Run]) -> String {
        var body = "<h1>Experiments compared</h1>\n<table class=metrics><tr><th></th>"
        body += runs.map { "<th>\(EvaluationReport.escape($0.label))</th>" }.joined() + "</tr>\n"
        for (name, values) in rows(runs) {
            body += "<tr><td>\(EvaluationReport.escape(name))</td>"
            body += values.map { "<td>\(EvaluationReport.escape($0))</td>" }.joined() + "</tr>\n"
        }
        body += "</table>\n"
        for (title, values) in [
            ("nDCG per fold", runs.map { $0.summary.ranking?.ndcgPerFold ?? [] }),
            ("RMSE per fold", runs.map { $0.summary.rmse?.perFold ?? [] }),
        ] {
            let folds = values.map(\.count).max() ?? 0
            guard folds > 0, values.allSatisfy({ $0.count == folds }) else { continue }
            body += EvaluationReport.section(
                title, "Each run's value on each test fold (the axis starts near the lowest value).",
                EvaluationReport.barChart(
                    groups: (1...folds).map { "fold \($0)" }, series: zip(runs, values).map { ($0.label, $1) },
                    format: "%.4f", yLabel: title.components(separatedBy: " ").first ?? "",
                    floor: (values.flatMap { $0 }.min() ?? 0) * 0.98))
        }
        return EvaluationReport.page(title: "Marquee: experiments compared", body: body)
    }
}
