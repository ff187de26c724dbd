import ArgumentParser
import Foundation
import MarqueeCore
import MarqueeFetch
import MarqueeNormalize
import MarqueeScrape

/// `marquee reparse`: extract again from stored pages with the current specs (no refetch).
struct Reparse: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-extract records from the pages a crawl or scrape stored, with the current specs (no refetch).",
        discussion: """
            Each record keeps its page's fetch time as its event time, so a reparse of unchanged \
            pages with unchanged specs stores nothing new, and a value a changed spec reads \
            differently is added at the time the page was fetched. The drift monitors run as in \
            marquee scrape. Exit status: 0, 65 for a bad spec, a missing frontier or a drift alarm, \
            78 when a user salt is needed (see marquee scrape).
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var specs: ScraperOptions
    @Option(help: "The frontier holding the page records: a SQLite file or a shared postgres:// frontier.")
    var frontier = "scrape.sqlite"
    @Option(
        help: "Where the bodies are: a folder (default pages/) or postgres://…; a PostgreSQL frontier's default is its database.")
    var pages: String?
    @Option(help: "Only pages of this site.") var site: String?
    @Option(help: "Write records as JSON Lines to this file instead of the store.") var out: String?
    @Option(help: "Pages extracted at once (default: one per core); records are written in page order either way.")
    var jobs = ProcessInfo.processInfo.activeProcessorCount
    @Flag(help: "Skip user ratings (counted in the summary) instead of requiring a user salt to store them.")
    var noUserRatings = false
    @Option(help: "text or json (the summary).") var format: OutputFormat = .text

    func run() async throws {
        let logger = global.makeLogger("marquee.reparse")
        try await reportingErrors {
            let scrapers = try specs.load()
            var job = ReparseJob(frontier: frontier, pages: URL(fileURLWithPath: pages ?? "pages"))
            job.site = site
            job.output = out.map { URL(fileURLWithPath: $0) }
            job.jobs = jobs
            job.salt = EffectiveConfig.userSalt
            job.skipUserRatings = noUserRatings
            job.progress = global.progress("reparse", unit: "pages")
            let location = FrontierLocation(frontier)
            let result: ReparseJob.Result
            if location.isShared {
                // Records and bodies from the shared crawl's database.
                let opened = try await location.openForReading(logger: logger)
                let bodies = try await location.pageBodies(flag: pages, opened: opened, logger: logger)
                let records = try await opened.frontier.pages().map(\.record)
                result = try await job.run(
                    records: records, bodies: bodies, scrapers: scrapers,
                    store: out == nil ? try global.openStore() : nil, logger: logger)
            } else {
                // Checked here too (the job checks it again) so a missing frontier never creates the store.
                try InputFile.requireDatabase(frontier, what: "frontier", hint: "run marquee scrape first")
                result = try job.run(
                    scrapers: scrapers, store: out == nil ? try global.openStore() : nil, logger: logger)
            }
            job.progress?.finish()
            let (summary, review) = (result.records, result.review)
            if format == .json {
                try printJSON(ScrapeOutcome(site: site, crawl: nil, summary: summary, output: out, review: review))
            } else {
                print(summary.report())
                print(
                    out.map { "records written to \($0)" }
                        ?? "\(summary.stored) observations stored in \(global.store)")
                print(review.report())
            }
            if let error = review.error { throw error }
        }
    }
}
