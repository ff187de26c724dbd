import ArgumentParser
import Foundation
import MarqueeCore
import MarqueeScrape

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
            if json { return print(scrapers.summaryJSON.serialized(pretty: true)) }
            print(scrapers.summaryText, terminator: "")
        }
    }
}
