import Foundation
import MarqueeCore
import MarqueeFetch
import MarqueeTestKit
import PostgresNIO
import Synchronization
import Testing

@testable import MarqueePostgres

private func pages(_ range: Range<Int>) -> [(url: String, canonical: String)] {
    range.map { ("https://boxofficemojo.com/title/tt\($0)/", "https://boxofficemojo.com/title/tt\($0)/") }
}

private func record(_ item: Frontier.Item) -> Frontier.PageRecord {
    Frontier.PageRecord(
        url: item.url, finalURL: item.url, status: 200, contentType: "text/html", bodySHA256: "cd", bodyBytes: 2,
        fetchedAt: Date(timeIntervalSince1970: 2_000))
}

/// Two workers claiming at once from one queue never get the same URL (FOR UPDATE SKIP LOCKED),
/// and between them get every URL.
@Test func concurrentWorkersNeverClaimTheSameURL() async throws {
    guard TestPostgres.runs else { return print(TestPostgres.skipMessage) }
    let (_, backend) = try await makeTestDatabase("claims")
    let clock = SystemClock()
    let a = try await PostgresFrontier(backend: backend, worker: "a", clock: clock)
    let b = try await PostgresFrontier(backend: backend, worker: "b", clock: clock)
    _ = try await a.enqueue(pages(0..<400), depth: 0)
    async let fromA = drain(a)
    async let fromB = drain(b)
    let (claimedA, claimedB) = try await (fromA, fromB)
    #expect(Set(claimedA).isDisjoint(with: claimedB))
    #expect(claimedA.count + claimedB.count == 400)
    #expect(!claimedA.isEmpty && !claimedB.isEmpty, "one worker starved: \(claimedA.count) / \(claimedB.count)")
    let perWorker = try await a.workerCounts()
    #expect(perWorker["a"]?[.done] == claimedA.count && perWorker["b"]?[.done] == claimedB.count)
}

private func drain(_ frontier: PostgresFrontier) async throws -> [String] {
    var claimed: [String] = []
    while true {
        let batch = try await frontier.claim(limit: 7)
        if batch.isEmpty { return claimed }
        for item in batch {
            claimed.append(item.fingerprint)
            try await frontier.complete(item, page: record(item), etag: nil, lastModified: nil, links: [])
        }
    }
}

/// A worker that stops answering loses its URLs when the lease runs out: another worker takes them
/// back, and the first worker's late result is refused, so the page is recorded once.
@Test func anExpiredLeaseIsTakenOverAndTheLateResultDropped() async throws {
    guard TestPostgres.runs else { return print(TestPostgres.skipMessage) }
    let (_, backend) = try await makeTestDatabase("leases")
    let clock = ManualClock(Date(timeIntervalSince1970: 5_000))
    let stalled = try await PostgresFrontier(backend: backend, worker: "stalled", lease: 30, clock: clock)
    let healthy = try await PostgresFrontier(backend: backend, worker: "healthy", lease: 30, clock: clock)
    _ = try await stalled.enqueue(pages(0..<10), depth: 0)
    let held = try await stalled.claim(limit: 4)
    #expect(held.count == 4)
    // While the lease holds, the other worker gets only the rest, then waits for the lease.
    let rest = try await healthy.claim(limit: 100)
    #expect(rest.count == 6)
    for item in rest { try await healthy.complete(item, page: record(item), etag: nil, lastModified: nil, links: []) }
    #expect(try await healthy.nextAttempt() == Microseconds.from(clock.now()) + 30_000_000)
    clock.advance(by: 31)
    let takenOver = try await healthy.claim(limit: 100)
    #expect(Set(takenOver.map(\.fingerprint)) == Set(held.map(\.fingerprint)))
    #expect(takenOver.allSatisfy { $0.attempts == 1 })
    let late = held[0]
    #expect(try await stalled.complete(late, page: record(late), etag: nil, lastModified: nil, links: []) == false)
    for item in takenOver {
        #expect(try await healthy.complete(item, page: record(item), etag: nil, lastModified: nil, links: []))
    }
    let recorded = try await healthy.pages().map(\.fingerprint)
    #expect(recorded.count == 10 && Set(recorded).count == 10)
    #expect(try await healthy.nextAttempt() == nil)
}

