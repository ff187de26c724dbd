import Foundation

/// Accuracy and ranking metrics, with Microsoft Recommenders' definitions (see `docs/metrics.md`).
public enum Metrics {
    /// Root mean squared error; 0 for no pairs.
    public static func rmse(actual: [Double], predicted: [Double]) -> Double {
        guard !actual.isEmpty else { return 0 }
        let sum = zip(actual, predicted).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        return (sum / Double(actual.count)).squareRoot()
    }

    /// Mean absolute error; 0 for no pairs.
    public static func mae(actual: [Double], predicted: [Double]) -> Double {
        guard !actual.isEmpty else { return 0 }
        return zip(actual, predicted).reduce(0) { $0 + abs($1.0 - $1.1) } / Double(actual.count)
    }

    /// One user's ranked list (best first, already cut or not) and relevant films.
    public struct RankedUser: Sendable {
        /// Recommended films, best first.
        public var recommended: [Int]
        /// The films that count as hits.
        public var relevant: Set<Int>

        /// Creates one user's entry.
        public init(recommended: [Int], relevant: Set<Int>) {
            self.recommended = recommended
            self.relevant = relevant
        }
    }

    /// Top-k metrics averaged over users.
    public struct Ranking: Sendable, Hashable, Codable {
        /// The cut-off.
        public var k: Int
        /// Hits in the top k / k.
        public var precision: Double
        /// Hits in the top k / relevant films.
        public var recall: Double
        /// Binary-relevance DCG@k over the ideal DCG for min(relevant, k) hits.
        public var ndcg: Double
        /// Σ over hits of precision at the hit's rank, / min(relevant, k).
        public var map: Double
        /// Share of users with at least one hit.
        public var hitRate: Double
        /// Users averaged over (those with at least one relevant film).
        public var users: Int

        enum CodingKeys: String, CodingKey {
            case k, precision, recall, ndcg, map, users
            case hitRate = "hit_rate"
        }
    }

    /// Precision, recall, nDCG, MAP and hit rate at `k` over `users`. Users without relevant films
    /// are left out (Microsoft Recommenders drops them when it joins truth and predictions); a list
    /// shorter than k still divides precision by k.
    public static func ranking(_ users: [RankedUser], k: Int) -> Ranking {
        var precision = 0.0
        var recall = 0.0
        var ndcg = 0.0
        var map = 0.0
        var hits = 0.0
        var counted = 0
        for user in users where !user.relevant.isEmpty {
            counted += 1
            var hitCount = 0
            var dcg = 0.0
            var averagePrecision = 0.0
            for (rank, item) in user.recommended.prefix(k).enumerated() where user.relevant.contains(item) {
                hitCount += 1
                dcg += 1 / log2(Double(rank) + 2)
                averagePrecision += Double(hitCount) / Double(rank + 1)
            }
            let ideal = (0..<min(user.relevant.count, k)).reduce(0.0) { $0 + 1 / log2(Double($1) + 2) }
            precision += Double(hitCount) / Double(k)
            recall += Double(hitCount) / Double(user.relevant.count)
            ndcg += ideal > 0 ? dcg / ideal : 0
            map += averagePrecision / Double(min(user.relevant.count, k))
            hits += hitCount > 0 ? 1 : 0
        }
        let n = Double(max(counted, 1))
        return Ranking(
            k: k, precision: precision / n, recall: recall / n, ndcg: ndcg / n, map: map / n, hitRate: hits / n,
            users: counted)
    }

    /// How unexpected and how popular the recommended films are, over every list cut at `k`:
    /// novelty is the mean self-information −log₂(n_i / users) of a recommended film (n_i its
    /// training raters, at least 1), popularity the mean n_i (average recommendation popularity,
    /// ARP) — a list of blockbusters has low novelty and high popularity.
    public static func listStatistics(_ lists: [[Int]], k: Int, raters: [Int32], users: Int) -> (
        novelty: Double, popularity: Double
    ) {
        var novelty = 0.0, popularity = 0.0, count = 0
        for list in lists {
            for item in list.prefix(k) where item >= 0 && item < raters.count {
                let n = Double(max(raters[item], 1))
                novelty += -log2(min(n / Double(max(users, 1)), 1))
                popularity += n
                count += 1
            }
        }
        guard count > 0 else { return (0, 0) }
        return (novelty / Double(count), popularity / Double(count))
    }

    /// Catalogue coverage: distinct films recommended in any top-k list / films in the catalogue.
    public static func coverage(_ lists: [[Int]], k: Int, catalogue: Int) -> Double {
        guard catalogue > 0 else { return 0 }
        var seen = Set<Int>()
        for list in lists { seen.formUnion(list.prefix(k)) }
        return Double(seen.count) / Double(catalogue)
    }

    /// Mean and population standard deviation (NumPy's `std`, as Surprise reports it).
    public static func meanAndStd(_ values: [Double]) -> (mean: Double, std: Double) {
        guard !values.isEmpty else { return (0, 0) }
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
        return (mean, variance.squareRoot())
    }
}
