import MarqueeCore

/// One train/test partition of a table's rows (row positions in the table, in the order the
/// training set should see them).
public struct Fold: Sendable {
    /// Training rows.
    public var train: [Int]
    /// Test rows.
    public var test: [Int]
}

/// How ratings are split into training and test sets.
public enum SplitStrategy: Sendable, Hashable, CustomStringConvertible {
    /// k-fold cross-validation over shuffled rows, exactly as Surprise's `KFold(k, random_state=seed)`.
    case kFold(Int)
    /// One random holdout: the fraction `trainRatio` of shuffled rows trains.
    case random(trainRatio: Double)
    /// Per user, a random `trainRatio` of that user's ratings trains (Microsoft Recommenders'
    /// `python_stratified_split`); every user is in both sides when they have ≥ 2 ratings.
    case stratified(trainRatio: Double)
    /// Per user, the last `n` ratings by time are the test set (leave-last-n-out); users with
    /// n or fewer ratings stay wholly in training.
    case temporal(lastN: Int)
    /// All ratings of a random `fraction` of films go to the test set (a cold-start check).
    case coldItems(fraction: Double)
    /// A split given as two files (`--train`, `--test`), read into one table: its first
    /// `trainRows` rows train, the rest test — so any library can be compared on the very same data.
    case files(trainRows: Int)

    /// Parses `cv:5`, `random:0.8`, `stratified:0.75`, `temporal:1` or `cold-items:0.1`.
    public init(parsing text: String) throws(MarqueeError) {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        let kind = parts.first ?? ""
        let argument = parts.count > 1 ? parts[1] : ""
        func ratio() throws(MarqueeError) -> Double {
            guard let value = Double(argument), value > 0, value < 1 else {
                throw MarqueeError(
                    .usage, "split \"\(text)\": the ratio must be a number between 0 and 1",
                    hint: "e.g. \(kind):0.75")
            }
            return value
        }
        switch kind {
        case "cv", "kfold":
            guard let folds = Int(argument), folds >= 2 else {
                throw MarqueeError(.usage, "split \"\(text)\": folds must be an integer ≥ 2", hint: "e.g. cv:5")
            }
            self = .kFold(folds)
        case "random": self = .random(trainRatio: try ratio())
        case "stratified": self = .stratified(trainRatio: try ratio())
        case "cold-items": self = .coldItems(fraction: try ratio())
        case "temporal":
            guard let last = Int(argument), last >= 1 else {
                throw MarqueeError(.usage, "split \"\(text)\": n must be an integer ≥ 1", hint: "e.g. temporal:1")
            }
            self = .temporal(lastN: last)
        default:
            throw MarqueeError(
                .usage, "unknown split \"\(text)\"",
                hint: "use cv:K, random:RATIO, stratified:RATIO, temporal:N or cold-items:FRACTION")
        }
    }

    /// The spelling ``init(parsing:)`` reads.
    public var description: String {
        switch self {
        case .kFold(let folds): "cv:\(folds)"
        case .random(let ratio): "random:\(ratio)"
        case .stratified(let ratio): "stratified:\(ratio)"
        case .temporal(let last): "temporal:\(last)"
        case .coldItems(let fraction): "cold-items:\(fraction)"
        case .files: "files"
        }
    }

    /// The method's name in reports (`kfold`, `random`, …).
    public var method: String {
        switch self {
        case .kFold: "kfold"
        case .random: "random"
        case .stratified: "stratified"
        case .temporal: "temporal"
        case .coldItems: "cold-items"
        case .files: "files"
        }
    }

    /// The folds for `table`, deterministic for `seed`.
    /// - Throws: `MarqueeError` `.dataError` when the table is too small for the split, or a
    ///   temporal split is asked of a dataset without times.
    public func folds(of table: RatingTable, seed: UInt32) throws(MarqueeError) -> [Fold] {
        let count = table.count
        switch self {
        case .kFold(let k):
            guard k <= count else {
                throw MarqueeError(.dataError, "\(k) folds of \(count) ratings", hint: "use fewer folds")
            }
            var order = Array(0..<count)
            var random = LegacyRandom(seed: seed)
            random.shuffle(&order)
            var folds: [Fold] = []
            var stop = 0
            for fold in 0..<k {
                let start = stop
                stop += count / k + (fold < count % k ? 1 : 0)
                folds.append(Fold(train: Array(order[..<start] + order[stop...]), test: Array(order[start..<stop])))
            }
            return folds
        case .random(let ratio):
            var order = Array(0..<count)
            var random = LegacyRandom(seed: seed)
            random.shuffle(&order)
            let cut = Int((Double(count) * ratio).rounded())
            return [Fold(train: Array(order[..<cut]), test: Array(order[cut...]))]
        case .stratified(let ratio):
            var random = LegacyRandom(seed: seed)
            var train: [Int] = []
            var test: [Int] = []
            for var rows in rowsByUser(table) {
                random.shuffle(&rows)
                let cut =
                    rows.count < 2
                    ? rows.count : min(max(Int((Double(rows.count) * ratio).rounded()), 1), rows.count - 1)
                train += rows[..<cut]
                test += rows[cut...]
            }
            return [Fold(train: train.sorted(), test: test.sorted())]
        case .temporal(let last):
            guard let times = table.times else {
                throw MarqueeError(
                    .dataError, "a temporal split needs rating times and the dataset has none",
                    hint: "add an event_time or timestamp column, or use --cv / --split stratified:0.75")
            }
            var train: [Int] = []
            var test: [Int] = []
            for rows in rowsByUser(table) {
                let ordered = rows.sorted { (times[$0], $0) < (times[$1], $1) }
                let cut = ordered.count > last ? ordered.count - last : ordered.count
                train += ordered[..<cut]
                test += ordered[cut...]
            }
            return [Fold(train: train.sorted(), test: test.sorted())]
        case .files(let trainRows):
            guard trainRows > 0, trainRows < count else {
                throw MarqueeError(
                    .dataError, "the training file has \(trainRows) of \(count) ratings",
                    hint: "give --train and --test files with ratings in each")
            }
            return [Fold(train: Array(0..<trainRows), test: Array(trainRows..<count))]
        case .coldItems(let fraction):
            var films = Array(0..<table.itemIDs.count)
            var random = LegacyRandom(seed: seed)
            random.shuffle(&films)
            var hidden = [Bool](repeating: false, count: films.count)
            for film in films.prefix(Int((Double(films.count) * fraction).rounded())) { hidden[film] = true }
            let rows = Array(0..<count)
            return [
                Fold(
                    train: rows.filter { !hidden[Int(table.items[$0])] },
                    test: rows.filter { hidden[Int(table.items[$0])] })
            ]
        }
    }

    /// Row positions grouped by user, users in index order, rows in file order.
    private func rowsByUser(_ table: RatingTable) -> [[Int]] {
        var groups = [[Int]](repeating: [], count: table.userIDs.count)
        for row in 0..<table.count { groups[Int(table.users[row])].append(row) }
        return groups
    }
}
