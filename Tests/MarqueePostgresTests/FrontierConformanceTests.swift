import Foundation
import MarqueeCore
import MarqueeFetch
import MarqueeTestKit
import Testing

@testable import MarqueePostgres

/// The frontier's semantics, on every backend: the same tests for SQLite and PostgreSQL.
private func pages(_ range: Range<Int>, host: String = "letterboxd.com") -> [(url: String, canonical: String)] {
    range.map { ("https://\(host)/film/f\($0)/?utm_source=x", "https://\(host)/film/f\($0)/") }
}

private func record(_ item: Frontier.Item) -> Frontier.PageRecord {
    Frontier.PageRecord(
        url: item.url, finalURL: item.url, status: 200, contentType: "text/html", bodySHA256: "ab", bodyBytes: 2,
        fetchedAt: Date(timeIntervalSince1970: 1_000))
}

@Test(arguments: FrontierBackend.allCases)
func enqueueDeduplicatesByCanonicalURLAndClaimsInPriorityOrder(_ backend: FrontierBackend) async throws {
    guard backend.runs else { return print(TestPostgres.skipMessage) }
    let clock = ManualClock(Date(timeIntervalSince1970: 1_000))
    let frontier = try await backend.make(clock: clock)
    #expect(try await frontier.enqueue(pages(0..<5), depth: 1, priority: 0) == 5)
    #expect(try await frontier.enqueue(pages(3..<7), depth: 2, priority: 0) == 2)  // f3, f4 already known
    let start = [("https://letterboxd.com/film/start/", "https://letterboxd.com/film/start/")]
    #expect(try await frontier.enqueue(start, depth: 0, priority: 5) == 1)
    let claimed = try await frontier.claim(limit: 3)
    #expect(claimed.first?.url == "https://letterboxd.com/film/start/")  // priority first
    #expect(claimed.dropFirst().map(\.depth) == [1, 1])  // then the shallowest
    #expect(claimed.allSatisfy { $0.attempts == 0 })
    #expect(try await frontier.claim(limit: 100).count == 5)  // the rest; claimed ones are not handed out twice
    #expect(try await frontier.claim(limit: 100).isEmpty)
    let counts = try await frontier.counts()
    #expect(counts.byState[.inFlight] == 8)
    #expect(counts.byHost["letterboxd.com"]?[.inFlight] == 8)
}

@Test(arguments: FrontierBackend.allCases)
func retriesWaitForTheirTimeAndFailuresKeepTheirReason(_ backend: FrontierBackend) async throws {
    guard backend.runs else { return print(TestPostgres.skipMessage) }
    let clock = ManualClock(Date(timeIntervalSince1970: 1_000))
    let frontier = try await backend.make(clock: clock, lease: 3_600)
    _ = try await frontier.enqueue(pages(0..<3), depth: 0, priority: 0)
    let items = try await frontier.claim(limit: 3)
    try await frontier.complete(items[0].fingerprint, etag: "\"v1\"", lastModified: "Tue, 25 Nov 2025 10:00:00 GMT")
    try await frontier.retry(items[1].fingerprint, after: 30, reason: "HTTP 503")
    try await frontier.fail(items[2].fingerprint, reason: "too-large")
    #expect(try await frontier.claim(limit: 10).isEmpty)
    clock.advance(by: 31)
    let again = try await frontier.claim(limit: 10)
    #expect(again.map(\.fingerprint) == [items[1].fingerprint])
    #expect(again.first?.attempts == 1)
    #expect(again.first?.etag == nil)
    #expect(try await frontier.counts().failures == ["too-large": 1])
    // A refresh re-queues the done page with its validators, for a conditional GET.
    clock.advance(by: 100)
    #expect(try await frontier.refresh(olderThan: 50) == 1)
    let refreshed = try await frontier.claim(limit: 10)
    #expect(refreshed.map(\.etag) == ["\"v1\""])
}

@Test(arguments: FrontierBackend.allCases)
func completingRecordsThePageAndQueuesItsLinksOnce(_ backend: FrontierBackend) async throws {
    guard backend.runs else { return print(TestPostgres.skipMessage) }
    let clock = ManualClock(Date(timeIntervalSince1970: 1_000))
    let frontier = try await backend.make(clock: clock)
    _ = try await frontier.enqueue(pages(0..<1), depth: 0, priority: 0)
    let item = try #require(try await frontier.claim(limit: 1).first)
    // Links repeat, and a page links itself (real pages do): each URL is queued once, itself never.
    let links = pages(0..<4).map { Frontier.Link(url: $0.url, canonical: $0.canonical) }
    #expect(try await frontier.complete(item, page: record(item), etag: nil, lastModified: nil, links: links + links))
    let recorded = try await frontier.pages()
    #expect(recorded.map(\.fingerprint) == [item.fingerprint])
    #expect(recorded.first?.record.fetchedAt == Date(timeIntervalSince1970: 1_000))
    let next = try await frontier.claim(limit: 10)
    #expect(next.count == 3 && next.allSatisfy { $0.depth == 1 })
    #expect(try await frontier.nextAttempt() == nil)  // nothing queued
    #expect(try await frontier.recover() == 3)  // this process's unfinished claims go back
    #expect(try await frontier.counts().byState == [.done: 1, .queued: 3])
}
