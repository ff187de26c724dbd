import Foundation
import MarqueeCore

/// A dataset spec resolved against its views: the columns, the SQL, the canonical JSON that
/// identifies it.
struct DatasetPlan {
    struct Column {
        var view: FeatureView
        var feature: FeatureDefinition
        var qualifiedName: String { "\(view.name).\(feature.name)" }
    }

    let spec: DatasetSpec
    let columns: [Column]
    let views: [FeatureView]
    let specJSON: String
    let viewsJSON: String

    init(spec: DatasetSpec, catalog: FeatureCatalog) throws(MarqueeError) {
        self.spec = spec
        var columns: [Column] = []
        for name in spec.features {
            let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2, let view = catalog.views[parts[0]], let feature = view.feature(parts[1]) else {
                throw MarqueeError(.dataError, "dataset \"\(spec.name)\" names \"\(name)\", which no view declares")
            }
            columns.append(Column(view: view, feature: feature))
        }
        self.columns = columns
        var seen = Set<String>()
        views = columns.map(\.view).filter { seen.insert($0.name).inserted }.sorted { $0.name < $1.name }
        specJSON = Self.canonicalJSON(spec)
        viewsJSON = Self.canonicalJSON(views)
    }

    /// Sorted-key JSON: the form hashed into version ids and compared on rebuild.
    static func canonicalJSON(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self)
    }

    /// Column headers of the output.
    var headers: [String] { ["user", "film", "rating", "event_time"] + columns.map(\.feature.name) }

    /// How many rows the join yields (one per rating); the same parameters as ``sql``.
    var rowCountSQL: String {
        """
        SELECT COUNT(*) FROM observations r
        WHERE r.feature = 'rating' AND r.id <= :watermark AND (:as_of IS NULL OR r.created_ts_us <= :as_of)
        """
    }

    /// The point-in-time join. Parameters: watermark, then as-of (or NULL).
    var sql: String {
        let lookups = columns.enumerated().map { index, column -> String in
            let entity = column.view.entity == .user ? "r.entity_id" : "r.object_id"
            var conditions = [
                "x.entity_id = \(entity)",
                "x.feature = '\(column.feature.name.replacingOccurrences(of: "'", with: "''"))'",
                "x.object_id = 0", "x.event_ts_us <= r.event_ts_us", "x.id <= :watermark",
                "(:as_of IS NULL OR x.created_ts_us <= :as_of)",
            ]
            if column.view.ttlSeconds > 0 {
                conditions.append("x.event_ts_us >= r.event_ts_us - \(column.view.ttlSeconds * 1_000_000)")
            }
            if spec.createdCutoff { conditions.append("x.created_ts_us <= r.event_ts_us") }
            return """
                (SELECT x.id FROM observations x WHERE \(conditions.joined(separator: " AND "))
                 ORDER BY x.event_ts_us DESC, x.created_ts_us DESC, x.id DESC LIMIT 1) AS f\(index)
                """
        }
        let valueColumns = columns.indices.map { ", q.f\($0), v\($0).value AS v\($0)" }.joined()
        let valueJoins = columns.indices.map { " LEFT JOIN observations v\($0) ON v\($0).id = q.f\($0)" }.joined()
        return """
            SELECT q.row_id, q.user, q.film, q.rating, q.ts\(valueColumns)
            FROM (
                SELECT r.id AS row_id, u.key AS user, f.key AS film, r.value AS rating, r.event_ts_us AS ts\(lookups.isEmpty ? "" : ",\n" + lookups.joined(separator: ",\n"))
                FROM observations r
                JOIN entities u ON u.id = r.entity_id
                JOIN entities f ON f.id = r.object_id
                WHERE r.feature = 'rating' AND r.id <= :watermark AND (:as_of IS NULL OR r.created_ts_us <= :as_of)
            ) q\(valueJoins)
            ORDER BY q.ts, q.user, q.film, q.row_id
            """
    }
}
