import ArgumentParser
import Foundation
import MarqueeCore
import MarqueeFetch
import MarqueeHTML
import MarqueeNormalize

/// `marquee crawl SEED…`: a polite, resumable crawl into a frontier and a page store.
struct Crawl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Crawl from start URLs, following links on their hosts; resumable after any stop, even kill -9.",
        discussion: """
            State lives in --frontier (SQLite: URLs, states, page records) and bodies in --pages \
            (content-addressed, gzip). Run the same command again to resume: in-flight URLs are \
            re-queued, finished ones are never fetched again, every page is recorded once. \
            With --frontier postgres://USER@HOST/DB any number of these processes, on any machines, \
            work one crawl: each claims URLs under a lease (--lease), a dead worker's URLs are taken \
            over when its leases expire, and --rate and --host-concurrency hold per host across all \
            of them. \
            robots.txt is obeyed and each host is paced (--rate, --host-concurrency); 429s slow a \
            host down; 408/429/5xx and transport errors are retried with backoff. \
            Loopback and private addresses are refused unless --allow-private.
            """)

    @OptionGroup var global: LoggingOptions
    @Argument(help: "Start URLs.") var seeds: [String]
    @Option(
        help:
            "The frontier: a SQLite file, or postgres://USER[:PASSWORD]@HOST[:PORT]/DB shared by many workers (default from marquee config: crawl.sqlite)."
    )
    var frontier: String?
    @Option(help: "This worker's name in a shared frontier (default HOST:PID).") var workerID: String?
    @Option(
        help:
            "Seconds a shared frontier's URL stays this worker's once claimed; a worker that dies loses its URLs to others after this."
    )
    var lease = 120.0
    @Option(
        help:
            "Where page bodies go: a folder (default pages/), or postgres://…; with a PostgreSQL frontier the default is its database, readable by every worker."
    )
    var pages: String?
    @Option(help: "Fetches in flight at once.") var concurrency = 8
    @Option(help: "Stop once this many pages are recorded (all runs together).") var maxPages: Int?
    @Option(help: "Links followed from the start URLs, at most.") var maxDepth = 3
    @Option(help: "Requests per second per host (0: no pacing).") var rate = 1.0
    @Option(help: "Requests in flight per host.") var hostConcurrency = 2
    @Option(
        name: .customLong("user-agent"),
        help: "User-Agent header (robots.txt groups are matched on its first word; default from marquee config).")
    var userAgentFlag: String?

    /// The flag, else `marquee config`'s user agent (with its contact).
    var userAgent: String { userAgentFlag ?? EffectiveConfig.userAgent }
    @Option(help: "Attempts per URL, first included.") var maxAttempts = 4
    @Flag(help: "Do not read robots.txt (only for your own servers).") var ignoreRobots = false
    @Flag(
        help:
            "Allow loopback and private-network addresses (checked on the address connected to, after DNS and on every redirect)."
    )
    var allowPrivate = false
    @Option(help: "Pin a name to an address, HOST:PORT:ADDRESS as curl's --resolve (repeatable).") var resolve:
        [String] = []
    @Option(
        help:
            "Re-queue pages fetched more than this many seconds ago; they are asked for conditionally (ETag/Last-Modified), and a 304 costs nothing."
    )
    var refreshAfter: Double?
    @Option(help: "Record every response (with its request) as WARC 1.1 files in this folder.") var warc: String?
    @Option(
        help:
            "Replay instead of the network: a WARC file, a folder of WARC files, or fixtures (NAME.html + NAME.meta.json). Misses fail; nothing is fetched."
    )
    var replay: String?
    @Option(help: "text or json (the summary).") var format: OutputFormat = .text

    func run() async throws {
        let logger = global.makeLogger("marquee.crawl")
        try await reportingErrors {
            let location = FrontierLocation(flag: frontier)
            SignalHandling.install()
            let opened = try await location.openForCrawl(worker: workerID, lease: lease, logger: logger)
            defer { withExtendedLifetime(opened.lock) {} }
            var stack = FetcherStack(userAgent: userAgent)
            stack.sharedPacing = opened.shared
            stack.sharedRobots = opened.shared
            stack.requestsPerSecond = rate
            stack.hostConcurrency = hostConcurrency
            stack.maxAttempts = maxAttempts
            stack.ignoreRobots = ignoreRobots
            stack.allowPrivate = allowPrivate
            stack.resolve = resolve
            // A redirect may lead only to the start URLs' hosts, as links may.
            stack.allowedHosts = Set(seeds.compactMap { URLComponents(string: $0)?.host?.lowercased() })
            stack.replay = replay.map { URL(fileURLWithPath: $0) }
            stack.warc = warc.map { URL(fileURLWithPath: $0) }
            let fetcher = try stack.make()
            var options = CrawlOptions()
            options.concurrency = concurrency
            options.maxPages = maxPages
            options.maxDepth = maxDepth
            options.allowPrivate = allowPrivate
            options.shouldStop = { StopRequest.isRequested }
            if let refreshAfter {
                let count = try await opened.frontier.refresh(olderThan: refreshAfter)
                logger.info("re-queued \(count) pages for a conditional refetch")
            }
            let crawler = Crawler(
                frontier: opened.frontier,
                store: try await location.pageBodies(flag: pages, opened: opened, logger: logger),
                fetcher: fetcher, links: Self.links, canonical: { try? Normalize.canonicalURL($0) })
            let progress = global.progress("crawl", unit: "pages", total: options.maxPages)
            let summary = try await crawler.run(seeds: seeds, options: options) { url, outcome in
                progress.advance()
                logger.info("\(outcome)", metadata: ["url": "\(url)"])
            }
            progress.finish()
            if format == .json {
                try printJSON(summary)
            } else {
                print(
                    String(
                        format:
                            "crawl: %d pages recorded, %d unchanged (304), %d failed, %d new URLs queued, %d resumed from a previous run, in %.1f s",
                        summary.recorded, summary.unchanged, summary.failed, summary.queued, summary.recovered,
                        summary.seconds))
                print("marquee crawl-status --frontier \(location.shown) shows the frontier")
            }
            if StopRequest.isRequested {
                throw MarqueeError(
                    .temporary, "stopped by a signal; every page fetched was recorded",
                    hint: "run the same command again: the crawl resumes where it stopped")
            }
        }
    }

    /// Every `<a href>` of an HTML page, absolute, fragments dropped.
    static func links(_ page: FetchedPage) -> [String] {
        let document = HTMLDocument(data: page.body, url: page.finalURL, contentType: page.header("Content-Type"))
        guard let hrefs = try? document.xpath("//a/@href").getAll() else { return [] }
        let base = URL(string: page.finalURL)
        return hrefs.compactMap { href in
            guard let url = URL(string: href.trimmingCharacters(in: .whitespaces), relativeTo: base)?.absoluteURL,
                var components = URLComponents(url: url, resolvingAgainstBaseURL: false)
            else { return nil }
            components.fragment = nil
            return components.string
        }
    }
}
