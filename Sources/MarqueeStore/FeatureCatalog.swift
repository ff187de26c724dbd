import Foundation
import MarqueeCore
import TOMLKit

/// The feature views and dataset specs of a `features/` folder, loaded and checked.
public struct FeatureCatalog: Sendable {
    /// Views by name.
    public var views: [String: FeatureView]
    /// Dataset specs by name.
    public var datasets: [String: DatasetSpec]

    /// A catalog of the given views and specs (as `load(directory:)` would build from files).
    public init(views: [FeatureView], datasets: [DatasetSpec]) {
        self.views = Dictionary(views.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
        self.datasets = Dictionary(datasets.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// Loads `directory/*.toml` as feature views and `directory/datasets/*.toml` as dataset specs.
    /// - Throws: `MarqueeError` `.dataError` with `file:line` for the first problem: TOML syntax,
    ///   unknown or missing keys, wrong types, unknown entities or types, bad TTLs, duplicate
    ///   names, and datasets naming features no view declares.
    public static func load(directory: URL) throws(MarqueeError) -> FeatureCatalog {
        let hint = "run from the repository root or pass --features DIR (marquee config shows the default)"
        try InputFile.requireFolder(directory.path, what: "the features folder", hint: hint)
        var catalog = FeatureCatalog(views: [], datasets: [])
        for file in tomlFiles(in: directory) {
            let view = try parseView(try SpecFile(url: file))
            if catalog.views[view.name] != nil {
                throw MarqueeError(.dataError, "a second view named \"\(view.name)\"", location: file.path)
            }
            catalog.views[view.name] = view
        }
        guard !catalog.views.isEmpty else {
            throw MarqueeError(
                .dataError, "no feature views (*.toml) in the features folder", location: directory.path, hint: hint)
        }
        for file in tomlFiles(in: directory.appendingPathComponent("datasets")) {
            let spec = try SpecFile(url: file)
            let dataset = try parseDataset(spec)
            for (index, feature) in dataset.features.enumerated() {
                let parts = feature.split(separator: ".", maxSplits: 1).map(String.init)
                guard parts.count == 2, let view = catalog.views[parts[0]], view.feature(parts[1]) != nil else {
                    throw MarqueeError(
                        .dataError, "feature \"\(feature)\" (number \(index + 1)) is not declared by any view",
                        location: spec.location(key: "features"),
                        hint: "write view.feature; views: \(catalog.views.keys.sorted().joined(separator: ", "))")
                }
                guard view.entity == .film || view.entity == .user else {
                    throw MarqueeError(
                        .dataError, "ratings rows carry users and films, not \(view.entity.rawValue)s",
                        location: spec.location(key: "features"))
                }
            }
            catalog.datasets[dataset.name] = dataset
        }
        return catalog
    }

    static func tomlFiles(in directory: URL) -> [URL] {
        let files = (try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? []
        return files.filter { $0.pathExtension == "toml" }.sorted { $0.path < $1.path }
    }

    /// Reads and checks one feature view definition (`features/<view>.toml`) from its text;
    /// `path` names it in `file:line` errors.
    public static func parseView(text: String, path: String) throws(MarqueeError) -> FeatureView {
        try parseView(try SpecFile(text: text, path: path))
    }

    /// Reads and checks one dataset definition (`features/datasets/<name>.toml`) from its text,
    /// without resolving its features against views.
    public static func parseDataset(text: String, path: String) throws(MarqueeError) -> DatasetSpec {
        try parseDataset(try SpecFile(text: text, path: path))
    }

    static func parseView(_ spec: SpecFile) throws(MarqueeError) -> FeatureView {
        try spec.allowKeys(["name", "entity", "ttl", "description", "features"], in: spec.table, table: nil)
        let name = try spec.string("name", in: spec.table)
        try spec.checkName(name)
        let entityText = try spec.string("entity", in: spec.table)
        guard let entity = EntityKind(rawValue: entityText) else {
            throw spec.error(
                "unknown entity \"\(entityText)\"", key: "entity",
                hint: "one of \(EntityKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let ttlText = spec.table["ttl"]?.string ?? "0"
        guard let ttl = parseTTL(ttlText) else {
            throw spec.error(
                "ttl \"\(ttlText)\" is not a duration", key: "ttl", hint: "write 0 (forever), 3600s, 12h, 30d or 52w")
        }
        guard let array = spec.table["features"]?.array, !array.isEmpty else {
            throw spec.error("a view needs at least one [[features]] table", key: nil)
        }
        var features: [FeatureDefinition] = []
        for (index, item) in array.enumerated() {
            guard let table = item.table else {
                throw spec.error("features must be [[features]] tables", key: "features")
            }
            let header = SpecFile.Header(name: "features", occurrence: index)
            try spec.allowKeys(
                ["name", "type", "min", "max", "allowed", "max_null_share", "level"], in: table, table: header)
            let featureName = try spec.string("name", in: table, table: header)
            let typeText = try spec.string("type", in: table, table: header)
            guard let type = FeatureDefinition.ValueType(rawValue: typeText) else {
                throw spec.error("unknown type \"\(typeText)\"", key: "type", table: header, hint: "int, real or text")
            }
            let levelText = table["level"]?.string ?? "warn"
            guard let level = FeatureDefinition.Level(rawValue: levelText) else {
                throw spec.error("unknown level \"\(levelText)\"", key: "level", table: header, hint: "warn or error")
            }
            if features.contains(where: { $0.name == featureName }) {
                throw spec.error("feature \"\(featureName)\" is declared twice", key: "name", table: header)
            }
            let share = try spec.number("max_null_share", in: table, table: header)
            if let share, !(0...1).contains(share) {
                throw spec.error("max_null_share \(share) is not between 0 and 1", key: "max_null_share", table: header)
            }
            features.append(
                FeatureDefinition(
                    name: featureName, type: type, min: try spec.number("min", in: table, table: header),
                    max: try spec.number("max", in: table, table: header),
                    allowed: table["allowed"]?.array.map { $0.compactMap(\.string) }, maxNullShare: share, level: level)
            )
        }
        return FeatureView(
            name: name, entity: entity, ttlSeconds: ttl, description: spec.table["description"]?.string ?? "",
            features: features)
    }

    static func parseDataset(_ spec: SpecFile) throws(MarqueeError) -> DatasetSpec {
        try spec.allowKeys(["name", "description", "rows", "features", "created_cutoff"], in: spec.table, table: nil)
        let name = try spec.string("name", in: spec.table)
        try spec.checkName(name)
        let rowsText = try spec.string("rows", in: spec.table)
        guard let rows = DatasetSpec.Rows(rawValue: rowsText) else {
            throw spec.error(
                "unknown rows \"\(rowsText)\"", key: "rows",
                hint: "one of \(DatasetSpec.Rows.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let features = spec.table["features"]?.array?.compactMap(\.string), !features.isEmpty else {
            throw spec.error("features must be a list of \"view.feature\" strings", key: "features")
        }
        return DatasetSpec(
            name: name, description: spec.table["description"]?.string ?? "", rows: rows, features: features,
            createdCutoff: spec.table["created_cutoff"]?.bool ?? false)
    }

    /// `0`, `3600s`, `90m`, `12h`, `30d`, `52w` → seconds.
    static func parseTTL(_ text: String) -> Int64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let number: Int64
        let unit: Int64
        if let seconds = Int64(trimmed) {
            (number, unit) = (seconds, 1)
        } else {
            guard let last = trimmed.last, let value = Int64(trimmed.dropLast()) else { return nil }
            switch last {
            case "s": unit = 1
            case "m": unit = 60
            case "h": unit = 3_600
            case "d": unit = 86_400
            case "w": unit = 604_800
            default: return nil
            }
            number = value
        }
        // A TTL longer than the calendar the store accepts is a typing error, not "forever" (write 0).
        let (seconds, overflow) = number.multipliedReportingOverflow(by: unit)
        let longest = Microseconds.secondsRange.upperBound - Microseconds.secondsRange.lowerBound
        guard number >= 0, !overflow, seconds <= longest else { return nil }
        return seconds
    }
}
