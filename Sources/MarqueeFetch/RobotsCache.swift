import Foundation

/// One origin's robots.txt as fetched: what ``RobotsCache`` keeps, and what a shared store
/// hands between crawl processes.
public struct RobotsRecord: Sendable, Hashable {
    /// HTTP status of the robots.txt request; 0 when it failed before any answer.
    public var status: Int
    /// The file, for a 2xx; empty otherwise.
    public var body: String
    /// Why the request failed (a ``FetchError`` kind), when it did.
    public var failure: String?
    /// Seconds since it was fetched (0 for a fetch just made).
    public var age: Double

    /// Creates a record.
    public init(status: Int, body: String, failure: String?, age: Double) {
        self.status = status
        self.body = body
        self.failure = failure
        self.age = age
    }
}

/// robots.txt shared by every crawl process (a table in a shared frontier's database), so each
/// origin's file is fetched once for all workers rather than once per worker.
public protocol SharedRobots: Sendable {
    /// The origin's record if some process fetched it recently enough (`maxAge` seconds for a file
    /// or a 4xx, `retryUnreachableAfter` for a failure); otherwise calls `fetch` — once across all
    /// processes at a time — and shares its result. `nil` when the shared copy cannot be reached
    /// (the cache then fetches for this process alone).
    func robots(
        origin: String, maxAge: Double, retryUnreachableAfter: Double,
        fetch: @escaping @Sendable () async -> RobotsRecord
    ) async -> RobotsRecord?
}

/// robots.txt per origin, fetched once and kept, with RFC 9309's rules for failures: a 4xx means
/// no restrictions; a 5xx or an unreachable server means everything is disallowed until
/// `retryUnreachableAfter` has passed; a good copy is kept for `maxAge` (24 hours by default).
/// Concurrent checks for one origin share one fetch.
public actor RobotsCache {
    /// Whether a URL may be fetched, and why.
    public struct Verdict: Sendable, Hashable, CustomStringConvertible {
        /// `true` when allowed.
        public var allowed: Bool
        /// The deciding rule with its line, or the robots.txt status that decided.
        public var reason: String
        /// The crawl delay robots.txt asks of this agent, if any.
        public var crawlDelay: Double?

        /// `allowed (…)` / `disallowed (…)`.
        public var description: String { "\(allowed ? "allowed" : "disallowed") (\(reason))" }
    }

    private enum Entry: Sendable {
        case rules(RobotsTxt, fetchedAt: Double)
        case allowAll(status: Int, fetchedAt: Double)
        case disallowAll(reason: String, fetchedAt: Double)
    }

    private let fetcher: any PageFetcher
    private let agent: String
    private let maxAge: Double
    private let retryUnreachableAfter: Double
    private let now: @Sendable () -> Double
    private let shared: (any SharedRobots)?
    private var entries: [String: Task<Entry, Never>] = [:]

    /// Creates a cache fetching through `fetcher` for the crawler named `agent`; with `shared`,
    /// a robots.txt another process fetched is used instead of fetching it again.
    public init(
        fetcher: any PageFetcher, agent: String, maxAge: Double = 86_400, retryUnreachableAfter: Double = 600,
        now: @escaping @Sendable () -> Double = { ProcessInfo.processInfo.systemUptime },
        shared: (any SharedRobots)? = nil
    ) {
        self.fetcher = fetcher
        self.agent = agent
        self.maxAge = maxAge
        self.retryUnreachableAfter = retryUnreachableAfter
        self.now = now
        self.shared = shared
    }

    /// Whether the agent may fetch `url`, fetching the origin's robots.txt first if needed.
    public func verdict(for url: String) async -> Verdict {
        guard let origin = Self.origin(of: url) else {
            return Verdict(allowed: false, reason: "not an http(s) URL", crawlDelay: nil)
        }
        let entry = await entry(for: origin)
        switch entry {
        case .rules(let robots, _):
            let decision = robots.decision(for: url, agent: agent)
            let reason =
                decision.rule.map(\.description)
                ?? "no rule matches"
            return Verdict(allowed: decision.allowed, reason: reason, crawlDelay: robots.crawlDelay(for: agent))
        case .allowAll(let status, _):
            return Verdict(allowed: true, reason: "robots.txt answered \(status): no restrictions", crawlDelay: nil)
        case .disallowAll(let reason, _):
            return Verdict(
                allowed: false, reason: "robots.txt unreachable (\(reason)): everything disallowed for now",
                crawlDelay: nil)
        }
    }

    private func entry(for origin: String) async -> Entry {
        if let task = entries[origin] {
            let entry = await task.value
            if !isExpired(entry) { return entry }
        }
        let fetcher = fetcher
        let now = now
        let (shared, maxAge, retry) = (shared, maxAge, retryUnreachableAfter)
        let fetch: @Sendable () async -> RobotsRecord = {
            do {
                // A page's conditional headers must not ride along on its host's robots.txt.
                let page = try await RequestHeaders.$extra.withValue([]) {
                    try await fetcher.fetch(origin + "/robots.txt")
                }
                let body = (200..<300).contains(page.status) ? String(decoding: page.body, as: UTF8.self) : ""
                return RobotsRecord(status: page.status, body: body, failure: nil, age: 0)
            } catch let error as FetchError {
                return RobotsRecord(status: 0, body: "", failure: error.kind.rawValue, age: 0)
            } catch {
                return RobotsRecord(status: 0, body: "", failure: "\(error)", age: 0)
            }
        }
        let task = Task<Entry, Never> {
            var record: RobotsRecord?
            if let shared {
                record = await shared.robots(origin: origin, maxAge: maxAge, retryUnreachableAfter: retry, fetch: fetch)
            }
            let fetched = if let record { record } else { await fetch() }
            let at = now() - fetched.age
            switch (fetched.failure, fetched.status) {
            case (nil, 200..<300): return .rules(RobotsTxt(fetched.body), fetchedAt: at)
            case (nil, 400..<500): return .allowAll(status: fetched.status, fetchedAt: at)
            case (nil, let status): return .disallowAll(reason: "HTTP \(status)", fetchedAt: at)
            case (let failure?, _): return .disallowAll(reason: failure, fetchedAt: at)
            }
        }
        entries[origin] = task
        return await task.value
    }

    private func isExpired(_ entry: Entry) -> Bool {
        switch entry {
        case .rules(_, let at), .allowAll(_, let at): now() - at > maxAge
        case .disallowAll(_, let at): now() - at > retryUnreachableAfter
        }
    }

    /// `scheme://host[:port]`, lower-cased, or `nil` for non-http(s) URLs.
    static func origin(of url: String) -> String? {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host?.lowercased(), !host.isEmpty
        else { return nil }
        return "\(scheme)://\(host)" + (components.port.map { ":\($0)" } ?? "")
    }
}
