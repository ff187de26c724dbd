import Foundation
import Logging
import MarqueeCore
import MarqueeFetch
import PostgresNIO

/// A crawl frontier in PostgreSQL that many `marquee crawl` processes, on one machine or many,
/// work at once.
///
/// A worker claims a window of due URLs with `FOR UPDATE SKIP LOCKED` (two workers never get the
/// same URL) and holds each under a lease (its worker id and an expiry). A worker that dies —
/// `kill -9`, a lost machine — leaves its leases to expire, and the next claim by any worker takes
/// those URLs back. Finishing a URL is conditional on still holding its lease, and records the
/// page, the done state and the links found in one transaction, so every page is recorded exactly
/// once. Request pacing and concurrency per host are shared through the `frontier_hosts` and
/// `frontier_host_slots` tables (`HostPacing`), and
/// each origin's robots.txt is fetched once for all workers (`frontier_robots`, `SharedRobots`).
///
/// Times of the queue (retry times, leases) come from each worker's clock, so workers on several
/// machines need their clocks in step (NTP) to well within the lease; pacing uses the server's
/// clock.
public final class PostgresFrontier: CrawlFrontier {
    /// The database connection pool.
    public let backend: PostgresBackend
    /// This process's name in the frontier (`host:pid` unless given).
    public let worker: String
    /// Seconds a claimed URL stays this worker's; after that any worker may take it back.
    public let lease: Double
    private let clock: any WallClock

    /// Opens the frontier in `backend`'s database, creating or upgrading its tables.
    /// - Parameters:
    ///   - backend: the connection pool.
    ///   - worker: this process's id; the default is `HOSTNAME:PID`.
    ///   - lease: seconds a claim is held (longer than the slowest fetch with its retries).
    ///   - clock: the time source (tests pass a `ManualClock`).
    public init(
        backend: PostgresBackend, worker: String? = nil, lease: Double = 120, clock: any WallClock = SystemClock()
    ) async throws(MarqueeError) {
        guard lease > 0 else { throw MarqueeError(.usage, "a lease of \(lease) s is too short", hint: "give seconds > 0") }
        self.backend = backend
        self.worker = worker ?? "\(ProcessInfo.processInfo.hostName):\(getpid())"
        self.lease = lease
        self.clock = clock
        try await backend.migrate(component: "frontier", Self.migrations)
    }

    static let migrations: [(name: String, statements: [String])] = [
        (
            "v1: frontier, pages, hosts",
            [
                """
                CREATE TABLE frontier (
                    fingerprint TEXT PRIMARY KEY,
                    url TEXT NOT NULL,
                    host TEXT NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('queued', 'in_flight', 'done', 'failed')),
                    depth BIGINT NOT NULL,
                    priority BIGINT NOT NULL DEFAULT 0,
                    attempts BIGINT NOT NULL DEFAULT 0,
                    next_attempt_ts_us BIGINT NOT NULL DEFAULT 0,
                    etag TEXT,
                    last_modified TEXT,
                    failure TEXT,
                    updated_ts_us BIGINT NOT NULL,
                    worker TEXT,
                    lease_until_us BIGINT)
                """,
                // The claim walks the queue in its order; leases are found by expiry.
                "CREATE INDEX frontier_queue ON frontier (priority DESC, depth, updated_ts_us, fingerprint) WHERE state = 'queued'",
                "CREATE INDEX frontier_leases ON frontier (lease_until_us) WHERE state = 'in_flight'",
                """
                CREATE TABLE pages (
                    id BIGSERIAL PRIMARY KEY,
                    fingerprint TEXT NOT NULL,
                    url TEXT NOT NULL,
                    final_url TEXT NOT NULL,
                    status BIGINT NOT NULL,
                    content_type TEXT,
                    body_sha256 TEXT NOT NULL,
                    body_bytes BIGINT NOT NULL,
                    fetched_ts_us BIGINT NOT NULL,
                    worker TEXT NOT NULL)
                """,
                "CREATE INDEX pages_fingerprint ON pages (fingerprint)",
                """
                CREATE TABLE frontier_hosts (
                    host TEXT PRIMARY KEY, next_start_us BIGINT NOT NULL, reserved_at_us BIGINT NOT NULL)
                """,
            ]
        ),
        (
            "v2: robots",
            [
                """
                CREATE TABLE frontier_robots (
                    origin TEXT PRIMARY KEY, status BIGINT NOT NULL, body TEXT NOT NULL, failure TEXT,
                    fetched_at TIMESTAMPTZ NOT NULL)
                """
            ]
        ),
        (
            "v3: host slots",
            [
                """
                CREATE TABLE frontier_host_slots (
                    host TEXT NOT NULL, slot BIGINT NOT NULL, worker TEXT NOT NULL, until_us BIGINT NOT NULL,
                    PRIMARY KEY (host, slot))
                """
            ]
        ),
    ]

