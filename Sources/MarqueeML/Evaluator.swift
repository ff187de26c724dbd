import Dispatch
import Foundation
import MarqueeCore
import Synchronization

/// What to evaluate and how.
public struct EvaluationRequest: Sendable {
    /// The algorithm.
    public var algorithm: Algorithm
    /// Its hyper-parameters.
    public var parameters: Hyperparameters
    /// How to split the ratings.
    public var split: SplitStrategy
    /// Seed of the split and of every fit.
    public var seed: UInt32
    /// Cut-off of the ranking metrics; 0 skips them.
    public var k: Int
    /// Test ratings at or above this count as relevant; `nil`: every test rating is relevant.
    public var relevanceThreshold: Double?
    /// Folds fitted at once (results do not depend on it).
    public var parallelism: Int
    /// More cut-offs to report beside `k` (`-k 5,10,20`): the lists are ranked once, to the largest.
    public var moreCutoffs: [Int] = []

    /// `k` and ``moreCutoffs``, ascending, each once (empty when `k` is 0).
    public var cutoffs: [Int] { k > 0 ? Array(Set([k] + moreCutoffs.filter { $0 > 0 })).sorted() : [] }

    /// Creates a request; `parallelism` defaults to the number of cores.
    public init(
        algorithm: Algorithm, parameters: Hyperparameters, split: SplitStrategy, seed: UInt32 = 0, k: Int = 10,
        relevanceThreshold: Double? = nil, parallelism: Int = ProcessInfo.processInfo.activeProcessorCount
    ) {
        self.algorithm = algorithm
        self.parameters = parameters
        self.split = split
        self.seed = seed
        self.k = k
        self.relevanceThreshold = relevanceThreshold
        self.parallelism = max(1, parallelism)
    }
}

/// One fold's results, with the raw pairs the report plots.
public struct FoldOutcome: Sendable {
    /// Accuracy on the fold's test ratings; `nil` for a ranker (its scores are not ratings).
    public var rmse, mae: Double?
    /// Seconds to fit, to predict the test ratings, to rank every test user's candidates.
    public var fitSeconds, predictSeconds, rankingSeconds: Double
    /// Top-k metrics (nil when k is 0).
    public var ranking: Metrics.Ranking?
    /// Catalogue coverage of the top-k lists.
    public var coverage: Double?
    /// Top-k metrics at every cut-off of ``EvaluationRequest/cutoffs``, with the lists' coverage,
    /// novelty and popularity at that cut-off.
    public var atCutoffs: [CutoffOutcome] = []
    /// The popularity ranker's top-k metrics and coverage on the same fold (the bar every
    /// recommender must clear), unless the algorithm is popularity itself or k is 0.
    public var popularity: Metrics.Ranking?
    /// See `popularity`.
    public var popularityCoverage: Double?
    /// Test ratings, predictions, and each test film's number of training ratings.
    public var actual, predicted: [Double]
    /// See `actual`.
    public var itemTrainingCount: [Int32]
    /// Ratings on each side.
    public var trainCount, testCount: Int
}

/// One fold's lists judged at one cut-off.
public struct CutoffOutcome: Sendable, Hashable {
    /// Top-k metrics.
    public var ranking: Metrics.Ranking
    /// Catalogue coverage, novelty and mean training popularity of the lists (``Metrics/listStatistics(_:k:raters:users:)``).
    public var coverage, novelty, popularity: Double
}

/// The result of an evaluation.
public struct Evaluation: Sendable {
    /// The request evaluated.
    public var request: EvaluationRequest
    /// The dataset version the table came from, if known.
    public var datasetVersion: String?
    /// Ratings, users and films in the table.
    public var ratings, users, films: Int
    /// Every parameter, resolved.
    public var parameters: [String: Double]
    /// Per fold, in fold order.
    public var folds: [FoldOutcome]
    /// Seconds from start to end (folds run in parallel).
    public var wallSeconds: Double

    /// The JSON summary `marquee evaluate --format json` prints (a stable interface).
    public var summary: EvaluationSummary { EvaluationSummary(self) }
}

