import Foundation
import MarqueeCore

/// What a crawl needs from its frontier, whichever database holds it: ``Frontier`` (SQLite, one
/// machine) or a shared one in PostgreSQL that many crawl processes on many machines work at once
/// (`MarqueePostgres`).
///
/// A shared frontier hands each URL to one worker at a time under a lease; a worker that lost its
/// lease (it stalled longer than the lease and another worker took the URL over) is told so by
/// ``complete(_:page:etag:lastModified:links:)`` returning `false`, and its result is dropped, so
/// every page is recorded exactly once.
public protocol CrawlFrontier: Sendable {
    /// Puts back in the queue what this process claimed and has not finished (after a stop, or
    /// items claimed ahead that the page limit left unstarted); returns how many.
    @discardableResult
    func recover() async throws(MarqueeError) -> Int

    /// Adds URLs not seen before (by canonical fingerprint); returns how many were new.
    func enqueue(_ urls: [(url: String, canonical: String)], depth: Int, priority: Int) async throws(MarqueeError)
        -> Int

    /// Hands out up to `limit` due items, highest priority and shallowest first, marked `in_flight`.
    func claim(limit: Int) async throws(MarqueeError) -> [Frontier.Item]

    /// Marks a claimed item done, records its page and queues its links, in one transaction.
    /// Returns `false` (and changes nothing) when the item is no longer this process's to finish.
    @discardableResult
    func complete(
        _ item: Frontier.Item, page: Frontier.PageRecord, etag: String?, lastModified: String?,
        links: [Frontier.Link]
    ) async throws(MarqueeError) -> Bool

    /// Marks an item done without a new page (a 304), keeping its validators.
    func complete(_ fingerprint: String, etag: String?, lastModified: String?) async throws(MarqueeError)

    /// Puts an item back in the queue to try again after `seconds`.
    func retry(_ fingerprint: String, after seconds: Double, reason: String) async throws(MarqueeError)

    /// Marks an item failed for good, with the reason.
    func fail(_ fingerprint: String, reason: String) async throws(MarqueeError)

    /// Re-queues pages finished more than `seconds` ago, for a conditional refetch; returns how many.
    @discardableResult
    func refresh(olderThan seconds: Double) async throws(MarqueeError) -> Int

    /// The earliest time (UTC µs) a queued item may be tried, or `nil` when nothing is queued.
    func nextAttempt() async throws(MarqueeError) -> Int64?

    /// Items per state, per host and state, and failures per reason.
    func counts() async throws(MarqueeError) -> (
        byState: [Frontier.State: Int], byHost: [String: [Frontier.State: Int]], failures: [String: Int]
    )

    /// Number of pages recorded.
    func pageCount() async throws(MarqueeError) -> Int

    /// Pages recorded, oldest first.
    func pages() async throws(MarqueeError) -> [(fingerprint: String, record: Frontier.PageRecord)]
}

extension Frontier: CrawlFrontier {}

/// Where a crawl keeps page bodies, content-addressed by SHA-256: ``PageStore`` (pack files in a
/// local folder) or a store every worker of a shared crawl can read (`MarqueePostgres`).
///
/// A body is stored before its page record commits, so a recorded page always has its body.
public protocol PageBodies: Sendable {
    /// Stores `body` (if not already there); returns its SHA-256 and whether it was new.
    @discardableResult
    func put(_ body: Data) async throws(MarqueeError) -> (sha256: String, isNew: Bool)

    /// The body with this digest, checked against it.
    func get(_ sha256: String) async throws(MarqueeError) -> Data
}

extension PageStore: PageBodies {}
