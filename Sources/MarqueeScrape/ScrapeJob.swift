import Foundation
import Logging
import MarqueeCore
import MarqueeFetch
import MarqueeNormalize
import MarqueeStore
import Synchronization

/// One scrape of a site: crawl from start URLs through the fetching layer (or a replay),
/// extract each page with the site's spec, follow the spec's link rules, and write the records
/// to JSON Lines or the store. What `marquee scrape` and the pipeline's scrape step run.
public struct ScrapeJob: Sendable {
    /// The site to scrape, as its spec names it (`imdb`, `letterboxd`, …).
    public var site: String
    /// The start URLs (seeds of the crawl).
    public var starts: [String]
    /// Stop once this many pages are recorded in the frontier (all runs together); `nil`: no limit.
    public var maxPages: Int?
    /// Links followed from the start URLs, at most.
    public var depth = 2
    /// Record responses as WARC files in this folder.
    public var warc: URL?
    /// Replay a WARC file, a folder of WARC files, or a fixtures folder instead of the network.
    public var replay: URL?
    /// JSON Lines output; `nil` writes to the store.
    public var output: URL?
    /// The frontier database (SQLite): URLs, states, page records; a rerun resumes from it.
    public var frontier: String
    /// The page store folder (content-addressed bodies).
    public var pages: URL
    /// The `User-Agent` header; robots.txt groups are matched on its first word.
    public var userAgent = "Marquee/\(MarqueeVersion.current)"
    /// Requests per second per host; `nil` uses the site spec's rate.
    public var rate: Double?
    /// Skip robots.txt (only for one's own servers).
    public var ignoreRobots = false
    /// Connect to loopback and private-network addresses (checked on the address connected to).
    public var allowPrivate = false
    /// Polled between fetches; `true` stops at a safe point (default: SIGINT/SIGTERM via `StopRequest`).
    public var shouldStop: @Sendable () -> Bool = { StopRequest.isRequested }
    /// Salt for users' handles in the store (`MARQUEE_USER_SALT`). A run that would store the
    /// user ratings of a site refuses to start without one (exit 78) unless `skipUserRatings`.
    public var salt: String?
    /// Skip user ratings and count them instead of storing them (`--no-user-ratings`).
    public var skipUserRatings = false
    /// Counts pages fetched (recorded, unchanged or failed); its total is ``maxPages`` when set.
    public var progress: ProgressMeter?

    /// A job with the required settings; see the properties for the rest.
    public init(site: String, starts: [String], frontier: String, pages: URL) {
        self.site = site
        self.starts = starts
        self.frontier = frontier
        self.pages = pages
    }

    /// What a scrape did.
    public struct Result: Sendable {
        /// What the crawl fetched, skipped and failed.
        public var crawl: CrawlSummary
        /// What extraction made of the pages: records, rejects and errors by kind.
        public var records: ScrapeSummary
        /// The task was cancelled and the crawl stopped at a safe point.
        public var interrupted = false
        /// The drift monitors' verdict (`nil` for an interrupted run).
        public var review: CoverageReview?
    }

    /// Runs the job. Holds the frontier's lock throughout: an overlapping run fails with exit 75.
    public func run(scrapers: ScraperSet, store: FeatureStore?, logger: Logger) async throws(MarqueeError) -> Result {
        guard let spec = scrapers.site(site) else {
            throw MarqueeError(
                .usage, "unknown site \"\(site)\"", hint: "sites: \(scrapers.sites.map(\.site).joined(separator: ", "))"
            )
        }
        let started = Microseconds.from(Date())
        let toStore = output == nil && store != nil
        try UserSaltPolicy.check(specs: [spec], toStore: toStore, salt: salt, skipUserRatings: skipUserRatings)
        let lock = try RunLock.acquire(frontier + ".lock", purpose: "marquee scrape \(site)")
        defer { withExtendedLifetime(lock) {} }
        var stack = FetcherStack(userAgent: userAgent)
        stack.requestsPerSecond = rate ?? spec.requestsPerSecond
        stack.hostConcurrency = spec.concurrency
        stack.ignoreRobots = ignoreRobots
        stack.allowPrivate = allowPrivate
        stack.allowedHosts = Set(spec.hosts.map { $0.lowercased() })
        stack.replay = replay
        stack.warc = warc
        let fetcher = try stack.make()
        let sink = try RecordSink(
            output: output, store: toStore ? store : nil, salt: skipUserRatings ? nil : salt, scrapers: scrapers)
        defer { sink.close() }
        // Extraction runs on the fetching tasks (all cores); records are written in the order
        // pages are recorded, as before. A fetch is known by its final URL and fetch time.
        let extracted = Mutex<[String: Swift.Result<PageExtraction, MarqueeError>]>([:])
        let siteName = site
        @Sendable func key(_ page: FetchedPage) -> String { "\(page.fetchedAt) \(page.finalURL)" }
        @Sendable func extract(_ page: FetchedPage) -> Swift.Result<PageExtraction, MarqueeError> {
            do throws(MarqueeError) {
                return .success(
                    try scrapers.extract(
                        data: page.body, url: page.finalURL, site: siteName, contentType: page.header("Content-Type")))
            } catch {
                return .failure(error)
            }
        }
        var crawler = Crawler(
            frontier: try Frontier(path: frontier), store: PageStore(root: pages), fetcher: fetcher,
            links: { page in
                let result = extracted.withLock { $0[key(page)] }
                return (try? result?.get())?.links.map(\.url) ?? []
            },
            canonical: { try? Normalize.canonicalURL($0) })
        crawler.onFetched = { page in
            let result = extract(page)
            extracted.withLock { $0[key(page)] = result }
        }
        crawler.onPage = { page in
            let result = extracted.withLock { $0.removeValue(forKey: key(page)) } ?? extract(page)
            do {
                try sink.accept(try result.get(), fetchedAt: page.fetchedAt, sourceHash: Hashing.sha256(page.body))
            } catch {
                sink.count(error: "unrecognised", unrecognised: true)
                logger.warning("\(error)", metadata: ["url": "\(page.finalURL)"])
            }
        }
        var options = CrawlOptions()
        options.concurrency = replay == nil ? max(spec.concurrency, 1) * 2 : 8
        options.maxPages = maxPages
        options.maxDepth = depth
        options.allowPrivate = allowPrivate || replay != nil
        options.allowedHosts = Set(spec.hosts)
        options.shouldStop = shouldStop
        progress?.update(done: 0, total: maxPages)
        let crawl = try await crawler.run(seeds: starts, options: options) { [progress] url, outcome in
            progress?.advance()
            if outcome.hasPrefix("failed: ") { sink.count(error: String(outcome.dropFirst(8))) }
            logger.info("\(outcome)", metadata: ["url": "\(url)"])
        }
        let summary = sink.summary
        let interrupted = shouldStop()
        let review =
            interrupted
            ? nil
            : try CoverageMonitor.review(
                summary.coverage, scrapers: scrapers, store: toStore ? store : nil, command: "scrape \(site)",
                pages: summary.pages, records: summary.records.values.reduce(0, +), started: started)
        return Result(crawl: crawl, records: summary, interrupted: interrupted, review: review)
    }
}