/// Request starts for one host are spaced by the interval across workers, on the server's clock.
@Test func pacingIsSharedAcrossWorkers() async throws {
    guard TestPostgres.runs else { return print(TestPostgres.skipMessage) }
    let (_, backend) = try await makeTestDatabase("pacing")
    let a = try await PostgresFrontier(backend: backend, worker: "a")
    let b = try await PostgresFrontier(backend: backend, worker: "b")
    // Each start is (the server's time during the call) + wait; the call's start and end on this
    // machine's clock bound it, however slowly a loaded machine makes the calls.
    let clock = ContinuousClock()
    let origin = clock.now
    var starts: [ClosedRange<Double>] = []
    for index in 0..<10 {
        let before = origin.duration(to: clock.now)
        let wait = try #require(await (index.isMultiple(of: 2) ? a : b).reserve(host: "imdb.com", interval: 10))
        let after = origin.duration(to: clock.now)
        func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
        starts.append((seconds(before) + wait)...(seconds(after) + wait))
    }
    // Consecutive starts are exactly one interval apart, whichever worker reserved them.
    for index in 1..<starts.count {
        let gap = (starts[index].lowerBound - starts[index - 1].upperBound)...(starts[index].upperBound - starts[index - 1].lowerBound)
        #expect(gap.lowerBound - 0.01 <= 10 && 10 <= gap.upperBound + 0.01, "reservation \(index): gap within \(gap)")
    }
    let other = try #require(await a.reserve(host: "letterboxd.com", interval: 10))
    #expect(other < 1)  // hosts are paced apart
}

@Test func postgresURLsParseAndNeverShowThePassword() throws {
    let location = try PostgresLocation(
        url: "postgres://crawler:s3cr%40t@db.example.org:6543/marquee?sslmode=require", environment: [:])
    #expect(location.host == "db.example.org" && location.port == 6543 && location.user == "crawler")
    #expect(location.database == "marquee" && location.sslMode == .require)
    #expect(location.password == "s3cr@t" && location.passwordSource == "the URL")
    #expect(!location.description.contains("s3cr"))
    #expect(PostgresLocation.redacted("postgres://u:hunter2@h/db") == "postgres://u:***@h/db")
    let defaults = try PostgresLocation(url: "postgresql://ana@localhost", environment: ["PGPASSWORD": "pw"])
    #expect(defaults.port == 5432 && defaults.database == "ana" && defaults.sslMode == .prefer)
    #expect(defaults.password == "pw" && defaults.passwordSource == "PGPASSWORD")
    for bad in ["postgres://localhost/db", "postgres:///db", "postgres://u@h/db?sslmode=sometimes", "postgres://u@h/db?x=1"] {
        #expect(throws: MarqueeError.self) { try PostgresLocation(url: bad, environment: [:]) }
    }
}

@Test func thePasswordFileIsReadAsLibpqReadsIt() throws {
    let folder = try makeScratchFolder("pgpass")
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("pgpass")
    try "# comment\nother:5432:*:ana:wrong\ndb:*:marquee:ana:pa\\:ss\n".write(to: file, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
    let location = try PostgresLocation(url: "postgres://ana@db/marquee", environment: ["PGPASSFILE": file.path])
    #expect(location.password == "pa:ss" && location.passwordSource == file.path)
    try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
    #expect(throws: MarqueeError.self) {
        try PostgresLocation(url: "postgres://ana@db/marquee", environment: ["PGPASSFILE": file.path])
    }
}

/// What a user sees for the usual mistakes: a wrong password (77, naming where it came from, not
/// what it is), a missing database (78, with the createdb command), nothing listening (69).
@Test func connectionErrorsNameTheCauseAndTheFix() async throws {
    guard TestPostgres.runs else { return print(TestPostgres.skipMessage) }
    let url = try TestPostgres.requireURL()
    var components = try #require(URLComponents(string: url))
    components.password = "not-the-password"
    do {
        _ = try await PostgresBackend(PostgresLocation(url: components.string!), logger: quietLogger)
        Issue.record("a wrong password was accepted")
    } catch {
        #expect(error.code == .noPermission, "\(error)")
        #expect(error.description.contains("the URL") && !error.description.contains("not-the-password"))
    }
    do {
        _ = try await PostgresBackend(
            PostgresLocation(url: TestPostgres.url(url, database: "no_such_db")), logger: quietLogger)
        Issue.record("a missing database was accepted")
    } catch {
        #expect(error.code == .configuration && error.hint?.contains("createdb") == true, "\(error)")
    }
    do {
        _ = try await PostgresBackend(PostgresLocation(url: "postgres://u:p@127.0.0.1:1/db"), logger: quietLogger)
        Issue.record("a closed port was accepted")
    } catch {
        #expect(error.code == .unavailable, "\(error)")
    }
}

