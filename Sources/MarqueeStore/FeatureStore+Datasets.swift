import Foundation
import GRDB
import MarqueeCore

extension FeatureStore {
    /// Builds dataset `name` from `catalog` into `output` and records its version.
    ///
    /// Each entity row (for `ratings`: every rating, at its time T) gets, per feature, the
    /// observation with the greatest event time ≤ T and ≥ T − ttl (ttl 0: no lower bound); ties go
    /// to the latest created, then the highest id. With `created_cutoff` only observations created
    /// by T count; with `asOf` only observations created by then count at all. Rows with no
    /// qualifying observation keep an empty value; duplicate rows stay. The join is a merge
    /// over rows and observations grouped by entity (`PointInTimeJoin`). The file is written to a temporary name and moved into place
    /// only when no `error`-level expectation failed.
    /// - Parameters:
    ///   - name: the dataset spec (`features/datasets/NAME.toml`).
    ///   - catalog: the feature views and dataset specs.
    ///   - format: CSV or JSON Lines.
    ///   - asOf: only observations created by then (microseconds since 1970) count.
    ///   - output: the file to write (replaced atomically).
    ///   - progress: counts rows written; its total is the number of ratings joined.
    /// - Returns: the recorded version, warning-level expectation failures, whether it is new.
    /// - Throws: `MarqueeError` `.dataError` for an unknown dataset or failed expectations
    ///   (nothing written), `.failure` for I/O and database errors.
    public func buildDataset(
        _ name: String, catalog: FeatureCatalog, asOf: Int64? = nil, format: DatasetVersion.Format = .csv, output: URL,
        progress: ProgressMeter? = nil
    ) throws(MarqueeError) -> DatasetBuildResult {
        guard let spec = catalog.datasets[name] else {
            throw MarqueeError(
                .dataError, "no dataset named \"\(name)\"",
                hint: "datasets: \(catalog.datasets.keys.sorted().joined(separator: ", "))")
        }
        let plan = try DatasetPlan(spec: spec, catalog: catalog)
        try register(plan.views)
        let watermark: Int64
        do {
            watermark = try writer.read { db in
                try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM observations")!
            }
        } catch {
            throw .database(error, "reading the observation watermark")
        }
        let written = try write(
            plan, asOf: asOf, watermark: watermark, format: format, output: output, progress: progress)
        let version = try Self.finishDataset(
            plan, written: written, asOf: asOf, watermark: watermark, format: format, output: output,
            createdAt: nowMicroseconds)
        let isNew: Bool
        do {
            isNew = try writer.write { db in
                try db.execute(
                    sql: """
                        INSERT OR IGNORE INTO dataset_versions (id, name, spec, views, format, as_of_ts_us, observation_watermark,
                            observations_sha256, row_count, content_sha256, created_ts_us, code_version)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        version.id, version.name, version.spec, version.views, version.format.rawValue, version.asOf,
                        version.observationWatermark, version.observationsSHA256, version.rowCount,
                        version.contentSHA256,
                        version.createdAt, version.codeVersion,
                    ])
                return db.changesCount > 0
            }
        } catch {
            throw .database(error, "recording dataset version \(version.id)")
        }
        return DatasetBuildResult(version: version, warnings: written.violations, isNew: isNew)
    }

    /// Writes dataset version `id` again into `output`, byte for byte.
    ///
    /// Refuses, saying exactly why, when the dataset's spec or any of its feature views has
    /// changed since (compare the recorded JSON), or when the observations it selected are no
    /// longer the same (the store is append-only, so that means rows were removed by hand).
    public func rebuildDataset(_ id: String, catalog: FeatureCatalog, output: URL) throws(MarqueeError)
        -> DatasetVersion
    {
        guard let version = try datasetVersion(id) else {
            throw MarqueeError(.dataError, "no dataset version \"\(id)\"", hint: "marquee dataset list shows them")
        }
        let plan = try Self.rebuildPlan(version, catalog: catalog)
        let written = try write(
            plan, asOf: version.asOf, watermark: version.observationWatermark, format: version.format, output: output)
        return try Self.finishRebuild(version, written: written, output: output)
    }

    /// The plan a rebuild of `version` runs: refused, saying exactly why, when the dataset's spec
    /// or any of its views changed since the version was built.
    package static func rebuildPlan(_ version: DatasetVersion, catalog: FeatureCatalog) throws(MarqueeError)
        -> DatasetPlan
    {
        let id = version.id
        guard let spec = catalog.datasets[version.name] else {
            throw MarqueeError(
                .dataError, "dataset \(id) was built from spec \"\(version.name)\", which no longer exists",
                hint: "restore features/datasets/\(version.name).toml")
        }
        let plan = try DatasetPlan(spec: spec, catalog: catalog)
        if plan.specJSON != version.spec {
            throw MarqueeError(
                .dataError, "the spec features/datasets/\(version.name).toml changed since \(id) was built",
                hint: "recorded: \(version.spec); now: \(plan.specJSON). Restore it, or build a new version")
        }
        if plan.viewsJSON != version.views {
            let recorded = (try? JSONDecoder().decode([FeatureView].self, from: Data(version.views.utf8))) ?? []
            let changed = plan.views.filter { view in recorded.first { $0.name == view.name } != view }.map(\.name)
            throw MarqueeError(
                .dataError,
                "feature view\(changed.count == 1 ? "" : "s") \(changed.joined(separator: ", ")) changed since \(id) was built",
                hint:
                    "the recorded definitions are in `marquee dataset show \(id)`; restore them, or build a new version"
            )
        }
        return plan
    }

    /// Accepts a rebuilt file only when it selected the same observations and has the same bytes
    /// as `version`, then moves it into place.
    package static func finishRebuild(_ version: DatasetVersion, written: WrittenDataset, output: URL)
        throws(MarqueeError) -> DatasetVersion
    {
        let id = version.id
        guard written.observationsSHA256 == version.observationsSHA256 else {
            try? FileManager.default.removeItem(at: written.temporary)
            throw MarqueeError(
                .dataError,
                "the observations that \(id) selected are no longer all in the store (\(written.rows) rows now, \(version.rowCount) then)",
                hint: "observations are append-only; a row was removed outside Marquee")
        }
        guard written.contentSHA256 == version.contentSHA256 else {
            try? FileManager.default.removeItem(at: written.temporary)
            throw MarqueeError(
                .failure,
                "rebuilt bytes differ from \(id) (sha256 \(written.contentSHA256) ≠ \(version.contentSHA256)) although the same observations were selected",
                hint:
                    "the output format changed between Marquee \(version.codeVersion) and \(MarqueeVersion.current); rebuild with that version"
            )
        }
        try moveIntoPlace(written.temporary, output)
        return version
    }

    /// Every recorded version, newest first.
    public func datasetVersions() throws(MarqueeError) -> [DatasetVersion] {
        do {
            return try writer.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM dataset_versions ORDER BY created_ts_us DESC, id").map(
                    Self.version)
            }
        } catch {
            throw .database(error, "listing dataset versions")
        }
    }

    /// The version with id `id` (or a unique prefix of it), if any.
    public func datasetVersion(_ id: String) throws(MarqueeError) -> DatasetVersion? {
        do {
            return try writer.read { db in
                let rows = try Row.fetchAll(
                    db, sql: "SELECT * FROM dataset_versions WHERE id LIKE ? || '%' LIMIT 2", arguments: [id])
                return rows.count == 1 ? Self.version(rows[0]) : nil
            }
        } catch {
            throw .database(error, "reading dataset version \(id)")
        }
    }

    static func version(_ row: Row) -> DatasetVersion {
        DatasetVersion(
            id: row["id"], name: row["name"], spec: row["spec"], views: row["views"],
            format: DatasetVersion.Format(rawValue: row["format"]) ?? .csv, asOf: row["as_of_ts_us"],
            observationWatermark: row["observation_watermark"], observationsSHA256: row["observations_sha256"],
            rowCount: row["row_count"], contentSHA256: row["content_sha256"], createdAt: row["created_ts_us"],
            codeVersion: row["code_version"])
    }

    /// Records the current definitions of `views` (for `features list` and lineage).
    func register(_ views: [FeatureView]) throws(MarqueeError) {
        let now = nowMicroseconds
        do {
            try writer.write { db in
                for view in views {
                    let definition = DatasetPlan.canonicalJSON(view)
                    try db.execute(
                        sql: """
                            INSERT INTO feature_views (name, entity_kind, definition, definition_sha256, registered_ts_us)
                            VALUES (?, ?, ?, ?, ?)
                            ON CONFLICT (name) DO UPDATE SET entity_kind = excluded.entity_kind, definition = excluded.definition,
                                definition_sha256 = excluded.definition_sha256, registered_ts_us = excluded.registered_ts_us
                            WHERE feature_views.definition_sha256 != excluded.definition_sha256
                            """,
                        arguments: [view.name, view.entity.rawValue, definition, Hashing.sha256(definition), now])
                }
            }
        } catch {
            throw .database(error, "registering feature views")
        }
    }

    /// Turns a written dataset into its version: refuses it (deleting the file) when an
    /// `error`-level expectation failed, derives the version id from the spec, the views, the
    /// as-of time, the format and the selected observations, and moves the file into place.
    package static func finishDataset(
        _ plan: DatasetPlan, written: WrittenDataset, asOf: Int64?, watermark: Int64, format: DatasetVersion.Format,
        output: URL, createdAt: Int64
    ) throws(MarqueeError) -> DatasetVersion {
        let name = plan.spec.name
        let errors = written.violations.filter { $0.level == .error }
        guard errors.isEmpty else {
            try? FileManager.default.removeItem(at: written.temporary)
            throw MarqueeError(
                .dataError,
                "dataset \"\(name)\" fails its expectations: " + errors.map(\.description).joined(separator: "; "),
                hint: "nothing was written; fix the data or relax the view's expectations")
        }
        var identity = Hashing.Stream()
        identity.update(
            [plan.specJSON, plan.viewsJSON, asOf.map(String.init) ?? "-", format.rawValue, written.observationsSHA256]
                .joined(separator: "\n"))
        let version = DatasetVersion(
            id: String(identity.finalize().prefix(16)), name: name, spec: plan.specJSON, views: plan.viewsJSON,
            format: format, asOf: asOf, observationWatermark: watermark,
            observationsSHA256: written.observationsSHA256, rowCount: written.rows,
            contentSHA256: written.contentSHA256, createdAt: createdAt, codeVersion: MarqueeVersion.current)
        try moveIntoPlace(written.temporary, output)
        return version
    }

    private static func moveIntoPlace(_ temporary: URL, _ output: URL) throws(MarqueeError) {
        do {
            if FileManager.default.fileExists(atPath: output.path) { try FileManager.default.removeItem(at: output) }
            try FileManager.default.moveItem(at: temporary, to: output)
        } catch {
            throw MarqueeError(
                .failure, "cannot write the dataset: \(error.localizedDescription)", location: output.path)
        }
    }
}
