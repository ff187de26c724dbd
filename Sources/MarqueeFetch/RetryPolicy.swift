import Foundation
import MarqueeCore

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
        guard let date = httpDate(trimmed, now: now) else { return nil }
        return date.timeIntervalSince(now)
    }

    /// An HTTP-date in any of its three forms (RFC 9110 §5.6.7): `Sun, 06 Nov 1994 08:49:37 GMT`,
    /// `Sunday, 06-Nov-94 08:49:37 GMT` (a two-digit year more than 50 years ahead of `now` is
    /// in the past century) and asctime's `Sun Nov  6 08:49:37 1994`. Read without a locale or
    /// calendar library (no ICU data is loaded for a header).
    static func httpDate(_ text: String, now: Date) -> Date? {
        let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        func month(_ name: Substring) -> Int? { months.firstIndex(of: name.lowercased()).map { $0 + 1 } }
        let words = text.split(separator: " ")
        var day: Int?, monthNumber: Int?, year: Int?, time: Substring?
        if words.count == 6, words[0].hasSuffix(","), words[5] == "GMT" {
            (day, monthNumber, year, time) = (Int(words[1]), month(words[2]), Int(words[3]), words[4])
        } else if words.count == 4, words[0].hasSuffix(","), words[3] == "GMT" {
            let parts = words[1].split(separator: "-")
            guard parts.count == 3, parts[2].count == 2, let short = Int(parts[2]) else { return nil }
            let thisYear = Int(Microseconds.isoSeconds(Microseconds.from(now)).prefix(4)) ?? 2000
            let century = thisYear / 100 * 100
            year = century + short > thisYear + 50 ? century - 100 + short : century + short
            (day, monthNumber, time) = (Int(parts[0]), month(parts[1]), words[2])
        } else if words.count == 5 {
            (monthNumber, day, time, year) = (month(words[1]), Int(words[2]), words[3], Int(words[4]))
        }
        guard let day, let monthNumber, let year, let time, (1...31).contains(day), (0...9999).contains(year),
            time.split(separator: ":").count == 3, time.utf8.count == 8
        else { return nil }
        func padded(_ number: Int, _ width: Int) -> String {
            String(repeating: "0", count: max(0, width - String(number).count)) + String(number)
        }
        let iso = "\(padded(year, 4))-\(padded(monthNumber, 2))-\(padded(day, 2))T\(time)Z"
        return Microseconds.parse(iso).map(Microseconds.date)
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
