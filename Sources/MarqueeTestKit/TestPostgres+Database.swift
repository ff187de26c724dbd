import Foundation
import Logging
import MarqueePostgres

extension TestPostgres {
    /// A logger that shows errors only.
    public static let quietLogger: Logger = {
        var logger = Logger(label: "marquee.test.postgres")
        logger.logLevel = .error
        return logger
    }()

    /// A new, empty database in the test cluster for one test: its URL and a backend connected to it.
    /// - Parameter purpose: part of the database's name (a-z, 0-9, _).
    public static func makeDatabase(_ purpose: String) async throws -> (url: String, backend: PostgresBackend) {
        let admin = try await PostgresBackend(
            PostgresLocation(url: requireURL()), maximumConnections: 1, logger: quietLogger)
        defer { admin.close() }
        let name = databaseName(purpose)
        try await admin.createDatabase(named: name)
        let url = url(try requireURL(), database: name)
        return (url, try await PostgresBackend(PostgresLocation(url: url), logger: quietLogger))
    }
}