/// Cross-validates or holds out, fits, predicts and ranks.
public enum Evaluator {
    /// Runs `request` on `table`. Deterministic for the seed whatever the parallelism.
    /// - Parameters:
    ///   - request: the algorithm, its parameters, the split, the seed, the ranking cut-off.
    ///   - table: the ratings.
    ///   - datasetVersion: recorded in the evaluation (the report and experiment records show it).
    ///   - progress: advanced by one per training epoch of every fold (`epochs`), or per fold for
    ///     algorithms fitted in one pass (`folds`); its total is set once the folds are made.
    /// - Returns: per-fold and mean metrics, the resolved parameters and timings.
    /// - Throws: `MarqueeError` when the split cannot be made, or a fold's fit diverges.
    public static func evaluate(
        _ request: EvaluationRequest, on table: RatingTable, datasetVersion: String? = nil,
        progress: ProgressMeter? = nil
    ) throws(MarqueeError) -> Evaluation {
        let started = DispatchTime.now()
        let folds = try request.split.folds(of: table, seed: request.seed)
        let epochs =
            request.algorithm.parameterSpecs.contains { $0.name == "n_epochs" }
            ? max(1, Int(request.parameters.value("n_epochs"))) : 0
        progress?.update(done: 0, total: folds.count * max(1, epochs))
        var perEpoch: Trainer.Progress?
        if epochs > 0, let progress { perEpoch = { _, _ in progress.advance() } }
        let epochProgress = perEpoch
        let outcomes = try parallelMap(folds.count, parallelism: request.parallelism) { index throws(MarqueeError) in
            let outcome = try run(request, fold: folds[index], table: table, progress: epochProgress)
            if epochs == 0 { progress?.advance() }
            return outcome
        }
        return Evaluation(
            request: request, datasetVersion: datasetVersion, ratings: table.count, users: table.userIDs.count,
            films: table.itemIDs.count, parameters: request.parameters.resolved(data: table.ratingRange),
            folds: outcomes, wallSeconds: seconds(since: started))
    }

    static func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }

    /// Fits one fold and measures it.
    static func run(
        _ request: EvaluationRequest, fold: Fold, table: RatingTable, progress: Trainer.Progress? = nil
    ) throws(MarqueeError) -> FoldOutcome {
        var start = DispatchTime.now()
        let set = TrainingSet(table: table, rows: fold.train)
        let model = try Trainer.fit(
            request.algorithm, parameters: request.parameters, on: set, seed: request.seed, progress: progress)
        let fitSeconds = seconds(since: start)

        start = DispatchTime.now()
        var actual: [Double] = []
        var predicted: [Double] = []
        var trainingCount: [Int32] = []
        actual.reserveCapacity(fold.test.count)
        predicted.reserveCapacity(fold.test.count)
        for row in fold.test where request.algorithm.predictsRatings {
            let item = model.itemRow(of: Int(table.items[row]))
            actual.append(table.ratings[row])
            predicted.append(model.predict(user: model.userRow(of: Int(table.users[row])), item: item))
            trainingCount.append(item >= 0 ? model.itemRatingCount[item] : 0)
        }
        let predictSeconds = seconds(since: start)

        start = DispatchTime.now()
        var ranking: Metrics.Ranking?
        var coverage: Double?
        var atCutoffs: [CutoffOutcome] = []
        if request.k > 0 {
            let cutoffs = request.cutoffs
            let users = rankedUsers(model: model, fold: fold, table: table, request: request, k: cutoffs.last!)
            let lists = users.map(\.recommended)
            atCutoffs = cutoffs.map { k in
                let statistics = Metrics.listStatistics(lists, k: k, raters: model.itemRatingCount, users: set.userCount)
                return CutoffOutcome(
                    ranking: Metrics.ranking(users, k: k),
                    coverage: Metrics.coverage(lists, k: k, catalogue: model.itemIDs.count),
                    novelty: statistics.novelty, popularity: statistics.popularity)
            }
            let primary = atCutoffs[cutoffs.firstIndex(of: request.k)!]
            (ranking, coverage) = (primary.ranking, primary.coverage)
        }
        let rankingSeconds = seconds(since: start)
        var popularity: (Metrics.Ranking, Double)?
        if request.k > 0, request.algorithm != .popularity {
            let baseline = try Trainer.fit(.popularity, parameters: try Hyperparameters(.popularity), on: set, seed: 0)
            popularity = rank(baseline, fold: fold, table: table, request: request)
        }
        let predicts = request.algorithm.predictsRatings
        return FoldOutcome(
            rmse: predicts ? Metrics.rmse(actual: actual, predicted: predicted) : nil,
            mae: predicts ? Metrics.mae(actual: actual, predicted: predicted) : nil, fitSeconds: fitSeconds,
            predictSeconds: predictSeconds, rankingSeconds: rankingSeconds, ranking: ranking,
            coverage: coverage, atCutoffs: atCutoffs, popularity: popularity?.0, popularityCoverage: popularity?.1,
            actual: actual, predicted: predicted, itemTrainingCount: trainingCount, trainCount: fold.train.count,
            testCount: fold.test.count)
    }

    /// Top-k metrics and catalogue coverage of `model`'s lists for the fold's test users.
    static func rank(_ model: FactorModel, fold: Fold, table: RatingTable, request: EvaluationRequest) -> (
        Metrics.Ranking, Double
    ) {
        let users = rankedUsers(model: model, fold: fold, table: table, request: request, k: request.k)
        return (
            Metrics.ranking(users, k: request.k),
            Metrics.coverage(users.map(\.recommended), k: request.k, catalogue: model.itemIDs.count)
        )
    }

    /// Every test user known to the model, with a full ranking of the films they did not rate in
    /// training and their relevant test films (films unknown to the model still count as
    /// relevant, as misses).
    static func rankedUsers(
        model: FactorModel, fold: Fold, table: RatingTable, request: EvaluationRequest, k: Int
    ) -> [Metrics.RankedUser] {
        var relevant: [Int: Set<Int>] = [:]
        for row in fold.test {
            let user = model.userRow(of: Int(table.users[row]))
            guard user >= 0 else { continue }
            if let threshold = request.relevanceThreshold, table.ratings[row] < threshold { continue }
            let tableItem = Int(table.items[row])
            let item = model.itemRow(of: tableItem)
            relevant[user, default: []].insert(item >= 0 ? item : -1 - tableItem)
        }
        let users = relevant.keys.sorted()
        return zip(users, model.topKExcludingSeen(users: users, k: k)).map { user, top in
            Metrics.RankedUser(recommended: top.map(\.item), relevant: relevant[user]!)
        }
    }
}

