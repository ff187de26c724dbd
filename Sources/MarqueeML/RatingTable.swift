import Foundation
import MarqueeCore
import MarqueeStore

/// Every rating of a dataset in file order, with dense user and film ids, plus the films'
/// content columns (whatever the dataset carries besides user, film, rating and time).
///
/// File order matters: k-fold splits shuffle row positions, as Surprise shuffles `raw_ratings`.
public struct RatingTable: Sendable {
    /// Raw user ids by dense index (`movielens:429`).
    public var userIDs: [String]
    /// Raw film ids by dense index (`imdb:tt0096895`).
    public var itemIDs: [String]
    /// Per rating: dense user index.
    public var users: [Int32]
    /// Per rating: dense film index.
    public var items: [Int32]
    /// Per rating: the rating.
    public var ratings: [Double]
    /// Per rating: UTC microseconds, or `nil` for every row when the dataset has no time column.
    public var times: [Int64]?
    /// Per film: a display label (`Batman (1989)`) when the dataset has a title column.
    public var itemLabels: [String]?
    /// Per film: the content columns' last non-empty value, by column name.
    public var itemAttributes: [String: [String]]

    /// Number of ratings.
    public var count: Int { ratings.count }

    /// The smallest and largest rating present (the rating scale unless a parameter says otherwise).
    public var ratingRange: ClosedRange<Double> {
        guard let low = ratings.min(), let high = ratings.max() else { return 0...0 }
        return low...high
    }

    /// Builds a table from parallel arrays of raw ids (tests and library users).
    public init(users rawUsers: [String], items rawItems: [String], ratings: [Double], times: [Int64]? = nil) {
        var userIndex: [String: Int32] = [:]
        var itemIndex: [String: Int32] = [:]
        userIDs = []
        itemIDs = []
        users = []
        items = []
        for (user, item) in zip(rawUsers, rawItems) {
            users.append(Self.intern(user, &userIndex, &userIDs))
            items.append(Self.intern(item, &itemIndex, &itemIDs))
        }
        self.ratings = ratings
        self.times = times
        itemLabels = nil
        itemAttributes = [:]
    }

    /// This table's ratings followed by `other`'s, ids matched by their raw spelling (a split
    /// given as two files). Times are kept when both have them; labels and attributes are this
    /// table's, then `other`'s for films only it has.
    public func appending(_ other: RatingTable) -> RatingTable {
        var joined = RatingTable(
            users: users.map { userIDs[Int($0)] } + other.users.map { other.userIDs[Int($0)] },
            items: items.map { itemIDs[Int($0)] } + other.items.map { other.itemIDs[Int($0)] },
            ratings: ratings + other.ratings, times: times.flatMap { mine in other.times.map { mine + $0 } })
        let row = Dictionary(joined.itemIDs.enumerated().map { ($1, $0) }) { first, _ in first }
        if itemLabels != nil || other.itemLabels != nil {
            var labels = joined.itemIDs
            for table in [other, self] {
                guard let known = table.itemLabels else { continue }
                for (index, id) in table.itemIDs.enumerated() { labels[row[id]!] = known[index] }
            }
            joined.itemLabels = labels
        }
        for table in [other, self] {
            for (column, values) in table.itemAttributes {
                var merged = joined.itemAttributes[column] ?? Array(repeating: "", count: joined.itemIDs.count)
                for (index, id) in table.itemIDs.enumerated() where !values[index].isEmpty { merged[row[id]!] = values[index] }
                joined.itemAttributes[column] = merged
            }
        }
        return joined
    }

    private static func intern(_ raw: String, _ index: inout [String: Int32], _ ids: inout [String]) -> Int32 {
        if let known = index[raw] { return known }
        let next = Int32(ids.count)
        index[raw] = next
        ids.append(raw)
        return next
    }

    /// Column names accepted for each role, first match wins.
    static let userColumns = ["user", "user_id", "userId"]
    static let itemColumns = ["film", "item", "item_id", "movieId", "film_id"]
    static let timeColumns = ["event_time", "timestamp", "time"]

    /// Reads a dataset file (`marquee dataset build` CSV, or any CSV with user, film/item and
    /// rating columns — MovieLens' `ratings.csv` works as is).
    /// - Throws: `MarqueeError` `.dataError` naming the file, line and column of the first bad
    ///   value; `.noInput` (66) when the file is missing, `.noPermission` (77) when unreadable.
    /// The file is read a chunk at a time (a dataset of 20 million rows is never held whole).
    public static func load(csv url: URL) throws(MarqueeError) -> RatingTable {
        try InputFile.requireReadable(url.path, what: "the ratings file")
        var builder: Builder?
        do {
            try CSVReader.forEachRow(inFile: url) { row in
                if builder == nil { builder = try Builder(header: row, source: url.path) } else { try builder!.add(row) }
            }
        } catch let error as MarqueeError {
            throw error
        } catch {
            throw MarqueeError(.noInput, "cannot read the ratings file: \(error)", location: url.path)
        }
        guard let builder else { throw empty(url.path) }
        return try builder.finish()
    }

    /// Parses CSV bytes; `source` names them in error messages.
    public static func parse(csv data: Data, source: String) throws(MarqueeError) -> RatingTable {
        var rows = CSVReader(data: data).makeIterator()
        guard let header = rows.next() else { throw empty(source) }
        var builder = try Builder(header: header, source: source)
        while let row = rows.next() { try builder.add(row) }
        return try builder.finish()
    }

