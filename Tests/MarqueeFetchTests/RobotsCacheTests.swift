import Foundation
import MarqueeFetch
import MarqueeTestKit
import Synchronization
import Testing

/// Counts requests per path, so tests can see what was fetched.
private final class Hits: Sendable {
    let paths = Mutex<[String]>([])
    func record(_ path: String) { paths.withLock { $0.append(path) } }
    var all: [String] { paths.withLock { $0 } }
}

private func client() -> HTTPClient {
    var configuration = HTTPClientConfiguration()
    configuration.totalTimeout = 2
    return HTTPClient(configuration: configuration)
}

@Test func rulesAreFetchedOncePerOriginAndApplied() async throws {
    let hits = Hits()
    let server = try LoopbackServer { path in
        hits.record(path)
        return .response(200, body: Data("User-agent: *\nDisallow: /private/\nCrawl-delay: 3\n".utf8))
    }
    defer { server.stop() }
    let cache = RobotsCache(fetcher: client(), agent: "Marquee")
    async let first = cache.verdict(for: server.base + "/private/x")
    async let second = cache.verdict(for: server.base + "/films/")
    let (denied, allowed) = await (first, second)
    #expect(!denied.allowed)
    #expect(denied.reason == "Disallow: /private/ at line 2")
    #expect(allowed.allowed)
    #expect(allowed.crawlDelay == 3)
    #expect(hits.all == ["/robots.txt"])
}

@Test func missingRobotsAllowsAndServerErrorsDisallowForAWhile() async throws {
    let status = Mutex(404)
    let server = try LoopbackServer { _ in .response(status.withLock { $0 }, "Status") }
    defer { server.stop() }
    let clock = Mutex(0.0)
    let cache = RobotsCache(
        fetcher: client(), agent: "Marquee", retryUnreachableAfter: 60, now: { clock.withLock { $0 } })
    #expect(await cache.verdict(for: server.base + "/a").allowed)

    let other = RobotsCache(
        fetcher: client(), agent: "Marquee", retryUnreachableAfter: 60, now: { clock.withLock { $0 } })
    status.withLock { $0 = 503 }
    let verdict = await other.verdict(for: server.base + "/a")
    #expect(!verdict.allowed)
    #expect(verdict.reason.contains("HTTP 503"))
    status.withLock { $0 = 404 }
    #expect(await !other.verdict(for: server.base + "/a").allowed)  // still within the minute
    clock.withLock { $0 = 61 }
    #expect(await other.verdict(for: server.base + "/a").allowed)  // asked again after it
}

@Test func unreachableServersDisallowEverything() async throws {
    let server = try LoopbackServer { _ in .reset }
    let base = server.base
    server.stop()
    let verdict = await RobotsCache(fetcher: client(), agent: "Marquee").verdict(for: base + "/x")
    #expect(!verdict.allowed)
    #expect(verdict.reason.contains("connect"))
    #expect(await !RobotsCache(fetcher: client(), agent: "Marquee").verdict(for: "ftp://example.org/").allowed)
}
