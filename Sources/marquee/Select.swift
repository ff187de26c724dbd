import ArgumentParser
import Foundation
import MarqueeCore
import MarqueeHTML

/// `marquee select FILE (--css Q | --xpath Q | --jsonld)`: what a query extracts from a saved page.
struct Select: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print what a CSS, XPath or JSON-LD query extracts from a saved HTML page.",
        discussion: """
            Exit status: 0 on success (also when nothing matched), 64 for a malformed or unsupported \
            query, 65 for a file that cannot be read.
            """)

    @OptionGroup var global: LoggingOptions

    @Argument(help: "The saved page (HTML, any encoding).")
    var file: String

    @Option(help: "A CSS selector; '::text' and '::attr(name)' select text and attributes.")
    var css: String?

    @Option(help: "An XPath 1.0 expression.")
    var xpath: String?

    @Flag(help: "Print the page's JSON-LD items (arrays and @graph flattened, null blocks dropped), in page order.")
    var jsonld = false

    @Flag(help: "Print every match, not only the first.")
    var all = false

    @Flag(help: "Print results as JSON (a string, or an array with --all); the same as --format json.")
    var json = false

    @Option(help: "text or json.") var format: OutputFormat = .text

    @Flag(help: "Print each match's whitespace-normalised text instead of its HTML.")
    var text = false

    @Option(
        name: .customLong("re"),
        help:
            "A regular expression applied to each match, as Parsel's re(): the 'extract' group, else every group, else the whole match."
    )
    var regex: String?

    @Option(help: "The HTTP Content-Type the page was served with (its charset takes part in encoding detection).")
    var contentType: String?

    @Option(help: "The page's URL, for messages and relative links.")
    var url: String?

    func validate() throws {
        let chosen = [css != nil, xpath != nil, jsonld].filter { $0 }.count
        guard chosen == 1 else { throw ValidationError("give exactly one of --css, --xpath or --jsonld") }
        if text && jsonld { throw ValidationError("--text applies to --css and --xpath, not --jsonld") }
        if regex != nil && jsonld { throw ValidationError("--re applies to --css and --xpath, not --jsonld") }
    }

    func run() async throws {
        let logger = global.makeLogger("marquee.select")
        try await reportingErrors {
            let query: PageQuery = css.map(PageQuery.css) ?? xpath.map(PageQuery.xpath) ?? .jsonld
            let report = try SelectRequest(
                file: file, query: query, all: all, text: text, regex: regex,
                contentType: contentType, url: url
            )
            .run(logger: logger)
            for failure in report.warnings {
                FileHandle.standardError.write(Data("marquee: warning: \(failure)\n".utf8))
            }
            for note in report.notes {
                FileHandle.standardError.write(Data("marquee: note: \(note)\n".utf8))
            }
            let output = json || format == .json ? report.json() : report.plain()
            if !output.isEmpty { print(output) }
        }
    }
}
