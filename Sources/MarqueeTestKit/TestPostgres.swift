import Foundation

/// The throwaway PostgreSQL cluster `make test` starts (scripts/with-postgres.sh), for tests.
public enum TestPostgres {
    /// `MARQUEE_TEST_POSTGRES_URL`: a superuser's URL of the cluster's `postgres` database.
    public static var url: String? {
        ProcessInfo.processInfo.environment["MARQUEE_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Whether PostgreSQL tests run: with a cluster, and always in CI (where they then fail
    /// without one rather than skip).
    public static var runs: Bool { SharedData.runs(url != nil) }

    /// What a PostgreSQL test prints when it skips.
    public static let skipMessage =
        "skipped: no PostgreSQL (MARQUEE_TEST_POSTGRES_URL is unset; `make test` starts a throwaway cluster, `make setup` installs the server)"

    /// The cluster's URL, or the reason there is none (the failure a CI run reports).
    public static func requireURL() throws -> String {
        guard let url else { throw Missing() }
        return url
    }

    /// No cluster to test against.
    public struct Missing: Error, CustomStringConvertible {
        /// ``TestPostgres/skipMessage``, without the "skipped".
        public var description: String { "PostgreSQL tests cannot run: " + skipMessage.dropFirst("skipped: ".count) }
    }

    /// `url` with its database replaced by `database`.
    public static func url(_ url: String, database: String) -> String {
        guard var components = URLComponents(string: url) else { return url }
        components.path = "/" + database
        return components.string ?? url
    }

    /// A fresh database name for one test (`t_PURPOSE_RANDOM`).
    public static func databaseName(_ purpose: String) -> String {
        "t_\(purpose)_\(UUID().uuidString.prefix(8).lowercased())"
    }
}
