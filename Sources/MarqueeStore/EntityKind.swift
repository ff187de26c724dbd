import MarqueeCore

/// What an entity is. Observations are about entities; ratings link a user to a film.
public enum EntityKind: String, Sendable, Hashable, Codable, CaseIterable {
    case film, user, person
}

/// One identifier of an entity in some namespace: `imdb:tt0111161`, `movielens:1`, `tmdb:862`.
public struct EntityKey: Sendable, Hashable, CustomStringConvertible {
    /// `imdb`, `tmdb`, `movielens`, `letterboxd`, `rt`, `wikipedia`, …
    public var namespace: String
    /// The identifier within the namespace.
    public var value: String

    /// Creates a key.
    public init(_ namespace: String, _ value: String) {
        self.namespace = namespace
        self.value = value
    }

    /// `namespace:value`.
    public var description: String { "\(namespace):\(value)" }

    /// Which namespace names an entity best, when several are known (IMDb first, as DESIGN.md says).
    static let preference = ["imdb", "tmdb", "movielens", "letterboxd", "rt", "wikipedia"]

    /// The key an entity is named by: the most preferred namespace among `keys`.
    static func canonical(_ keys: [EntityKey]) -> EntityKey? {
        keys.min {
            (preference.firstIndex(of: $0.namespace) ?? .max, $0.value) < (
                preference.firstIndex(of: $1.namespace) ?? .max, $1.value
            )
        }
    }
}

extension EntityKey {
    /// The key a site's user is stored under: never the handle itself (personal data), but its
    /// HMAC-SHA-256 under a salt that lives outside the store (`MARQUEE_USER_SALT` or the
    /// configuration), in namespace `<site>-user`. The same handle and salt always give the same
    /// key, so a user's ratings from several crawls join; without the salt the handle cannot be
    /// recovered by hashing guesses.
    /// - Precondition: `salt` is not empty.
    public static func hashedUser(site: String, handle: String, salt: String) -> EntityKey {
        precondition(!salt.isEmpty, "a user salt is required to store user handles")
        return EntityKey("\(site)-user", Hashing.hmacSHA256(key: salt, message: handle.lowercased()))
    }
}
