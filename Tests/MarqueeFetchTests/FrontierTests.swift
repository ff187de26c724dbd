import Foundation
import MarqueeCore
import Testing

@testable import MarqueeFetch

private func pages(_ range: Range<Int>, host: String = "letterboxd.com") -> [(url: String, canonical: String)] {
    range.map { ("https://\(host)/film/f\($0)/?utm_source=x", "https://\(host)/film/f\($0)/") }
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
