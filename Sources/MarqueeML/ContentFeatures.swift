/// Sparse content features of every film in a table, derived from the dataset's extra columns:
/// `|`-separated or low-cardinality text columns become one indicator per value (weighted
/// 1/√values, so a film with five genres is not louder than one with one), numeric columns
/// become one indicator per quintile. Free text (a column with a distinct value for most films,
/// like titles) is skipped. A film with no value in a column that other films have gets that
/// column's `missing` indicator instead (weighted so a film's missing indicators together weigh
/// one): "not known" is a feature of its own, never a zero.
public struct ContentFeatures: Sendable {
    /// Feature names (`genres=drama`, `year∈[1986,1995]`).
    public var names: [String]
    /// By table film: `start[i]..<start[i+1]` in `index`/`value`.
    public var start: [Int]
    /// Feature ids.
    public var index: [Int32]
    /// Feature weights.
    public var value: [Double]

    /// Number of distinct features.
    public var count: Int { names.count }

    /// The features of table film `item`.
    @inline(__always)
    public func range(of item: Int) -> Range<Int> { start[item]..<start[item + 1] }

    /// Derives features from `table.itemAttributes`; a categorical value needs `minFilms` films.
    public init(table: RatingTable, minFilms: Int = 5) {
        let filmCount = table.itemIDs.count
        var perFilm = [[(Int32, Double)]](repeating: [], count: filmCount)
        var names: [String] = []
        var missing = [[Int32]](repeating: [], count: filmCount)
        for column in table.itemAttributes.keys.sorted() {
            let values = table.itemAttributes[column]!
            let present = values.filter { !$0.isEmpty }
            guard !present.isEmpty else { continue }
            let numbers = present.compactMap(Double.init)
            func markMissing() {
                guard present.count < values.count else { return }
                let id = Int32(names.count)
                names.append("\(column)=missing")
                for film in 0..<filmCount where values[film].isEmpty { missing[film].append(id) }
            }
            if numbers.count * 10 >= present.count * 9 {
                markMissing()
                // Numeric: quintile indicators.
                let sorted = numbers.sorted()
                var edges: [Double] = []
                for q in 1..<5 { edges.append(sorted[sorted.count * q / 5]) }
                edges = Array(Set(edges)).sorted()
                let first = Int32(names.count)
                var lower = sorted.first!
                for (position, edge) in (edges + [sorted.last! + 1]).enumerated() {
                    let upper = position == edges.count ? sorted.last! : edge
                    names.append(
                        "\(column)∈[\(Self.format(lower)),\(Self.format(upper))\(position == edges.count ? "]" : ")")")
                    lower = edge
                }
                for film in 0..<filmCount {
                    guard let number = Double(values[film]) else { continue }
                    let bin = edges.firstIndex { number < $0 } ?? edges.count
                    perFilm[film].append((first + Int32(bin), 1))
                }
                continue
            }
            let tokenLists = values.map { text in
                text.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            }
            var filmsPerToken: [String: Int] = [:]
            for tokens in tokenLists { for token in Set(tokens) { filmsPerToken[token, default: 0] += 1 } }
            let isList = values.contains { $0.contains("|") }
            guard isList || filmsPerToken.count * 2 <= present.count else { continue }  // free text
            markMissing()
            var ids: [String: Int32] = [:]
            for token in filmsPerToken.keys.sorted() where filmsPerToken[token]! >= minFilms {
                ids[token] = Int32(names.count)
                names.append("\(column)=\(token)")
            }
            for film in 0..<filmCount {
                let kept = Set(tokenLists[film]).compactMap { ids[$0] }.sorted()
                guard !kept.isEmpty else { continue }
                let weight = 1 / Double(kept.count).squareRoot()
                perFilm[film] += kept.map { ($0, weight) }
            }
        }
        for film in 0..<filmCount where !missing[film].isEmpty {
            let weight = 1 / Double(missing[film].count).squareRoot()
            perFilm[film] += missing[film].map { ($0, weight) }
        }
        self.names = names
        start = [0]
        index = []
        value = []
        for features in perFilm {
            for (id, weight) in features {
                index.append(id)
                value.append(weight)
            }
            start.append(index.count)
        }
    }

    private static func format(_ number: Double) -> String {
        number.rounded() == number ? String(Int(number)) : String(number)
    }
}
