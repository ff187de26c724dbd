import Foundation
import Logging
import MarqueeCore
import NIOSSL
import PostgresNIO

/// A small pool of connections to one PostgreSQL database (postgres-nio's `PostgresClient`),
/// with Marquee's error vocabulary, retried transactions and versioned migrations.
///
/// Each process keeps at most ``maximumConnections`` connections open, so N workers cost the
/// server at most N × that many.
public final class PostgresBackend: Sendable {
    /// The database (its description never shows the password).
    public let location: PostgresLocation
    /// Connections this process opens at most.
    public let maximumConnections: Int
    let client: PostgresClient
    let logger: Logger
    private let runner: Task<Void, Never>

    /// Connects (checking the server answers, so a wrong host, password or database is reported
    /// here, not at the first query).
    /// - Throws: `MarqueeError`: `.unavailable` (69) when the server cannot be reached,
    ///   `.noPermission` (77) when the login is refused, `.configuration` (78) when the database
    ///   does not exist.
    public init(_ location: PostgresLocation, maximumConnections: Int = 4, logger: Logger) async throws(MarqueeError) {
        self.location = location
        self.maximumConnections = max(1, maximumConnections)
        self.logger = logger
        // One connection first, outside the pool: the pool retries a failing login until its
        // circuit breaker trips (a minute later, without the server's reason).
        do {
            let probe = try await PostgresConnection.connect(
                configuration: Self.connectionConfiguration(location), id: 0, logger: logger)
            try? await probe.close()
        } catch {
            throw Self.error(error, doing: "connect to", location: location)
        }
        var configuration = PostgresClient.Configuration(
            host: location.host, port: location.port, username: location.user, password: location.password,
            database: location.database, tls: Self.poolTLS(location.sslMode))
        configuration.options.maximumConnections = self.maximumConnections
        configuration.options.minimumConnections = 0
        configuration.options.connectTimeout = .seconds(10)
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        // The pool must run before the first lease (it warns otherwise): return once it started.
        var started: Task<Void, Never>!
        await withCheckedContinuation { (running: CheckedContinuation<Void, Never>) in
            started = Task {
                running.resume()
                await client.run()
            }
        }
        runner = started
    }

    deinit { runner.cancel() }

    /// Closes every connection; the backend cannot be used afterwards.
    public func close() { runner.cancel() }

    /// TLS settings for `mode`, as libpq reads it: `prefer` and `require` do not verify the
    /// certificate, `verify-ca` verifies it but not the host name, `verify-full` both.
    private static func tlsConfiguration(_ mode: PostgresLocation.SSLMode) -> TLSConfiguration? {
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch mode {
        case .disable: return nil
        case .prefer, .require: configuration.certificateVerification = .none
        case .verifyCA: configuration.certificateVerification = .noHostnameVerification
        case .verifyFull: break
        }
        return configuration
    }

    private static func poolTLS(_ mode: PostgresLocation.SSLMode) -> PostgresClient.Configuration.TLS {
        guard let configuration = tlsConfiguration(mode) else { return .disable }
        return mode == .prefer ? .prefer(configuration) : .require(configuration)
    }

