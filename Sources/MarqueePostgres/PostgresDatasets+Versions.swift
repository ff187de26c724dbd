import Foundation
import MarqueeCore
import MarqueeStore
import PostgresNIO

extension PostgresDatasets {
    /// Every version recorded in the PostgreSQL store, newest first.
    public static func versions(in backend: PostgresBackend) async throws(MarqueeError) -> [DatasetVersion] {
        try await PostgresStoreSchema.migrate(backend)
        return try await read("ORDER BY created_ts_us DESC, id COLLATE \"C\"", what: "list dataset versions", backend)
    }

    /// The version with id `id` (or a unique prefix of it), if any.
    public static func version(_ id: String, in backend: PostgresBackend) async throws(MarqueeError) -> DatasetVersion? {
        try await PostgresStoreSchema.migrate(backend)
        let escaped = id.replacingOccurrences(of: "'", with: "''").replacingOccurrences(of: "%", with: "")
            .replacingOccurrences(of: "_", with: "\\_")
        let found = try await read(
            "WHERE id LIKE '\(escaped)%' ORDER BY id COLLATE \"C\" LIMIT 2", what: "read dataset version \(id)", backend)
        return found.count == 1 ? found[0] : nil
    }

    /// Writes version `id` again from the PostgreSQL store, byte for byte (as
    /// `FeatureStore.rebuildDataset`: refused when the spec, a view or the observations changed).
    public static func rebuild(_ id: String, catalog: FeatureCatalog, output: URL, backend: PostgresBackend)
        async throws(MarqueeError) -> DatasetVersion
    {
        guard let version = try await version(id, in: backend) else {
            throw MarqueeError(.dataError, "no dataset version \"\(id)\"", hint: "marquee dataset list shows them")
        }
        let plan = try FeatureStore.rebuildPlan(version, catalog: catalog)
        let keys = try await entityKeys(backend)
        let joined = try await join(
            plan, watermark: version.observationWatermark, asOf: version.asOf, keys: keys, backend: backend)
        let written = try FeatureStore.writeJoined(joined, plan: plan, format: version.format, output: output)
        return try FeatureStore.finishRebuild(version, written: written, output: output)
    }

    private static func read(_ clause: String, what: String, _ backend: PostgresBackend) async throws(MarqueeError)
        -> [DatasetVersion]
    {
        let logger = backend.logger
        return try await backend.run(what) { client in
            let rows = try await client.query(
                PostgresQuery(
                    unsafeSQL: """
                        SELECT id, name, spec, views, format, as_of_ts_us, observation_watermark, observations_sha256,
                            row_count, content_sha256, created_ts_us, code_version
                        FROM dataset_versions \(clause)
                        """), logger: logger)
            var versions: [DatasetVersion] = []
            for try await (id, name, spec, views, format, asOf, watermark, observations, count, content, created, code)
                in rows.decode(
                    (String, String, String, String, String, Int64?, Int64, String, Int, String, Int64, String).self)
            {
                versions.append(
                    DatasetVersion(
                        id: id, name: name, spec: spec, views: views, format: DatasetVersion.Format(rawValue: format) ?? .csv,
                        asOf: asOf, observationWatermark: watermark, observationsSHA256: observations, rowCount: count,
                        contentSHA256: content, createdAt: created, codeVersion: code))
            }
            return versions
        }
    }
}
