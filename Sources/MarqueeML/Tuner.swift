import Dispatch
import Foundation
import MarqueeCore
import Synchronization

/// The metric a search maximises (or, for errors, minimises).
public enum TuningMetric: Sendable, Hashable, CustomStringConvertible {
    /// RMSE or MAE: lower is better; only for algorithms that predict ratings.
    case rmse, mae
    /// A top-k metric at `k`: higher is better.
    case precision(Int), recall(Int), ndcg(Int), map(Int), hitRate(Int)

    /// Parses `ndcg@10`, `precision@5`, `recall@20`, `map@10`, `hit_rate@10`, `rmse`, `mae`.
    public init(parsing text: String) throws(MarqueeError) {
        let parts = text.lowercased().split(separator: "@", maxSplits: 1).map(String.init)
        let k = parts.count == 2 ? Int(parts[1]) : nil
        switch (parts.first ?? "", k) {
        case ("rmse", nil) where parts.count == 1: self = .rmse
        case ("mae", nil) where parts.count == 1: self = .mae
        case ("precision", let k?) where k > 0: self = .precision(k)
        case ("recall", let k?) where k > 0: self = .recall(k)
        case ("ndcg", let k?) where k > 0: self = .ndcg(k)
        case ("map", let k?) where k > 0: self = .map(k)
        case ("hit_rate", let k?) where k > 0, ("hitrate", let k?) where k > 0: self = .hitRate(k)
        default:
            throw MarqueeError(
                .usage, "--metric \(text) is not a metric",
                hint: "use rmse, mae, or precision@K, recall@K, ndcg@K, map@K, hit_rate@K (e.g. ndcg@10)")
        }
    }

    public var description: String {
        switch self {
        case .rmse: "rmse"
        case .mae: "mae"
        case .precision(let k): "precision@\(k)"
        case .recall(let k): "recall@\(k)"
        case .ndcg(let k): "ndcg@\(k)"
        case .map(let k): "map@\(k)"
        case .hitRate(let k): "hit_rate@\(k)"
        }
    }

    /// The ranking cut-off the evaluation needs (0 for RMSE and MAE).
    public var k: Int {
        switch self {
        case .rmse, .mae: 0
        case .precision(let k), .recall(let k), .ndcg(let k), .map(let k), .hitRate(let k): k
        }
    }

    /// Whether a larger value is better.
    public var higherIsBetter: Bool { k > 0 }

    /// The metric's per-fold values in an evaluation (`nil` when it was not measured).
    public func perFold(_ evaluation: Evaluation) -> [Double]? {
        switch self {
        case .rmse: return evaluation.folds.allSatisfy { $0.rmse != nil } ? evaluation.folds.map { $0.rmse! } : nil
        case .mae: return evaluation.folds.allSatisfy { $0.mae != nil } ? evaluation.folds.map { $0.mae! } : nil
        default:
            let rankings = evaluation.folds.compactMap(\.ranking)
            guard rankings.count == evaluation.folds.count else { return nil }
            switch self {
            case .precision: return rankings.map(\.precision)
            case .recall: return rankings.map(\.recall)
            case .ndcg: return rankings.map(\.ndcg)
            case .map: return rankings.map(\.map)
            default: return rankings.map(\.hitRate)
            }
        }
    }
}

/// A hyper-parameter search, as Surprise's `GridSearchCV` and `RandomizedSearchCV`: every
/// combination of the grid (or `random` of them, drawn without replacement for the seed), each
/// evaluated on the same folds, the best by the mean of `metric` over folds.
public struct TuningRequest: Sendable {
    /// The algorithm searched.
    public var algorithm: Algorithm
    /// Settings every trial shares (`--param`), overridden by the grid's.
    public var fixed: [String]
    /// Each searched parameter and its candidate values, in order.
    public var grid: [(name: String, values: [Double])]
    /// Evaluate only this many combinations, drawn at random; `nil`: all of them.
    public var random: Int?
    /// The split every trial uses (the same folds for each).
    public var split: SplitStrategy
    /// Seed of the split, the fits and the random draw.
    public var seed: UInt32
    /// What is maximised (minimised for RMSE and MAE).
    public var metric: TuningMetric
    /// Trials evaluated at once (results do not depend on it).
    public var parallelism: Int

    /// Creates a request.
    public init(
        algorithm: Algorithm, fixed: [String] = [], grid: [(name: String, values: [Double])], random: Int? = nil,
        split: SplitStrategy, seed: UInt32 = 0, metric: TuningMetric,
        parallelism: Int = ProcessInfo.processInfo.activeProcessorCount
    ) {
        self.algorithm = algorithm
        self.fixed = fixed
        self.grid = grid
        self.random = random
        self.split = split
        self.seed = seed
        self.metric = metric
        self.parallelism = max(1, parallelism)
    }

