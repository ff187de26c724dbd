/// A named group of features about one kind of entity, declared in `features/<name>.toml`.
public struct FeatureView: Sendable, Hashable, Codable {
    /// The view's name (also its file name).
    public var name: String
    /// What the features describe.
    public var entity: EntityKind
    /// How long a value stays valid after its event time, in seconds; 0 = forever.
    public var ttlSeconds: Int64
    /// One line for `marquee features list`.
    public var description: String
    /// The features, in declaration order.
    public var features: [FeatureDefinition]

    /// Creates a view.
    public init(
        name: String, entity: EntityKind, ttlSeconds: Int64 = 0, description: String = "", features: [FeatureDefinition]
    ) {
        self.name = name
        self.entity = entity
        self.ttlSeconds = ttlSeconds
        self.description = description
        self.features = features
    }

    /// The feature called `name`, if the view declares it.
    public func feature(_ name: String) -> FeatureDefinition? { features.first { $0.name == name } }
}

/// One feature of a view: its observation name, type and the expectations a dataset build checks.
public struct FeatureDefinition: Sendable, Hashable, Codable {
    /// The value types a feature can have.
    public enum ValueType: String, Sendable, Hashable, Codable, CaseIterable {
        case int, real, text
    }

    /// How a failed expectation is treated by `dataset build`.
    public enum Level: String, Sendable, Hashable, Codable, CaseIterable {
        /// Reported; the dataset is still written.
        case warn
        /// Reported and the build fails (exit 65) without writing a file.
        case error
    }

    /// The observation feature name (`year`, `genres`).
    public var name: String
    /// The expected type.
    public var type: ValueType
    /// Smallest allowed number (int/real), if any.
    public var min: Double?
    /// Largest allowed number (int/real), if any.
    public var max: Double?
    /// Allowed values (text), if restricted.
    public var allowed: [String]?
    /// Largest share of dataset rows (0…1) allowed to have no value.
    public var maxNullShare: Double?
    /// What a failed expectation means.
    public var level: Level

    /// Creates a feature definition; expectations default to none.
    public init(
        name: String, type: ValueType, min: Double? = nil, max: Double? = nil, allowed: [String]? = nil,
        maxNullShare: Double? = nil, level: Level = .warn
    ) {
        self.name = name
        self.type = type
        self.min = min
        self.max = max
        self.allowed = allowed
        self.maxNullShare = maxNullShare
        self.level = level
    }
}

/// A dataset declared in `features/datasets/<name>.toml`: which entity rows, which features.
public struct DatasetSpec: Sendable, Hashable, Codable {
    /// The entity-row sources Marquee knows.
    public enum Rows: String, Sendable, Hashable, Codable, CaseIterable {
        /// Every rating: `user`, `film`, `rating`, `event_time` (the rating's time is the row's time).
        case ratings
    }

    /// The dataset's name (also its file name).
    public var name: String
    /// One line for `marquee dataset list`.
    public var description: String
    /// The entity rows.
    public var rows: Rows
    /// Features as `view.feature`, in column order.
    public var features: [String]
    /// Only use observations created by each row's time (no backfill leakage).
    public var createdCutoff: Bool

    /// Creates a spec.
    public init(
        name: String, description: String = "", rows: Rows = .ratings, features: [String], createdCutoff: Bool = false
    ) {
        self.name = name
        self.description = description
        self.rows = rows
        self.features = features
        self.createdCutoff = createdCutoff
    }
}
