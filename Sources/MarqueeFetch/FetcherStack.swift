import Foundation
import MarqueeCore

/// The fetcher a crawl uses, composed in one place so `marquee crawl`, `marquee scrape` and a
/// program embedding the crawler get the same layers in the same order:
///
/// recording (WARC) → robots.txt → per-host pacing → retries → libcurl (private-address guard on
/// every connection; every redirect checked against the allowed hosts and robots.txt before it
/// is followed) — or, offline, a replay of recordings in place of everything below recording.
///
/// ```swift
/// var stack = FetcherStack(userAgent: "MyCrawler/1.0 (+mailto:me@example.com)")
/// stack.allowedHosts = ["www.imdb.com"]
/// let fetcher = try stack.make()
/// ```
public struct FetcherStack: Sendable {
    /// The `User-Agent` header; robots.txt groups are matched on its first word.
    public var userAgent: String
    /// Requests per second per host (before robots.txt's crawl delay or a 429 slows it).
    public var requestsPerSecond: Double = 1
    /// Requests in flight per host.
    public var hostConcurrency = 1
    /// Attempts per URL, the first included.
    public var maxAttempts = 4
    /// Skip robots.txt (only for one's own servers).
    public var ignoreRobots = false
    /// Connect to loopback and private-network addresses.
    public var allowPrivate = false
    /// Names pinned to addresses, `HOST:PORT:ADDRESS`.
    public var resolve: [String] = []
    /// Hosts a redirect may lead to (lower-cased); empty allows any host.
    public var allowedHosts: Set<String> = []
    /// Replay these recordings (a WARC file, a folder of them, or fixtures) instead of the network.
    public var replay: URL?
    /// Record every response into WARC files in this folder.
    public var warc: URL?
    /// Largest WARC file before the writer starts the next one.
    public var warcFileBytes = 100 << 20
    /// Pacing shared with other crawl processes (a shared frontier's), or `nil` to pace this one alone.
    public var sharedPacing: (any HostPacing)?
    /// robots.txt shared with other crawl processes (a shared frontier's), or `nil`.
    public var sharedRobots: (any SharedRobots)?

    /// A stack with the defaults (1 request per second and 1 at a time per host, 4 attempts).
    public init(userAgent: String) {
        self.userAgent = userAgent
    }

    /// Builds the fetcher.
    /// - Throws: `MarqueeError` when the replay path cannot be read.
    public func make() throws(MarqueeError) -> any PageFetcher {
        var fetcher: any PageFetcher
        if let replay {
            // Offline: the recording answers; robots and pacing do not apply to a replay.
            fetcher = try ReplayFetcher(path: replay)
        } else {
            var configuration = HTTPClientConfiguration()
            configuration.userAgent = userAgent
            configuration.allowPrivateAddresses = allowPrivate
            configuration.resolve = resolve
            // robots.txt itself is fetched without the redirect check (a robots.txt that
            // redirects is followed, as RFC 9309 asks, up to the client's limit).
            let plain = HTTPClient(configuration: configuration)
            let robots = ignoreRobots ? nil : RobotsCache(fetcher: plain, agent: userAgent, shared: sharedRobots)
            configuration.redirectCheck = Self.redirectCheck(allowedHosts: allowedHosts, robots: robots)
            let client = HTTPClient(configuration: configuration)
            fetcher = PoliteFetcher(
                base: client, robots: robots,
                limiter: HostLimiter(
                    defaults: HostLimiter.Limits(requestsPerSecond: requestsPerSecond, concurrency: hostConcurrency),
                    shared: sharedPacing),
                retrying: RetryingFetcher(base: client, policy: RetryPolicy(maxAttempts: maxAttempts)))
        }
        if let warc {
            fetcher = RecordingFetcher(
                base: fetcher, writer: WARCWriter(directory: warc, maxBytes: warcFileBytes), userAgent: userAgent)
        }
        return fetcher
    }

    /// Refuses a redirect to a host outside `allowedHosts` (when not empty) with
    /// ``FetchError/Kind/offsite``, and one robots.txt disallows with
    /// ``FetchError/Kind/robotsDisallowed`` — before the target is requested.
    public static func redirectCheck(allowedHosts: Set<String>, robots: RobotsCache?)
        -> @Sendable (String) async throws(FetchError) -> Void
    {
        { target throws(FetchError) in
            if !allowedHosts.isEmpty {
                let host = URLComponents(string: target)?.host?.lowercased() ?? ""
                guard allowedHosts.contains(host) else {
                    throw FetchError(
                        kind: .offsite, url: target,
                        message:
                            "a redirect leads to \(host.isEmpty ? target : host), which is not one of the crawl's hosts (\(allowedHosts.sorted().joined(separator: ", ")))"
                    )
                }
            }
            if let robots {
                let verdict = await robots.verdict(for: target)
                guard verdict.allowed else {
                    throw FetchError(
                        kind: .robotsDisallowed, url: target, message: "a redirect leads here; \(verdict.reason)")
                }
            }
        }
    }
}
