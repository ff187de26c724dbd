import ArgumentParser
import Foundation
import MarqueeCore
import MarqueePostgres

/// `marquee store copy`: a whole store between SQLite and PostgreSQL.
struct Store: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Whole-store operations.", subcommands: [Copy.self])

    /// `marquee store copy --from A --to B`.
    struct Copy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy a whole store between a SQLite file and a PostgreSQL database, verified table by table.",
            discussion: """
                One side is a SQLite file, the other postgres://USER[:PASSWORD]@HOST[:PORT]/DB. The \
                destination must hold no store data (a new file, an empty database). Every table is \
                copied — entities, keys, observations, the online table, views, dataset versions, runs, \
                monitors — with each value's exact type, then checked: the destination's row count and \
                a SHA-256 over its values must equal the source's, or the command fails (65). Dataset \
                versions rebuild byte for byte from the copy. Each table is held in memory while it is \
                copied.
                """)

        @OptionGroup var global: LoggingOptions
        @Option(help: "The store to copy: a SQLite file or a postgres:// URL.") var from: String
        @Option(help: "The empty destination: a new SQLite file or a postgres:// URL.") var to: String
        @Option(help: "text or json (per table: rows and SHA-256).") var format: OutputFormat = .text

        func run() async throws {
            let logger = global.makeLogger("marquee.store")
            try await reportingErrors {
                let reports: [StoreCopy.TableReport]
                switch (PostgresLocation.isURL(from), PostgresLocation.isURL(to)) {
                case (false, true):
                    let backend = try await PostgresBackend(PostgresLocation(url: to), logger: logger)
                    reports = try await StoreCopy.sqliteToPostgres(from: from, to: backend, logger: logger)
                case (true, false):
                    let backend = try await PostgresBackend(PostgresLocation(url: from), logger: logger)
                    reports = try await StoreCopy.postgresToSQLite(from: backend, to: to, logger: logger)
                default:
                    throw MarqueeError(
                        .usage, "store copy moves a store between SQLite and PostgreSQL",
                        hint: "give one SQLite file and one postgres:// URL (to copy a SQLite file, copy the file)")
                }
                if format == .json { return try printJSON(reports) }
                let shownFrom = PostgresLocation.redacted(from)
                let shownTo = PostgresLocation.redacted(to)
                for report in reports {
                    print(
                        report.table.padding(toLength: 20, withPad: " ", startingAt: 0)
                            + String(format: "%12d", report.rows) + "  sha256 " + report.sha256.prefix(16) + "…")
                }
                let total = reports.map(\.rows).reduce(0, +)
                print("store copy: \(total) rows from \(shownFrom) to \(shownTo), every table verified")
            }
        }
    }
}
