import Foundation
import MarqueeCore
import MarqueeStore

/// Imports into a PostgreSQL store (`marquee import … --store postgres://…`), through
/// ``PostgresStaging``: the same parsing, validation, entity resolution and ids as on SQLite.
public enum PostgresImport {
    /// Imports a MovieLens folder into `backend`'s store, as `FeatureStore.importMovieLens` does
    /// into a SQLite one: idempotent, all or nothing, and with the ids SQLite would assign.
    /// - Throws: as `FeatureStore.importMovieLens` (`file:line` for a malformed row; nothing is
    ///   written then), and the server's errors.
    public static func movieLens(
        directory: URL, source: String = "movielens", into backend: PostgresBackend, progress: ProgressMeter? = nil,
        clock: any WallClock = SystemClock()
    ) async throws(MarqueeError) -> MovieLensImportSummary {
        let outcome = try await PostgresStaging.write(into: backend, clock: clock) { store throws(MarqueeError) in
            try store.importMovieLens(directory: directory, source: source, progress: progress)
        }
        // Entities and links were resolved against the store's own; the observations the staging
        // store added may be stored already, so those counts are PostgreSQL's.
        var summary = outcome.result
        let added = outcome.observationsAdded
        summary.ratings = added["rating"] ?? 0
        summary.tags = added["tag"] ?? 0
        summary.filmFacts = ["title", "year", "genres"].reduce(0) { $0 + (added[$1] ?? 0) }
        return summary
    }
}
