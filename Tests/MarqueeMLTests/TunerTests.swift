import Foundation
import MarqueeCore
import MarqueeTestKit
import Testing

@testable import MarqueeML

/// Two taste groups of users and films, each user having rated half of their group's films.
private func plantedTable() -> RatingTable {
    var draws = SeededDraws(seed: 11)
    var users: [String] = [], items: [String] = []
    for user in 0..<40 {
        for film in 0..<30 where (film < 15) == (user < 20) && draws.next(2) == 0 {
            users.append("u\(user)")
            items.append("f\(film)")
        }
    }
    return RatingTable(users: users, items: items, ratings: users.map { _ in 1 })
}

/// A 2×2 grid search picks what four evaluations run by hand pick, with the same scores.
@Test func aGridSearchFindsWhatFourEvaluationsByHandFind() throws {
    let table = plantedTable()
    let grid: [(name: String, values: [Double])] = [("n_factors", [2, 8]), ("reg", [0.01, 5])]
    let request = TuningRequest(
        algorithm: .ials, fixed: ["n_epochs=4"], grid: grid, split: .kFold(3), seed: 1, metric: .ndcg(5))
    let result = try Tuner.tune(request, on: table)
    var byHand: [(settings: [String], score: Double)] = []
    for factors in [2, 8] {
        for reg in ["0.01", "5"] {
            let settings = ["n_epochs=4", "n_factors=\(factors)", "reg=\(reg)"]
            let evaluation = try Evaluator.evaluate(
                EvaluationRequest(
                    algorithm: .ials, parameters: try Hyperparameters(.ials, settings: settings), split: .kFold(3),
                    seed: 1, k: 5),
                on: table)
            byHand.append((settings, try #require(evaluation.summary.ranking).ndcg))
        }
    }
    #expect(result.trials.map(\.score) == byHand.map(\.score))
    let best = byHand.indices.max {
        byHand[$0].score < byHand[$1].score || (byHand[$0].score == byHand[$1].score && $0 > $1)
    }!
    #expect(result.bestSettings == byHand[best].settings)
    #expect(Set(byHand.map(\.score)).count > 1, "the grid must matter for this test to mean something")
}

/// A random search evaluates the asked number of distinct combinations, the same ones for a seed.
@Test func aRandomSearchDrawsDistinctCombinationsForItsSeed() throws {
    let table = plantedTable()
    func run(_ seed: UInt32) throws -> [[String: Double]] {
        try Tuner.tune(
            TuningRequest(
                algorithm: .itemknn, grid: [("k", [1, 2, 3, 5]), ("shrink", [0, 1, 10])], random: 4, split: .kFold(2),
                seed: seed, metric: .recall(5)),
            on: table
        ).trials.map(\.values)
    }
    let first = try run(3)
    #expect(first.count == 4 && Set(first.map { [$0["k"]!, $0["shrink"]!] }).count == 4)
    #expect(try run(3) == first)
}

/// Metrics parse as written; a ranker cannot be tuned on RMSE; bad grids say how to write one.
@Test func metricsAndGridsParseOrSayWhy() throws {
    #expect(try TuningMetric(parsing: "ndcg@10") == .ndcg(10))
    #expect(try TuningMetric(parsing: "RMSE") == .rmse)
    #expect(try TuningMetric(parsing: "hit_rate@5") == .hitRate(5))
    for bad in ["ndcg", "ndcg@0", "auc@10", "rmse@3"] {
        #expect(throws: MarqueeError.self, "\(bad)") { try TuningMetric(parsing: bad) }
    }
    #expect(try TuningRequest.parseGrid("n_factors=32,64  reg=0.1").map(\.values) == [[32, 64], [0.1]])
    for bad in ["n_factors", "n_factors=", "reg=a,b", "reg=1 reg=2", ""] {
        let error = #expect(throws: MarqueeError.self, "\(bad)") { try TuningRequest.parseGrid(bad) }
        #expect(error?.code == .usage)
    }
    let ranker = #expect(throws: MarqueeError.self) {
        try Tuner.tune(
            TuningRequest(algorithm: .ease, grid: [("reg", [1, 10])], split: .kFold(2), metric: .rmse),
            on: plantedTable())
    }
    #expect(ranker?.hint?.contains("ndcg@10") == true)
    let unknown = #expect(throws: MarqueeError.self) {
        try Tuner.tune(
            TuningRequest(algorithm: .ease, grid: [("lambda", [1, 10])], split: .kFold(2), metric: .ndcg(5)),
            on: plantedTable())
    }
    #expect(unknown?.message.contains("no parameter \"lambda\"") == true)
}