/// `marquee evaluate`'s JSON: keep the field names stable, other tools read them.
public struct EvaluationSummary: Sendable, Codable {
    /// Mean, population std and per-fold values of one metric.
    public struct Statistic: Sendable, Codable {
        /// Mean over folds.
        public var mean: Double
        /// Population standard deviation over folds.
        public var std: Double
        /// Values in fold order.
        public var perFold: [Double]

        enum CodingKeys: String, CodingKey {
            case mean, std
            case perFold = "per_fold"
        }

        init(_ values: [Double]) {
            (mean, std) = Metrics.meanAndStd(values)
            perFold = values
        }
    }

    /// The split in words.
    public struct Split: Sendable, Codable {
        /// `kfold`, `random`, `stratified`, `temporal`, `cold-items`.
        public var method: String
        /// The `--cv`/`--split` spelling.
        public var spec: String
        /// Number of folds.
        public var folds: Int
        /// Seed.
        public var seed: UInt32
    }

    /// Ranking metrics averaged over folds.
    public struct RankingSummary: Sendable, Codable {
        /// Cut-off.
        public var k: Int
        /// Means over folds.
        public var precision, recall, ndcg, map, hitRate, coverage: Double
        /// Users per fold on average.
        public var users: Double
        /// Relevance threshold, if any.
        public var relevanceThreshold: Double?
        /// nDCG@k of each fold, in fold order (absent in summaries written before it was recorded).
        public var ndcgPerFold: [Double]?
        /// Mean self-information of the recommended films, −log₂(raters / users) (in `rankings`).
        public var novelty: Double?
        /// Mean training raters of the recommended films: the lists' popularity bias (in `rankings`).
        public var meanPopularity: Double?

        enum CodingKeys: String, CodingKey {
            case k, precision, recall, ndcg, map, coverage, users, novelty
            case hitRate = "hit_rate"
            case relevanceThreshold = "relevance_threshold"
            case ndcgPerFold = "ndcg_per_fold"
            case meanPopularity = "mean_popularity"
        }
    }

