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

    /// Takes a free (or expired) slot among `limit` in `frontier_host_slots`, polling while all
    /// are held. A slot is held for the lease at most (on the server's clock), so a dead worker's
    /// slots free themselves.
    public func acquireSlot(host: String, limit: Int) async -> Int? {
        let leaseStep = Int64(lease * 1_000_000)
        let worker = worker
        var pause = 0.002
        while true {
            do {
                let taken: Int? = try await backend.statement("take a request slot of \(host)") { client in
                    let rows = try await client.query(
                        """
                        WITH t AS (SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint AS now),
                        free AS (
                            SELECT s FROM generate_series(0, \(limit) - 1) AS s, t
                            WHERE NOT EXISTS (
                                SELECT 1 FROM frontier_host_slots h
                                WHERE h.host = \(host) AND h.slot = s AND h.until_us >= t.now)
                            ORDER BY random() LIMIT 1)
                        INSERT INTO frontier_host_slots AS h (host, slot, worker, until_us)
                        SELECT \(host), free.s, \(worker), t.now + \(leaseStep) FROM free, t
                        ON CONFLICT (host, slot) DO UPDATE SET worker = EXCLUDED.worker, until_us = EXCLUDED.until_us
                            WHERE h.until_us < EXCLUDED.until_us - \(leaseStep)
                        RETURNING h.slot
                        """, logger: logger)
                    for try await slot in rows.decode(Int.self) { return slot }
                    return nil
                }
                if let taken { return taken }
            } catch {
                logger.warning("cannot count \(host)'s requests through PostgreSQL; this worker counts alone: \(error)")
                return nil
            }
            // All held (or another worker took the free one first): wait a little, longer each time.
            try? await Task.sleep(for: .seconds(pause))
            pause = min(pause * 2, 0.05)
        }
    }

    /// Frees a slot this worker holds.
    public func releaseSlot(host: String, slot: Int) async {
        let worker = worker
        do {
            try await backend.run("free a request slot of \(host)") { client in
                _ = try await client.query(
                    "DELETE FROM frontier_host_slots WHERE host = \(host) AND slot = \(slot) AND worker = \(worker)",
                    logger: logger)
            }
        } catch {
            logger.warning("cannot free a request slot of \(host); it frees itself when its lease ends: \(error)")
        }
    }
}
