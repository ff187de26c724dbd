extension Frontier {
    /// One URL's place in the crawl.
    public struct Item: Sendable, Hashable {
        /// SHA-256 of the canonical URL (hex).
        public var fingerprint: String
        /// The URL.
        public var url: String
        /// Lower-cased host.
        public var host: String
        /// Links followed from the start URLs.
        public var depth: Int
        /// Higher goes first.
        public var priority: Int
        /// Attempts made so far.
        public var attempts: Int
        /// `ETag` of the last successful fetch, for `If-None-Match`.
        public var etag: String? = nil
        /// `Last-Modified` of the last successful fetch, for `If-Modified-Since`.
        public var lastModified: String? = nil

        /// Creates an item (frontiers hand them out from ``Frontier/claim(limit:)``).
        public init(
            fingerprint: String, url: String, host: String, depth: Int, priority: Int, attempts: Int,
            etag: String? = nil, lastModified: String? = nil
        ) {
            self.fingerprint = fingerprint
            self.url = url
            self.host = host
            self.depth = depth
            self.priority = priority
            self.attempts = attempts
            self.etag = etag
            self.lastModified = lastModified
        }
    }

    /// The states an item can be in.
    public enum State: String, Sendable, CaseIterable {
        case queued
        case inFlight = "in_flight"
        case done
        case failed
    }
}
