import Foundation
import MarqueeCore
import MarqueeTestKit
import Testing

@testable import MarqueeML

/// A table of interactions (every rating 1) from (user, film) pairs.
private func interactions(_ pairs: [(Int, Int)]) -> RatingTable {
    RatingTable(users: pairs.map { "u\($0.0)" }, items: pairs.map { "f\($0.1)" }, ratings: pairs.map { _ in 1 })
}

private func fit(_ algorithm: Algorithm, _ table: RatingTable, _ settings: [String], seed: UInt32 = 0) throws
    -> (FactorModel, TrainingSet)
{
    let set = TrainingSet(table: table, rows: Array(0..<table.count))
    return (
        try Trainer.fit(algorithm, parameters: try Hyperparameters(algorithm, settings: settings), on: set, seed: seed),
        set
    )
}

/// The inverse of a small symmetric positive definite matrix by Gauss–Jordan elimination.
private func inverse(_ matrix: [[Double]]) -> [[Double]] {
    let n = matrix.count
    var a = matrix.enumerated().map { row, values in values + (0..<n).map { $0 == row ? 1.0 : 0 } }
    for column in 0..<n {
        let pivot = a[column][column]
        a[column] = a[column].map { $0 / pivot }
        for row in 0..<n where row != column {
            let factor = a[row][column]
            a[row] = zip(a[row], a[column]).map { $0 - factor * $1 }
        }
    }
    return a.map { Array($0[n...]) }
}

private let tiny = [(0, 0), (0, 1), (0, 2), (1, 1), (1, 2), (2, 2), (2, 3), (3, 0), (3, 3), (4, 1), (4, 3)]

/// EASE equals its closed form computed directly: B = I − P·diag(1/diag P), P = (XᵀX + λI)⁻¹,
/// score(u, i) = Σ_j X[u][j]·B[j][i].
@Test func easeEqualsItsClosedForm() throws {
    let (model, set) = try fit(.ease, interactions(tiny), ["reg=2"])
    let users = set.userCount, films = set.itemCount
    var x = [[Double]](repeating: [Double](repeating: 0, count: films), count: users)
    set.forEachRating { user, item, _ in x[user][item] = 1 }
    var gram = [[Double]](repeating: [Double](repeating: 0, count: films), count: films)
    for i in 0..<films {
        for j in 0..<films {
            var sum: Double = i == j ? 2 : 0
            for user in 0..<users { sum += x[user][i] * x[user][j] }
            gram[i][j] = sum
        }
    }
    let p = inverse(gram)
    var b = [[Double]](repeating: [Double](repeating: 0, count: films), count: films)
    for j in 0..<films {
        for i in 0..<films where i != j { b[j][i] = -p[j][i] / p[i][i] }
    }
    for user in 0..<users {
        let scores = model.allScores(user: user)
        for item in 0..<films {
            var expected = 0.0
            for j in 0..<films { expected += x[user][j] * b[j][item] }
            #expect(abs(scores[item] - expected) < 1e-9, "user \(user) film \(item)")
            #expect(abs(model.score(user: user, item: item) - expected) < 1e-9)
        }
    }
}

/// ItemKNN's weights are the cosines worked out by hand, with the shrinkage in the denominator,
/// each film keeping its k most similar films.
@Test func itemKNNKeepsTheKMostSimilarCosines() throws {
    // Film rows: f0 {u0, u3}, f1 {u0, u1, u4}, f2 {u0, u1, u2}, f3 {u2, u3, u4}.
    let (model, set) = try fit(.itemknn, interactions(tiny), ["k=1", "shrink=0.5"])
    let row = { (film: String) in set.innerOfItem[set.table.itemIDs.firstIndex(of: film)!] }
    let neighbours = try #require(model.neighbours)
    #expect(model.factorCount == 0 && model.itemFactors.isEmpty && neighbours.filmCount == set.itemCount)
    func weight(from j: String, to i: String) -> Double {
        let target = Int(row(i))
        let kept = neighbours.start[target]..<neighbours.start[target + 1]
        return kept.first { neighbours.sources[$0] == row(j) }.map { neighbours.weights[$0] } ?? 0
    }
    // f2's neighbours: f1 shares 2 users: 2 / (√3·√3 + 0.5) = 0.5714; f0 1 / (√3·√2 + 0.5); f3 1 / (3 + 0.5).
    #expect(abs(weight(from: "f1", to: "f2") - 2 / 3.5) < 1e-12)
    #expect(weight(from: "f0", to: "f2") == 0 && weight(from: "f3", to: "f2") == 0)  // k = 1
    #expect(weight(from: "f2", to: "f2") == 0)
    // u2 rated f2 and f3: f1's score is its kept similarity to f2 (its best neighbour).
    let u2 = Int(set.innerOfUser[set.table.userIDs.firstIndex(of: "u2")!])
    #expect(abs(model.allScores(user: u2)[Int(row("f1"))] - 2 / 3.5) < 1e-12)
}

