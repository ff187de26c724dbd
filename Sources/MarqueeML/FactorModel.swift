import CMarqueeKernels
import Foundation

/// A fitted recommender in one shape for every algorithm:
/// `clip(μ + b_u + b_i + p_u · q_i)`, with unknown users or films contributing nothing
/// (Surprise's rule for unknown ids). SVD++ folds its implicit feedback into `p_u` and the hybrid
/// folds its content weights into `b_i` and `q_i`, so serving needs no algorithm-specific code.
///
/// Rows: users and films the model knows, in training order; ``userRow(of:)`` maps a table index.
public struct FactorModel: Sendable {
    /// What trained it.
    public var algorithm: Algorithm
    /// Every hyper-parameter, resolved.
    public var parameters: [String: Double]
    /// Predictions are clipped to this range.
    public var ratingScale: ClosedRange<Double>
    /// Mean training rating, μ.
    public var globalMean: Double
    /// `false` for unbiased SVD: the prediction is `p_u · q_i` and falls back to μ for unknown ids.
    public var biased: Bool
    /// Latent factors per row (0 for baseline, popularity, random).
    public var factorCount: Int
    /// Raw user ids by row.
    public var userIDs: [String]
    /// Raw film ids by row.
    public var itemIDs: [String]
    /// Film display labels by row, when the dataset had titles.
    public var itemLabels: [String]?
    /// b_u by user row.
    public var userBias: [Double]
    /// b_i by film row.
    public var itemBias: [Double]
    /// p_u, row-major (`userIDs.count × factorCount`).
    public var userFactors: [Double]
    /// q_i, row-major (`itemIDs.count × factorCount`).
    public var itemFactors: [Double]
    /// Training ratings per film row (0 for cold films the hybrid added).
    public var itemRatingCount: [Int32]
    /// Per user row, the film rows seen in training: `seenStart[u]..<seenStart[u+1]` in `seenItems`.
    public var seenStart: [Int]
    /// See `seenStart`.
    public var seenItems: [Int32]
    /// Ranking score overriding predictions (popularity: rating count).
    public var itemRankScore: [Double]?
    /// Random model: the seed and the normal's standard deviation (mean is μ).
    public var noise: Noise?
    /// Sparse item-item weights (ItemKNN): the score adds, for a known user, the weights from
    /// the films they rated (`factorCount` is then 0).
    public var neighbours: ItemNeighbours? = nil

    /// Parameters of the random model's noise.
    public struct Noise: Sendable, Hashable {
        /// Seed of the per-(user, film) hash.
        public var seed: UInt64
        /// Standard deviation of the training ratings.
        public var standardDeviation: Double
    }

    /// Table user index → row (−1: unknown). Filled by training; empty for a loaded model.
    public var rowOfTableUser: [Int32] = []
    /// Table film index → row (−1: unknown). Filled by training; empty for a loaded model.
    public var rowOfTableItem: [Int32] = []

    /// Whether every learned number is finite: a model with an infinite or NaN term predicts
    /// garbage and must not be written, exported or served.
    public var isFinite: Bool {
        globalMean.isFinite && userBias.allSatisfy(\.isFinite) && itemBias.allSatisfy(\.isFinite)
            && userFactors.allSatisfy(\.isFinite) && itemFactors.allSatisfy(\.isFinite)
            && (itemRankScore?.allSatisfy(\.isFinite) ?? true) && (neighbours?.weights.allSatisfy(\.isFinite) ?? true)
    }

    /// Whether every learned number fits a float32, as the model file and ONNX store them.
    public var fitsFloat32: Bool {
        let limit = Double(Float.greatestFiniteMagnitude)
        func fits(_ values: [Double]) -> Bool { values.allSatisfy { abs($0) <= limit } }
        return fits(userBias) && fits(itemBias) && fits(userFactors) && fits(itemFactors) && fits(itemRankScore ?? [])
            && fits(neighbours?.weights ?? [])
    }

    /// Replaces the learned terms (what a fit ends with).
    mutating func setTerms(
        factors: Int, userFactors: [Double], itemFactors: [Double], userBias: [Double], itemBias: [Double]
    ) {
        factorCount = factors
        self.userFactors = userFactors
        self.itemFactors = itemFactors
        self.userBias = userBias
        self.itemBias = itemBias
    }

    /// The prediction before clipping; `user`/`item` are rows or −1 for unknown.
    @inline(__always)
    public func score(user: Int, item: Int) -> Double {
        if let noise { return globalMean + noise.standardDeviation * Self.hashedGaussian(noise.seed, user, item) }
        let known = user >= 0 && item >= 0
        guard biased else {
            return known ? dot(user: user, item: item) : globalMean
        }
        var estimate = globalMean
        if user >= 0 { estimate += userBias[user] }
        if item >= 0 { estimate += itemBias[item] }
        if known, factorCount > 0 { estimate += dot(user: user, item: item) }
        if known, let neighbours { estimate += neighbours.score(item: item, seen: seen(byUser: user)) }
        return estimate
    }

    /// The clipped rating prediction.
    @inline(__always)
    public func predict(user: Int, item: Int) -> Double {
        min(max(score(user: user, item: item), ratingScale.lowerBound), ratingScale.upperBound)
    }

    @inline(__always)
    private func dot(user: Int, item: Int) -> Double {
        userFactors.withUnsafeBufferPointer { users in
            itemFactors.withUnsafeBufferPointer { items in
                marquee_dot(
                    items.baseAddress! + item * factorCount, users.baseAddress! + user * factorCount, factorCount)
            }
        }
    }

    /// The row of a table user (a model fresh from training).
    public func userRow(of tableUser: Int) -> Int {
        tableUser < rowOfTableUser.count ? Int(rowOfTableUser[tableUser]) : -1
    }

