import Foundation

/// The plain-text table `marquee evaluate` prints.
public enum EvaluationTable {
    /// Metrics by row, folds by column.
    public static func render(_ summary: EvaluationSummary) -> String {
        var lines: [String] = []
        let version = summary.datasetVersion.map { "dataset \($0), " } ?? ""
        lines.append(
            "\(summary.algorithm) — \(version)\(summary.ratings) ratings, \(summary.users) users, \(summary.films) films; split \(summary.split.spec), seed \(summary.split.seed)"
        )
        let folds = summary.split.folds
        var header = "metric".padding(toLength: 14, withPad: " ", startingAt: 0) + "    mean     std"
        if folds > 1 { for fold in 1...folds { header += String(format: "  fold %-2d", fold) } }
        lines.append(header)
        func row(_ name: String, _ statistic: EvaluationSummary.Statistic?) {
            var line = name.padding(toLength: 14, withPad: " ", startingAt: 0)
            guard let statistic else {
                return lines.append(line + "  —  (\(summary.algorithm) ranks films; it does not predict ratings)")
            }
            line += String(format: "  %.4f  %.4f", statistic.mean, statistic.std)
            if folds > 1 { for value in statistic.perFold { line += String(format: "   %.4f", value) } }
            lines.append(line)
        }
        row("RMSE", summary.rmse)
        row("MAE", summary.mae)
        if let ranking = summary.ranking {
            let k = ranking.k
            for (name, value) in [
                ("Precision@\(k)", ranking.precision), ("Recall@\(k)", ranking.recall), ("nDCG@\(k)", ranking.ndcg),
                ("MAP@\(k)", ranking.map), ("HitRate@\(k)", ranking.hitRate), ("Coverage@\(k)", ranking.coverage),
            ] {
                lines.append(name.padding(toLength: 14, withPad: " ", startingAt: 0) + String(format: "  %.4f", value))
            }
            if let line = popularityLine(summary) { lines.append(line) }
        }
        if let rankings = summary.rankings, rankings.count > 1 {
            lines.append(
                "cut-off  precision  recall  nDCG    MAP     hit rate  coverage  novelty  popularity (mean raters)")
            for ranking in rankings {
                lines.append(
                    String(
                        format: "@%-6d  %.4f     %.4f  %.4f  %.4f  %.4f    %.4f    %6.2f   %.1f", ranking.k,
                        ranking.precision, ranking.recall, ranking.ndcg, ranking.map, ranking.hitRate, ranking.coverage,
                        ranking.novelty ?? 0, ranking.meanPopularity ?? 0))
            }
        }
        lines.append(
            String(
                format: "fit %.2f s, predict %.2f s, ranking %.2f s (summed over folds); wall %.2f s",
                summary.fitSeconds, summary.predictSeconds, summary.rankingSeconds, summary.wallSeconds))
        return lines.joined(separator: "\n") + "\n"
    }
}

extension EvaluationTable {
    /// "beats popularity? yes — nDCG@10 0.3773 vs 0.1868 (2.02×) on the same folds", or `nil`
    /// without a comparison (k = 0, or the popularity ranker itself).
    public static func popularityLine(_ summary: EvaluationSummary) -> String? {
        guard let ranking = summary.ranking, let popularity = summary.popularity, let beats = summary.beatsPopularity
        else { return nil }
        let ratio = popularity.ndcg > 0 ? String(format: " (%.2f×)", ranking.ndcg / popularity.ndcg) : ""
        return String(
            format: "beats popularity? %@ — nDCG@%d %.4f vs %.4f%@ on the same folds", beats ? "yes" : "NO", ranking.k,
            ranking.ndcg, popularity.ndcg, ratio)
    }
}