    private static func empty(_ source: String) -> MarqueeError {
        MarqueeError(.dataError, "the file is empty", location: source, hint: "build the dataset first")
    }

    /// A table built row by row from a CSV header and its rows.
    struct Builder {
        let source: String
        let header: CSVReader.Row
        let userColumn, itemColumn, ratingColumn: Int
        let timeColumn, titleColumn, yearColumn: Int?
        let attributeColumns: [Int]
        var table: RatingTable
        var userIndex: [String: Int32] = [:]
        var itemIndex: [String: Int32] = [:]
        var attributes: [[String]]

        init(header: CSVReader.Row, source: String) throws(MarqueeError) {
            func column(_ names: [String], _ role: String) throws(MarqueeError) -> Int {
                guard let index = names.lazy.compactMap({ header.fields.firstIndex(of: $0) }).first else {
                    throw MarqueeError(
                        .dataError, "no \(role) column (header: \(header.fields.joined(separator: ",")))",
                        location: "\(source):1", hint: "name it one of: \(names.joined(separator: ", "))")
                }
                return index
            }
            self.source = source
            self.header = header
            userColumn = try column(userColumns, "user")
            itemColumn = try column(itemColumns, "film")
            ratingColumn = try column(["rating"], "rating")
            let timeColumn = timeColumns.lazy.compactMap { header.fields.firstIndex(of: $0) }.first
            self.timeColumn = timeColumn
            titleColumn = header.fields.firstIndex(of: "title")
            yearColumn = header.fields.firstIndex(of: "year")
            let roles = Set([userColumn, itemColumn, ratingColumn, timeColumn].compactMap { $0 })
            attributeColumns = header.fields.indices.filter { !roles.contains($0) }
            table = RatingTable(users: [], items: [], ratings: [], times: timeColumn == nil ? nil : [])
            attributes = [[String]](repeating: [], count: attributeColumns.count)
        }

        mutating func add(_ row: CSVReader.Row) throws(MarqueeError) {
            let fields = row.fields
            guard fields.count == header.fields.count else {
                throw MarqueeError(
                    .dataError, "\(fields.count) fields where the header has \(header.fields.count)",
                    location: "\(source):\(row.line)", hint: "quote fields that contain commas")
            }
            guard let rating = Double(fields[ratingColumn]), rating.isFinite else {
                throw MarqueeError(
                    .dataError, "rating \"\(fields[ratingColumn])\" is not a number",
                    location: "\(source):\(row.line)", hint: "every row needs a numeric rating")
            }
            let user = fields[userColumn]
            let item = fields[itemColumn]
            guard !user.isEmpty, !item.isEmpty else {
                throw MarqueeError(
                    .dataError, "empty \(user.isEmpty ? "user" : "film") id", location: "\(source):\(row.line)",
                    hint: "every row needs a user and a film")
            }
            table.users.append(intern(user, &userIndex, &table.userIDs))
            let itemNumber = intern(item, &itemIndex, &table.itemIDs)
            if Int(itemNumber) == attributes.first?.count {
                for index in attributes.indices { attributes[index].append("") }
            }
            table.items.append(itemNumber)
            table.ratings.append(rating)
            if let timeColumn {
                guard let time = parseTime(fields[timeColumn]) else {
                    throw MarqueeError(
                        .dataError, "time \"\(fields[timeColumn])\" is not ISO 8601 or seconds since 1970",
                        location: "\(source):\(row.line)", hint: "fix or drop the time column")
                }
                table.times!.append(time)
            }
            for (index, column) in attributeColumns.enumerated() where !fields[column].isEmpty {
                attributes[index][Int(itemNumber)] = fields[column]
            }
        }

        func finish() throws(MarqueeError) -> RatingTable {
            var table = table
            guard !table.ratings.isEmpty else {
                throw MarqueeError(.dataError, "no ratings", location: source, hint: "the dataset has a header only")
            }
            for (index, column) in attributeColumns.enumerated()
            where attributes[index].contains(where: { !$0.isEmpty }) {
                table.itemAttributes[header.fields[column]] = attributes[index]
            }
            if let titleColumn, let titles = table.itemAttributes[header.fields[titleColumn]] {
                let years = yearColumn.flatMap { table.itemAttributes[header.fields[$0]] }
                table.itemLabels = titles.indices.map { index in
                    let year = years?[index] ?? ""
                    return year.isEmpty ? titles[index] : "\(titles[index]) (\(year))"
                }
            }
            return table
        }
    }

    /// `2019-02-05T10:00:00Z` quickly, anything else through `Microseconds/parse(_:)`.
    static func parseTime(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        if bytes.count == 20, bytes[4] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"),
            bytes[19] == UInt8(ascii: "Z")
        {
            func number(_ range: Range<Int>) -> Int64? {
                var value: Int64 = 0
                for byte in bytes[range] {
                    guard byte >= 48, byte <= 57 else { return nil }
                    value = value * 10 + Int64(byte - 48)
                }
                return value
            }
            if let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
                let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
                (1...12).contains(month), (1...31).contains(day)
            {
                // Days from civil (Howard Hinnant's algorithm).
                let y = month <= 2 ? year - 1 : year
                let era = (y >= 0 ? y : y - 399) / 400
                let yearOfEra = y - era * 400
                let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
                let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
                let days = era * 146_097 + dayOfEra - 719_468
                return ((days * 86_400) + hour * 3_600 + minute * 60 + second) * 1_000_000
            }
        }
        return Microseconds.parse(text)
    }
}
