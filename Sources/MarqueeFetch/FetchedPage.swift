import Foundation

/// What one fetch returned: the final response, the redirects on the way, and when.
public struct FetchedPage: Sendable {
    /// Time spent, in seconds, over all hops.
    public struct Timings: Sendable, Hashable {
        /// Until the TCP (and TLS) connection of the last hop was up.
        public var connect: Double
        /// Until the last hop's first response byte.
        public var firstByte: Double
        /// The whole fetch, redirects included.
        public var total: Double

        /// Creates timings, in seconds.
        public init(connect: Double, firstByte: Double, total: Double) {
            self.connect = connect
            self.firstByte = firstByte
            self.total = total
        }
    }

    /// The URL asked for.
    public var requestedURL: String
    /// The URL that answered last (after redirects).
    public var finalURL: String
    /// The final HTTP status.
    public var status: Int
    /// The final response's headers, in order (names as sent).
    public var headers: [(name: String, value: String)]
    /// The body, decoded from gzip/deflate/br when the server compressed it.
    public var body: Data
    /// Every URL that redirected, in order (empty without redirects).
    public var redirects: [String]
    /// Time spent.
    public var timings: Timings
    /// When the fetch finished.
    public var fetchedAt: Date

    /// Creates a page (replay fetchers and tests build them from recordings).
    public init(
        requestedURL: String, finalURL: String, status: Int, headers: [(name: String, value: String)], body: Data,
        redirects: [String] = [], timings: Timings, fetchedAt: Date
    ) {
        self.requestedURL = requestedURL
        self.finalURL = finalURL
        self.status = status
        self.headers = headers
        self.body = body
        self.redirects = redirects
        self.timings = timings
        self.fetchedAt = fetchedAt
    }

    /// The first header named `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { Self.sameASCIIIgnoringCase($0.name, name) }?.value
    }

    /// Header names are ASCII tokens (RFC 9110): compared byte by byte, letters without case.
    static func sameASCIIIgnoringCase(_ a: String, _ b: String) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        return zip(a.utf8, b.utf8).allSatisfy { x, y in
            x == y || (x | 0x20 == y | 0x20 && (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(x | 0x20))
        }
    }
}

/// Why a fetch failed before any usable response arrived. HTTP error statuses (404, 503) are
/// not errors: they come back as a ``FetchedPage`` with that status.
public struct FetchError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure, which decides whether a retry makes sense.
    public enum Kind: String, Sendable, Hashable {
        /// The host name did not resolve.
        case dns
        /// No TCP connection (refused, unreachable).
        case connect
        /// The connect or total timeout passed.
        case timeout
        /// TLS handshake or certificate failure.
        case tls
        /// The body (after decoding) passed the size cap: too large, or a compression bomb.
        case tooLarge = "too-large"
        /// More redirects than allowed.
        case tooManyRedirects = "too-many-redirects"
        /// A redirect led back to a URL already visited.
        case redirectLoop = "redirect-loop"
        /// Not an http or https URL.
        case disallowedScheme = "disallowed-scheme"
        /// The text is not an absolute URL with a host.
        case invalidURL = "invalid-url"
        /// The address connected to is loopback, private or otherwise not public, and the
        /// fetcher was not allowed such addresses.
        case privateAddress = "private-address"
        /// A redirect led off the hosts the crawl may visit (never fetched).
        case offsite
        /// The site's robots.txt does not allow this URL for this crawler (never fetched).
        case robotsDisallowed = "robots-disallowed"
        /// The connection broke: reset, closed early, truncated body, protocol error.
        case transport
        /// A replay (WARC or fixtures) has no recording of this URL; nothing touched the network.
        case notRecorded = "not-recorded"
    }

    /// What went wrong.
    public var kind: Kind
    /// The URL being fetched when it happened.
    public var url: String
    /// libcurl's description, or Marquee's.
    public var message: String

    /// Creates an error.
    public init(kind: Kind, url: String, message: String) {
        self.kind = kind
        self.url = url
        self.message = message
    }

    /// `timeout fetching https://…: Operation timed out after 2000 milliseconds`.
    public var description: String { "\(kind.rawValue) fetching \(url): \(message)" }
}

/// A source of pages: the network (``HTTPClient``), or recordings and fixtures in tests.
public protocol PageFetcher: Sendable {
    /// Fetches `url`, following redirects.
    func fetch(_ url: String) async throws(FetchError) -> FetchedPage
}