/// One self-contained HTML page (inline CSS and SVG, no scripts, no network) describing an
/// evaluation: metrics, per-fold bars, rating distribution, error by film popularity, parameters.
public enum EvaluationReport {
    /// The page.
    public static func html(_ evaluation: Evaluation, datasetName: String) -> String {
        let summary = evaluation.summary
        var body = ""
        body += "<h1>\(escape(summary.algorithm)) on <code>\(escape(datasetName))</code></h1>\n"
        body +=
            "<p class=sub>Dataset version <code>\(escape(summary.datasetVersion ?? "—"))</code> · \(summary.ratings) ratings, \(summary.users) users, \(summary.films) films · split <code>\(escape(summary.split.spec))</code>, seed \(summary.split.seed) · Marquee \(escape(summary.marqueeVersion))</p>\n"
        body += metricTable(summary)
        let folds = evaluation.folds
        // Per-fold bars on an axis from just below the lowest fold, so a difference of 0.01 shows.
        let perFold: [(String, [Double])] = [
            ("RMSE", folds.compactMap(\.rmse)), ("MAE", folds.compactMap(\.mae)),
            ("nDCG@\(evaluation.request.k)", folds.compactMap(\.ranking?.ndcg)),
        ]
        for (name, values) in perFold where folds.count > 1 && values.count == folds.count {
            let low = values.min()!, high = values.max()!
            body += section(
                "\(name) per fold", "\(name) of each test fold; the axis starts below the lowest, not at 0.",
                barChart(
                    groups: folds.indices.map { "fold \($0 + 1)" }, series: [(name, values)], format: "%.4f",
                    floor: max(0, low - max(0.01, (high - low) / 2))))
        }
        if let rankings = summary.rankings, rankings.count > 1 {
            body += section(
                "Ranking metrics by cut-off", "Precision, recall and nDCG of the same lists cut at each k.",
                barChart(
                    groups: rankings.map { "@\($0.k)" },
                    series: [
                        ("Precision", rankings.map(\.precision)), ("Recall", rankings.map(\.recall)),
                        ("nDCG", rankings.map(\.ndcg)),
                    ], format: "%.3f"))
        }
        if evaluation.request.algorithm.predictsRatings {
            let actual = folds.flatMap(\.actual)
            let predicted = folds.flatMap(\.predicted)
            body += section(
                "Rating distribution", "Test ratings and the model's predictions, binned to the nearest half star.",
                ratingHistogram(actual: actual, predicted: predicted, scale: scale(summary)))
            body += section(
                "Error by film popularity",
                "RMSE of test ratings grouped by how many training ratings the film had (0 = never seen in training).",
                popularityChart(folds))
        }
        body += parameterTable(summary)
        return page(title: "Marquee: \(summary.algorithm) on \(datasetName)", body: body)
    }

    /// A self-contained page around `body`.
    static func page(title: String, body: String) -> String {
        """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(title))</title>
            <style>
            body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2433;margin:0;background:#f6f7f9}
            main{max-width:980px;margin:0 auto;padding:28px 24px 48px}
            h1{font-size:26px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 4px}
            .sub,.note{color:#5b6478;margin:0 0 14px}
            section,table.metrics,table.params{background:#fff;border:1px solid #e1e4ea;border-radius:8px}
            section{padding:14px 18px 10px;margin-top:18px}section h2{margin-top:0}
            table{border-collapse:collapse}table.metrics,table.params{width:100%;margin-top:18px}
            th,td{padding:7px 12px;text-align:right;border-bottom:1px solid #eef0f4;font-variant-numeric:tabular-nums}
            th:first-child,td:first-child{text-align:left}th{background:#f0f2f6;font-weight:600}
            code{font:13px ui-monospace,SFMono-Regular,Menlo,monospace;background:#eef0f4;padding:1px 5px;border-radius:4px}
            svg text{font:12px system-ui,sans-serif;fill:#39404f}
            </style></head>
            <body><main>
            \(body)
            </main></body></html>

            """
    }

    static let palette = ["#3b6fd8", "#e08a2e", "#3aa676", "#c2476b"]

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func scale(_ summary: EvaluationSummary) -> ClosedRange<Double> {
        let low = summary.params["rating_min"] ?? 0.5
        let high = summary.params["rating_max"] ?? 5
        return low...max(low, high)
    }

    static func section(_ title: String, _ note: String, _ content: String) -> String {
        "<section><h2>\(escape(title))</h2><p class=note>\(escape(note))</p>\n\(content)\n</section>\n"
    }

