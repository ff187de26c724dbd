import ArgumentParser
import Foundation
import MarqueeCore
import MarqueeScrape

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
