import ArgumentParser
import Foundation
import MarqueeCore
import MarqueeScrape

/// Where the scraper specs live; shared by the scraping commands.
struct ScraperOptions: ParsableArguments {
    @Option(
        name: .customLong("scrapers"), help: "The folder of scraper specs (<site>.toml; default from marquee config).")
    var scrapersFlag: String?

    /// The specs folder: the flag, else `marquee config`'s value.
    var scrapers: String { scrapersFlag ?? EffectiveConfig.currentOrDefaults["scrapers"] }

    func load() throws(MarqueeError) -> ScraperSet {
        try ScraperSet.load(directory: URL(fileURLWithPath: scrapers))
    }
}

/// `marquee parse FILE [--url URL] [--site SITE]`: a saved page's records as JSON Lines.
struct Parse: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the records a saved page yields, as JSON Lines.",
        discussion: """
            The site and page kind come from --url, else from the page's canonical link or og:url, \
            else from page content. Records that fail validation are printed as "reject" records \
            (field, reason, rules tried). Exit status: 0 when the page was recognised, 65 when it \
            was not (the message names what was tried) or cannot be read, 64 for an unknown site.
            """)

    @OptionGroup var global: LoggingOptions
    @OptionGroup var specs: ScraperOptions

    @Argument(help: "The saved page (HTML, any encoding).")
    var file: String

    @Option(help: "The page's URL (decides site and page kind).")
    var url: String?

    @Option(help: "json (JSON Lines: one record per line, the default) or text.")
    var format: OutputFormat = .json

    @Option(help: "Only consider this site's page kinds.")
    var site: String?

    @Option(help: "The HTTP Content-Type the page was served with (its charset takes part in encoding detection).")
    var contentType: String?

    func run() async throws {
        let logger = global.makeLogger("marquee.parse")
        try await reportingErrors {
            let scrapers = try specs.load()
            let data = try InputFile.read(file, what: "the page")
            let extraction: PageExtraction
            do {
                extraction = try scrapers.extract(
                    data: data, url: url, site: site, contentType: contentType, links: false)
            } catch let error as MarqueeError where error.location == nil {
                throw MarqueeError(error.code, error.message, location: file, hint: error.hint)
            }
            FileHandle.standardOutput.write(
                Data((format == .json ? extraction.jsonLines() : extraction.textLines()).utf8))
            for warning in extraction.warnings {
                logger.warning("\(file): \(warning)")
            }
            logger.info(
                "parsed",
                metadata: [
                    "site": "\(extraction.site)", "kind": "\(extraction.kind)",
                    "records": "\(extraction.records.count)",
                    "rejects": "\(extraction.rejects.count)",
                ])
        }
    }
}

/// `marquee sites`: the sites, their page kinds and fields.
struct Sites: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the sites Marquee scrapes, their page kinds and the fields each kind extracts.")

    @OptionGroup var global: LoggingOptions
    @OptionGroup var specs: ScraperOptions

    @Flag(help: "Print JSON instead of text; the same as --format json.")
    var json = false

    @Option(help: "text or json.") var format: OutputFormat = .text

    func run() async throws {
        let json = json || format == .json
        try await reportingErrors {
            let scrapers = try specs.load()
            if json {
                let value = JSONValue.array(
                    scrapers.sites.map { site in
                        .object(
                            JSONObject([
                                ("site", .string(site.site)), ("hosts", .array(site.hosts.map(JSONValue.string))),
                                (
                                    "pages",
                                    .array(
                                        site.pages.map { page in
                                            .object(
                                                JSONObject([
                                                    ("kind", .string(page.kind)),
                                                    ("record", .string(page.record.rawValue)),
                                                    ("description", .string(page.description)),
                                                    ("fields", .array(page.fields.map { .string($0.name) })),
                                                    (
                                                        "required",
                                                        .array(page.fields.filter(\.required).map { .string($0.name) })
                                                    ),
                                                    ("links", .array(page.links.map { .string($0.name) })),
                                                ]))
                                        })
                                ),
                            ]))
                    })
                print(value.serialized(pretty: true))
                return
            }
            for site in scrapers.sites {
                print("\(site.site)  (\(site.hosts.joined(separator: ", ")); \(site.requestsPerSecond) req/s)")
                for page in site.pages {
                    let fields = page.fields.map { $0.required ? "\($0.name)*" : $0.name }.joined(separator: ", ")
                    let links = page.links.isEmpty ? "" : "  links: " + page.links.map(\.name).joined(separator: ", ")
                    print(
                        "  \(page.kind) → \(page.record.rawValue)\(page.each == nil ? "" : " (one per item)"): \(fields)\(links)"
                    )
                }
            }
            print("(* required)")
        }
    }
}
