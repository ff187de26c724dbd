import Foundation
import Logging
import MarqueeCore
import MarqueeFetch
import MarqueeStore

/// Re-extracts records from the pages a crawl or scrape stored (its frontier and page store)
/// with the current specs, on every core, into the store or JSON Lines — what `marquee reparse`
/// and a pipeline after a spec change run. Nothing is fetched. Each record keeps its page's
/// fetch time as its event time, so reparsing unchanged pages with unchanged specs stores
/// nothing new. The drift monitors review the fill rates as after a scrape.
public struct ReparseJob: Sendable {
    /// The frontier database holding the page records.
    public var frontier: String
    /// The page store folder holding the bodies.
    public var pages: URL
    /// Only pages of this site (`nil`: every site a spec recognises).
    public var site: String?
    /// JSON Lines output; `nil` writes to the store.
    public var output: URL?
    /// Pages extracted at once; records are written in page order either way.
    public var jobs = ProcessInfo.processInfo.activeProcessorCount
    /// Salt for users' handles in the store (`MARQUEE_USER_SALT`); required when user ratings
    /// would be stored, unless ``skipUserRatings``.
    public var salt: String?
    /// Skip user ratings and count them instead.
    public var skipUserRatings = false
    /// Counts pages extracted; its total is the number of pages to reparse.
    public var progress: ProgressMeter?

    /// A job over the pages recorded in `frontier` with bodies under `pages`.
    public init(frontier: String, pages: URL) {
        self.frontier = frontier
        self.pages = pages
    }

    /// What a reparse did.
    public struct Result: Sendable {
        /// Pages, records, rejects and errors counted.
        public var records: ScrapeSummary
        /// The drift monitors' verdict.
        public var review: CoverageReview
    }

    /// Runs the job, writing into `store` unless ``output`` is set.
    /// - Throws: `MarqueeError` `.noInput` for a missing frontier, `.configuration` (78) when a
    ///   salt is needed, `.dataError` for an unreadable body; a drift alarm is in the result's
    ///   review (``CoverageReview/error``), not thrown.
    public func run(scrapers: ScraperSet, store: FeatureStore?, logger: Logger) throws(MarqueeError) -> Result {
        try InputFile.requireDatabase(frontier, what: "frontier", hint: "run marquee scrape first")
        let pageStore = PageStore(root: pages)
        let session = try Session(
            job: self, records: try Frontier(path: frontier).pages().map(\.1), scrapers: scrapers, store: store)
        defer { session.sink.close() }
        try session.extract(0..<session.records.count, logger: logger) { record throws(MarqueeError) in
            try pageStore.get(record.bodySHA256)
        }
        return try session.finish()
    }

    /// Runs the job over page records and bodies kept elsewhere — a crawl frontier and body store
    /// that several machines share — reading the bodies of `chunk` pages at a time (four at once)
    /// while extraction still runs on every core. ``frontier`` and ``pages`` are not read.
    /// - Throws: as ``run(scrapers:store:logger:)``.
    public func run(
        records: [Frontier.PageRecord], bodies: any PageBodies, chunk: Int = 256, scrapers: ScraperSet,
        store: FeatureStore?, logger: Logger
    ) async throws(MarqueeError) -> Result {
        let session = try Session(job: self, records: records, scrapers: scrapers, store: store)
        defer { session.sink.close() }
        var start = 0
        while start < session.records.count {
            let range = start..<min(start + max(1, chunk), session.records.count)
            let loaded = try await Self.read(Array(session.records[range]), from: bodies)
            try session.extract(range, logger: logger) { record throws(MarqueeError) in
                guard let body = loaded[record.bodySHA256] else {
                    throw MarqueeError(.dataError, "no stored body \(record.bodySHA256) for \(record.finalURL)")
                }
                return body
            }
            start = range.upperBound
        }
        return try session.finish()
    }

    /// The distinct bodies of `records`, four reads at a time.
    private static func read(_ records: [Frontier.PageRecord], from bodies: any PageBodies) async throws(MarqueeError)
        -> [String: Data]
    {
        let digests = Array(Set(records.map(\.bodySHA256)))
        var loaded: [String: Data] = [:]
        var failure: MarqueeError?
        await withTaskGroup(of: (String, Swift.Result<Data, MarqueeError>).self) { group in
            var next = 0
            func start() {
                guard next < digests.count else { return }
                let digest = digests[next]
                next += 1
                group.addTask {
                    do throws(MarqueeError) { return (digest, .success(try await bodies.get(digest))) } catch {
                        return (digest, .failure(error))
                    }
                }
            }
            for _ in 0..<4 { start() }
            while let (digest, result) = await group.next() {
                switch result {
                case .success(let body): loaded[digest] = body
                case .failure(let error): failure = failure ?? error
                }
                start()
            }
        }
        if let failure { throw failure }
        return loaded
    }

    /// One run's state: the records to extract (filtered by site), the sink, the start time.
    private final class Session {
        let job: ReparseJob
        let records: [Frontier.PageRecord]
        let scrapers: ScraperSet
        let store: FeatureStore?
        let sink: RecordSink
        let started = Microseconds.from(Date())

        init(job: ReparseJob, records: [Frontier.PageRecord], scrapers: ScraperSet, store: FeatureStore?)
            throws(MarqueeError)
        {
            let site = job.site
            self.job = job
            self.records = records.filter { record in
                site == nil || !scrapers.candidates(for: record.finalURL, site: site).isEmpty
            }
            self.scrapers = scrapers
            let sites = Set(self.records.flatMap { scrapers.candidates(for: $0.finalURL, site: site).map(\.site.site) })
            let toStore = job.output == nil && store != nil
            self.store = toStore ? store : nil
            try UserSaltPolicy.check(
                specs: scrapers.sites.filter { sites.contains($0.site) }, toStore: toStore, salt: job.salt,
                skipUserRatings: job.skipUserRatings)
            sink = try RecordSink(
                output: job.output, store: self.store, salt: job.skipUserRatings ? nil : job.salt, scrapers: scrapers)
            job.progress?.update(done: 0, total: self.records.count)
        }

        /// Extracts the records in `range` on every core, delivering them in order.
        func extract(
            _ range: Range<Int>, logger: Logger,
            body: @escaping @Sendable (Frontier.PageRecord) throws(MarqueeError) -> Data
        ) throws(MarqueeError) {
            let records = records
            let site = job.site
            try scrapers.extractAll(range.count, jobs: job.jobs) { offset throws(MarqueeError) in
                let record = records[range.lowerBound + offset]
                return PageInput(data: try body(record), url: record.finalURL, site: site, contentType: record.contentType)
            } deliver: { (offset, result) throws(MarqueeError) in
                let record = records[range.lowerBound + offset]
                job.progress?.advance()
                switch result {
                case .success(let extraction):
                    try sink.accept(extraction, fetchedAt: record.fetchedAt, sourceHash: record.bodySHA256)
                case .failure(let error):
                    sink.count(error: "unrecognised", unrecognised: true)
                    logger.warning("\(error)", metadata: ["url": "\(record.finalURL)"])
                }
            }
        }

        /// The summary and the drift monitors' review.
        func finish() throws(MarqueeError) -> Result {
            let summary = sink.summary
            let review = try CoverageMonitor.review(
                summary.coverage, scrapers: scrapers, store: store, command: "reparse",
                pages: summary.pages, records: summary.records.values.reduce(0, +), started: started)
            return Result(records: summary, review: review)
        }
    }
}
