import Foundation

/// The crawler's fetcher: robots.txt first, then per-host pacing, then retries.
///
/// A URL robots.txt disallows fails with `robotsDisallowed` and is never requested; a
/// crawl-delay slows its host. Every attempt waits for a permit from the ``HostLimiter``; a 429
/// doubles the host's interval (AutoThrottle-like, up to the retry policy's cap) before
/// ``RetryingFetcher`` tries again.
public struct PoliteFetcher: PageFetcher {
    /// The network (or a replay) underneath.
    public let base: any PageFetcher
    /// robots.txt verdicts; `nil` skips robots.txt (only for one's own servers).
    public let robots: RobotsCache?
    /// Per-host pacing.
    public let limiter: HostLimiter
    /// Retries around each paced attempt.
    public let retrying: RetryingFetcher

    /// Composes the layers; `retrying`'s own `base` is replaced by the paced fetcher.
    public init(base: any PageFetcher, robots: RobotsCache?, limiter: HostLimiter, retrying: RetryingFetcher) {
        self.base = base
        self.robots = robots
        self.limiter = limiter
        var retrying = retrying
        retrying.base = PacedFetcher(base: base, limiter: limiter, maxInterval: retrying.policy.maxDelay)
        self.retrying = retrying
    }

    /// Fetches `url` if robots.txt allows it, paced and retried.
    public func fetch(_ url: String) async throws(FetchError) -> FetchedPage {
        if let robots {
            let verdict = await robots.verdict(for: url)
            guard verdict.allowed else {
                throw FetchError(kind: .robotsDisallowed, url: url, message: verdict.reason)
            }
            if let delay = verdict.crawlDelay, let host = URLComponents(string: url)?.host {
                await limiter.slowDown(host, toAtLeast: delay)
            }
        }
        return try await retrying.fetch(url)
    }
}

/// One attempt under the host's permit; a 429 slows the host down for the next ones.
struct PacedFetcher: PageFetcher {
    let base: any PageFetcher
    let limiter: HostLimiter
    let maxInterval: Double

    func fetch(_ url: String) async throws(FetchError) -> FetchedPage {
        let host = URLComponents(string: url)?.host ?? url
        let result: Result<FetchedPage, FetchError> = await limiter.withPermit(host) {
            do {
                return .success(try await base.fetch(url))
            } catch let error as FetchError {
                return .failure(error)
            } catch {
                return .failure(FetchError(kind: .transport, url: url, message: "\(error)"))
            }
        }
        let page = try result.get()
        if page.status == 429 {
            let current = await limiter.limits(for: host).interval
            await limiter.slowDown(host, toAtLeast: min(max(current * 2, 1), maxInterval))
        }
        return page
    }
}
