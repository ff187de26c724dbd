import MarqueeCore

/// Queries on a trained model: a user's top films, films similar to a film, id lookup.
public struct Recommender: Sendable {
    /// The model.
    public let model: FactorModel
    private let userRows: [String: Int]
    private let itemRows: [String: Int]

    /// Indexes `model`'s ids.
    public init(model: FactorModel) {
        self.model = model
        userRows = Dictionary(model.userIDs.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        itemRows = Dictionary(model.itemIDs.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The row of a user id, given in full (`movielens:429`) or by its last part (`429`).
    /// - Throws: `MarqueeError` `.dataError` when the model has no such user, or the short form
    ///   is ambiguous.
    public func userRow(_ id: String) throws(MarqueeError) -> Int {
        try row(id, in: userRows, ids: model.userIDs, what: "user")
    }

    /// The row of a film id (`imdb:tt0133093` or `tt0133093`).
    public func itemRow(_ id: String) throws(MarqueeError) -> Int {
        try row(id, in: itemRows, ids: model.itemIDs, what: "film")
    }

    private func row(_ id: String, in rows: [String: Int], ids: [String], what: String) throws(MarqueeError) -> Int {
        if let row = rows[id] { return row }
        let matches = ids.indices.filter { ids[$0].hasSuffix(":" + id) }
        if matches.count == 1 { return matches[0] }
        if matches.count > 1 {
            throw MarqueeError(
                .dataError,
                "\(what) \"\(id)\" is ambiguous: \(matches.prefix(3).map { ids[$0] }.joined(separator: ", "))",
                hint: "give the full id")
        }
        throw MarqueeError(
            .dataError, "the model knows no \(what) \"\(id)\"",
            hint: "ids look like \(ids.prefix(2).joined(separator: ", ")); the model has \(ids.count) \(what)s")
    }

    /// `imdb:tt0133093 (The Matrix (1999))`.
    public func describe(_ item: Int) -> String {
        model.itemIDs[item] + (model.itemLabels.map { " (\($0[item]))" } ?? "")
    }

    /// The user's `k` best films by score (the unclipped prediction, or the popularity model's
    /// rating count), optionally leaving out films rated in training.
    public func recommend(user: Int, k: Int, excludeSeen: Bool) -> [(item: Int, score: Double)] {
        model.topK(user: user, k: k, excluding: excludeSeen ? model.seen(byUser: user) : [])
    }

    /// The `k` films whose factors are closest to `item`'s by cosine similarity, among films with
    /// at least `minRatings` training ratings (factors of rarely rated films are mostly their
    /// random initialisation); for ItemKNN, the film's kept neighbours.
    /// - Throws: `MarqueeError` `.usage` when the model has no film factors.
    public func similar(to item: Int, k: Int, minRatings: Int = 20) throws(MarqueeError) -> [(
        item: Int, score: Double
    )] {
        if let neighbours = model.neighbours, item >= 0, item < neighbours.filmCount {
            // ItemKNN: the film's kept neighbours are its most similar films, best first.
            let kept = neighbours.start[item]..<neighbours.start[item + 1]
            return Array(
                kept.map { (item: Int(neighbours.sources[$0]), score: neighbours.weights[$0]) }
                    .filter { model.itemRatingCount[$0.item] >= minRatings }.prefix(k))
        }
        let factors = model.factorCount
        guard factors > 0 else {
            throw MarqueeError(
                .usage, "a \(model.algorithm.rawValue) model has no film factors to compare",
                hint: "train svd, svdpp or hybrid for similar films")
        }
        let vectors = model.itemFactors
        func norm(_ row: Int) -> Double {
            var sum = 0.0
            for f in 0..<factors { sum += vectors[row * factors + f] * vectors[row * factors + f] }
            return sum.squareRoot()
        }
        let anchorNorm = max(norm(item), 1e-12)
        var scored: [(item: Int, score: Double)] = []
        for other in 0..<model.itemIDs.count where other != item && model.itemRatingCount[other] >= minRatings {
            var dot = 0.0
            for f in 0..<factors { dot += vectors[item * factors + f] * vectors[other * factors + f] }
            scored.append((other, dot / (anchorNorm * max(norm(other), 1e-12))))
        }
        return Array(scored.sorted { $0.score > $1.score || ($0.score == $1.score && $0.item < $1.item) }.prefix(k))
    }
}
