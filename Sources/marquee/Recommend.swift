import ArgumentParser
import Foundation
import MarqueeCore
import MarqueeML

/// `marquee recommend MODEL --user ID | --film ID`: top films for a user, or similar films.
struct Recommend: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Top-k films for a user, or the films most similar to a film, from a model file.",
        discussion: """
            IDs may be given in full (movielens:429, imdb:tt0133093) or by their last part (429, \
            tt0133093). Similar films compare the model's film factors by cosine similarity; an itemknn \
            model lists the film's kept neighbours.
            """)

    @OptionGroup var global: LoggingOptions
    @OptionGroup var objectStore: ObjectStoreOptions
    @Argument(help: "A model file written by marquee train (or s3://BUCKET/KEY).") var model: String
    @Option(help: "Recommend for this user.") var user: String?
    @Option(help: "Find films similar to this film.") var film: String?
    @Option(name: [.customShort("k"), .long], help: "How many films.") var k = 10
    @Flag(inversion: .prefixedNo, help: "Leave out films the user rated in training.") var excludeSeen = true
    @Option(help: "Similar films: only films with at least this many training ratings.") var minRatings = 20
    @Option(help: "text or json.") var format: OutputFormat = .text

    func validate() throws {
        if (user == nil) == (film == nil) { throw ValidationError("give exactly one of --user and --film") }
        if k < 1 { throw ValidationError("-k must be ≥ 1") }
    }

    struct Entry: Encodable {
        var rank: Int
        var film: String
        var label: String?
        var score: Double
        var predictedRating: Double?

        enum CodingKeys: String, CodingKey {
            case rank, film, label, score
            case predictedRating = "predicted_rating"
        }
    }

    func run() async throws {
        let logger = global.makeLogger("marquee.recommend")
        try await reportingErrors {
            let loaded = try await objectStore.withLocalCopy(of: model, logger: logger) { try ModelFile.read($0) }
            let recommender = Recommender(model: loaded.model)
            let results: [(item: Int, score: Double)]
            let heading: String
            var userRow: Int?
            if let user {
                let row = try recommender.userRow(user)
                userRow = row
                results = recommender.recommend(user: row, k: k, excludeSeen: excludeSeen)
                heading =
                    "top \(k) for \(loaded.model.userIDs[row])\(excludeSeen ? " (films rated in training left out)" : "")"
            } else {
                let row = try recommender.itemRow(film!)
                results = try recommender.similar(to: row, k: k, minRatings: minRatings)
                heading = "films most similar to \(recommender.describe(row))"
            }
            let model = loaded.model
            let entries = results.enumerated().map { index, result in
                Entry(
                    rank: index + 1, film: model.itemIDs[result.item], label: model.itemLabels?[result.item],
                    score: result.score,
                    predictedRating: userRow.map { model.predict(user: $0, item: result.item) })
            }
            switch format {
            case .json:
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(entries), as: UTF8.self))
            case .text:
                print(heading)
                print(user == nil ? "rank  cosine  film" : "rank  rating  film")
                for entry in entries {
                    print(
                        String(format: "%4d  %6.3f  ", entry.rank, entry.predictedRating ?? entry.score) + entry.film
                            + (entry.label.map { "  \($0)" } ?? ""))
                }
            }
        }
    }
}
