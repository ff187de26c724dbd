import Foundation
import MarqueeCore
import MarqueeExport
import MarqueeML
import MarqueeStore
import TOMLKit

/// A pipeline, as `pipelines/<name>.toml` describes it: what to scrape, what to import, which
/// dataset to build, what to train and evaluate, and how to export. Sections other than
/// `[dataset]` and `[train]` are optional; a missing one skips its step.
public struct PipelineSpec: Sendable {
    /// The scrape step: a site and its start URLs, optionally replayed from a recording.
    public struct Scrape: Sendable, Hashable {
        /// The site, as its scraper spec names it.
        public var site: String
        /// The start URLs.
        public var starts: [String]
        /// A recording (WARC file or folder, or fixtures) to replay instead of the network.
        public var replay: String?
        /// Links followed from the start URLs, at most.
        public var depth: Int
        /// Pages recorded at most (`nil`: no limit).
        public var maxPages: Int?
    }

    /// The pipeline's name (its runs are recorded under it).
    public var name: String
    /// The `[[scrape]]` steps, in order.
    public var scrape: [Scrape]
    /// A MovieLens folder to import (ratings and links, the bridge to scraped films).
    public var movieLens: String?
    /// The dataset spec (features/datasets/<name>.toml).
    public var dataset: String
    /// The algorithm the train step fits (`[train] algorithm`).
    public var algorithm: Algorithm
    /// Hyper-parameters as `key=value`, as `marquee train --param` takes them.
    public var parameters: [String]
    /// Seed of the fit and of the evaluation's folds.
    public var seed: UInt32
    /// Folds of the evaluation (0: skip the step).
    public var folds: Int
    /// Length of the ranked lists the evaluation scores (`[evaluate] k`).
    public var k: Int
    /// Algorithms evaluated beside ``algorithm`` on the same folds (`[evaluate] compare`), each
    /// with the `[train]` parameters it takes; the run writes a comparison report.
    public var compare: [Algorithm]
    /// Export format (`nil`: skip the step).
    public var export: ExportFormat?
    /// When to run, in cron syntax (`0 3 * * *`, or `@daily`): what `marquee manifests --target
    /// cronjob` schedules (`nil`: run by hand or by an outside scheduler).
    public var schedule: String?
    /// Where the file came from.
    public var file: String

    /// Loads and checks `pipelines/<name>.toml` (or any path).
    /// - Throws: `MarqueeError` `.dataError` naming the file and key.
    public static func load(_ url: URL) throws(MarqueeError) -> PipelineSpec {
        let path = url.path
        let data: Data
        do {
            data = try InputFile.read(path, what: "the pipeline")
        } catch {
            throw MarqueeError(
                error.code, error.message, location: path, hint: "pipelines live in pipelines/<name>.toml")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw MarqueeError(.dataError, "the pipeline is not UTF-8 text", location: path, hint: "save it as UTF-8")
        }
        var spec = try parse(text: text, path: path)
        // A relative path names a file under the working directory or, when there is none, under
        // the folder the pipelines folder sits in (how a shipped pipeline finds its fixtures).
        let root = url.deletingLastPathComponent().deletingLastPathComponent()
        func resolved(_ relative: String?) -> String? {
            guard let relative, !relative.hasPrefix("/"), !FileManager.default.fileExists(atPath: relative) else {
                return relative
            }
            let candidate = root.appendingPathComponent(relative).path
            return FileManager.default.fileExists(atPath: candidate) ? candidate : relative
        }
        spec.movieLens = resolved(spec.movieLens)
        for index in spec.scrape.indices { spec.scrape[index].replay = resolved(spec.scrape[index].replay) }
        return spec
    }

