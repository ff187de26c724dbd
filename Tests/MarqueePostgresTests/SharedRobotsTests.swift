import Foundation
import MarqueeCore
import MarqueeFetch
import MarqueeTestKit
import Synchronization
import Testing

@testable import MarqueePostgres

/// Two workers' robots caches over one shared frontier: the origin's robots.txt is fetched once
/// for both, both apply its rules and crawl delay, and an expired copy is fetched again.
@Test func robotsTxtIsFetchedOnceForAllWorkers() async throws {
    guard TestPostgres.runs else { return print(TestPostgres.skipMessage) }
    let fetches = Mutex(0)
    let server = try LoopbackServer { path in
        if path == "/robots.txt" { fetches.withLock { $0 += 1 } }
        return .response(200, body: Data("User-agent: *\nDisallow: /private/\nCrawl-delay: 2\n".utf8))
    }
    defer { server.stop() }
    let (_, backend) = try await makeTestDatabase("robots")
    var configuration = HTTPClientConfiguration()
    configuration.allowPrivateAddresses = true
    let client = HTTPClient(configuration: configuration)
    func cache(_ worker: String, maxAge: Double = 3_600) async throws -> RobotsCache {
        RobotsCache(
            fetcher: client, agent: "Marquee", maxAge: maxAge,
            shared: try await PostgresFrontier(backend: backend, worker: worker))
    }
    let a = try await cache("a")
    let b = try await cache("b")
    let verdicts = await withTaskGroup(of: RobotsCache.Verdict.self) { group in
        for index in 0..<20 {
            let path = index.isMultiple(of: 2) ? "/private/\(index)" : "/films/\(index)"
            group.addTask { await (index < 10 ? a : b).verdict(for: server.base + path) }
        }
        return await group.reduce(into: []) { $0.append($1) }
    }
    #expect(fetches.withLock { $0 } == 1)
    #expect(verdicts.filter(\.allowed).count == 10)
    #expect(verdicts.allSatisfy { $0.crawlDelay == 2 })
    // A worker started later reads the shared copy too …
    #expect(await (try await cache("c")).verdict(for: server.base + "/private/x").allowed == false)
    #expect(fetches.withLock { $0 } == 1)
    // … unless it is older than the cache's maximum age.
    try await Task.sleep(for: .milliseconds(50))
    #expect(await (try await cache("d", maxAge: 0.01)).verdict(for: server.base + "/films/x").allowed)
    #expect(fetches.withLock { $0 } == 2)
}
