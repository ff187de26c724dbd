import CMarqueeKernels

/// Sparse item-item weights (ItemKNN's model): each film row keeps the few films whose
/// ratings predict it, and a user's score for the film is the sum of the weights from the films
/// they rated. Film row `i`'s neighbours are `sources[start[i]..<start[i + 1]]`, best first, with
/// `weights` alike — `films × k` numbers where a dense item-item model holds `films²`.
public struct ItemNeighbours: Sendable, Hashable {
    /// Per film row, where its neighbours start in ``sources`` (`films + 1` entries).
    public private(set) var start: [Int]
    /// Neighbour film rows, grouped by the film they point to.
    public private(set) var sources: [Int32]
    /// The weight of each neighbour.
    public private(set) var weights: [Double]
    /// The same weights grouped by source film, for scoring a user by scattering from the films
    /// they rated: `Σ_{j rated} |neighbours of j|` additions rather than a pass over every film.
    private var bySourceStart: [Int]
    private var bySourceTargets: [Int32]
    private var bySourceWeights: [Double]

    /// Weights grouped by target film. Returns `nil` unless `start` begins at 0, never falls, ends
    /// at `sources.count == weights.count`, and every source is a film row below `films`.
    public init?(films: Int, start: [Int], sources: [Int32], weights: [Double]) {
        guard start.count == films + 1, start.first == 0, start.last == sources.count, sources.count == weights.count,
            zip(start, start.dropFirst()).allSatisfy({ $0 <= $1 }),
            sources.allSatisfy({ $0 >= 0 && Int($0) < films })
        else { return nil }
        self.start = start
        self.sources = sources
        self.weights = weights
        var counts = [Int](repeating: 0, count: films + 1)
        for source in sources { counts[Int(source) + 1] += 1 }
        for film in 0..<films { counts[film + 1] += counts[film] }
        bySourceStart = counts
        var fill = counts
        bySourceTargets = [Int32](repeating: 0, count: sources.count)
        bySourceWeights = [Double](repeating: 0, count: sources.count)
        for target in 0..<films {
            for edge in start[target]..<start[target + 1] {
                let source = Int(sources[edge])
                bySourceTargets[fill[source]] = Int32(target)
                bySourceWeights[fill[source]] = weights[edge]
                fill[source] += 1
            }
        }
    }

    /// Film rows.
    public var filmCount: Int { start.count - 1 }

    /// Film row `item`'s weight for a user who rated `seen`.
    public func score(item: Int, seen: ArraySlice<Int32>) -> Double {
        guard item >= 0, item < filmCount else { return 0 }
        var sum = 0.0
        for edge in start[item]..<start[item + 1] where seen.contains(sources[edge]) { sum += weights[edge] }
        return sum
    }

    /// Adds every film row's weight for a user who rated `seen` to `scores` (`filmCount` long).
    public func addScores(seen: ArraySlice<Int32>, to scores: inout [Double]) {
        precondition(scores.count == filmCount, "one score per film row")
        let rated = Array(seen)
        marquee_item_item_scatter(
            bySourceStart, bySourceTargets, bySourceWeights, filmCount, rated, rated.count, &scores)
    }
}