    /// Reads and checks a pipeline from its TOML text; `path` names it in `file:line` errors.
    /// - Throws: `MarqueeError` `.dataError` naming the file and key.
    public static func parse(text: String, path: String) throws(MarqueeError) -> PipelineSpec {
        let table = try TOMLText.parse(text, path: path)
        func fail(_ message: String, _ key: String) -> MarqueeError {
            let line = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).firstIndex {
                $0.trimmingCharacters(in: .whitespaces).hasPrefix(key)
            }
            return MarqueeError(.dataError, message, location: line.map { "\(path):\($0 + 1)" } ?? path)
        }
        func allow(_ keys: [String], _ table: TOMLTable, _ what: String) throws(MarqueeError) {
            for key in table.keys.sorted() where !keys.contains(key) {
                throw fail("unknown key \"\(key)\" in \(what) (allowed: \(keys.joined(separator: ", ")))", key)
            }
        }
        /// A whole number within `range`, or `fallback` when the key is absent; any other type is an error.
        func int(_ key: String, in table: TOMLTable, _ range: ClosedRange<Int>) throws(MarqueeError) -> Int? {
            guard let value = table[key] else { return nil }
            guard let number = value.int else { throw fail("\(key) must be a whole number, not \(value)", key) }
            guard range.contains(number) else {
                throw fail("\(key) = \(number) is out of range (\(range.lowerBound)…\(range.upperBound))", key)
            }
            return number
        }
        /// A string, or `nil` when the key is absent; any other type is an error.
        func string(_ key: String, in table: TOMLTable) throws(MarqueeError) -> String? {
            guard let value = table[key] else { return nil }
            guard let text = value.string else { throw fail("\(key) must be a string, not \(value)", key) }
            return text
        }
        func section(_ name: String) throws(MarqueeError) -> TOMLTable? {
            guard let value = table[name] else { return nil }
            guard let section = value.table else { throw fail("[\(name)] must be a table", "[\(name)]") }
            return section
        }
        try allow(["name", "schedule", "scrape", "ingest", "dataset", "train", "evaluate", "export"], table, "the pipeline")
        let schedule = try string("schedule", in: table)
        if let schedule, let problem = CronSchedule.problem(schedule) {
            throw fail("schedule \"\(schedule)\": \(problem)", "schedule")
        }
        guard let name = table["name"]?.string, !name.isEmpty else { throw fail("missing \"name\"", "name") }

        var scrapes: [Scrape] = []
        if let value = table["scrape"] {
            let tables = value.array?.compactMap(\.table) ?? value.table.map { [$0] } ?? []
            guard !tables.isEmpty else { throw fail("[[scrape]] must be tables", "[[scrape]]") }
            for entry in tables {
                try allow(["site", "start", "replay", "depth", "max_pages"], entry, "[[scrape]]")
                guard let site = entry["site"]?.string else { throw fail("[[scrape]] needs \"site\"", "[[scrape]]") }
                let starts = entry["start"]?.array?.compactMap(\.string) ?? entry["start"]?.string.map { [$0] } ?? []
                guard !starts.isEmpty else { throw fail("[[scrape]] needs \"start\" URLs", "start") }
                scrapes.append(
                    Scrape(
                        site: site, starts: starts, replay: try string("replay", in: entry),
                        depth: try int("depth", in: entry, 0...100) ?? 2,
                        maxPages: try int("max_pages", in: entry, 1...Int(Int32.max))))
            }
        }
        var movieLens: String?
        if let ingest = try section("ingest") {
            try allow(["movielens"], ingest, "[ingest]")
            movieLens = try string("movielens", in: ingest)
        }
        guard let dataset = try section("dataset"), let datasetName = dataset["name"]?.string else {
            throw fail("missing [dataset] with name = \"<spec in features/datasets>\"", "[dataset]")
        }
        try allow(["name"], dataset, "[dataset]")
        guard let train = try section("train"), let algorithmName = train["algorithm"]?.string else {
            throw fail("missing [train] with algorithm = \"…\"", "[train]")
        }
        try allow(["algorithm", "params", "seed"], train, "[train]")
        guard let algorithm = Algorithm(rawValue: algorithmName) else {
            throw fail(
                "unknown algorithm \"\(algorithmName)\" (\(Algorithm.allCases.map(\.rawValue).joined(separator: ", ")))",
                "algorithm")
        }
        var parameters: [String] = []
        if let params = train["params"]?.table {
            for key in params.keys.sorted() {
                let value = params[key]!
                let text =
                    value.int.map(String.init) ?? value.double.map { "\($0)" } ?? value.bool.map { "\($0)" }
                    ?? value.string
                guard let text else { throw fail("param \(key) must be a number, boolean or string", key) }
                parameters.append("\(key)=\(text)")
            }
        }
        _ = try Hyperparameters(algorithm, settings: parameters)
        var folds = 0
        var k = 10
        var compare: [Algorithm] = []
        if let evaluate = try section("evaluate") {
            try allow(["cv", "k", "compare"], evaluate, "[evaluate]")
            folds = try int("cv", in: evaluate, 2...100) ?? 5
            k = try int("k", in: evaluate, 1...10_000) ?? 10
            if let value = evaluate["compare"] {
                guard let names = value.array?.compactMap(\.string), names.count == value.array?.count else {
                    throw fail("compare must be a list of algorithm names", "compare")
                }
                for name in names {
                    guard let other = Algorithm(rawValue: name) else {
                        throw fail(
                            "unknown algorithm \"\(name)\" in compare (\(Algorithm.allCases.map(\.rawValue).joined(separator: ", ")))",
                            "compare")
                    }
                    compare.append(other)
                }
            }
        }
        var export: ExportFormat?
        if let section = try section("export") {
            try allow(["format"], section, "[export]")
            let format = section["format"]?.string ?? "onnx"
            guard let parsed = ExportFormat(rawValue: format) else {
                throw fail(
                    "unknown export format \"\(format)\" (\(ExportFormat.allCases.map(\.rawValue).joined(separator: ", ")))",
                    "format")
            }
            export = parsed
        }
        return PipelineSpec(
            name: name, scrape: scrapes, movieLens: movieLens, dataset: datasetName, algorithm: algorithm,
            parameters: parameters, seed: UInt32(try int("seed", in: train, 0...Int(UInt32.max)) ?? 0), folds: folds,
            k: k, compare: compare, export: export, schedule: schedule, file: path)
    }
}

