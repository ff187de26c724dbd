import Foundation
import MarqueeCore

/// A dataset spec resolved against its views: the columns, the SQL, the canonical JSON that
/// identifies it.
package struct DatasetPlan {
    package struct Column {
        package var view: FeatureView
        package var feature: FeatureDefinition
        var qualifiedName: String { "\(view.name).\(feature.name)" }
    }

    package let spec: DatasetSpec
    package let columns: [Column]
    package let views: [FeatureView]
    package let specJSON: String
    package let viewsJSON: String

    package init(spec: DatasetSpec, catalog: FeatureCatalog) throws(MarqueeError) {
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
    package static func canonicalJSON(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self)
    }

    /// Column headers of the output.
    var headers: [String] { ["user", "film", "rating", "event_time"] + columns.map(\.feature.name) }
}
