import Foundation
import GRDB
import MarqueeCore
import MarqueeNormalize

/// What a MovieLens import added (0 everywhere on a repeated import).
public struct MovieLensImportSummary: Sendable, Hashable, Codable {
    /// Films created (entities).
    public var films = 0
    /// Users created (entities).
    public var users = 0
    /// Rating observations added.
    public var ratings = 0
    /// Tag observations added.
    public var tags = 0
    /// Film fact observations added (title, year, genres).
    public var filmFacts = 0
    /// Film ids added from `links.csv` (IMDb, TMDB).
    public var links = 0

    /// Nothing added.
    public init() {}
}

extension FeatureStore {
    /// Imports a MovieLens folder (`ml-latest-small` layout): `movies.csv` and `ratings.csv`, and
    /// `links.csv` and `tags.csv` when present.
    ///
    /// Films become `film` entities keyed `movielens:<movieId>` and, through `links.csv`,
    /// `imdb:tt…` and `tmdb:…` (so scraped features join to them); users become `user` entities
    /// `movielens:<userId>`. Each rating is an observation on the user, feature `rating`, whose
    /// object is the film, at the rating's timestamp; tags likewise (`tag`). Film facts parsed from
    /// `movies.csv` — `title`, `year`, `genres` (Marquee's vocabulary, `|`-joined) — are timeless
    /// (event time 0). Everything is written in one transaction and idempotently: importing the
    /// same files again adds nothing.
    /// - Parameters:
    ///   - directory: the folder holding `movies.csv`, `ratings.csv` and optionally `links.csv`, `tags.csv`.
    ///   - source: the observations' `source` column.
    ///   - progress: advanced by rows (films, ratings, tags) as they are written; its total is set
    ///     once the files are read.
    /// - Throws: `MarqueeError` `.dataError` naming `file:line` for a missing file or a malformed
    ///   row; nothing is written then.
    public func importMovieLens(
        directory: URL, source: String = "movielens", progress: ProgressMeter? = nil
    ) throws(MarqueeError) -> MovieLensImportSummary {
        let movies = try Self.readCSV(
            Self.csv("movies", in: directory), header: ["movieId", "title", "genres"])
        // Ratings are the large file (20M rows in ml-25m): read a chunk at a time, twice (the
        // hash every observation carries first), never held whole.
        let ratings = try Self.streamCSV(
            Self.csv("ratings", in: directory), header: ["userId", "movieId", "rating", "timestamp"])
        let linksURL = Self.csv("links", in: directory)
        let tagsURL = Self.csv("tags", in: directory)
        let links =
            FileManager.default.fileExists(atPath: linksURL.path)
            ? try Self.readCSV(linksURL, header: ["movieId", "imdbId", "tmdbId"]) : nil
        let tags =
            FileManager.default.fileExists(atPath: tagsURL.path)
            ? try Self.readCSV(tagsURL, header: ["userId", "movieId", "tag", "timestamp"]) : nil
        let now = nowMicroseconds
        progress?.update(done: 0, total: movies.rows.count + ratings.rowCount + (tags?.rows.count ?? 0))
        var rowsDone = 0
        func rowDone() {
            rowsDone += 1
            if rowsDone & 4095 == 0 { progress?.update(done: rowsDone) }
        }
        defer { progress?.update(done: rowsDone) }
        do {
            return try writer.write { db in
                // Ratings arrive by user, their times at random: each lands at a random place in the
                // index by (feature, time). A larger page cache for this one transaction keeps that
                // index's pages in memory instead of re-reading them per row (ml-25m: ~500 MB).
                try db.execute(sql: "PRAGMA cache_size = -\(Self.importCacheKiB)")
                defer { try? db.execute(sql: "PRAGMA cache_size = -\(Self.cacheKiB)") }
                var summary = MovieLensImportSummary()
                let entitiesBefore = try Self.entityCounts(db)
                var films: [String: Int64] = [:]
                var linked: [String: [EntityKey]] = [:]
                for row in links?.rows ?? [] {
                    let movie = try Self.field(row, 0, links!, integer: true)
                    var keys = [EntityKey("movielens", movie)]
                    let imdb = row.fields[1].trimmingCharacters(in: .whitespaces)
                    if !imdb.isEmpty {
                        guard let number = Int(imdb) else {
                            throw Self.malformed(links!, row, "imdbId \"\(imdb)\" is not a number")
                        }
                        keys.append(EntityKey("imdb", "tt" + String(format: "%07d", number)))
                    }
                    let tmdb = row.fields[2].trimmingCharacters(in: .whitespaces)
                    if !tmdb.isEmpty {
                        guard Int(tmdb) != nil else {
                            throw Self.malformed(links!, row, "tmdbId \"\(tmdb)\" is not a number")
                        }
                        keys.append(EntityKey("tmdb", tmdb))
                    }
                    linked[movie] = keys
                }
                let insert = try ObservationBinder.statement(db)
                func observe(
                    _ entity: Int64, _ feature: String, object: Int64 = 0, _ value: (any DatabaseValueConvertible)?,
                    at event: Int64, hash: String
                ) throws -> Bool {
                    try ObservationBinder.insert(
                        insert, db, entity: entity, feature: feature, object: object,
                        value: value?.databaseValue ?? .null,
                        event: event, created: now, source: source, hash: hash)
                }
                for row in movies.rows {
                    rowDone()
                    let movie = try Self.field(row, 0, movies, integer: true)
                    let id = try Self.resolveEntity(
                        db, kind: .film, keys: linked[movie] ?? [EntityKey("movielens", movie)], matchOn: 1,
                        adoptingUnclaimedBy: "movielens", now: now)
                    films[movie] = id
                    let title = try? Normalize.title(row.fields[1])
                    let genres = (try? Normalize.genres(row.fields[2]))?.genres.map(\.rawValue) ?? []
                    let facts: [(String, (any DatabaseValueConvertible)?)] = [
                        ("title", title?.title ?? row.fields[1]), ("year", title?.year),
                        ("genres", genres.isEmpty ? nil : genres.joined(separator: "|")),
                    ]
                    for (feature, value) in facts where value != nil {
                        if try observe(id, feature, value, at: 0, hash: movies.sha256) { summary.filmFacts += 1 }
                    }
                    try Self.upsertOnline(db, entity: id, features: facts.map(\.0))
                }
                for (movie, keys) in linked where films[movie] == nil {
                    films[movie] = try Self.resolveEntity(
                        db, kind: .film, keys: keys, matchOn: 1, adoptingUnclaimedBy: "movielens", now: now)
                }
                var users: [String: Int64] = [:]
                func user(_ id: String) throws -> Int64 {
                    if let known = users[id] { return known }
                    let entity = try Self.resolveEntity(db, kind: .user, keys: [EntityKey("movielens", id)], now: now)
                    users[id] = entity
                    return entity
                }
                let file = ratings.file
                try ratings.forEachRow { row in
                    rowDone()
                    let userID = try Self.field(row, 0, file, integer: true)
                    let movie = try Self.field(row, 1, file, integer: true)
                    guard let value = Double(row.fields[2]), (0...5).contains(value) else {
                        throw Self.malformed(file, row, "rating \"\(row.fields[2])\" is not a number from 0 to 5")
                    }
                    guard let at = Int64(row.fields[3]).flatMap(Microseconds.fromSeconds) else {
                        throw Self.malformed(
                            file, row,
                            "timestamp \"\(row.fields[3])\" is not whole seconds since 1970 between years 1 and 9999")
                    }
                    guard let film = films[movie] else {
                        throw Self.malformed(file, row, "movieId \(movie) is not in movies.csv")
                    }
                    if try observe(try user(userID), "rating", object: film, value, at: at, hash: file.sha256) {
                        summary.ratings += 1
                    }
                }
                for row in tags?.rows ?? [] {
                    rowDone()
                    let userID = try Self.field(row, 0, tags!, integer: true)
                    let movie = try Self.field(row, 1, tags!, integer: true)
                    guard let at = Int64(row.fields[3]).flatMap(Microseconds.fromSeconds) else {
                        throw Self.malformed(
                            tags!, row,
                            "timestamp \"\(row.fields[3])\" is not whole seconds since 1970 between years 1 and 9999")
                    }
                    guard let film = films[movie] else {
                        throw Self.malformed(tags!, row, "movieId \(movie) is not in movies.csv")
                    }
                    if try observe(
                        try user(userID), "tag", object: film, row.fields[2], at: at,
                        hash: tags!.sha256)
                    {
                        summary.tags += 1
                    }
                }
                let entitiesAfter = try Self.entityCounts(db)
                summary.films = entitiesAfter.films - entitiesBefore.films
                summary.users = entitiesAfter.users - entitiesBefore.users
                summary.links =
                    try Int.fetchOne(
                        db,
                        sql: "SELECT COUNT(*) FROM entity_keys WHERE kind = 'film' AND namespace IN ('imdb', 'tmdb')")!
                    - entitiesBefore.links
                return summary
            }
        } catch {
            throw .database(error, "importing MovieLens from \(directory.path)")
        }
    }

