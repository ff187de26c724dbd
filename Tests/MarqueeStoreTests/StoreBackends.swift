import Foundation
import GRDB
import MarqueeCore
import MarqueePostgres
import MarqueeTestKit
import Testing

@testable import MarqueeStore

/// The store's two backends: the store tests run on each.
enum StoreBackend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    /// Whether this backend's tests run here (PostgreSQL needs the test cluster, always in CI).
    var runs: Bool { self == .sqlite || TestPostgres.runs }

    /// A new, empty store on this backend whose clock the test moves.
    func make(at seconds: TimeInterval = 0) async throws -> TestStore {
        let clock = ManualClock(Date(timeIntervalSince1970: seconds))
        switch self {
        case .sqlite: return TestStore(clock: clock, local: try FeatureStore(inMemory: clock), remote: nil)
        case .postgres:
            return TestStore(clock: clock, local: nil, remote: try await TestPostgres.makeDatabase("store").backend)
        }
    }
}

/// A store under test, on SQLite or PostgreSQL, used through the calls both offer: writes with
/// the SQLite store's code (on PostgreSQL through `PostgresStaging`), dataset builds, versions
/// and rebuilds, online reads and entity lookups through each backend's own.
final class TestStore: Sendable {
    let clock: ManualClock
    private let local: FeatureStore?
    private let remote: PostgresBackend?

    init(clock: ManualClock, local: FeatureStore?, remote: PostgresBackend?) {
        self.clock = clock
        self.local = local
        self.remote = remote
    }

    deinit { remote?.close() }

    /// Writes with `body`, in one transaction.
    @discardableResult
    func write<Result: Sendable>(_ body: @escaping @Sendable (FeatureStore) throws(MarqueeError) -> Result)
        async throws(MarqueeError) -> Result
    {
        if let local { return try body(local) }
        return try await PostgresStaging.write(into: remote!, clock: clock, body).result
    }

    func importMovieLens(_ directory: URL) async throws(MarqueeError) -> MovieLensImportSummary {
        if let local { return try local.importMovieLens(directory: directory) }
        return try await PostgresImport.movieLens(directory: directory, into: remote!, clock: clock)
    }

    func observe(
        _ entity: EntityKey, kind: EntityKind = .film, feature: String, value: some DatabaseValueConvertible & Sendable,
        eventTimestamp: Int64, source: String, otherKeys: [EntityKey] = []
    ) async throws(MarqueeError) {
        try await write { store throws(MarqueeError) in
            try store.observe(
                entity, kind: kind, feature: feature, value: value, eventTimestamp: eventTimestamp, source: source,
                otherKeys: otherKeys)
        }
    }

    func rate(user: EntityKey, film: EntityKey, rating: Double, eventTimestamp: Int64, source: String)
        async throws(MarqueeError)
    {
        try await write { store throws(MarqueeError) in
            try store.rate(user: user, film: film, rating: rating, eventTimestamp: eventTimestamp, source: source)
        }
    }

    func buildDataset(
        _ name: String, catalog: FeatureCatalog, asOf: Int64? = nil, format: DatasetVersion.Format = .csv, output: URL
    ) async throws(MarqueeError) -> DatasetBuildResult {
        if let local {
            return try local.buildDataset(name, catalog: catalog, asOf: asOf, format: format, output: output)
        }
        return try await PostgresDatasets.build(
            name, catalog: catalog, asOf: asOf, format: format, output: output, backend: remote!, clock: clock)
    }

    func rebuildDataset(_ id: String, catalog: FeatureCatalog, output: URL) async throws(MarqueeError)
        -> DatasetVersion
    {
        if let local { return try local.rebuildDataset(id, catalog: catalog, output: output) }
        return try await PostgresDatasets.rebuild(id, catalog: catalog, output: output, backend: remote!)
    }

    func datasetVersions() async throws(MarqueeError) -> [DatasetVersion] {
        if let local { return try local.datasetVersions() }
        return try await PostgresDatasets.versions(in: remote!)
    }

    func online(_ kind: EntityKind, _ key: EntityKey, features: [String], ttlSeconds: Int64 = 0)
        async throws(MarqueeError) -> [OnlineValue]
    {
        if let local { return try local.online(kind, key, features: features, ttlSeconds: ttlSeconds) }
        return try await PostgresOnline.values(
            kind, key, features: features, ttlSeconds: ttlSeconds, backend: remote!, clock: clock)
    }

    func entity(_ kind: EntityKind, _ key: EntityKey) async throws(MarqueeError) -> (id: Int64, key: String)? {
        if let local { return try local.entity(kind, key) }
        return try await PostgresOnline.entity(kind, key, backend: remote!)
    }
}

/// Builds `name` and returns the CSV rows (header first) and the result.
func build(_ store: TestStore, _ catalog: FeatureCatalog, _ name: String, asOf: Int64? = nil) async throws -> (
    [[String]], DatasetBuildResult
) {
    let output = scratchDirectory().appendingPathComponent("\(name).csv")
    let result = try await store.buildDataset(name, catalog: catalog, asOf: asOf, output: output)
    let rows = CSVReader(data: try Data(contentsOf: output)).map(\.fields)
    return (rows, result)
}
