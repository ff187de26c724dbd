import CMarqueeKernels
/// The ratings one model learns from, indexed as Surprise's `Trainset` is: users and films get
/// inner ids in order of first appearance, and each user's ratings keep their order, so
/// iterating ``forEachRating(_:)`` visits ratings exactly as Surprise's `all_ratings()` does.
///
/// Stored as compressed sparse rows twice: by user and by film.
public struct TrainingSet: Sendable {
    /// The table the ratings come from.
    public let table: RatingTable
    /// Inner user id → table user index.
    public let userOfInner: [Int32]
    /// Inner film id → table film index.
    public let itemOfInner: [Int32]
    /// Table user index → inner id, or −1 when the user has no training rating.
    public let innerOfUser: [Int32]
    /// Table film index → inner id, or −1.
    public let innerOfItem: [Int32]
    /// By user: `userStart[u]..<userStart[u+1]` indexes `userItems`/`userRatings`.
    public let userStart: [Int]
    /// Inner film ids rated by each user, in rating order.
    public let userItems: [Int32]
    /// The ratings matching `userItems`.
    public let userRatings: [Double]
    /// By film: `itemStart[i]..<itemStart[i+1]` indexes `itemUsers`/`itemRatings`.
    public let itemStart: [Int]
    /// Inner user ids who rated each film, in rating order.
    public let itemUsers: [Int32]
    /// The ratings matching `itemUsers`.
    public let itemRatings: [Double]
    /// Mean of all training ratings.
    public let globalMean: Double

    /// Number of users with a training rating.
    public var userCount: Int { userOfInner.count }
    /// Number of films with a training rating.
    public var itemCount: Int { itemOfInner.count }
    /// Number of training ratings.
    public var ratingCount: Int { userItems.count }

    /// Builds the training set of `table`'s rows `rows`, in that order.
    public init(table: RatingTable, rows: [Int]) {
        self.table = table
        var innerOfUser = [Int32](repeating: -1, count: table.userIDs.count)
        var innerOfItem = [Int32](repeating: -1, count: table.itemIDs.count)
        var userOfInner: [Int32] = []
        var itemOfInner: [Int32] = []
        var innerUsers = [Int32](repeating: 0, count: rows.count)
        var innerItems = [Int32](repeating: 0, count: rows.count)
        for (position, row) in rows.enumerated() {
            let user = Int(table.users[row])
            let item = Int(table.items[row])
            if innerOfUser[user] < 0 {
                innerOfUser[user] = Int32(userOfInner.count)
                userOfInner.append(Int32(user))
            }
            if innerOfItem[item] < 0 {
                innerOfItem[item] = Int32(itemOfInner.count)
                itemOfInner.append(Int32(item))
            }
            innerUsers[position] = innerOfUser[user]
            innerItems[position] = innerOfItem[item]
        }
        let rowRatings = rows.map { table.ratings[$0] }
        (userStart, userItems, userRatings) = Self.compress(
            keys: innerUsers, values: innerItems, ratings: rowRatings, keyCount: userOfInner.count)
        (itemStart, itemUsers, itemRatings) = Self.compress(
            keys: innerItems, values: innerUsers, ratings: rowRatings, keyCount: itemOfInner.count)
        self.innerOfUser = innerOfUser
        self.innerOfItem = innerOfItem
        self.userOfInner = userOfInner
        self.itemOfInner = itemOfInner
        globalMean = rowRatings.isEmpty ? 0 : rowRatings.reduce(0, +) / Double(rowRatings.count)
    }

    /// A stable counting sort by key: CSR offsets, values and ratings in input order per key.
    private static func compress(keys: [Int32], values: [Int32], ratings: [Double], keyCount: Int) -> (
        [Int], [Int32], [Double]
    ) {
        var start = [Int](repeating: 0, count: keyCount + 1)
        for key in keys { start[Int(key) + 1] += 1 }
        for index in 0..<keyCount { start[index + 1] += start[index] }
        var next = start
        var sortedValues = [Int32](repeating: 0, count: keys.count)
        var sortedRatings = [Double](repeating: 0, count: keys.count)
        for position in keys.indices {
            let key = Int(keys[position])
            sortedValues[next[key]] = values[position]
            sortedRatings[next[key]] = ratings[position]
            next[key] += 1
        }
        return (start, sortedValues, sortedRatings)
    }

    /// Calls `body(user, item, rating)` for every rating, user by user in inner-id order (Surprise's
    /// `all_ratings()`).
    @inline(__always)
    public func forEachRating(_ body: (Int, Int, Double) -> Void) {
        for user in 0..<userCount {
            for position in userStart[user]..<userStart[user + 1] {
                body(user, Int(userItems[position]), userRatings[position])
            }
        }
    }

    /// Population standard deviation of the training ratings.
    public var ratingStandardDeviation: Double {
        guard ratingCount > 0 else { return 0 }
        let variance = userRatings.reduce(0) { $0 + ($1 - globalMean) * ($1 - globalMean) } / Double(ratingCount)
        return variance.squareRoot()
    }

    /// Runs `body` with the by-user ratings as the C kernels take them (valid only inside `body`).
    func withKernelRatings<Result>(_ body: (marquee_ratings) -> Result) -> Result {
        userStart.withUnsafeBufferPointer { start in
            userItems.withUnsafeBufferPointer { items in
                userRatings.withUnsafeBufferPointer { ratings in
                    body(
                        marquee_ratings(
                            users: userCount, user_start: start.baseAddress, items: items.baseAddress,
                            ratings: ratings.baseAddress))
                }
            }
        }
    }
}