/// iALS's objective — Σ c_ui (p_ui − x_u·y_i)² + reg (‖X‖² + ‖Y‖²) — falls at every iteration.
@Test func ialsObjectiveFallsEveryIteration() throws {
    let table = interactions(tiny)
    func objective(_ epochs: Int) throws -> Double {
        let (model, set) = try fit(
            .ials, table, ["n_factors=3", "n_epochs=\(epochs)", "alpha=4", "reg=0.1", "init_std=0.3"])
        var seen = Set<Int>()
        set.forEachRating { user, item, _ in seen.insert(user * set.itemCount + item) }
        var loss = 0.0
        for user in 0..<set.userCount {
            for item in 0..<set.itemCount {
                let preference = seen.contains(user * set.itemCount + item) ? 1.0 : 0
                let error = preference - model.score(user: user, item: item)
                loss += (1 + 4 * preference) * error * error
            }
        }
        return loss + 0.1 * (model.userFactors + model.itemFactors).reduce(0) { $0 + $1 * $1 }
    }
    let losses = try (0...6).map(objective)
    for step in 1..<losses.count {
        #expect(losses[step] < losses[step - 1], "iteration \(step): \(losses[step]) after \(losses[step - 1])")
    }
}

/// BPR on two planted taste groups: the share of (user, unseen film of their group, film of the
/// other group) triples it orders right rises from chance to above 0.9.
@Test func bprLearnsAPlantedStructure() throws {
    var draws = SeededDraws(seed: 7)
    var pairs: [(Int, Int)] = []
    var held: [(Int, Int)] = []
    for user in 0..<60 {
        for film in 0..<40 where (film < 20) == (user < 30) {
            if draws.next(10) < 5 { pairs.append((user, film)) } else { held.append((user, film)) }
        }
    }
    let table = interactions(pairs)
    func auc(_ epochs: Int) throws -> Double {
        let (model, set) = try fit(.bpr, table, ["n_factors=8", "n_epochs=\(epochs)", "lr=0.05"], seed: 3)
        var right = 0, total = 0
        for (user, film) in held {
            guard let u = set.table.userIDs.firstIndex(of: "u\(user)").map({ Int(set.innerOfUser[$0]) }),
                let i = set.table.itemIDs.firstIndex(of: "f\(film)").map({ Int(set.innerOfItem[$0]) }), i >= 0
            else { continue }
            for other in (user < 30 ? 20..<40 : 0..<20) {
                guard let j = set.table.itemIDs.firstIndex(of: "f\(other)").map({ Int(set.innerOfItem[$0]) }) else {
                    continue
                }
                total += 1
                if model.score(user: u, item: i) > model.score(user: u, item: j) { right += 1 }
            }
        }
        return Double(right) / Double(total)
    }
    let before = try auc(0), after = try auc(60)
    #expect(before < 0.7, "chance before training: \(before)")
    #expect(after > 0.9, "after training: \(after)")
}

/// A fit is a function of its seed.
@Test(arguments: [Algorithm.ials, .bpr, .ease, .itemknn])
func rankersAreDeterministicForASeed(_ algorithm: Algorithm) throws {
    let settings = algorithm == .ials || algorithm == .bpr ? ["n_factors=4", "n_epochs=5"] : []
    let (first, _) = try fit(algorithm, interactions(tiny), settings, seed: 9)
    let (second, _) = try fit(algorithm, interactions(tiny), settings, seed: 9)
    #expect(first.userFactors == second.userFactors && first.itemFactors == second.itemFactors)
    #expect(first.itemBias == second.itemBias && first.neighbours == second.neighbours && first.isFinite)
}

