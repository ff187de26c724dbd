/// A built dataset as recorded in the store: enough to rebuild the same bytes or say why not.
public struct DatasetVersion: Sendable, Hashable, Codable {
    /// Output formats.
    public enum Format: String, Sendable, Hashable, Codable, CaseIterable {
        case csv, jsonl
    }

    /// The version id: the first 16 hex digits of SHA-256 over the spec, the feature view
    /// definitions, the as-of time, the format and the ids of every observation selected.
    public var id: String
    /// The dataset spec's name.
    public var name: String
    /// The spec as canonical JSON.
    public var spec: String
    /// The definitions of the views it used, as canonical JSON.
    public var views: String
    /// CSV or JSON Lines.
    public var format: Format
    /// Only observations created by then were used (UTC microseconds), if given.
    public var asOf: Int64?
    /// The highest observation id the build could see; a rebuild ignores later ones.
    public var observationWatermark: Int64
    /// SHA-256 over the selected observation ids, in row order.
    public var observationsSHA256: String
    /// Data rows written (the header not counted).
    public var rowCount: Int
    /// SHA-256 of the file's bytes.
    public var contentSHA256: String
    /// When it was built (UTC microseconds).
    public var createdAt: Int64
    /// Marquee's version that built it.
    public var codeVersion: String

    /// A version as recorded (stores other than SQLite's read them too).
    public init(
        id: String, name: String, spec: String, views: String, format: Format, asOf: Int64?,
        observationWatermark: Int64, observationsSHA256: String, rowCount: Int, contentSHA256: String,
        createdAt: Int64, codeVersion: String
    ) {
        self.id = id
        self.name = name
        self.spec = spec
        self.views = views
        self.format = format
        self.asOf = asOf
        self.observationWatermark = observationWatermark
        self.observationsSHA256 = observationsSHA256
        self.rowCount = rowCount
        self.contentSHA256 = contentSHA256
        self.createdAt = createdAt
        self.codeVersion = codeVersion
    }
}

/// A failed expectation found while building a dataset.
public struct ExpectationViolation: Sendable, Hashable, CustomStringConvertible {
    /// `view.feature`.
    public var feature: String
    /// What was expected and found.
    public var message: String
    /// Warn or error.
    public var level: FeatureDefinition.Level

    /// `error: film_facts.year: 3 values below 1870 (first: 1066)`.
    public var description: String { "\(level.rawValue): \(feature): \(message)" }
}

/// What `dataset build` produced: the version, and the warnings that did not stop it.
public struct DatasetBuildResult: Sendable {
    /// The recorded version.
    public var version: DatasetVersion
    /// `warn`-level violations.
    public var warnings: [ExpectationViolation]
    /// `false` when an identical version (same id) was already recorded.
    public var isNew: Bool

    /// A result (stores other than SQLite's build them too).
    public init(version: DatasetVersion, warnings: [ExpectationViolation], isNew: Bool) {
        self.version = version
        self.warnings = warnings
        self.isNew = isNew
    }
}
