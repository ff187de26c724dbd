import Foundation
import Logging
import MarqueeCore
import MarqueeFetch
import MarqueePostgres

/// `--frontier`: a SQLite file (one crawl process at a time, guarded by a run lock) or a
/// `postgres://` URL (a frontier shared by any number of worker processes on any machines).
struct FrontierLocation {
    /// What was given (a path, or a URL that may hold a password: print ``shown``).
    let value: String

    /// The flag, else `MARQUEE_FRONTIER` / `marquee.toml`'s `frontier`, else `crawl.sqlite`.
    init(flag: String?) {
        value = flag ?? EffectiveConfig.currentOrDefaults["frontier"]
    }

    /// `value` as given (a command with its own default, as `reparse`'s `scrape.sqlite`).
    init(_ value: String) { self.value = value }

    /// Whether the frontier is shared in PostgreSQL.
    var isShared: Bool { PostgresLocation.isURL(value) }

    /// The value with any password hidden, for output and logs.
    var shown: String { isShared ? PostgresLocation.redacted(value) : value }

    /// An open frontier, with what must live as long as it: the run lock of a SQLite frontier.
    struct Opened {
        var frontier: any CrawlFrontier
        /// Set for a shared frontier: per-worker counts and shared pacing.
        var shared: PostgresFrontier?
        var lock: RunLock?
    }

    /// Opens the frontier for a crawl: a SQLite one under its run lock (an overlapping run exits
    /// 75), a PostgreSQL one as worker `worker` holding claims for `lease` seconds.
    func openForCrawl(worker: String?, lease: Double, logger: Logger) async throws(MarqueeError) -> Opened {
        if isShared {
            let frontier = try await openShared(worker: worker, lease: lease, logger: logger)
            return Opened(frontier: frontier, shared: frontier, lock: nil)
        }
        let parent = URL(fileURLWithPath: value).deletingLastPathComponent()
        try? FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        let lock = try RunLock.acquire(value + ".lock", purpose: "marquee crawl")
        return Opened(frontier: try Frontier(path: value), shared: nil, lock: lock)
    }

    /// Where page bodies go or are read: `--pages DIR` (a local ``PageStore``), `--pages
    /// postgres://…`, or, without the flag, the shared frontier's own database (so every worker
    /// and machine reads them) — a `pages` folder beside a SQLite frontier.
    func pageBodies(flag: String?, opened: Opened, logger: Logger) async throws(MarqueeError) -> any PageBodies {
        if let flag, PostgresLocation.isURL(flag) {
            return try await PostgresPageBodies(
                backend: PostgresBackend(PostgresLocation(url: flag), logger: logger))
        }
        if flag == nil, let shared = opened.shared { return try await PostgresPageBodies(backend: shared.backend) }
        return PageStore(root: URL(fileURLWithPath: flag ?? "pages"))
    }

    /// Opens an existing frontier to read it.
    func openForReading(logger: Logger) async throws(MarqueeError) -> Opened {
        if isShared {
            let frontier = try await openShared(worker: nil, lease: 120, logger: logger)
            return Opened(frontier: frontier, shared: frontier, lock: nil)
        }
        try InputFile.requireDatabase(value, what: "frontier", hint: "run marquee crawl or scrape first")
        return Opened(frontier: try Frontier(path: value), shared: nil, lock: nil)
    }

    private func openShared(worker: String?, lease: Double, logger: Logger) async throws(MarqueeError)
        -> PostgresFrontier
    {
        let location = try PostgresLocation(url: value)
        let backend = try await PostgresBackend(location, logger: logger)
        return try await PostgresFrontier(backend: backend, worker: worker, lease: lease)
    }
}