/// ItemKNN's sparse fit (co-occurrences counted film by film) keeps exactly the neighbours a
/// brute-force pass over the dense co-occurrence matrix keeps — the same films, the same
/// cosines, best first with ties to the lower film — and scores users as the dense sum does.
@Test(arguments: [(1, 0.0), (3, 2.0), (40, 0.5)])
func itemKNNSparseFitMatchesTheDenseDefinition(_ k: Int, _ shrink: Double) throws {
    var random = LegacyRandom(seed: 11)
    var pairs: [(Int, Int)] = []
    for user in 0..<40 {
        for film in 0..<25 where random.nextDouble() < (film % 3 == 0 ? 0.4 : 0.15) { pairs.append((user, film)) }
    }
    let (model, set) = try fit(.itemknn, interactions(pairs), ["k=\(k)", "shrink=\(shrink)"])
    let neighbours = try #require(model.neighbours)
    let n = set.itemCount
    var users = [Set<Int32>](repeating: [], count: n)
    set.forEachRating { user, item, _ in users[item].insert(Int32(user)) }
    for i in 0..<n {
        var cosines: [(film: Int, value: Double)] = []
        for j in 0..<n where j != i {
            let together = Double(users[i].intersection(users[j]).count)
            let norms = Double(users[i].count).squareRoot() * Double(users[j].count).squareRoot()
            if together / (norms + shrink) > 0 { cosines.append((j, together / (norms + shrink))) }
        }
        let expected = cosines.sorted { $0.value > $1.value || ($0.value == $1.value && $0.film < $1.film) }.prefix(k)
        let kept = neighbours.start[i]..<neighbours.start[i + 1]
        #expect(kept.map { Int(neighbours.sources[$0]) } == expected.map { $0.film }, "film \(i)")
        let weights = kept.map { neighbours.weights[$0] }
        #expect(zip(weights, expected.map { $0.value }).allSatisfy { abs($0 - $1) < 1e-12 })
    }
    for user in 0..<set.userCount {
        let seen = model.seen(byUser: user), scores = model.allScores(user: user)
        for item in 0..<n {
            let kept = neighbours.start[item]..<neighbours.start[item + 1]
            let expected = kept.filter { seen.contains(neighbours.sources[$0]) }.reduce(0.0) { $0 + neighbours.weights[$1] }
            #expect(abs(scores[item] - expected) < 1e-12 && abs(model.score(user: user, item: item) - expected) < 1e-12)
        }
    }
}

/// An ItemKNN model file holds its k neighbours per film (format version 2) and reads back to
/// the same scores; a model without them is still written as version 1; neighbour or seen arrays
/// that point outside the films are refused with a data error, not a crash.
@Test func itemKNNModelFileRoundTripsItsNeighbours() throws {
    let (model, _) = try fit(.itemknn, interactions(tiny), ["k=2"])
    let bytes = ModelFile.encode(model, datasetVersion: "test")
    #expect(bytes[8] == 2)
    let loaded = try ModelFile.decode(bytes, source: "itemknn.mqm").model
    let neighbours = try #require(loaded.neighbours)
    #expect(neighbours.start == model.neighbours?.start && neighbours.sources == model.neighbours?.sources)
    for user in 0..<model.userIDs.count {
        #expect(zip(loaded.allScores(user: user), model.allScores(user: user)).allSatisfy { abs($0 - $1) < 1e-6 })
    }
    let (ease, _) = try fit(.ease, interactions(tiny), [])
    #expect(ModelFile.encode(ease, datasetVersion: "test")[8] == 1)
    // An out-of-range neighbour: rewrite the last neighbour_items entry to a film that does not exist.
    let decoded = try ModelFile.decode(bytes, source: "x").header
    let entry = try #require(decoded.arrays.first { $0.name == "neighbour_items" })
    let headerLength = Int(bytes[12]) | Int(bytes[13]) << 8 | Int(bytes[14]) << 16 | Int(bytes[15]) << 24
    var corrupt = bytes
    let at = (16 + headerLength + 7) / 8 * 8 + entry.offset + (entry.shape[0] - 1) * 4
    corrupt.replaceSubrange(at..<at + 4, with: [0xFF, 0x00, 0x00, 0x00])
    let error = #expect(throws: MarqueeError.self) { try ModelFile.decode(corrupt, source: "corrupt.mqm") }
    #expect(error?.code == .dataError && error?.message.contains("neighbour") == true, "\(String(describing: error))")
    // The same for a seen film out of range (EASE's dense scoring would read outside its table).
    let seen = try #require(decoded.arrays.first { $0.name == "seen_items" })
    var outOfRange = bytes
    let seenAt = (16 + headerLength + 7) / 8 * 8 + seen.offset
    outOfRange.replaceSubrange(seenAt..<seenAt + 4, with: [0xFF, 0x00, 0x00, 0x00])
    let seenError = #expect(throws: MarqueeError.self) { try ModelFile.decode(outOfRange, source: "seen.mqm") }
    #expect(seenError?.code == .dataError && seenError?.message.contains("seen_items") == true)
}

