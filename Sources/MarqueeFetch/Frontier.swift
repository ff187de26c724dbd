import Foundation
import GRDB
import MarqueeCore

/// The crawl frontier in SQLite: every URL a crawl has seen, keyed by a fingerprint of its
/// canonical form, with its state (`queued`, `in_flight`, `done`, `failed`), depth, priority,
/// next-attempt time and the validators of its last fetch.
///
/// Crash-safe by construction: each transition is one transaction, and ``recover()`` (run on
/// every open) puts `in_flight` items back in the queue. After a `kill -9` at any moment a
/// restart therefore loses nothing, and nothing already `done` is handed out again.
public final class Frontier: Sendable {
    private let writer: any DatabaseWriter
    private let clock: any WallClock

    /// Opens (creating as needed) the frontier at `path` and recovers in-flight items.
    public init(path: String, clock: any WallClock = SystemClock()) throws(MarqueeError) {
        self.clock = clock
        do {
            var configuration = Configuration()
            // WAL with synchronous=NORMAL: a killed process loses no committed transaction (only
            // a power cut can drop the last few), and a commit costs no fsync.
            configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
            writer = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(writer)
        } catch {
            throw MarqueeError(.dataError, "cannot open the frontier: \(error)", location: path)
        }
        _ = try recover()
    }

    /// A frontier in memory, for tests.
    public init(inMemory clock: any WallClock = SystemClock()) throws(MarqueeError) {
        self.clock = clock
        do {
            writer = try DatabaseQueue()
            try Self.migrator.migrate(writer)
        } catch {
            throw MarqueeError(.failure, "cannot create a frontier: \(error)")
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: frontier") { db in
            try db.execute(
                sql: """
                    CREATE TABLE frontier (
                        fingerprint TEXT PRIMARY KEY,
                        url TEXT NOT NULL,
                        host TEXT NOT NULL,
                        state TEXT NOT NULL CHECK (state IN ('queued', 'in_flight', 'done', 'failed')),
                        depth INTEGER NOT NULL,
                        priority INTEGER NOT NULL DEFAULT 0,
                        attempts INTEGER NOT NULL DEFAULT 0,
                        next_attempt_ts_us INTEGER NOT NULL DEFAULT 0,
                        etag TEXT,
                        last_modified TEXT,
                        failure TEXT,
                        updated_ts_us INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    CREATE INDEX frontier_ready ON frontier(state, next_attempt_ts_us, priority);
                    """)
        }
        migrator.registerMigration("v2: pages") { db in
            try db.execute(
                sql: """
                    CREATE TABLE pages (
                        id INTEGER PRIMARY KEY,
                        fingerprint TEXT NOT NULL,
                        url TEXT NOT NULL,
                        final_url TEXT NOT NULL,
                        status INTEGER NOT NULL,
                        content_type TEXT,
                        body_sha256 TEXT NOT NULL,
                        body_bytes INTEGER NOT NULL,
                        fetched_ts_us INTEGER NOT NULL
                    );
                    CREATE INDEX pages_fingerprint ON pages(fingerprint);
                    """)
        }
        migrator.registerMigration("v3: claim order index") { db in
            // Lets claim() walk queued items in its ORDER BY order instead of sorting the queue.
            try db.execute(
                sql: "CREATE INDEX frontier_claim ON frontier(state, priority DESC, depth, updated_ts_us, fingerprint)")
        }
        return migrator
    }

    /// One fetched page's row in `pages` (its body is in a ``PageStore`` under `bodySHA256`).
    public struct PageRecord: Sendable, Hashable {
        /// The URL requested.
        public var url: String
        /// The URL after redirects.
        public var finalURL: String
        /// HTTP status.
        public var status: Int
        /// `Content-Type`, if sent.
        public var contentType: String?
        /// SHA-256 of the body.
        public var bodySHA256: String
        /// Body size in bytes.
        public var bodyBytes: Int
        /// When the page was fetched from the site (for a replayed page, when it was recorded):
        /// the time its facts were true, which `reparse` gives the observations it re-extracts.
        public var fetchedAt: Date

        /// Creates a record.
        public init(
            url: String, finalURL: String, status: Int, contentType: String?, bodySHA256: String, bodyBytes: Int,
            fetchedAt: Date
        ) {
            self.fetchedAt = fetchedAt
            self.url = url
            self.finalURL = finalURL
            self.status = status
            self.contentType = contentType
            self.bodySHA256 = bodySHA256
            self.bodyBytes = bodyBytes
        }
    }