    private static func connectionConfiguration(_ location: PostgresLocation) throws -> PostgresConnection.Configuration {
        var tls = PostgresConnection.Configuration.TLS.disable
        if let configuration = tlsConfiguration(location.sslMode) {
            let context = try NIOSSLContext(configuration: configuration)
            tls = location.sslMode == .prefer ? .prefer(context) : .require(context)
        }
        var configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.user, password: location.password,
            database: location.database, tls: tls)
        configuration.options.connectTimeout = .seconds(10)
        return configuration
    }

    /// Creates the database `name` on this server (the role needs `CREATEDB`).
    /// - Throws: `.usage` for a name other than lower-case letters, digits and `_`; the server's
    ///   refusal otherwise (an existing database, a missing privilege).
    public func createDatabase(named name: String) async throws(MarqueeError) {
        guard let first = name.unicodeScalars.first, CharacterSet.lowercaseLetters.contains(first) || first == "_",
            name.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }),
            name.count <= 63
        else {
            throw MarqueeError(
                .usage, "\(name) is not a database name Marquee creates", hint: "use a-z, 0-9 and _ (at most 63)")
        }
        try await run("create the database \(name)") { client in
            _ = try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
        }
    }

    /// Runs one statement outside a transaction; `what` names it in errors ("claim from the frontier").
    func run<Result>(_ what: String, _ body: (PostgresClient) async throws -> Result) async throws(MarqueeError)
        -> Result
    {
        do {
            return try await body(client)
        } catch {
            throw Self.error(error, doing: what, location: location)
        }
    }

    /// Runs `body` in one transaction, again (up to 5 times) when PostgreSQL aborts it for a
    /// deadlock or a serialization failure — the usual price of workers touching the same rows.
    func transaction<Result: Sendable>(
        _ what: String, _ body: @Sendable (PostgresConnection) async throws -> Result
    ) async throws(MarqueeError) -> Result {
        try await retrying(what) {
            try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        }
    }

    /// Runs one statement (atomic by itself, however many rows and tables its CTEs touch), again
    /// when it is aborted for a deadlock or a serialization failure: one round trip, no BEGIN/COMMIT.
    func statement<Result: Sendable>(
        _ what: String, _ body: @Sendable (PostgresClient) async throws -> Result
    ) async throws(MarqueeError) -> Result {
        try await retrying(what) { try await body(client) }
    }

    private func retrying<Result: Sendable>(_ what: String, _ operation: () async throws -> Result)
        async throws(MarqueeError) -> Result
    {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await operation()
            } catch {
                let state = (Self.unwrap(error) as? PSQLError)?.serverInfo?[.sqlState]
                if attempt < 5, state == "40001" || state == "40P01" {
                    try? await Task.sleep(for: .milliseconds(5 * attempt))
                    continue
                }
                throw Self.error(error, doing: what, location: location)
            }
        }
    }

    /// Applies the migrations of `component` not applied yet, in order, each in its own
    /// transaction, recording them in `marquee_migrations`. An advisory lock makes two processes
    /// opening a new database at once take turns.
    func migrate(component: String, _ migrations: [(name: String, statements: [String])]) async throws(MarqueeError) {
        let lockKey = "marquee.migrations"
        try await transaction("migrate the \(component) schema") { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\(lockKey)))", logger: self.logger)
            try await connection.query(
                """
                CREATE TABLE IF NOT EXISTS marquee_migrations (
                    component TEXT NOT NULL, name TEXT NOT NULL,
                    applied_at TIMESTAMPTZ NOT NULL DEFAULT now(), PRIMARY KEY (component, name))
                """, logger: self.logger)
            var applied = Set<String>()
            let rows = try await connection.query(
                "SELECT name FROM marquee_migrations WHERE component = \(component)", logger: self.logger)
            for try await name in rows.decode(String.self) { applied.insert(name) }
            for migration in migrations where !applied.contains(migration.name) {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: self.logger)
                }
                try await connection.query(
                    "INSERT INTO marquee_migrations (component, name) VALUES (\(component), \(migration.name))",
                    logger: self.logger)
            }
        }
    }

    /// The error that failed a transaction (postgres-nio wraps it, with where the transaction began).
    static func unwrap(_ error: any Error) -> any Error {
        guard let wrapped = error as? PostgresTransactionError else { return error }
        return wrapped.closureError ?? wrapped.beginError ?? wrapped.commitError ?? wrapped.rollbackError ?? error
    }

    /// A `MarqueeError` for a failed database call: what was being done, the server's message and
    /// SQLSTATE, and the fix for the usual causes. Never the password.
    static func error(_ error: any Error, doing what: String, location: PostgresLocation) -> MarqueeError {
        let error = unwrap(error)
        if let error = error as? MarqueeError { return error }
        guard let error = error as? PSQLError else {
            return MarqueeError(.failure, "cannot \(what) \(location): \(error)")
        }
        let state = error.serverInfo?[.sqlState]
        let message = error.serverInfo?[.message]
        switch (error.code, state) {
        case (.server, "28P01"?), (.server, "28000"?), (.authMechanismRequiresPassword, _):
            return MarqueeError(
                .noPermission,
                "PostgreSQL refused the login of \(location.user) at \(location): \(message ?? "no password given")",
                hint: location.passwordSource.map { "the password came from \($0); check it" }
                    ?? "give a password in the URL, PGPASSWORD or ~/.pgpass")
        case (.server, "3D000"?):
            return MarqueeError(
                .configuration, "the database \(location.database) does not exist at \(location)",
                hint: "create it first: createdb -h \(location.host) -p \(location.port) -U \(location.user) \(location.database)")
        case (.connectionError, _), (.serverClosedConnection, _), (.uncleanShutdown, _):
            let cause = error.underlying.map { "\($0)" } ?? "connection failed"
            return MarqueeError(
                .unavailable, "cannot reach PostgreSQL at \(location) (\(cause))",
                hint: "check that the server runs and listens on \(location.host):\(location.port)")
        case (.server, _):
            let detail = error.serverInfo?[.detail].map { " (\($0))" } ?? ""
            return MarqueeError(
                .failure, "cannot \(what) at \(location): \(message ?? "server error")\(detail) [SQLSTATE \(state ?? "?")]")
        default:
            return MarqueeError(.failure, "cannot \(what) at \(location): \(error.code)")
        }
    }
}
