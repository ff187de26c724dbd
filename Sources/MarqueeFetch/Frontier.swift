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
    /// One URL's place in the crawl.
    public struct Item: Sendable, Hashable {
        /// SHA-256 of the canonical URL (hex).
        public var fingerprint: String
        /// The URL.
        public var url: String
        /// Lower-cased host.
        public var host: String
        /// Links followed from the start URLs.
        public var depth: Int
        /// Higher goes first.
        public var priority: Int
        /// Attempts made so far.
        public var attempts: Int
    }

    /// The states an item can be in.
    public enum State: String, Sendable, CaseIterable {
        case queued
        case inFlight = "in_flight"
        case done
        case failed
    }

    private let writer: any DatabaseWriter
    private let clock: any WallClock

    /// Opens (creating as needed) the frontier at `path` and recovers in-flight items.
    public init(path: String, clock: any WallClock = SystemClock()) throws(MarqueeError) {
        self.clock = clock
        do {
            writer = try DatabasePool(path: path)
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
        return migrator
    }

    private var now: Int64 { Microseconds.from(clock.now()) }

    /// Adds URLs not seen before (by canonical fingerprint); returns how many were new.
    /// - Parameter canonical: each URL's canonical form, used for the fingerprint (callers pass
    ///   `Normalize.canonicalURL`'s result); the original URL is kept for fetching.
    public func enqueue(_ urls: [(url: String, canonical: String)], depth: Int, priority: Int = 0) throws(MarqueeError)
        -> Int
    {
        let now = now
        do {
            return try writer.write { db in
                var added = 0
                let insert = try db.makeStatement(
                    sql: """
                        INSERT OR IGNORE INTO frontier (fingerprint, url, host, state, depth, priority, updated_ts_us)
                        VALUES (?, ?, ?, 'queued', ?, ?, ?)
                        """)
                for entry in urls {
                    let host = URLComponents(string: entry.canonical)?.host?.lowercased() ?? ""
                    try insert.execute(arguments: [
                        Hashing.sha256(entry.canonical), entry.url, host, depth, priority, now,
                    ])
                    added += db.changesCount
                }
                return added
            }
        } catch {
            throw MarqueeError(.failure, "cannot enqueue: \(error)")
        }
    }

    /// Hands out up to `limit` queued items whose next-attempt time has come, highest priority and
    /// shallowest first, marking them `in_flight` in the same transaction.
    public func claim(limit: Int) throws(MarqueeError) -> [Item] {
        let now = now
        do {
            return try writer.write { db in
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT fingerprint, url, host, depth, priority, attempts FROM frontier
                        WHERE state = 'queued' AND next_attempt_ts_us <= ?
                        ORDER BY priority DESC, depth, updated_ts_us, fingerprint LIMIT ?
                        """, arguments: [now, limit])
                let items = rows.map {
                    Item(fingerprint: $0[0], url: $0[1], host: $0[2], depth: $0[3], priority: $0[4], attempts: $0[5])
                }
                for item in items {
                    try db.execute(
                        sql:
                            "UPDATE frontier SET state = 'in_flight', attempts = attempts + 1, updated_ts_us = ? WHERE fingerprint = ?",
                        arguments: [now, item.fingerprint])
                }
                return items
            }
        } catch {
            throw MarqueeError(.failure, "cannot claim from the frontier: \(error)")
        }
    }

    /// Marks an item done, keeping its validators for the next conditional GET.
    public func complete(_ fingerprint: String, etag: String? = nil, lastModified: String? = nil) throws(MarqueeError) {
        try update(
            "UPDATE frontier SET state = 'done', etag = ?, last_modified = ?, failure = NULL, updated_ts_us = ? WHERE fingerprint = ?",
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
