import Foundation

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
    private var entries: [String: Task<Entry, Never>] = [:]

    /// Creates a cache fetching through `fetcher` for the crawler named `agent`.
    public init(
        fetcher: any PageFetcher, agent: String, maxAge: Double = 86_400, retryUnreachableAfter: Double = 600,
        now: @escaping @Sendable () -> Double = { ProcessInfo.processInfo.systemUptime }
    ) {
        self.fetcher = fetcher
        self.agent = agent
        self.maxAge = maxAge
        self.retryUnreachableAfter = retryUnreachableAfter
        self.now = now
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
        let task = Task<Entry, Never> {
            do {
                // A page's conditional headers must not ride along on its host's robots.txt.
                let page = try await RequestHeaders.$extra.withValue([]) {
                    try await fetcher.fetch(origin + "/robots.txt")
                }
                switch page.status {
                case 200..<300: return .rules(RobotsTxt(String(decoding: page.body, as: UTF8.self)), fetchedAt: now())
                case 400..<500: return .allowAll(status: page.status, fetchedAt: now())
                default: return .disallowAll(reason: "HTTP \(page.status)", fetchedAt: now())
                }
            } catch let error as FetchError {
                return .disallowAll(reason: error.kind.rawValue, fetchedAt: now())
            } catch {
                return .disallowAll(reason: "\(error)", fetchedAt: now())
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
