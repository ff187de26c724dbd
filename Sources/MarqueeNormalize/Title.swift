/// A film title cleaned for display, with keys for sorting and for joining across sites.
public struct Title: Sendable, Hashable, Codable {
    /// The title as it should be shown: `The Matrix`.
    public var title: String
    /// Leading article moved to the end for sorting: `Matrix, The`.
    public var sortKey: String
    /// Folded for fuzzy joins: lower case, no diacritics or punctuation, `&` → `and`, no leading
    /// article: `matrix`. Two sites' spellings of one film should share it.
    public var matchKey: String
    /// The year that decorated the title (`Mulholland Drive (2001)`), if any.
    public var year: Int?

    private enum CodingKeys: String, CodingKey {
        case title
        case sortKey = "sort_key"
        case matchKey = "match_key"
        case year
    }
}