    /// The row of a table film (a model fresh from training).
    public func itemRow(of tableItem: Int) -> Int {
        tableItem < rowOfTableItem.count ? Int(rowOfTableItem[tableItem]) : -1
    }

    /// The film rows user `row` rated in training.
    public func seen(byUser row: Int) -> ArraySlice<Int32> {
        row >= 0 && row + 1 < seenStart.count ? seenItems[seenStart[row]..<seenStart[row + 1]] : []
    }

    /// The `k` best film rows for user row `user` (−1: unknown user, ranked by film terms alone),
    /// best first, ties to the lower row; `exclude` rows never appear.
    public func topK(user: Int, k: Int, excluding exclude: some Sequence<Int32> = [Int32]()) -> [(
        item: Int, score: Double
    )] {
        guard k > 0 else { return [] }
        let scores = itemRankScore ?? allScores(user: user)
        var excluded = [UInt8](repeating: 0, count: itemIDs.count)
        for item in exclude where item >= 0 && Int(item) < excluded.count { excluded[Int(item)] = 1 }
        let room = min(k, itemIDs.count)
        var items = [Int32](repeating: 0, count: room)
        var values = [Double](repeating: 0, count: room)
        let count = marquee_top_k(scores, excluded, itemIDs.count, room, &items, &values)
        return (0..<count).map { (Int(items[$0]), values[$0]) }
    }

    /// ``topK(user:k:excluding:)`` for many known users, each excluding the films they rated in
    /// training: the same lists, scored a block of users at a time so that the film factor table
    /// is read once per block rather than once per user.
    public func topKExcludingSeen(users: [Int], k: Int) -> [[(item: Int, score: Double)]] {
        let block = 32
        guard k > 0, itemRankScore == nil, noise == nil, biased, factorCount > 0, !algorithm.isItemItem,
            users.allSatisfy({ $0 >= 0 && $0 < userBias.count })
        else { return users.map { topK(user: $0, k: k, excluding: seen(byUser: $0)) } }
        let items = itemIDs.count, room = min(k, items)
        var lists: [[(item: Int, score: Double)]] = []
        lists.reserveCapacity(users.count)
        var scores = [Double](repeating: 0, count: block * items)
        var factors = [Double](repeating: 0, count: block * factorCount)
        var bases = [Double](repeating: 0, count: block)
        var excluded = [UInt8](repeating: 0, count: items)
        var top = [Int32](repeating: 0, count: room)
        var values = [Double](repeating: 0, count: room)
        for first in stride(from: 0, to: users.count, by: block) {
            let group = users[first..<min(first + block, users.count)]
            for (u, user) in group.enumerated() {
                bases[u] = globalMean + userBias[user]
                factors.replaceSubrange(
                    u * factorCount..<(u + 1) * factorCount,
                    with: userFactors[user * factorCount..<(user + 1) * factorCount])
            }
            marquee_scores_block(itemFactors, itemBias, items, factors, group.count, factorCount, bases, &scores)
            for (u, user) in group.enumerated() {
                let seen = seen(byUser: user)
                for item in seen where item >= 0 && Int(item) < items { excluded[Int(item)] = 1 }
                let count = scores.withUnsafeBufferPointer { all in
                    marquee_top_k(all.baseAddress! + u * items, excluded, items, room, &top, &values)
                }
                lists.append((0..<count).map { (Int(top[$0]), values[$0]) })
                for item in seen where item >= 0 && Int(item) < items { excluded[Int(item)] = 0 }
            }
        }
        return lists
    }

    /// `score(user:item:)` for every film row, in one pass over the factor table.
    public func allScores(user: Int) -> [Double] {
        if let neighbours, noise == nil, user >= 0, neighbours.filmCount == itemIDs.count {
            let base = globalMean + (user < userBias.count ? userBias[user] : 0)
            var scores = itemBias.map { $0 + base }
            neighbours.addScores(seen: seen(byUser: user), to: &scores)
            return scores
        }
        if algorithm.isItemItem, user >= 0, factorCount == itemIDs.count {
            // Σ of the weights from the user's films: |films| × |rated| reads, not |films|² of a dot each.
            var scores = [Double](repeating: 0, count: itemIDs.count)
            let seen = Array(seen(byUser: user))
            marquee_item_item_scores(itemFactors, itemIDs.count, seen, seen.count, &scores)
            for item in scores.indices { scores[item] += itemBias[item] }
            return scores
        }
        guard noise == nil, biased, user >= 0, factorCount > 0 else {
            return (0..<itemIDs.count).map { score(user: user, item: $0) }
        }
        var scores = [Double](repeating: 0, count: itemIDs.count)
        userFactors.withUnsafeBufferPointer { users in
            marquee_scores(
                itemFactors, itemBias, itemIDs.count, users.baseAddress! + user * factorCount, factorCount,
                globalMean + userBias[user], &scores)
        }
        return scores
    }

    /// A deterministic standard normal draw for (seed, user, film): two SplitMix64 uniforms
    /// through Box–Muller, so the random model predicts the same value for a pair every time.
    static func hashedGaussian(_ seed: UInt64, _ user: Int, _ item: Int) -> Double {
        func mix(_ value: UInt64) -> UInt64 {
            var z = value &+ 0x9E37_79B9_7F4A_7C15
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let a = mix(seed ^ mix(UInt64(bitPattern: Int64(user)) ^ mix(UInt64(bitPattern: Int64(item)) &+ 1)))
        let b = mix(a)
        let u1 = (Double(a >> 11) + 0.5) / 9_007_199_254_740_992.0
        let u2 = Double(b >> 11) / 9_007_199_254_740_992.0
        return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
    }
}
