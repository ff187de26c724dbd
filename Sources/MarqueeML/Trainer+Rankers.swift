import CMarqueeKernels
import Dispatch
import Foundation
import MarqueeCore
import Synchronization

/// The rankers: models of which films a user will pick, learnt from which films were rated
/// (every training rating is one interaction, its value ignored). Each becomes a ``FactorModel``
/// with a global mean and user biases of zero, so recommending, exporting and serving need no
/// code of their own: iALS and BPR as latent factors (BPR with film biases); EASE as dense
/// item-item weights — a user's row marks the films they rated and a film's row holds the weights
/// from every film to it, so the score is the sum of the weights from the user's films — and
/// ItemKNN as the sparse form of the same sum (``ItemNeighbours``, k weights per film).
extension Trainer {
    static func fitRanker(
        _ model: inout FactorModel, _ parameters: Hyperparameters, _ set: TrainingSet, _ seed: UInt32,
        _ progress: Progress?
    ) throws(MarqueeError) -> Int? {
        model.globalMean = 0
        model.biased = true
        switch model.algorithm {
        case .ials: return fitIALS(&model, parameters, set, seed, progress)
        case .bpr: return fitBPR(&model, parameters, set, seed, progress)
        case .ease: try fitEASE(&model, parameters, set)
        case .itemknn: fitItemKNN(&model, parameters, set)
        default: preconditionFailure("\(model.algorithm) is not a ranker")
        }
        return nil
    }

    /// Implicit ALS: alternately every user's then every film's factors, each the (approximate,
    /// `cg_steps` of conjugate gradient) least-squares solution given the other side.
    static func fitIALS(
        _ model: inout FactorModel, _ parameters: Hyperparameters, _ set: TrainingSet, _ seed: UInt32,
        _ progress: Progress?
    ) -> Int? {
        let factors = parameters.integer("n_factors")
        let epochs = parameters.integer("n_epochs")
        let reg = parameters.value("reg")
        // float32 during the fit, as implicit: half the memory traffic, twice the vector lanes.
        let (initialUsers, initialItems) = Self.initialTables(parameters, set, seed)
        var users = initialUsers.map(Float.init), items = initialItems.map(Float.init)
        let alpha = Float(parameters.value("alpha")), steps = Int32(parameters.integer("cg_steps"))
        for epoch in 0..<epochs {
            var gram = Self.gram(items, factors: factors, reg: reg)
            Self.solveRows(&users, fixed: items, gram: gram, set.userStart, set.userItems, factors, alpha, steps)
            gram = Self.gram(users, factors: factors, reg: reg)
            Self.solveRows(&items, fixed: users, gram: gram, set.itemStart, set.itemUsers, factors, alpha, steps)
            if !users.allSatisfy(\.isFinite) || !items.allSatisfy(\.isFinite) { return epoch + 1 }
            progress?(epoch + 1, epochs)
        }
        model.setTerms(
            factors: factors, userFactors: users.map(Double.init), itemFactors: items.map(Double.init),
            userBias: model.userBias, itemBias: model.itemBias)
        return nil
    }

