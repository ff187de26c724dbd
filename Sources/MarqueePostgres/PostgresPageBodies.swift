import Foundation
import MarqueeCore
import MarqueeFetch
import PostgresNIO

/// Page bodies in PostgreSQL, where every worker of a shared crawl — and `reparse` on any
/// machine — can read them: one row per distinct body in `page_bodies`, keyed by its SHA-256,
/// gzip-compressed, checked against the digest when read.
public struct PostgresPageBodies: PageBodies {
    /// The database connection pool.
    public let backend: PostgresBackend

    /// Opens the body table in `backend`'s database, creating it as needed.
    public init(backend: PostgresBackend) async throws(MarqueeError) {
        self.backend = backend
        try await backend.migrate(
            component: "page bodies",
            [
                (
                    "v1: page_bodies",
                    [
                        """
                        CREATE TABLE page_bodies (
                            sha256 TEXT PRIMARY KEY, bytes BIGINT NOT NULL, gzip BYTEA NOT NULL,
                            stored_at TIMESTAMPTZ NOT NULL DEFAULT now())
                        """
                    ]
                )
            ])
    }

    /// Stores `body` unless a body with its digest is there; returns the digest and whether it was new.
    @discardableResult
    public func put(_ body: Data) async throws(MarqueeError) -> (sha256: String, isNew: Bool) {
        let digest = Hashing.sha256(body)
        let compressed = Gzip.compress(body)
        let size = body.count
        let logger = backend.logger
        let inserted = try await backend.run("store a page body") { client in
            try await client.query(
                """
                INSERT INTO page_bodies (sha256, bytes, gzip) VALUES (\(digest), \(size), \(compressed))
                ON CONFLICT (sha256) DO NOTHING RETURNING 1
                """, logger: logger
            ).collect().count
        }
        return (digest, inserted == 1)
    }

    /// The body with this digest.
    /// - Throws: `.dataError` when it is missing or does not match its digest.
    public func get(_ sha256: String) async throws(MarqueeError) -> Data {
        let logger = backend.logger
        let stored: Data? = try await backend.run("read a page body") { client in
            let rows = try await client.query("SELECT gzip FROM page_bodies WHERE sha256 = \(sha256)", logger: logger)
            for try await gzip in rows.decode(Data.self) { return gzip }
            return nil
        }
        guard let stored else {
            throw MarqueeError(
                .dataError, "no stored body \(sha256)", location: "\(backend.location) page_bodies",
                hint: "was the page recorded with --pages set to a local folder?")
        }
        let body = try Gzip.decompress(stored)
        guard Hashing.sha256(body) == sha256 else {
            throw MarqueeError(
                .dataError, "stored body \(sha256) does not match its digest", location: "\(backend.location) page_bodies")
        }
        return body
    }

    /// Bodies stored, and their total size uncompressed and compressed.
    public func totals() async throws(MarqueeError) -> (bodies: Int, bytes: Int, compressed: Int) {
        let logger = backend.logger
        return try await backend.run("count page bodies") { client in
            let rows = try await client.query(
                "SELECT COUNT(*), COALESCE(SUM(bytes), 0)::bigint, COALESCE(SUM(length(gzip)), 0)::bigint FROM page_bodies",
                logger: logger)
            for try await (count, bytes, compressed) in rows.decode((Int, Int, Int).self) {
                return (count, bytes, compressed)
            }
            return (0, 0, 0)
        }
    }
}