/// The cron syntax Kubernetes CronJobs and crontab share: five fields (minute 0–59, hour 0–23,
/// day of month 1–31, month 1–12 or JAN–DEC, day of week 0–7 or SUN–SAT), each `*` or lists of
/// numbers and ranges with an optional `/step`; or one of the `@` shorthands.
public enum CronSchedule {
    static let shorthands: Set<String> = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"]
    static let fields: [(name: String, range: ClosedRange<Int>, names: [String])] = [
        ("minute", 0...59, []), ("hour", 0...23, []), ("day of month", 1...31, []),
        ("month", 1...12, ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]),
        ("day of week", 0...7, ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]),
    ]

    /// What is wrong with `schedule`, or `nil` when it is valid.
    public static func problem(_ schedule: String) -> String? {
        let trimmed = schedule.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("@") {
            return shorthands.contains(trimmed) ? nil : "unknown shorthand (\(shorthands.sorted().joined(separator: ", ")))"
        }
        let parts = trimmed.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 5 else {
            return "needs 5 fields (minute hour day-of-month month day-of-week), found \(parts.count)"
        }
        for (part, field) in zip(parts, fields) {
            for item in part.split(separator: ",", omittingEmptySubsequences: false) {
                let pieces = item.split(separator: "/", omittingEmptySubsequences: false)
                guard (1...2).contains(pieces.count) else { return "\(field.name) \"\(item)\" has more than one /" }
                if pieces.count == 2, Int(pieces[1]).map({ $0 < 1 }) ?? true {
                    return "\(field.name) step \"\(pieces[1])\" must be a positive number"
                }
                if pieces[0] == "*" { continue }
                let bounds = pieces[0].split(separator: "-", omittingEmptySubsequences: false)
                guard (1...2).contains(bounds.count) else { return "\(field.name) \"\(item)\" is not a number or range" }
                var values: [Int] = []
                for bound in bounds {
                    let value = Int(bound) ?? field.names.firstIndex(of: bound.uppercased()).map {
                        $0 + field.range.lowerBound
                    }
                    guard let value, field.range.contains(value) else {
                        return "\(field.name) \"\(bound)\" is outside \(field.range.lowerBound)–\(field.range.upperBound)"
                    }
                    values.append(value)
                }
                if values.count == 2, values[0] > values[1] {
                    return "\(field.name) range \"\(item)\" runs backwards"
                }
            }
        }
        return nil
    }
}
