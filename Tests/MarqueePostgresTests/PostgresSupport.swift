import Foundation
import Logging
import MarqueeCore
import MarqueeFetch
import MarqueeTestKit
import PostgresNIO
import Testing

@testable import MarqueePostgres

/// A new empty database in the test cluster, and a backend connected to it.
func makeTestDatabase(_ purpose: String) async throws -> (url: String, backend: PostgresBackend) {
    try await TestPostgres.makeDatabase(purpose)
}

let quietLogger = TestPostgres.quietLogger

/// Which database a parameterised frontier test runs on.
enum FrontierBackend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    /// Whether this backend's tests run here (PostgreSQL needs the test cluster, always in CI).
    var runs: Bool { self == .sqlite || TestPostgres.runs }

    /// A new, empty frontier for `worker`; PostgreSQL frontiers of one test share a database.
    func make(clock: any WallClock, database: PostgresBackend? = nil, worker: String = "w1", lease: Double = 60)
        async throws -> any CrawlFrontier
    {
        switch self {
        case .sqlite: return try Frontier(inMemory: clock)
        case .postgres:
            let backend: PostgresBackend
            if let database { backend = database } else { backend = try await makeTestDatabase("frontier").backend }
            return try await PostgresFrontier(backend: backend, worker: worker, lease: lease, clock: clock)
        }
    }
}
