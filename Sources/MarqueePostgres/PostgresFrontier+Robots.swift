import Foundation
import MarqueeCore
import MarqueeFetch
import PostgresNIO

extension PostgresFrontier: SharedRobots {
    /// The origin's robots.txt from `frontier_robots` while fresh; otherwise fetched by this
    /// worker under a per-origin advisory lock (the others wait for it and then read its copy),
    /// so each origin's file is fetched once for all workers. Ages are on the server's clock.
    public func robots(
        origin: String, maxAge: Double, retryUnreachableAfter: Double,
        fetch: @escaping @Sendable () async -> RobotsRecord
    ) async -> RobotsRecord? {
        let logger = backend.logger
        do {
            return try await backend.transaction("share the robots.txt of \(origin)") { connection in
                let lock = "robots.txt " + origin
                try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\(lock)))", logger: logger)
                let rows = try await connection.query(
                    """
                    SELECT status, body, failure, extract(epoch FROM clock_timestamp() - fetched_at)::float8
                    FROM frontier_robots WHERE origin = \(origin)
                    """, logger: logger)
                for try await (status, body, failure, age) in rows.decode((Int, String, String?, Double).self) {
                    let answered = failure == nil && (200..<500).contains(status)
                    if age <= (answered ? maxAge : retryUnreachableAfter) {
                        return RobotsRecord(status: status, body: body, failure: failure, age: max(0, age))
                    }
                }
                let fresh = await fetch()
                try await connection.query(
                    """
                    INSERT INTO frontier_robots (origin, status, body, failure, fetched_at)
                    VALUES (\(origin), \(fresh.status), \(fresh.body), \(fresh.failure), clock_timestamp())
                    ON CONFLICT (origin) DO UPDATE SET status = EXCLUDED.status, body = EXCLUDED.body,
                        failure = EXCLUDED.failure, fetched_at = EXCLUDED.fetched_at
                    """, logger: logger)
                return fresh
            }
        } catch {
            logger.warning("cannot share the robots.txt of \(origin) through PostgreSQL; this worker reads it alone: \(error)")
            return nil
        }
    }
}