    /// `svd`.
    public var algorithm: String
    /// Every hyper-parameter, resolved.
    public var params: [String: Double]
    /// How the ratings were split.
    public var split: Split
    /// The dataset version evaluated on.
    public var datasetVersion: String?
    /// Size of the dataset.
    public var ratings, users, films: Int
    /// Accuracy over folds; absent for a ranker (`ials`, `bpr`, `ease`, `itemknn`), whose scores
    /// are not ratings.
    public var rmse, mae: Statistic?
    /// Top-k metrics over folds at the first cut-off (`-k`), unless k was 0.
    public var ranking: RankingSummary?
    /// The same at every cut-off (`-k 5,10,20`), ascending, with novelty and popularity bias.
    public var rankings: [RankingSummary]?
    /// The popularity ranker's top-k metrics on the very same folds, unless k was 0 or the
    /// algorithm is popularity.
    public var popularity: RankingSummary?
    /// Whether the algorithm's nDCG@k is above popularity's on the same folds.
    public var beatsPopularity: Bool? {
        guard let ranking, let popularity else { return nil }
        return ranking.ndcg > popularity.ndcg
    }
    /// Seconds summed over folds (fit, predict, rank) and from start to end.
    public var fitSeconds, predictSeconds, rankingSeconds, wallSeconds: Double
    /// Marquee's version.
    public var marqueeVersion: String

    enum CodingKeys: String, CodingKey {
        case algorithm, params, split, ratings, users, films, rmse, mae, ranking, rankings, popularity
        case datasetVersion = "dataset_version"
        case fitSeconds = "fit_seconds"
        case predictSeconds = "predict_seconds"
        case rankingSeconds = "ranking_seconds"
        case wallSeconds = "wall_seconds"
        case marqueeVersion = "marquee_version"
    }

    init(_ evaluation: Evaluation) {
        let request = evaluation.request
        let folds = evaluation.folds
        algorithm = request.algorithm.rawValue
        params = evaluation.parameters
        split = Split(
            method: request.split.method, spec: request.split.description, folds: folds.count, seed: request.seed)
        datasetVersion = evaluation.datasetVersion
        ratings = evaluation.ratings
        users = evaluation.users
        films = evaluation.films
        let rmses = folds.compactMap(\.rmse), maes = folds.compactMap(\.mae)
        rmse = rmses.count == folds.count && !folds.isEmpty ? Statistic(rmses) : nil
        mae = maes.count == folds.count && !folds.isEmpty ? Statistic(maes) : nil
        ranking = RankingSummary(
            folds.compactMap(\.ranking), coverage: folds.compactMap(\.coverage), of: folds.count, request: request)
        let cutoffs = folds.first?.atCutoffs.count ?? 0
        if cutoffs > 0, folds.allSatisfy({ $0.atCutoffs.count == cutoffs }) {
            rankings = (0..<cutoffs).compactMap { index in
                let outcomes = folds.map { $0.atCutoffs[index] }
                var summary = RankingSummary(
                    outcomes.map(\.ranking), coverage: outcomes.map(\.coverage), of: folds.count, request: request)
                summary?.k = outcomes[0].ranking.k
                summary?.novelty = outcomes.map(\.novelty).reduce(0, +) / Double(outcomes.count)
                summary?.meanPopularity = outcomes.map(\.popularity).reduce(0, +) / Double(outcomes.count)
                return summary
            }
        }
        popularity = RankingSummary(
            folds.compactMap(\.popularity), coverage: folds.compactMap(\.popularityCoverage), of: folds.count,
            request: request)
        fitSeconds = folds.reduce(0) { $0 + $1.fitSeconds }
        predictSeconds = folds.reduce(0) { $0 + $1.predictSeconds }
        rankingSeconds = folds.reduce(0) { $0 + $1.rankingSeconds }
        wallSeconds = evaluation.wallSeconds
        marqueeVersion = MarqueeVersion.current
    }
}

extension EvaluationSummary.RankingSummary {
    /// Means over every fold's metrics; `nil` unless each of the `folds` has them.
    init?(_ rankings: [Metrics.Ranking], coverage: [Double], of folds: Int, request: EvaluationRequest) {
        guard !rankings.isEmpty, rankings.count == folds, coverage.count == folds else { return nil }
        func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }
        self.init(
            k: request.k, precision: mean(rankings.map(\.precision)), recall: mean(rankings.map(\.recall)),
            ndcg: mean(rankings.map(\.ndcg)), map: mean(rankings.map(\.map)),
            hitRate: mean(rankings.map(\.hitRate)), coverage: mean(coverage),
            users: mean(rankings.map { Double($0.users) }), relevanceThreshold: request.relevanceThreshold,
            ndcgPerFold: rankings.map(\.ndcg))
    }
}