/// Bodies in PostgreSQL: stored once per digest, read back intact, and a damaged or missing row
/// is an error naming the digest, never wrong bytes.
@Test func pageBodiesRoundTripDeduplicateAndCatchDamage() async throws {
    guard TestPostgres.runs else { return print(TestPostgres.skipMessage) }
    let (_, backend) = try await makeTestDatabase("bodies")
    let bodies = try await PostgresPageBodies(backend: backend)
    let page = Data("<html><body>Heat (1995)</body></html>".utf8)
    let first = try await bodies.put(page)
    #expect(first.isNew && first.sha256 == Hashing.sha256(page))
    #expect(try await bodies.put(page).isNew == false)
    #expect(try await bodies.get(first.sha256) == page)
    let large = Data((0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 7) })
    let stored = try await bodies.put(large)
    #expect(try await bodies.get(stored.sha256) == large)
    #expect(try await bodies.totals().bodies == 2)
    try await backend.run("damage a body") { client in
        let other = Gzip.compress(Data("something else".utf8))
        _ = try await client.query("UPDATE page_bodies SET gzip = \(other) WHERE sha256 = \(first.sha256)")
    }
    await #expect(throws: MarqueeError.self) { try await bodies.get(first.sha256) }
    do {
        _ = try await bodies.get(String(repeating: "0", count: 64))
        Issue.record("a missing body was returned")
    } catch {
        #expect(error.code == .dataError && error.message.contains("no stored body"), "\(error)")
    }
}

/// `--host-concurrency` across workers: three workers' limiters, two slots for the host in all,
/// never more than two requests in flight at once; slots a dead worker held free themselves
/// when its lease ends.
@Test func hostConcurrencyIsSharedAcrossWorkers() async throws {
    guard TestPostgres.runs else { return print(TestPostgres.skipMessage) }
    let (_, backend) = try await makeTestDatabase("slots")
    var limiters: [HostLimiter] = []
    for worker in ["a", "b", "c"] {
        let frontier = try await PostgresFrontier(backend: backend, worker: worker, lease: 30)
        limiters.append(
            HostLimiter(defaults: HostLimiter.Limits(requestsPerSecond: 0, concurrency: 2), shared: frontier))
    }
    let inFlight = InFlight()
    let workers = limiters
    await withTaskGroup(of: Void.self) { group in
        for index in 0..<24 {
            let limiter = workers[index % 3]
            group.addTask {
                await limiter.withPermit("www.imdb.com") {
                    inFlight.counts.withLock { $0.now += 1; $0.peak = max($0.peak, $0.now) }
                    try? await Task.sleep(for: .milliseconds(30))
                    inFlight.counts.withLock { $0.now -= 1; $0.done += 1 }
                }
            }
        }
    }
    let seen = inFlight.counts.withLock { $0 }
    #expect(seen.done == 24 && seen.peak == 2, "peak \(seen.peak) in flight for a limit of 2")

    let dead = try await PostgresFrontier(backend: backend, worker: "dead", lease: 0.5)
    let survivor = try await PostgresFrontier(backend: backend, worker: "survivor")
    // Each slot is held for 0.5 s from its acquisition, which starts after `started`: however
    // slowly a loaded machine runs the calls, the survivor cannot have one before started + 0.5 s.
    let started = ContinuousClock.now
    #expect(await dead.acquireSlot(host: "letterboxd.com", limit: 2) != nil)
    #expect(await dead.acquireSlot(host: "letterboxd.com", limit: 2) != nil)
    #expect(await survivor.acquireSlot(host: "letterboxd.com", limit: 2) != nil)
    #expect(ContinuousClock.now - started >= .milliseconds(450), "a dead worker's slot was taken while held")
}

/// Requests in flight now, the most seen at once, and how many finished.
private final class InFlight: Sendable {
    let counts = Mutex((now: 0, peak: 0, done: 0))
}
