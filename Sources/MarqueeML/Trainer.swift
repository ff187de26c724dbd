import CMarqueeKernels
import MarqueeCore

/// Fits every ``Algorithm`` on a ``TrainingSet``. Each fit is deterministic for its seed: the
/// factor initialisation draws from NumPy's legacy generator in Surprise's order (`pu` then
/// `qi` then `yj`) and the SGD visits ratings in Surprise's order, so `svd` with seed 0 learns
/// what `SVD(random_state=0)` learns.
public enum Trainer {
    /// Called after each epoch with (epoch, epochs), for progress output.
    public typealias Progress = @Sendable (Int, Int) -> Void

    /// Fits `algorithm` with `parameters` on `set`.
    /// - Throws: `MarqueeError` `.dataError` (exit 65) when the fit diverges — a learning rate
    ///   too high for the data makes the training error overflow to infinity or NaN. Such a fit
    ///   stops at that epoch and never becomes a model.
    public static func fit(
        _ algorithm: Algorithm, parameters: Hyperparameters, on set: TrainingSet, seed: UInt32,
        progress: Progress? = nil
    ) throws(MarqueeError) -> FactorModel {
        var model = emptyModel(algorithm, parameters: parameters, on: set)
        var diverged: Int?
        switch algorithm {
        case .baseline: fitBaseline(&model, parameters, set, progress)
        case .svd: diverged = fitSVD(&model, parameters, set, seed, progress)
        case .svdpp: diverged = fitSVDpp(&model, parameters, set, seed, progress)
        case .hybrid: diverged = fitHybrid(&model, parameters, set, seed, progress)
        case .popularity:
            let damping = parameters.value("damping")
            for item in 0..<set.itemCount {
                let range = set.itemStart[item]..<set.itemStart[item + 1]
                let deviation = set.itemRatings[range].reduce(0) { $0 + ($1 - set.globalMean) }
                model.itemBias[item] = deviation / (Double(range.count) + damping)
            }
            model.itemRankScore = model.itemRatingCount.map(Double.init)
        case .random:
            model.noise = FactorModel.Noise(seed: UInt64(seed), standardDeviation: set.ratingStandardDeviation)
        case .ials, .bpr, .ease, .itemknn:
            diverged = try fitRanker(&model, parameters, set, seed, progress)
        }
        if diverged == nil, !model.isFinite { diverged = parameters.integer("n_epochs") }
        if let epoch = diverged {
            throw MarqueeError(
                .dataError,
                "training \(algorithm.rawValue) diverged at epoch \(epoch): the training error became infinite or NaN",
                hint: "lower lr_all (or the lr_* rate of the term that grew), or raise reg_all")
        }
        return model
    }

    /// A model with the set's rows, zero biases and no factors.
    static func emptyModel(_ algorithm: Algorithm, parameters: Hyperparameters, on set: TrainingSet) -> FactorModel {
        let range = set.table.ratingRange
        return FactorModel(
            algorithm: algorithm, parameters: parameters.resolved(data: range),
            ratingScale: parameters.ratingScale(data: range), globalMean: set.globalMean,
            biased: algorithm != .svd || parameters.value("biased") != 0, factorCount: 0,
            userIDs: set.userOfInner.map { set.table.userIDs[Int($0)] },
            itemIDs: set.itemOfInner.map { set.table.itemIDs[Int($0)] },
            itemLabels: set.table.itemLabels.map { labels in set.itemOfInner.map { labels[Int($0)] } },
            userBias: Array(repeating: 0, count: set.userCount), itemBias: Array(repeating: 0, count: set.itemCount),
            userFactors: [], itemFactors: [],
            itemRatingCount: (0..<set.itemCount).map { Int32(set.itemStart[$0 + 1] - set.itemStart[$0]) },
            seenStart: set.userStart, seenItems: set.userItems, itemRankScore: nil, noise: nil,
            rowOfTableUser: set.innerOfUser, rowOfTableItem: set.innerOfItem)
    }

    /// Surprise's `baseline_als`: alternate closed-form film then user bias updates.
    static func fitBaseline(
        _ model: inout FactorModel, _ parameters: Hyperparameters, _ set: TrainingSet, _ progress: Progress?
    ) {
        let epochs = parameters.integer("n_epochs")
        let regU = parameters.value("reg_u")
        let regI = parameters.value("reg_i")
        let mean = set.globalMean
        var bu = [Double](repeating: 0, count: set.userCount)
        var bi = [Double](repeating: 0, count: set.itemCount)
        for epoch in 0..<epochs {
            for item in 0..<set.itemCount {
                var deviation = 0.0
                for position in set.itemStart[item]..<set.itemStart[item + 1] {
                    deviation += set.itemRatings[position] - mean - bu[Int(set.itemUsers[position])]
                }
                bi[item] = deviation / (regI + Double(set.itemStart[item + 1] - set.itemStart[item]))
            }
            for user in 0..<set.userCount {
                var deviation = 0.0
                for position in set.userStart[user]..<set.userStart[user + 1] {
                    deviation += set.userRatings[position] - mean - bi[Int(set.userItems[position])]
                }
                bu[user] = deviation / (regU + Double(set.userStart[user + 1] - set.userStart[user]))
            }
            progress?(epoch + 1, epochs)
        }
        model.userBias = bu
        model.itemBias = bi
    }