    static func metricTable(_ summary: EvaluationSummary) -> String {
        var rows = [("RMSE", summary.rmse), ("MAE", summary.mae)].map { name, statistic in
            guard let statistic else {
                return "<tr><td>\(name)</td><td>— (a ranker: its scores are not ratings)</td><td></td></tr>"
            }
            return
                "<tr><td>\(name)</td><td>\(String(format: "%.4f", statistic.mean))</td><td>± \(String(format: "%.4f", statistic.std))</td></tr>"
        }
        if let ranking = summary.ranking {
            let k = ranking.k
            for (name, value) in [
                ("Precision@\(k)", ranking.precision), ("Recall@\(k)", ranking.recall), ("nDCG@\(k)", ranking.ndcg),
                ("MAP@\(k)", ranking.map), ("HitRate@\(k)", ranking.hitRate),
                ("Catalogue coverage@\(k)", ranking.coverage),
            ] {
                rows.append("<tr><td>\(name)</td><td>\(String(format: "%.4f", value))</td><td></td></tr>")
            }
            if let line = EvaluationTable.popularityLine(summary) {
                rows.append("<tr><td colspan=3>\(escape(line))</td></tr>")
            }
        }
        let threshold =
            summary.ranking?.relevanceThreshold.map { "test ratings ≥ \($0) are relevant" }
            ?? "every test rating is relevant"
        return """
            <table class=metrics><tr><th>Metric</th><th>Mean over folds</th><th>Std</th></tr>
            \(rows.joined(separator: "\n"))
            </table>
            <p class=note>Ranking: every film the user did not rate in training is ranked (no sampling); \(threshold).
            Fit \(String(format: "%.2f", summary.fitSeconds)) s, predict \(String(format: "%.2f", summary.predictSeconds)) s, ranking \(String(format: "%.2f", summary.rankingSeconds)) s summed over folds; wall \(String(format: "%.2f", summary.wallSeconds)) s.</p>

            """
    }

    static func parameterTable(_ summary: EvaluationSummary) -> String {
        let rows = summary.params.keys.sorted().map { key in
            let value = summary.params[key]!
            let text = value.rounded() == value && abs(value) < 1e9 ? String(Int(value)) : String(value)
            return "<tr><td><code>\(escape(key))</code></td><td>\(text)</td></tr>"
        }
        return "<h2>Parameters</h2>\n<table class=params><tr><th>Parameter</th><th>Value</th></tr>\n"
            + rows.joined(separator: "\n") + "\n</table>\n"
    }

    static func ratingHistogram(actual: [Double], predicted: [Double], scale: ClosedRange<Double>) -> String {
        let steps = Int(((scale.upperBound - scale.lowerBound) * 2).rounded()) + 1
        func bin(_ values: [Double]) -> [Double] {
            var counts = [Double](repeating: 0, count: max(steps, 1))
            for value in values {
                let index = Int(((value - scale.lowerBound) * 2).rounded())
                counts[min(max(index, 0), counts.count - 1)] += 1
            }
            let total = max(Double(values.count), 1)
            return counts.map { $0 / total * 100 }
        }
        let labels = (0..<max(steps, 1)).map { step in
            let value = scale.lowerBound + Double(step) / 2
            return value.rounded() == value ? String(Int(value)) : String(value)
        }
        return barChart(
            groups: labels, series: [("test ratings", bin(actual)), ("predictions", bin(predicted))], format: "%.0f%%",
            yLabel: "% of test ratings")
    }

    /// Film-popularity groups: how many training ratings the film had (0 = never seen in training).
    static let popularityBuckets: [(label: String, range: ClosedRange<Int32>)] = [
        ("0", 0...0), ("1–4", 1...4), ("5–19", 5...19), ("20–49", 20...49), ("50–99", 50...99),
        ("100+", 100...Int32.max),
    ]

    /// Per popularity group: test ratings and RMSE (`nil` for an empty group).
    public static func errorByPopularity(_ folds: [FoldOutcome]) -> [(label: String, count: Int, rmse: Double?)] {
        var squared = [Double](repeating: 0, count: popularityBuckets.count)
        var counts = [Int](repeating: 0, count: popularityBuckets.count)
        for fold in folds {
            for index in fold.actual.indices {
                guard let bucket = popularityBuckets.firstIndex(where: { $0.range.contains(fold.itemTrainingCount[index]) })
                else { continue }
                let error = fold.actual[index] - fold.predicted[index]
                squared[bucket] += error * error
                counts[bucket] += 1
            }
        }
        return popularityBuckets.indices.map { bucket in
            (
                popularityBuckets[bucket].label, counts[bucket],
                counts[bucket] > 0 ? (squared[bucket] / Double(counts[bucket])).squareRoot() : nil
            )
        }
    }