    /// Parses `n_factors=32,64,128 reg=0.01,0.1` (names as `--param` takes them).
    public static func parseGrid(_ text: String) throws(MarqueeError) -> [(name: String, values: [Double])] {
        var grid: [(name: String, values: [Double])] = []
        for part in text.split(whereSeparator: \.isWhitespace) {
            let pieces = part.split(separator: "=", maxSplits: 1).map(String.init)
            let values = pieces.count == 2 ? pieces[1].split(separator: ",").map { Double($0) } : []
            guard pieces.count == 2, !pieces[0].isEmpty, !values.isEmpty, values.allSatisfy({ $0?.isFinite == true })
            else {
                throw MarqueeError(
                    .usage, "--grid: \"\(part)\" is not name=value,value,…",
                    hint: "e.g. --grid 'n_factors=32,64 reg=0.01,0.1'")
            }
            guard !grid.contains(where: { $0.name == pieces[0] }) else {
                throw MarqueeError(.usage, "--grid names \(pieces[0]) twice", hint: "list its values once: name=a,b,c")
            }
            grid.append((pieces[0], values.map { $0! }))
        }
        guard !grid.isEmpty else {
            throw MarqueeError(.usage, "--grid is empty", hint: "e.g. --grid 'n_factors=32,64 reg=0.01,0.1'")
        }
        return grid
    }
}

/// One evaluated combination.
public struct Trial: Sendable {
    /// The grid's values of this trial, by name.
    public var values: [String: Double]
    /// The evaluation.
    public var evaluation: Evaluation
    /// The metric's mean over folds.
    public var score: Double
    /// The metric per fold.
    public var perFold: [Double]
}

/// What a search found.
public struct TuningResult: Sendable {
    /// The request.
    public var request: TuningRequest
    /// Every trial, in grid order.
    public var trials: [Trial]
    /// The best trial's index (the first of equals).
    public var best: Int
    /// Seconds from start to end.
    public var wallSeconds: Double

    /// The best trial's settings as `--param` takes them: the fixed ones, then the grid's.
    public var bestSettings: [String] {
        request.fixed + request.grid.map { "\($0.name)=\(Self.number(trials[best].values[$0.name]!))" }
    }

    /// A value as `--param` takes it: `64`, `0.01`.
    public static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : "\(value)"
    }
}

/// Runs hyper-parameter searches.
public enum Tuner {
    /// Evaluates the request's combinations on `table` and picks the best.
    /// - Throws: `.usage` for a grid naming an unknown parameter, a metric the algorithm cannot
    ///   have (RMSE of a ranker) or a random count above the grid's size; the evaluations' errors.
    public static func tune(
        _ request: TuningRequest, on table: RatingTable, datasetVersion: String? = nil, progress: ProgressMeter? = nil
    ) throws(MarqueeError) -> TuningResult {
        let started = DispatchTime.now()
        if !request.algorithm.predictsRatings, request.metric.k == 0 {
            throw MarqueeError(
                .usage, "\(request.algorithm.rawValue) ranks films and has no \(request.metric)",
                hint: "tune it on a ranking metric, e.g. --metric ndcg@10")
        }
        var combinations: [[String: Double]] = [[:]]
        for (name, values) in request.grid {
            combinations = combinations.flatMap { partial in values.map { partial.merging([name: $0]) { $1 } } }
        }
        if let random = request.random {
            guard random >= 1, random <= combinations.count else {
                throw MarqueeError(
                    .usage, "--random \(random) of a grid of \(combinations.count) combinations",
                    hint: "draw between 1 and \(combinations.count)")
            }
            var order = Array(combinations.indices)
            var generator = LegacyRandom(seed: request.seed)
            generator.shuffle(&order)
            combinations = order.prefix(random).sorted().map { combinations[$0] }
        }
        // Every combination parsed before any runs, so a misspelt name fails at once.
        let requests = try combinations.map { values throws(MarqueeError) in
            EvaluationRequest(
                algorithm: request.algorithm,
                parameters: try Hyperparameters(
                    request.algorithm,
                    settings: request.fixed + request.grid.map { "\($0.name)=\(TuningResult.number(values[$0.name]!))" }
                ),
                split: request.split, seed: request.seed, k: request.metric.k, parallelism: 1)
        }
        progress?.update(done: 0, total: requests.count)
        let evaluations = try parallelMap(requests.count, parallelism: request.parallelism) {
            index throws(MarqueeError) in
            let evaluation = try Evaluator.evaluate(requests[index], on: table, datasetVersion: datasetVersion)
            progress?.advance()
            return evaluation
        }
        var trials: [Trial] = []
        for (values, evaluation) in zip(combinations, evaluations) {
            guard let perFold = request.metric.perFold(evaluation) else {
                throw MarqueeError(.usage, "\(request.algorithm.rawValue) has no \(request.metric)")
            }
            trials.append(
                Trial(
                    values: values, evaluation: evaluation, score: perFold.reduce(0, +) / Double(perFold.count),
                    perFold: perFold))
        }
        var best = 0
        for index in trials.indices.dropFirst() {
            let better =
                request.metric.higherIsBetter
                ? trials[index].score > trials[best].score
                : trials[index].score < trials[best].score
            if better { best = index }
        }
        return TuningResult(
            request: request, trials: trials, best: best, wallSeconds: Evaluator.seconds(since: started))
    }
}
