import Foundation
import MarqueeCore
import MarqueeNormalize
import MarqueeStore

/// How well the entity matcher finds films: on a labelled table of pages, each page's film (its
/// ids hidden) is matched against MovieLens's films, and the match is right when the MovieLens
/// film's IMDb id (from `links.csv`) is the page's.
public struct MatcherScore: Sendable, CustomStringConvertible {
    /// Pages matched to the right film, to a wrong one, left unmatched though their film is in
    /// MovieLens, left ambiguous, and correctly left unmatched (film not in MovieLens).
    public var right = 0, wrong = 0, missed = 0, ambiguous = 0, correctlyNone = 0
    /// Each page with what happened to it.
    public var lines: [String] = []

    /// Right matches among all matches made.
    public var precision: Double { right + wrong == 0 ? 1 : Double(right) / Double(right + wrong) }
    /// Right matches among the pages whose film MovieLens has.
    public var recall: Double {
        let findable = right + wrong + missed + ambiguous
        return findable == 0 ? 1 : Double(right) / Double(findable)
    }

    /// One line: precision, recall and the counts behind them.
    public var description: String {
        String(
            format:
                "entity matching: precision %.3f, recall %.3f (%d right, %d wrong, %d missed, %d ambiguous, %d correctly unmatched)",
            precision, recall, right, wrong, missed, ambiguous, correctlyNone)
    }
}

extension EntityMatcher {
    /// Scores the matcher on `labels` (TSV: page, URL, IMDb id; `#` comments), with pages read
    /// from `realPages` (or the repository for `fixtures/…` paths) and candidates from the
    /// MovieLens folder `movieLens` (`movies.csv[.gz]`, `links.csv[.gz]`).
    public static func evaluate(
        labels: URL, realPages: URL, repository: URL, movieLens: URL, scrapers: ScraperSet
    ) throws -> MatcherScore {
        func csv(_ name: String) throws -> [[String]] {
            let plain = movieLens.appendingPathComponent("\(name).csv")
            var data = try InputFile.read(
                FileManager.default.fileExists(atPath: plain.path) ? plain.path : plain.path + ".gz", what: name)
            if !FileManager.default.fileExists(atPath: plain.path) { data = try Gzip.decompress(data) }
            return CSVReader(data: data).dropFirst().map(\.fields)
        }
        var imdbOfMovie: [String: String] = [:]
        for row in try csv("links") where row.count >= 2 && !row[1].isEmpty {
            imdbOfMovie[row[0]] = "tt" + String(repeating: "0", count: max(0, 7 - row[1].count)) + row[1]
        }
        var candidates: [FilmIdentity] = []
        var candidateIMDb: [String?] = []
        for row in try csv("movies") where row.count >= 2 {
            guard let title = try? Normalize.title(row[1]) else { continue }
            candidates.append(FilmIdentity(title: title.title, year: title.year))
            candidateIMDb.append(imdbOfMovie[row[0]])
        }
        var byKey: [String: [Int]] = [:]
        for index in candidates.indices {
            for key in candidates[index].matchKeys { byKey[key, default: []].append(index) }
        }
        let inMovieLens = Set(candidateIMDb.compactMap { $0 })
        var score = MatcherScore()
        let text = String(decoding: try InputFile.read(labels.path, what: "the labels"), as: UTF8.self)
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t").map(String.init)
            guard fields.count == 3 else { continue }
            let page =
                fields[0].hasPrefix("fixtures/")
                ? repository.appendingPathComponent(fields[0]) : realPages.appendingPathComponent(fields[0])
            let extraction = try scrapers.extract(data: try InputFile.read(page.path, what: "the page"), url: fields[1])
            guard let film = extraction.records.first?.record as? Film else { continue }
            let identity = FilmIdentity(title: film.title, year: film.year, directors: film.directors ?? [])
            let pool = Array(Set(identity.matchKeys.flatMap { byKey[$0] ?? [] })).sorted()
            let truth = fields[2]
            switch match(identity, among: pool.map { candidates[$0] }) {
            case .matched(let index, let value, let reason):
                let found = candidateIMDb[pool[index]]
                if found == truth { score.right += 1 } else { score.wrong += 1 }
                score.lines.append(
                    "\(found == truth ? "right" : "WRONG") \(fields[0]): \(film.title) (\(film.year.map(String.init) ?? "?")) → \(found ?? "?") by \(reason), \(value)"
                )
            case .ambiguous(let indices, let reason):
                score.ambiguous += 1
                score.lines.append(
                    "ambiguous \(fields[0]): \(reason): \(indices.map { candidateIMDb[pool[$0]] ?? "?" })")
            case .none:
                if inMovieLens.contains(truth) {
                    score.missed += 1
                    score.lines.append("missed \(fields[0]): \(film.title) (\(film.year.map(String.init) ?? "?"))")
                } else {
                    score.correctlyNone += 1
                    score.lines.append("none (not in MovieLens) \(fields[0]): \(film.title)")
                }
            }
        }
        return score
    }
}