    /// Learning rates and regularisations of one SGD fit.
    struct Rates {
        var lrBu, lrBi, lrPu, lrQi, regBu, regBi, regPu, regQi: Double

        init(_ parameters: Hyperparameters) {
            lrBu = parameters.value("lr_bu", or: "lr_all")
            lrBi = parameters.value("lr_bi", or: "lr_all")
            lrPu = parameters.value("lr_pu", or: "lr_all")
            lrQi = parameters.value("lr_qi", or: "lr_all")
            regBu = parameters.value("reg_bu", or: "reg_all")
            regBi = parameters.value("reg_bi", or: "reg_all")
            regPu = parameters.value("reg_pu", or: "reg_all")
            regQi = parameters.value("reg_qi", or: "reg_all")
        }

        /// The rates as the C kernels take them.
        var kernel: marquee_sgd_rates {
            marquee_sgd_rates(
                lr_bu: lrBu, lr_bi: lrBi, lr_pu: lrPu, lr_qi: lrQi, reg_bu: regBu, reg_bi: regBi, reg_pu: regPu,
                reg_qi: regQi)
        }
    }

    /// `pu` then `qi` (then more tables) from one generator, as Surprise draws them.
    static func initialFactors(_ parameters: Hyperparameters, rows: [Int], seed: UInt32) -> [[Double]] {
        var random = LegacyRandom(seed: seed)
        let factors = parameters.integer("n_factors")
        return rows.map {
            random.normal(mean: parameters.value("init_mean"), std: parameters.value("init_std"), count: $0 * factors)
        }
    }

    /// Surprise's SVD: for each rating in order, update biases then every factor pair.
    /// Returns the epoch at which the fit diverged, or `nil`.
    static func fitSVD(
        _ model: inout FactorModel, _ parameters: Hyperparameters, _ set: TrainingSet, _ seed: UInt32,
        _ progress: Progress?
    ) -> Int? {
        var diverged: Int?
        let factors = parameters.integer("n_factors")
        let epochs = parameters.integer("n_epochs")
        let biased = model.biased
        let rates = Rates(parameters)
        let mean = biased ? set.globalMean : 0
        let initial = initialFactors(parameters, rows: [set.userCount, set.itemCount], seed: seed)
        var pu = initial[0]
        var qi = initial[1]
        var bu = model.userBias
        var bi = model.itemBias
        set.withKernelRatings { data in
            for epoch in 0..<epochs {
                let squaredError = marquee_svd_epoch(
                    data, &pu, &qi, &bu, &bi, factors, mean, biased ? 1 : 0, rates.kernel)
                if !squaredError.isFinite {
                    diverged = epoch + 1
                    break
                }
                progress?(epoch + 1, epochs)
            }
        }
        model.setTerms(factors: factors, userFactors: pu, itemFactors: qi, userBias: bu, itemBias: bi)
        return diverged
    }

    /// Surprise's SVD++. The implicit factors `y_j` of a user's films change by the same affine map
    /// at each of that user's ratings (`y ← (1 − lr·reg)·y + lr·err·q_if/√|I_u|`), so they are
    /// updated lazily — once per user per epoch instead of once per rating — which is the same
    /// arithmetic up to rounding and turns Surprise's O(|I_u|²) per user into O(|I_u|).
    static func fitSVDpp(
        _ model: inout FactorModel, _ parameters: Hyperparameters, _ set: TrainingSet, _ seed: UInt32,
        _ progress: Progress?
    ) -> Int? {
        var diverged: Int?
        let factors = parameters.integer("n_factors")
        let epochs = parameters.integer("n_epochs")
        let rates = Rates(parameters)
        let lrY = parameters.value("lr_yj", or: "lr_all")
        let regY = parameters.value("reg_yj", or: "reg_all")
        let mean = set.globalMean
        let initial = initialFactors(parameters, rows: [set.userCount, set.itemCount, set.itemCount], seed: seed)
        var pu = initial[0]
        var qi = initial[1]
        var yj = initial[2]
        var bu = model.userBias
        var bi = model.itemBias
        var sums = [Double](repeating: 0, count: factors)  // Σ_j y_j at the block's start
        var offset = [Double](repeating: 0, count: factors)  // B: y_j = A·y_j(start) + B
        var implicit = [Double](repeating: 0, count: factors)
        set.withKernelRatings { data in
            for epoch in 0..<epochs {
                let squaredError = marquee_svdpp_epoch(
                    data, &pu, &qi, &yj, &bu, &bi, factors, mean, rates.kernel, lrY, regY, &sums, &offset, &implicit)
                if !squaredError.isFinite {
                    diverged = epoch + 1
                    break
                }
                progress?(epoch + 1, epochs)
            }
        }
        // Fold the implicit feedback into the user factors: p'_u = p_u + |I_u|^-½ Σ y_j.
        for user in 0..<set.userCount {
            let block = set.userStart[user]..<set.userStart[user + 1]
            guard !block.isEmpty else { continue }
            let root = Double(block.count).squareRoot()
            for f in 0..<factors {
                var sum = 0.0
                for position in block { sum += yj[Int(set.userItems[position]) * factors + f] }
                pu[user * factors + f] += sum / root
            }
        }
        model.setTerms(factors: factors, userFactors: pu, itemFactors: qi, userBias: bu, itemBias: bi)
        return diverged
    }