    /// Marks an item done, records its page and queues the links found on it (at `depth + 1`),
    /// all in one transaction: after a crash either all of it happened or none did, so no page
    /// is ever recorded twice and no link is lost. Returns `true` (one process owns a SQLite frontier).
    @discardableResult
    public func complete(
        _ item: Item, page: PageRecord, etag: String?, lastModified: String?,
        links: [Link]
    ) throws(MarqueeError) -> Bool {
        let now = now
        do {
            try writer.write { db in
                try db.cachedStatement(
                    sql: """
                        INSERT INTO pages (fingerprint, url, final_url, status, content_type, body_sha256, body_bytes, fetched_ts_us)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """
                ).execute(arguments: [
                    item.fingerprint, page.url, page.finalURL, page.status, page.contentType, page.bodySHA256,
                    page.bodyBytes, Microseconds.from(page.fetchedAt),
                ])
                try db.cachedStatement(
                    sql:
                        "UPDATE frontier SET state = 'done', etag = ?, last_modified = ?, failure = NULL, updated_ts_us = ? WHERE fingerprint = ?"
                ).execute(arguments: [etag, lastModified, now, item.fingerprint])
                _ = try Self.insert(links, depth: item.depth + 1, priority: 0, now: now, db: db)
            }
            return true
        } catch {
            throw MarqueeError(.failure, "cannot complete \(item.url): \(error)")
        }
    }