    private var now: Int64 { Microseconds.from(clock.now()) }
    private var leaseMicroseconds: Int64 { Int64(lease * 1_000_000) }
    var logger: Logger { backend.logger }

    /// Gives this worker's unfinished claims back to the queue.
    @discardableResult
    public func recover() async throws(MarqueeError) -> Int {
        let worker = worker
        return try await backend.run("recover the frontier") { client in
            try await client.query(
                """
                UPDATE frontier SET state = 'queued', worker = NULL, lease_until_us = NULL
                WHERE state = 'in_flight' AND worker = \(worker) RETURNING 1
                """, logger: logger
            ).collect().count
        }
    }

    /// Adds URLs not seen before; returns how many were new.
    public func enqueue(_ urls: [(url: String, canonical: String)], depth: Int, priority: Int = 0)
        async throws(MarqueeError) -> Int
    {
        let links = urls.map { Frontier.Link(url: $0.url, canonical: $0.canonical) }
        let now = now
        return try await backend.transaction("enqueue") { connection in
            try await Self.insert(links, depth: depth, priority: priority, now: now, on: connection, logger: self.logger)
        }
    }

    /// Inserts links in fingerprint order (so concurrent workers lock keys in one order and do not
    /// deadlock); returns how many were new.
    private static func insert(
        _ links: [Frontier.Link], depth: Int, priority: Int, now: Int64, on connection: PostgresConnection,
        logger: Logger
    ) async throws -> Int {
        guard !links.isEmpty else { return 0 }
        let sorted = links.sorted { $0.fingerprint < $1.fingerprint }
        let fingerprints = sorted.map(\.fingerprint)
        let urls = sorted.map(\.url)
        let hosts = sorted.map(\.host)
        return try await connection.query(
            """
            INSERT INTO frontier (fingerprint, url, host, state, depth, priority, updated_ts_us)
            SELECT f, u, h, 'queued', \(depth), \(priority), \(now)
            FROM unnest(\(fingerprints)::text[], \(urls)::text[], \(hosts)::text[]) AS t(f, u, h)
            ON CONFLICT (fingerprint) DO NOTHING RETURNING 1
            """, logger: logger
        ).collect().count
    }

    /// Claims up to `limit` URLs for this worker: first those whose lease ran out (their worker
    /// died or stalled), then due queued ones in priority order — one statement, one round trip.
    public func claim(limit: Int) async throws(MarqueeError) -> [Frontier.Item] {
        let now = now
        let until = now + leaseMicroseconds
        let worker = worker
        return try await backend.statement("claim from the frontier") { client in
            let rows = try await client.query(
                """
                WITH expired AS (
                    SELECT fingerprint, updated_ts_us AS claimed_after FROM frontier
                    WHERE state = 'in_flight' AND lease_until_us < \(now)
                    ORDER BY lease_until_us LIMIT \(limit) FOR UPDATE SKIP LOCKED),
                queued AS (
                    SELECT fingerprint, updated_ts_us AS claimed_after FROM frontier
                    WHERE state = 'queued' AND next_attempt_ts_us <= \(now)
                    ORDER BY priority DESC, depth, updated_ts_us, fingerprint
                    LIMIT \(limit) FOR UPDATE SKIP LOCKED),
                due AS (SELECT * FROM expired UNION ALL SELECT * FROM queued LIMIT \(limit))
                UPDATE frontier f SET state = 'in_flight', attempts = f.attempts + 1, updated_ts_us = \(now),
                    worker = \(worker), lease_until_us = \(until),
                    failure = CASE WHEN f.state = 'in_flight' THEN 'lease of ' || f.worker || ' expired' ELSE f.failure END
                FROM due WHERE f.fingerprint = due.fingerprint
                RETURNING f.fingerprint, f.url, f.host, f.depth, f.priority, f.attempts - 1, f.etag,
                    f.last_modified, due.claimed_after
                """, logger: self.logger)
            var claimed: [(item: Frontier.Item, after: Int64)] = []
            for try await (fingerprint, url, host, depth, priority, attempts, etag, lastModified, after) in rows.decode(
                (String, String, String, Int, Int, Int, String?, String?, Int64).self)
            {
                claimed.append(
                    (
                        Frontier.Item(
                            fingerprint: fingerprint, url: url, host: host, depth: depth, priority: priority,
                            attempts: attempts, etag: etag, lastModified: lastModified), after
                    ))
            }
            // RETURNING has no order: restore the claim's.
            return claimed.sorted { a, b in
                (-a.item.priority, a.item.depth, a.after, a.item.fingerprint)
                    < (-b.item.priority, b.item.depth, b.after, b.item.fingerprint)
            }.map(\.item)
        }
    }

