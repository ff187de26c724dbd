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