    /// Pages recorded, oldest first.
    public func pages() throws(MarqueeError) -> [(fingerprint: String, record: PageRecord)] {
        do {
            return try writer.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM pages ORDER BY id").map { row in
                    (
                        row["fingerprint"],
                        PageRecord(
                            url: row["url"], finalURL: row["final_url"], status: row["status"],
                            contentType: row["content_type"], bodySHA256: row["body_sha256"],
                            bodyBytes: row["body_bytes"],
                            fetchedAt: Microseconds.date(row["fetched_ts_us"]))
                    )
                }
            }
        } catch {
            throw MarqueeError(.failure, "cannot read pages: \(error)")
        }
    }

    /// Number of pages recorded.
    public func pageCount() throws(MarqueeError) -> Int {
        do {
            return try writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM pages") ?? 0 }
        } catch {
            throw MarqueeError(.failure, "cannot count pages: \(error)")
        }
    }

    /// Whether any queued item waits for a later attempt, and the earliest such time (UTC µs).
    public func nextAttempt() throws(MarqueeError) -> Int64? {
        do {
            return try writer.read { db in
                try Int64.fetchOne(db, sql: "SELECT MIN(next_attempt_ts_us) FROM frontier WHERE state = 'queued'")
            }
        } catch {
            throw MarqueeError(.failure, "cannot read the frontier: \(error)")
        }
    }

    private var now: Int64 { Microseconds.from(clock.now()) }

    /// Adds URLs not seen before (by canonical fingerprint); returns how many were new.
    /// - Parameters:
    ///   - urls: each URL with its canonical form, used for the fingerprint (callers pass
    ///     `Normalize.canonicalURL`'s result); the original URL is kept for fetching.
    ///   - depth: links followed from a start URL to reach them (0 for start URLs).
    ///   - priority: higher is fetched sooner among due URLs.
    public func enqueue(_ urls: [(url: String, canonical: String)], depth: Int, priority: Int = 0) throws(MarqueeError)
        -> Int
    {
        let now = now
        let links = urls.map { Link(url: $0.url, canonical: $0.canonical) }
        do {
            return try writer.write { db in try Self.insert(links, depth: depth, priority: priority, now: now, db: db) }
        } catch {
            throw MarqueeError(.failure, "cannot enqueue: \(error)")
        }
    }

    private static func insert(_ urls: [Link], depth: Int, priority: Int, now: Int64, db: Database) throws -> Int {
        var added = 0
        let insert = try db.cachedStatement(
            sql: """
                INSERT OR IGNORE INTO frontier (fingerprint, url, host, state, depth, priority, updated_ts_us)
                VALUES (?, ?, ?, 'queued', ?, ?, ?)
                """)
        for entry in urls {
            try insert.execute(arguments: [entry.fingerprint, entry.url, entry.host, depth, priority, now])
            added += db.changesCount
        }
        return added
    }

    /// The claim's query. `+next_attempt_ts_us` keeps the planner off frontier_ready (with it,
    /// every queued row was sorted on each claim): frontier_claim yields the rows in order and
    /// LIMIT stops early.
    static let claimQuery = """
        SELECT fingerprint, url, host, depth, priority, attempts, etag, last_modified FROM frontier
        WHERE state = 'queued' AND +next_attempt_ts_us <= ?
        ORDER BY priority DESC, depth, updated_ts_us, fingerprint LIMIT ?
        """

    /// The query plan SQLite picks for `sql` (EXPLAIN QUERY PLAN's details, one per step).
    func queryPlan(_ sql: String, arguments: StatementArguments) throws -> [String] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] }
        }
    }

    /// Hands out up to `limit` queued items whose next-attempt time has come, highest priority and
    /// shallowest first, marking them `in_flight` in the same transaction.
    public func claim(limit: Int) throws(MarqueeError) -> [Item] {
        let now = now
        do {
            return try writer.write { db in
                let rows = try Row.fetchAll(db.cachedStatement(sql: Self.claimQuery), arguments: [now, limit])
                let items = rows.map {
                    Item(
                        fingerprint: $0[0], url: $0[1], host: $0[2], depth: $0[3], priority: $0[4], attempts: $0[5],
                        etag: $0[6], lastModified: $0[7])
                }
                let update = try db.cachedStatement(
                    sql:
                        "UPDATE frontier SET state = 'in_flight', attempts = attempts + 1, updated_ts_us = ? WHERE fingerprint = ?"
                )
                for item in items { try update.execute(arguments: [now, item.fingerprint]) }
                return items
            }
        } catch {
            throw MarqueeError(.failure, "cannot claim from the frontier: \(error)")
        }
    }

    /// Marks an item done, keeping its validators for the next conditional GET.
    public func complete(_ fingerprint: String, etag: String? = nil, lastModified: String? = nil) throws(MarqueeError) {
        try update(
            """
            UPDATE frontier SET state = 'done', etag = COALESCE(?, etag), last_modified = COALESCE(?, last_modified),
                failure = NULL, updated_ts_us = ? WHERE fingerprint = ?
            """,
            [etag, lastModified, now, fingerprint])
    }

    /// Puts an item back in the queue to try again after `retryAfter` seconds.
    public func retry(_ fingerprint: String, after seconds: Double, reason: String) throws(MarqueeError) {
        try update(
            "UPDATE frontier SET state = 'queued', next_attempt_ts_us = ?, failure = ?, updated_ts_us = ? WHERE fingerprint = ?",
            [now + Int64(seconds * 1_000_000), reason, now, fingerprint])
    }

    /// Marks an item failed for good, with the reason.
    public func fail(_ fingerprint: String, reason: String) throws(MarqueeError) {
        try update(
            "UPDATE frontier SET state = 'failed', failure = ?, updated_ts_us = ? WHERE fingerprint = ?",
            [reason, now, fingerprint])
    }

    /// Re-queues pages finished more than `seconds` ago, keeping their validators, so the next
    /// crawl asks for them conditionally (a 304 costs no parse). Returns how many.
    @discardableResult
    public func refresh(olderThan seconds: Double) throws(MarqueeError) -> Int {
        let cutoff = now - Int64(seconds * 1_000_000)
        do {
            return try writer.write { db in
                try db.execute(
                    sql:
                        "UPDATE frontier SET state = 'queued', next_attempt_ts_us = 0, attempts = 0 WHERE state = 'done' AND updated_ts_us <= ?",
                    arguments: [cutoff])
                return db.changesCount
            }
        } catch {
            throw MarqueeError(.failure, "cannot refresh the frontier: \(error)")
        }
    }

    /// Puts every `in_flight` item back in the queue (after a crash); returns how many.
    @discardableResult
    public func recover() throws(MarqueeError) -> Int {
        do {
            return try writer.write { db in
                try db.execute(sql: "UPDATE frontier SET state = 'queued' WHERE state = 'in_flight'")
                return db.changesCount
            }
        } catch {
            throw MarqueeError(.failure, "cannot recover the frontier: \(error)")
        }
    }

    /// Items per state, and per host and state.
    public func counts() throws(MarqueeError) -> (
        byState: [State: Int], byHost: [String: [State: Int]], failures: [String: Int]
    ) {
        do {
            return try writer.read { db in
                var byState: [State: Int] = [:]
                var byHost: [String: [State: Int]] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT host, state, COUNT(*) FROM frontier GROUP BY host, state")
                {
                    guard let state = State(rawValue: row[1]) else { continue }
                    let count: Int = row[2]
                    byState[state, default: 0] += count
                    byHost[row[0], default: [:]][state] = count
                }
                var failures: [String: Int] = [:]
                for row in try Row.fetchAll(
                    db, sql: "SELECT failure, COUNT(*) FROM frontier WHERE state = 'failed' GROUP BY failure")
                {
                    failures[row[0] ?? "unknown"] = row[1]
                }
                return (byState, byHost, failures)
            }
        } catch {
            throw MarqueeError(.failure, "cannot count the frontier: \(error)")
        }
    }

    /// The validators of an item's last successful fetch, for `If-None-Match` / `If-Modified-Since`.
    public func validators(_ fingerprint: String) throws(MarqueeError) -> (etag: String?, lastModified: String?) {
        do {
            return try writer.read { db in
                let row = try Row.fetchOne(
                    db, sql: "SELECT etag, last_modified FROM frontier WHERE fingerprint = ?", arguments: [fingerprint])
                return (row?[0], row?[1])
            }
        } catch {
            throw MarqueeError(.failure, "cannot read validators: \(error)")
        }
    }

    private func update(_ sql: String, _ arguments: StatementArguments) throws(MarqueeError) {
        do {
            try writer.write { db in try db.execute(sql: sql, arguments: arguments) }
        } catch {
            throw MarqueeError(.failure, "cannot update the frontier: \(error)")
        }
    }
}
