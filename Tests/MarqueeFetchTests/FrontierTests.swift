import Foundation
import MarqueeCore
import Testing

@testable import MarqueeFetch

private func pages(_ range: Range<Int>, host: String = "letterboxd.com") -> [(url: String, canonical: String)] {
    range.map { ("https://\(host)/film/f\($0)/?utm_source=x", "https://\(host)/film/f\($0)/") }
}

@Test func enqueueDeduplicatesByCanonicalURLAndClaimsInPriorityOrder() throws {
    let clock = ManualClock(Date(timeIntervalSince1970: 1_000))
    let frontier = try Frontier(inMemory: clock)
    #expect(try frontier.enqueue(pages(0..<5), depth: 1) == 5)
    #expect(try frontier.enqueue(pages(3..<7), depth: 2) == 2)  // f3, f4 already known
    #expect(
        try frontier.enqueue(
            [("https://letterboxd.com/film/start/", "https://letterboxd.com/film/start/")], depth: 0, priority: 5) == 1)
    let claimed = try frontier.claim(limit: 3)
    #expect(claimed.first?.url == "https://letterboxd.com/film/start/")  // priority first
    #expect(claimed.dropFirst().map(\.depth) == [1, 1])  // then the shallowest
    #expect(claimed.allSatisfy { $0.attempts == 0 })
    #expect(try frontier.claim(limit: 100).count == 5)  // the rest; claimed ones are not handed out twice
    #expect(try frontier.claim(limit: 100).isEmpty)
    let counts = try frontier.counts()
    #expect(counts.byState[.inFlight] == 8)
    #expect(counts.byHost["letterboxd.com"]?[.inFlight] == 8)
}

@Test func retriesWaitForTheirTimeAndFailuresKeepTheirReason() throws {
    let clock = ManualClock(Date(timeIntervalSince1970: 1_000))
    let frontier = try Frontier(inMemory: clock)
    _ = try frontier.enqueue(pages(0..<3), depth: 0)
    let items = try frontier.claim(limit: 3)
    try frontier.complete(items[0].fingerprint, etag: "\"v1\"", lastModified: "Tue, 25 Nov 2025 10:00:00 GMT")
    try frontier.retry(items[1].fingerprint, after: 30, reason: "HTTP 503")
    try frontier.fail(items[2].fingerprint, reason: "too-large")
    #expect(try frontier.claim(limit: 10).isEmpty)
    clock.advance(by: 31)
    let again = try frontier.claim(limit: 10)
    #expect(again.map(\.fingerprint) == [items[1].fingerprint])
    #expect(again.first?.attempts == 1)
    let validators = try frontier.validators(items[0].fingerprint)
    #expect(validators.etag == "\"v1\"")
    #expect(try frontier.counts().failures == ["too-large": 1])
}

@Test func reopeningAfterACrashRequeuesInFlightAndNeverRepeatsDone() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("frontier-\(UUID().uuidString).sqlite")
        .path
    var done: Set<String> = []
    do {
        let frontier = try Frontier(path: path)
        _ = try frontier.enqueue(pages(0..<50), depth: 0)
        let first = try frontier.claim(limit: 20)
        for item in first.prefix(12) {
            try frontier.complete(item.fingerprint)
            done.insert(item.fingerprint)
        }
        // The process dies here: 8 items are in flight, 30 queued.
    }
    let reopened = try Frontier(path: path)
    #expect(try reopened.counts().byState == [.queued: 38, .done: 12])
    var seen: Set<String> = []
    while true {
        let batch = try reopened.claim(limit: 7)
        if batch.isEmpty { break }
        for item in batch {
            #expect(!done.contains(item.fingerprint))
            #expect(seen.insert(item.fingerprint).inserted)
            try reopened.complete(item.fingerprint)
        }
    }
    #expect(seen.count == 38)
    #expect(try reopened.counts().byState == [.done: 50])
}

/// The claim walks frontier_claim in order and stops at its LIMIT: no temporary B-tree sorting
/// every queued row (the planner chose that before, making each claim cost the queue's length).
@Test func claimUsesTheOrderedIndexWithoutSorting() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("marquee-frontier-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let path = folder.appendingPathComponent("crawl.sqlite").path
    let frontier = try Frontier(path: path)
    #expect(try frontier.enqueue(pages(0..<500), depth: 1) == 500)
    _ = try frontier.claim(limit: 10)
    let plan = try frontier.queryPlan(Frontier.claimQuery, arguments: [Int64.max, 10]).joined(separator: "\n")
    #expect(plan.contains("USING INDEX frontier_claim"), "\(plan)")
    #expect(!plan.contains("TEMP B-TREE"), "\(plan)")
}
