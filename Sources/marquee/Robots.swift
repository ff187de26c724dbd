import ArgumentParser
import MarqueeCore
import MarqueeFetch

/// `marquee robots ROBOTS_FILE URL… [--agent NAME]`: what a saved robots.txt allows, and why.
struct Robots: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Say whether a saved robots.txt allows each URL, with the rule and line that decided (RFC 9309).",
        discussion:
            "One line per URL, in the order given: 'allowed' or 'disallowed', the URL, and why. Exit 65 when the file cannot be read."
    )

    @OptionGroup var global: LoggingOptions
    @Argument(help: "The robots.txt file.") var robotsFile: String
    @Argument(help: "URLs or paths to check.") var urls: [String]
    @Option(help: "text or json.") var format: OutputFormat = .text
    @Option(help: "The crawler's user agent; its product token (letters, _ and -) picks the group.") var agent =
        "Marquee"

    func validate() throws {
        if urls.isEmpty { throw ValidationError("give at least one URL to check") }
    }

    func run() async throws {
        _ = global.makeLogger("marquee.robots")
        try await reportingErrors {
            let request = RobotsRequest(file: robotsFile, urls: urls, agent: agent)
            if format == .json { return try printJSON(try request.verdicts()) }
            for line in try request.run() { print(line) }
        }
    }
}
