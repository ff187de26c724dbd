import Foundation
import MarqueeCore
import MarqueeFetch
import PostgresNIO

extension PostgresFrontier: HostPacing {
    /// Reserves the next request start for `host` in `frontier_hosts`, on the server's clock:
    /// at least `interval` after the previous reservation by any worker.
    public func reserve(host: String, interval: Double) async -> Double? {
        let step = Int64(interval * 1_000_000)
        do {
            return try await backend.run("pace \(host)") { client in
                let rows = try await client.query(
                    """
                    WITH t AS (SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint AS now)
                    INSERT INTO frontier_hosts AS h (host, next_start_us, reserved_at_us)
                    SELECT \(host), t.now + \(step), t.now FROM t
                    ON CONFLICT (host) DO UPDATE
                        SET next_start_us = GREATEST(h.next_start_us, EXCLUDED.reserved_at_us) + \(step),
                            reserved_at_us = EXCLUDED.reserved_at_us
                    RETURNING h.next_start_us - \(step) - h.reserved_at_us
                    """, logger: logger)
                for try await wait in rows.decode(Int64.self) { return Double(max(0, wait)) / 1_000_000 }
                return 0
            }
        } catch {
            logger.warning("cannot pace \(host) through PostgreSQL; pacing this worker alone: \(error)")
            return nil
        }
    }
}
