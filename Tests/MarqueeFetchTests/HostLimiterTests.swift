import Foundation
import MarqueeFetch
import Synchronization
import Testing

/// Virtual seconds: sleeping moves the clock instead of waiting.
private final class VirtualClock: Sendable {
    private let seconds = Mutex(0.0)
    func now() -> Double { seconds.withLock { $0 } }
    func sleep(_ duration: Double) { seconds.withLock { $0 += duration } }
}

@Test func requestStartsKeepTheHostsInterval() async {
    let clock = VirtualClock()
    let limiter = HostLimiter(
        defaults: .init(requestsPerSecond: 2, concurrency: 1), now: { clock.now() }, sleep: { clock.sleep($0) })
    var starts: [Double] = []
    for _ in 0..<4 { starts.append(await limiter.withPermit("letterboxd.com") { clock.now() }) }
    #expect(starts == [0, 0.5, 1.0, 1.5])
    // Another host has its own pace.
    #expect(await limiter.withPermit("www.imdb.com") { clock.now() } == 1.5)
}

@Test func crawlDelayAndSlowDownOnlyEverSlowAHost() async {
    let clock = VirtualClock()
    let limiter = HostLimiter(
        defaults: .init(requestsPerSecond: 4, concurrency: 1), now: { clock.now() }, sleep: { clock.sleep($0) })
    await limiter.slowDown("Example.org", toAtLeast: 2)
    await limiter.slowDown("example.org", toAtLeast: 1)  // never faster than the crawl-delay
    #expect(await limiter.limits(for: "example.org").interval == 2)
    var starts: [Double] = []
    for _ in 0..<3 { starts.append(await limiter.withPermit("example.org") { clock.now() }) }
    #expect(starts == [0, 2, 4])
}

/// Requests in flight now, and the most seen at once.
private final class InFlight: Sendable {
    let counts = Mutex((now: 0, peak: 0))
}

@Test func atMostConcurrencyRequestsAreInFlight() async {
    let limiter = HostLimiter(defaults: .init(requestsPerSecond: 0, concurrency: 2))
    let inFlight = InFlight()
    await withTaskGroup(of: Void.self) { group in
        for _ in 0..<6 {
            group.addTask {
                await limiter.withPermit("example.org") {
                    inFlight.counts.withLock { state in
                        state.now += 1
                        state.peak = max(state.peak, state.now)
                    }
                    try? await Task.sleep(for: .milliseconds(20))
                    inFlight.counts.withLock { $0.now -= 1 }
                }
            }
        }
    }
    #expect(inFlight.counts.withLock { $0.peak } == 2)
    #expect(inFlight.counts.withLock { $0.now } == 0)
}
