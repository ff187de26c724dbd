/// A rating as a site shows it: a value on a scale (`8.3` of `10`, `3.5` of `5`, `61` of `100`).
public struct Rating: Sendable, Hashable, Codable {
    /// The value on the site's scale.
    public var value: Double
    /// The top of the scale (the bottom is 0).
    public var scale: Double

    /// Creates a rating; ``Normalize/rating(_:scale:)`` checks the range.
    public init(value: Double, scale: Double) {
        self.value = value
        self.scale = scale
    }

    /// The value mapped to 0…1 (`value / scale`), comparable across sites.
    public var normalised: Double { value / scale }

    private enum CodingKeys: String, CodingKey {
        case value, scale, normalised
    }

    /// Encodes `value`, `scale` and `normalised`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(value, forKey: .value)
        try container.encode(scale, forKey: .scale)
        try container.encode((normalised * 10_000).rounded() / 10_000, forKey: .normalised)
    }

    /// Decodes `value` and `scale` (`normalised` is derived).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        value = try container.decode(Double.self, forKey: .value)
        scale = try container.decode(Double.self, forKey: .scale)
    }
}