    /// The page cache of an import's transaction, in KiB (512 MiB: the by-time index of 20
    /// million ratings).
    static let importCacheKiB = 524_288

    /// A CSV file read whole, with its header checked and its hash.
    struct CSVFile {
        var path: String
        var rows: [CSVReader.Row]
        var columns: Int
        var sha256: String
    }

    /// `NAME.csv` in `directory`, or `NAME.csv.gz` when only that exists.
    static func csv(_ name: String, in directory: URL) -> URL {
        let plain = directory.appendingPathComponent("\(name).csv")
        let compressed = directory.appendingPathComponent("\(name).csv.gz")
        return !FileManager.default.fileExists(atPath: plain.path)
            && FileManager.default.fileExists(atPath: compressed.path) ? compressed : plain
    }

    /// Reads a CSV file (gzip-compressed when its name ends in `.gz`); the hash is of the CSV
    /// text, so the same data compressed or not imports as the same source.
    static func readCSV(_ url: URL, header expected: [String]) throws(MarqueeError) -> CSVFile {
        var data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw MarqueeError(
                .noInput, "cannot read \(url.lastPathComponent)", location: url.path,
                hint: "is this a MovieLens folder (ml-latest-small layout)?")
        }
        if url.pathExtension == "gz" {
            do { data = try Gzip.decompress(data) } catch {
                throw MarqueeError(.dataError, "not a readable gzip file: \(error.message)", location: url.path)
            }
        }
        var rows = Array(CSVReader(data: data))
        guard let header = rows.first, header.fields.prefix(expected.count).elementsEqual(expected) else {
            throw MarqueeError(
                .dataError,
                "expected the header \(expected.joined(separator: ",")), found \(rows.first?.fields.joined(separator: ",") ?? "nothing")",
                location: "\(url.path):1")
        }
        rows.removeFirst()
        let file = CSVFile(path: url.path, rows: rows, columns: header.fields.count, sha256: Hashing.sha256(data))
        for row in rows where row.fields.count != header.fields.count {
            throw malformed(file, row, "\(row.fields.count) fields where the header has \(header.fields.count)")
        }
        return file
    }

    /// A CSV file too large to hold: the header checked, the hash and row count taken in a first
    /// pass over it; ``forEachRow(_:)`` reads the data rows in a second one, checking each has
    /// the header's number of fields. A gzip-compressed file is decompressed whole.
    struct CSVStream {
        var file: CSVFile
        var rowCount: Int
        var url: URL
        var compressed: CSVFile?

        func forEachRow(_ body: (CSVReader.Row) throws -> Void) throws {
            if let compressed {
                for row in compressed.rows { try body(row) }
                return
            }
            var header = true
            try CSVReader.forEachRow(inFile: url) { row in
                if header {
                    header = false
                    return
                }
                guard row.fields.count == file.columns else {
                    throw malformed(file, row, "\(row.fields.count) fields where the header has \(file.columns)")
                }
                try body(row)
            }
        }
    }

    static func streamCSV(_ url: URL, header expected: [String]) throws(MarqueeError) -> CSVStream {
        if url.pathExtension == "gz" {
            let whole = try readCSV(url, header: expected)
            return CSVStream(file: whole, rowCount: whole.rows.count, url: url, compressed: whole)
        }
        var hash = Hashing.Stream()
        var lines = 0, last: UInt8 = 10
        var headerRow: CSVReader.Row?
        do {
            try CSVReader.forEachChunk(inFile: url) { chunk in
                if headerRow == nil {
                    var reader = CSVReader(data: chunk).makeIterator()
                    headerRow = reader.next()
                }
                hash.update(chunk)
                lines += chunk.withUnsafeBytes { bytes in bytes.reduce(0) { $0 + ($1 == 10 ? 1 : 0) } }
                last = chunk.last!
            }
        } catch {
            throw MarqueeError(
                .noInput, "cannot read \(url.lastPathComponent)", location: url.path,
                hint: "is this a MovieLens folder (ml-latest-small layout)?")
        }
        if last != 10 { lines += 1 }  // a last line without a line end
        guard let headerRow, headerRow.fields.prefix(expected.count).elementsEqual(expected) else {
            throw MarqueeError(
                .dataError,
                "expected the header \(expected.joined(separator: ",")), found \(headerRow?.fields.joined(separator: ",") ?? "nothing")",
                location: "\(url.path):1")
        }
        let file = CSVFile(path: url.path, rows: [], columns: headerRow.fields.count, sha256: hash.finalize())
        return CSVStream(file: file, rowCount: max(0, lines - 1), url: url, compressed: nil)
    }

    static func malformed(_ file: CSVFile, _ row: CSVReader.Row, _ message: String) -> MarqueeError {
        MarqueeError(
            .dataError, message, location: "\(file.path):\(row.line)",
            hint: "fix or remove the row; nothing was imported")
    }

    static func field(_ row: CSVReader.Row, _ index: Int, _ file: CSVFile, integer: Bool) throws -> String {
        let value = row.fields[index].trimmingCharacters(in: .whitespaces)
        if integer, Int(value) == nil {
            throw malformed(file, row, "field \(index + 1) \"\(value)\" is not a whole number")
        }
        return value
    }

    static func entityCounts(_ db: Database) throws -> (films: Int, users: Int, links: Int) {
        (
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM entities WHERE kind = 'film'")!,
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM entities WHERE kind = 'user'")!,
            try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM entity_keys WHERE kind = 'film' AND namespace IN ('imdb', 'tmdb')")!
        )
    }
}