    /// SVD with film terms tied to content: `b_i = b'_i + Σ_k x_ik w_k`, `q_i = q'_i + Σ_k x_ik W_k`.
    /// The free parts learn as in SVD; the content weights learn from every rating of every film
    /// sharing the feature. Films without training ratings but with features are added as rows
    /// whose terms are content alone (cold start).
    static func fitHybrid(
        _ model: inout FactorModel, _ parameters: Hyperparameters, _ set: TrainingSet, _ seed: UInt32,
        _ progress: Progress?
    ) -> Int? {
        var diverged: Int?
        let content = ContentFeatures(table: set.table, minFilms: parameters.integer("min_films"))
        let factors = parameters.integer("n_factors")
        let epochs = parameters.integer("n_epochs")
        let rates = Rates(parameters)
        let lrC = parameters.value("lr_content")
        let regC = parameters.value("reg_content")
        let mean = set.globalMean
        let initial = initialFactors(parameters, rows: [set.userCount, set.itemCount], seed: seed)
        var pu = initial[0]
        var qi = initial[1]
        var bu = model.userBias
        var bi = model.itemBias
        var weights = [Double](repeating: 0, count: content.count * factors)
        var biasWeights = [Double](repeating: 0, count: content.count)
        var effective = [Double](repeating: 0, count: factors)
        var previous = [Double](repeating: 0, count: factors)
        let tableItem = set.itemOfInner.map(Int.init)
        tableItem.withUnsafeBufferPointer { tableItem in
            content.start.withUnsafeBufferPointer { start in
                content.index.withUnsafeBufferPointer { index in
                    content.value.withUnsafeBufferPointer { value in
                        let films = marquee_content(
                            table_film: tableItem.baseAddress, start: start.baseAddress, index: index.baseAddress,
                            value: value.baseAddress)
                        set.withKernelRatings { data in
                            for epoch in 0..<epochs {
                                let squaredError = marquee_hybrid_epoch(
                                    data, films, &pu, &qi, &bu, &bi, &weights, &biasWeights, factors, mean,
                                    rates.kernel, lrC, regC, &effective, &previous)
                                if !squaredError.isFinite {
                                    diverged = epoch + 1
                                    break
                                }
                                progress?(epoch + 1, epochs)
                            }
                        }
                    }
                }
            }
        }
        // Fold the content terms in, then add content-only rows for films never rated in training.
        func contentTerms(_ film: Int) -> (bias: Double, factors: [Double]) {
            var bias = 0.0
            var vector = [Double](repeating: 0, count: factors)
            for k in content.range(of: film) {
                let w = Int(content.index[k])
                bias += content.value[k] * biasWeights[w]
                for f in 0..<factors { vector[f] += content.value[k] * weights[w * factors + f] }
            }
            return (bias, vector)
        }
        for item in 0..<set.itemCount {
            let terms = contentTerms(tableItem[item])
            bi[item] += terms.bias
            for f in 0..<factors { qi[item * factors + f] += terms.factors[f] }
        }
        for film in 0..<set.table.itemIDs.count where set.innerOfItem[film] < 0 && !content.range(of: film).isEmpty {
            let terms = contentTerms(film)
            model.rowOfTableItem[film] = Int32(model.itemIDs.count)
            model.itemIDs.append(set.table.itemIDs[film])
            model.itemLabels?.append(set.table.itemLabels![film])
            model.itemRatingCount.append(0)
            bi.append(terms.bias)
            qi += terms.factors
        }
        model.setTerms(factors: factors, userFactors: pu, itemFactors: qi, userBias: bu, itemBias: bi)
        return diverged
    }
}
