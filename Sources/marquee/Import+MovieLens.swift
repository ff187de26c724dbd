import ArgumentParser
import Foundation
import MarqueeCore
import MarqueePostgres
import MarqueeStore

extension Import {
    struct MovieLens: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "movielens",
            abstract: "Import a MovieLens folder (ml-latest-small layout): ratings, movies, links, tags.",
            discussion:
                """
                Idempotent: importing the same files again adds nothing. Exit 65 with file:line for a \
                malformed row; nothing is written then. With --store postgres://… the rows go into \
                PostgreSQL in one transaction, with the ids a SQLite import gives them (datasets built \
                from either store are identical). The folder may be s3://BUCKET/PREFIX: its objects are                 downloaded to a temporary folder first (credentials and --endpoint as for marquee publish).
                """
        )

        @OptionGroup var global: GlobalOptions
        @OptionGroup var objectStore: ObjectStoreOptions

        @Argument(help: "The MovieLens folder (holding movies.csv and ratings.csv), or s3://BUCKET/PREFIX.")
        var directory: String
        @Option(help: "text or json (the counts of what was new).") var format: OutputFormat = .text

        func run() async throws {
            let logger = global.makeLogger("marquee.import")
            try await reportingErrors {
                let started = ContinuousClock.now
                let progress = global.progress("import", unit: "rows")
                let summary: MovieLensImportSummary = try await objectStore.withLocalCopy(of: directory, logger: logger) {
                    folder in
                    if let backend = try await global.postgresStore(logger: logger) {
                        return try await PostgresImport.movieLens(directory: folder, into: backend, progress: progress)
                    }
                    return try global.openStore().importMovieLens(directory: folder, progress: progress)
                }
                progress.finish()
                logger.info("imported", metadata: ["elapsed": "\(ContinuousClock.now - started)"])
                if format == .json { return try printJSON(summary) }
                if summary.ratings == 0, summary.tags == 0, summary.films == 0, summary.users == 0,
                    summary.filmFacts == 0
                {
                    print("nothing new: every rating, tag, film and user of \(directory) is already in \(global.storeShown)")
                } else {
                    print(
                        "imported \(directory): \(summary.ratings) ratings, \(summary.tags) tags, \(summary.films) films "
                            + "(\(summary.filmFacts) facts, \(summary.links) ids from links.csv), \(summary.users) users into \(global.storeShown)"
                    )
                }
            }
        }
    }
}