    static func popularityChart(_ folds: [FoldOutcome]) -> String {
        let groups = errorByPopularity(folds).filter { $0.count > 0 }
        return barChart(
            groups: groups.map { "\($0.label) (n=\($0.count))" }, series: [("RMSE", groups.map { $0.rmse! })],
            format: "%.3f", yLabel: "RMSE")
    }

    /// Grouped vertical bars with a y axis from 0 (or from `floor`, rounded down to a tick, so
    /// small differences show), value labels and a legend.
    static func barChart(
        groups: [String], series: [(String, [Double])], format: String, yLabel: String = "", floor: Double = 0
    ) -> String {
        let width = 900.0
        let height = 300.0
        let left = 60.0
        let right = 16.0
        let top = 44.0
        let bottom = 46.0
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        let maximum = max(series.flatMap(\.1).max() ?? 1, floor + 1e-9)
        let tick = niceStep((maximum - floor) / 4)
        let yMin = (floor / tick).rounded(.down) * tick
        let yMax = (maximum / tick).rounded(.up) * tick
        var svg =
            "<svg viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"100%\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\">\n"
        var value = yMin
        while value <= yMax + tick / 2 {
            let y = top + plotHeight * (1 - (value - yMin) / (yMax - yMin))
            svg += String(
                format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e6e8ee\"/>", left, y,
                width - right, y)
            svg += String(
                format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%@</text>\n", left - 6, y + 4,
                trimmed(value) as NSString)
            value += tick
        }
        if !yLabel.isEmpty {
            svg += String(
                format:
                    "<text x=\"14\" y=\"%.1f\" transform=\"rotate(-90 14 %.1f)\" text-anchor=\"middle\">%@</text>\n",
                top + plotHeight / 2, top + plotHeight / 2, escape(yLabel) as NSString)
        }
        let groupWidth = plotWidth / Double(max(groups.count, 1))
        let barWidth = min(groupWidth * 0.8 / Double(max(series.count, 1)), 60)
        for (groupIndex, group) in groups.enumerated() {
            let groupStart = left + groupWidth * Double(groupIndex) + (groupWidth - barWidth * Double(series.count)) / 2
            for (seriesIndex, (_, values)) in series.enumerated() {
                let value = values[groupIndex]
                let barHeight = plotHeight * max(0, value - yMin) / (yMax - yMin)
                let x = groupStart + barWidth * Double(seriesIndex)
                let y = top + plotHeight - barHeight
                svg += String(
                    format:
                        "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%@\" rx=\"2\"><title>%@</title></rect>",
                    x, y, barWidth - 2, barHeight, palette[seriesIndex % palette.count] as NSString,
                    escape("\(series[seriesIndex].0) \(group): \(String(format: format, value))") as NSString)
                if groups.count * series.count <= 24 {
                    svg += String(
                        format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"11\">%@</text>",
                        x + (barWidth - 2) / 2, y - 4, String(format: format, value) as NSString)
                }
                svg += "\n"
            }
            svg += String(
                format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%@</text>\n",
                left + groupWidth * (Double(groupIndex) + 0.5), top + plotHeight + 18, escape(group) as NSString)
        }
        svg += String(
            format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#8a91a3\"/>\n", left,
            top + plotHeight, width - right, top + plotHeight)
        var legendX = left
        for (index, (name, _)) in series.enumerated() {
            svg += String(
                format:
                    "<rect x=\"%.1f\" y=\"8\" width=\"12\" height=\"12\" fill=\"%@\" rx=\"2\"/><text x=\"%.1f\" y=\"18\">%@</text>\n",
                legendX, palette[index % palette.count] as NSString, legendX + 17, escape(name) as NSString)
            legendX += 30 + Double(name.count) * 7
        }
        return svg + "</svg>"
    }

    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0 else { return 1 }
        let magnitude = pow(10, floor(log10(raw)))
        for multiple in [1.0, 2, 2.5, 5, 10] where raw <= multiple * magnitude { return multiple * magnitude }
        return 10 * magnitude
    }

    static func trimmed(_ value: Double) -> String {
        let text = String(format: "%.3f", value)
        var result = text
        while result.contains("."), result.hasSuffix("0") { result.removeLast() }
        if result.hasSuffix(".") { result.removeLast() }
        return result
    }
}
