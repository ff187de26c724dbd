import Foundation
import MarqueeFetch
import MarqueeTestKit
import Synchronization
import Testing

private final class Requests: Sendable {
    let paths = Mutex<[String]>([])
    func record(_ path: String) -> Int {
        paths.withLock { paths in
            paths.append(path)
            return paths.filter { $0 == path }.count
        }
    }
    var all: [String] { paths.withLock { $0 } }
}

@Test func politeFetcherObeysRobotsPacesHostsAndBacksOffAfter429() async throws {
    let requests = Requests()
    let server = try LoopbackServer { path in
        let seen = requests.record(path)
        switch path {
        case "/robots.txt": return .response(200, body: Data("User-agent: *\nDisallow: /private/\n".utf8))
        case "/busy":
            return seen == 1
                ? .response(429, "Too Many Requests", headers: [("Retry-After", "0")])
                : .response(200, body: Data("ok".utf8))
        default: return .response(200, body: Data("page".utf8))
        }
    }
    defer { server.stop() }
    var configuration = HTTPClientConfiguration()
    configuration.totalTimeout = 2
    let client = HTTPClient(configuration: configuration)
    let slept = Mutex(0.0)
    let limiter = HostLimiter(
        defaults: .init(requestsPerSecond: 0, concurrency: 2), now: { slept.withLock { $0 } },
        sleep: { seconds in slept.withLock { $0 += seconds } })
    let fetcher = PoliteFetcher(
        base: client, robots: RobotsCache(fetcher: client, agent: "Marquee"), limiter: limiter,
        retrying: RetryingFetcher(base: client, sleep: { _ in }))

    do {
        _ = try await fetcher.fetch(server.base + "/private/secret")
        Issue.record("fetched a URL robots.txt disallows")
    } catch {
        #expect(error.kind == .robotsDisallowed)
        #expect(error.message == "Disallow: /private/ at line 2")
    }
    let page = try await fetcher.fetch(server.base + "/busy")
    #expect(page.status == 200)
    #expect(await limiter.limits(for: "127.0.0.1").interval == 1)  // slowed down after the 429
    _ = try await fetcher.fetch(server.base + "/next")
    #expect(requests.all == ["/robots.txt", "/busy", "/busy", "/next"])
    #expect(slept.withLock { $0 } >= 1)  // /next waited out the slower pace
}

/// A redirect goes through the same gates as a link (Scrapy's offsite and robots middlewares see
/// redirected requests too): off the crawl's hosts it fails `offsite`, onto a path robots.txt
/// disallows it fails `robotsDisallowed` — and the target is never requested.
@Test func redirectsAreCheckedAgainstTheHostsAndRobotsBeforeTheyAreFollowed() async throws {
    let requests = Requests()
    let server = try LoopbackServer { path in
        _ = requests.record(path)
        switch path {
        case "/robots.txt": return .response(200, body: Data("User-agent: *\nDisallow: /private/\n".utf8))
        case "/to-private": return .response(302, "Found", headers: [("Location", "/private/page")])
        case "/to-public": return .response(301, "Moved", headers: [("Location", "/page")])
        default: return .response(200, body: Data("page".utf8))
        }
    }
    defer { server.stop() }
    let offsiteServer = try LoopbackServer { path in
        _ = requests.record("offsite" + path)
        return .response(200, body: Data("elsewhere".utf8))
    }
    defer { offsiteServer.stop() }
    let toOffsite = try LoopbackServer { path in
        path == "/robots.txt"
            ? .response(404, "Not Found")
            : .response(302, "Found", headers: [("Location", "http://localhost:\(offsiteServer.port)/page")])
    }
    defer { toOffsite.stop() }

    var stack = FetcherStack(userAgent: "Marquee-test")
    stack.allowPrivate = true
    stack.requestsPerSecond = 0
    stack.maxAttempts = 1
    stack.allowedHosts = ["127.0.0.1"]
    let fetcher = try stack.make()

    await #expect {
        _ = try await fetcher.fetch(server.base + "/to-private")
    } throws: { error in
        (error as? FetchError)?.kind == .robotsDisallowed
            && (error as? FetchError)?.message.contains("Disallow: /private/") == true
    }
    await #expect {
        _ = try await fetcher.fetch(toOffsite.base + "/start")
    } throws: { error in
        (error as? FetchError)?.kind == .offsite && (error as? FetchError)?.message.contains("localhost") == true
    }
    let allowed = try await fetcher.fetch(server.base + "/to-public")
    #expect(allowed.finalURL == server.base + "/page")
    #expect(!requests.all.contains("/private/page"))
    #expect(!requests.all.contains { $0.hasPrefix("offsite") })
    #expect(requests.all.contains("/page"))
}