    /// Records the page, marks the item done and queues its links, if this worker still holds
    /// the item's lease; returns whether it did. One statement (atomic by itself), one round trip.
    @discardableResult
    public func complete(
        _ item: Frontier.Item, page: Frontier.PageRecord, etag: String?, lastModified: String?,
        links: [Frontier.Link]
    ) async throws(MarqueeError) -> Bool {
        let now = now
        let worker = worker
        let fetched = Microseconds.from(page.fetchedAt)
        // Links in fingerprint order, so concurrent workers lock keys in one order (no deadlocks).
        let sorted = links.sorted { $0.fingerprint < $1.fingerprint }
        let (fingerprints, urls, hosts) = (sorted.map(\.fingerprint), sorted.map(\.url), sorted.map(\.host))
        let depth = item.depth + 1
        return try await backend.statement("complete \(item.url)") { client in
            let rows = try await client.query(
                """
                WITH owned AS (
                    UPDATE frontier SET state = 'done', etag = \(etag), last_modified = \(lastModified),
                        failure = NULL, updated_ts_us = \(now), lease_until_us = NULL
                    WHERE fingerprint = \(item.fingerprint) AND state = 'in_flight' AND worker = \(worker)
                    RETURNING 1),
                page AS (
                    INSERT INTO pages (fingerprint, url, final_url, status, content_type, body_sha256, body_bytes,
                        fetched_ts_us, worker)
                    SELECT \(item.fingerprint), \(page.url), \(page.finalURL), \(page.status), \(page.contentType),
                        \(page.bodySHA256), \(page.bodyBytes), \(fetched), \(worker) FROM owned),
                found AS (
                    INSERT INTO frontier (fingerprint, url, host, state, depth, priority, updated_ts_us)
                    SELECT f, u, h, 'queued', \(depth), 0, \(now)
                    FROM unnest(\(fingerprints)::text[], \(urls)::text[], \(hosts)::text[]) WITH ORDINALITY AS t(f, u, h, n)
                    WHERE EXISTS (SELECT 1 FROM owned)
                    ORDER BY n
                    ON CONFLICT (fingerprint) DO NOTHING)
                SELECT COUNT(*) FROM owned
                """, logger: self.logger)
            for try await owned in rows.decode(Int.self) { return owned == 1 }
            return false
        }
    }

    /// Marks an item done without a new page (a 304), keeping its validators.
    public func complete(_ fingerprint: String, etag: String? = nil, lastModified: String? = nil)
        async throws(MarqueeError)
    {
        try await update(
            "finish \(fingerprint)",
            """
            UPDATE frontier SET state = 'done', etag = COALESCE(\(etag), etag),
                last_modified = COALESCE(\(lastModified), last_modified), failure = NULL,
                updated_ts_us = \(now), lease_until_us = NULL
            WHERE fingerprint = \(fingerprint) AND state = 'in_flight' AND worker = \(worker)
            """)
    }

    /// Puts an item back in the queue to try again after `seconds`.
    public func retry(_ fingerprint: String, after seconds: Double, reason: String) async throws(MarqueeError) {
        let now = now
        try await update(
            "retry \(fingerprint)",
            """
            UPDATE frontier SET state = 'queued', next_attempt_ts_us = \(now + Int64(seconds * 1_000_000)),
                failure = \(reason), updated_ts_us = \(now), worker = NULL, lease_until_us = NULL
            WHERE fingerprint = \(fingerprint) AND state = 'in_flight' AND worker = \(worker)
            """)
    }

    /// Marks an item failed for good, with the reason.
    public func fail(_ fingerprint: String, reason: String) async throws(MarqueeError) {
        try await update(
            "fail \(fingerprint)",
            """
            UPDATE frontier SET state = 'failed', failure = \(reason), updated_ts_us = \(now), lease_until_us = NULL
            WHERE fingerprint = \(fingerprint) AND state = 'in_flight' AND worker = \(worker)
            """)
    }

