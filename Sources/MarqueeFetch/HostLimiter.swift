import Foundation

/// Politeness shared by every crawl process (tables in a shared frontier's database): each
/// request start is reserved at least `interval` seconds after the previous reservation for its
/// host by any process, and a host's requests in flight are counted across processes, so a host's
/// rate and concurrency hold across workers and machines.
public protocol HostPacing: Sendable {
    /// Reserves the next start for `host`; returns the seconds to wait before starting, or `nil`
    /// when the shared schedule cannot be reached (the limiter then paces this process alone).
    func reserve(host: String, interval: Double) async -> Double?

    /// Takes one of the `limit` request slots of `host` shared by every process, waiting until one
    /// is free; returns it (for ``releaseSlot(host:slot:)``), or `nil` when the shared count cannot
    /// be reached (the limiter then counts this process alone). A slot held by a process that
    /// died frees itself after a while.
    func acquireSlot(host: String, limit: Int) async -> Int?

    /// Gives a slot back.
    func releaseSlot(host: String, slot: Int) async
}

/// Per-host politeness: at most `concurrency` requests in flight to a host, and request starts
/// at least `interval` seconds apart (the site's rate, or the robots.txt crawl-delay when that is
/// longer). Time and waiting are injected, so tests run on a virtual clock.
public actor HostLimiter {
    /// The limits for one host.
    public struct Limits: Sendable, Hashable {
        /// Seconds between request starts.
        public var interval: Double
        /// Requests in flight at once.
        public var concurrency: Int

        /// Creates limits; `requestsPerSecond` 0 means no rate limit.
        public init(requestsPerSecond: Double, concurrency: Int) {
            interval = requestsPerSecond > 0 ? 1 / requestsPerSecond : 0
            self.concurrency = max(1, concurrency)
        }
    }

    private struct HostState {
        var nextStart: Double = -.infinity
        var inFlight = 0
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let defaults: Limits
    private var overrides: [String: Limits] = [:]
    private var hosts: [String: HostState] = [:]
    private let now: @Sendable () -> Double
    private let sleep: @Sendable (Double) async -> Void
    private let shared: (any HostPacing)?

    /// Creates a limiter with `defaults` for every host; `now` gives seconds on any monotonic
    /// scale and `sleep` waits that many seconds. With `shared`, request starts are spaced
    /// across every process that paces through it (the concurrency limit stays per process).
    public init(
        defaults: Limits, now: @escaping @Sendable () -> Double = { ProcessInfo.processInfo.systemUptime },
        sleep: @escaping @Sendable (Double) async -> Void = { try? await Task.sleep(for: .seconds($0)) },
        shared: (any HostPacing)? = nil
    ) {
        self.defaults = defaults
        self.now = now
        self.sleep = sleep
        self.shared = shared
    }

    /// Sets the limits of one host (a site's spec, or a slower pace after 429s).
    public func setLimits(_ limits: Limits, for host: String) {
        overrides[host.lowercased()] = limits
    }

    /// Makes a host at least this slow: the interval becomes `max(current, seconds)` (robots.txt
    /// crawl-delay, or AutoThrottle-style slow-down after a 429).
    public func slowDown(_ host: String, toAtLeast seconds: Double) {
        var limits = limits(for: host)
        limits.interval = max(limits.interval, seconds)
        overrides[host.lowercased()] = limits
    }

    /// The limits in force for `host`.
    public func limits(for host: String) -> Limits { overrides[host.lowercased()] ?? defaults }

    /// Runs `body` once `host` has a free slot and its interval has passed since the last start.
    public func withPermit<T: Sendable>(_ host: String, _ body: @Sendable () async throws -> T) async rethrows -> T {
        let key = host.lowercased()
        let slot = await acquire(key)
        do {
            let result = try await body()
            await release(key, slot: slot)
            return result
        } catch {
            await release(key, slot: slot)
            throw error
        }
    }

    /// Waits for a slot of this process, then (shared) one of the whole crawl, then the pace;
    /// returns the shared slot held, if any.
    private func acquire(_ host: String) async -> Int? {
        let limits = limits(for: host)
        while hosts[host, default: HostState()].inFlight >= limits.concurrency {
            await withCheckedContinuation { continuation in
                hosts[host, default: HostState()].waiting.append(continuation)
            }
        }
        hosts[host, default: HostState()].inFlight += 1
        let slot = await shared?.acquireSlot(host: host, limit: limits.concurrency)
        if let shared, limits.interval > 0, let wait = await shared.reserve(host: host, interval: limits.interval) {
            if wait > 0 { await sleep(wait) }
            return slot
        }
        let start = max(now(), hosts[host]!.nextStart)
        hosts[host]!.nextStart = start + limits.interval
        let wait = start - now()
        if wait > 0 { await sleep(wait) }
        return slot
    }

    private func release(_ host: String, slot: Int?) async {
        if let shared, let slot { await shared.releaseSlot(host: host, slot: slot) }
        hosts[host]!.inFlight -= 1
        if !hosts[host]!.waiting.isEmpty { hosts[host]!.waiting.removeFirst().resume() }
    }
}
