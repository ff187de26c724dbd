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
        let site = site
        let records = try Frontier(path: frontier).pages().map(\.1).filter { record in
            site == nil || !scrapers.candidates(for: record.finalURL, site: site).isEmpty
        }
        let sites = Set(records.flatMap { scrapers.candidates(for: $0.finalURL, site: site).map(\.site.site) })
        let toStore = output == nil && store != nil
        try UserSaltPolicy.check(
            specs: scrapers.sites.filter { sites.contains($0.site) }, toStore: toStore, salt: salt,
            skipUserRatings: skipUserRatings)
        let started = Microseconds.from(Date())
        let sink = try RecordSink(
            output: output, store: toStore ? store : nil, salt: skipUserRatings ? nil : salt, scrapers: scrapers)
        defer { sink.close() }
        progress?.update(done: 0, total: records.count)
        try scrapers.extractAll(records.count, jobs: jobs) { index throws(MarqueeError) in
            let record = records[index]
            return PageInput(
                data: try pageStore.get(record.bodySHA256), url: record.finalURL, site: site,
                contentType: record.contentType)
        } deliver: { (index, result) throws(MarqueeError) in
            progress?.advance()
            switch result {
            case .success(let extraction):
                try sink.accept(extraction, fetchedAt: records[index].fetchedAt, sourceHash: records[index].bodySHA256)
            case .failure(let error):
                sink.count(error: "unrecognised", unrecognised: true)
                logger.warning("\(error)", metadata: ["url": "\(records[index].finalURL)"])
            }
        }
        let summary = sink.summary
        let review = try CoverageMonitor.review(
            summary.coverage, scrapers: scrapers, store: toStore ? store : nil, command: "reparse",
            pages: summary.pages, records: summary.records.values.reduce(0, +), started: started)
        return Result(records: summary, review: review)
    }
}