    private func update(_ what: String, _ query: PostgresQuery) async throws(MarqueeError) {
        try await backend.run(what) { client in _ = try await client.query(query, logger: logger) }
    }

    /// Re-queues pages finished more than `seconds` ago; returns how many.
    @discardableResult
    public func refresh(olderThan seconds: Double) async throws(MarqueeError) -> Int {
        let cutoff = now - Int64(seconds * 1_000_000)
        return try await backend.run("refresh the frontier") { client in
            try await client.query(
                """
                UPDATE frontier SET state = 'queued', next_attempt_ts_us = 0, attempts = 0, worker = NULL
                WHERE state = 'done' AND updated_ts_us <= \(cutoff) RETURNING 1
                """, logger: logger
            ).collect().count
        }
    }

    /// The earliest time a queued item is due or another worker's lease runs out: a worker with
    /// nothing to do waits while others may still find links or die and leave work behind.
    public func nextAttempt() async throws(MarqueeError) -> Int64? {
        let worker = worker
        return try await backend.run("read the frontier") { client in
            let rows = try await client.query(
                """
                SELECT LEAST(
                    (SELECT MIN(next_attempt_ts_us) FROM frontier WHERE state = 'queued'),
                    (SELECT MIN(lease_until_us) FROM frontier WHERE state = 'in_flight' AND worker <> \(worker)))
                """, logger: logger)
            for try await value in rows.decode(Int64?.self) { return value }
            return nil
        }
    }

    /// Items per state, per host and state, and failures per reason.
    public func counts() async throws(MarqueeError) -> (
        byState: [Frontier.State: Int], byHost: [String: [Frontier.State: Int]], failures: [String: Int]
    ) {
        try await backend.run("count the frontier") { client in
            var byState: [Frontier.State: Int] = [:]
            var byHost: [String: [Frontier.State: Int]] = [:]
            let rows = try await client.query(
                "SELECT host, state, COUNT(*) FROM frontier GROUP BY host, state", logger: logger)
            for try await (host, name, count) in rows.decode((String, String, Int).self) {
                guard let state = Frontier.State(rawValue: name) else { continue }
                byState[state, default: 0] += count
                byHost[host, default: [:]][state] = count
            }
            var failures: [String: Int] = [:]
            let failed = try await client.query(
                "SELECT failure, COUNT(*) FROM frontier WHERE state = 'failed' GROUP BY failure", logger: logger)
            for try await (reason, count) in failed.decode((String?, Int).self) { failures[reason ?? "unknown"] = count }
            return (byState, byHost, failures)
        }
    }

    /// Per worker: URLs it holds now (`in_flight`), finished (`done`) and failed for good.
    public func workerCounts() async throws(MarqueeError) -> [String: [Frontier.State: Int]] {
        try await backend.run("count the workers") { client in
            var counts: [String: [Frontier.State: Int]] = [:]
            let rows = try await client.query(
                "SELECT worker, state, COUNT(*) FROM frontier WHERE worker IS NOT NULL GROUP BY worker, state",
                logger: logger)
            for try await (worker, name, count) in rows.decode((String, String, Int).self) {
                if let state = Frontier.State(rawValue: name) { counts[worker, default: [:]][state] = count }
            }
            return counts
        }
    }

    /// Number of pages recorded.
    public func pageCount() async throws(MarqueeError) -> Int {
        try await backend.run("count the pages") { client in
            for try await count in try await client.query("SELECT COUNT(*) FROM pages", logger: logger).decode(Int.self) {
                return count
            }
            return 0
        }
    }

    /// Pages recorded, oldest first.
    public func pages() async throws(MarqueeError) -> [(fingerprint: String, record: Frontier.PageRecord)] {
        try await backend.run("read the pages") { client in
            let rows = try await client.query(
                """
                SELECT fingerprint, url, final_url, status, content_type, body_sha256, body_bytes, fetched_ts_us
                FROM pages ORDER BY id
                """, logger: logger)
            var pages: [(fingerprint: String, record: Frontier.PageRecord)] = []
            for try await (fingerprint, url, finalURL, status, contentType, sha, bytes, fetched) in rows.decode(
                (String, String, String, Int, String?, String, Int, Int64).self)
            {
                pages.append(
                    (
                        fingerprint,
                        Frontier.PageRecord(
                            url: url, finalURL: finalURL, status: status, contentType: contentType, bodySHA256: sha,
                            bodyBytes: bytes, fetchedAt: Microseconds.date(fetched))
                    ))
            }
            return pages
        }
    }
}