/// EASE and ItemKNN hold films × films doubles: past `max_films` they refuse, saying how much
/// memory it would take and what to use instead.
@Test func denseRankersRefuseTooManyFilms() throws {
    let error = #expect(throws: MarqueeError.self) { try fit(.ease, interactions(tiny), ["max_films=3"]) }
    #expect(error?.code == .dataError)
    #expect(error?.message.contains("4 films") == true && error?.hint?.contains("ials or bpr") == true)
}

/// On ml-latest-small with a fixed 80/20 split, the best ranker (EASE) ranks at least 1.5× as
/// well as popularity by nDCG@10, and the summary says so; a ranker reports no RMSE.
@Test(.enabled(if: SharedData.runs(SharedData.movieLensSmall != nil), "needs ../shared/movielens/ml-latest-small"))
func easeBeatsPopularityOnMovieLens() throws {
    let table = try RatingTable.load(csv: SharedData.movieLensSmall!.appendingPathComponent("ratings.csv"))
    let request = EvaluationRequest(
        algorithm: .ease, parameters: try Hyperparameters(.ease), split: .random(trainRatio: 0.8), seed: 0, k: 10)
    let summary = try Evaluator.evaluate(request, on: table).summary
    let ranking = try #require(summary.ranking), popularity = try #require(summary.popularity)
    #expect(ranking.ndcg >= 1.5 * popularity.ndcg, "EASE \(ranking.ndcg) vs popularity \(popularity.ndcg)")
    #expect(summary.beatsPopularity == true && summary.rmse == nil && summary.mae == nil)
    #expect(EvaluationTable.render(summary).contains("beats popularity? yes — nDCG@10"))
}

/// Novelty and popularity worked out by hand: 4 users; film 0 rated by 4, film 1 by 1.
/// Lists [0, 1] and [1] cut at 2: novelty (−log₂(4/4) − log₂(1/4) − log₂(1/4)) / 3 = 4/3,
/// popularity (4 + 1 + 1) / 3 = 2; cut at 1: (0 + 2) / 2 = 1 and (4 + 1) / 2 = 2.5.
@Test func noveltyAndPopularityOfTheLists() {
    let two = Metrics.listStatistics([[0, 1], [1]], k: 2, raters: [4, 1], users: 4)
    #expect(abs(two.novelty - 4.0 / 3) < 1e-12 && abs(two.popularity - 2) < 1e-12)
    let one = Metrics.listStatistics([[0, 1], [1]], k: 1, raters: [4, 1], users: 4)
    #expect(abs(one.novelty - 1) < 1e-12 && abs(one.popularity - 2.5) < 1e-12)
}

/// Metrics at several cut-offs come from lists ranked once to the largest, and equal what an
/// evaluation at each cut-off alone reports.
@Test func severalCutoffsEqualSeparateEvaluations() throws {
    let table = interactions(tiny + [(5, 0), (5, 2), (6, 1), (6, 3), (7, 0), (7, 2), (7, 3)])
    func request(_ k: Int) throws -> EvaluationRequest {
        EvaluationRequest(
            algorithm: .itemknn, parameters: try Hyperparameters(.itemknn), split: .kFold(2), seed: 4, k: k)
    }
    var several = try request(1)
    several.moreCutoffs = [3, 2]
    let rankings = try #require(try Evaluator.evaluate(several, on: table).summary.rankings)
    #expect(rankings.map(\.k) == [1, 2, 3])
    for ranking in rankings {
        let alone = try #require(try Evaluator.evaluate(try request(ranking.k), on: table).summary.ranking)
        #expect(
            ranking.ndcg == alone.ndcg && ranking.precision == alone.precision && ranking.coverage == alone.coverage)
        #expect(ranking.novelty != nil && ranking.meanPopularity != nil)
    }
}
