import Foundation

/// When and how long to wait before fetching again after a failure.
///
/// Retries 408, 429, 500, 502, 503 and 504 responses and transport failures (dns, connect,
/// timeout, transport), never other statuses or too-large/redirect/scheme errors. The wait for
/// attempt n (1-based) is `base × 2^(n−1)`, capped at `maxDelay`, with "full jitter" (a uniform
/// draw between half and all of it) so many crawlers do not retry in step; a `Retry-After`
/// header (seconds or an HTTP-date) replaces it when present, still capped. After `maxAttempts`
/// attempts the fetch gives up with the last reason.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first included.
    public var maxAttempts = 4
    /// The first wait, in seconds.
    public var baseDelay = 1.0
    /// No wait is longer than this, whatever `Retry-After` asks.
    public var maxDelay = 120.0

    /// Statuses worth retrying.
    public static let retryableStatuses: Set<Int> = [408, 429, 500, 502, 503, 504]

    /// Defaults: 4 attempts, 1 s doubling, at most 120 s.
    public init(maxAttempts: Int = 4, baseDelay: Double = 1, maxDelay: Double = 120) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// Whether a failed transfer of this kind is worth another attempt.
    public static func isRetryable(_ kind: FetchError.Kind) -> Bool {
        switch kind {
        case .dns, .connect, .timeout, .transport: true
        case .tls, .tooLarge, .tooManyRedirects, .redirectLoop, .disallowedScheme, .invalidURL, .privateAddress,
            .robotsDisallowed, .offsite, .notRecorded:
            false
        }
    }

    /// Seconds to wait before attempt `attempt + 1` after attempt `attempt` failed, given the
    /// response's `Retry-After` (if any), the current time and a random number in 0..<1.
    public func delay(afterAttempt attempt: Int, retryAfter: String?, now: Date, random: Double) -> Double {
        if let retryAfter, let asked = Self.seconds(retryAfter: retryAfter, now: now) {
            return min(max(asked, 0), maxDelay)
        }
        let exponential = min(baseDelay * pow(2, Double(max(attempt, 1) - 1)), maxDelay)
        return exponential / 2 + exponential / 2 * random
    }

    /// `Retry-After` as seconds from `now`: `120` → 120, an HTTP-date → the difference;
    /// `nil` when it is neither.
    public static func seconds(retryAfter value: String, now: Date) -> Double? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed), seconds >= 0, trimmed.allSatisfy(\.isNumber) { return seconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: trimmed) { return date.timeIntervalSince(now) }
        }
        return nil
    }
}

/// A ``PageFetcher`` that retries another one by a ``RetryPolicy``, waiting through `sleep`
/// (injected, so tests do not wait) and recording every attempt's outcome.
public struct RetryingFetcher: PageFetcher {
    /// What happened on one attempt.
    public struct Attempt: Sendable, Hashable {
        /// 1-based.
        public var number: Int
        /// The HTTP status, or `nil` for a transport failure.
        public var status: Int?
        /// The failure kind, for transport failures.
        public var error: FetchError.Kind?
        /// Seconds waited after it (0 for the last).
        public var waited: Double
    }

    /// The fetcher being retried.
    public var base: any PageFetcher
    /// When to retry.
    public var policy: RetryPolicy
    /// Waits; `Task.sleep` in production.
    public var sleep: @Sendable (Double) async -> Void
    /// Now; `Date()` in production.
    public var now: @Sendable () -> Date
    /// A uniform random number in 0..<1, for jitter.
    public var random: @Sendable () -> Double
    /// Receives every attempt (for logs and tests).
    public var observe: @Sendable (String, Attempt) -> Void

    /// Creates a retrying fetcher; the defaults sleep for real and use the system clock.
    public init(
        base: any PageFetcher, policy: RetryPolicy = RetryPolicy(),
        sleep: @escaping @Sendable (Double) async -> Void = { try? await Task.sleep(for: .seconds($0)) },
        now: @escaping @Sendable () -> Date = { Date() },
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        observe: @escaping @Sendable (String, Attempt) -> Void = { _, _ in }
    ) {
        self.base = base
        self.policy = policy
        self.sleep = sleep
        self.now = now
        self.random = random
        self.observe = observe
    }

    /// Fetches `url`, retrying retryable failures. Returns the last response even when its
    /// status is still retryable after the last attempt (the caller records why it gave up).
    public func fetch(_ url: String) async throws(FetchError) -> FetchedPage {
        var attempt = 1
        while true {
            do {
                let page = try await base.fetch(url)
                guard RetryPolicy.retryableStatuses.contains(page.status), attempt < policy.maxAttempts else {
                    observe(url, Attempt(number: attempt, status: page.status, error: nil, waited: 0))
                    return page
                }
                let wait = policy.delay(
                    afterAttempt: attempt, retryAfter: page.header("Retry-After"), now: now(), random: random())
                observe(url, Attempt(number: attempt, status: page.status, error: nil, waited: wait))
                await sleep(wait)
            } catch {
                guard RetryPolicy.isRetryable(error.kind), attempt < policy.maxAttempts else {
                    observe(url, Attempt(number: attempt, status: nil, error: error.kind, waited: 0))
                    throw error
                }
                let wait = policy.delay(afterAttempt: attempt, retryAfter: nil, now: now(), random: random())
                observe(url, Attempt(number: attempt, status: nil, error: error.kind, waited: wait))
                await sleep(wait)
            }
            attempt += 1
        }
    }
}
