import Foundation
import MarqueeCore

extension Frontier {
    /// A discovered URL ready to queue: its canonical form's host and fingerprint computed once,
    /// off the thread that writes the frontier.
    public struct Link: Sendable, Hashable {
        /// The URL as found.
        public var url: String
        /// Its canonical form (the frontier's key).
        public var canonical: String
        /// The canonical URL's host, lower-cased ("" when it has none).
        public var host: String
        /// SHA-256 of the canonical URL.
        public var fingerprint: String

        /// Computes the host and fingerprint of `canonical`.
        public init(url: String, canonical: String) {
            self.url = url
            self.canonical = canonical
            host = URLComponents(string: canonical)?.host?.lowercased() ?? ""
            fingerprint = Hashing.sha256(canonical)
        }
    }
}
