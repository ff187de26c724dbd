import Foundation
import MarqueeCore
import MarqueeStore
import MarqueeTestKit
import Testing

@testable import MarqueeML

/// Real ratings: `../shared/movielens/ml-latest-small` read in place (skipped when absent).
@Suite(.enabled(if: SharedData.runs(SharedData.movieLensSmall != nil), "needs ../shared/movielens/ml-latest-small"))
struct MovieLensTests {
    static func ratings() throws -> RatingTable {
        try RatingTable.load(csv: SharedData.movieLensSmall!.appendingPathComponent("ratings.csv"))
    }

    /// Per-fold RMSE of Surprise 1.1.5 on the same file, `KFold(5, random_state=0)` and
    /// `SVD(random_state=0)` / `BaselineOnly` (ALS), printed by Benchmarks/ml/surprise_cv.py.
    static let surpriseSVD = [
        0.8805913714584016, 0.8759780271535194, 0.8666012527356796, 0.8724105718727783, 0.8676567184947312,
    ]
    static let surpriseBaseline = [
        0.8814509919667898, 0.8754655022999179, 0.8642153537214524, 0.8739687786473963, 0.8685083171622554,
    ]

    @Test func svdFiveFoldMatchesSurpriseFoldByFold() throws {
        let table = try Self.ratings()
        let request = EvaluationRequest(
            algorithm: .svd, parameters: try Hyperparameters(.svd), split: .kFold(5), seed: 0, k: 10)
        let summary = try Evaluator.evaluate(request, on: table).summary
        // The stated band for SVD defaults on this dataset, and each fold against Surprise.
        #expect((0.865...0.880).contains(summary.rmse!.mean), "RMSE \(summary.rmse!.mean)")
        for (ours, theirs) in zip(summary.rmse!.perFold, Self.surpriseSVD) {
            #expect(abs(ours - theirs) < 1e-4, "fold RMSE \(ours) vs Surprise \(theirs)")
        }
        let ranking = try #require(summary.ranking)
        #expect(ranking.users > 600)
        #expect(ranking.precision > 0 && ranking.precision < 1)
    }

    @Test func baselineFiveFoldMatchesBaselineOnly() throws {
        let table = try Self.ratings()
        let request = EvaluationRequest(
            algorithm: .baseline, parameters: try Hyperparameters(.baseline), split: .kFold(5), seed: 0, k: 0)
        let summary = try Evaluator.evaluate(request, on: table).summary
        for (ours, theirs) in zip(summary.rmse!.perFold, Self.surpriseBaseline) {
            #expect(abs(ours - theirs) < 1e-9, "fold RMSE \(ours) vs Surprise \(theirs)")
        }
        #expect(summary.ranking == nil)
    }

    /// Through the store, as `marquee evaluate --dataset ratings` does: the dataset carries genres
    /// and years, all ratings of 10% of films are hidden, and the hybrid — which knows those
    /// films' content — predicts them better than SVD, which only knows the user's bias.
    @Test func hybridBeatsSVDOnFilmsWithoutTrainingRatings() throws {
        let store = try FeatureStore(inMemory: SystemClock())
        _ = try store.importMovieLens(directory: SharedData.movieLensSmall!)
        let catalog = try FeatureCatalog.load(directory: SharedData.repositoryRoot.appendingPathComponent("features"))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("marquee-ml-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let (_, file) = try store.materializeDataset("ratings", catalog: catalog, into: directory)
        let table = try RatingTable.load(csv: file)
        #expect(table.itemAttributes["genres"] != nil)
        func rmse(_ algorithm: Algorithm) throws -> Double {
            let request = EvaluationRequest(
                algorithm: algorithm, parameters: try Hyperparameters(algorithm, settings: ["n_factors=50"]),
                split: .coldItems(fraction: 0.1), seed: 0, k: 0)
            return try Evaluator.evaluate(request, on: table).summary.rmse!.mean
        }
        let svd = try rmse(.svd)
        let hybrid = try rmse(.hybrid)
        #expect(hybrid < svd - 0.01, "hybrid \(hybrid) vs svd \(svd) on cold films")
    }
}
