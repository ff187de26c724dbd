import Foundation
import MarqueeFetch
import MarqueeTestKit
import Synchronization
import Testing

/// A fetcher that plays back scripted outcomes, one per call.
private final class ScriptedFetcher: PageFetcher {
    enum Outcome: Sendable {
        case status(Int, retryAfter: String?)
        case failure(FetchError.Kind)
    }

    private let outcomes: Mutex<[Outcome]>
    init(_ outcomes: [Outcome]) { self.outcomes = Mutex(outcomes) }

    func fetch(_ url: String) async throws(FetchError) -> FetchedPage {
        let next = outcomes.withLock { $0.isEmpty ? Outcome.status(200, retryAfter: nil) : $0.removeFirst() }
        switch next {
        case .status(let status, let retryAfter):
            return FetchedPage(
                requestedURL: url, finalURL: url, status: status,
                headers: retryAfter.map { [("Retry-After", $0)] } ?? [],
                body: Data(), redirects: [], timings: .init(connect: 0, firstByte: 0, total: 0),
                fetchedAt: Date(timeIntervalSince1970: 0))
        case .failure(let kind):
            throw FetchError(kind: kind, url: url, message: "scripted")
        }
    }
}

private let epoch = Date(timeIntervalSince1970: 1_764_000_000)

/// Runs `outcomes` through a RetryingFetcher that records its waits instead of sleeping.
private func run(_ outcomes: [ScriptedFetcher.Outcome], policy: RetryPolicy = RetryPolicy(), random: Double = 0.5) async
    -> (Result<Int, FetchError>, [RetryingFetcher.Attempt])
{
    let attempts = Mutex<[RetryingFetcher.Attempt]>([])
    let fetcher = RetryingFetcher(
        base: ScriptedFetcher(outcomes), policy: policy, sleep: { _ in }, now: { epoch }, random: { random },
        observe: { _, attempt in attempts.withLock { $0.append(attempt) } })
    do {
        let page = try await fetcher.fetch("https://example.org/x")
        return (.success(page.status), attempts.withLock { $0 })
    } catch {
        return (.failure(error), attempts.withLock { $0 })
    }
}

@Test func retryAfterSecondsAndDatesAreHonouredWithinTheCap() async {
    let (result, attempts) = await run([
        .status(429, retryAfter: "7"), .status(503, retryAfter: "Sun, 30 Nov 2025 16:02:00 GMT"),
        .status(503, retryAfter: "99999"), .status(200, retryAfter: nil),
    ])
    #expect((try? result.get()) == 200)
    // 7 s as asked; the HTTP-date is six days away and the 99,999 s ask is too long: both capped at 120 s.
    #expect(attempts.map(\.waited) == [7, 120, 120, 0])
    #expect(attempts.map(\.status) == [429, 503, 503, 200])
}

@Test func backoffDoublesWithJitterAndIsCapped() {
    let policy = RetryPolicy(maxAttempts: 10, baseDelay: 2, maxDelay: 20)
    #expect(policy.delay(afterAttempt: 1, retryAfter: nil, now: epoch, random: 0) == 1)
    #expect(policy.delay(afterAttempt: 1, retryAfter: nil, now: epoch, random: 1) == 2)
    #expect(policy.delay(afterAttempt: 3, retryAfter: nil, now: epoch, random: 1) == 8)
    #expect(policy.delay(afterAttempt: 8, retryAfter: nil, now: epoch, random: 1) == 20)
    #expect(policy.delay(afterAttempt: 8, retryAfter: nil, now: epoch, random: 0) == 10)
    #expect(policy.delay(afterAttempt: 2, retryAfter: "soon", now: epoch, random: 1) == 4)  // unreadable header: backoff
    #expect(RetryPolicy.seconds(retryAfter: "Sunday, 30-Nov-25 16:02:00 GMT", now: epoch) == 518_520)
    #expect(RetryPolicy.seconds(retryAfter: "Sun, 30 Nov 2025 16:02:00 GMT", now: epoch) == 518_520)
    #expect(RetryPolicy.seconds(retryAfter: "Sun Nov 30 16:02:00 2025", now: epoch) == 518_520)
    #expect(RetryPolicy.seconds(retryAfter: "Sun, 30 Nov 2025 16:02:00 CET", now: epoch) == nil)
    #expect(RetryPolicy.seconds(retryAfter: "Sun, 31 Foo 2025 16:02:00 GMT", now: epoch) == nil)
    #expect(RetryPolicy.seconds(retryAfter: "-5", now: epoch) == nil)
}

@Test func transportFailuresAreRetriedButNotPermanentOnes() async {
    var (result, attempts) = await run([.failure(.connect), .failure(.timeout), .status(200, retryAfter: nil)])
    #expect((try? result.get()) == 200)
    #expect(attempts.map(\.error) == [.connect, .timeout, nil])
    (result, attempts) = await run([.failure(.tooLarge)])
    guard case .failure(let error) = result else {
        Issue.record("a too-large body was retried into success")
        return
    }
    #expect(error.kind == .tooLarge)
    #expect(attempts.count == 1)
    (result, attempts) = await run([.status(404, retryAfter: nil)])
    #expect((try? result.get()) == 404)
    #expect(attempts.count == 1)
}

@Test func givesUpAfterMaxAttemptsWithTheLastAnswer() async {
    let (result, attempts) = await run(
        Array(repeating: .status(503, retryAfter: nil), count: 10), policy: RetryPolicy(maxAttempts: 3))
    #expect((try? result.get()) == 503)
    #expect(attempts.count == 3)
    #expect(attempts.last?.waited == 0)
    let (failure, tries) = await run(
        Array(repeating: .failure(.transport), count: 10), policy: RetryPolicy(maxAttempts: 2))
    #expect((try? failure.get()) == nil)
    #expect(tries.count == 2)
}

@Test func retriesAgainstALoopbackServer() async throws {
    let hits = Mutex(0)
    let server = try LoopbackServer { _ in
        let hit = hits.withLock { count -> Int in
            count += 1
            return count
        }
        return hit < 3 ? .response(503, "Busy", headers: [("Retry-After", "0")]) : .response(200, body: Data("ok".utf8))
    }
    defer { server.stop() }
    var configuration = HTTPClientConfiguration()
    configuration.totalTimeout = 2
    let fetcher = RetryingFetcher(base: HTTPClient(configuration: configuration), sleep: { _ in })
    let page = try await fetcher.fetch(server.base + "/")
    #expect(page.status == 200)
    #expect(hits.withLock { $0 } == 3)
}