    /// One iALS half-step over every row of `solve`, the rows split across the cores (each row's
    /// solve reads only `fixed`, so the result does not depend on the split).
    static func solveRows(
        _ solve: inout [Float], fixed: [Float], gram: [Float], _ start: [Int], _ columns: [Int32], _ factors: Int,
        _ alpha: Float, _ steps: Int32
    ) {
        let rows = start.count - 1
        guard rows > 0, factors > 0 else { return }
        let chunks = min(rows, ProcessInfo.processInfo.activeProcessorCount * 4)
        let current = solve
        let parts = Mutex<[Int: [Float]]>([:])
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let first = rows * chunk / chunks, last = rows * (chunk + 1) / chunks
            var part = Array(current[first * factors..<last * factors])
            var scratch = [Float](repeating: 0, count: 4 * factors)
            start.withUnsafeBufferPointer { start in
                columns.withUnsafeBufferPointer { columns in
                    marquee_ials_half(
                        marquee_interactions(
                            rows: last - first, start: start.baseAddress! + first, columns: columns.baseAddress),
                        &part, fixed, gram, factors, alpha, steps, &scratch)
                }
            }
            parts.withLock { $0[chunk] = part }
        }
        let solved = parts.withLock { $0 }
        for chunk in 0..<chunks {
            let first = rows * chunk / chunks
            solve.replaceSubrange(first * factors..<(first * factors + solved[chunk]!.count), with: solved[chunk]!)
        }
    }

    /// User then film factors drawn from N(0, init_std²) by NumPy's legacy generator for the seed.
    static func initialTables(_ parameters: Hyperparameters, _ set: TrainingSet, _ seed: UInt32) -> (
        users: [Double], items: [Double]
    ) {
        var random = LegacyRandom(seed: seed)
        let factors = parameters.integer("n_factors"), std = parameters.value("init_std")
        let users = random.normal(mean: 0, std: std, count: set.userCount * factors)
        return (users, random.normal(mean: 0, std: std, count: set.itemCount * factors))
    }

    /// YᵀY + reg·I of a row-major `rows × factors` table.
    /// Summed in double over 8 shares of the rows on the cores, added in share order (a fixed
    /// split, so the result does not depend on the core count), then rounded to float once.
    static func gram(_ table: [Float], factors: Int, reg: Double) -> [Float] {
        guard factors > 0 else { return [] }
        let rows = table.count / factors, shares = 8
        let parts = Mutex<[Int: [Double]]>([:])
        DispatchQueue.concurrentPerform(iterations: shares) { share in
            var sums = [Double](repeating: 0, count: factors * factors)
            marquee_gram_rows(table, rows * share / shares, rows * (share + 1) / shares, factors, &sums)
            parts.withLock { $0[share] = sums }
        }
        let summed = parts.withLock { $0 }
        var total = [Double](repeating: 0, count: factors * factors)
        for share in 0..<shares {
            for (index, value) in summed[share]!.enumerated() { total[index] += value }
        }
        var gram = [Float](repeating: 0, count: factors * factors)
        for a in 0..<factors {
            for b in a..<factors {
                let value = Float(total[a * factors + b] + (a == b ? reg : 0))
                gram[a * factors + b] = value
                gram[b * factors + a] = value
            }
        }
        return gram
    }

    /// BPR-MF by SGD, as many samples per epoch as interactions.
    static func fitBPR(
        _ model: inout FactorModel, _ parameters: Hyperparameters, _ set: TrainingSet, _ seed: UInt32,
        _ progress: Progress?
    ) -> Int? {
        let factors = parameters.integer("n_factors")
        let epochs = parameters.integer("n_epochs")
        // float32 during the fit, as implicit: half the memory traffic, twice the vector lanes.
        let (initialUsers, initialItems) = Self.initialTables(parameters, set, seed)
        var users = initialUsers.map(Float.init)
        var items = initialItems.map(Float.init)
        var bias = [Float](repeating: 0, count: set.itemCount)
        let sorted = Self.sortedRows(set)
        var userOf = [Int32](repeating: 0, count: set.ratingCount)
        for user in 0..<set.userCount {
            for position in set.userStart[user]..<set.userStart[user + 1] { userOf[position] = Int32(user) }
        }
        var state = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 &+ 1
        // Which films each user has: a bitmap (one load per sampled negative) up to 256 MiB,
        // else the binary search over the sorted row. Either gives the same draws.
        let words = (set.itemCount + 63) / 64
        var seen = set.userCount * words * 8 <= 256 << 20 ? [UInt64](repeating: 0, count: set.userCount * words) : []
        set.userStart.withUnsafeBufferPointer { start in
            sorted.withUnsafeBufferPointer { columns in
                let rows = marquee_interactions(rows: set.userCount, start: start.baseAddress, columns: columns.baseAddress)
                if !seen.isEmpty { marquee_bitmap_rows(rows, words, &seen) }
            }
        }
        for epoch in 0..<epochs {
            set.userStart.withUnsafeBufferPointer { start in
                sorted.withUnsafeBufferPointer { columns in
                    seen.withUnsafeBufferPointer { bits in
                        _ = marquee_bpr_epoch(
                            marquee_interactions(
                                rows: set.userCount, start: start.baseAddress, columns: columns.baseAddress),
                            userOf, set.itemCount, &users, &items, &bias, factors, Float(parameters.value("lr")),
                            Float(parameters.value("reg")), set.ratingCount, bits.isEmpty ? nil : bits.baseAddress,
                            words, &state)
                    }
                }
            }
            if !users.allSatisfy(\.isFinite) || !items.allSatisfy(\.isFinite) || !bias.allSatisfy(\.isFinite) {
                return epoch + 1
            }
            progress?(epoch + 1, epochs)
        }
        model.setTerms(
            factors: factors, userFactors: users.map(Double.init), itemFactors: items.map(Double.init),
            userBias: model.userBias, itemBias: bias.map(Double.init))
        return nil
    }

    /// Each user's films in ascending order (BPR checks a sampled negative by binary search).
    static func sortedRows(_ set: TrainingSet) -> [Int32] {
        var sorted = set.userItems
        for user in 0..<set.userCount { sorted[set.userStart[user]..<set.userStart[user + 1]].sort() }
        return sorted
    }

    /// EASE^R: P = (XᵀX + λI)⁻¹ by LAPACK's Cholesky inverse (OpenBLAS, loaded when first needed), then B = I − P·diag(1/diag P) with a
    /// zero diagonal; the score of film i for a user is Σ over their films j of B[j][i].
    static func fitEASE(_ model: inout FactorModel, _ parameters: Hyperparameters, _ set: TrainingSet)
        throws(MarqueeError)
    {
        let n = set.itemCount
        try Self.requireDense(n, parameters, "ease")
        let reg = parameters.value("reg")
        var gram = Self.cooccurrence(set)
        for i in 0..<n { gram[i * n + i] += reg }
        let info = marquee_cholesky_inverse(&gram, Int32(n))
        guard info != -1000 else {
            throw MarqueeError(
                .unavailable,
                "ease needs OpenBLAS's LAPACK and it cannot be loaded: \(String(cString: marquee_lapack_error()))",
                hint: "install it: apt-get install libopenblas0-pthread (make setup does)")
        }
        guard info == 0 else {
            throw MarqueeError(
                .dataError, "EASE's Gram matrix plus λ is not positive definite (LAPACK info \(info))",
                hint: "raise reg above 0 (default 500)")
        }
        marquee_ease_weights(&gram, n)
        setItemItem(&model, weights: gram, set)
    }

    /// ItemKNN: cos(i, j) = |U_i ∩ U_j| / (√|U_i| √|U_j| + shrink), each film keeping its `k`
    /// most similar films (ties: the lower row); the score of film i for a user is the sum of
    /// its kept similarities to the films they rated. The model is sparse (``ItemNeighbours``):
    /// the co-occurrences are counted film by film through the films' users, never as a
    /// films × films matrix, so memory is films × k.
    static func fitItemKNN(_ model: inout FactorModel, _ parameters: Hyperparameters, _ set: TrainingSet) {
        let n = set.itemCount
        let k = min(parameters.integer("k"), max(n - 1, 0))
        let shrink = parameters.value("shrink")
        // Films are independent: each core takes a share of the target films.
        let chunks = max(1, min(n, ProcessInfo.processInfo.activeProcessorCount * 4))
        let parts = Mutex<[Int: (kept: [Int32], sources: [Int32], weights: [Double])]>([:])
        let (itemStart, itemUsers, userStart, userItems) = (set.itemStart, set.itemUsers, set.userStart, set.userItems)
        let userCount = set.userCount
        let norms = (0..<n).map { Double(itemStart[$0 + 1] - itemStart[$0]).squareRoot() }
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let first = n * chunk / chunks, last = n * (chunk + 1) / chunks
            var counts = [UInt32](repeating: 0, count: n)
            var touched = [Int32](repeating: 0, count: n + 1)
            var heapItems = [Int32](repeating: 0, count: max(k, 1))
            var heapValues = [Double](repeating: 0, count: max(k, 1))
            var kept = [Int32](repeating: 0, count: last - first)
            var sources = [Int32](repeating: 0, count: (last - first) * k)
            var weights = [Double](repeating: 0, count: (last - first) * k)
            // Every pointer the two interaction tables hold lives for the whole kernel call.
            itemStart.withUnsafeBufferPointer { itemStart in
                itemUsers.withUnsafeBufferPointer { itemUsers in
                    userStart.withUnsafeBufferPointer { userStart in
                        userItems.withUnsafeBufferPointer { userItems in
                            marquee_itemknn_sparse(
                                marquee_interactions(
                                    rows: n, start: itemStart.baseAddress, columns: itemUsers.baseAddress),
                                marquee_interactions(
                                    rows: userCount, start: userStart.baseAddress, columns: userItems.baseAddress),
                                first, last, k, shrink, norms, &counts, &touched, &heapItems, &heapValues, &kept,
                                &sources, &weights)
                        }
                    }
                }
            }
            parts.withLock { $0[chunk] = (kept, sources, weights) }
        }
        let solved = parts.withLock { $0 }
        var start = [0], sources: [Int32] = [], weights: [Double] = []
        for chunk in 0..<chunks {
            let part = solved[chunk]!
            for (row, kept) in part.kept.enumerated() {
                sources += part.sources[row * k..<row * k + Int(kept)]
                weights += part.weights[row * k..<row * k + Int(kept)]
                start.append(sources.count)
            }
        }
        model.setTerms(factors: 0, userFactors: [], itemFactors: [], userBias: model.userBias, itemBias: model.itemBias)
        model.neighbours = ItemNeighbours(films: n, start: start, sources: sources, weights: weights)
    }

    /// Refuses a dense films × films model beyond `max_films`.
    static func requireDense(_ films: Int, _ parameters: Hyperparameters, _ name: String) throws(MarqueeError) {
        let limit = parameters.integer("max_films")
        guard films <= limit else {
            let gib = Double(films) * Double(films) * 8 / 1_073_741_824
            throw MarqueeError(
                .dataError,
                "\(name) holds a dense films × films matrix: \(films) films need \(String(format: "%.1f", gib)) GiB (max_films is \(limit))",
                hint: "use ials or bpr for this many films, or raise --param max_films=\(films) if the memory is there")
        }
    }

    /// XᵀX of the binary user × film matrix, row-major films × films.
    static func cooccurrence(_ set: TrainingSet) -> [Double] {
        var out = [Double](repeating: 0, count: set.itemCount * set.itemCount)
        set.userStart.withUnsafeBufferPointer { start in
            set.userItems.withUnsafeBufferPointer { columns in
                marquee_cooccurrence(
                    marquee_interactions(rows: set.userCount, start: start.baseAddress, columns: columns.baseAddress),
                    set.itemCount, &out)
            }
        }
        return out
    }

    /// An item-item model: user rows mark the films rated, film rows are the weights into each film.
    static func setItemItem(_ model: inout FactorModel, weights: [Double], _ set: TrainingSet) {
        let n = set.itemCount
        var users = [Double](repeating: 0, count: set.userCount * n)
        for user in 0..<set.userCount {
            for position in set.userStart[user]..<set.userStart[user + 1] {
                users[user * n + Int(set.userItems[position])] = 1
            }
        }
        model.setTerms(
            factors: n, userFactors: users, itemFactors: weights, userBias: model.userBias, itemBias: model.itemBias)
    }
}
