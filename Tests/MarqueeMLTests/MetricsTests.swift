import Foundation
import Testing

@testable import MarqueeML

/// Metric values worked out by hand (the arithmetic is in each comment).
@Suite struct MetricsTests {
    @Test func rmseAndMae() {
        // errors 1, −2, 0.5: squares 1 + 4 + 0.25 = 5.25 → √(5.25/3) = 1.3229; |e| 3.5/3 = 1.1667.
        let actual = [4.0, 2.0, 3.5]
        let predicted = [3.0, 4.0, 3.0]
        #expect(abs(Metrics.rmse(actual: actual, predicted: predicted) - (5.25 / 3).squareRoot()) < 1e-12)
        #expect(abs(Metrics.mae(actual: actual, predicted: predicted) - 3.5 / 3) < 1e-12)
        #expect(Metrics.rmse(actual: [], predicted: []) == 0)
    }

    @Test func rankingMetricsMatchHandComputedTable() {
        let users = [
            // A: hit at rank 2 only, 3 relevant. P = 1/3, R = 1/3,
            // DCG = 1/log2(3) = 0.63093, IDCG(3) = 1 + 0.63093 + 0.5 → nDCG 0.29609,
            // AP = (1/2) / min(3, 3) = 0.16667, hit.
            Metrics.RankedUser(recommended: [1, 2, 3, 4], relevant: [2, 4, 9]),
            // B: nothing relevant → left out of every average.
            Metrics.RankedUser(recommended: [1, 2, 3], relevant: []),
            // C: a list shorter than k: P = 1/3 (divided by k), R = 1, nDCG 1, AP 1/min(1,3) = 1.
            Metrics.RankedUser(recommended: [5], relevant: [5]),
        ]
        let ranking = Metrics.ranking(users, k: 3)
        #expect(ranking.users == 2)
        #expect(abs(ranking.precision - 1.0 / 3) < 1e-12)
        #expect(abs(ranking.recall - (1.0 / 3 + 1) / 2) < 1e-12)
        let ndcgA = (1 / log2(3.0)) / (1 + 1 / log2(3.0) + 0.5)
        #expect(abs(ranking.ndcg - (ndcgA + 1) / 2) < 1e-12)
        #expect(abs(ranking.map - (1.0 / 6 + 1) / 2) < 1e-12)
        #expect(ranking.hitRate == 1)
    }

    @Test func mapCountsEveryHitsPrecisionAndDividesByMinOfRelevantAndK() {
        // Hits at ranks 1 and 3 of k = 3, 5 relevant: (1/1 + 2/3) / min(5, 3) = 0.55556.
        // Recall 2/5, precision 2/3, hit rate 1.
        let ranking = Metrics.ranking(
            [Metrics.RankedUser(recommended: [7, 8, 9], relevant: [7, 9, 10, 11, 12])], k: 3)
        #expect(abs(ranking.map - (1 + 2.0 / 3) / 3) < 1e-12)
        #expect(abs(ranking.recall - 0.4) < 1e-12)
        #expect(abs(ranking.precision - 2.0 / 3) < 1e-12)
    }

    @Test func usersWithoutHitsLowerTheHitRate() {
        let ranking = Metrics.ranking(
            [
                Metrics.RankedUser(recommended: [1, 2], relevant: [1]),
                Metrics.RankedUser(recommended: [1, 2], relevant: [3]),
            ], k: 2)
        #expect(ranking.hitRate == 0.5)
        #expect(ranking.ndcg == 0.5)
    }

    @Test func coverageCountsDistinctRecommendedFilms() {
        #expect(Metrics.coverage([[1, 2, 3], [2, 3, 4]], k: 2, catalogue: 10) == 0.3)  // {1, 2, 3}
    }

    @Test func meanAndPopulationStd() {
        let (mean, std) = Metrics.meanAndStd([1, 2, 3, 4])
        #expect(mean == 2.5)
        #expect(abs(std - 1.25.squareRoot()) < 1e-12)
    }

    /// Ties go to the earlier film row; k beyond the candidates returns them all; seen films never appear.
    @Test func topKBreaksTiesByRowAndHandlesShortCatalogues() throws {
        let table = RatingTable(users: ["u", "u", "v"], items: ["a", "b", "c"], ratings: [3, 3, 3])
        let set = TrainingSet(table: table, rows: [0, 1, 2])
        let model = try Trainer.fit(.baseline, parameters: try Hyperparameters(.baseline), on: set, seed: 0)
        // Every film has the same bias (all ratings equal the mean), so every score ties.
        let ranked = model.topK(user: 1, k: 10)
        #expect(ranked.map(\.item) == [0, 1, 2])
        let unseen = model.topK(user: 0, k: 10, excluding: model.seen(byUser: 0))
        #expect(unseen.map(\.item) == [2])
    }

    /// The blocked scorer (a block of users per pass over the film factors) gives the very lists and
    /// scores of one user at a time, bit for bit, across block boundaries and with ties.
    @Test func blockedTopKEqualsOneUserAtATime() throws {
        var generator = SplitMix(seed: 7)
        var users: [String] = [], items: [String] = [], ratings: [Double] = []
        for _ in 0..<3_000 {
            users.append("u\(generator.next() % 70)")
            items.append("f\(generator.next() % 120)")
            ratings.append(Double(1 + generator.next() % 5))
        }
        let table = RatingTable(users: users, items: items, ratings: ratings)
        let set = TrainingSet(table: table, rows: Array(0..<table.count))
        let parameters = try Hyperparameters(.svd, settings: ["n_factors=13", "n_epochs=3"])
        let model = try Trainer.fit(.svd, parameters: parameters, on: set, seed: 1)
        let rows = Array((0..<model.userIDs.count).reversed())  // 70 users: blocks of 32, 32 and 6
        let blocked = model.topKExcludingSeen(users: rows, k: 15)
        #expect(blocked.count == rows.count)
        for (row, list) in zip(rows, blocked) {
            let single = model.topK(user: row, k: 15, excluding: model.seen(byUser: row))
            #expect(list.map(\.item) == single.map(\.item))
            #expect(list.map(\.score) == single.map(\.score))
        }
    }

    /// A tiny deterministic generator for test data.
    struct SplitMix {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) >> 1)
        }
    }
}
