import CCurl
import Foundation
import MarqueeCore

/// How far and how fast a crawl goes.
public struct CrawlOptions: Sendable {
    /// Fetches in flight at once.
    public var concurrency = 8
    /// Stop once this many pages are recorded in the frontier's store (all runs together).
    public var maxPages: Int?
    /// Links followed from the start URLs, at most.
    public var maxDepth = 3
    /// Hosts whose links are followed; empty: the start URLs' hosts.
    public var allowedHosts: Set<String> = []
    /// Polled between fetches: `true` stops claiming new URLs; what is in flight is finished and recorded.
    public var shouldStop: @Sendable () -> Bool = { false }
    /// Allow loopback and private-network addresses (tests, intranets). Off by default.
    public var allowPrivate = false

    /// The defaults.
    public init() {}
}

/// What one run of a crawl did.
public struct CrawlSummary: Sendable, Hashable, Codable {
    /// Pages fetched and recorded.
    public var recorded = 0
    /// Items failed for good (HTTP errors after retries, transport errors, robots).
    public var failed = 0
    /// New URLs queued from links.
    public var queued = 0
    /// Items re-queued because a previous run stopped while fetching them.
    public var recovered = 0
    /// Refetches answered 304 Not Modified (no new record, no parse).
    public var unchanged = 0
    /// Seconds the run took.
    public var seconds = 0.0
}

/// The crawl loop: claim from the ``Frontier``, fetch through any ``PageFetcher`` (the polite
/// one in production), store bodies in a ``PageStore``, record the page, mark it done and queue
/// its links in one transaction. Killed at any moment, a restart re-queues what was in flight
/// and records every page exactly once.
public struct Crawler: Sendable {
    /// The frontier (and page records): SQLite's ``Frontier`` or a shared one.
    public let frontier: any CrawlFrontier
    /// Where bodies go: a local ``PageStore`` or a shared one.
    public let store: any PageBodies
    /// How pages are fetched.
    public let fetcher: any PageFetcher
    /// Absolute link URLs found in a page (HTML pages only are asked).
    public let links: @Sendable (FetchedPage) -> [String]
    /// A URL's canonical form (the frontier's key), or nil when it is not crawlable.
    public let canonical: @Sendable (String) -> String?
    /// Called with every recorded HTML page before it is marked done (and so at least once per
    /// page, again after a kill), one page at a time in the order pages are recorded: what
    /// `scrape` writes records with.
    public var onPage: (@Sendable (FetchedPage) -> Void)?
    /// Called with every successful (2xx) HTML page on the task that fetched it, before ``links``
    /// is asked — so for pages fetched at once, concurrently, on all cores: where `scrape` parses
    /// and extracts (CPU work), leaving ``onPage`` only the ordered writing.
    public var onFetched: (@Sendable (FetchedPage) -> Void)?

    /// Assembles a crawler.
    public init(
        frontier: any CrawlFrontier, store: any PageBodies, fetcher: any PageFetcher,
        links: @escaping @Sendable (FetchedPage) -> [String], canonical: @escaping @Sendable (String) -> String?
    ) {
        self.frontier = frontier
        self.store = store
        self.fetcher = fetcher
        self.links = links
        self.canonical = canonical
    }

    /// Crawls from `seeds` (already-seen seeds are not queued again) until nothing is left, the
    /// page limit is reached, or the task is cancelled.
    /// - Throws: `MarqueeError` when a seed is not crawlable or the frontier cannot be written.
    public func run(
        seeds: [String], options: CrawlOptions, progress: (@Sendable (String, String) -> Void)? = nil
    ) async throws(MarqueeError) -> CrawlSummary {
        let started = Date()
        var summary = CrawlSummary()
        summary.recovered = try await frontier.recover()
        var hosts = options.allowedHosts
        var seedEntries: [(url: String, canonical: String)] = []
        for seed in seeds {
            guard let key = canonical(seed), let host = URLComponents(string: key)?.host?.lowercased() else {
                throw MarqueeError(.usage, "cannot crawl \(seed)", hint: "give absolute http(s) URLs")
            }
            guard options.allowPrivate || !Self.isPrivate(host: host) else {
                throw MarqueeError(
                    .usage, "\(seed) is a loopback or private address", hint: "pass --allow-private to crawl it")
            }
            if options.allowedHosts.isEmpty { hosts.insert(host) }
            seedEntries.append((seed, key))
        }
        _ = try await frontier.enqueue(seedEntries, depth: 0, priority: 0)
        var recorded = try await frontier.counts().byState[.done] ?? 0
        func limitReached() -> Bool { options.maxPages.map { recorded >= $0 } ?? false }

        while !limitReached(), !Task.isCancelled, !options.shouldStop() {
            var failure: MarqueeError?
            await withTaskGroup(of: Fetched.self) { group in
                var inFlight = 0
                var claimed: [Frontier.Item] = []  // claimed ahead (in_flight in the frontier), not started
                func fill() async throws(MarqueeError) {
                    var room = options.concurrency - inFlight
                    if let max = options.maxPages { room = min(room, max - recorded - inFlight) }
                    guard room > 0 else { return }
                    if claimed.isEmpty {
                        // One transaction claims a whole window; a kill re-queues what was claimed.
                        var limit = options.concurrency
                        if let max = options.maxPages { limit = min(limit, max - recorded - inFlight) }
                        claimed = try await frontier.claim(limit: limit).reversed()
                    }
                    while room > 0, let item = claimed.popLast() {
                        room -= 1
                        inFlight += 1
                        var conditional: [(name: String, value: String)] = []
                        if let etag = item.etag { conditional.append(("If-None-Match", etag)) }
                        if let modified = item.lastModified { conditional.append(("If-Modified-Since", modified)) }
                        group.addTask { [conditional] in
                            do {
                                let page = try await RequestHeaders.$extra.withValue(conditional) {
                                    try await fetcher.fetch(item.url)
                                }
                                return await prepare(item, page, options: options)
                            } catch let error as FetchError {
                                return Fetched(item: item, result: .failure(error))
                            } catch {
                                return Fetched(
                                    item: item,
                                    result: .failure(FetchError(kind: .transport, url: item.url, message: "\(error)")))
                            }
                        }
                    }
                }
                do {
                    try await fill()
                    while let fetched = await group.next() {
                        inFlight -= 1
                        let item = fetched.item
                        let outcome = try await handle(fetched, options: options, hosts: hosts, summary: &summary)
                        if outcome == "recorded" { recorded += 1 }
                        progress?(item.url, outcome)
                        if !Task.isCancelled, !options.shouldStop() { try await fill() }
                    }
                } catch {
                    failure = error as? MarqueeError ?? MarqueeError(.failure, "\(error)")
                    group.cancelAll()
                }
            }
            if let failure { throw failure }
            // Nothing in flight: done, unless retries wait for a later time.
            guard !limitReached(), let next = try await frontier.nextAttempt() else { break }
            let wait = Double(next - Microseconds.from(Date())) / 1_000_000
            if wait > 0 { try? await Task.sleep(for: .seconds(min(wait, 1))) }
        }
        // Items claimed ahead but never started (the page limit came first) go back to the queue.
        try await frontier.recover()
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }

    /// A fetch's outcome, with what was done on the fetching task: the body stored (a successful
    /// page) and the page's links read and canonicalised.
    struct Fetched: Sendable {
        var item: Frontier.Item
        var result: Result<FetchedPage, FetchError>
        var stored: Result<String, MarqueeError>?
        var links: [Frontier.Link] = []
    }

    /// On the fetching task, so that hashing, compressing, parsing and canonicalising run on as
    /// many cores as pages in flight: a successful page's body is stored (before its record is
    /// committed, so a recorded page always has its body), an HTML page goes to ``onFetched`` and
    /// has its links read when its depth allows following them.
    private func prepare(_ item: Frontier.Item, _ page: FetchedPage, options: CrawlOptions) async -> Fetched {
        var fetched = Fetched(item: item, result: .success(page))
        guard (200..<300).contains(page.status) else { return fetched }
        do throws(MarqueeError) {
            fetched.stored = .success(try await store.put(page.body).sha256)
        } catch {
            fetched.stored = .failure(error)
        }
        guard Self.isHTML(page) else { return fetched }
        onFetched?(page)
        if item.depth < options.maxDepth {
            var seen = Set<String>()
            for link in links(page) {
                guard let key = canonical(link), seen.insert(key).inserted else { continue }
                fetched.links.append(Frontier.Link(url: link, canonical: key))
            }
        }
        return fetched
    }

    /// Whether a page is HTML by its `Content-Type` (a page without one is taken as HTML).
    private static func isHTML(_ page: FetchedPage) -> Bool {
        page.header("Content-Type").map { $0.lowercased().contains("html") } ?? true
    }

    /// Records one fetch's outcome; returns `recorded`, `failed: reason`, `unchanged` or
    /// `lease lost` (a shared frontier gave the URL to another worker meanwhile; nothing recorded).
    private func handle(
        _ fetched: Fetched, options: CrawlOptions, hosts: Set<String>, summary: inout CrawlSummary
    ) async throws(MarqueeError) -> String {
        let item = fetched.item
        let page: FetchedPage
        switch fetched.result {
        case .failure(let error):
            try await frontier.fail(item.fingerprint, reason: error.kind.rawValue)
            summary.failed += 1
            return "failed: \(error.kind.rawValue)"
        case .success(let fetched): page = fetched
        }
        if page.status == 304 {
            try await frontier.complete(
                item.fingerprint, etag: page.header("ETag"), lastModified: page.header("Last-Modified"))
            summary.unchanged += 1
            return "unchanged"
        }
        guard (200..<300).contains(page.status) else {
            try await frontier.fail(item.fingerprint, reason: "http-\(page.status)")
            summary.failed += 1
            return "failed: http-\(page.status)"
        }
        let digest: String
        switch fetched.stored {
        case .success(let stored): digest = stored
        case .failure(let error): throw error
        case nil: digest = try await store.put(page.body).sha256
        }
        let contentType = page.header("Content-Type")
        if let onPage, Self.isHTML(page) { onPage(page) }
        // `prepare` read links only from HTML pages whose depth allows following them.
        let found = fetched.links.filter { link in
            hosts.contains(link.host) && (options.allowPrivate || !Self.isPrivate(host: link.host))
        }
        let recorded = try await frontier.complete(
            item,
            page: Frontier.PageRecord(
                url: item.url, finalURL: page.finalURL, status: page.status, contentType: contentType,
                bodySHA256: digest, bodyBytes: page.body.count, fetchedAt: page.fetchedAt),
            etag: page.header("ETag"), lastModified: page.header("Last-Modified"), links: found)
        guard recorded else { return "lease lost" }
        summary.recorded += 1
        summary.queued += found.count
        return "recorded"
    }

    /// Whether `host` is `localhost` or a numeric address (in any spelling a resolver accepts:
    /// `127.1`, `2130706433`, `[::ffff:127.0.0.1]`) that is loopback, private, link-local or
    /// otherwise not public. A name is not private by itself — `fc2.com` is a public site — and
    /// what it resolves to is checked when the connection opens (``HTTPClientConfiguration/allowPrivateAddresses``).
    public static func isPrivate(host: String) -> Bool {
        let host = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if host == "localhost" || host.hasSuffix(".localhost") { return true }
        return marquee_literal_is_private(host) != 0
    }
}
