import ArgumentParser
import Foundation
import MarqueeCore
import MarqueeFetch
import MarqueeNormalize
import MarqueeScrape

/// `marquee scrape SITE --start URL…`: crawl a site through the fetching layer and extract records.
struct Scrape: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Crawl a site from start URLs, extract records with its spec, write them to the store or JSON Lines.",
        discussion: """
            Links come from the spec's link rules (pagination, film pages), so the crawl stays on \
            pages the spec can read. Politeness (rate, concurrency) comes from the spec. The crawl \
            is resumable like `marquee crawl` (same --frontier and --pages); a killed run re-parses \
            at most the pages that were in flight. With --replay nothing touches the network.
            Event times are the pages' fetch times (a replayed page's recorded time) or the dates \
            the pages state (a diary's rating date), so scraping or re-parsing the same page again \
            adds nothing. User handles are stored as salted hashes: without a user salt \
            (MARQUEE_USER_SALT) a scrape of a site with user ratings exits 78 unless \
            --no-user-ratings is given.
            Drift monitors: each field's fill rate is compared with its spec's min_coverage (0.9 for \
            required fields) and with the previous recorded run of its page kind (a drop of more \
            than 20 points over 10+ records); alarms are printed, recorded with the run (marquee \
            monitor report) and make the command exit 65.
            Exit status: 0, 64 for bad usage, 65 for a bad spec, unreadable replay or a drift alarm, \
            69 when every page failed to fetch, 78 when a user salt is needed.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var specs: ScraperOptions
    @Argument(help: "The site (a spec in --scrapers).") var site: String
    @Option(name: .customLong("start"), help: "A start URL (repeat for several).") var starts: [String] = []
    @Option(help: "Stop once this many pages are recorded (all runs together).") var maxPages: Int?
    @Option(
        name: [.customLong("max-depth"), .customLong("depth")],
        help: "Link hops followed from the start URLs, at most, as crawl --max-depth (--depth is the old name).")
    var depth = 2
    @Option(help: "Record every response as WARC 1.1 files in this folder.") var warc: String?
    @Option(help: "Replay instead of fetching: a WARC file, a folder of WARC files, or a fixtures folder.")
    var replay: String?
    @Option(help: "Append records as JSON Lines to this file instead of writing them to the store.") var out: String?
    @Option(help: "The frontier database.") var frontier = "scrape.sqlite"
    @Option(help: "The page store folder.") var pages = "pages"
    @Option(help: "User-Agent header (default: marquee config's user_agent and contact).") var userAgent: String?
    @Option(help: "Requests per second per host (default: marquee config's rate, else the site spec's).") var rate:
        Double?
    @Flag(help: "Do not read robots.txt (only for your own servers).") var ignoreRobots = false
    @Flag(help: "Allow loopback and private-network addresses.") var allowPrivate = false
    @Flag(help: "Skip user ratings (counted in the summary) instead of requiring a user salt to store them.")
    var noUserRatings = false
    @Option(help: "text or json (the summary).") var format: OutputFormat = .text

    func validate() throws {
        if starts.isEmpty { throw ValidationError("give at least one --start URL") }
    }

    func run() async throws {
        let logger = global.makeLogger("marquee.scrape")
        try await reportingErrors {
            var job = ScrapeJob(
                site: site, starts: starts, frontier: frontier, pages: URL(fileURLWithPath: pages))
            job.maxPages = maxPages
            job.depth = depth
            job.warc = warc.map { URL(fileURLWithPath: $0) }
            job.replay = replay.map { URL(fileURLWithPath: $0) }
            job.output = out.map { URL(fileURLWithPath: $0) }
            job.userAgent = userAgent ?? EffectiveConfig.userAgent
            job.rate = rate ?? EffectiveConfig.rate
            job.ignoreRobots = ignoreRobots
            job.allowPrivate = allowPrivate
            job.salt = EffectiveConfig.userSalt
            job.skipUserRatings = noUserRatings
            job.progress = global.progress("scrape \(site)", unit: "pages")
            let scrapers = try specs.load()
            let store = out == nil ? try global.openStore() : nil
            let configured = job
            SignalHandling.install()
            let result = try await configured.run(scrapers: scrapers, store: store, logger: logger)
            configured.progress?.finish()
            let crawl = result.crawl
            if format == .json {
                try printJSON(
                    ScrapeOutcome(site: site, crawl: crawl, summary: result.records, output: out, review: result.review)
                )
            } else {
                print(
                    "scrape \(site): \(crawl.recorded) pages fetched, \(crawl.unchanged) unchanged, \(crawl.failed) failed, in \(String(format: "%.1f", crawl.seconds)) s"
                )
                print(result.records.report())
                print(
                    out.map { "records written to \($0)" }
                        ?? "\(result.records.stored) observations stored in \(global.store)")
                if let review = result.review { print(review.report()) }
            }
            if result.interrupted {
                throw MarqueeError(
                    .temporary, "interrupted; what was fetched is recorded",
                    hint: "run the same command again: the crawl resumes where it stopped")
            }
            if crawl.recorded == 0, crawl.failed > 0 {
                let reasons = result.records.errors.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
                    .map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                throw MarqueeError(
                    .unavailable,
                    "every page failed to fetch (\(reasons.isEmpty ? "\(crawl.failed) failed" : reasons))",
                    hint: "marquee crawl-status --frontier \(frontier) lists them; -v logs each URL")
            }
            if let error = result.review?.error { throw error }
        }
    }
}

/// What `scrape` and `reparse` print with `--format json`.
struct ScrapeOutcome: Encodable {
    var site: String?
    var crawl: CrawlSummary?
    var pages, unrecognised, stored, skippedUserRatings: Int
    var records, rejects, errors: [String: Int]
    var output: String?
    var alarms: [String]

    init(site: String?, crawl: CrawlSummary?, summary: ScrapeSummary, output: String?, review: CoverageReview?) {
        self.site = site
        self.crawl = crawl
        pages = summary.pages
        unrecognised = summary.unrecognised
        stored = summary.stored
        skippedUserRatings = summary.skippedUserRatings
        records = summary.records
        rejects = summary.rejects
        errors = summary.errors
        self.output = output
        alarms = review?.alarms.map { "\($0)" } ?? []
    }
}
